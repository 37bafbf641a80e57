"""leader: who is first (or last) overall, on a dimension, a field or a sub-index, named in
the first sentence with the score and the printed line; the next two follow for context."""
from __future__ import annotations

from ...tools import ToolRunner
from ..frame import Frame
from . import concepts, editions, extremes, facts, filters
from .blocks import Bullets, Chart, Dim, Ed, Ent, Fallback, Join, Line, P
from .scores import count, dimensions_line, edition_note, lead_gap, measure_cite, rank, row_cite, score


def handle(frame: Frame, tools: ToolRunner):
    eid = editions.pick(frame)
    bottom = frame.direction == "bottom"
    if len(frame.entities) > 1:
        return Fallback("compare", "several entities named: which of them leads")
    if frame.indicator and not frame.dimension and not frame.entities:
        return facts.leader_answer(frame, tools, bottom)
    asserted = frame.filters and any(p.kind == "leader" for p in frame.premises)  # "Shenzhen, the best Chinese city"
    if frame.entities and not frame.dimension and not asserted:
        return _own_dimension(frame, tools, eid, frame.entities[0], bottom)
    if frame.aspect in EVERY_DIMENSION and not frame.dimension:
        return _every_dimension(frame, tools, eid)
    if frame.filters or frame.tier and editions.has_tiers(eid):  # "第三梯队垫底的是谁": among that tier's members
        return _among(frame, tools, eid, bottom)
    args = {"edition": eid, "top": 3, "bottom": bottom, **({"by": frame.dimension} if frame.dimension else {})}
    cid, res = tools.ok("ranking", **args)
    rows = (res or {}).get("entities", [])
    end = (res or {}).get("of") if bottom else 1
    if not rows or rows[0].get("score") is None or rows[0].get("rank") != end:
        # the end of the ranking is not printed (only some ranks are): the report's statement names it
        return extremes.statement(frame, eid, bottom)
    lead = rows[0]
    by = Dim(eid, frame.dimension) if frame.dimension else P("compare.composite")
    c = row_cite(tools, eid, lead)
    tied = [r for r in rows if r["rank"] == lead["rank"] and r is not lead]
    out = edition_note(frame, eid)
    out.append(Line(P("leader.last" if bottom else "leader.first", entity=Ent(lead["name"]), by=by, edition=Ed(eid),
                      score=score(lead["score"], f"{res['by']} score", cid, entity=lead["name"], edition=eid,
                                  dimension=frame.dimension),
                      of=count(res["of"], "entities in edition", cid, edition=eid),
                      rank=rank(lead["rank"], "rank", cid, entity=lead["name"], edition=eid, dimension=frame.dimension),
                      cite=c)))
    if tied:
        out.append(Line(P("leader.tied", names=Join([Ent(r["name"]) for r in tied], "sep.list"))))
    rest = [r for r in rows[1:] if r not in tied and r.get("score") is not None]
    ahead, behind = (rest[0]["name"], lead["name"]) if bottom else (lead["name"], rest[0]["name"] if rest else None)
    margin = lead_gap(tools, eid, ahead, behind, frame.dimension) if rest and not tied else None
    if margin:  # "and by how much over #2?": the lead (or the last place's shortfall) in points
        out.append(Line(P("leader.margin_last" if bottom else "leader.margin", entity=Ent(lead["name"]),
                          other=Ent(rest[0]["name"]), gap=margin)))
    if rest:
        out.append(Line(P("leader.next", items=Join([P("compare.item", entity=Ent(r["name"]),
                                                        score=score(r["score"], f"{res['by']} score", cid, entity=r["name"],
                                                                    edition=eid, dimension=frame.dimension))
                                                      for r in rest], "sep.list"))))
    if frame.entities and frame.entities[0] != lead["name"] and frame.dimension:
        out += _named(tools, eid, frame.entities[0], frame.dimension)  # "第一是深圳吗": where Shenzhen is
    values = tuple(r["score"] for r in rows if r.get("score") is not None)
    out.append(Chart("ranking", P("rank.chart_title", edition=Ed(eid), by=by),
                     tuple(Ent(r["name"]) for r in rows if r.get("score") is not None), ((by, values),)))
    return out


EVERY_DIMENSION = ("every_dimension", "every_dimension_ends")  # the first (or last) / both ends on each dimension


def _every_dimension(frame: Frame, tools: ToolRunner, eid: str):
    """"各维度第一名分别是谁", "每项最高和最低的区县": each dimension's first (or last; both with
    ``every_dimension_ends``) with its score and line. A dimension the report ranks only in charts
    is answered by its reviewed statement of the highest and lowest."""
    ends = (False, True) if frame.aspect == "every_dimension_ends" else (frame.direction == "bottom",)
    items, stated = [], []
    for key in editions.dimension_keys(eid):
        found = [_end(tools, eid, key, bottom) for bottom in ends]
        if all(found):
            items += [P("leader_ops.each_item", dim=Dim(eid, key), entity=Ent(row["name"]),
                        score=score(row["score"], f"{key} score", cid, entity=row["name"], edition=eid, dimension=key),
                        rank=rank(row["rank"], f"{key} rank", cid, entity=row["name"], edition=eid, dimension=key),
                        cite=row_cite(tools, eid, row)) for cid, row in found]
        else:  # an end the report does not print in a ranking: its statement names both
            stated += [x for bottom in ends for x in _statement(frame, tools, eid, key, bottom) if x not in stated]
    if not items and not stated:
        return Fallback("rank", "no dimension's end is printed or stated")
    out = edition_note(frame, eid)
    out.append(Line(P("leader_ops.each_head", edition=Ed(eid),
                      end=P("leader_ops.end_both" if len(ends) == 2 else
                            "leader_ops.end_bottom" if ends[0] else "leader_ops.end_top"))))
    return out + ([Bullets(items)] if items else []) + stated


def _end(tools: ToolRunner, eid: str, key: str, bottom: bool) -> tuple[str, dict] | None:
    """(call id, row) of a dimension's first (last) place when the ranking prints it, else ``None``."""
    cid, res = tools.ok("ranking", edition=eid, top=1, bottom=bottom, by=key)
    rows = (res or {}).get("entities", [])
    printed = rows and rows[0].get("score") is not None and rows[0].get("rank") == ((res or {}).get("of") if bottom else 1)
    return (cid, rows[0]) if printed else None


def _statement(frame: Frame, tools: ToolRunner, eid: str, key: str, bottom: bool) -> list:
    """The reviewed statement that names a dimension's highest (lowest) place, as one line."""
    _, res = tools.ok("concept", topic=extremes.topic(eid, key, bottom), question=frame.question, edition=eid,
                      aspect=extremes.aspect(bottom))
    return concepts.blocks(res, frame.language, None)[:1] if (res or {}).get("concept") and concepts.states(res) else []


def _named(tools: ToolRunner, eid: str, ent: str, key: str) -> list:
    """The place the question named beside the leader ("is Shenzhen first on output?"): its own
    rank and score on that dimension."""
    cid, res = tools.ok("scores", edition=eid, entity=ent)
    d = ((res or {}).get("dimensions") or {}).get(key) or {}
    if d.get("rank") is None or d.get("score") is None:
        return []
    return [Line(P("leader.named", entity=Ent(ent), dim=Dim(eid, key),
                   rank=rank(d["rank"], f"{key} rank", cid, entity=ent, edition=eid, dimension=key),
                   score=score(d["score"], f"{key} score", cid, entity=ent, edition=eid, dimension=key),
                   cite=measure_cite(res, f"{key}.score", f"{key}.rank") or ""))]


def _own_dimension(frame: Frame, tools: ToolRunner, eid: str, ent: str, bottom: bool):
    """"Which dimension is it weakest on?": the entity's own dimensions by rank, the asked end first."""
    cid, res = tools.ok("scores", edition=eid, entity=ent)
    dims = [(k, d) for k, d in ((res or {}).get("dimensions") or {}).items() if d.get("rank") is not None]
    if not dims:
        return Fallback("lookup", "no ranked dimensions: the entity's figures", {"aspect": "overview"})
    dims.sort(key=lambda kd: kd[1]["rank"], reverse=bottom)
    key, d = dims[0]
    out = edition_note(frame, eid)
    out.append(Line(P("leader.own_weakest" if bottom else "leader.own_strongest", entity=Ent(ent), edition=Ed(eid),
                      dim=Dim(eid, key),
                      score=score(d["score"], f"{key} score", cid, entity=ent, edition=eid, dimension=key)
                      if d.get("score") is not None else "",
                      rank=rank(d["rank"], f"{key} rank", cid, entity=ent, edition=eid, dimension=key),
                      of=count(res["of"], "entities in edition", cid, edition=eid),
                      cite=measure_cite(res, f"{key}.score", f"{key}.rank") or "")))
    line = dimensions_line(res, cid, eid, skip=key)
    if line:
        out.append(Line(line))
    return out


def _among(frame: Frame, tools: ToolRunner, eid: str, bottom: bool):
    """"Which Chinese city ranks highest in GTII?": the first (or last) by composite among the
    entities the filters keep, then the next two of them."""
    args, said = filters.of(frame)
    if not args:
        return Fallback("rank", "filters the tools cannot apply")
    by = {"by": frame.dimension} if frame.dimension else {}  # "生物技术领域中国城市谁最强": on that field
    cid, res = tools.call("count", edition=eid, **args, **by)
    kept = (res or {}).get("members", [])
    said = said + filters.tier_said(tools, eid, args)
    members = sorted((m for m in kept if m.get("rank") is not None), key=lambda m: m["rank"], reverse=bottom)
    if kept and not members and editions.has_tiers(eid):  # "除了渝北区，哪个区县最高": only classes are printed
        return Fallback("tier", "those kept are placed only by class: the classes say who stands highest", {"filters": None})
    if "error" in res or not members:
        return Fallback("count", "no ranked entity passes the filters: who passes")
    unranked = [m["name"] for m in kept if m.get("rank") is None] if bottom else []
    lead, rest = members[0], members[1:3]
    # the line that prints its figure, then the one that puts it among those kept (a country's list)
    _, own = tools.ok("scores", edition=eid, entity=lead["name"])
    on = (f"{frame.dimension}.score", f"{frame.dimension}.rank") if by else ("composite", "rank")
    c = Join(list(dict.fromkeys(x for x in (measure_cite(own or {}, *on), row_cite(tools, eid, lead)) if x)), "sep.space")
    out = edition_note(frame, eid)
    value = (lambda m: m["score"]) if by else (lambda m: m["composite"])  # noqa: E731
    key = ("leader.last_among" if bottom else "leader.first_among") if not by else \
        ("leader_ops.last_among_by" if bottom else "leader_ops.first_among_by")
    if unranked and not by:  # the last of them is unknown when the report ranks only some: the last it ranks
        key = "leader.last_ranked_among"
    out.append(Line(P(key, entity=Ent(lead["name"]), edition=Ed(eid), filter=Join(said, "sep.list"),
                      kind=P(f"kind.{editions.kind(eid)}"), **({"by": Dim(eid, frame.dimension)} if by else {}),
                      score=score(value(lead), f"{frame.dimension or 'composite'} score", cid, entity=lead["name"], edition=eid),
                      rank=rank(lead["rank"], "rank", cid, entity=lead["name"], edition=eid),
                      of=count(res["pool"], "entities in edition", cid, edition=eid), cite=c,
                      n=count(len(kept), "entities kept", cid, edition=eid),
                      ranked=count(len(members), "entities ranked", cid, edition=eid))))
    if unranked:
        out.append(Line(P("leader.unranked_rest", names=Join([Ent(n) for n in unranked], "sep.list"))))
    if rest:
        out.append(Line(P("leader.next", items=Join([P("compare.item", entity=Ent(r["name"]),
                                                        score=score(value(r), f"{frame.dimension or 'composite'} score", cid,
                                                                    entity=r["name"], edition=eid))
                                                      for r in rest], "sep.list"))))
    return out
