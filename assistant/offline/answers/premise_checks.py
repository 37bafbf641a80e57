"""Checks of the premises ``premises.py`` leaves to this module: a band of places
("ranked in the 20s", "倒数五名里"), what a count comes to ("只有6个"), and a city set against
one of its districts (two indices, not one ranking), the share a dimension weighs ("权重也是35%吧"), and a
dimension of another edition ("2020年的创新基础"). Like every premise check, a false one
says so first, with the true figure and its citation; every figure comes from a tool result.
"""
from __future__ import annotations

from ...tool_args import RANKING_MAX
from ...tools import ToolRunner
from ..frame import Frame, Premise
from . import editions, filters
from .blocks import Cite, Dim, Ed, Ent, Join, Line, P, Warn
from .facts import claim, has_word, match, value_phrase
from .scores import composite, count, measure_cite, rank, score, source_cite, table_cites, tier_cite, tier_label, weight
from .vocab import rules

KINDS = ("rank_range", "tally", "cross_index", "weight", "indicator_value", "tier_first", "tier_last")


def position(tools: ToolRunner, eid: str, entity: str, dimension: str | None):
    """(call id, scores result, rank, score, cite) of the entity on the composite or a dimension."""
    cid, res = tools.ok("scores", edition=eid, entity=entity)
    if not res:
        return cid, None, None, None, None
    if dimension and dimension in res["dimensions"]:
        d = res["dimensions"][dimension]
        return cid, res, d.get("rank"), d.get("score"), measure_cite(res, f"{dimension}.score", f"{dimension}.rank")
    return cid, res, res.get("rank"), None, measure_cite(res, "composite", "rank")


def standing_phrase(cid: str, res: dict, eid: str, r, s, dimension: str | None) -> P:
    """"ranks 6 of 36, with a composite of 35.84" (or the dimension's score)."""
    ent = res["name"]
    rk = rank(r, "rank", cid, entity=ent, edition=eid, dimension=dimension)
    of = count(res["of"], "entities in edition", cid, edition=eid)
    if dimension and s is not None:
        return P("premise.standing_dim", rank=rk, of=of, score=score(s, f"{dimension} score", cid, entity=ent, edition=eid,
                                                                      dimension=dimension))
    comp = composite(res, cid)
    return P("premise.standing", rank=rk, of=of, composite=comp if comp is not None else "")


def check(frame: Frame, p: Premise, tools: ToolRunner, eid: str) -> list:
    if p.kind == "tally":
        return _tally(frame, p, tools, eid)
    if p.kind == "cross_index":
        return _cross_index(p, tools)
    if p.kind == "weight":
        return _weight(p, tools, eid)
    if p.kind == "indicator_value":
        return _indicator_value(p, tools)
    if p.kind in ("tier_first", "tier_last"):
        return _tier_end(p, tools, eid)
    return _rank_range(p, tools, eid)


def _tier_end(p: Premise, tools: ToolRunner, eid: str) -> list:
    """"深圳为什么是第二梯队里最低的": where the place stands among its tier's members, by rank. Whether it is
    in that tier at all is the tier premise the same words assert, checked on its own."""
    _, tiers = tools.ok("tiers", edition=eid)
    rule = next((t for t in (tiers or {}).get("tiers", []) if t["tier"] == p.value and t["status"] != "unnamed"), None)
    if rule is None or p.entity not in rule["members"]:
        return []
    label, cite = tier_label(rule["label_zh"], rule["label_en"]), tier_cite(rule, eid)
    if len(rule["members"]) == 1:  # "渝北区为什么是第一类里最低的": alone there, so both
        return [Line(P("premise.tier_end_alone", entity=Ent(p.entity), edition=Ed(eid), tier=label, cite=cite))]
    cid, res = tools.ok("ranking", edition=eid, top=RANKING_MAX)
    ranked = [r for r in (res or {}).get("entities", []) if r["name"] in rule["members"] and r.get("rank")]
    me = next((r for r in ranked if r["name"] == p.entity), None)
    if me is None or len(ranked) < len(rule["members"]) and me["rank"] != 1:
        return []  # members the report ranks only in charts: no order to check against
    end = ranked[-1] if p.kind == "tier_last" else ranked[0]
    if me["rank"] == 1 and p.kind == "tier_last":
        end = ranked[-1] if len(ranked) > 1 else None
    side = p.kind.split("_")[1]

    def standing(r: dict) -> P:  # the printed composite where the recomputed one differs (it is the line cited)
        value = (r.get("discrepancy") or {}).get("published", r.get("score"))
        return P("premise.side", value=score(value, "composite", cid, entity=r["name"], edition=eid) if value is not None
                 else "", rank=rank(r["rank"], "rank", cid, entity=r["name"], edition=eid))
    kw = dict(entity=Ent(p.entity), edition=Ed(eid), tier=label, n=count(len(rule["members"]), "tier members", cid, edition=eid),
              standing=standing(me), cite=source_cite(me.get("source")) or cite)
    if end is not None and end["name"] == p.entity:
        return [Line(P(f"premise.tier_{side}_true", **kw))]
    holder = P("premise.tier_end_holder", entity=Ent(end["name"]), standing=standing(end)) if end is not None else \
        P("premise.tier_end_unranked")
    return [Line(P(f"premise.tier_{side}_false", holder=holder, **kw)), Warn(f"false premise: {p.kind}")]


def _indicator_value(p: Premise, tools: ToolRunner) -> list:
    """"Beijing had only 38 state key labs": the value the report states for the place's indicator (the
    year asked about is not known here: the latest stated first), against the question's figure, to the
    precision the question gives it ("6%" holds for 5.64%: it is said so, with the exact figure)."""
    cid, res = tools.ok("facts", entity=p.entity)
    rows = match((res or {}).get("facts", []), p.indicator or "")
    if not rows or p.value is None:
        return []
    r = max(rows, key=lambda x: x.get("year") or 0)
    places = len(str(p.value).split(".")[1].rstrip("0")) if "." in str(p.value) else 0
    held = abs(float(r["value"]) - float(p.value)) <= 0.5 * 10 ** -places + 1e-9
    line = P("premise_more.indicator_value_true" if held else "premise_more.indicator_value_false", entity=Ent(p.entity),
             item=value_phrase(r, cid, p.entity))
    return [Line(line)] if held else [Line(line), Warn("false premise: indicator value")]


def within(band: str, place: int, of: int) -> bool | None:
    """Is ``place`` (1 = first, of ``of``) inside ``band`` ("20-29", "21-" past the 20th, "b5" the bottom 5,
    "h+" / "h-" the top / bottom half, "r2" second from the bottom)?"""
    try:
        if band in ("h+", "h-"):
            return (place <= of / 2) == (band == "h+")
        if band.startswith("r"):
            return place == of - int(band[1:]) + 1
        if band.startswith("b"):
            return place > of - int(band[1:])
        lo, _, hi = band.partition("-")
        return int(lo) <= place <= (int(hi) if hi else of)
    except ValueError:
        return None


def _rank_range(p: Premise, tools: ToolRunner, eid: str) -> list:
    entity = p.entity
    if entity is None or entity not in editions.members(eid):
        return []
    cid, res, r, s, cite = position(tools, eid, entity, p.dimension)
    if res is None or r is None:
        return []
    inside = within(str(p.value), int(r), int(res["of"]))
    if inside is None:
        return []
    where = Ed(eid) if not p.dimension else P("premise.where_dim", edition=Ed(eid), dim=Dim(eid, p.dimension))
    kw = dict(entity=Ent(entity), where=where, standing=standing_phrase(cid, res, eid, r, s, p.dimension), cite=cite or "")
    if inside:
        return [Line(P("premise.confirmed", **kw))]
    return [Line(P("premise_more.range_false", **kw)), Warn("false premise: rank range")]


def _tally(frame: Frame, p: Premise, tools: ToolRunner, eid: str) -> list:
    """"前15名里中国城市只有6个": the count tool's answer to the question's own filter, against the number it gives."""
    args, said = filters.of(frame)
    if not args and frame.operation not in ("coverage", "count"):
        return []  # "GTII looked at 50 cities, correct?": with no filter, how many the edition covers
    call = {"edition": eid, **args, **({"top": frame.n} if frame.n else {}),
            **({"by": frame.dimension} if frame.dimension else {})}
    cid, res = tools.ok("count", **call)
    if not res:
        return []
    scope = P("count.scope_top", n=count(frame.n, "top N", cid), edition=Ed(eid)) if frame.n else P("count.scope_all", edition=Ed(eid))
    cites = table_cites([m["source"] for m in res["members"] if m.get("source")])
    kw = dict(scope=scope, filter=Join(said, "sep.list") if said else P("count.any"), kind=P(f"kind.{editions.kind(eid)}"),
              n=count(res["count"], "count", cid, edition=eid), cites=Join(cites[:2], "sep.space") if cites else "")
    if int(p.value) == res["count"]:  # type: ignore[arg-type]
        return [Line(P("premise_more.tally_true", **kw))]
    # the number asked is not restated: no tool result holds it
    return [Line(P("premise_more.tally_false", **kw)), Warn("false premise: tally")]


def _weights(tools: ToolRunner, eid: str) -> tuple[str, dict[str, dict]]:
    """(call id, dimension key -> its methodology row) of a weighted edition."""
    cid, m = tools.ok("methodology", edition=eid)
    return cid, {d["key"]: d for d in (m or {}).get("dimensions", []) if d.get("weight") is not None}


def _weight(p: Premise, tools: ToolRunner, eid: str) -> list:
    """"硬科技投入权重也是35%吧": the weight the spec gives, and, when the share said is not it, the
    dimension of another edition that does weigh that much (the "也" of the question)."""
    cid, dims = _weights(tools, eid)
    d = dims.get(p.dimension or "")
    if d is None:
        return []
    src = d.get("source") or {}
    kw = dict(edition=Ed(eid), dim=Dim(eid, d["key"]), weight=weight(d["weight"], cid, eid, d["key"]),
              cite=Cite(src["file"], int(src["line"])) if src.get("file") and src.get("line") else "")
    if abs(d["weight"] * 100 - float(p.value)) < 0.5:  # type: ignore[arg-type]
        return [Line(P("premise_more.weight_true", **kw))]
    elsewhere = ""
    for other in editions.weighted_editions():
        ocid, odims = _weights(tools, other) if other != eid else (None, {})
        same = [x for x in odims.values() if abs(x["weight"] * 100 - float(p.value)) < 0.5]  # type: ignore[arg-type]
        # the like-named dimension first (创新环境 for 科技创新环境), when several weigh that much
        hit = max(same, key=lambda x: x["zh"][-2:] == d["zh"][-2:], default=None)
        if hit:
            elsewhere = P("premise_more.weight_elsewhere", edition=Ed(other), dim=Dim(other, hit["key"]), weight=weight(hit["weight"], ocid, other, hit["key"]))
            break
    return [Line(P("premise_more.weight_false", elsewhere=elsewhere, **kw)), Warn("false premise: weight")]


def _cross_index(p: Premise, tools: ToolRunner) -> list:
    """"重庆市和渝北区哪个分高": the city in its newest city edition, the district in its index;
    two indices with their own indicators and scales, so the scores are not compared."""
    city, district = p.entity, p.other
    if not city or not district:
        return []
    sides = []
    for name in (city, district):
        having = editions.newest_first(editions.editions_with(name))
        if not having:
            return []
        eid = having[0]
        cid, res, r, _, cite = position(tools, eid, name, None)
        if res is None:
            return []
        comp = composite(res, cid)
        at = rank(r, "rank", cid, entity=name, edition=eid) if r is not None else P("premise_more.unranked")
        sides.append(P("premise_more.cross_side", entity=Ent(name), edition=Ed(eid), composite=comp if comp is not None else
                       P("premise_more.no_composite"), rank=at, cite=cite or ""))
    return [Line(P("premise_more.cross_index", city=Ent(city), district=Ent(district), sides=Join(sides, "sep.semi"))),
            Warn("false premise: a city against its district")]


def last_holder(tools: ToolRunner, eid: str, dim: str | None, of: int):
    """"; last is Lhasa (2.56)": who holds the last place (``of``, the edition's size) the question
    gave someone else; nobody when the report prints only the leading places (a GTII field's top 10)."""
    cid, res = tools.ok("ranking", edition=eid, top=1, bottom=True, **({"by": dim} if dim else {}))
    row = next(iter((res or {}).get("entities", [])), None)
    if row is None or row.get("score") is None or row.get("rank") != of:
        return ""
    src = row.get("source") or {}
    cite = source_cite(src) or ""
    return P("premise_more.last_holder", entity=Ent(row["name"]), rank=rank(of, "rank", cid, entity=row["name"], edition=eid),
             score=score(row["score"], "score", cid, entity=row["name"], edition=eid, dimension=dim), cite=cite)


def quarter_move(frame: Frame, p: Premise, entity: str, eid: str, tools: ToolRunner) -> list:
    """A rise or fall of a quarterly index's composite, checked against the report's own statement
    of the change from the previous quarter (the composite's, not a sub-index's)."""
    cue = rules()["change"]
    labels = [editions.dimension_label(eid, k, "zh") for k in editions.dimension_keys(eid)]
    cid, res = tools.ok("facts", edition=eid, entity=entity)
    said = [r for r in (res or {}).get("facts", []) if has_word(r["indicator_zh"], cue["previous_period"])
            and not has_word(claim(r), labels)]
    moved = [("up" if has_word(r["indicator_zh"], cue["rise"]) else "down", r) for r in said
             if has_word(r["indicator_zh"], cue["rise"] + cue["fall"])]
    if not moved or p.value not in ("up", "down"):
        return []
    way, row = moved[0]
    item = value_phrase(row, cid, entity, eid)
    if way == p.value:
        return [] if frame.operation == "change" else [Line(P(f"premise.quarter_true_{way}", entity=Ent(entity), item=item))]
    return [Line(P(f"premise.quarter_false_{p.value}", entity=Ent(entity), edition=Ed(eid), item=item)),
            Warn(f"false premise: {p.kind}")]


def dimension(frame: Frame, p: Premise, tools: ToolRunner, eid: str) -> list:
    """"2019年的科研人才得分": the dimension belongs to other editions; name them and this one's dimensions,
    and where the entity asked about stands on it in the edition that has it ("深圳2020年的创新基础才3.93分":
    3.93 is its 2019 score, rank 34 of 36)."""
    key = str(p.value)
    if key in editions.dimension_keys(eid):
        return []
    owners = [e for e in editions.ids() if key in editions.dimension_keys(e)]
    if not owners:
        return []
    out = [Line(P("premise.dimension_false", edition=Ed(eid), dim=Dim(owners[0], key), owner=Ed(owners[0]),
                  dims=Join([Dim(eid, k) for k in editions.dimension_keys(eid)], "sep.list"))),
           Warn(f"false premise: {key} not in {eid}")]
    for entity in [e for e in frame.entities if e in editions.members(owners[0])][:1]:
        cid, res, r, s, cite = position(tools, owners[0], entity, key)
        if r is not None and s is not None:
            out.insert(1, Line(P("premise.dimension_owner", entity=Ent(entity), owner=Ed(owners[0]), dim=Dim(owners[0], key),
                                 standing=standing_phrase(cid, res, owners[0], r, s, key), cite=cite or "")))
    return out


def score_elsewhere(tools: ToolRunner, res: dict, cid: str, entity: str, dim: str | None, asked: float, tol: float):
    """Whose figure a score said of the wrong place or edition is: the entity's composite in another
    edition ("北京2020年是77.17吧": its GTII composite), else another entity's printed figure anywhere
    ("Chongqing scored 87.89": 渝北区's in the district index); "" when no edition prints it."""
    there = next((e for e in res.get("other_editions") or [] if not dim and e.get("composite") is not None and
                  abs(float(e.get("published_composite") or e["composite"]) - asked) <= tol), None)
    if there:
        return P("premise.score_elsewhere", edition=Ed(there["edition"]), value=score(
            there.get("published_composite") or there["composite"], "composite", cid, entity=entity, edition=there["edition"]))
    fcid, found = tools.ok("find_value", value=asked, tolerance=tol)
    hit = next((h for h in (found or {}).get("matches", []) if h["entity"] != entity), None)
    if hit is None:
        return ""
    return P("premise_more.score_owner", entity=Ent(hit["entity"]), edition=Ed(hit["edition"]),
             what=Dim(hit["edition"], hit["measure"]) if hit["measure"] != "composite" else P("compare.composite"),
             value=score(hit["value"], "figure found", fcid, entity=hit["entity"], edition=hit["edition"]),
             cite=source_cite(hit.get("source")) or "")

