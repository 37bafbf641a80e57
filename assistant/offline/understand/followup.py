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
from pathlib import Path
from typing import NamedTuple

from index_core import io

from ..frame import Frame, Link
from . import slots
from .catalogue import Catalogue
from .lexicon import first_category, words

# the closest dimension in another edition, judged by shared indicators (also read by the answers)
CROSSWALK = Path(__file__).resolve().parent.parent / "answers" / "crosswalk.yaml"
# operations whose subject is one or more entities: a bare question inherits them
ENTITY_OPERATIONS = {"lookup", "gap", "why", "breakdown", "change", "compare"}
# operations where an inherited entity brings its dimension along ("And its rank?")
DIMENSION_FOLLOWS_ENTITY = {"lookup", "why", "gap", "breakdown", "compare"}
# operations whose answer is a list of entities: a follow-up about one of them asks about it
LIST_OPERATIONS = ("leader", "rank", "count", "tier", "coverage")
# lists ordered by a dimension: "第二名呢", "and the bottom 3?" keep the dimension
RANKED_OPERATIONS = ("leader", "rank")
# operations whose answer is an entity: "which district leads it?" is not about the one just named
SELECTING = {"leader", "rank", "count", "coverage"}
RECENT = 6
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


def operation(operation: str, prev: Frame | None, named: list[str], elliptical: bool, text: str) -> str:
    """The turn's operation given the one before: a question about one of the entities in a list,
    a comparison continued, a count of the tier just listed."""
    if prev is None:
        return operation
    if not named and len(prev.entities) >= 2 and operation in NOT_ABOUT_THESE and words("cues", "compare")(text):
        return "compare"  # "who is higher on input?", "它们谁更强" after comparing two cities: of those two
    if not named and prev.entities and operation in ("lookup", "concept", "definition", "narrative") and \
            first_category(text.lower(), "strengths_asked"):
        return "why"  # "它的短板呢", "what are its strengths?"
    if named and elliptical and prev.operation in LIST_OPERATIONS and operation == prev.operation:
        return "lookup" if len(named) == 1 else "compare"  # "深圳呢" after "who leads on talent?"
    if prev.operation == "tier" and prev.tier and operation in ("count", "coverage") and slots.tier(text) is None:
        return "count"  # "how many is that?" after a tier's members
    return operation


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


def entities(named: list[str], prev: Frame | None, operation: str, elliptical: bool, text: str,
             answer_entities: list[str], recent: tuple[str, ...] = ()) -> tuple[list[str], bool]:
    """The turn's entities and whether they were inherited."""
    if prev is None:
        return named, False
    # "which of them are in tier 3?", "which district leads it?": members are asked for, not about those named
    members = operation == "coverage" or operation == "tier" and slots.tier(text) is not None
    if not named and not members and len(prev.entities) < 2 and words("cues", "plural")(text):
        group = answer_entities if len(answer_entities) >= 2 else list(recent[-2:])  # "它们差多少" after 北京…, 上海呢
        if len(group) >= 2:
            return group[:2] if words("cues", "compare")(text) or "two" in text.lower() or "两" in text else group, True
    if not named and not prev.entities and answer_entities and pronoun(text) and not members and operation not in SELECTING:
        return answer_entities[:1], True  # "what's its score?" after "which district ranks first?"
    if named:
        joins = operation == "compare" or operation == "gap" and pronoun(text)  # "它比南京高多少"
        if joins and len(named) == 1 and prev.entities and named[0] not in prev.entities:
            return list(prev.entities) + named, True  # "和杭州比呢", "compare it with Hangzhou", "and Shenzhen?"
        return named, False
    if prev.entities and (elliptical or pronoun(text) or operation in ENTITY_OPERATIONS or
                          operation == "tier" and slots.tier(text) is None):  # "which tier is that?"
        return list(prev.entities), True
    return [], False


@functools.lru_cache(maxsize=1)
def crosswalk() -> dict:
    return io.load_yaml(CROSSWALK.read_text(encoding="utf-8")) or {}


def dimension(prev: Frame | None, edition: str | None, operation: str, elliptical: bool, inherited: set[str],
              text: str, cat: Catalogue) -> str | None:
    """The previous turn's dimension, when this turn names none and keeps to it: an elliptical
    turn, the same subject, another place or slice of the same ranking, or a turn that opens as
    a follow-up. In another edition it is that edition's counterpart; tiers are of the composite."""
    if prev is None or not prev.dimension or edition is None or words("overall")(text):
        return None
    if operation == "tier" or slots.aspect(operation, text, [], 1) == "tier":
        return None
    if operation == "why" and prev.operation != "why" and first_category(text.lower(), "strengths_asked"):
        return None  # "它的短板呢": which dimension is the question
    keeps = elliptical or "entities" in inherited and operation in DIMENSION_FOLLOWS_ENTITY or \
        prev.operation in RANKED_OPERATIONS and operation in RANKED_OPERATIONS or \
        opens(text) and operation in DIMENSION_FOLLOWS_ENTITY or words("same_measure")(text)
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


def topic_links(prev: Frame) -> tuple[Link, ...]:
    """The concept the previous turn linked, for a turn that keeps its topic ("哪一年？")."""
    return tuple(link.model_copy(update={"method": "history"}) for link in prev.links
                 if link.kind == "concept" and link.target)


def ordered(inherited: set[str]) -> tuple[str, ...]:
    """Inherited slot names in the frame's field order."""
    return tuple(f for f in Frame.model_fields if f in inherited)
