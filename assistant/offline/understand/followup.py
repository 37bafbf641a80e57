"""Follow-ups: a turn inherits the previous turn's frame and overrides what it names.

"那创新投入呢？" keeps the operation, the city, the edition and the polarity of "深圳的
创新基础为什么弱？" and changes the dimension; "And Hangzhou?" changes the entity;
"the next two" moves the offset; "它属于哪个梯队？" takes the entity of the turn before.
"""
from __future__ import annotations

from ..frame import Frame
from .catalogue import Catalogue
from .lexicon import words

# operations whose subject is one or more entities: a bare question inherits them
ENTITY_OPERATIONS = {"lookup", "gap", "why", "breakdown", "change", "compare"}
# operations where an inherited entity brings its dimension along ("And its rank?")
DIMENSION_FOLLOWS_ENTITY = {"lookup", "why", "gap", "breakdown"}
# slots that an elliptical turn ("And in 2020?", "那杭州呢？") takes over unless it names them
CARRIED = ("aspect", "composite", "period", "n", "direction", "polarity", "tier", "filters", "weights", "topic", "indicator")


def pronoun(text: str) -> bool:
    return words("cues", "pronoun")(text)


def entities(named: list[str], prev: Frame | None, operation: str, elliptical: bool, text: str,
             answer_entities: list[str]) -> tuple[list[str], bool]:
    """The turn's entities and whether they were inherited."""
    if prev is None:
        return named, False
    plural = answer_entities if len(answer_entities) >= 2 and words("cues", "plural")(text) and not named and \
        len(prev.entities) < 2 else []
    if plural:
        return plural[:2] if words("cues", "compare")(text) or "two" in text.lower() or "两" in text else plural, True
    if not named and not prev.entities and answer_entities and pronoun(text):
        return answer_entities[:1], True  # "what's its score?" after "which district ranks first?"
    if named:
        if operation == "compare" and len(named) == 1 and prev.entities and not elliptical and named[0] not in prev.entities:
            return list(prev.entities) + named, True  # "和杭州比呢", "compare it with Hangzhou"
        return named, False
    if prev.entities and (elliptical or pronoun(text) or operation in ENTITY_OPERATIONS):
        return list(prev.entities), True
    return [], False


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


def ordered(inherited: set[str]) -> tuple[str, ...]:
    """Inherited slot names in the frame's field order."""
    return tuple(f for f in Frame.model_fields if f in inherited)
