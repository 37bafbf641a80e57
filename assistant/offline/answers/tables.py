"""Entities side by side in one edition (a ``compare`` tool result): up to 8 as the columns of
one table with a grouped-bar chart, more as rows in pages of 8 with a sorted-bar chart. Used by
the comparison and by the gap between two entities."""
from __future__ import annotations

from .blocks import Chart, Dim, Ed, Ent, Line, Num, P, Table
from .scores import composite, rank, score, tier_label

PAGE = 8
TIER = "tier"  # the row (or column) of tiers, after the composite, where the edition has tiers


def composite_value(row: dict) -> float | None:
    return row["published_composite"] if row.get("published_composite") is not None else row.get("composite")


def _tier(row: dict, cid: str, eid: str):
    """The tier or class the row is in, as the report names it (its number recorded, not printed twice)."""
    if not row.get("tier_label"):
        return "–"
    return P("tier.label", label=tier_label(row["tier_label"], row["tier_label_en"]),
             n=Num(value=row["tier"], label="tier", source=cid, kind="tier", silent=True, entity=row["name"], edition=eid))


def _cell(row: dict, k: str | None, cid: str, eid: str):
    if k == TIER:
        return _tier(row, cid, eid)
    if k is None:
        comp = composite(row, cid)
        if comp is None:
            return "–"
        return P("compare.cell_rank", value=comp, rank=rank(row["rank"], "rank", cid, entity=row["name"], edition=eid)) \
            if row.get("rank") else comp
    d = row["dimensions"][k]
    if d["score"] is None:
        return "–"
    s = score(d["score"], f"{k} score", cid, entity=row["name"], edition=eid, dimension=k)
    return P("compare.cell_rank", value=s, rank=rank(d["rank"], f"{k} rank", cid, entity=row["name"], edition=eid,
                                                     dimension=k)) if d.get("rank") else s


def tables(rows: list[dict], cid: str, eid: str, keys: list[str]) -> list:
    measures = [None, *([TIER] if any(r.get("tier_label") for r in rows) else []), *keys]
    label = lambda k: P("compare.composite") if k is None else P("compare.tier") if k == TIER else Dim(eid, k)  # noqa: E731
    if len(rows) <= PAGE:
        head = [P("compare.measure"), *(Ent(r["name"]) for r in rows)]
        return [Table(head, [[label(k), *(_cell(r, k, cid, eid) for r in rows)] for k in measures])]
    ordered = sorted(rows, key=lambda r: (r.get("rank") or 10**6, r["name"]))
    pages = [ordered[i:i + PAGE] for i in range(0, len(ordered), PAGE)]
    out: list = []
    for page in pages:
        ranked = [r["rank"] for r in page if r.get("rank")]
        if ranked:
            key = "compare.page" if ranked[0] != ranked[-1] else "compare.page_one"
            out.append(Line(P(key, first=rank(ranked[0], "rank", cid, edition=eid), last=rank(ranked[-1], "rank", cid, edition=eid))))
        out.append(Table([P("compare.entity"), *(label(k) for k in measures)],
                         [[Ent(r["name"]), *(_cell(r, k, cid, eid) for k in measures)] for r in page]))
    return out


def chart(rows: list[dict], eid: str, keys: list[str]) -> Chart:
    if len(rows) <= PAGE and keys:
        return Chart("compare", P("compare.chart_title", edition=Ed(eid)), tuple(Dim(eid, k) for k in keys),
                     tuple((Ent(r["name"]), tuple(r["dimensions"][k]["score"] for k in keys)) for r in rows))
    ordered = sorted((r for r in rows if composite_value(r) is not None), key=lambda r: -composite_value(r))
    return Chart("ranking", P("compare.chart_title_composite", edition=Ed(eid)), tuple(Ent(r["name"]) for r in ordered),
                 ((P("compare.composite"), tuple(composite_value(r) for r in ordered)),))
