"""The question frame: the one contract between understanding and answering.

``understand(question, history) -> Frame`` fills it (a classifier over an exemplar
bank, data-driven linking, follow-up inheritance, premise extraction, or an LLM
through structured output). ``answer(frame) -> Envelope`` reads nothing else: a
handler per :data:`Operation` turns the frame into blocks that the writer renders
in the frame's language. The envelope carries the frame and the route taken, so
eval reports and logs show how each question was understood.

Every value that names data is canonical: entity names as in the registry
(``index_core/data/entities.csv``, e.g. ``深圳``), edition ids and dimension keys as
in the specs, indicator names as in ``facts.csv`` (``indicator_zh``). Surface forms
the user typed live only in :attr:`Frame.links`.
"""
from __future__ import annotations

from typing import Any, Literal, Mapping

from pydantic import BaseModel, ConfigDict, Field

Operation = Literal[
    "lookup",        # an entity's score / rank / tier / indicator value in an edition ("深圳2019年得分多少")
    "compare",       # two or more entities side by side ("Compare Shenzhen and Hangzhou")
    "gap",           # a difference: between entities, or to the next rank / tier / the leader ("差几分", "by how much")
    "rank",          # an ordered list: top / bottom N by composite, a dimension or a sub-index
    "leader",        # who is first (or last) overall, by a dimension, or in a field ("who leads chips?")
    "count",         # how many entities satisfy a filter ("how many Chinese cities are in the GTII top 15")
    "tier",          # tier or class membership ("2020年第二梯队有哪些城市", "which class is 渝北区 in")
    "why",           # reasons an entity is weak or strong on something (profile facts + narrative)
    "breakdown",     # how a composite is made up: contributions per dimension
    "change",        # change between periods: quarter on quarter, or the same entity across editions
    "method",        # how an index is computed: weights, normalisation, indicators, thresholds, data year
    "concept",       # what a report says a term or framework consists of, where it comes from
    "definition",    # what a term means ("what is hard tech", "什么是硬科技")
    "narrative",     # anything else the reports' text answers (investment figures, a journal article)
    "whatif",        # re-weighting ("what if the weights were equal")
    "sensitivity",   # robustness of ranks / tiers to the weights
    "coverage",      # what an edition covers: how many entities, which ones, which editions exist
    "unanswerable",  # in scope, but no edition and no passage supports an answer
    "out_of_scope",  # not about the indices or the reports (weather, poems), or a write / injection attempt
]

OPERATIONS: tuple[str, ...] = Operation.__args__  # type: ignore[attr-defined]

Language = Literal["zh", "en"]


class Link(BaseModel):
    """One mention in the question and what it was linked to (or why not)."""

    model_config = ConfigDict(frozen=True)

    surface: str                     # as typed: "Shenzen", "深证", "chong qing"
    kind: Literal["entity", "dimension", "indicator", "edition", "year", "concept"]
    target: str | None = None        # canonical name / key / edition id; None = unresolved
    score: float = 100.0             # match quality, 0..100 (100 = exact alias)
    method: Literal["exact", "alias", "fuzzy", "pinyin", "history", "llm"] = "exact"
    suggestions: tuple[str, ...] = ()  # "did you mean" candidates when unresolved or fuzzy


class Premise(BaseModel):
    """Something the question asserts, to be checked against the data before answering.

    Examples: "Why did Shenzhen come first?" -> ``Premise(kind="rank", entity="深圳", value=1)``;
    "why did X drop out of the top 10" -> ``kind="outside_top", value=10``;
    "why is X in tier 3" -> ``kind="tier", value=3``; "the 2024 edition" -> ``kind="edition_year", value=2024``;
    "why is X ahead of Y" -> ``kind="ordering", entity=X, other=Y``."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["rank", "tier", "class", "in_top", "outside_top", "leader", "last", "ordering",
                  "edition_year", "membership", "weak", "strong",
                  "score", "count", "change",  # a stated score (value); the edition's size (value); a rise or fall
                                               # of rank between editions (value "up" | "down")
                  "same_tier",                 # entity and other in one tier or class
                  "dimension",                 # the edition has the dimension (key in value) the question names
                  "outside_tier",              # the entity is not in tier / class ``value``
                  "only_tier",                 # the entity alone in tier / class ``value``
                  "tier_first", "tier_last",   # the entity highest / lowest of the members of tier / class ``value``
                  "not_leader", "not_last",    # the entity not (no longer) first / not last ("lost first place")
                  "tier_count",                # the edition has ``value`` tiers or classes
                  "score_change",              # a rise or fall of the composite between editions (value "up" | "down")
                  "rank_range",                # a band of places: value "20-29", "21-" (past the 20th) or "b5" (bottom 5)
                  "tally",                     # what a count question says the count comes to (value)
                  "cross_index",               # a city (entity) against one of its districts (other): two indices
                  "weight",                    # the dimension weighs ``value`` percent of the composite
                  "indicator_value"]           # the entity's ``indicator`` stands at ``value`` (as the report states it)
    entity: str | None = None
    other: str | None = None         # the second entity of an ordering premise
    value: float | int | str | None = None
    edition: str | None = None
    dimension: str | None = None
    indicator: str | None = None     # the indicator an ``indicator_value`` premise is about


class Filter(BaseModel):
    model_config = ConfigDict(frozen=True)

    field: Literal["country", "region", "kind", "tier", "class", "score_min", "score_max", "exclude"]
    value: str                       # "CN", "广东", "district", "2", ...; score_min / score_max: "50"; exclude: an entity set aside
                                     # (score >= 50 / score < 50, on the frame's dimension or the composite)


class Frame(BaseModel):
    """What the question asks, in canonical terms. Frozen: a follow-up builds a new frame
    from the previous one with ``model_copy(update=...)`` and lists the slots it took in
    :attr:`inherited`."""

    model_config = ConfigDict(frozen=True)

    question: str
    language: Language
    operation: Operation
    # --- slots
    entities: tuple[str, ...] = ()           # canonical registry names, in the order asked
    editions: tuple[str, ...] = ()           # resolved edition ids; first = the one to answer from
    edition_source: Literal["explicit", "year", "dimension", "inherited", "default"] | None = None
    year: int | None = None                  # a year the user named, even when no edition has it
    dimension: str | None = None             # dimension / field / sub-index key in ``editions[0]``
    indicator: str | None = None             # facts.csv ``indicator_zh`` or a spec indicator name
    aspect: str | None = None                # the facet asked: lookup: score|rank|tier|indicator|overview|
                                             # versus_mean|versus_median (is it above the average?);
                                             # gap: entity|ends|next_rank|next_below|nearest|next_tier|leader|threshold;
                                             # method: weights|normalisation|indicators|thresholds|data_year|formula;
                                             # concept: parts|origin|fields|definition|data_year;
                                             # breakdown: discrepancy (why printed and computed composites differ)
    composite: Literal["printed", "computed"] | None = None  # which composite the question wants
    period: str | None = None                # "previous" (last quarter / edition) or a period label
    n: int | None = None                     # top/bottom N; None = the handler's default
    offset: int = 0                          # rows already shown ("the next two" after a top 3)
    direction: Literal["top", "bottom"] | None = None
    polarity: Literal["weak", "strong"] | None = None  # for why
    tier: int | None = None                  # the tier / class asked about
    filters: tuple[Filter, ...] = ()
    weights: Mapping[str, float] | None = None  # what-if weights by dimension key (not yet normalised)
    supposed_score: float | None = None      # what-if: the score (0-100) entities[0] is supposed to have on dimension
    supposed_change: float | None = None     # what-if: points added to (negative: taken from) that score instead
    topic: str | None = None                 # concept key (concepts data) or the search text for narrative questions
    reason: str | None = None                # out_of_scope / unanswerable: off_topic|write_request|injection|unknown_measure|...
    premises: tuple[Premise, ...] = ()
    # --- how it was understood
    links: tuple[Link, ...] = ()             # every mention, resolved or not
    inherited: tuple[str, ...] = ()          # slot names taken from the previous turn's frame
    understood_by: Literal["classifier", "llm", "follow_up"] = "classifier"
    confidence: float = Field(1.0, ge=0.0, le=1.0)  # the operation classifier's probability

    @property
    def unresolved(self) -> tuple[Link, ...]:
        """Mentions of entities, dimensions or editions that could not be linked."""
        return tuple(link for link in self.links if link.target is None)

    def summary(self) -> dict[str, Any]:
        """The frame as JSON-ready data, without defaults (for the envelope and logs)."""
        return self.model_dump(mode="json", exclude_defaults=True)


def in_field_order(slots: set[str]) -> tuple[str, ...]:
    """Slot names (those a turn inherited) in the frame's field order."""
    return tuple(f for f in Frame.model_fields if f in slots)
