"""breakdown: how a composite is made up — each dimension's score × weight = contribution,
the largest contribution first — or, asked why two composites differ, the printed composite
against the one the method computes from the printed (rounded) dimension scores."""
from __future__ import annotations

from ...tools import ToolRunner
from ..frame import Frame
from . import editions
from .blocks import Bullets, Dim, Ed, Ent, Fallback, Line, Num, P, Warn
from .facts import decimals
from .scores import composite, edition_note, measure_cite, rank, score, standing_chart, weight


def handle(frame: Frame, tools: ToolRunner):
    if not frame.entities:
        return Fallback("method", "no entity: how the edition's composite is computed", {"aspect": "formula"})
    ent, eid = frame.entities[0], editions.pick(frame)
    if ent not in editions.members(eid):
        return Fallback("lookup", f"{ent} is not in {eid}")
    cid, ex = tools.call("explain", edition=eid, entity=ent)
    if "error" in ex or not ex.get("contributions_rounded"):
        return Fallback("lookup", "the edition publishes no weighted dimension scores")
    out = edition_note(frame, eid)
    disc = next((d for d in ex.get("discrepancies") or [] if d["measure"] == "composite"), None)
    if frame.aspect == "discrepancy" and disc:
        return out + _discrepancy(ex, cid, eid, ent, disc)
    contrib = ex["contributions_rounded"]
    largest = max(contrib, key=lambda k: contrib[k])
    out.append(Line(P("breakdown.lead", entity=Ent(ent), edition=Ed(eid), composite=composite(ex, cid, frame.composite) or "",
                      rank=rank(ex["rank"], "rank", cid, entity=ent, edition=eid), dim=Dim(eid, largest),
                      part=score(contrib[largest], f"{largest} contribution", cid, entity=ent, edition=eid, dimension=largest))))
    out.append(Bullets(_term(ex, cid, eid, ent, k, v) for k, v in contrib.items()))
    if ex.get("gap_to_next_rank") is not None:
        out.append(Line(P("breakdown.next_rank", gap=score(ex["gap_to_next_rank"], "gap to next rank", cid, entity=ent, edition=eid),
                          other=Ent(ex["next_rank_entity"]))))
    first = next(iter(ex["dimensions"]))
    c = measure_cite(ex, f"{first}.score")
    if c:
        out.append(Line(P("breakdown.sources", cite=c)))
    chart = standing_chart(tools, eid, ent)
    if chart:
        out.append(chart)
    return out


def _term(ex: dict, cid: str, eid: str, ent: str, k: str, v: float, exact: bool = False) -> P:
    d = ex["dimensions"][k]
    part = Num(v, f"{k} contribution", cid, decimals=decimals(str(v)), entity=ent, edition=eid, dimension=k) if exact else \
        score(v, f"{k} contribution", cid, entity=ent, edition=eid, dimension=k)
    return P("breakdown.term", dim=Dim(eid, k), score=score(d["score"], f"{k} score", cid, entity=ent, edition=eid, dimension=k),
             weight=weight(d["weight"], cid, eid, k), part=part)


def _discrepancy(ex: dict, cid: str, eid: str, ent: str, d: dict) -> list:
    weights = {v.get("weight") for v in ex["dimensions"].values()}
    first = next(iter(ex["dimensions"]))
    return [
        Line(P("breakdown.discrepancy_lead", edition=Ed(eid), entity=Ent(ent),
               printed=score(d["published"], "printed composite", cid, entity=ent, edition=eid),
               exact=Num(d["computed"], "computed composite (unrounded)", cid, decimals=decimals(str(d["computed"])),
                         entity=ent, edition=eid),
               computed=score(d["computed"], "computed composite", cid, entity=ent, edition=eid),
               method=P("breakdown.method_mean" if len(weights) <= 1 else "breakdown.method_weighted"),
               cite=measure_cite(ex, "composite") or "", cite_dims=measure_cite(ex, f"{first}.score") or "")),
        Bullets(_term(ex, cid, eid, ent, k, v, exact=True) for k, v in (ex.get("contributions") or {}).items()),
        Line(P("breakdown.rounding")),
        Warn(f"printed composite {d['published']} differs from the computed {d['computed']}"),
    ]
