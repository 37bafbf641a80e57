"""Check what a question asserts before answering it (``Frame.premises``).

A false premise becomes the answer's first sentence, with the true figure and its
citation; a true one is confirmed in a sentence ("确实…"), unless the answer that follows
states it anyway (the gap of "by how much did X overtake Y", the change of "did X's rank
rise"). Checks use the same tools as the answers, so every figure is verifiable."""
from __future__ import annotations

from ...tools import ToolRunner
from ..frame import Frame, Premise
from . import editions, filters, narrative, premise_checks
from .blocks import Cite, Dim, Ed, Ent, Join, Line, P, Warn
from .premise_checks import position as _position
from .premise_checks import standing_phrase as _standing_phrase
from .scores import composite, count, count_cite, count_said, covered, measure_cite, rank, score, tier_label, tier_threshold
from .vocab import rules

NAMED_TOP = 5  # a false "in the top N" names the real top N up to this N
ORDINAL_WORDS = 10  # phrases.yaml has ordinal.1 .. ordinal.10 (words, so the asked rank is not restated as a figure)
ENTITY_KINDS = ("rank", "tier", "class", "outside_tier", "in_top", "outside_top", "leader", "last", "membership", "score", "change",
                "same_tier", "score_change", "only_tier")
# operations whose own first sentence states what a true premise of this kind asserts
STATED_BY = {"ordering": ("gap", "compare"), "change": ("change",), "tier": ("tier",), "class": ("tier",),
             "count": ("count", "coverage"), "leader": ("leader",), "membership": ("coverage",),
             "weak": ("why",), "strong": ("why",), "in_top": ("rank",),
             "tier_count": ("tier",)}  # a change answer leads with ranks: a score change is said first


def _edition(frame: Frame, premise: Premise) -> str:
    return premise.edition or editions.pick(frame)


def _ordinal(n) -> P:
    try:
        k = int(n)
    except (TypeError, ValueError):
        k = 0
    return P(f"ordinal.{k}") if 1 <= k <= ORDINAL_WORDS else P("ordinal.other")


def check(frame: Frame, tools: ToolRunner) -> list:
    """The checks' sentences, false premises first ("the top 3 were Beijing, Shanghai and
    Guangzhou": what is wrong leads, what is right follows)."""
    false, true = [], []
    uncovered: set[str] = set()  # entities no edition of the year asked covers: said once
    for premise in frame.premises:
        if premise.entity in uncovered:
            if premise.kind == "last":  # "拉萨在2020年也是倒数第一吗": not covered (said), and who is last there
                eid = _edition(frame, premise)
                holder = premise_checks.last_holder(tools, eid, premise.dimension, len(editions.members(eid)))
                true.extend([Line(holder)] if holder else [])
            continue
        found = _check_one(frame, premise, tools)
        if premise.kind == "edition_year" and found and premise.entity:
            uncovered.add(premise.entity)
        (false if any(isinstance(b, Warn) for b in found) else true).extend(found)
    return false + true


def _check_one(frame: Frame, p: Premise, tools: ToolRunner) -> list:
    if p.kind == "edition_year":
        # a year the reports' text answers for ("2015年我国公民科学素质"): no edition was asked about
        return [] if frame.reason == narrative.TAKEN else _edition_year(frame, p, tools)
    if p.kind == "count":
        return _count(frame, p, tools)
    if p.kind == "tier_count":
        return _tier_count(frame, p, tools)
    if p.kind == "dimension":
        return premise_checks.dimension(frame, p, tools, _edition(frame, p))
    if p.kind in premise_checks.KINDS:
        return premise_checks.check(frame, p, tools, _edition(frame, p))
    entity = p.entity or (frame.entities[0] if frame.entities else None)
    if entity is None:
        return []
    if p.kind in ("change", "score_change"):
        return _change(frame, p, entity, tools)
    eid = _edition(frame, p)
    if entity not in editions.members(eid):
        if p.kind in ENTITY_KINDS:
            return [Line(P("premise.not_in_edition", entity=Ent(entity), edition=Ed(eid), covers=covered(eid))),
                    Warn(f"premise: {entity} not in {eid}")]
        return []
    # the premise says whether its claim is about a dimension ("是第一吧，它创新产出多少分" is not);
    # weak / strong are always about the dimension asked
    dim = p.dimension or (frame.dimension if p.kind in ("weak", "strong") else None)
    if p.kind == "ordering":
        return _ordering(frame, tools, eid, entity, p.other, dim) if p.other else []
    if p.kind == "same_tier":
        return _same_tier(tools, eid, entity, p.other) if p.other else []
    cid, res, r, s, cite = _position(tools, eid, entity, dim)
    if res is not None and r is None and (p.kind == "leader" or p.kind == "rank" and p.value == 1):
        return _unranked_first(tools, eid, entity, dim)
    if res is None or (r is None and p.kind not in ("tier", "class", "outside_tier", "only_tier")):
        return []
    if p.kind in ("tier", "class", "outside_tier", "only_tier"):
        return _tier(frame, p, tools, eid, entity, res, cid, cite)
    standing = _standing_phrase(cid, res, eid, r, s, dim) if r is not None else ""
    where = Ed(eid) if not dim else P("premise.where_dim", edition=Ed(eid), dim=Dim(eid, dim))
    c = cite if cite is not None else ""
    kw = dict(entity=Ent(entity), where=where, standing=standing, cite=c)
    false: P | None = None
    if p.kind == "rank" and p.value is not None:
        k = int(p.value)
        false = P("premise.rank_false", asked=_ordinal(k), holder=_holder(tools, eid, k, dim), **kw) if k != r else None
    elif p.kind == "leader" and frame.filters:  # "the best Chinese city": first of those the filters keep
        false = _first_among(frame, tools, eid, entity, dim, kw)
    elif p.kind == "leader":
        false = P("premise.leader_false", holder=_holder(tools, eid, 1, dim), **kw) if r != 1 else None
    elif p.kind == "last":
        false = P("premise.last_false", holder=premise_checks.last_holder(tools, eid, dim, res["of"]), **kw) if r != res["of"] else None
    elif p.kind in ("not_leader", "not_last"):  # "why did Beijing lose first place?", "why is Lhasa not last?"
        false = P(f"premise.{p.kind}_false", **kw) if r == (1 if p.kind == "not_leader" else res["of"]) else None
    elif p.kind in ("in_top", "outside_top") and p.value is not None:
        n = int(p.value)
        tcid, top = tools.ok("ranking", edition=eid, top=n, **({"by": dim} if dim else {}))
        members = [e["name"] for e in (top or {}).get("entities", [])][:n]
        if (p.kind == "in_top") != (r <= n):
            if p.kind == "in_top" and 0 < len(members) <= NAMED_TOP:  # who is in it instead: "the top 3 are …"
                false = P("premise.in_top_false_members", n=count(n, "top N", tcid),
                          members=Join([Ent(m) for m in members], "sep.list"), **kw)
            else:
                false = P("premise.in_top_false" if p.kind == "in_top" else "premise.outside_top_false",
                          n=count(n, "top N", tcid), **kw)
    elif p.kind == "score" and p.value is not None:
        actual = s if dim else (res.get("published_composite") or res.get("composite"))
        asked = float(p.value)
        if actual is None:
            return []
        tol = 0.5 if asked == int(asked) else 0.01
        elsewhere = premise_checks.score_elsewhere(tools, res, cid, entity, dim, asked, tol)  # whose figure it is
        false = P("premise.score_false", elsewhere=elsewhere, **kw) if abs(actual - asked) > tol else None
    elif p.kind in ("weak", "strong"):
        share = rules()["standing"]
        top_part = r <= max(1, round(res["of"] * share["strong_share"]))
        bottom_half = r > res["of"] * share["weak_share"]
        if p.kind == "weak" and top_part:
            false = P("premise.weak_false", **kw)
        elif p.kind == "strong" and bottom_half:
            false = P("premise.strong_false", **kw)
        else:
            return []
    else:
        return []
    if false is None:
        return _confirmed(frame, p, P("premise.confirmed", **kw))
    return [Line(false), Warn(f"false premise: {p.kind}")]


def _unranked_first(tools: ToolRunner, eid: str, entity: str, dim: str | None) -> list:
    """"Why is Yuzhong the best district?": the report prints no rank for it, but the first place
    is someone else's; its class says where it stands."""
    cid, res = tools.ok("ranking", edition=eid, top=1, **({"by": dim} if dim else {}))
    top = ((res or {}).get("entities") or [None])[0]
    if not top or top.get("rank") != 1 or top["name"] == entity:
        return []
    _, tiers = tools.ok("tiers", edition=eid)
    mine = next((t for t in (tiers or {}).get("tiers", []) if entity in t["members"] and t["status"] != "unnamed"), None)
    where = P("premise.unranked_in", label=tier_label(mine["label_zh"], mine["label_en"]), cite=_tier_cite(mine)) if mine else ""
    return [Line(P("premise.unranked_not_first", entity=Ent(entity), edition=Ed(eid), where=where,
                   holder=_holder(tools, eid, 1, dim))), Warn("false premise: first place")]


def _holder(tools: ToolRunner, eid: str, place: int, dim: str | None):
    """"; the first is Beijing (84.04)": who holds the place the question gave someone else."""
    cid, res = tools.ok("ranking", edition=eid, top=place, **({"by": dim} if dim else {}))
    row = next((e for e in (res or {}).get("entities", []) if e.get("rank") == place), None)
    if row is None or row.get("score") is None or not 1 <= place <= ORDINAL_WORDS:
        return ""
    src = row.get("source") or {}
    cite = Cite(src["source_file"], int(src["line"]), needles=(str(src.get("printed") or ""),)) if src.get("source_file") else ""
    return P("premise.holder", asked=_ordinal(place), entity=Ent(row["name"]),
             score=score(row["score"], "score", cid, entity=row["name"], edition=eid, dimension=dim), cite=cite)


def _first_among(frame: Frame, tools: ToolRunner, eid: str, entity: str, dim: str | None, kw: dict) -> P | None:
    """Is ``entity`` first of the entities the frame's filters keep? ``None`` when it is (or unknown)."""
    args, said = filters.of(frame)
    cid, res = tools.ok("count", edition=eid, **args, **({"by": dim} if dim else {}))
    ranked = sorted((m for m in (res or {}).get("members", []) if m.get("rank") is not None), key=lambda m: m["rank"])
    if not ranked or ranked[0]["name"] == entity or not said:
        return None
    lead = ranked[0]
    value = lead.get("score") if dim else lead.get("composite")
    return P("premise.leader_among_false", among=Join(said, "sep.list"), first=Ent(lead["name"]),
             rank=rank(lead["rank"], "rank", cid, entity=lead["name"], edition=eid, dimension=dim),
             score=score(value, "score", cid, entity=lead["name"], edition=eid, dimension=dim) if value is not None else "-",
             **kw)


def _confirmed(frame: Frame, p: Premise, sentence: P) -> list:
    """A true premise, said so first, unless the answer's own first sentence states it."""
    if frame.operation in STATED_BY.get(p.kind, ()):
        return []
    return [Line(sentence)]


def _tier(frame: Frame, p: Premise, tools: ToolRunner, eid: str, entity: str, res: dict, cid: str, cite) -> list:
    asked = int(p.value) if p.value is not None else None
    if asked is None:
        return []
    tcid, tiers = tools.ok("tiers", edition=eid)
    if tiers is None:  # "why is Xi'an a first-tier city in the GTII?": the edition has no tiers at all
        standing = _standing_phrase(cid, res, eid, res["rank"], None, None) if res.get("rank") is not None else ""
        return [Line(P("premise.no_tiers", entity=Ent(entity), edition=Ed(eid), standing=standing, cite=cite or "")),
                Warn("false premise: the edition has no tiers")]
    rules_ = tiers.get("tiers", [])
    rule = next((t for t in rules_ if t["tier"] == asked), None)
    asked_label = tier_label(rule["label_zh"], rule["label_en"]) if rule and rule["status"] != "unnamed" else \
        P("premise.tier_n", n=_ordinal(asked))
    mine = next((t for t in rules_ if entity in t["members"]), None)
    comp = composite(res, cid)
    place = P("premise.tier_rank", rank=rank(res["rank"], "rank", cid, entity=entity, edition=eid)) if res.get("rank") else ""
    facts = P("premise.tier_facts", composite=comp, rank=place) if comp is not None else ""
    # a district the report places only by class: the line that lists its class
    # ...and the statement of the tier it is in ("渝北区…为第一类")
    stated = _tier_cite(mine) if mine is not None and mine["status"] != "unnamed" else ""
    c = Join([x for x in (cite, stated) if x], "sep.space") if cite is not None and stated else cite if cite is not None else stated
    if mine is None or mine["status"] == "unnamed":
        actual = P("premise.tier_unnamed")
    else:
        actual = tier_label(mine["label_zh"], mine["label_en"])
    inside = mine is not None and mine["tier"] == asked and mine["status"] != "unnamed"
    if not inside and comp is not None and rule and rule["status"] != "unnamed" and (rule.get("threshold") or 0) > 0:
        # "8th but not in the third tier": the composite against the asked tier's threshold
        th = score(rule["threshold"], "tier threshold", tcid, decimals=0, edition=eid)
        key = "tier.threshold_assumed" if rule["status"] == "assumed" else "tier.threshold_stated"
        facts = P("premise.tier_facts_vs", composite=comp, rank=place, label=asked_label, threshold=P(key, threshold=th))
    if p.kind == "outside_tier":  # "为什么深圳跌出第二梯队": it is still in it
        if not inside:
            return _confirmed(frame, p, P("premise.outside_tier_true", entity=Ent(entity), edition=Ed(eid), asked=asked_label,
                                          actual=actual, facts=facts, cite=c))
        return [Line(P("premise.outside_tier_false", entity=Ent(entity), edition=Ed(eid), actual=actual, facts=facts, cite=c)),
                Warn("false premise: outside tier")]
    if inside and p.kind == "only_tier":  # "is Beijing the only first-tier city": alone in it, or with whom
        others = [m for m in rule["members"] if m != entity]
        if not others:
            return [Line(P("premise.only_tier_true", entity=Ent(entity), edition=Ed(eid), actual=actual, facts=facts, cite=c))]
        return [Line(P("premise.only_tier_false", entity=Ent(entity), edition=Ed(eid), actual=actual, facts=facts, cite=c,
                       others=Join([Ent(m) for m in others], "sep.list"))), Warn("false premise: only in tier")]
    if inside:
        if comp is not None and mine.get("threshold"):  # "为啥被划进第三梯队": its composite within the tier's band
            facts = P("premise.tier_facts_band", composite=comp, rank=place, band=tier_threshold(mine, tcid, eid, rules_))
        return _confirmed(frame, p, P("premise.tier_true", entity=Ent(entity), edition=Ed(eid), actual=actual, facts=facts, cite=c))
    out = [Line(P("premise.tier_false", entity=Ent(entity), edition=Ed(eid), asked=asked_label, actual=actual,
                  facts=facts, cite=c)), Warn("false premise: tier")]
    if rule and rule["status"] != "unnamed" and 0 < len(rule["members"]) <= MEMBERS_NAMED:
        # "成都是第三梯队吧": who is in the tier the question put it in
        out.insert(1, Line(P("premise.tier_members", asked=asked_label, cite=_tier_cite(rule),
                             members=Join([Ent(m) for m in rule["members"]], "sep.list"))))
    return out


MEMBERS_NAMED = 8  # a tier the question wrongly puts a place in is named by its members up to this many


def _ordering(frame: Frame, tools: ToolRunner, eid: str, entity: str, other: str, dim: str | None) -> list:
    if other not in editions.members(eid):
        return []
    cid, g = tools.ok("gap", edition=eid, entity=entity, other=other, **({"by": dim} if dim else {}))
    if not g or g.get("higher") is None:
        return []
    a, b = g["entities"]
    ahead = g["higher"] == entity
    if a.get("rank") is not None and b.get("rank") is not None and (a["rank"] < b["rank"]) != ahead:
        return []  # printed ahead though scoring lower: the report's contradiction (notes), not a false premise
    val = (lambda e: e.get("printed") if e.get("printed") is not None else e.get("computed")) if not dim else (lambda e: e["score"])
    where = Ed(eid) if not dim else P("premise.where_dim", edition=Ed(eid), dim=Dim(eid, dim))
    def side(e: dict):  # "28.01, rank 9": the ranks say the order as plainly as the scores
        v = score(val(e), "score", cid, entity=e["name"], edition=eid)
        return P("premise.side", value=v, rank=rank(e["rank"], "rank", cid, entity=e["name"], edition=eid)) \
            if e.get("rank") is not None and not dim else v
    kw = dict(entity=Ent(entity), other=Ent(other), edition=where, a=side(a), b=side(b))
    if ahead:
        return _confirmed(frame, Premise(kind="ordering"), P("premise.ordering_true", **kw))
    return [Line(P("premise.ordering_false", **kw)), Warn("false premise: ordering")]


def _same_tier(tools: ToolRunner, eid: str, entity: str, other: str) -> list:
    """"成都和合肥是同一个梯队吗": each one's tier, and whether they are the same."""
    if other not in editions.members(eid):
        return []
    tcid, tiers = tools.ok("tiers", edition=eid)
    rows = (tiers or {}).get("tiers", [])
    mine, theirs = (next((t for t in rows if e in t["members"]), None) for e in (entity, other))
    if mine is None or theirs is None:
        return []
    label = {id(t): P("premise.tier_unnamed") if t["status"] == "unnamed" else tier_label(t["label_zh"], t["label_en"])
             for t in (mine, theirs)}
    cite = _tier_cite(mine) or _tier_cite(theirs)
    if mine is theirs:  # both among the rest the report puts in no tier: together, but in no named tier
        key = "premise.same_tier_unnamed" if mine["status"] == "unnamed" else "premise.same_tier_true"
        return [Line(P(key, entity=Ent(entity), other=Ent(other), edition=Ed(eid), actual=label[id(mine)], cite=cite or ""))]
    return [Line(P("premise.same_tier_false", entity=Ent(entity), other=Ent(other), edition=Ed(eid), a=label[id(mine)],
                   b=label[id(theirs)], cite=cite)), Warn("false premise: same tier")]


def _tier_cite(t: dict):
    src = t.get("source") or {}
    return Cite(src["file"], int(src["line"]), needles=(t["label_zh"],)) if src.get("file") else ""


def _count(frame: Frame, p: Premise, tools: ToolRunner) -> list:
    """"那50个城市里…": the edition's size against the one the question states."""
    eid = _edition(frame, p)
    asked = int(p.value)  # type: ignore[arg-type]
    cid, res = tools.ok("count", edition=eid)  # every entity of the edition, ranked or not
    if not res:
        return []
    n, kind = res["pool"], P(f"kind.{editions.kind(eid)}")
    if n == asked:
        return _confirmed(frame, p, P("premise.count_true", edition=Ed(eid), n=count(n, "entities in edition", cid), kind=kind,
                                      cite=count_cite(eid)))
    # the number asked is not restated: no tool result holds it
    return [Line(P("premise.count_false", edition=Ed(eid), n=count(n, "entities in edition", cid), kind=kind, cite=count_cite(eid))),
            *count_said(eid), Warn("false premise: count")]


def _tier_count(frame: Frame, p: Premise, tools: ToolRunner) -> list:
    """"2019年的指数分了三个梯队": the tiers (or classes) the report names, against the number stated."""
    eid = _edition(frame, p)
    cid, res = tools.ok("tiers", edition=eid)
    if not res:
        return [Line(P("premise.no_tiers_at_all", edition=Ed(eid))), Warn("false premise: the edition has no tiers")]
    named = [t for t in res["tiers"] if t["status"] != "unnamed"]
    n = count(len(named), "tiers", cid)
    names = Join([tier_label(t["label_zh"], t["label_en"]) for t in named], "sep.list")
    if len(named) == int(p.value):  # type: ignore[arg-type]
        return _confirmed(frame, p, P("premise.tier_count_true", edition=Ed(eid), n=n, names=names, cite=_tier_cite(named[0])))
    rest = P("premise.tier_count_rest") if len(named) < len(res["tiers"]) else ""
    return [Line(P("premise.tier_count_false", edition=Ed(eid), n=n, names=names, rest=rest, cite=_tier_cite(named[0]))),
            Warn("false premise: tier count")]


def _change(frame: Frame, p: Premise, entity: str, tools: ToolRunner) -> list:
    """A rise or fall of rank (``change``) or of the composite (``score_change``) between the two
    latest editions of one kind that rank the entity."""
    eds = [e for e in frame.editions if entity in editions.members(e)]
    if len(eds) < 2:
        kind = editions.kind(eds[0]) if eds else None
        eds = [e for e in editions.newest_first(editions.editions_with(entity)) if kind is None or editions.kind(e) == kind][:2]
    if len(eds) == 1 and editions.period(eds[0]):  # "Dadukou dropped in Q3": what the report states against Q2
        return premise_checks.quarter_move(frame, p, entity, eds[0], tools)
    if len(eds) < 2:
        return []
    before, after = sorted(eds[:2], key=editions.year)
    of_score = p.kind == "score_change"
    rows, values = [], []
    for eid in (before, after):
        cid, res = tools.ok("scores", edition=eid, entity=entity)
        value = (res or {}).get("published_composite", (res or {}).get("composite")) if of_score else (res or {}).get("rank")
        if value is None:
            value = (res or {}).get("composite") if of_score else None
        if value is None:
            return []
        # a rank rises as its number falls; a score as it grows
        values.append(-value if of_score else value)
        rows.append(P("premise.score_change_item", edition=Ed(eid), composite=composite(res, cid),
                      cite=measure_cite(res, "composite", any_score=True) or "") if of_score else
                    P("premise.change_item", edition=Ed(eid), rank=rank(res["rank"], "rank", cid, entity=entity, edition=eid),
                      of=count(res["of"], "entities in edition", cid, edition=eid),
                      cite=measure_cite(res, "rank", "composite") or ""))
    r0, r1 = values
    moved = "up" if r1 < r0 else "down" if r1 > r0 else "same"
    items, kind = Join(rows, "sep.semi"), "score_change" if of_score else "change"
    if moved == p.value:
        return _confirmed(frame, p, P(f"premise.{kind}_true_{moved}", entity=Ent(entity), items=items))
    return [Line(P(f"premise.{kind}_false_{p.value}", entity=Ent(entity), actual=P(f"premise.moved_{moved}"), items=items)),
            Warn(f"false premise: {p.kind}")]


def _edition_year(frame: Frame, p: Premise, tools: ToolRunner) -> list:
    if isinstance(p.value, str) and not p.value.isdigit():  # a quarter ("2019Q3") that no edition reports
        if any(editions.period(e) == p.value for e in editions.ids()):
            return []
        own = [Ed(e) for e in editions.ids() if editions.period(e)]
        year, _, q = p.value.partition("Q")
        return [Line(P("premise.no_edition_period", year=year, quarter=_ordinal(q), editions=Join(own, "sep.semi"))),
                Warn(f"no {p.value} edition")]
    try:
        y = int(p.value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return []
    that_year = editions.by_year(y)
    if p.edition:  # "the 2020 GTII": a year of the index named
        that_year = [e for e in that_year if editions.kind(e) == editions.kind(p.edition)]
    if that_year and (p.entity is None or any(p.entity in editions.members(e) for e in that_year)):
        return []
    _, res = tools.ok("editions")
    listed = [Ed(e["id"]) for e in (res or {}).get("editions", [])]
    if p.edition and not that_year:
        own = [Ed(e) for e in editions.ids() if editions.kind(e) == editions.kind(p.edition)]
        return [Line(P("premise.no_edition_year_of", year=str(y), editions=Join(own, "sep.semi"))), Warn(f"no {y} edition")]
    if that_year and p.entity:  # "2018年硬科技指数里北京": that year's editions do not include the city
        having = [Ed(e) for e in editions.editions_with(p.entity)]
        return [Line(P("premise.no_edition_year_for", year=str(y), entity=Ent(p.entity), found=Join([Ed(e) for e in that_year], "sep.semi"),
                       editions=Join(having, "sep.semi") if having else P("count.none"))), Warn(f"no {y} edition for {p.entity}")]
    return [Line(P("premise.no_edition_year", year=str(y), editions=Join(listed, "sep.semi"))), Warn(f"no {y} edition")]
