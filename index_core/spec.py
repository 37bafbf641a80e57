"""Declarative methodology specs (one YAML file per edition), validated with pydantic.

A spec says what an index measures and how it is computed: dimensions and their
weights, indicators, normalisation, aggregation and tier rules. Every number in a
shipped spec carries its ``source`` (seed file and line).
"""
from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import SpecError, UnknownDimensionError

WEIGHT_TOLERANCE = 1e-6
SPEC_GUIDE = "index_core/data/README.md (the formats) and examples/example-2025/spec.yaml (an annotated spec)"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Model):
    """Where a number or passage is printed: seed file and 1-based line(s)."""

    file: str
    line: int | None = None
    lines: tuple[int, int] | None = None


class Label(_Model):
    zh: str
    en: str


class Names(_Model):
    """What people call an edition in a question, per language ("2019年城市产业创新综合能力指数")."""

    zh: list[str] = Field(default_factory=list)
    en: list[str] = Field(default_factory=list)


class Section(_Model):
    name: str
    lines: tuple[int, int]


class SourceRange(_Model):
    file: str
    sections: list[Section] = Field(default_factory=list)


class Count(_Model):
    value: int
    source: Source | None = None


class Dimension(_Model):
    """A first-level dimension (一级指标). ``weight`` in [0, 1]; ``None`` when unweighted."""

    key: str
    zh: str
    en: str
    weight: float | None = None
    aliases: list[str] = Field(default_factory=list)  # other names users type: "talent", "芯片"
    source: Source | None = None


class Indicator(_Model):
    """A second-level indicator (二级指标). ``weight`` is its share within its dimension."""

    no: int
    zh: str
    en: str
    key: str | None = None
    unit: str | None = None
    dimension: str
    direction: Literal["positive", "negative"] = "positive"
    weight: float | None = None
    source: Source | None = None

    @property
    def column(self) -> str:
        """The data column for this indicator: its ``key``, else ``i<no>``."""
        return self.key or f"i{self.no}"


class Element(_Model):
    key: str
    zh: str
    en: str
    source: Source | None = None


class Normalisation(_Model):
    method: Literal["minmax", "zscore", "rank", "unpublished"] = "minmax"
    range: tuple[float, float] = (0.0, 100.0)
    source: Source | None = None


class Aggregation(_Model):
    method: Literal["weighted_sum", "geometric", "sum", "published"] = "weighted_sum"
    source: Source | None = None


class TierRule(_Model):
    """A tier: entities whose composite is >= ``threshold`` (and below the tier above).

    ``threshold`` is a number, ``"derive"`` (computed from the stated membership, so
    ``status`` must be ``assumed``), or 0 for the last tier."""

    tier: int
    zh: str
    en: str
    alias_zh: str | None = None
    alias_en: str | None = None
    threshold: float | Literal["derive"]
    status: Literal["stated", "assumed"]
    source: Source | None = None
    alias_source: Source | None = None  # where the report gives the tier its other name ("第一梯队领跑者代表：北京")

    @model_validator(mode="after")
    def _derive_is_assumed(self) -> "TierRule":
        if self.threshold == "derive" and self.status != "assumed":
            raise ValueError(f"tier {self.tier}: a derived threshold must have status 'assumed'")
        return self


class Tiers(_Model):
    basis: Literal["composite"] = "composite"
    rules: list[TierRule]
    unnamed: Label | None = None

    @field_validator("rules")
    @classmethod
    def _ordered(cls, rules: list[TierRule]) -> list[TierRule]:
        numbers = [r.tier for r in rules]
        if numbers != list(range(1, len(rules) + 1)):
            raise ValueError(f"tiers must be numbered 1..{len(rules)} in order, got {numbers}")
        fixed = [r.threshold for r in rules if r.threshold != "derive"]
        if any(a <= b for a, b in zip(fixed, fixed[1:])):
            raise ValueError(f"tier thresholds must decrease from tier 1 down, got {fixed}")
        return rules


class Spec(_Model):
    """One edition's methodology."""

    id: str
    title: Label
    report: Label | None = None
    names: Names | None = None  # default: the edition year and the title (see Spec.edition_names)
    edition_year: int
    data_year: int | None = None
    period: str | None = None
    source: SourceRange
    entity_kind: Literal["city", "district", "global_city"]
    entity_count: Count | None = None
    data_level: Literal["raw", "dimension", "composite", "tier"]
    dimensions: list[Dimension]
    # the sentence that names the dimensions, where the report prints their weights elsewhere
    # ("亿欧选择科研人才……五个维度", 2020): cited beside the weights when an answer lists them
    dimensions_named: Source | None = None
    indicators: list[Indicator] = Field(default_factory=list)
    indicator_weights: Literal["equal"] | None = None
    elements: list[Element] = Field(default_factory=list)
    normalisation: Normalisation = Normalisation()
    aggregation: Aggregation = Aggregation()
    tiers: Tiers | None = None

    @model_validator(mode="after")
    def _consistent(self) -> "Spec":
        keys = [d.key for d in self.dimensions]
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise ValueError(f"duplicate dimension keys {dupes}")
        for ind in self.indicators:
            if ind.dimension not in keys:
                raise ValueError(
                    f"indicator {ind.no} ({ind.zh}) names unknown dimension {ind.dimension!r}; known: {keys}"
                )
        columns = [i.column for i in self.indicators]
        if len(set(columns)) != len(columns):
            raise ValueError("indicator numbers/keys must be unique")
        if self.aggregation.method in ("weighted_sum", "geometric"):
            weights = [d.weight for d in self.dimensions]
            if any(w is None for w in weights):
                missing = [d.key for d in self.dimensions if d.weight is None]
                raise ValueError(f"aggregation {self.aggregation.method!r} needs a weight on every dimension; missing on {missing}")
            if any(w < 0 for w in weights):  # type: ignore[operator]
                raise ValueError(f"dimension weights must be >= 0, got {weights}")
            total = math.fsum(weights)  # type: ignore[arg-type]
            if abs(total - 1.0) > WEIGHT_TOLERANCE:
                raise ValueError(
                    f"dimension weights sum to {total:g}, expected 1 "
                    f"({', '.join(f'{d.key}={d.weight:g}' for d in self.dimensions)})"
                )
        for key in keys:
            explicit = [i.weight for i in self.indicators if i.dimension == key and i.weight is not None]
            if explicit and math.fsum(explicit) > 1.0 + WEIGHT_TOLERANCE:
                raise ValueError(f"indicator weights in dimension {key!r} sum to {math.fsum(explicit):g}, more than 1")
        if self.data_level == "raw" and not self.indicators:
            raise ValueError("data_level 'raw' needs an indicator list")
        return self

    def dimension(self, key: str) -> Dimension:
        for d in self.dimensions:
            if d.key == key:
                return d
        raise UnknownDimensionError(
            f"Unknown dimension {key!r} for edition {self.id}",
            hint=f"Known dimensions: {', '.join(d.key for d in self.dimensions)}",
            suggestions=_close(key, [d.key for d in self.dimensions] + [d.zh for d in self.dimensions]),
        )

    def edition_names(self, lang: str) -> list[str]:
        """Names a question may use for this edition (``lang`` zh or en): the spec's ``names``,
        else the edition year with the title ("2025年示例城市硬科技指数", "2025 Example ... Index")."""
        given = getattr(self.names, lang) if self.names else []
        if given:
            return list(given)
        return [f"{self.edition_year}年{self.title.zh}" if lang == "zh" else f"{self.edition_year} {self.title.en}"]

    @property
    def weights(self) -> dict[str, float]:
        """Dimension weights (key -> weight in [0, 1]); empty when unweighted."""
        return {d.key: d.weight for d in self.dimensions if d.weight is not None}


def _close(text: str, options: list[str]) -> list[str]:
    import difflib

    return difflib.get_close_matches(text, options, n=3, cutoff=0.4)


def parse_spec(data: object, where: str) -> Spec:
    """Validate a parsed YAML mapping into a :class:`Spec`, or raise :class:`SpecError`."""
    if not isinstance(data, dict):
        raise SpecError("A spec must be a YAML mapping", where=where, hint=f"See {SPEC_GUIDE}")
    try:
        return Spec.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        msg = first["msg"].removeprefix("Value error, ")
        raise SpecError(
            f"Invalid spec: {msg}" + (f" (field {loc})" if loc else ""),
            where=where,
            hint=f"Fix the spec file; see {SPEC_GUIDE}",
        ) from None
