"""Questions about where a place stands and why, that the operation classifier reads as
something else: a reason asked about one place's figure ("武汉创新基础凭什么这么强" is a why
question, not a lookup of 25.70), "did X beat Y on every dimension" (each dimension's gap),
a tier's range asked after its members ("它们的指数在什么区间" is the tier again), which of
its dimensions is best or worst asked right after a turn about one place ("哪个维度最差"), a
place's figure against the edition's average or median ("is that above average?") or judged
right after it is given ("这个排名算靠前吗", "is that good?"), and a
place's strengths asked after a question about one of its weak dimensions ("那它有啥长处？":
which dimensions, not the one just asked about).

Two steps, called from :func:`~assistant.offline.understand.understand`: :func:`operation`
once the entities are known, :func:`slots` once the slot values are. The cue words are data
(``lexicon.yaml``: ``reason_asked``, ``strengths_asked``, ``strengths_other``, ``both_sides``,
``every_dimension``, ``gap_source``, ``method_words``, ``ratio_asked``, ``same_tier``, ``neighbour_asked``, ``both_editions``, ``two_editions``, ``all_rows``, ``range_asked``, ``dimension_selected``, ``versus_average``, ``figure_judged``)."""
from __future__ import annotations

import re

from ..frame import Frame
from .catalogue import catalogue
from .lexicon import earliest_category, first_category, words
from .mention import Mention
from ...tool_args import RANKING_MAX
from .slots import aspect as asked_aspect, number

# operations a reason question about one place's figure is misread as
_FIGURE_READS = frozenset({"lookup", "rank", "leader", "narrative", "compare"})
EVERY_DIMENSION = "dimensions"  # the gap aspect: each dimension's difference
GAP_SOURCES = "sources"  # the gap aspect: each dimension's part of the composite gap
NEXT_BELOW = "next_below"  # the gap aspect: the place ranked right below
NEAREST = "nearest"  # the gap aspect: of the places right above and below, the one nearer in score
RATIO = "ratio"  # the gap aspect: how many times the one's figure is the other's
BOTH_SIDES = "both_sides"  # the why aspect: a place's strong and its weak side, both asked
# method facets a named index's report states or leaves unstated (its sources, data year, how its places
# were picked): asked of an index, a method question, not a definition of the words
SAID_FACETS = frozenset({"sources", "data_year", "selection"})


def strengths(text: str) -> str | None:
    """``"strong"`` or ``"weak"`` when the turn asks for a place's strong or weak points by name."""
    low = text.lower()
    return first_category(low, "strengths_asked") or first_category(low, "strengths_other")


def both_sides(text: str) -> bool:
    """Are a place's strong and weak points asked together ("强项和短板分别是什么", "pros and cons")?"""
    low = text.lower()
    return words("both_sides")(low) or words("strengths_asked", "weak")(low) and words("strengths_asked", "strong")(low)


def _names_dimension(mentions: list[Mention]) -> bool:
    return any(m.kind == "dimension" for m in mentions)


def standards(text: str, mentions: list[Mention]) -> list[Mention]:
    """The dimensions the turn names as the standard of a comparison ("than its input score",
    "比创新投入"; ``comparison_standard``, a possessive may stand between): a figure held against
    another of the place's own measures asserts no weak or strong standing of it."""
    forms = sorted(words("comparison_standard").forms, key=len, reverse=True)
    between = r"\s*(?:its|their|the|it's|它的|它|其|自己的|自身的)?\s*$"
    return [m for m in mentions if m.kind == "dimension" and
            re.search(rf"(?:{'|'.join(map(re.escape, forms))}){between}", text[:m.start], re.IGNORECASE)]


def _every_dimension(low: str) -> bool:
    """"Did X beat Y on every dimension?": who is ahead, on each dimension."""
    return words("every_dimension")(low) and words("ahead_asked")(low)


def _neighbour(low: str) -> str | None:
    """``"above"``, ``"below"`` or ``"nearest"`` (the nearer of the two) when the turn asks for the place
    ranked right above or below one."""
    for w in sorted(words("neighbour_asked", "not").forms, key=len, reverse=True):
        low = low.replace(w, " ")
    side = first_category(low, "neighbour_asked")
    return side if side in ("above", "below", "nearest") else None


def _tier_of(prev: Frame | None) -> int | None:
    """The tier or class the last turn was about: asked for, or the filter of what it counted."""
    if prev is None:
        return None
    if prev.tier is not None:
        return prev.tier
    return next((int(f.value) for f in prev.filters if f.field in ("tier", "class") and f.value.isdigit()), None)


def _range_of_tier(prev: Frame | None, text: str, mentions: list[Mention]) -> bool:
    """A tier's range asked right after its members (or their count), naming no place of its own."""
    return _tier_of(prev) is not None and words("range_asked")(text.lower()) and \
        not any(m.kind == "entity" and m.resolved for m in mentions)


def _quarterly(entity: str) -> bool:
    """Is the entity scored by an edition that reports quarter-on-quarter changes?"""
    return any(info.period and entity in info.members for info in catalogue().editions.values())


def _quarterly_measure(mentions: list[Mention]) -> bool:
    """Does the turn name an edition, or a measure of one, that reports quarter-on-quarter changes?"""
    editions = catalogue().editions
    named = {t.edition if m.kind == "dimension" else t.target for m in mentions if m.kind in ("dimension", "edition")
             for t in m.targets}
    return any(editions[e].period for e in named if e in editions)


def _city_of_district_index(text: str, mentions: list[Mention], ents: list[str]) -> str | None:
    """"重庆双创指数多少分", "重庆在双创指数里排第几": the city whose districts an index scores,
    asked about as if the index scored it; ``None`` when the turn names a district or asks about districts."""
    cat, low = catalogue(), text.lower()
    rest = "".join(" " if any(m.kind == "edition" and m.start <= i < m.end for m in mentions) else c for i, c in enumerate(low))
    if not (words("figure_asked")(low) or words("value_asked")(low)) or words("kinds", "district")(rest) or \
            words("cues", "tier")(rest):  # "属于第几类": the classes answer that (渝北区 alone in the first)
        return None  # "双创" inside the index's name is no question about districts; "哪个区县" is
    named = {t.target for m in mentions if m.kind == "edition" and m.resolved for t in m.targets}
    surfaces = [m.surface for m in mentions if m.kind == "edition" and m.resolved]
    for city, eds in cat.district_editions_of.items():
        if named & set(eds) and (city in ents or any(x.startswith(city) for x in surfaces)) and \
                not any(e in cat.editions[x].members for e in ents for x in eds):
            return city
    return None


def _versus_last(prev: Frame | None, low: str) -> str | None:
    """"Is Hangzhou above it?" after the edition's average (median): that statistic, ``mean`` or ``median``."""
    if prev is None or prev.operation != "rank" or prev.aspect not in ("average", "median") or not words("versus_it")(low):
        return None
    return "mean" if prev.aspect == "average" else "median"


def _yearless(low: str) -> str:
    """The text without its years ("above the 2020 average" is "above the average")."""
    return re.sub(r"(?:19|20)\d{2}\s*年?\s*", "", low)


def operation(op: str, text: str, mentions: list[Mention], ents: list[str], prev: Frame | None,
              inherited: set[str]) -> tuple[str, list[str]]:
    """The operation (and entities) when the turn asks one of these; else as given."""
    low = text.lower()
    if op not in ("whatif", "sensitivity", "compare", "gap") and (city := _city_of_district_index(text, mentions, ents)):
        return "lookup", [city]  # the index ranks its districts: said so, with the city's own standing elsewhere
    if op in ("leader", "rank") and first_category(low, "stability_superlative"):
        return "sensitivity", ents  # "which city's rank is least stable?": the weights' sensitivity, not the last place
    if op == "why" and words("called_asked")(low) and not _names_dimension(mentions) and not first_category(low, "polarity"):
        return "narrative", ents  # "为什么说西安是硬科技的发源地": what the reports say of it
    if op in ("tier", "count", "rank") and len(ents) <= 1 and words("same_tier")(low) and \
            (ents or prev is not None and len(prev.entities) == 1):
        if not ents:
            inherited.add("entities")  # "同梯队还有谁" after Chengdu's tier: Chengdu's tier and its other members
        return "tier", ents or list(prev.entities)
    side = _neighbour(low)
    if side and (op not in ("whatif", "sensitivity", "change", "compare") or side == NEAREST) and \
            (len(ents) == 1 or not ents and prev is not None and len(prev.entities) == 1):
        if not ents:
            inherited.add("entities")  # "比它高一名的是谁" after Changsha's rank: the place just above Changsha
        return "gap", ents or list(prev.entities)
    if not ents and op in ("rank", "count", "leader", "change", "tier") and words("both_editions")(low) and \
            len({m.value for m in mentions if m.kind == "year"}) >= 2:
        return "change", ents  # "2019年和2020年都进前十的城市": those inside both editions' top N
    if not ents and op in ("rank", "count", "leader", "coverage") and words("two_editions")(low) and earliest_category(low, "movement"):
        return "change", ents  # "which cities lost ground between the two city indices?": the moves between them
    if op == "change" and not ents and words("method_words")(low) and not words("cues", "lookup")(low) and \
            not earliest_category(low, "movement"):
        return "method", ents  # "2019和2020两版指数的维度有什么不同": the two methods, not the moves of places
    if op == "gap" and len(ents) == 1 and earliest_category(low, "movement") and number(low) is None and \
            first_category(low, "aspects", "gap") in (None, "leader"):
        return "change", ents  # "how far did the first of them climb?": its move, not its distance to another
    if op in ("definition", "concept") and not ents and any(m.kind == "edition" for m in mentions) and \
            asked_aspect("method", text, mentions, 0) in SAID_FACETS:
        return "method", ents  # "GTII的数据来源": a facet of a named index's method, said or said to be unstated
    if _range_of_tier(prev, text, mentions):
        inherited.discard("entities")
        return "tier", []  # "它们的指数在什么区间": the tier's range and its members' scores
    if len(ents) == 2 and _every_dimension(low) and op not in ("whatif", "sensitivity"):
        return "gap", ents  # "did Xi'an beat Guangzhou on every dimension?"
    if len(ents) >= 2 and op in ("compare", "lookup", "gap", "rank") and \
            first_category(low, "aspects", "rank") in ("average", "median"):
        return "rank", ents  # "北上广深的平均分": a statistic over the places named
    if len(ents) == 2 and words("ratio_asked")(low) and op not in ("whatif", "sensitivity", "why"):
        return "gap", ents  # "北京的得分是上海的几倍": the ratio of the two
    if len(ents) == 2 and words("gap_source")(low) and op not in ("whatif", "sensitivity", "why"):
        return "gap", ents  # "苏州和无锡差距主要在哪个维度": where the gap comes from
    if op in _FIGURE_READS | {"why"} and len(ents) == 1 and _quarterly(ents[0]) and earliest_category(low, "movement"):
        return "change", ents  # "why did Tongnan's environment index fall?": the stated change and its driver
    if op == "change" and len(ents) == 1 and any(m.kind == "indicator" for m in mentions) and not _quarterly(ents[0]) and \
            not any(m.kind in ("period", "edition", "dimension") for m in mentions):
        return "lookup", ents  # "深圳2012到2017年高新技术企业增加了多少家": the values the report states, and their move
    if op in ("leader", "rank", "concept") and not ents and _quarterly_measure(mentions) and earliest_category(low, "movement"):
        return "change", ents  # "双创环境降得最多的是谁": who the report says rose or fell most, not who is highest
    # a reason asked right after one place's figure on a dimension, naming nothing ("报告怎么解释的？")
    after_figure = (not ents or "entities" in inherited) and prev is not None and len(prev.entities) == 1 and \
        prev.dimension is not None and not any(m.resolved for m in mentions)
    if op in _FIGURE_READS and (len(ents) == 1 or after_figure) and words("reason_asked")(low) and \
            (_names_dimension(mentions) or strengths(text) or first_category(low, "polarity") or after_figure):
        if after_figure:
            inherited.add("entities")
        return "why", ents or list(prev.entities)  # "武汉创新基础凭什么这么强": the reasons, not the figure
    if op == "method" and len(ents) == 1 and "entities" not in inherited and words("figure_asked")(low):
        return "lookup", ents  # "按方法重新计算，石家庄的综合得分是多少": its figure (computed), not the method
    if op == "change" and len(ents) == 1 and "entities" not in inherited and sum(m.kind == "year" for m in mentions) == 1 and \
            not any(m.kind == "period" for m in mentions) and not words("cues", "change")(low) and \
            not earliest_category(low, "movement"):
        return "lookup", ents  # "Wuhan's innovation base rank in the 2019 city index?": one year, no change asked
    if _versus_last(prev, low) and ents and op not in ("whatif", "sensitivity"):
        inherited.discard("entities")
        return "lookup", ents[-1:]  # "is Hangzhou above it?", "成都比它高吗" after the average: the one named, against it
    versus = first_category(_yearless(low), "versus_average") or (not ents and words("figure_judged")(low))
    if versus and op not in ("whatif", "sensitivity", "gap", "compare") and len(ents) <= 1:
        subject = ents or (list(prev.entities) if prev is not None and len(prev.entities) == 1 else [])
        if subject:
            if not ents:
                inherited.add("entities")
            return "lookup", subject  # "is that above average?", "这个排名算靠前吗": the figure, placed
    if op == "leader" and not ents and prev is not None and len(prev.entities) == 1 and words("dimension_selected")(low):
        inherited.add("entities")
        return op, list(prev.entities)  # "哪个维度最差" after a turn about Qingdao: Qingdao's weakest dimension
    if op != "why" and len(ents) <= 1 and strengths(text) and (ents or prev is not None and prev.entities) and \
            op in _FIGURE_READS | {"method"}:
        if not ents and len(prev.entities) == 1:
            inherited.add("entities")  # "拖后腿的是哪些指标？" after a city's score: that city's
        return "why", ents or list(prev.entities[:1])  # "它擅长什么", "what is it good at?"
    if len(ents) == 1 and prev is not None and len(prev.entities) == 1 and prev.entities[0] != ents[0] and \
            words("versus_other")(low) and op not in ("whatif", "sensitivity"):
        inherited.add("entities")
        return "compare", [prev.entities[0], ents[0]]  # "is that above or below Shenzhen?": the last turn's place against it
    if op == "whatif" and words("cues", "sensitivity")(low) and not re.search(r"\d", re.sub(r"(?:19|20)\d\d", "", low)) \
            and not words("weights", "equal")(low):
        return "sensitivity", ents  # "does their order hold up if the weights move around?": no weights supposed
    if op in ("change", "compare") and len(ents) == 1 and _names_dimension(mentions) and words("overall")(low) and \
            not any(m.kind in ("year", "period", "edition") for m in mentions) and not earliest_category(low, "movement"):
        return "lookup", ents  # "how does its 高新技术产出 rank compare with its overall spot?": both ranks, one edition
    if op in ("definition", "concept") and len(ents) == 1 and "entities" not in inherited and \
            any(m.kind == "edition" and m.resolved for m in mentions):
        return "lookup", ents  # "What's Hangzhou's 2020 hard tech index?": its figure in that index, not what hard tech is
    return op, ents


def slots(values: dict, op: str, text: str, mentions: list[Mention], dimension: str | None, prev: Frame | None,
          inherited: set[str]) -> str | None:
    """Fills ``values`` for these questions and returns the dimension to keep (``None`` when a
    strengths question drops the one the last turn asked about)."""
    if op == "tier" and words("same_tier")(text.lower()):
        values["tier"] = None  # the tier is the place's own, not a number said ("同一梯队")
        inherited.discard("tier")
    if op == "tier" and values.get("tier") is None and _range_of_tier(prev, text, mentions):
        values["tier"] = _tier_of(prev)
        inherited.add("tier")
    step = first_category(text.lower(), "tier_step")  # "再往下一个梯队", "the tier above": from the last turn's
    if op == "tier" and step and prev is not None and prev.tier is not None and \
            (values.get("tier") is None or values.get("tier") == prev.tier):
        values["tier"] = max(1, prev.tier + (1 if step == "below" else -1))
        inherited.discard("tier")
    versus = first_category(_yearless(text.lower()), "versus_average") or _versus_last(prev, text.lower())
    if op == "lookup" and versus:
        values["aspect"] = f"versus_{versus}"
    if op == "gap" and _every_dimension(text.lower()):
        values["aspect"] = EVERY_DIMENSION
    elif op == "gap" and words("ratio_asked")(text.lower()):
        values["aspect"] = RATIO
    elif op == "gap" and words("gap_source")(text.lower()):
        values["aspect"] = GAP_SOURCES
    elif op == "gap" and (side := _neighbour(text.lower())) and \
            sum(m.kind == "entity" and m.resolved for m in mentions) <= 1:
        values["aspect"] = {"above": "next_rank", "below": NEXT_BELOW}.get(side, NEAREST)
    if op == "rank" and values.get("n") is None and words("all_rows")(text.lower()):
        values["n"] = RANKING_MAX  # "所有城市的排名": every row the edition ranks
    if op == "change" and words("both_editions")(text.lower()):
        values["n"] = values.get("n") or number(text.lower())  # the top N both editions are asked of
    if op == "change":
        way = earliest_category(text.lower(), "movement")
        if way and values.get("direction") is not None:  # "went up most last quarter": a rise, whatever "last" says
            values["direction"] = "bottom" if way == "fall" else "top"
    if op == "why" and prev is not None and prev.dimension and prev.dimension != dimension and \
            (words("points_back")(text.lower()) or words("cues", "pronoun")(text)) and \
            len(standards(text, mentions)) == sum(m.kind == "dimension" for m in mentions) > 0:
        inherited.add("dimension")
        return prev.dimension  # "why is that so much lower than its input score?": the last turn's measure
    side = strengths(text) if op == "why" else None
    if op == "why" and not _names_dimension(mentions) and both_sides(text):
        values["polarity"], values["aspect"] = None, BOTH_SIDES  # "强项和短板分别是什么": its best and its worst
        inherited.discard("dimension")
        return None
    if side:
        values["polarity"] = side
        if not _names_dimension(mentions) and not words("same_measure")(text):
            inherited.discard("dimension")
            return None  # "那它有啥长处？" after "为什么创新基础弱": which dimensions is the question
    return dimension


def between_editions(op: str, text: str, mentions: list[Mention], ents: list[str], eds: tuple[str, ...]) -> str:
    """"2020年和2019年的指数有什么区别": how two editions differ, naming no place and no measure, is a
    question about their methods, not about who moved between them."""
    low = text.lower()  # "2019和2020年前十名有什么不同" asks about places: who came and went
    if op in ("change", "compare", "gap") and not ents and len(eds) >= 2 and words("editions_differ")(low) and \
            not any(m.kind in ("dimension", "indicator") for m in mentions) and not words("place_words")(low) and \
            number(low) is None:
        return "method"
    return op
