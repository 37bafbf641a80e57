"""compare: any number of entities side by side in one edition; the first sentence says who
leads (on the dimension asked, else the composite). Up to 8 entities are columns of one table
with a grouped-bar chart; more are rows, in pages of 8, with a sorted-bar chart."""
from __future__ import annotations

from ...tools import ToolRunner
from ..frame import Frame
from . import editions, fact_pairs, tables
from .blocks import Bullets, Cite, Dim, Ed, Ent, Fallback, Join, Line, P, Warn
from .entity import edition_line
from .scores import count, edition_note, lead_gap, score, table_cites, tier_label


def handle(frame: Frame, tools: ToolRunner):
    if len(frame.entities) == 1 and len(_named_dimensions(frame)) >= 2:
        return _own_dimensions(frame, tools, editions.pick(frame), frame.entities[0])
    if len(frame.entities) < 2:
        return Fallback("lookup", "one entity: its own figures")
    if (stated := fact_pairs.between(frame, tools)) is not None:  # a raw indicator the reports state, not a score
        return stated
    eids = list(dict.fromkeys(frame.editions))
    if frame.edition_source in ("explicit", "year") and len(eids) > 1:
        # "compare them in 2019 and 2020": the comparison in each edition named, newest first
        out: list = []
        for eid in editions.newest_first(eids):
            one = _in_edition(frame, tools, eid)
            if isinstance(one, Fallback):
                continue
            out += [Line(P("method.edition_head", edition=Ed(eid))), *one]
        return out or _in_edition(frame, tools, eids[0])
    return _in_edition(frame, tools, editions.pick(frame))


def _in_edition(frame: Frame, tools: ToolRunner, eid: str):
    note = edition_note(frame, eid)
    out = list(note)
    members = editions.members(eid)
    crossed = {p.other for p in frame.premises if p.kind == "cross_index"}  # said by the premise check already
    for m in (e for e in frame.entities if e not in members and e not in crossed):
        # a district compared with a city: the index that ranks it, and that the two do not compare
        other = [e for e in editions.editions_with(m) if editions.kind(e) != editions.kind(eid)]
        line = P("compare.missing_elsewhere", entity=Ent(m), edition=Ed(eid), kind=P(f"kind.{editions.kind(other[0])}"),
                 editions=Join([Ed(e) for e in other], "sep.list")) if other else P("compare.missing", entity=Ent(m), edition=Ed(eid))
        out += [Line(line), Warn(f"{m} is not in {eid}")]
        if other:  # where it stands in its own index ("渝中区跟重庆市各自排第几": 渝中区 is in class 2 there)
            ecid, res = tools.ok("entity_editions", entity=m)
            out.append(Bullets(edition_line(tools, m, e, ecid) for e in (res or {}).get("editions", []) if e["edition"] in other))
    ents = [e for e in frame.entities if e in members]
    if len(ents) < 2:
        # the lookup that answers says which edition itself
        return Fallback("lookup", "fewer than two entities in the edition", {"entities": tuple(ents)}, keep=tuple(out[len(note):]))
    cid, res = tools.call("compare", edition=eid, entities=ents)
    if "error" in res:
        return out + [Line(P("compare.failed", edition=Ed(eid))), Warn(res["error"]["message"])]
    rows = res["entities"]
    keys = [k for k in rows[0]["dimensions"] if any(r["dimensions"][k]["score"] is not None for r in rows)]
    dim = frame.dimension if frame.dimension in keys else None
    value = (lambda r: r["dimensions"][dim]["score"]) if dim else tables.composite_value  # noqa: E731
    if not any(value(r) is not None for r in rows) and (not keys or all(r.get("tier") for r in rows)):
        return out + _by_class(rows, eid, tools)  # scores only in charts: the classes the report states
    out.append(Line(_lead(rows, cid, eid, dim, tools, frame.direction)))
    out += tables.tables(rows, cid, eid, keys)
    leaders = res.get("leader_by_dimension") or {}
    # a dimension leads only where every one of them has a score (Munich has none to lose on)
    led = [k for k in keys if k in leaders and all(r["dimensions"][k]["score"] is not None for r in rows)]
    if led and len(rows) <= tables.PAGE:
        out.append(Line(P("compare.leaders", items=Join([P("compare.leader_item", dim=Dim(eid, k), entity=Ent(leaders[k]))
                                                          for k in led], "sep.semi"))))
    # the lines that print what the question compares on first (the field's / dimension's own rows when
    # one is asked), each table its own citation, then those of the composite the table shows beside it
    groups = ([(f"{dim}.score",)] if dim else []) + [("composite", f"{keys[0]}.score" if keys else "rank")]
    cites = [c for measures in groups
             for c in table_cites([s for s in ((r.get("sources") or {}).get(m) for r in rows for m in measures) if s])]
    if cites:
        out.append(Line(P("compare.sources", cites=Join(cites, "sep.space"))))
    out.append(tables.chart(rows, eid, keys))
    return out


def _lead(rows: list[dict], cid: str, eid: str, dim: str | None, tools: ToolRunner, direction: str | None = None) -> P:
    """The first sentence: who is ahead (of two) or who leads and who is last (of more), by how
    much the first is ahead of the second, then every value."""
    if dim:
        val = lambda r: r["dimensions"][dim]["score"]  # noqa: E731
    else:
        val = tables.composite_value
    known = sorted((r for r in rows if val(r) is not None), key=lambda r: -val(r))
    if not known:
        return P("compare.no_scores", edition=Ed(eid))
    unscored = [r for r in rows if val(r) is None]
    if len(known) == 1 and not dim and unscored and all((r.get("tier") or 0) > (known[0].get("tier") or 99) for r in unscored):
        # the others' scores were only in charts, but their class is lower (Chongqing districts)
        top = known[0]
        return P("compare.lead_by_class", leader=Ent(top["name"]), what=P("compare.composite"),
                 score=score(val(top), "composite score", cid, entity=top["name"], edition=eid),
                 others=Join([Ent(r["name"]) for r in unscored], "sep.list"))
    if len(known) == 1:  # "Xi'an and Munich in the GTII": the report prints only one of them
        return _one_scored(known[0], unscored, val, cid, eid, dim, tools)
    items = Join([P("compare.item", entity=Ent(r["name"]), score=score(val(r), f"{dim or 'composite'} score", cid,
                                                                       entity=r["name"], edition=eid, dimension=dim))
                  for r in known], "sep.list")
    what = Dim(eid, dim) if dim else P("compare.composite")
    gap = lead_gap(tools, eid, known[0]["name"], known[1]["name"], dim) if len(known) >= 2 else None
    low = "_low" if direction == "bottom" else ""  # "谁低": the lower one first
    if len(known) == 2:
        return P(("compare.lead_two_gap" if gap else "compare.lead_two") + low, higher=Ent(known[0]["name"]),
                 lower=Ent(known[1]["name"]), what=what, items=items, gap=gap)
    return P(("compare.lead_many_gap" if gap else "compare.lead_many") + low, leader=Ent(known[0]["name"]),
             second=Ent(known[1]["name"]), last=Ent(known[-1]["name"]), what=what, items=items, gap=gap)


def _by_class(rows: list[dict], eid: str, tools: ToolRunner) -> list:
    """No scores printed (Chongqing districts outside the top one): the classes the report states,
    cited, decide who is ahead when they differ."""
    if not all(r.get("tier") and r.get("tier_label") for r in rows):
        return [Line(P("compare.no_scores", edition=Ed(eid)))]
    _, tiers = tools.ok("tiers", edition=eid)
    sources = {t["tier"]: t.get("source") or {} for t in (tiers or {}).get("tiers", [])}

    def item(r: dict) -> P:
        src = sources.get(r["tier"]) or {}
        cite = Cite(src["file"], int(src["line"]), int(src["line"]) + 4, needles=(r["name"][:2],)) if src.get("file") else ""
        return P("compare.class_item", entity=Ent(r["name"]), label=tier_label(r["tier_label"], r["tier_label_en"]), cite=cite)

    items = Join([item(r) for r in sorted(rows, key=lambda r: r["tier"])], "sep.semi")
    best = min(r["tier"] for r in rows)
    leaders = [r for r in rows if r["tier"] == best]
    if len(leaders) == len(rows):
        return [Line(P("compare.same_class", edition=Ed(eid), items=items)), Warn("compare: classes only")]
    return [Line(P("compare.ahead_by_class", edition=Ed(eid), leader=Join([Ent(r["name"]) for r in leaders], "sep.list"),
                   items=items)), Warn("compare: classes only")]


def _one_scored(top: dict, unscored: list[dict], val, cid: str, eid: str, dim: str | None, tools: ToolRunner) -> P:
    """One of them has a printed score. When the report prints a complete top list (ranks 1..k of
    more), the others, missing from it, rank below it; otherwise they can't be set against it."""
    what = Dim(eid, dim) if dim else P("compare.composite")
    value = score(val(top), f"{dim or 'composite'} score", cid, entity=top["name"], edition=eid, dimension=dim)
    others = Join([Ent(r["name"]) for r in unscored], "sep.list")
    rid, ranking = tools.ok("ranking", edition=eid, top=len(editions.members(eid)), **({"by": dim} if dim else {}))
    ranks = [e.get("rank") for e in (ranking or {}).get("entities", [])]
    if ranks and ranks == list(range(1, len(ranks) + 1)) and len(ranks) < (ranking or {}).get("of", 0):
        return P("compare.one_listed", edition=Ed(eid), entity=Ent(top["name"]), what=what, score=value, others=others,
                 k=count(len(ranks), "printed top list", rid, edition=eid))
    return P("compare.one_scored", edition=Ed(eid), entity=Ent(top["name"]), what=what, score=value, others=others)


def _named_dimensions(frame: Frame) -> list[str]:
    """The dimensions the question names (linked in the frame's edition), in the order named."""
    return list(dict.fromkeys(link.target for link in frame.links if link.kind == "dimension" and link.target))


def _own_dimensions(frame: Frame, tools: ToolRunner, eid: str, ent: str):
    """"Is Yubei stronger on vitality or on environment?": the named dimensions of one entity, the
    higher first."""
    cid, res = tools.ok("scores", edition=eid, entity=ent)
    dims = (res or {}).get("dimensions") or {}
    known = sorted(((k, dims[k]["score"]) for k in _named_dimensions(frame) if (dims.get(k) or {}).get("score") is not None),
                   key=lambda kv: -kv[1])
    if len(known) < 2:
        return Fallback("lookup", "one entity: its own figures")
    items = Join([P("compare.item", entity=Dim(eid, k), score=score(v, f"{k} score", cid, entity=ent, edition=eid, dimension=k))
                  for k, v in known], "sep.list")
    out = edition_note(frame, eid) + [Line(P("compare.own_dimensions", entity=Ent(ent), edition=Ed(eid),
                                             higher=Dim(eid, known[0][0]), items=items))]
    (high, _), (low, _) = known[0], known[-1]
    gid, g = tools.ok("gap", edition=eid, entity=ent, other=ent, by=high, other_by=low)
    if (g or {}).get("gap"):  # "跟它的双创成效比差多少": by how much, from the gap tool
        out.append(Line(P("compare.own_gap", higher=Dim(eid, high), lower=Dim(eid, low),
                          gap=score(g["gap"], "dimension gap", gid, entity=ent, edition=eid))))
    return out
