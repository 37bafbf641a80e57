"""Follow-ups: a turn inherits the previous turn's frame and overrides what it names.

"那创新投入呢？" keeps the operation, the city, the edition and the polarity of "深圳的
创新基础为什么弱？" and changes the dimension; "And Hangzhou?" changes the entity;
"the next two" moves the offset; "它属于哪个梯队？" takes the entity of the turn before.
A turn that changes the operation keeps the subject: "which tier is that?", "who is higher
on input?" (of the two just compared), "how many is that?" (of the tier just listed); a
city named after a list ("深圳呢" after "who leads on talent?") asks about that city. A
dimension asked of one edition is carried to another by its counterpart (``crosswalk.yaml``).
"""
from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import NamedTuple

from index_core import io

from ..frame import Frame, Link
from . import positions, slots
from .catalogue import Catalogue
from .lexicon import Words, first_category, lexicon, words

# the closest dimension in another edition, judged by shared indicators (also read by the answers)
CROSSWALK = Path(__file__).resolve().parent.parent / "answers" / "crosswalk.yaml"
# operations whose subject is one or more entities: a bare question inherits them
ENTITY_OPERATIONS = {"lookup", "gap", "why", "breakdown", "change", "compare"}
TEXT_OPERATIONS = ("concept", "definition", "narrative")
# operations where an inherited entity brings its dimension along ("And its rank?")
DIMENSION_FOLLOWS_ENTITY = {"lookup", "why", "gap", "breakdown", "compare"}
# operations whose answer is a list of entities: a follow-up about one of them asks about it
LIST_OPERATIONS = ("leader", "rank", "count", "tier", "coverage")
# lists ordered by a dimension: "第二名呢", "and the bottom 3?" keep the dimension
RANKED_OPERATIONS = ("leader", "rank")
# operations whose answer is an entity: "which district leads it?" is not about the one just named
SELECTING = {"leader"}
# turns that give an entity's figure, whose origin a follow-up can ask for
FIGURE_TURNS = {"lookup", "breakdown", "why"}
RECENT = 6
# operations that can be asked of one entity picked from those compared ("why is the latter…")
ONE_ENTITY_OPERATIONS = {"lookup", "why", "tier", "change", "breakdown", "narrative"}
# what a turn after a narrative answer is misread as when it names no subject of its own
VAGUE_AFTER_NARRATIVE = {"out_of_scope", "definition", "concept", "narrative"}
# what an elliptical turn can ask of an index's method by naming it alone ("and the weights?")
METHOD_ASPECTS = ("weights", "normalisation", "indicators", "thresholds", "data_year")
# operations a turn about the entities just compared is misread as when it names none of them
NOT_ABOUT_THESE = {"leader", "rank", "count", "concept", "definition", "narrative", "out_of_scope", "unanswerable"}
# slots that an elliptical turn ("And in 2020?", "那杭州呢？") takes over unless it names them
CARRIED = ("aspect", "composite", "period", "n", "direction", "polarity", "tier", "filters", "weights", "topic", "indicator")


def pronoun(text: str) -> bool:
    return words("cues", "pronoun")(text)


def opens(text: str) -> bool:
    """Does the turn open as a follow-up ("and where does Qingdao stand?", "那…", "…呢")?"""
    spans = words("cues", "followup").spans(text)
    return bool(spans and spans[0][0] == 0) or text.rstrip(" ?？。.!！").endswith("呢")


def operation(operation: str, prev: Frame | None, named: list[str], elliptical: bool, text: str,
              mentioned: frozenset[str] = frozenset()) -> str:
    """The turn's operation given the one before: a question about one of the entities in a list,
    a comparison continued, a count of the tier just listed, more about what a passage said."""
    if prev is None:
        return operation
    if not named and picked(prev, text) and operation not in ONE_ENTITY_OPERATIONS:
        return "lookup"  # "what about the latter's tier?" after a comparison: about that one
    if continues_narrative(prev, operation, named, mentioned, text):
        return "narrative"  # "what are the main problems?" after what the journal says of R&D spending
    if not named and len(prev.entities) >= 2 and operation in NOT_ABOUT_THESE and \
            any(b - a >= 2 for a, b in words("cues", "compare").spans(text)):  # not 和 / 与 alone
        return "compare"  # "who is higher on input?", "它们谁更强" after comparing two cities: of those two
    if not named and prev.entities and operation in ("lookup", "concept", "definition", "narrative") and \
            first_category(text.lower(), "strengths_asked"):
        return "why"  # "它的短板呢", "what are its strengths?"
    if named and elliptical and prev.operation in RANKED_OPERATIONS and operation == prev.operation:
        return "lookup" if len(named) == 1 else "compare"  # "深圳呢" after "who leads on talent?"
    if not named and prev.entities and prev.operation in FIGURE_TURNS and words("figure_origin")(text) and \
            (operation in TEXT_OPERATIONS + ("method",) or words("cues", "breakdown")(text) or words("cues", "method")(text)):
        return "breakdown"  # "where does that number come from?", "这个分数是咋算的" after a city's score: how it is made up
    if prev.operation == "tier" and prev.tier and operation in ("count", "coverage") and slots.tier(text) is None:
        return "count"  # "how many is that?" after a tier's members
    if not named and not prev.entities and prev.topic and prev.operation in TEXT_OPERATIONS and \
            operation in ENTITY_OPERATIONS and pronoun(text):
        return "concept"  # "what are its three types?" after "what is new infrastructure?": no city is meant
    if elliptical and not prev.entities and prev.operation != "method" and \
            first_category(text.lower(), "aspects", "method") in METHOD_ASPECTS:
        return "method"  # "权重呢" after a question about the index
    return operation


def continues_narrative(prev: Frame, operation: str, named: list[str], mentioned: frozenset[str], text: str) -> bool:
    """Does a turn that names no new subject ask more about the passages of a narrative turn?"""
    return prev.operation == "narrative" and not named and operation in VAGUE_AFTER_NARRATIVE and \
        not mentioned & {"concept", "edition", "year", "period", "dimension", "indicator"} and \
        not any(words("cues", cue)(text) for cue in ("offtopic", "injection", "write"))


def narrative_topic(own: str | None, prev: Frame) -> str | None:
    """A narrative follow-up's search words: its own, then the previous turn's."""
    words_ = (own or "").split() + [w for w in (prev.topic or "").split() if w not in (own or "").split()]
    return " ".join(words_) or None


def tier_filters(prev: Frame) -> tuple[tuple[str, str], ...]:
    """The previous turn's tier (or class) as a count's filters."""
    return slots.filters("count", prev.question, prev.tier)


class Context(NamedTuple):
    """What the conversation so far leaves for the next turn."""

    frame: Frame | None = None     # the last user turn's frame
    answer: str | None = None      # the assistant's answer after it
    recent: tuple[str, ...] = ()   # entities the user turns named, oldest first (at most RECENT)


def remember(recent: tuple[str, ...], named: tuple[str, ...]) -> tuple[str, ...]:
    """``recent`` with ``named`` moved to its end."""
    return (tuple(e for e in recent if e not in named) + tuple(named))[-RECENT:]


def picked(prev: Frame | None, text: str) -> str | None:
    """One of two or more entities the previous turn named, by its place there ("the latter")."""
    which = first_category(text.lower(), "which_of_those") if prev is not None and len(prev.entities) >= 2 else None
    return None if which is None else prev.entities[0 if which == "first" else 1]


def entities(named: list[str], prev: Frame | None, operation: str, elliptical: bool, text: str,
             answer_entities: list[str], recent: tuple[str, ...] = (), continues: bool = False) -> tuple[list[str], bool]:
    """The turn's entities and whether they were inherited (``continues``: the turn asks more about
    the passages of a narrative turn)."""
    if prev is None:
        return named, False
    if not named and (one := picked(prev, text)):
        return [one], True
    # "which of them are in tier 3?", "which district leads it?": members are asked for, not about those named
    members = operation == "coverage" or operation == "tier" and slots.tier(text) is not None
    if not named and not members and len(prev.entities) < 2 and words("cues", "plural")(text):
        group = answer_entities if len(answer_entities) >= 2 else list(recent[-2:])  # "它们差多少" after 北京…, 上海呢
        if len(group) >= 2:
            return group[:2] if words("cues", "compare")(text) or "two" in text.lower() or "两" in text else group, True
    if not named and not prev.entities and answer_entities and pronoun(text) and not members and \
            operation not in SELECTING and prev.operation != "coverage":  # "its" after a list of all members: the index
        return answer_entities[:1], True  # "what's its score?" after "which district ranks first?"
    if named:
        joins = operation == "compare" or operation == "gap" and pronoun(text)  # "它比南京高多少"
        if joins and len(named) == 1 and prev.entities and named[0] not in prev.entities:
            return list(prev.entities) + named, True  # "和杭州比呢", "compare it with Hangzhou", "and Shenzhen?"
        return named, False
    ahead = operation == "count" and first_category(text.lower(), "aspects", "count") == "ahead"  # "前面还有几个"
    if prev.entities and (elliptical or pronoun(text) or operation in ENTITY_OPERATIONS or
                          continues or ahead or
                          operation == "tier" and slots.tier(text) is None and (pronoun(text) or words("points_back")(text))):  # "which tier is that?"
        return list(prev.entities), True
    return [], False


def against_elided(text: str, start: int) -> bool:
    """Is the one entity named (at ``start``) the other side of a comparison whose subject is left
    unsaid ("比上海差几分", "和上海差多少", "how far behind Shanghai?")? A comparison word ends the
    text before it, and no entity is named there."""
    before = text[:start].rstrip().lower()
    return any(b == len(before) for _, b in words("compared_with").spans(before))


@functools.lru_cache(maxsize=1)
def crosswalk() -> dict:
    return io.load_yaml(CROSSWALK.read_text(encoding="utf-8")) or {}


def relative_edition(edition: str, text: str, cat: Catalogue) -> str | None:
    """The edition before or after ``edition`` in its series (the editions ``crosswalk.yaml`` pairs
    it with), when the turn asks for one ("上一版呢", "and the year before?")."""
    direction = first_category(text.lower(), "relative_edition")
    if direction is None:
        return None
    year = cat.editions[edition].year
    series = {other for dims in (crosswalk().get(edition) or {}).values() for other in dims if other in cat.editions}
    before = direction == "previous"
    candidates = [e for e in series if (cat.editions[e].year < year if before else cat.editions[e].year > year)]
    return max(candidates, key=lambda e: cat.editions[e].year if before else -cat.editions[e].year, default=None)


def dimension(prev: Frame | None, edition: str | None, operation: str, elliptical: bool, inherited: set[str],
              text: str, cat: Catalogue, names_edition: bool = False) -> str | None:
    """The previous turn's dimension, when this turn names none and keeps to it: an elliptical
    turn, the same subject, another place or slice of the same ranking ("第二名呢", "top 5
    then"), a turn that opens as a follow-up, or one that points to it ("on that"). A turn that
    names its own edition is a question of its own unless elliptical. In another edition the
    dimension is that edition's counterpart; tiers are of the composite."""
    if prev is None or not prev.dimension or edition is None or words("overall")(text):
        return None
    if operation == "tier" or slots.aspect(operation, text, [], 1) == "tier":
        return None
    if operation == "why" and prev.operation != "why" and first_category(text.lower(), "strengths_asked"):
        return None  # "它的短板呢": which dimension is the question
    follows = not names_edition and (opens(text) or words("cues", "followup")(text) or positions.place(text.lower()))
    keeps = elliptical or "entities" in inherited and operation in DIMENSION_FOLLOWS_ENTITY or \
        follows and (prev.operation in RANKED_OPERATIONS and operation in RANKED_OPERATIONS or
                     opens(text) and operation in DIMENSION_FOLLOWS_ENTITY) or words("same_measure")(text)
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


def carried(slot: str, value, prev: Frame | None, elliptical: bool, operation: str):
    """This turn's value of ``slot`` if it names one, else the previous turn's when the turn
    is elliptical and keeps the operation. Returns (value, inherited)."""
    if value not in (None, (), {}) or prev is None or not elliptical or prev.operation != operation:
        return value, False
    old = getattr(prev, slot)
    return (old, True) if old not in (None, (), {}) else (value, False)


def retopic(topic: str | None, prev: Frame, new_entities: list[str]) -> str | None:
    """A narrative topic with the previous turn's entities swapped for this turn's."""
    if not topic:
        return topic
    for old, new in zip(prev.entities, new_entities):
        topic = topic.replace(old, new)
    return topic


def repremise(prev: Frame, new_entities: list[str], editions: tuple[str, ...]) -> list[dict]:
    """The previous turn's premises about its one entity, asserted now of this turn's one entity."""
    if len(prev.entities) != 1 or len(new_entities) != 1:
        return []
    out = []
    for p in prev.premises:
        if p.kind in ("ordering", "membership", "edition_year") or p.entity != prev.entities[0]:
            continue
        data = p.model_dump(exclude_defaults=True) | {"entity": new_entities[0]}
        if p.edition and editions and p.edition != editions[0]:
            data["edition"] = editions[0]
        out.append(data)
    return out


def concept_topic(prev: Frame, text: str, named: str | None, cat: Catalogue) -> tuple[str | None, tuple[Link, ...], bool]:
    """The topic of a concept question that links no concept itself, its links, and whether it
    comes from the turns before (``False``: the turn has a topic of its own). A concept whose name is the previous topic plus what this turn says
    ("它有哪些属性" after "什么是硬科技": 硬科技的属性; "what are its seven fields?" after "what is
    the GTII?"), else the previous topic itself when the turn names nothing else or points back
    ("who coined it?", "哪一年", "它包括哪几层")."""
    linked = [link.target for link in prev.links if link.kind == "concept" and link.target in cat.concepts]
    roots = {prev.topic.lower()} | {n.lower() for c in linked for n in cat.concepts[c].names_zh + cat.concepts[c].names_en}
    best = max(((_rest_said(name, roots, text), c) for c in cat.concepts.values() if c.id not in linked
                for name in c.names_zh + c.names_en), key=lambda x: x[0], default=(0, None))
    before = tuple(link.model_copy(update={"method": "history"}) for link in prev.links if link.kind == "concept" and link.target)
    if best[0]:  # the earlier concepts stay linked after it: "那八大领域呢" next is about 硬科技 again
        c = best[1]
        name = (c.names_zh or c.names_en)[0]
        return name, (Link(surface=name, kind="concept", target=c.id, method="history"),) + before, True
    if named is None or pronoun(text):
        return prev.topic, before, True
    return named, (), False


def _rest_said(name: str, roots: set[str], text: str) -> int:
    """How much of ``name`` beyond one of ``roots`` the turn says (0: none, or no root in it)."""
    low, name = text.lower(), name.lower()
    said = 0
    for root in roots:
        if len(root) < 2 or root not in name or root == name:
            continue
        rest = name.replace(root, " ")
        if rest.isascii():
            words = [w for w in re.findall(r"[a-z0-9]+", _unasked(rest)) if w not in _stopwords()]
            if words and all(re.search(rf"\b{w}\b", low) for w in re.findall(r"[a-z0-9]+", rest)):
                said = max(said, sum(map(len, words)))
        else:
            rest = rest.strip(" 的之")
            if len(_unasked(rest).strip(" 的之了")) >= 2 and rest in low:
                said = max(said, len(rest))
    return said


def _unasked(text: str) -> str:
    """``text`` without the words that ask for an aspect ("who coined", 由来, parts): those are the
    aspect of the same topic, not another concept."""
    for a, b in reversed(_aspect_words().spans(text)):
        text = text[:a] + " " + text[b:]
    return text


@functools.lru_cache(maxsize=1)
def _aspect_words() -> Words:
    return Words(f for forms in lexicon()["aspects"]["concept"].values() for lang in forms.values() for f in lang)


@functools.lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    return frozenset(str(w).lower() for w in lexicon()["topic_stopwords"]["en"])


def ordered(inherited: set[str]) -> tuple[str, ...]:
    """Inherited slot names in the frame's field order."""
    return tuple(f for f in Frame.model_fields if f in inherited)
