"""Period-on-period statements: what a quarterly report says an entity's score was last period,
and by how much (points, %) it rose or fell, read from ``facts.csv``; and the movement they imply
against the score printed now (:func:`movement`). Pure functions over a loaded edition."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping, Sequence

from .io import EditionData


@dataclass
class Statement:
    subject: str  # "composite" or a dimension key
    kind: str  # "level" (a previous-period level), "delta" (points) or "rate" (%)
    sign: int  # +1 up, -1 down, 0 for a level
    value: float
    printed: str
    line: int
    source_file: str


def statements(data: EditionData, words: Mapping[str, Sequence[str]]) -> dict[str, list[Statement]]:
    """facts.csv rows read as period-on-period statements, by entity. The subject is named by
    the spec's dimension names or the composite names in ``stated.yaml``; direction words
    (``index_core/data/consistency.yaml``) are read before any parenthesis, because the
    parenthesis carries remarks such as “增幅最大” that are not the direction."""
    spec_words = data.stated.get("period_changes", {})
    subjects = [(n, "composite") for n in spec_words.get("composite", [])] + [(d.zh, d.key) for d in data.spec.dimensions]
    subjects.sort(key=lambda s: -len(s[0]))
    previous = spec_words.get("previous", [])
    out: dict[str, list[Statement]] = {}
    for _, f in data.facts.iterrows():
        text = re.sub(r"^\d+个\S{2}", "", f["indicator_zh"])  # "38个区县…": the whole, not a member
        main, _, remark = text.partition("（")
        subject = next((key for name, key in subjects if main.startswith(name)), None)
        if subject is None or "排名" in main or f["unit"] not in ("%", "分"):
            continue
        up = any(w in main for w in words["up"])
        down = any(w in main for w in words["down"])
        if up == down:  # neither (a level) or both (unreadable)
            if up or f["unit"] != "分" or not any(p in remark for p in previous):
                continue
            kind, sign = "level", 0
        else:
            kind, sign = ("rate" if f["unit"] == "%" else "delta"), (1 if up else -1)
        out.setdefault(f["entity"], []).append(
            Statement(subject, kind, sign, float(f["value"]), f["printed"], int(f["line"]), f["source_file"]))
    return out


def current_levels(data: EditionData, entity: str) -> dict[str, tuple[float, str]]:
    pub = data.published[data.published["entity"] == entity]
    names = {"composite": "composite", **{f"{d.key}.score": d.key for d in data.spec.dimensions}}
    return {names[m]: (float(v), p) for m, v, p in zip(pub["measure"], pub["value"], pub["printed"]) if m in names}


def movement(data: EditionData, words: Mapping[str, Sequence[str]], entity: str, subject: str = "composite") -> dict | None:
    """How ``entity``'s ``subject`` (``"composite"`` or a dimension key) moved from the previous
    period: the score now (printed, in [0, 100] points), the previous score, the change in points
    and in per cent (``rate``, e.g. 7.01 for +7.01 %). Each is ``stated`` (with its file and line) or
    derived from the stated ones; ``None`` when the report states nothing about the previous
    period, and no derived value when its statements contradict each other (a rise and a fall)."""
    stmts = [s for s in statements(data, words).get(entity, []) if s.subject == subject]
    if not stmts:
        return None
    now = current_levels(data, entity).get(subject)
    level = next((s for s in stmts if s.kind == "level"), None)
    signs = {s.sign for s in stmts if s.kind != "level"}
    out: dict = {"entity": entity, "by": subject, "contradictory": signs == {1, -1},
                 "statements": [{"kind": s.kind, "sign": s.sign, "value": s.value, "printed": s.printed,
                                 "source_file": s.source_file, "line": s.line} for s in stmts],
                 "now": None if now is None else now[0], "previous": None, "change": None, "rate": None}
    if now is None or out["contradictory"]:
        return out
    delta = next((s for s in stmts if s.kind == "delta"), None)
    rate = next((s for s in stmts if s.kind == "rate"), None)
    previous = level.value if level else now[0] - delta.sign * delta.value if delta else \
        now[0] / (1 + rate.sign * rate.value / 100) if rate else None
    if previous is None:
        return out
    out.update(previous=round(previous, 2), previous_stated=level is not None,
               change=round(delta.sign * delta.value if delta else now[0] - previous, 2), change_stated=delta is not None,
               rate=round(rate.sign * rate.value if rate else 100 * (now[0] / previous - 1), 2), rate_stated=rate is not None)
    return out


def year_before(data: EditionData) -> dict:
    """The year-before figures a report prints beside its own lists (``stated.yaml`` ``year_before``:
    the 2019 GTII gives each field's 2018 TOP10 average and entry threshold), each paired with the
    figure it states now and the change in points (now - before, rounded to 2 decimals). Scores are
    in [0, 100]. ``{"year": None, "rows": []}`` for an edition that prints none."""
    block = data.stated.get("year_before") or {}
    now = {(a["what"], a["of"].get("measure")): a for a in data.stated.get("aggregates", [])}
    source = data.spec.source.file
    rows = []
    for f in block.get("figures", []):
        current = now.get((f["what"], f["measure"]))
        before = {"value": float(f["printed"]), "printed": str(f["printed"]), "line": int(f["line"]),
                  "source_file": f.get("source_file", source), "holder": f.get("holder")}
        row = {"measure": f["measure"], "dimension": f["measure"].split(".")[0], "what": f["what"], "before": before,
               "now": None, "change": None}
        if current is not None:
            row["now"] = {"value": float(current["printed"]), "printed": str(current["printed"]), "line": int(current["line"]),
                          "source_file": current.get("source_file", source)}
            row["change"] = round(row["now"]["value"] - before["value"], 2)
        rows.append(row)
    return {"year": block.get("year"), "rows": rows}
