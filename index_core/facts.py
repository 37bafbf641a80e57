"""Raw indicator values the reports state in their narratives (each edition's facts table), and the
arithmetic on them the reports leave to the reader: one place's change between two stated years,
and two places' difference on the same indicator in the same year. Values keep their unit (家,
件/万人, %, 亿元); every row keeps its file and line."""
from __future__ import annotations

from . import io


def rows(eids: list[str], names: tuple[str, ...] = (), indicator: str | None = None) -> list[dict]:
    """The stated values of ``eids`` for the places ``names`` (all when empty) whose indicator number is
    ``indicator`` or whose zh/en name contains it; in the table's order."""
    out = []
    for eid in eids:
        f = io.load_edition(eid).facts
        if names:
            f = f[f["entity"].isin(names)]
        if indicator:
            ind = str(indicator).strip()
            f = f[(f["indicator_no"] == ind) | f["indicator_zh"].str.contains(ind, regex=False)
                  | f["indicator_en"].str.contains(ind, case=False, regex=False)]
        for _, x in f.iterrows():
            out.append({
                "edition": eid, "entity": x["entity"],
                "indicator_no": int(x["indicator_no"]) if str(x["indicator_no"]).strip() else None,
                "indicator_zh": x["indicator_zh"], "indicator_en": x["indicator_en"],
                "value": x["value"], "printed": x["printed"], "unit": x["unit"] or None,
                "year": int(x["year"]) if str(x["year"]).strip() else None,
                "stated_rank": int(x["stated_rank"]) if str(x["stated_rank"]).strip() else None,
                "source_file": x["source_file"], "line": int(x["line"]),
            })
    return out


def changes(stated: list[dict]) -> list[dict]:
    """For each place's indicator stated for two or more years, the change from its earliest to its
    latest stated year (``change`` in the indicator's unit; ``ratio`` latest / earliest)."""
    by: dict[tuple, list[dict]] = {}
    for r in stated:
        if r["year"] is not None:
            by.setdefault((r["edition"], r["entity"], r["indicator_zh"]), []).append(r)
    out = []
    for (eid, ent, ind), rs in by.items():
        first, last = min(rs, key=lambda r: r["year"]), max(rs, key=lambda r: r["year"])
        if first["year"] == last["year"]:
            continue
        out.append({"edition": eid, "entity": ent, "indicator_zh": ind, "from_year": first["year"], "to_year": last["year"],
                    "from": first["value"], "to": last["value"], "change": round(last["value"] - first["value"], 6),
                    "ratio": round(last["value"] / first["value"], 6) if first["value"] else None})
    return out


def differences(stated: list[dict], entity: str, other: str) -> list[dict]:
    """For each indicator and year stated for both places (a value stated with no year pairs only with
    another without one), latest year first: ``difference`` = entity − other in the indicator's unit,
    ``gap`` its size, ``ratio`` = entity / other, and ``higher`` (``None`` when equal)."""
    by: dict[tuple, dict[str, dict]] = {}
    for r in stated:
        if r["entity"] in (entity, other):
            by.setdefault((r["edition"], r["indicator_zh"], r["year"]), {})[r["entity"]] = r
    both = sorted((k for k, pair in by.items() if len(pair) == 2), key=lambda k: (k[0], k[1], -(k[2] or 0)))
    out = []
    for key in both:
        a, b = by[key][entity], by[key][other]
        diff = round(a["value"] - b["value"], 6)
        out.append({"edition": key[0], "indicator_zh": key[1], "year": key[2], "unit": a["unit"],
                    "entity": entity, "other": other, "value": a["value"], "other_value": b["value"],
                    "difference": diff, "gap": abs(diff), "higher": None if diff == 0 else entity if diff > 0 else other,
                    "ratio": round(a["value"] / b["value"], 6) if b["value"] else None,
                    "lines": [f"{a['source_file']}:{a['line']}", f"{b['source_file']}:{b['line']}"]})
    return out
