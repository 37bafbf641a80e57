"""tier: tier or class membership. "Which cities are in tier 2" lists that tier's members
first; "which tier is X in" names the tier first; with neither, every tier of the edition.
Each tier says whether its threshold is stated by the report or derived from its members."""
from __future__ import annotations

from ...tool_args import RANKING_MAX
from ...tools import ToolRunner
from ..frame import Frame
from . import editions
from .blocks import Bullets, Ed, Ent, Fallback, Join, Line, P
from ..understand.lexicon import Words
from .entity import edition_line
from .scores import (composite, count, score, share_of_whole, edition_note, lowest_named, measure_cite, rank, ranked_row, tier_cite, tier_margin,
                     tier_name, tier_threshold)
from .vocab import rules

MAX_SCORED = 12  # members listed with their scores under a one-tier answer


def handle(frame: Frame, tools: ToolRunner):
    eid = editions.pick(frame)
    cid, res = tools.call("tiers", edition=eid)
    if "error" in res:
        return Fallback("rank", "the edition defines no tiers", {"n": frame.n or 10},
                        keep=(Line(P("tier.none_in_edition", edition=Ed(eid))),))
    tiers = res["tiers"]
    out = edition_note(frame, eid)
    if len(frame.entities) > 1 and frame.tier is None:  # "their tiers?" after the top 3: each one's, grouped first
        return out + _of_each(tools, eid, list(frame.entities), tiers, cid)
    if frame.entities and frame.tier is None:
        return out + _of_entity(tools, eid, frame.entities[0], tiers, cid) + \
            (_other_editions(tools, eid, frame.entities[0]) if frame.edition_source in (None, "default") else [])
    listed = {int(f.value) for f in frame.filters or () if f.field == "tier"}  # "tier 1 and 2"
    wanted = [t for t in tiers if t["tier"] in listed] if len(listed) > 1 else \
        [t for t in tiers if frame.tier is None or t["tier"] == frame.tier]
    if not wanted:
        return out + [Line(P("tier.no_such", edition=Ed(eid), n=count(res["count"], "tiers", cid)))]
    if len(wanted) == 1 and frame.dimension and not frame.entities:  # "第三梯队按科研人才排一下"
        return Fallback("rank", "a tier's members in the order of a dimension", {"tier": wanted[0]["tier"]})
    if len(wanted) == 1 and wanted[0]["status"] == "unnamed" and frame.tier is not None:  # "2020年有第四梯队吗"
        t, named = wanted[0], [x for x in tiers if x["status"] != "unnamed"]
        return out + [Line(P("tier.unnamed_asked", edition=Ed(eid), tier=count(frame.tier, "tier asked", cid),
                             n=count(len(named), "tiers", cid), count=count(t["count"], "members", cid),
                             kind=P(f"kind.{editions.kind(eid)}"), members=_members(t), label=tier_name(t, cid),
                             cite=tier_cite(named[-1], eid) if named else ""))]  # where the naming stops
    if len(wanted) == 1:
        t = wanted[0]
        out += _line_asked(frame.question, t, tiers, eid, cid)
        out.append(Line(P("tier.members_lead", edition=Ed(eid), label=tier_name(t, cid), n=count(t["count"], "members", cid),
                          kind=P(f"kind.{editions.kind(eid)}"), members=_members(t), threshold=tier_threshold(t, cid, eid, tiers),
                          cite=tier_cite(t, eid))))
        out += share_of_whole(frame.question, t.get("share"), res["of"], cid, eid)  # "what share of the cities are in it?"
        if t.get("stated_members") and set(t["stated_members"]) != set(t["members"]):
            out.append(Line(P("tier.stated_members", members=Join([Ent(m) for m in t["stated_members"]], "sep.list"))))
        return out + _member_scores(tools, eid, t)
    out += _largest(frame.question, wanted, eid, cid)
    named = sum(1 for t in tiers if t["status"] != "unnamed")  # "其余城市" is no tier the report names
    out.append(Line(P("tier.all_lead", edition=Ed(eid), n=count(named, "tiers", cid), top=tier_name(tiers[0], cid),
                      members=_members(tiers[0]))))
    out.append(Line(P("tier.counts", kind=P(f"kind.{editions.kind(eid)}"), items=Join(
        [P("tier.count_item", label=tier_name(t, cid), n=count(t["count"], "members", cid)) for t in wanted], "sep.semi"))))
    out.append(Bullets(P("tier.item", label=tier_name(t, cid), threshold=tier_threshold(t, cid, eid, tiers), members=_members(t),
                         cite=tier_cite(t, eid)) for t in wanted))
    named = [t for t in wanted if t["status"] != "unnamed"]
    # the tiers asked by name, or every tier when the named ones hold few: their members' figures too
    if len(listed) > 1 or sum(t["count"] for t in named) <= MAX_SCORED:
        out += _member_scores(tools, eid, {"status": "named", "count": sum(t["count"] for t in named),
                                           "members": [m for t in named for m in t["members"]]})
    return out


def _line_asked(question: str, t: dict, tiers: list[dict], eid: str, cid: str) -> list:
    """"What is the cutoff for the third tier?": the tier's line first (a tier with a line of its own)."""
    if not Words.of(rules()["tier_line_words"])(question.lower()) or t["status"] == "unnamed" or not (t.get("threshold") or 0) > 0:
        return []
    return [Line(P("tier.line_lead", edition=Ed(eid), label=tier_name(t, cid), band=tier_threshold(t, cid, eid, tiers),
                   threshold=score(t["threshold"], "tier threshold", cid, decimals=0, edition=eid), cite=tier_cite(t, eid)))]


def _largest(question: str, tiers: list[dict], eid: str, cid: str) -> list:
    """"Which tier has the most cities?": the named tier(s) with the most (or fewest) members, first."""
    low = question.lower()
    size = next((s for s in ("most", "fewest") if Words.of(rules()["tier_size"][s])(low)), None)
    named = [t for t in tiers if t["status"] != "unnamed"]
    if size is None or len(named) < 2:
        return []
    n = (max if size == "most" else min)(t["count"] for t in named)
    sized = [t for t in named if t["count"] == n]
    return [Line(P("tier.size_lead", edition=Ed(eid), kind=P(f"kind.{editions.kind(eid)}"), size=P(f"tier.size_{size}"),
                   labels=Join([tier_name(t, cid) for t in sized], "sep.list"), n=count(n, "members", cid),
                   cite=tier_cite(sized[0], eid)))]


def _member_scores(tools: ToolRunner, eid: str, t: dict) -> list:
    """"Which cities form the third tier, and their scores?": each member's composite and rank,
    where the report prints them (a named tier of a few members; the unnamed rest is a ranking)."""
    if t["status"] == "unnamed" or not 0 < t["count"] <= MAX_SCORED:
        return []
    cid, res = tools.ok("ranking", edition=eid, top=RANKING_MAX)
    rows = [e for e in (res or {}).get("entities", []) if e["name"] in t["members"] and e.get("score") is not None]
    if not rows:
        return []
    return [Line(P("tier.member_scores")), Bullets(ranked_row(e, res, cid, eid, None) for e in rows)]


def _members(t: dict):
    return Join([Ent(m) for m in t["members"]], "sep.list") if t["members"] else P("count.none")


def _of_entity(tools: ToolRunner, eid: str, ent: str, tiers: list[dict], cid: str) -> list:
    t = next((x for x in tiers if ent in x["members"]), None)
    if t is None:
        return [Line(P("tier.entity_none", entity=Ent(ent), edition=Ed(eid)))]
    scid, res = tools.ok("scores", edition=eid, entity=ent)
    comp = composite(res, scid) if res else None
    facts = ""
    if comp is not None and res.get("rank") is not None:
        facts = P("tier.entity_facts", composite=comp, rank=rank(res["rank"], "rank", scid, entity=ent, edition=eid),
                  of=count(res["of"], "entities in edition", scid, edition=eid))
    # the report's tier statement, and the line that prints the entity's figures
    cites = [c for c in (tier_cite(t, eid), measure_cite(res or {}, "composite", "tier", "rank")) if c]
    cite = Join(cites, "sep.space") if cites else ""
    if t["status"] == "unnamed":  # the last tier the report names says where naming stops ("30 分以上")
        lowest, stated = lowest_named(tiers, cid, eid)
        cites = [c for c in (stated, *cites) if c]
        return [Line(P("tier.entity_unnamed", entity=Ent(ent), edition=Ed(eid), facts=facts, lowest=lowest,
                       cite=Join(cites, "sep.space") if cites else ""))]
    others = [m for m in t["members"] if m != ent]
    return [Line(P("tier.entity_lead", entity=Ent(ent), edition=Ed(eid), label=tier_name(t, cid), threshold=tier_threshold(t, cid, eid, tiers),
                   facts=facts, cite=cite)),
            *([Line(margin)] if (margin := tier_margin(tools, eid, ent, t, cid)) else []),
            *([Line(P("tier.also", label=tier_name(t, cid), members=Join([Ent(m) for m in others], "sep.list")))] if others else [])]


def _of_each(tools: ToolRunner, eid: str, ents: list[str], tiers: list[dict], cid: str) -> list:
    """Several places' tiers: which tier holds which of them, in the tiers' order, then each one's line."""
    held = [(t, [e for e in ents if e in t["members"]]) for t in tiers]
    groups = [P("tier.group", members=Join([Ent(e) for e in members], "sep.list"), label=tier_name(t, cid)) for t, members in held if members]
    outside = [e for e in ents if not any(e in t["members"] for t in tiers)]
    groups += [P("tier.group_none", members=Join([Ent(e) for e in outside], "sep.list"))] if outside else []
    cites = [c for t, members in held if members and (c := tier_cite(t, eid))]
    return [Line(P("tier.each_lead", edition=Ed(eid), groups=Join(groups, "sep.semi"), cite=Join(cites, "sep.space") if cites else ""))] + \
        [_of_entity(tools, eid, e, tiers, cid)[0] for e in ents]


def _other_editions(tools: ToolRunner, eid: str, ent: str) -> list:
    """"深圳是第几梯队" names no edition: its tier (or none) in every other edition too."""
    cid, res = tools.ok("entity_editions", entity=ent)
    others = [e for e in (res or {}).get("editions", []) if e["edition"] != eid]
    if not others:
        return []
    return [Line(P("lookup.other_editions")), Bullets(edition_line(tools, ent, e, cid) for e in others)]
