"""why: the reasons an entity is weak, or strong, on a dimension (or overall): its standing
there first, then the profile facts the report states (where it ranks badly for "weak",
where it ranks well for "strong"), then the report's own words, the nearest dimension in the
other edition, and the chart against the median and the leader."""
from __future__ import annotations

from ...tools import ToolRunner
from ..frame import Frame
from ..understand.series import crosswalk
from ..understand.standing import BOTH_SIDES
from . import editions, facts, passages
from .blocks import Bullets, Dim, Ed, Ent, Fallback, Join, Line, P, Quote, Verbatim
from .scores import composite, count, edition_note, measure_cite, rank, score, standing_chart, weight
from .vocab import rules

MAX_FACTS = 6


def handle(frame: Frame, tools: ToolRunner):
    if not frame.entities:
        return Fallback("narrative", "no entity: the reports' text answers")
    ent, eid = frame.entities[0], editions.pick(frame)
    if ent not in editions.members(eid):
        return Fallback("lookup", f"{ent} is not in {eid}")
    cid, ex = tools.call("explain", edition=eid, entity=ent)
    if "error" in ex or not any(d.get("rank") for d in ex["dimensions"].values()):
        return Fallback("narrative", "no dimension ranks: the reports' text answers",
                        {"topic": " ".join(x for x in (ent, frame.topic) if x)})
    # no polarity asked (or a premise about it was false): the entity's own standing says which,
    # on the dimension asked about when there is one ("why?" after its 创新基础 rank of 34)
    standing = ex["dimensions"][frame.dimension] if frame.dimension in ex["dimensions"] else ex
    strong = frame.polarity == "strong" if frame.polarity else \
        standing.get("rank") is not None and standing["rank"] <= max(1, round(ex["of"] * rules()["standing"]["strong_share"]))
    key = frame.dimension if frame.dimension in ex["dimensions"] else \
        ex.get("strongest_dimension" if strong else "weakest_dimension")
    if ex["dimensions"][key].get("score") is None:
        return Fallback("lookup", "no printed score on this dimension: what the report does print", {"aspect": "rank"})
    if len(frame.entities) == 2 and frame.dimension is None and frame.entities[1] in editions.members(eid):
        # "why does Guangzhou trail Shenzhen?": where the gap comes from, then the trailing one's reasons there
        gaps, behind, widest = _by_dimension(tools, eid, *frame.entities)
        if gaps:
            return edition_note(frame, eid) + gaps + _reasons(frame.model_copy(update={"dimension": widest}), tools, eid,
                                                              behind, widest, False, ex["of"])
    out = edition_note(frame, eid)
    if frame.aspect == BOTH_SIDES and frame.dimension is None:
        # "强项和短板分别是什么": its best dimension and its reasons, then its worst and its reasons
        for side in (True, False):
            best = ex["strongest_dimension" if side else "weakest_dimension"]
            out += _standing(ex, cid, eid, ent, best, side) + _reasons(frame, tools, eid, ent, best, side, ex["of"])
    else:
        out += _standing(ex, cid, eid, ent, key, strong)
        out += _reasons(frame, tools, eid, ent, key, strong, ex["of"])
        out += _crosswalk(tools, eid, ent, key)
    chart = standing_chart(tools, eid, ent)
    if chart:
        out.append(chart)
    return out


def _standing(ex: dict, cid: str, eid: str, ent: str, key: str, strong: bool) -> list:
    d = ex["dimensions"][key]
    of = count(ex["of"], "entities in edition", cid, edition=eid)
    others = [(k, v) for k, v in ex["dimensions"].items() if k != key and v.get("rank") is not None]
    contrast = Join([P("why.contrast_item", dim=Dim(eid, k), rank=rank(v["rank"], f"{k} rank", cid, entity=ent, edition=eid,
                                                                         dimension=k)) for k, v in others], "sep.list")
    comp = composite(ex, cid) or ""
    key_phrase = ("why.lead_strong" if strong else "why.lead_weak") if d.get("rank") is not None else "why.lead_unranked"
    lead = P(key_phrase, edition=Ed(eid), entity=Ent(ent), dim=Dim(eid, key),
             score=score(d["score"], f"{key} score", cid, entity=ent, edition=eid, dimension=key),
             rank=rank(d["rank"], f"{key} rank", cid, entity=ent, edition=eid, dimension=key) if d.get("rank") else "", of=of,
             contrast=P("why.contrast", items=contrast) if others else "", composite=comp,
             crank=rank(ex["rank"], "composite rank", cid, entity=ent, edition=eid) if ex.get("rank") else "",
             cite=Join([c for c in (measure_cite(ex, f"{key}.score"), measure_cite(ex, "composite", "rank")) if c], "sep.space"))
    out = [Line(lead)]
    if d.get("weight"):
        out.append(Line(P("why.weight", weight=weight(d["weight"], cid, eid, key))))
    return out


def _good(row: dict, n: int, strong: bool) -> bool:
    """Does the indicator's stated rank support the question: within the top share of the
    ``n`` entities (at least the top 3) for "strong", outside it for "weak"? Unranked facts count."""
    r = row.get("stated_rank")
    if r is None:
        return True
    cut = max(3, round(n * rules()["standing"]["strong_share"]))
    return r <= cut if strong else r > cut


def _reasons(frame: Frame, tools: ToolRunner, eid: str, ent: str, key: str, strong: bool, n: int) -> list:
    fcid, res = tools.ok("facts", edition=eid, entity=ent)
    # a dimension asked: its indicators; none ("那它有啥长处？", "why is X strong?"): every dimension's
    rows = facts.latest([r for r in (res or {}).get("facts", []) if frame.dimension is None and
                         facts.dimension_of(eid, r) is not None or facts.dimension_of(eid, r) == key])
    # weak: the indicators it ranks low on first; strong: those it ranks well on
    ranked = sorted(rows, key=lambda r: (r.get("stated_rank") is None, (r.get("stated_rank") or 0) * (1 if strong else -1)))
    picked = [r for r in ranked if _good(r, n, strong)]
    if frame.dimension is None:  # across dimensions only a stated rank says strong or weak
        picked = [r for r in picked if r.get("stated_rank") is not None] or picked
    heading = "why.facts_strong" if strong else "why.facts_weak"
    if not picked and ranked:  # none supports the question: say they point the other way, not "doing well" at rank 29
        picked, heading = ranked, ("why.facts_contrary_strong" if strong else "why.facts_contrary_weak")
    picked = picked[:MAX_FACTS]
    if picked and all(r.get("stated_rank") is None for r in picked):
        heading = "why.facts_unranked"  # no rank printed beside them: nothing says weak or strong
    out: list = []
    if picked:
        out.append(Line(P(heading)))
        out.append(Bullets(facts.worded(r, fcid, ent, eid, facts.dimension_of(eid, r)) for r in picked))
    query = " ".join([ent, editions.dimension_label(eid, key, "zh"), frame.topic or ""]).strip()
    hits = passages.search(tools, query, k=4, edition=eid, entity=ent)
    label = editions.dimension_label(eid, key, "zh")
    about = tuple({label[i:i + 2] for i in range(len(label) - 1)})  # the sentence must touch the dimension
    said = [s for s in passages.best(hits, f"{query} {frame.question}", k=2, extra=(ent,), must=about) if not s.table]
    if said:
        s = said[0]
        out.append(Line(P("why.report_says", sentence=Verbatim(s.text, s.cite()), cite=s.cite())))
        out += [Quote(x.cite()) for x in said[1:] if not picked]
    return out


def _by_dimension(tools: ToolRunner, eid: str, one: str, other: str) -> tuple[list, str, str]:
    """The two places' scores on every dimension, the widest gaps in the leader's favour first: the
    lines, the place behind on the composite, and the dimension where it is furthest behind (one
    ``gap`` call: its ``by_dimension`` rows)."""
    gcid, g = tools.ok("gap", edition=eid, entity=one, other=other)
    ahead = (g or {}).get("higher")
    if ahead is None:
        return [], one, ""
    behind, sign = (other, 1) if ahead == one else (one, -1)
    rows = sorted((g.get("by_dimension") or []), key=lambda r: -sign * r["gap"])
    if not rows:
        return [], behind, ""
    lead = next(e for e in g["entities"] if e["name"] == ahead)
    kw = {"edition": eid}
    items = [P("why.gap_item" if sign * r["gap"] >= 0 else "why.gap_item_behind", dim=Dim(eid, r["dimension"]),
               ahead=Ent(ahead), behind=Ent(behind),
               mine=score((r["score"], r["other_score"])[::sign][0], f"{r['dimension']} score", gcid, entity=ahead,
                          dimension=r["dimension"], **kw),
               theirs=score((r["score"], r["other_score"])[::sign][1], f"{r['dimension']} score", gcid, entity=behind,
                            dimension=r["dimension"], **kw),
               gap=score(abs(r["gap"]), f"{r['dimension']} gap", gcid, dimension=r["dimension"], **kw),
               cite=measure_cite(lead, f"{r['dimension']}.score") or "")
             for r in rows]
    return [Line(P("why.gap_lead", edition=Ed(eid), ahead=Ent(ahead), behind=Ent(behind))), Bullets(items)], behind, \
        rows[0]["dimension"]


def _crosswalk(tools: ToolRunner, eid: str, ent: str, key: str) -> list:
    cw = (crosswalk().get(eid) or {}).get(key) or {}
    other = next((e for e in editions.ids() if e != eid and e in cw and ent in editions.members(e)), None)
    if not other:
        return []
    okey = cw[other]
    cid, res = tools.ok("scores", edition=other, entity=ent)
    if not res or res["dimensions"][okey].get("score") is None:
        return []
    d = res["dimensions"][okey]
    return [Line(P("why.crosswalk", edition=Ed(other), dim=Dim(other, okey), entity=Ent(ent),
                   score=score(d["score"], f"{okey} score", cid, entity=ent, edition=other, dimension=okey),
                   rank=rank(d["rank"], f"{okey} rank", cid, entity=ent, edition=other, dimension=okey),
                   of=count(res["of"], "entities in edition", cid, edition=other),
                   shared=cw.get("shared", "—"), cite=measure_cite(res, f"{okey}.score") or ""))]
