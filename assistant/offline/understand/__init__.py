"""Understanding: question (+ history) -> :class:`~assistant.offline.frame.Frame`.

The pipeline, one module per step::

    normalise  -> width / homoglyph folding, language
    linking    -> mentions of entities, editions, dimensions, indicators, years, concepts
                  (exact and alias forms from the data; ``fuzzy``: typos, pinyin, unknown names)
    classifier -> the operation, by a model trained on the exemplar bank; ``tiebreak`` settles near ties
    editions   -> which edition(s), and why; slots -> aspect, N, direction, tier, filters, topic...
    premises   -> what the question asserts (checked later, by the answers)
    followup   -> what a turn inherits from the one before
"""
from __future__ import annotations

import dataclasses
import functools

from ..frame import Filter, Frame, Link, Premise, in_field_order
from . import (answered, classifier, concept_turns, editions, excluded, followup, frame_slots, indicators, plausible, positions, premises,
               reweighting, series, slots, standing, substitution, tiebreak)
from . import features as extraction
from . import catalogue as data_catalogue
from .catalogue import Catalogue
from .lexicon import words
from .linking import link
from .mention import Mention
from .normalise import normalise

__all__ = ["understand", "classify"]

FOLLOW_UP = tiebreak.FOLLOW_UP
LIST_OPERATIONS = followup.LIST_OPERATIONS


def classify(question: str) -> tuple[str, float, dict[str, float]]:
    """The classifier's label for one turn on its own (an operation or ``follow_up``)."""
    t = normalise(question)
    probs = classifier.load().probabilities(extraction.features(t.text, link(t)))
    label = max(probs, key=probs.get)
    return label, probs[label], probs


def understand(question: str, history: list[dict] | None = None) -> Frame:
    """The frame of ``question``. Earlier user turns in ``history`` (``{"role", "content"}``,
    oldest first) are understood in order, each as a follow-up of the one before; the last
    assistant turn is read for the entities it named ("which of the two...")."""
    turns = tuple((str(t.get("role")), str(t.get("content") or "").strip()) for t in history or [] if isinstance(t, dict))
    context = _history(tuple((role, content) for role, content in turns if content))
    return _understand_turn(question, context)


@functools.lru_cache(maxsize=256)
def _history(turns: tuple[tuple[str, str], ...]) -> followup.Context:
    """What the turns so far leave for the next: the frame of the last user turn, the assistant's
    answer after it, and the entities the user turns named (a chat sends the same history again
    with every question, so each prefix is understood once)."""
    if not turns:
        return followup.Context()
    context = _history(turns[:-1])
    role, content = turns[-1]
    if role == "user":
        frame = _understand_turn(content, context)
        return followup.Context(frame, None, followup.remember(context.recent, frame.entities))
    if role == "assistant":
        found = context.frame is not None and not context.frame.entities and (
            context.frame.operation == "leader" or context.frame.operation == "rank" and context.frame.n == 1)
        # "who is 5th?", "and 6th?", "compare them": the one place each answer gave is talked about too
        named = tuple(answered.entities(content, context.frame, data_catalogue.catalogue())[:1]) if found else ()
        return context._replace(answer=content, recent=followup.remember(context.recent, named))
    return context


def _entities_in(mentions: list[Mention]) -> list[str]:
    return list(dict.fromkeys(m.targets[0].target for m in mentions if m.kind == "entity" and m.resolved))


def _first_position(mentions: list[Mention], entity: str) -> int:
    return next((m.start for m in mentions if m.kind == "entity" and m.resolved and m.targets[0].target == entity), 0)


_NAMING = frozenset({"entity", "edition", "year", "period"})


def _only_names(text: str, mentions: list[Mention]) -> bool:
    """Whether the turn is nothing but places (known or not), with at most an edition, a year or
    a quarter: no word that asks anything."""
    if not any(m.kind == "entity" for m in mentions) or any(m.kind not in _NAMING for m in mentions):
        return False
    rest = list(text)
    for m in mentions:
        rest[m.start:m.end] = [" "] * (m.end - m.start)
    return not any(c.isalnum() for c in "".join(rest))


def _understand_turn(question: str, context: followup.Context) -> Frame:
    prev, answer = context.frame, context.answer
    cat = data_catalogue.catalogue()
    t = normalise(question)
    text = t.text
    mentions = indicators.with_fact(text.lower(), link(t, cat), prev.entities if prev else ())  # "academicians?"
    probs = classifier.load().probabilities(extraction.features(text, mentions))
    ranked = tiebreak.on_topic(settled := tiebreak.settle(probs, text), probs, text, prev and prev.operation)
    elliptical = prev is not None and ranked[0] == FOLLOW_UP and prev.operation not in ("out_of_scope",) or \
        followup.members_asked(prev, text, _entities_in(mentions)) or \
        followup.more_asked(prev, settled[0], text, _entities_in(mentions)) or \
        followup.only_another_edition(prev, text)  # "which ones?", "tell me more", "last year?": that question again
    if elliptical:
        operation = prev.operation
    elif ranked[0] == FOLLOW_UP and _entities_in(mentions):
        operation = "lookup"  # "what about Shanghai?" with nothing before it: the city's overview
    else:
        operation = tiebreak.continued(next(x for x in ranked if x != FOLLOW_UP), probs, prev and prev.operation, text)
    if prev is None and _only_names(text, mentions):
        # "Shapingba", "Saint Petersburg GTII", "北京 上海 2020": the places' own figures
        operation = "compare" if len(_entities_in(mentions)) >= 2 else "lookup"
    inherited: set[str] = {"operation"} if elliptical else set()

    # the last answer's entities: linking a whole answer costs 10-50 ms, and most turns never read them
    answer_entities = answered.Later(lambda: answered.entities(answer, prev, cat)) if answer else \
        followup.listed(prev) if prev else []
    named = _entities_in(mentions)
    continued = followup.continues_narrative(prev, operation, named, frozenset(m.kind for m in mentions), text) \
        if prev is not None else False
    operation = followup.operation(operation, prev, named, elliptical, text, frozenset(m.kind for m in mentions))
    if continued and prev.operation != "narrative" and operation not in ("concept", "definition"):
        operation = "narrative"  # "这份规划的目标…" after a concept turn: its passages, not an index's method
    ents, took = followup.entities(named, prev, operation, elliptical, text, answer_entities, context.recent, continued)
    if operation == "gap" and not took and len(ents) == 1 and prev is not None and prev.entities[:1] != (ents[0],) and \
            len(prev.entities) == 1 and not (elliptical and prev.operation == "gap") and \
            followup.against_elided(text, _first_position(mentions, ents[0])):  # not "And Hangzhou?" after a gap
        ents, took = [prev.entities[0], ents[0]], True  # "比上海差几分" after a turn about 深圳: 深圳 against 上海
    if took:
        inherited.add("entities")
        if followup.of_group(operation, ents, frozenset(m.kind for m in mentions), text):
            operation = "compare"  # "它们的创新产出分别是多少": the figures of those just listed
        if operation == "rank" and len(ents) == 1 and slots.number(text.lower()) is None:
            operation = "lookup"  # "那它的科研人才排名呢": its place, not the list
    if _asks_statistic(operation, text, mentions, ents, elliptical):
        operation = "rank"  # "average of the top 5", "中位数", "spread between first and last": over the ranking
    if operation in ("coverage", "count") and not elliptical and slots.period(text) == "previous":
        operation = "change"  # "how many districts rose against last quarter": a count of a change
    if not ents and slots.counted_range(operation, text):
        operation = "count"  # "how many cities score above 50", "哪些区县得分低于50分": who passes a threshold
    if operation == "lookup" and ents and slots.aspect("gap", text, mentions, len(ents)) == "top_n" and \
            slots.number(text.lower()):
        operation = "gap"  # "what would Wuhan need to score to make the top 5": the distance to the 5th place
    span = slots.place_range(text.lower()) if not ents and operation in ("rank", "leader", "lookup", "coverage") else None
    if span:
        operation = "rank"  # "places 6 to 10", "第6到第10名": those rows of the ranking
    if operation == "leader" and (slots.number(text.lower()) or 1) > 1:
        operation = "rank"  # "the three highest": a list, not one leader
    elif operation == "rank" and not elliptical and slots.number(text.lower()) is None and not ents and \
            words("one_asked")(text) and not slots.is_next(text):
        operation = "leader"  # "which district came out on top?": one entity, not a list
    if operation == "leader" and not elliptical and len(_entities_in(mentions)) == 1 and \
            any(m.kind == "dimension" for m in mentions) and slots.direction("leader", text, 1) is None:
        operation = "lookup"  # "what is Dadukou's rank for environment?": its own place, not who leads
    if operation == "compare" and len(ents) < 2 and any(m.kind in ("year", "period") for m in mentions) and (ents or prev) \
            and sum(m.kind == "dimension" for m in mentions) < 2 \
            and not any(m.kind == "entity" and not m.resolved for m in mentions):  # "compare X and Gotham": not a change
        operation = "change"  # one entity set against another edition ("compare it with 2020")
    if operation in ("compare", "lookup") and ents and (words("gap_amount")(text.lower()) or operation == "lookup" and len(ents) == 2 and
            words("cues", "gap")(text)) and (len(ents) == 2 or positions.place(text.lower()) and len(ents) == 1 or
                                             len(ents) > 2 and words("gap_ends")(text.lower())):
        operation = "gap"  # "20年广州比西安高出几分", "北京、上海、深圳…第一比最后高多少", "Shenzen and Guangzhou gap": the difference
    if operation in ("count", "coverage") and words("gap_amount")(text.lower()) and (ents or prev is not None):
        operation = "gap"  # "how many points ahead of the second?" after the top district: points, not places
    if elliptical and took and not prev.entities and operation in LIST_OPERATIONS:
        operation = "lookup"  # "what's its score?" after "which district ranks first?": about that district
        inherited.discard("operation")
    if not named and (elliptical or operation not in ("concept", "definition", "narrative")) and \
            words("publisher_asked")(text.lower()):  # "这篇文章是谁写的" after a passage: its byline
        operation = "concept"  # "who compiles the chongqing district index": who made it, not who leads it
    supposed = (not elliptical or prev.operation == "method") and reweighting.asks(text, mentions, ents, cat, prev)
    if operation not in ("whatif", "method") and supposed or operation == "method" and supposed and \
            reweighting.outcome_asked(text, bool(named)):
        operation = "whatif"  # "要是四个维度权重平分…", "drop the talent dimension": weights the question supposes
    elif operation == "whatif" and not elliptical and not supposed and not named and \
            not any(m.kind == "dimension" for m in mentions) and not reweighting.about_weights(text, prev):
        operation = next(x for x in ranked if x not in (FOLLOW_UP, "whatif"))  # "如果两个城市得分一样，谁排前面": no weights
    operation = operation if supposed else slots.weight_share(operation, text, mentions, len(ents), bool(prev and prev.operation == "method"))
    score = None if supposed or elliptical else substitution.supposed(text, mentions, ents)
    operation = "whatif" if score is not None else slots.place_filtered(operation, text)  # "if Xi'an's … were 30"
    operation, ents = standing.operation(operation, text, mentions, ents, prev, inherited)  # why / every dimension / a tier's range
    within = followup.within_list(prev, text, named, answer_entities)
    if within:  # "which of them is in Guangdong?", "其中哪个…最低" after a top 5
        operation, ents = within
        inherited.discard("entities")
        inherited.update({"entities"} if ents else set())
    choice = editions.resolve(text, mentions, ents, operation, cat)
    choice = _inherit_editions(choice, text, mentions, ents, operation, prev, elliptical, cat, inherited)
    operation = standing.between_editions(operation, text, mentions, ents, choice.editions)  # "两版指数有什么区别"
    if operation == "whatif" and choice.source in (None, "default", "dimension", "inherited"):
        refit = reweighting.edition(text, mentions, ents, choice.editions, cat)  # the edition its weights fit
        if refit:
            choice = editions.EditionChoice(editions=(refit,), source="dimension")
    dimension = choice.dimension
    if dimension is None and not any(m.kind == "dimension" for m in mentions):
        pointed = answered.with_dimension(prev, answer, text, cat, operation)  # "that field": the one the last answer named
        dimension = followup.dimension(pointed, choice.editions[0] if choice.editions else None, operation, elliptical,
                                       inherited, text, cat, any(m.kind in ("year", "period", "edition") for m in mentions),
                                       not mentions)
        inherited.update({"dimension"} if dimension else set())

    spot = positions.place(text.lower()) if choice.editions and not named and not followup.picked(prev, text, answer_entities) else None
    listed = operation in ("leader", "rank")
    not_subject = operation == "gap" and ents and spot == 1 or operation in ("count", "coverage", "whatif") or \
        slots.tier(text) is not None and positions.tier_end(text)  # "比第一名低多少"; a what-if's new order; "第四梯队排第一的"
    held_by = positions.holder(choice.editions[0], spot, dimension) if spot and not listed and not not_subject else None
    if held_by or (held_by := positions.tier_place(text, slots.tier(text), operation, ents, choice.editions, dimension)):
        ents = [held_by, *ents[:1]] if named else [held_by]  # "第五名的得分是多少？", "第二梯队垫底的城市离北京差多少"
        spot_link = Link(surface=str(spot), kind="entity", target=held_by, method="history")
        inherited.discard("entities")
    operation, tier_named, eds = positions.tier_asked(text, operation, ents, choice.editions, choice.source, slots.tier(text))
    if eds != choice.editions:  # a tier named by its alias belongs to the edition that names it
        choice = editions.EditionChoice(editions=eds, source="explicit", dimension=None)
    values = frame_slots.values(text, t.language, mentions, ents, operation, choice, cat, prev)
    dimension = standing.slots(values, operation, text, mentions, dimension, prev, inherited)
    values["supposed_score"], values["supposed_change"] = score or (None, None)
    if operation == "tier" and tier_named is not None:
        values["tier"] = tier_named
    if prev is not None and prev.operation == "rank" and prev.aspect in ("average", "median") and not ents and \
            operation in ("count", "coverage") and followup.pronoun(text):
        operation, values["aspect"] = "rank", prev.aspect  # "how many cities are above it?" after the average
        inherited.add("aspect")
    if operation == "why" and slots.aspect("breakdown", text, mentions, len(ents)) == "discrepancy":
        operation, values["aspect"], values["polarity"] = "breakdown", "discrepancy", None  # "why do they differ?"
    if choice.previous and values.get("period") is None:
        values["period"] = "previous"  # "Yubei's score in Q2 2018": the quarter before the edition's
    if spot and listed and (spot not in (1, -1) or prev is not None):  # "who is second?", "第一名呢？" after a list
        operation, values["direction"] = ("leader" if spot in (1, -1) else "rank"), "top" if spot > 0 else "bottom"
        values["n"], values["offset"] = (None, 0) if spot in (1, -1) else (1, abs(spot) - 1)  # one row of the ranking
    if followup.among_filtered(prev, operation, ents, text) and not values.get("filters"):
        values["filters"] = prev.filters  # "其中哪个最强" after "江苏有哪些城市上榜": among those
        inherited.add("filters")
        operation = "leader" if operation == "compare" else operation
    if span := span or positions.asked_under(operation, text.lower()):
        values["n"], values["offset"] = span
    if operation == "count" and prev is not None and prev.operation == "tier" and not values.get("filters"):
        values["filters"] = tuple(Filter(field=f, value=v) for f, v in followup.tier_filters(prev)) or None
        inherited.update({"tier"} if values["filters"] else set())
    # an elliptical turn, or one that asks the same about the same subject ("why?"), carries slots over
    carrying = elliptical or prev is not None and prev.operation == operation and "entities" in inherited
    for slot in followup.CARRIED:
        values[slot], took = followup.carried(slot, values.get(slot), prev, carrying, operation, text)
        if took:
            inherited.add(slot)
    if not named and (line := slots.tier_line_asked(prev, operation, text)) is not None:
        operation, values["tier"], ents = "tier", line, []  # "what is its threshold?" after the third tier's members counted
        inherited = (inherited - {"entities"}) | {"tier"}
    if operation == "gap" and values.get("aspect") is None and "entities" in inherited and prev is not None and \
            (prev.operation == "tier" or prev.aspect == "tier"):
        values["aspect"] = "next_tier"  # "how far from the next one?" after its tier: the line of the tier above
    if values.get("indicator") is None and not dimension and followup.measure_kept(prev, operation, inherited, mentions):
        values["indicator"] = prev.indicator  # "深圳的高新技术企业数是多少" → "比广州多多少": that figure's gap
        inherited.add("indicator")
    if elliptical and operation == "narrative" and (topic := followup.retopic(values.get("topic"), prev, ents)):
        values["topic"] = topic  # "那成都呢？" after a question about 重庆; "那2022年呢"
        inherited.add("topic")
    elif continued:  # "what are the main problems?": this turn's words, then the last turn's
        values["topic"] = answered.narrative_topic(values.get("topic"), prev, answer)
        inherited.add("topic")
    topic_links: tuple[Link, ...] = ()
    if concept_turns.about_before(operation, prev, values.get("aspect"), mentions):
        own = None if "topic" in inherited else concept_turns.own_topic(values.get("topic"), prev, "operation" in inherited)
        topic, topic_links, took = concept_turns.concept_topic(prev, text, own, cat)
        if took:  # "who coined it?", "它有哪些属性" after "什么是硬科技"
            values["topic"] = topic
            inherited.add("topic")
            if topic != prev.topic and "operation" in inherited:
                operation = "concept"  # "它有哪些属性": what the report says of a related concept
                inherited.discard("operation")
            if values.get("aspect") is None and prev.aspect and prev.operation == operation and topic == prev.topic:
                values["aspect"] = prev.aspect  # "哪一年？" after "谁提出的？"
                inherited.add("aspect")
            if not choice.editions and prev.editions:  # "what are its fields?" after "what is the GTII?"
                choice = dataclasses.replace(choice, editions=prev.editions, source="inherited")
                inherited.add("editions")
    if within and operation == "count" and values.get("n") is None and prev.n:
        values["n"] = prev.n  # the list the question points back at
        inherited.add("n")
    if operation == "lookup" and values.get("aspect") is None:
        values["aspect"] = "overview"
    if operation in slots.DIRECTED_OPERATIONS and values.get("direction") is None:
        values["direction"] = "top"
    if prev and prev.operation == "rank" and operation == "rank" and slots.is_next(text):
        values["offset"] = prev.offset + (prev.n or 10)
        values["n"] = values.get("n") if "n" not in inherited else prev.n
    year = choice.missing_year if not choice.editions or choice.missing_year else None
    ents, values["filters"] = excluded.apply(text, mentions, ents, operation, values.get("filters"))  # "除了北京"
    prem = premises.extract(text, mentions, ents, operation, choice, dimension)
    if held_by:  # the place that named the entity is not a claim about it
        prem = [p for p in prem if not (p["kind"] == "rank" and p.get("entity") == held_by)]
    if any(p["kind"] == "count" and p["value"] == values.get("n") for p in prem):
        values["n"] = None  # "那50个城市里": the edition's size as the question has it, not a top N
    if operation == "gap" and (held_by or len(ents) < 2 and positions.place(text.lower())):  # "比第一名低多少": the gap's other side
        prem = [p for p in prem if p["kind"] not in ("rank", "last", "leader")]
    if operation == "gap" and values.get("aspect") == "top_n" and words("gap_amount")(text.lower()):
        # "南京要进前三还差多少分": the goal, not a claim
        prem = [p for p in prem if p["kind"] != "in_top"]
    prem += premises.standing(text, ents, operation, choice, dimension, prem, mentions)
    if not prem and elliptical and prev.premises:
        prem = followup.repremise(prev, ents, choice.editions)  # "那北京呢？" after "深圳为什么跌出前十？"
        inherited.update({"premises"} if prem else set())
    if prev is not None and operation != prev.operation:
        inherited.discard("operation")
    return plausible.checked(Frame(
        question=question, language=t.language, operation=operation, entities=tuple(ents),
        editions=choice.editions, edition_source=choice.source, year=year, dimension=dimension,
        premises=tuple(Premise(**p) for p in prem),
        links=_links(mentions, choice, dimension, cat) + ((spot_link,) if held_by else ()) + topic_links,
        inherited=in_field_order(inherited), understood_by="follow_up" if elliptical else "classifier",
        confidence=round(probs[ranked[0]], 4), **{k: v for k, v in values.items() if v is not None}), cat)


def _asks_statistic(operation, text, mentions, ents, elliptical) -> bool:
    """A statistic of a ranking's scores (average, median, spread) with no entity named. A concept
    named ("36个城市", 科创板) makes it a question about the reports' text unless a dimension or an
    index is named too; read as a method question, it is one only when no method facet is named
    ("2019年创新投入得分的平均值" is a statistic; "权重是平均分配的吗" is about weights)."""
    if elliptical or ents or not slots.statistic(text) or words("cues", "whatif")(text):
        return False  # "如果权重平均分配" is a re-weighting, not an average
    if operation == "method":
        return slots.aspect("method", text, mentions, 0) is None
    scored = any(m.kind in ("dimension", "edition") for m in mentions)
    # "第三梯队的平均分": a statistic of one tier's members; "各梯队的平均分" is not one statistic
    statistic_of = operation in slots.STATISTIC_OPERATIONS or operation == "tier" and slots.tier(text) is not None
    return statistic_of and (scored or not any(m.kind == "concept" for m in mentions))


def _inherit_editions(choice, text, mentions, ents, operation, prev, elliptical, cat, inherited):
    names_edition = any(m.kind in ("year", "period", "edition") for m in mentions)
    if prev is None or not prev.editions or operation in editions.NO_EDITION:
        return choice
    relative = None if names_edition else series.relative_edition(prev.editions[0], text, cat)
    if relative:  # "上一版呢", "and the year before?"
        inherited.discard("editions")
        pair = (prev.editions[0], relative) if operation == "change" and relative != prev.editions[0] else (relative,)
        dims = [t.target for m in mentions if m.kind == "dimension" for t in m.targets if t.edition == relative]
        return editions.EditionChoice(editions=pair, source="explicit", dimension=dims[0] if dims else None)
    if names_edition:
        if operation == "change" and choice.editions and prev.editions[0] not in choice.editions and len(choice.editions) == 1:
            return editions.EditionChoice(editions=(prev.editions[0],) + choice.editions, source="explicit",
                                          dimension=choice.dimension)  # "compare it with 2020"
        return editions.kept_kind(choice, prev.editions[0], mentions, ents, cat)
    if not followup.fits(prev.editions[0], ents, cat):
        return choice
    if not (elliptical or "entities" in inherited or prev.edition_source in ("explicit", "year", "inherited") or not ents):
        return choice
    if operation in editions.TEXT_OPERATIONS and not elliptical and "entities" not in inherited:
        return choice
    inherited.add("editions")
    dims = [t.target for m in mentions if m.kind == "dimension" for t in m.targets if t.edition == prev.editions[0]]
    return editions.EditionChoice(editions=prev.editions, source="inherited", dimension=dims[0] if dims else None)


def _links(mentions: list[Mention], choice, dimension: str | None, cat: Catalogue) -> tuple[Link, ...]:
    out = []
    for m in mentions:
        kind = {"period": "edition"}.get(m.kind, m.kind)
        target = m.targets[0].target if m.targets else None
        suggestions = m.suggestions
        if m.kind == "dimension" and m.targets:
            # the frame's dimension, else this mention's own in the chosen edition (a what-if names several)
            own = [t.target for t in m.targets if choice.editions and t.edition == choice.editions[0]] or \
                ([k] if choice.editions and (k := editions.by_words(m.surface, cat.editions[choice.editions[0]])) else [])
            target = dimension if dimension in own else (own[0] if own else None)
            if target is None:
                suggestions = tuple(dict.fromkeys(t.target for t in m.targets))
        elif m.kind == "year":
            target = next((e for e in choice.editions if cat.editions[e].year == m.value or
                           cat.editions[e].data_year == m.value), None)
        elif m.kind == "period":
            target = editions.period_edition(m.value, cat)
            kind = "edition" if target else "year"  # a quarter no edition reports: a premise, not an unknown name
        out.append(Link(surface=m.surface or m.value or "?", kind=kind, target=target, score=m.score,
                        method=m.method, suggestions=suggestions))
    return tuple(out)
