"""gap: a difference, answered with the number first and which composite it uses (printed or
computed): between two entities, to the next rank, to the leader, or to the next tier."""
from __future__ import annotations

from ...tool_args import RANKING_MAX
from ...tools import ToolRunner
from ..frame import Frame
from . import editions, fact_pairs, tables
from .blocks import Bullets, Dim, Ed, Ent, Fallback, Join, Line, Num, P
from .baseline import published_line
from .scores import (count, edition_note, entity_tier_cite, measure_cite, rank, score, tier_cite, tier_label, tier_margin,
                     source_cite, weight)
from .vocab import asks_weight_needed


def handle(frame: Frame, tools: ToolRunner):
    if not frame.entities and frame.tier is not None and frame.aspect in ("next_tier", "threshold"):
        return Fallback("tier", "a tier's line asked with no place: the tier")  # "how many points are needed for tier 1"
    if not frame.entities:
        return Fallback("leader", "a gap with no entity: the leader's margin over the next")  # "#1 vs #2"
    if len(frame.entities) == 2 and asks_weight_needed(frame.question):
        return Fallback("sensitivity", "the weight at which one would pass the other")  # "how heavily would X have to weigh"
    if (stated := fact_pairs.between(frame, tools)) is not None:  # "深圳的高新技术企业数比广州多多少": not a score
        return stated
    eid = editions.pick(frame)
    named = {link.target for link in frame.links if link.kind == "dimension" and link.target in editions.dimension_keys(eid)}
    if len(frame.entities) == 1 and len(named) >= 2:  # "渝北区双创环境和双创成效差多少": one place's two dimensions
        return Fallback("compare", "one entity, two dimensions named: the gap between them")
    aspect = frame.aspect or ("entity" if len(frame.entities) >= 2 else "next_rank")
    out = edition_note(frame, eid)
    ent = frame.entities[0]
    if ent not in editions.members(eid):
        return Fallback("lookup", f"{ent} is not in {eid}")
    if aspect in ("next_tier", "threshold"):
        return out + _to_next_tier(frame, tools, eid, ent)
    if aspect == "top_n" and frame.n:
        return out + _to_top_n(frame, tools, eid, ent, frame.n)
    if aspect == "dimensions" and len(frame.entities) >= 2 and frame.entities[1] in editions.members(eid):
        # "did Xi'an beat Guangzhou on every dimension?": each dimension's gap, those it is behind on first
        return out + every_dimension(tools, eid, ent, frame.entities[1]) + _side_by_side(tools, eid, [ent, frame.entities[1]])
    if aspect == "sources" and len(frame.entities) >= 2 and frame.entities[1] in editions.members(eid) and \
            (lines := sources(tools, eid, ent, frame.entities[1])):
        # "苏州和无锡差距主要在哪个维度": each dimension's part of the composite gap, the largest first
        return out + lines + _side_by_side(tools, eid, [ent, frame.entities[1]])
    if aspect == "ratio" and len(frame.entities) >= 2 and frame.entities[1] in editions.members(eid):
        return out + _ratio(frame, tools, eid, ent, frame.entities[1])
    if aspect in ("entity", "ends", "sources", "ratio") and len(frame.entities) >= 2:
        ent, other = _ends(frame, tools, eid) if aspect == "ends" else (ent, frame.entities[1])
        if other not in editions.members(eid):
            return Fallback("lookup", f"{other} is not in {eid}")
        return out + between(frame, tools, eid, ent, other, "gap.between") + _side_by_side(tools, eid, [ent, other])
    if aspect == "nearest" and (near := _nearest(tools, eid, ent, frame.dimension)):  # "its closest rival"
        return out + between(frame, tools, eid, ent, near[0], "gap.to_nearest") + \
            (between(frame, tools, eid, ent, near[1], "gap.to_other_side") if near[1] else [])
    if aspect == "next_below":  # "它后面一名是谁": the place ranked right below, and its gap
        below = _next_below(tools, eid, ent, frame.dimension)
        return out + (between(frame, tools, eid, ent, below, "gap.to_next_below") if below else
                      [Line(P("gap.already_last", entity=Ent(ent), edition=Ed(eid),
                              what=Dim(eid, frame.dimension) if frame.dimension else P("compare.composite")))])
    _, ranking = tools.ok("ranking", edition=eid, top=1, **({"by": frame.dimension} if frame.dimension else {}))
    leader = (ranking or {}).get("entities", [{}])[0].get("name")
    if aspect == "leader":
        target, key = leader, "gap.to_leader"
    else:
        ecid, ex = tools.ok("explain", edition=eid, entity=ent)
        target, key = (ex or {}).get("next_rank_entity"), "gap.to_next_rank"
        if frame.dimension:  # the next rank on a dimension: the entity ranked just above
            _, rows = tools.ok("ranking", edition=eid, by=frame.dimension, top=RANKING_MAX)
            me = next((r for r in (rows or {}).get("entities", []) if r["name"] == ent), None)
            above = [r for r in (rows or {}).get("entities", []) if me and r["rank"] == (me["rank"] or 0) - 1]
            target = above[0]["name"] if above else None
    if (not target or target == ent) and aspect != "leader":
        below = _runner_up(tools, eid, ent, frame.dimension)
        if below:  # "how far ahead of the runner-up is it?" about the first: its lead over the second
            return out + between(frame, tools, eid, ent, below, "gap.to_next_rank")
    if not target or target == ent:
        what = Dim(eid, frame.dimension) if frame.dimension else P("compare.composite")
        # the first of an index that prints no one else's score (the district index's charts): no lead to give
        key = "gap.runner_up_unprinted" if aspect != "leader" and ranking and len(ranking.get("entities") or []) <= 1 and \
            ranking.get("of", 0) > 1 and not _scored_below(tools, eid, frame.dimension) else "gap.already_first"
        return out + [Line(P(key, entity=Ent(ent), edition=Ed(eid), what=what))]
    return out + between(frame, tools, eid, ent, target, key)


def _ends(frame: Frame, tools: ToolRunner, eid: str) -> tuple[str, str]:
    """The first and the last of more than two named entities (by the dimension asked, else the
    composite: "北京、上海、深圳比一比，第一比最后高多少"); the first two named when a rank is missing."""
    placed = []
    for ent in frame.entities:
        _, res = tools.ok("scores", edition=eid, entity=ent)
        where = ((res or {}).get("dimensions") or {}).get(frame.dimension, {}) if frame.dimension else (res or {})
        placed.append((where.get("rank"), ent))
    if any(r is None for r, _ in placed):
        return frame.entities[0], frame.entities[1]
    placed.sort()
    return placed[0][1], placed[-1][1]


def _to_top_n(frame: Frame, tools: ToolRunner, eid: str, ent: str, n: int) -> list:
    """How far ``ent`` is from the top ``n`` (on the dimension asked, else the composite): the gap to
    the entity in the n-th place, or where it stands when it is already inside."""
    cid, rows = tools.ok("ranking", edition=eid, top=RANKING_MAX, **({"by": frame.dimension} if frame.dimension else {}))
    ranked = (rows or {}).get("entities") or []
    me = next((r for r in ranked if r["name"] == ent), None)
    last = next((r for r in ranked if r["rank"] == n), None) or (ranked[n - 1] if len(ranked) >= n else None)
    if me is None and last is not None and len(ranked) >= n:
        # "Is Munich in the GTII top 10 for advanced manufacturing?": a field prints only its top rows
        return [Line(P("gap.outside_printed", entity=Ent(ent), edition=Ed(eid), n=count(n, "places asked", cid),
                       printed=count(len(ranked), "rows printed", cid), other=Ent(last["name"]),
                       what=Dim(eid, frame.dimension) if frame.dimension else P("compare.composite"),
                       score=score(last["score"], "score", cid, entity=last["name"], edition=eid, dimension=frame.dimension),
                       cite=source_cite(last.get("source")) or ""))]
    if me is None or last is None:
        return [Line(P("gap.failed", edition=Ed(eid)))]
    if me["rank"] <= n:
        return [Line(P("gap.inside_top", entity=Ent(ent), edition=Ed(eid), n=count(n, "places asked", cid),
                       rank=rank(me["rank"], "rank", cid, entity=ent, edition=eid),
                       what=Dim(eid, frame.dimension) if frame.dimension else P("compare.composite")))]
    return between(frame, tools, eid, ent, last["name"], "gap.to_top_n")


def _ratio(frame: Frame, tools: ToolRunner, eid: str, a: str, b: str) -> list:
    """How many times ``a``'s figure (on the dimension asked, else the composite) is ``b``'s, with both."""
    cid, g = tools.call("gap", edition=eid, entity=a, other=b, **({"by": frame.dimension} if frame.dimension else {}))
    if "error" in g or not g.get("ratio"):
        return [Line(P("gap.failed", edition=Ed(eid)))]
    ea, eb = g["entities"]
    key = "score" if frame.dimension else ("printed" if g.get("printed_gap") is not None else "computed")
    label = f"{frame.dimension} score" if frame.dimension else f"{key} composite"
    kw = {"edition": eid, **({"dimension": frame.dimension} if frame.dimension else {})}
    on = (f"{frame.dimension}.score",) if frame.dimension else ("composite",)
    cites = Join([c for c in (measure_cite(ea, *on), measure_cite(eb, *on)) if c], "sep.space")
    return [Line(P("gap.ratio", entity=Ent(a), other=Ent(b), edition=Ed(eid), ratio=Num(g["ratio"], "ratio", cid, kind="value",
                                                                                         decimals=2),
                   what=Dim(eid, frame.dimension) if frame.dimension else P("compare.composite"),
                   a=score(ea[key], label, cid, entity=a, **kw), b=score(eb[key], label, cid, entity=b, **kw),
                   gap=score(g["gap" if frame.dimension else f"{key}_gap"], "gap", cid, **kw), cites=cites))]


def _scored_below(tools: ToolRunner, eid: str, dim: str | None) -> bool:
    """Does the edition print a score for anyone below the first (on ``dim`` or the composite)?"""
    _, rows = tools.ok("ranking", edition=eid, top=2, **({"by": dim} if dim else {}))
    return sum(r.get("score") is not None for r in (rows or {}).get("entities") or []) > 1


def _next_below(tools: ToolRunner, eid: str, ent: str, dim: str | None) -> str | None:
    """The entity ranked right below ``ent`` (on ``dim`` or the composite), else ``None``."""
    _, rows = tools.ok("ranking", edition=eid, top=RANKING_MAX, **({"by": dim} if dim else {}))
    ranked = [r for r in (rows or {}).get("entities") or [] if r.get("rank") is not None]
    me = next((r for r in ranked if r["name"] == ent), None)
    return next((r["name"] for r in ranked if me and r["rank"] > me["rank"]), None)


def _nearest(tools: ToolRunner, eid: str, ent: str, dim: str | None) -> tuple[str, str | None] | None:
    """Of the places ranked right above and right below ``ent`` (on ``dim`` or the composite), the
    one nearer in score, then the other (``None`` at either end of the ranking)."""
    _, rows = tools.ok("ranking", edition=eid, top=RANKING_MAX, **({"by": dim} if dim else {}))
    ranked = [r for r in (rows or {}).get("entities") or [] if r.get("rank") is not None and r.get("score") is not None]
    at = next((i for i, r in enumerate(ranked) if r["name"] == ent), None)
    if at is None:
        return None
    sides = [r for r in (ranked[at - 1] if at > 0 else None, ranked[at + 1] if at + 1 < len(ranked) else None) if r]
    sides.sort(key=lambda r: abs(r["score"] - ranked[at]["score"]))
    return (sides[0]["name"], sides[1]["name"] if len(sides) > 1 else None) if sides else None


def _runner_up(tools: ToolRunner, eid: str, ent: str, dim: str | None) -> str | None:
    """The entity ranked second when ``ent`` ranks first (on ``dim`` or the composite), else ``None``."""
    _, rows = tools.ok("ranking", edition=eid, top=2, **({"by": dim} if dim else {}))
    ranked = (rows or {}).get("entities") or []
    return ranked[1]["name"] if len(ranked) == 2 and ranked[0]["name"] == ent else None


def between(frame: Frame, tools: ToolRunner, eid: str, a: str, b: str, key: str) -> list:
    """The gap between ``a`` and ``b``: on a dimension, or on the composite saying printed/computed."""
    cid, g = tools.call("gap", edition=eid, entity=a, other=b, **({"by": frame.dimension} if frame.dimension else {}))
    if "error" in g:
        return [Line(P("gap.failed", edition=Ed(eid)))]
    ea, eb = g["entities"]
    on = (f"{frame.dimension}.score", f"{frame.dimension}.rank") if frame.dimension else ("composite", "rank")
    cite_a, cite_b = (measure_cite(e, *on) or measure_cite(e, "composite", "rank") or "" for e in (ea, eb))
    higher = g.get("higher")
    if frame.dimension:
        if g.get("gap") is None:
            return [Line(P("gap.no_scores", edition=Ed(eid), dim=Dim(eid, frame.dimension)))]
        va = score(ea["score"], f"{frame.dimension} score", cid, entity=a, edition=eid, dimension=frame.dimension)
        vb = score(eb["score"], f"{frame.dimension} score", cid, entity=b, edition=eid, dimension=frame.dimension)
        gap = score(g["gap"], f"{frame.dimension} gap", cid, edition=eid, dimension=frame.dimension)
        basis = P("gap.basis_dim", dim=Dim(eid, frame.dimension))
        return [Line(_sentence(key, higher, a, b, gap, va, vb, basis, eid, cite_a, cite_b, g, cid))]
    want = frame.composite or ("printed" if g.get("printed_gap") is not None else "computed")
    other = "computed" if want == "printed" else "printed"
    if g.get(f"{want}_gap") is None:
        want, other = other, want
    va = score(ea[want], f"{want} composite", cid, entity=a, edition=eid)
    vb = score(eb[want], f"{want} composite", cid, entity=b, edition=eid)
    gap = score(g[f"{want}_gap"], f"{want} composite gap", cid, edition=eid)
    out = [Line(_sentence(key, higher, a, b, gap, va, vb, P(f"gap.basis_{want}"), eid, cite_a, cite_b, g, cid))]
    if g.get(f"{other}_gap") is not None and round(g[f"{other}_gap"], 2) != round(g[f"{want}_gap"], 2):
        out.append(Line(P("gap.other_basis", basis=P(f"gap.basis_{other}"),
                          gap=score(g[f"{other}_gap"], f"{other} composite gap", cid, edition=eid),
                          a=score(ea[other], f"{other} composite", cid, entity=a, edition=eid),
                          b=score(eb[other], f"{other} composite", cid, entity=b, edition=eid),
                          entity=Ent(a), other=Ent(b))))
    elif g.get(f"{other}_gap") is not None:
        out.append(Line(P("gap.same_on_both")))
    return out


def sources(tools: ToolRunner, eid: str, a: str, b: str) -> list:
    """Where the composite gap between ``a`` and ``b`` comes from: the dimension that makes most of it
    first (its score gap times its weight, in composite points), then every dimension's part; the
    widest score gap where the composite is no weighted sum. Empty when the dimension scores are missing."""
    cid, g = tools.call("gap", edition=eid, entity=a, other=b)
    rows, ahead = g.get("by_dimension") or [], g.get("higher")
    if "error" in g or not rows or ahead is None:
        return []
    behind, sign = (b, 1) if ahead == a else (a, -1)
    weighted = all(r["weight"] is not None for r in rows)
    ordered = sorted(rows, key=lambda r: -sign * (r["contribution"] if weighted else r["gap"]))
    kw = {"edition": eid}

    def parts(r: dict) -> dict:
        mine, theirs = (r["score"], r["other_score"])[::sign]
        return {"dim": Dim(eid, r["dimension"]), "ahead": Ent(ahead), "behind": Ent(behind),
                "mine": score(mine, f"{r['dimension']} score", cid, entity=ahead, dimension=r["dimension"], **kw),
                "theirs": score(theirs, f"{r['dimension']} score", cid, entity=behind, dimension=r["dimension"], **kw),
                "dgap": score(abs(r["gap"]), f"{r['dimension']} gap", cid, dimension=r["dimension"], **kw),
                **({"part": score(abs(r["contribution"]), f"{r['dimension']} part of the gap", cid,
                                  dimension=r["dimension"], **kw)} if weighted else {})}

    basis = "printed" if g.get("printed_gap") is not None else "computed"
    top = ordered[0]
    cites = dict.fromkeys(c for e in g["entities"] for c in (measure_cite(e, "composite", "rank"),
                                                             measure_cite(e, f"{top['dimension']}.score")) if c)
    lead = P("gap.sources_lead" if weighted else "gap.sources_lead_unweighted", edition=Ed(eid),
             gap=score(g[f"{basis}_gap"], f"{basis} composite gap", cid, **kw), **parts(top),
             **({"weight": weight(top["weight"], cid, eid, top["dimension"])} if weighted else {}),
             cites=Join(list(cites), "sep.space"))
    if weighted:
        items = [P("gap.sources_item" if sign * r["contribution"] >= 0 else "gap.sources_item_behind", **parts(r))
                 for r in ordered]
        head = P("gap.sources_head")
    else:
        items = [P("gap.sources_item_unweighted", who=Ent(ahead if sign * r["gap"] >= 0 else behind), **parts(r))
                 for r in ordered]
        head = P("gap.sources_head_unweighted", ahead=Ent(ahead))
    return [Line(lead), Line(head), Bullets(items)]


def every_dimension(tools: ToolRunner, eid: str, a: str, b: str) -> list:
    """Whether ``a`` is ahead of ``b`` on every dimension of ``eid``: the dimensions it is behind
    on (or level), each with both scores and the gap, then those it leads on."""
    behind, ahead, unscored, cites = [], [], [], []
    for key in editions.dimension_keys(eid):
        cid, g = tools.call("gap", edition=eid, entity=a, other=b, by=key)
        if "error" in g or g.get("gap") is None:
            unscored.append(Dim(eid, key))
            continue
        ea, eb = g["entities"]
        item = P("every_dimension.item", dim=Dim(eid, key),
                 a=score(ea["score"], f"{key} score", cid, entity=a, edition=eid, dimension=key),
                 b=score(eb["score"], f"{key} score", cid, entity=b, edition=eid, dimension=key),
                 gap=score(g["gap"], f"{key} gap", cid, edition=eid, dimension=key))
        (ahead if g.get("higher") == a else behind).append(item)
        cites += [c for c in (measure_cite(ea, f"{key}.score"), measure_cite(eb, f"{key}.score")) if c]
    if not behind and not ahead:
        return [Line(P("gap.failed", edition=Ed(eid)))]
    cites = Join(list(dict.fromkeys(cites)), "sep.space")
    if behind:
        out = [Line(P("every_dimension.behind", entity=Ent(a), other=Ent(b), edition=Ed(eid), items=Join(behind, "sep.semi"),
                      cites=cites))]
        out += [Line(P("every_dimension.also_ahead", entity=Ent(a), items=Join(ahead, "sep.semi")))] if ahead else []
    else:
        out = [Line(P("every_dimension.ahead", entity=Ent(a), other=Ent(b), edition=Ed(eid), n=str(len(ahead)),
                      items=Join(ahead, "sep.semi"), cites=cites))]
    if unscored:
        out.append(Line(P("every_dimension.unscored", edition=Ed(eid), dims=Join(unscored))))
    return out


def _sentence(key: str, higher: str | None, a: str, b: str, gap, va, vb, basis, eid: str, cite_a, cite_b, g: dict,
              cid: str) -> P:
    """The gap sentence: each side's value with its rank, the gap, which composite, the two citations."""
    ra, rb = (e.get("rank") for e in g["entities"])
    side_a = P("gap.side", value=va, rank=rank(ra, "rank", cid, entity=a, edition=eid)) if ra else va
    side_b = P("gap.side", value=vb, rank=rank(rb, "rank", cid, entity=b, edition=eid)) if rb else vb
    cites = Join([c for c in (cite_a, cite_b) if c], "sep.space")
    if higher is None:
        return P("gap.tied", entity=Ent(a), other=Ent(b), a=side_a, basis=basis, edition=Ed(eid), cites=cites)
    return P(key + ("_ahead" if higher == a else ""), entity=Ent(a), other=Ent(b), gap=gap, a=side_a, b=side_b,
             basis=basis, edition=Ed(eid), cites=cites)


def _to_next_tier(frame: Frame, tools: ToolRunner, eid: str, ent: str) -> list:
    cid, ex = tools.ok("explain", edition=eid, entity=ent)
    if not ex:
        return [Line(P("gap.failed", edition=Ed(eid)))]
    tcid, tiers = tools.ok("tiers", edition=eid)
    mine = next((t for t in (tiers or {}).get("tiers", []) if t["tier"] == ex.get("tier")), None)
    # where it stands now (its tier and the lines that print its figures), and the tiers' statement
    where = [Line(Join([ln.phrase, c], "sep.space"))] if (ln := published_line(tools, eid, ent)) and \
        (c := entity_tier_cite(tools, eid, ent)) else [ln] if ln else []
    above = ex.get("gap_to_tiers") or {}
    # a tier named above the next one ("想进第一类还差多少分" from the third class): the gap to that line
    named = str(frame.tier) in above and frame.tier != ex.get("next_tier")
    if mine and not named and (margin := tier_margin(tools, eid, ent, mine, tcid)):  # "by how much does it clear the line?"
        return [Line(margin), *where]
    if ex.get("gap_to_next_tier") is None:
        return [Line(P("gap.top_tier", entity=Ent(ent), edition=Ed(eid)))]
    number = frame.tier if named else ex["next_tier"]
    target = above.get(str(number)) or \
        {"gap": ex["gap_to_next_tier"], "threshold": ex["next_tier_threshold"], "status": ex.get("next_tier_threshold_status")}
    rule = next((t for t in (tiers or {}).get("tiers", []) if t["tier"] == number), None)
    label = tier_label(rule["label_zh"], rule["label_en"]) if rule else ""
    status = P("gap.threshold_assumed" if target["status"] == "assumed" else "gap.threshold_stated")
    # the line that states the tier's threshold, and the one that prints the entity's composite (when no
    # line below cites it already)
    _, now = tools.ok("scores", edition=eid, entity=ent)
    cites = [c for c in (tier_cite(rule, eid) if rule else "", "" if where else measure_cite(now or {}, "composite")) if c]
    return [Line(P("gap.to_next_tier", entity=Ent(ent), edition=Ed(eid), tier=label,
                   gap=score(target["gap"], "gap to tier", cid, entity=ent, edition=eid),
                   threshold=score(target["threshold"], "tier threshold", cid, decimals=0, edition=eid),
                   status=status, composite=score(ex["composite"], "computed composite", cid, entity=ent, edition=eid),
                   cites=Join(cites, "sep.space"))),
            *where]


def _side_by_side(tools: ToolRunner, eid: str, ents: list[str]) -> list:
    """After the gap, the two entities' figures as a table (what the gap is made of)."""
    cid, res = tools.ok("compare", edition=eid, entities=ents)
    rows = (res or {}).get("entities") or []
    if len(rows) < 2:
        return []
    keys = [k for k in rows[0]["dimensions"] if any(r["dimensions"][k]["score"] is not None for r in rows)]
    return tables.tables(rows, cid, eid, keys) + [tables.chart(rows, eid, keys)]
