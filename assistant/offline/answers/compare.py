"""compare: any number of entities side by side in one edition; the first sentence says who
leads (on the dimension asked, else the composite). Up to 8 entities are columns of one table
with a grouped-bar chart; more are rows, in pages of 8, with a sorted-bar chart."""
from __future__ import annotations

from ...tools import ToolRunner
from ..frame import Frame
from . import editions
from .blocks import Chart, Dim, Ed, Ent, Fallback, Join, Line, P, Table, Warn
from .scores import composite, edition_note, rank, score, table_cites

PAGE = 8


def _composite_value(row: dict) -> float | None:
    return row["published_composite"] if row.get("published_composite") is not None else row.get("composite")


def handle(frame: Frame, tools: ToolRunner):
    if len(frame.entities) < 2:
        return Fallback("lookup", "one entity: its own figures")
    eid = editions.pick(frame)
    out = edition_note(frame, eid)
    members = editions.members(eid)
    for m in (e for e in frame.entities if e not in members):
        out += [Line(P("compare.missing", entity=Ent(m), edition=Ed(eid))), Warn(f"{m} is not in {eid}")]
    ents = [e for e in frame.entities if e in members]
    if len(ents) < 2:
        return Fallback("lookup", "fewer than two entities in the edition", {"entities": tuple(ents)}, keep=tuple(out))
    cid, res = tools.call("compare", edition=eid, entities=ents)
    if "error" in res:
        return out + [Line(P("compare.failed", edition=Ed(eid))), Warn(res["error"]["message"])]
    rows = res["entities"]
    keys = [k for k in rows[0]["dimensions"] if any(r["dimensions"][k]["score"] is not None for r in rows)]
    dim = frame.dimension if frame.dimension in keys else None
    out.append(Line(_lead(rows, cid, eid, dim)))
    out += _tables(rows, cid, eid, keys)
    leaders = res.get("leader_by_dimension") or {}
    if leaders and keys and len(rows) <= PAGE:
        out.append(Line(P("compare.leaders", items=Join([P("compare.leader_item", dim=Dim(eid, k), entity=Ent(leaders[k]))
                                                          for k in keys], "sep.semi"))))
    printed = [(r.get("sources") or {}).get(m) for r in rows for m in ("composite", f"{keys[0]}.score" if keys else "rank")]
    cites = table_cites([s for s in printed if s])
    if cites:
        out.append(Line(P("compare.sources", cites=Join(cites, "sep.space"))))
    out.append(_chart(rows, eid, keys))
    return out


def _lead(rows: list[dict], cid: str, eid: str, dim: str | None) -> P:
    if dim:
        val = lambda r: r["dimensions"][dim]["score"]  # noqa: E731
    else:
        val = _composite_value
    known = sorted((r for r in rows if val(r) is not None), key=lambda r: -val(r))
    if not known:
        return P("compare.no_scores", edition=Ed(eid))
    items = Join([P("compare.item", entity=Ent(r["name"]), score=score(val(r), f"{dim or 'composite'} score", cid,
                                                                       entity=r["name"], edition=eid, dimension=dim))
                  for r in known], "sep.list")
    what = Dim(eid, dim) if dim else P("compare.composite")
    if len(known) == 2:
        return P("compare.lead_two", higher=Ent(known[0]["name"]), lower=Ent(known[1]["name"]), what=what, items=items)
    return P("compare.lead_many", leader=Ent(known[0]["name"]),
             last=Ent(known[-1]["name"]), what=what, items=items)


def _cell(row: dict, k: str | None, cid: str, eid: str):
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


def _tables(rows: list[dict], cid: str, eid: str, keys: list[str]) -> list:
    measures = [None, *keys]
    label = lambda k: P("compare.composite") if k is None else Dim(eid, k)  # noqa: E731
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


def _chart(rows: list[dict], eid: str, keys: list[str]) -> Chart:
    if len(rows) <= PAGE and keys:
        return Chart("compare", P("compare.chart_title", edition=Ed(eid)), tuple(Dim(eid, k) for k in keys),
                     tuple((Ent(r["name"]), tuple(r["dimensions"][k]["score"] for k in keys)) for r in rows))
    ordered = sorted((r for r in rows if _composite_value(r) is not None), key=lambda r: -_composite_value(r))
    return Chart("ranking", P("compare.chart_title_composite", edition=Ed(eid)), tuple(Ent(r["name"]) for r in ordered),
                 ((P("compare.composite"), tuple(_composite_value(r) for r in ordered)),))
