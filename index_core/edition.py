"""Evaluate an edition: from its data level up to composite, rank and tier (pure).

``evaluate`` is the pipeline for the shipped editions (published dimension scores,
or published composites only); ``compute_from_raw`` runs the full pipeline from raw
indicator values. Both return an :class:`EditionResult`, logged step by step in
``steps`` (COINr style) so a reader can see what was computed and what was printed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
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
class EditionResult:
    """The evaluated edition.

    ``table`` is indexed by entity (canonical name), in report order, with columns:
    ``composite`` (points; NaN where neither computable nor printed),
    ``composite_source`` ("computed" | "published" | None), ``published_composite``,
    ``rank`` (Int64), ``rank_source``, ``published_rank``, ``tier`` (Int64, 1 = best),
    ``tier_status`` ("stated" | "assumed" | "unnamed"), ``stated_tier`` (what the
    report says, Int64), and per dimension ``<key>.score``, ``<key>.rank``,
    ``<key>.published_rank``.
    """

    spec: Spec
    table: pd.DataFrame
    thresholds: list[engine.ResolvedTier] = field(default_factory=list)
    stated_tiers: dict[int, list[str]] = field(default_factory=dict)
    discrepancies: list[dict] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    weights: dict[str, float] = field(default_factory=dict)
    indicator_scores: pd.DataFrame | None = None
    bounds: pd.DataFrame | None = None

    @property
    def dimension_keys(self) -> list[str]:
        return [d.key for d in self.spec.dimensions]

    def dimension_scores(self) -> pd.DataFrame:
        """Entity x dimension scores (points), columns in spec order."""
        return self.table[[f"{k}.score" for k in self.dimension_keys]].rename(columns=lambda c: c[: -len(".score")]).astype(float)


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
    dims: pd.DataFrame,
    wide: pd.DataFrame,
    weights: Mapping[str, float],
    steps: list[str],
    thresholds: list[engine.ResolvedTier] | None = None,
    **extra,
) -> EditionResult:
    """Shared tail of the pipeline: composite, ranks, tiers, discrepancies.

    Every column is computed as a whole array and the table is assembled once."""
    index = entities = pd.Index(entities, name="entity")
    unpublished = _int_column(None, entities).array  # shared by every column the report does not print
    published_composite = wide["composite"] if "composite" in wide else pd.Series(np.nan, index=entities)
    published_rank = wide["rank"] if "rank" in wide else None

    method = spec.aggregation.method
    scores = dims.to_numpy(dtype=float)  # entity x dimension
    any_dims = bool(scores.size) and not np.isnan(scores).all()
    if method in ("weighted_sum", "geometric") and any_dims:
        composite = (
            engine.weighted_composite(dims, weights)
            if method == "weighted_sum"
            else engine.aggregate(dims, weights, "geometric", missing="reweight", min_coverage=1.0)
        )
        steps.append(f"composite = {method} of {len(dims.columns)} dimensions, weights {dict(weights)}")
    elif method == "sum" and any_dims:
        composite = dims.sum(axis=1, min_count=len(dims.columns))
        steps.append("composite = sum of the dimension scores, where all are printed")
    else:
        composite = pd.Series(np.nan, index=entities, dtype=float)
    computed = composite.to_numpy(dtype=float)
    printed = published_composite.to_numpy(dtype=float)
    # Where nothing can be computed, the printed composite is the best we have.
    use_published = np.isnan(computed) & ~np.isnan(printed)
    value = np.where(use_published, printed, computed)
    source = np.full(len(entities), None, dtype=object)
    source[~np.isnan(computed)] = "computed"
    source[use_published] = "published"
    columns: dict[str, object] = {"composite": value, "composite_source": source, "published_composite": printed}
    composite_values = pd.Series(value, index=entities)
    columns["rank"], rank_source = _rank_or_published(value, published_rank)
    columns["published_rank"] = unpublished if published_rank is None else _int_column(published_rank, entities).array
    steps.append(f"rank: {rank_source} (competition ranking, 1 = highest composite)")

    for j, key in enumerate(dims.columns.tolist()):
        pub = wide[f"{key}.rank"] if f"{key}.rank" in wide else None
        columns[f"{key}.score"] = scores[:, j]
        columns[f"{key}.rank"] = _rank_or_published(scores[:, j], pub)[0]
        columns[f"{key}.published_rank"] = unpublished if pub is None else _int_column(pub, entities).array

    stated = _stated_tiers(wide)
    stated_tier = pd.Series(unpublished, index=entities) if "tier" not in wide else _int_column(wide["tier"], entities)
    columns["stated_tier"] = stated_tier.array
    complete = not np.isnan(value).any()
    if spec.tiers is not None:
        if thresholds is None:
            rules = [(r.tier, r.threshold, r.status) for r in spec.tiers.rules]
            thresholds = engine.resolve_thresholds(composite_values, rules, stated)
        if complete:
            tier = engine.assign_tiers(composite_values, thresholds)
            status = {t.tier: t.status for t in thresholds}
            labels = np.array([status.get(t, "unnamed") for t in range(len(thresholds) + 2)], dtype=object)
            columns["tier"] = tier.array
            columns["tier_status"] = labels[tier.to_numpy(dtype=np.int64)]
            steps.append("tiers: " + ", ".join(f"{t.tier}>={t.threshold:g} ({t.status})" for t in thresholds))
        else:
            columns["tier"] = stated_tier.array
            columns["tier_status"] = np.where(stated_tier.notna().to_numpy(), "stated", None)
            steps.append("tiers: as stated by the report (composites are not available for every entity)")
    else:
        columns["tier"] = unpublished
        columns["tier_status"] = np.full(len(entities), None, dtype=object)
    table = pd.DataFrame(columns, index=index, copy=False)
    table.attrs["rank_source"] = rank_source
    result = EditionResult(
        spec=spec, table=table, thresholds=thresholds or [], stated_tiers=stated,
        steps=steps, weights=dict(weights), **extra,
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
    return _finish(spec, entities, dims, wide, w, steps, thresholds)


def compute_from_raw(spec: Spec, raw: pd.DataFrame, missing: engine.MissingPolicy = "error",
                     min_coverage: float = 0.75, weights: Mapping[str, float] | None = None) -> EditionResult:
    """Full pipeline from raw indicator values (entities x indicator columns, numeric).

    Columns are the spec's indicator columns (``Indicator.column``). Each logged step
    (raw -> normalised -> aggregated -> composite, ranks, tiers) is one whole-array
    operation over every entity and indicator."""
    if spec.normalisation.method == "unpublished":
        raise SpecError("This spec has no normalisation method", hint="Set normalisation.method to minmax, zscore or rank.")
    columns = {i.column: i for i in spec.indicators}
    cols = list(columns)
    directions = {c: (1 if i.direction == "positive" else -1) for c, i in columns.items()}
    selected = raw if raw.columns.tolist() == cols else raw[cols]
    scores, bounds = engine.normalise(selected, directions, spec.normalisation.method, spec.normalisation.range)
    steps = [f"normalise {len(cols)} indicators by {spec.normalisation.method} to {list(spec.normalisation.range)} over {len(raw)} entities"]
    iw = engine.effective_weights({c: i.dimension for c, i in columns.items()}, {c: i.weight for c, i in columns.items()})
    agg = "weighted_sum" if spec.aggregation.method in ("sum", "published") else spec.aggregation.method
    groups: dict[str, list[str]] = {d.key: [] for d in spec.dimensions}
    for c, i in columns.items():
        groups.setdefault(i.dimension, []).append(c)
    groups = {d.key: groups[d.key] for d in spec.dimensions}
    dims = engine.aggregate_groups(scores, iw, groups, agg, missing=missing, min_coverage=min_coverage)
    steps.append(f"dimension scores = {agg} of indicator scores, indicator weights {({c: round(w, 4) for c, w in iw.items()})}")
    w = dict(weights) if weights is not None else spec.weights
    wide = pd.DataFrame(index=raw.index)
    return _finish(spec, raw.index, dims, wide, w, steps, indicator_scores=scores, bounds=bounds)
