"""Follow-ups: a turn inherits the previous turn's frame and overrides what it names.

"那创新投入呢？" keeps the operation, city, edition and polarity of "深圳的创新基础为什么弱？" and
changes the dimension; "And Hangzhou?" the entity; "the next two" the offset. A turn that changes
the operation keeps the subject ("which tier is that?", "how many is that?"); a city named after a
list asks about that city. A dimension goes to another edition as its counterpart (``crosswalk.yaml``).
"""
from __future__ import annotations

import re
from typing import NamedTuple

from ..frame import Frame
from . import positions, slots
from .catalogue import Catalogue
from .lexicon import Words, every_form, first_category, lexicon, patterns, words
from .series import crosswalk

# operations whose subject is one or more entities: a bare question inherits them
ENTITY_OPERATIONS = {"lookup", "gap", "why", "breakdown", "change", "compare", "whatif"}
TEXT_OPERATIONS = ("concept", "definition", "narrative")
# operations where an inherited entity brings its dimension along ("And its rank?")
DIMENSION_FOLLOWS_ENTITY = {"lookup", "why", "gap", "breakdown", "compare"}
# operations whose answer is a list of entities: a follow-up about one of them asks about it
LIST_OPERATIONS = ("leader", "rank", "count", "tier", "coverage")
# lists ordered by a dimension: "第二名呢", "and the bottom 3?" keep the dimension
RANKED_OPERATIONS = ("leader", "rank")
# operations whose answer is an entity: "which district leads it?" is not about the one just named
SELECTING = {"leader"}
FIGURE_TURNS = {"lookup", "breakdown", "why"}  # turns giving an entity's figure, whose origin can be asked for
RECENT = 6
# operations that can be asked of one entity picked from those compared ("why is the latter…")
ONE_ENTITY_OPERATIONS = {"lookup", "why", "tier", "change", "breakdown", "narrative"}
# what a turn after a narrative answer is misread as when it names no subject of its own
VAGUE_AFTER_NARRATIVE = {"out_of_scope", "definition", "concept", "narrative"}
# what an elliptical turn can ask of an index's method by naming it alone ("and the weights?")
METHOD_ASPECTS = ("weights", "normalisation", "indicators", "thresholds", "data_year")
# operations a turn about the entities just compared is misread as when it names none of them
NOT_ABOUT_THESE = {"leader", "rank", "count", "concept", "definition", "narrative", "out_of_scope", "unanswerable"}
# mentions that put a turn on an index rather than on the concept talked about
INDEX_MENTIONS = frozenset({"entity", "edition", "year", "period", "dimension", "indicator"})
# slots that an elliptical turn ("And in 2020?", "那杭州呢？") takes over unless it names them
CARRIED = ("aspect", "composite", "period", "n", "offset", "direction", "polarity", "tier", "filters", "weights", "topic", "indicator")
GROUP_COUNTS = ("count", "coverage", "tier")  # "东中西部分别几个": each group counted, not each place named before

def pronoun(text: str) -> bool:
    return words("cues", "pronoun")(text)


def opens(text: str) -> bool:
    """Does the turn open as a follow-up ("and where does Qingdao stand?", "那…", "…呢", "nanjing ne")?"""
    spans = words("cues", "followup").spans(text)
    return bool(spans and spans[0][0] == 0) or text.rstrip(" ?？。.!！").lower().endswith(tuple(lexicon()["followup_endings"]))


def asks_figure(text: str) -> bool:
    """Does the turn ask for a figure ("那它的分数呢"), not for what the report says about one ("报告对它的排名怎么说")?"""
    return words("figure_asked")(text) and not words("cues", "narrative")(text) and not words("cues", "concept")(text)


def switched(prev: Frame, text: str) -> str | None:
    """The operation an elliptical turn asks of the previous turn's subject by a word of its own
    ("and why?", "那为什么呢" after a figure; "那它的分数呢" after a passage about a city), or ``None``
    (it keeps the previous operation)."""
    if not prev.entities and prev.operation not in SELECTING:
        return None
    if prev.operation not in ("why",) + TEXT_OPERATIONS and words("cues", "why")(text):  # after a leader: of it
        return "why"
    if prev.operation in TEXT_OPERATIONS and asks_figure(text):
        return "lookup"
    return None


def operation(operation: str, prev: Frame | None, named: list[str], elliptical: bool, text: str,
              mentioned: frozenset[str] = frozenset()) -> str:
    """The turn's operation given the one before: a question about one of the entities in a list,
    a comparison continued, a count of the tier just listed, more about what a passage said."""
    if prev is None:
        return operation
    if elliptical and not named and (own := switched(prev, text)):
        return own
    if not named and prev.operation == "change" and operation == "why":
        return "change"  # "why?" after who fell most: the moves the report states behind it
    if elliptical and len(named) == 1 and len(prev.entities) == 1 and named[0] != prev.entities[0] and \
            prev.operation in FIGURE_TURNS and (words("gap_amount")(text.lower()) or words("cues", "gap")(text)):
        return "gap"  # "and how far is that below Beijing's?" after Wuhan's score: the one against the other
    if not named and prev.entities and operation in LIST_OPERATIONS and prev.operation not in ("why",) + TEXT_OPERATIONS \
            and words("cues", "why")(text):
        return "why"  # "为何能进前十" after a city's rank: why it is there, not the list
    if not named and len(prev.entities) == 1 and (prev.dimension and prev.operation in FIGURE_TURNS or prev.operation in ("why", "leader")) and \
            operation in TEXT_OPERATIONS and words("report_says")(text):
        # "what does the report say about it?" after Shenzhen's innovation base, "报告怎么解释的" after "它的短板是什么":
        return "why"  # the reasons it gives
    if not named and prev.entities and "year" in mentioned and words("comparative")(text) and \
            prev.operation in FIGURE_TURNS | {"leader", "tier"}:
        return "change"  # "was it higher in 2019?" after Xi'an's 2020 figures: the two editions side by side
    if not named and prev.operation == "why" and prev.entities and operation in ("leader", "lookup", "rank") + TEXT_OPERATIONS \
            and slots.polarity(text):
        return "why"  # "is it still weak in 2020?" after "why is Shenzhen weak on innovation base?"
    if not named and prev.entities and first_category(text.lower(), "relative_edition") and \
            (words("cues", "compare")(text) or words("cues", "change")(text)):
        return "change"  # "和上一版比呢" after a city's rank: the two editions side by side
    if not named and prev.editions and operation in VAGUE_AFTER_NARRATIVE and slots.statistic(text):
        return "rank"  # "高于平均水平吗" after a city's score: the edition's average on the same measure
    if not named and prev.editions and operation in VAGUE_AFTER_NARRATIVE and \
            (positions.place(text.lower()) and "concept" not in mentioned or
             prev.entities and prev.operation in FIGURE_TURNS and words("figure_asked")(text) and
             not words("cues", "breakdown")(text) and not words("cues", "method")(text)):  # "这个分数怎么算的": below
        return "lookup"  # "第5是谁" after a place in a ranking; "这个排名算靠前吗" after a city's figure
    if not named and prev.entities and prev.operation in FIGURE_TURNS and operation == "method" and \
            mentioned & {"dimension", "indicator"} and words("value_asked")(text) and not words("cues", "method")(text):
        return "lookup"  # "硬科技企业又是多少？" after Xi'an's output score: its figure there, not how it is made
    if not named and prev.entities and prev.operation == "lookup" and prev.indicator and operation in ("count", "coverage") and \
            "indicator" in mentioned and not words("member_nouns")(text.lower()):
        return "lookup"  # "and how many state key labs?" after Beijing's universities: its figure, not a count of places
    if not named and picked(prev, text) and operation not in ONE_ENTITY_OPERATIONS:
        return "lookup"  # "what about the latter's tier?" after a comparison: about that one
    if continues_narrative(prev, operation, named, mentioned, text):
        return "narrative"  # "what are the main problems?" after what the journal says of R&D spending
    if not named and len(prev.entities) == 2 and words("gap_source")(text.lower()) and operation not in ("whatif", "sensitivity"):
        return "gap"  # "主要差在哪个维度" after two places set side by side: where their gap comes from
    if not named and len(prev.entities) >= 2 and operation in NOT_ABOUT_THESE and \
            (any(b - a >= 2 for a, b in words("cues", "compare").spans(text)) or words("cues", "gap")(text) or
             words("comparative")(text)):  # not 和 / 与 alone
        return "compare"  # "差距最大的是哪个维度", "哪个的高新技术产出更高" too  # "who is higher on input?", "它们谁更强" after comparing two cities: of those two
    if not named and prev.entities and operation in ("lookup", "concept", "definition", "narrative") and \
            first_category(text.lower(), "strengths_asked"):
        return "why"  # "它的短板呢", "what are its strengths?"
    if named and elliptical and prev.operation in RANKED_OPERATIONS and operation == prev.operation:
        return "lookup" if len(named) == 1 else "compare"  # "深圳呢" after "who leads on talent?"
    how_made = (words("cues", "breakdown")(text) or words("cues", "method")(text)) and not slots.limiting(text) and \
        not (operation == "why" and slots.polarity(text)) and not (operation == "change" and words("cues", "change")(text))
    # not "which of its indicators are weak?" (reasons) nor "how did it change from 2019?" (a change)
    if not named and prev.entities and prev.operation in FIGURE_TURNS and \
            (words("figure_origin")(text) and (operation in TEXT_OPERATIONS + ("method",) or how_made) or
             (words("points_back")(text) or pronoun(text)) and how_made and not words("gap_amount")(text.lower())):
        return "breakdown"  # "where does that number come from?", "这个分数是咋算的" after a city's score: how it is made up
    if prev.operation == "tier" and prev.tier and operation in ("count", "coverage") and slots.tier(text) is None:
        return "count"  # "how many is that?" after a tier's members
    if not named and not prev.entities and prev.topic and prev.operation in TEXT_OPERATIONS and \
            (operation in ENTITY_OPERATIONS and pronoun(text) or
             operation in LIST_OPERATIONS and not prev.editions and not mentioned & INDEX_MENTIONS and
             (pronoun(text) or words("of_those")(text) or words("which_one")(text))):
        return "concept"  # "what are its three types?" after "what is new infrastructure?"; "which one is listed first?"
    if prev.operation == "method" and not prev.entities and not named and operation in ("definition", "concept") and \
            "concept" not in mentioned and (pronoun(text) or words("each_words")(text)):
        return "method"  # "分别是什么" after "2020年指数有几个维度": the index's make-up again
    if prev.operation == "method" and not named and operation in VAGUE_AFTER_NARRATIVE and \
            first_category(text.lower(), "aspects", "method") in METHOD_ASPECTS:
        return "method"  # "它的数据来自哪一年？" after how the index is computed: that index's data year
    if elliptical and not prev.entities and prev.operation != "method" and \
            first_category(text.lower(), "aspects", "method") in METHOD_ASPECTS:
        return "method"  # "权重呢" after a question about the index
    return operation


def members_asked(prev: Frame | None, text: str, named: list[str]) -> bool:
    """Does the turn ask who the last count (or tier) was of ("which ones?", "分别是哪些")? Then it
    is that question again, whose answer names them."""
    return prev is not None and prev.operation in ("count", "tier", "coverage") and not named and \
        words("members_asked")(text) and slots.tier(text) is None and not slots.score_range(text.lower()) and \
        not positions.place(text.lower()) and first_category(text.lower(), "direction") is None  # not "排名最高的是谁"


def only_another_edition(prev: Frame | None, text: str) -> bool:
    """Is the turn nothing but another edition named relative to the last one ("last year?",
    "去年呢")? Then it asks the last question again there ("last" is no bottom place here)."""
    return prev is not None and bool(prev.editions) and bool(first_category(text.lower(), "relative_edition")) and \
        bare(text, every_form("relative_edition"))


def bare(text: str, matcher: Words) -> bool:
    """Does the turn say nothing but what ``matcher`` finds, follow-up words and pronouns ("那排名呢",
    "and its rank?", "last year?")?"""
    rest = text.lower()
    for m in (matcher, words("cues", "followup"), words("cues", "pronoun")):
        for a, b in reversed(m.spans(rest)):
            rest = rest[:a] + " " + rest[b:]
    return not re.search(r"\w", rest)


def more_asked(prev: Frame | None, label: str, text: str, named: list[str]) -> bool:
    """Does the turn ask for more of the last answer ("can you give more detail?", "详细说说"), reading
    like no question of its own?"""
    return prev is not None and prev.operation != "out_of_scope" and not named and \
        label in VAGUE_AFTER_NARRATIVE and words("more_asked")(text)


def among_filtered(prev: Frame | None, operation: str, entities: list[str], text: str) -> bool:
    """Does the turn ask about those the last turn's filters kept ("which of them ranks highest?"
    after "which cities in Jiangsu are in the index?")?"""
    return prev is not None and bool(prev.filters) and not entities and \
        operation in ("leader", "rank", "count", "compare") and \
        (words("of_those")(text) or words("cues", "plural")(text) or pronoun(text))


def of_group(operation: str, entities: list[str], mentioned: frozenset[str], text: str) -> bool:
    """Does a turn that took two or more entities from before ("它们的创新产出分别是多少" after a
    tier's members) ask their figures, though it reads like a question about the index?"""
    return len(entities) >= 2 and operation in NOT_ABOUT_THESE | {"method", "lookup"} and \
        ("dimension" in mentioned or words("figure_asked")(text))


def continues_narrative(prev: Frame, operation: str, named: list[str], mentioned: frozenset[str], text: str) -> bool:
    """Does a turn that names no new subject ask more about a narrative turn's passages (not who wrote them),
    or point back at a concept turn's subject ("这个战略…", "what did he…")?"""
    pointed = prev.operation in ("concept", "definition") and \
        any(rx.search(text) for key in ("people", "things") for rx in patterns("topic_pointers", key))
    # "比上年增长多少", "具体是多少" after what a journal says: a figure of those passages, unless an index's is asked
    of_passages = operation in VAGUE_AFTER_NARRATIVE or operation in ("change", "lookup") and not words("figure_asked")(text)
    return (prev.operation == "narrative" and of_passages or pointed) and not named and \
        not (prev.entities and asks_figure(text)) and \
        not mentioned & {"concept", "edition", "year", "period", "dimension", "indicator"} and \
        not any(words("cues", cue)(text) for cue in ("offtopic", "injection", "write")) and not words("publisher_asked")(text.lower())


def tier_filters(prev: Frame) -> tuple[tuple[str, str], ...]:
    """The previous turn's tier (or class) as a count's filters."""
    return slots.filters("count", prev.question, prev.tier)


class Context(NamedTuple):
    """What the conversation so far leaves for the next turn."""

    frame: Frame | None = None     # the last user turn's frame
    answer: str | None = None      # the assistant's answer after it
    recent: tuple[str, ...] = ()   # entities the user turns named, oldest first (at most RECENT)


def listed(prev: Frame) -> list[str]:
    """The entities a ranked turn listed, in its order, for when its answer is not in the history
    ("它们分别属于哪个梯队" after "2020年排名前三的城市")."""
    if prev.operation not in RANKED_OPERATIONS or prev.entities or not prev.editions:
        return []
    names = positions.ranked(prev.editions[0], prev.dimension, prev.tier if prev.operation == "leader" else None)
    names = names[::-1] if prev.direction == "bottom" else names
    return names[prev.offset:prev.offset + (1 if prev.operation == "leader" else prev.n or 10)]


def within_list(prev: Frame | None, text: str, named: list[str], shown: list[str] = ()) -> tuple[str, list[str]] | None:
    """A turn that names nobody and points back at the list the last turn gave ("which of them…",
    "其中…"): a filter it names is counted within that list (``count``, the list's N carried), a
    superlative sets the list's members side by side (``compare``, the leader first); the members
    are the ranking's, or those the last answer ``shown`` (a tier's members)."""
    if prev is None or prev.operation not in LIST_OPERATIONS or named or prev.entities:
        return None
    if words("gap_amount")(text.lower()) and len(shown) == 2:
        return "gap", list(shown)  # "差了多少分？" after the first two: the gap between them
    if not words("of_those")(text.lower()):
        return None
    if slots.filters("count", text, None):
        return "count", []
    members = (listed(prev) or list(shown)) if not prev.filters and words("superlative")(text.lower()) else []
    return ("compare", members) if len(members) >= 2 else None


def remember(recent: tuple[str, ...], named: tuple[str, ...]) -> tuple[str, ...]:
    """``recent`` with ``named`` moved to its end."""
    return (tuple(e for e in recent if e not in named) + tuple(named))[-RECENT:]


def picked(prev: Frame | None, text: str, listed: list[str] | tuple = ()) -> str | None:
    """One of two or more entities the previous turn named, or else its answer ``listed``, by its place there ("the latter")."""
    which = first_category(text.lower(), "which_of_those") if prev is not None else None
    if which is None:
        return None  # ``listed`` is read only now: it may be the last answer, linked when first read
    among = prev.entities if len(prev.entities) >= 2 else tuple(listed)
    return among[0 if which == "first" else 1] if len(among) >= 2 else None


def entities(named: list[str], prev: Frame | None, operation: str, elliptical: bool, text: str,
             answer_entities: list[str], recent: tuple[str, ...] = (), continues: bool = False) -> tuple[list[str], bool]:
    """The turn's entities and whether they were inherited (``continues``: the turn asks more about
    the passages of a narrative turn)."""
    if prev is None:
        return named, False
    if not named and (one := picked(prev, text, answer_entities)):
        return [one], True
    # "which of them are in tier 3?", "which district leads it?": members are asked for, not about those named
    members = operation == "coverage" or operation in ("tier", "count") and slots.tier(text) is not None  # "其中有几个在第三梯队"
    if not named and among_filtered(prev, operation, [], text):
        return [], False  # "which of them ranks highest?" after a province's cities: the filter, not two of them
    if not named and not members and len(prev.entities) < 2 and (words("cues", "plural")(text) or slots.each_of_several(text) and operation not in GROUP_COUNTS):
        group = list(answer_entities) if len(answer_entities) >= 2 else list(recent[-2:])  # "它们差多少" after 北京…, 上海呢
        if len(group) >= 2:
            return group[:2] if words("cues", "compare")(text) or "two" in text.lower() or "两" in text else group, True
    if not named and not prev.entities and not members and \
            (pronoun(text) or (operation == "why" or words("cues", "why")(text)) and prev.operation in SELECTING | {"change"} or
             slots.tier_line(operation, prev, text)) and \
            (operation not in SELECTING or words("dimension_selected")(text) or first_category(text.lower(), "strengths_asked")) \
            and prev.operation != "coverage" and answer_entities:
        # "its" after a list of all members is the index's; "its weakest dimension" after "who is 2nd?" is that one's
        return answer_entities[:1], True  # "what's its score?" after "which district ranks first?"; "and why?"
    if not named and operation == "compare" and len(prev.entities) < 2 and len(recent) >= 2:
        return list(recent[-2:]), True  # "which is higher?" after "深圳…", "and Guangzhou?"
    if named:
        # "它比南京高多少", "为什么它比西安高", "why did it beat Shanghai?"
        joins = operation == "compare" or pronoun(text) and (operation == "gap" or words("ordered_against")(text))
        before = list(prev.entities) or answer_entities[:1]  # "上海比它低几分" after "who came first?": the one it named
        if joins and len(named) == 1 and before and named[0] not in before:
            return before + named, True  # "和杭州比呢", "compare it with Hangzhou", "and Shenzhen?"
        return named, False
    ahead = operation == "count" and first_category(text.lower(), "aspects", "count") == "ahead"  # "前面还有几个"
    ahead = ahead or operation == "rank" and bare(text, words("aspects", "lookup", "rank"))  # "排名" alone after a city: its place
    if prev.entities and not slots.of_measure(operation, text) and (elliptical or pronoun(text) or operation in ENTITY_OPERATIONS or
                          continues or ahead or
                          operation == "tier" and slots.tier(text) is None and
                          (pronoun(text) or words("points_back")(text) or words("which_one")(text))):  # "which tier is that?", "在哪个梯队"
        return list(prev.entities), True
    return [], False


def against_elided(text: str, start: int) -> bool:
    """Is the one entity named (at ``start``) the other side of a comparison whose subject is left
    unsaid ("比上海差几分", "和上海差多少", "how far behind Shanghai?")? A comparison word ends the
    text before it, and no entity is named there."""
    before = text[:start].rstrip().lower()
    return any(b == len(before) for _, b in words("compared_with").spans(before))


def dimension(prev: Frame | None, edition: str | None, operation: str, elliptical: bool, inherited: set[str],
              text: str, cat: Catalogue, names_edition: bool = False, names_nothing: bool = False) -> str | None:
    """The previous turn's dimension, when this turn names none and keeps to it: an elliptical
    turn, the same subject, another place or slice of the same ranking ("第二名呢", "top 5
    then", "and who dropped the most?"), a turn that opens as a follow-up, or one that points to it ("on that"). A turn that
    names its own edition is a question of its own unless elliptical. In another edition the
    dimension is that edition's counterpart; tiers are of the composite."""
    if prev is None or not prev.dimension or edition is None or words("overall")(text):
        return None
    if operation == "tier" or slots.aspect(operation, text, [], 1) == "tier":
        return None
    if operation == "why" and prev.operation != "why" and first_category(text.lower(), "strengths_asked"):
        return None  # "它的短板呢": which dimension is the question
    follows = not names_edition and (opens(text) or words("cues", "followup")(text) or positions.place(text.lower()))
    in_list = prev.operation in RANKED_OPERATIONS and operation in RANKED_OPERATIONS or prev.operation == operation == "change" or \
        prev.operation in RANKED_OPERATIONS + ("lookup",) and positions.place(text.lower())
    keeps = elliptical or "entities" in inherited and operation in DIMENSION_FOLLOWS_ENTITY or \
        prev.operation in FIGURE_TURNS and slots.statistic(text) or \
        (follows or names_nothing) and (in_list or  # "what did the third one score?", "who's last?": that ranking
                     opens(text) and operation in DIMENSION_FOLLOWS_ENTITY) or words("same_measure")(text) or slots.of_measure(operation, text)
    if not keeps:
        return None
    if prev.dimension in cat.editions[edition].dimensions:
        return prev.dimension
    old = prev.editions[0] if prev.editions else None
    return ((crosswalk().get(old) or {}).get(prev.dimension) or {}).get(edition)


def fits(edition: str, entity_names: list[str], cat: Catalogue) -> bool:
    """Can the previous edition answer about these entities (members, or at least the same kind)?"""
    info = cat.editions[edition]
    return all(e in info.members or cat.entity_kind.get(e) == info.kind for e in entity_names)


def carried(slot: str, value, prev: Frame | None, elliptical: bool, operation: str, text: str = ""):
    """This turn's value of ``slot`` if it names one, else the previous turn's when the turn
    is elliptical and keeps the operation ("本季度呢" ends the previous period). Returns (value, inherited)."""
    if value not in (None, (), {}) or prev is None or not elliptical or prev.operation != operation or \
            slot == "period" and words("current_period")(text):
        return value, False
    old = getattr(prev, slot)
    return (old, True) if old not in (None, (), {}, 0) else (value, False)  # 0: offset's default, no place


def measure_kept(prev: Frame | None, operation: str, inherited: set[str], mentions) -> bool:
    """Does a turn that sets its place against another keep the raw indicator the last turn asked
    of that place ("深圳的高新技术企业数是多少" → "比广州多多少")? Only when it names no measure of its own."""
    return prev is not None and bool(prev.indicator) and not prev.dimension and prev.operation in ("lookup", "compare", "gap") and \
        operation in ("compare", "gap") and "entities" in inherited and \
        not any(m.kind in ("dimension", "indicator", "concept") for m in mentions)


def retopic(own: str | None, prev: Frame, new_entities: list[str]) -> str | None:
    """An elliptical narrative turn naming only other entities or a year, or words the last topic had ("那成都呢？"
    after 重庆, "那2022年呢", "那深圳呢，报告怎么评价的" after 上海's 总体评价): the previous topic with the entities
    swapped and the year added; ``None`` when the turn has words of its own."""
    rest = set((own or "").split()) - set(new_entities) - {"年", "年度", "year"}
    years = sorted(w for w in rest if re.fullmatch(r"(?:19|20)\d\d", w))
    if not prev.topic or rest - set(years) - set(prev.topic.split()):
        return None
    topic = prev.topic
    for old, new in zip(prev.entities, new_entities):
        topic = topic.replace(old, new)
    return " ".join([topic, *years])


def repremise(prev: Frame, new_entities: list[str], editions: tuple[str, ...]) -> list[dict]:
    """The previous turn's premises about its one entity, asserted now of this turn's one entity."""
    if len(prev.entities) != 1 or len(new_entities) != 1:
        return []
    out = []
    for p in prev.premises:
        # a standing asserted of one dimension ("为什么弱") is not asserted of the next one asked ("那创新投入呢")
        if p.kind in ("ordering", "membership", "edition_year", "weak", "strong") or p.entity != prev.entities[0]:
            continue
        data = p.model_dump(exclude_defaults=True) | {"entity": new_entities[0]}
        if p.edition and editions and p.edition != editions[0]:
            data["edition"] = editions[0]
        out.append(data)
    return out
