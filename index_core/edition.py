"""Evaluate an edition: from its data level up to composite, rank and tier (pure).

``evaluate`` is the pipeline for the shipped editions (published dimension scores,
or published composites only); ``compute_from_raw`` runs the full pipeline from raw
indicator values. Both return an :class:`EditionResult`, logged step by step in
``steps`` (COINr style) so a reader can see what was computed and what was printed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from . import engine
from .errors import SpecError
from .io import EditionData
from .spec import Spec

#: Differences between a printed and a computed composite above this are surfaced.
DISCREPANCY_TOLERANCE = 0.005


@dataclass(frozen=True)
class Normalised:
    """The raw -> normalised step kept as arrays: ``scores`` (entity x indicator, points),
    each indicator's raw ``mins`` and ``maxs`` and its ``sign`` (+1 / -1), labelled by ``columns``."""

    scores: np.ndarray
    mins: np.ndarray
    maxs: np.ndarray
    sign: np.ndarray
    columns: list[str]


@dataclass(frozen=True)
class EditionResult:
    """The evaluated edition.

    ``table`` is indexed by entity (canonical name), in report order, with columns:
    ``composite`` (points; NaN where neither computable nor printed),
    ``composite_source`` ("computed" | "published" | None), ``published_composite``,
    ``rank`` (Int64), ``rank_source``, ``published_rank``, ``tier`` (Int64, 1 = best),
    ``tier_status`` ("stated" | "assumed" | "unnamed"), ``stated_tier`` (what the
    report says, Int64), and per dimension ``<key>.score``, ``<key>.rank``,
    ``<key>.published_rank``.

    The pipeline computes every column as a whole array (``columns``, in table order,
    over ``entities``); the frames (``table``, ``indicator_scores``, ``bounds``) are
    built from those arrays the first time a caller asks for them, so a computation
    nobody tabulates pays nothing for pandas.
    """

    spec: Spec
    columns: dict[str, object]
    entities: pd.Index
    rank_source: str = "none"
    thresholds: list[engine.ResolvedTier] = field(default_factory=list)
    stated_tiers: dict[int, list[str]] = field(default_factory=dict)
    discrepancies: list[dict] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    weights: dict[str, float] = field(default_factory=dict)
    normalised: Normalised | None = None

    @cached_property
    def table(self) -> pd.DataFrame:
        table = pd.DataFrame(self.columns, index=self.entities, copy=False)
        table.attrs["rank_source"] = self.rank_source
        return table

    @cached_property
    def indicator_scores(self) -> pd.DataFrame | None:
        """Entity x indicator scores (points) when computed from raw values, else None."""
        n = self.normalised
        return None if n is None else pd.DataFrame(n.scores, index=self.entities, columns=n.columns, copy=False)

    @cached_property
    def bounds(self) -> pd.DataFrame | None:
        """Each indicator's raw min, max and direction when computed from raw values, else None."""
        n = self.normalised
        return None if n is None else engine.bounds_frame(n.columns, n.mins, n.maxs, n.sign)

    @property
    def dimension_keys(self) -> list[str]:
        return [d.key for d in self.spec.dimensions]

    def dimension_scores(self) -> pd.DataFrame:
        """Entity x dimension scores (points), columns in spec order."""
        keys = self.dimension_keys
        return pd.DataFrame({k: self.columns[f"{k}.score"] for k in keys}, index=self.entities, dtype=float)


def _pivot(published: pd.DataFrame, entities: list[str]) -> pd.DataFrame:
    wide = published.pivot(index="entity", columns="measure", values="value") if len(published) else pd.DataFrame()
    return wide.reindex(entities)


def _stated_tiers(wide: pd.DataFrame) -> dict[int, list[str]]:
    if "tier" not in wide:
        return {}
    stated = wide["tier"].dropna().astype(int)
    return {int(t): list(stated[stated == t].index) for t in sorted(stated.unique())}


def _int_column(values: pd.Series | None, entities: pd.Index) -> pd.Series:
    """A nullable integer column (rank, tier) aligned to ``entities``; all <NA> when absent."""
    if values is None:
        return pd.Series(pd.arrays.IntegerArray(np.zeros(len(entities), np.int64), np.ones(len(entities), bool)),
                         index=entities)
    return values.astype("Int64")


def _rank_or_published(values: np.ndarray, published: pd.Series | None) -> tuple[pd.api.extensions.ExtensionArray, str]:
    """Competition ranks of ``values`` when every entity has one, else the printed ranks."""
    if len(values) and not np.isnan(values).any():
        return pd.arrays.IntegerArray(engine.competition_ranks(values), np.zeros(len(values), dtype=bool)), "computed"
    if published is not None:
        return published.astype("Int64").array, "published"
    return _int_column(None, pd.RangeIndex(len(values))).array, "none"


def _finish(
    spec: Spec,
    entities: Sequence[str],
    scores: np.ndarray,
    wide: pd.DataFrame,
    weights: Mapping[str, float],
    steps: list[str],
    thresholds: list[engine.ResolvedTier] | None = None,
    normalised: Normalised | None = None,
) -> EditionResult:
    """Shared tail of the pipeline: composite, ranks, tiers, discrepancies.

    ``scores`` is entity x dimension (points), columns in spec order. Every column is
    computed as a whole array; the table is assembled only when asked for."""
    entities = pd.Index(entities, name="entity")
    keys = [d.key for d in spec.dimensions]
    unpublished = _int_column(None, entities).array  # shared by every column the report does not print
    published_composite = wide["composite"] if "composite" in wide else pd.Series(np.nan, index=entities)
    published_rank = wide["rank"] if "rank" in wide else None

    method = spec.aggregation.method
    any_dims = bool(scores.size) and not np.isnan(scores).all()
    if method == "weighted_sum" and any_dims:
        # the products and order of engine.weighted_composite / engine.contributions
        computed = (scores * np.array([float(weights.get(k, np.nan)) for k in keys])).sum(axis=1)
        steps.append(f"composite = {method} of {len(keys)} dimensions, weights {dict(weights)}")
    elif method == "geometric" and any_dims:
        dims = pd.DataFrame(scores, index=entities, columns=keys)
        computed = engine.aggregate(dims, weights, "geometric", missing="reweight", min_coverage=1.0).to_numpy()
        steps.append(f"composite = {method} of {len(keys)} dimensions, weights {dict(weights)}")
    elif method == "sum" and any_dims:
        computed = pd.DataFrame(scores, columns=keys).sum(axis=1, min_count=len(keys)).to_numpy()
        steps.append("composite = sum of the dimension scores, where all are printed")
    else:
        computed = np.full(len(entities), np.nan)
    printed = published_composite.to_numpy(dtype=float)
    # Where nothing can be computed, the printed composite is the best we have.
    use_published = np.isnan(computed) & ~np.isnan(printed)
    value = np.where(use_published, printed, computed)
    source = np.full(len(entities), None, dtype=object)
    source[~np.isnan(computed)] = "computed"
    source[use_published] = "published"
    columns: dict[str, object] = {"composite": value, "composite_source": source, "published_composite": printed}
    columns["rank"], rank_source = _rank_or_published(value, published_rank)
    columns["published_rank"] = unpublished if published_rank is None else _int_column(published_rank, entities).array
    steps.append(f"rank: {rank_source} (competition ranking, 1 = highest composite)")

    all_ranked = bool(scores.size) and not np.isnan(scores).any()
    ranks = engine.competition_ranks(scores) if all_ranked else None  # every dimension in one sort
    no_gaps = np.zeros(len(entities), dtype=bool)
    for j, key in enumerate(keys):
        pub = wide[f"{key}.rank"] if f"{key}.rank" in wide else None
        columns[f"{key}.score"] = scores[:, j]
        columns[f"{key}.rank"] = (pd.arrays.IntegerArray(ranks[:, j], no_gaps) if ranks is not None
                                  else _rank_or_published(scores[:, j], pub)[0])
        columns[f"{key}.published_rank"] = unpublished if pub is None else _int_column(pub, entities).array

    stated = _stated_tiers(wide)
    stated_tier = unpublished if "tier" not in wide else _int_column(wide["tier"], entities).array
    columns["stated_tier"] = stated_tier
    complete = not np.isnan(value).any()
    if spec.tiers is not None:
        if thresholds is None:
            rules = [(r.tier, r.threshold, r.status) for r in spec.tiers.rules]
            thresholds = engine.resolve_thresholds(pd.Series(value, index=entities), rules, stated)
        if complete:
            tier = engine.tier_numbers(value, thresholds)
            status = {t.tier: t.status for t in thresholds}
            labels = np.array([status.get(t, "unnamed") for t in range(len(thresholds) + 2)], dtype=object)
            columns["tier"] = pd.arrays.IntegerArray(tier, no_gaps)
            columns["tier_status"] = labels[tier]
            steps.append("tiers: " + ", ".join(f"{t.tier}>={t.threshold:g} ({t.status})" for t in thresholds))
        else:
            columns["tier"] = stated_tier
            columns["tier_status"] = np.where(~stated_tier.isna(), "stated", None)
            steps.append("tiers: as stated by the report (composites are not available for every entity)")
    else:
        columns["tier"] = unpublished
        columns["tier_status"] = np.full(len(entities), None, dtype=object)
    result = EditionResult(
        spec=spec, columns=columns, entities=entities, rank_source=rank_source, thresholds=thresholds or [],
        stated_tiers=stated, steps=steps, weights=dict(weights), normalised=normalised,
    )
    if len(wide.columns):  # nothing printed, nothing to contradict
        result.discrepancies.extend(find_discrepancies(result))
    return result


def _known(column: pd.Series) -> np.ndarray:
    return column.notna().to_numpy()


def find_discrepancies(result: EditionResult) -> list[dict]:
    """Where the printed numbers disagree with what the method implies. Never silently fixed."""
    t = result.table
    out: list[dict] = []
    if _known(t["published_composite"]).any():
        computed = (t["composite_source"] == "computed").to_numpy()
        diff = t["composite"].round(2).to_numpy() - t["published_composite"].to_numpy()
        flagged = computed & ~np.isnan(diff) & (np.abs(np.nan_to_num(diff)) > DISCREPANCY_TOLERANCE)
        for entity in t.index[flagged]:
            out.append({
                "entity": entity, "measure": "composite", "published": float(t.at[entity, "published_composite"]),
                "computed": round(float(t.at[entity, "composite"]), 4),
                "note": "the printed composite differs from the weighted sum of the printed (rounded) dimension scores",
            })
    pairs = [("rank", "published_rank")] + [(f"{k}.rank", f"{k}.published_rank") for k in result.dimension_keys]
    for col, pub in pairs:
        if not _known(t[pub]).any():
            continue
        both = t[[col, pub]].dropna()
        for entity, row in both[both[col] != both[pub]].iterrows():
            out.append({"entity": entity, "measure": col, "published": int(row[pub]), "computed": int(row[col]),
                        "note": "the printed rank differs from the rank of the printed scores"})
    # A printed rank order that contradicts the printed scores (e.g. a typo in a TOP10 list).
    for key in result.dimension_keys:
        if not _known(t[f"{key}.published_rank"]).any():
            continue
        sub = t[[f"{key}.score", f"{key}.published_rank"]].dropna().sort_values(f"{key}.published_rank")
        scores = sub[f"{key}.score"].to_numpy()
        for i in range(1, len(scores)):
            if scores[i] > scores[i - 1] + 1e-9:
                entity = sub.index[i]
                out.append({"entity": entity, "measure": f"{key}.rank", "published": int(sub.iloc[i][f"{key}.published_rank"]),
                            "computed": None, "note": f"printed at this rank, yet its score {scores[i]:g} is above the one printed before it ({scores[i - 1]:g})"})
    if _known(t["stated_tier"]).any():
        stated = t[["tier", "stated_tier"]].dropna()
        for entity, row in stated[stated["tier"] != stated["stated_tier"]].iterrows():
            out.append({"entity": entity, "measure": "tier", "published": int(row["stated_tier"]), "computed": int(row["tier"]),
                        "note": "the stated tier differs from the tier the thresholds give"})
    return out


def evaluate(data: EditionData, weights: Mapping[str, float] | None = None,
             thresholds: list[engine.ResolvedTier] | None = None) -> EditionResult:
    """Evaluate a shipped edition from its published level.

    ``weights`` overrides the spec's dimension weights (what-if); ``thresholds`` reuses
    already-resolved tier thresholds (so a what-if keeps the baseline's tiers)."""
    spec = data.spec
    entities = list(data.entities)
    wide = _pivot(data.published, entities)
    keys = [d.key for d in spec.dimensions]
    dims = pd.DataFrame({k: wide[f"{k}.score"] if f"{k}.score" in wide else np.nan for k in keys}, index=entities).astype(float)
    w = dict(weights) if weights is not None else spec.weights
    steps = [f"{spec.id}: data level '{spec.data_level}', {len(entities)} entities, {int(dims.notna().all(axis=1).sum())} with every dimension score printed"]
    return _finish(spec, entities, dims.to_numpy(dtype=float), wide, w, steps, thresholds)


@dataclass(frozen=True)
class _RawPlan:
    """What a spec fixes about the raw pipeline, worked out once per spec: the indicator
    columns in order, their signs, the indicator -> dimension weight matrices and the
    logged description of those weights."""

    columns: list[str]
    sign: np.ndarray
    member: np.ndarray
    weight: np.ndarray
    weights_note: str


@lru_cache(maxsize=64)
def _raw_plan(indicators: tuple[tuple[str, str, str, float | None], ...], dimensions: tuple[str, ...]) -> _RawPlan:
    """``indicators``: (column, dimension, direction, weight) in spec order."""
    cols = [c for c, *_ in indicators]
    iw = engine.effective_weights({c: d for c, d, _, _ in indicators}, {c: w for c, _, _, w in indicators})
    groups: dict[str, list[str]] = {d: [] for d in dimensions}
    for c, d, _, _ in indicators:
        groups.setdefault(d, []).append(c)
    member, weight = engine.group_matrices(cols, iw, {d: groups[d] for d in dimensions})
    sign = np.array([1.0 if direction == "positive" else -1.0 for _, _, direction, _ in indicators])
    for shared in (member, weight, sign):  # cached across calls: nobody may write into them
        shared.flags.writeable = False
    return _RawPlan(cols, sign, member, weight, str({c: round(w, 4) for c, w in iw.items()}))


def compute_from_raw(spec: Spec, raw: pd.DataFrame, missing: engine.MissingPolicy = "error",
                     min_coverage: float = 0.75, weights: Mapping[str, float] | None = None) -> EditionResult:
    """Full pipeline from raw indicator values (entities x indicator columns, numeric).

    Columns are the spec's indicator columns (``Indicator.column``). Each logged step
    (raw -> normalised -> aggregated -> composite, ranks, tiers) is one whole-array
    operation over every entity and indicator; the frames are built on demand."""
    if spec.normalisation.method == "unpublished":
        raise SpecError("This spec has no normalisation method", hint="Set normalisation.method to minmax, zscore or rank.")
    plan = _raw_plan(tuple((i.column, i.dimension, i.direction, i.weight) for i in spec.indicators),
                     tuple(d.key for d in spec.dimensions))
    cols = plan.columns
    selected = raw if raw.columns.tolist() == cols else raw[cols]
    method, value_range = spec.normalisation.method, spec.normalisation.range
    scores, mins, maxs = engine.normalise_array(selected.to_numpy(dtype=float), plan.sign, method, value_range)
    steps = [f"normalise {len(cols)} indicators by {method} to {list(value_range)} over {len(raw)} entities"]
    agg = "weighted_sum" if spec.aggregation.method in ("sum", "published") else spec.aggregation.method
    dims = engine.aggregate_array(scores, plan.member, plan.weight, agg, missing, min_coverage,
                                  rows=raw.index, columns=cols)
    steps.append(f"dimension scores = {agg} of indicator scores, indicator weights {plan.weights_note}")
    w = dict(weights) if weights is not None else spec.weights
    normalised = Normalised(scores, mins, maxs, plan.sign, cols)
    return _finish(spec, raw.index, dims, pd.DataFrame(index=raw.index), w, steps, normalised=normalised)
