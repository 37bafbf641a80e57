"""The scoring pipeline as pure functions over pandas/numpy (no I/O).

raw indicators --normalise--> indicator scores [0, 100] --aggregate--> dimension
scores --aggregate--> composite --rank--> ranks --tiers--> tiers.

Conventions: frames are indexed by entity name; scores are in points on the
normalisation range (default [0, 100]); weights are fractions summing to 1.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, Mapping, Sequence

import numpy as np
import pandas as pd

from .errors import DataValidationError, Problem, SpecError

NormalisationMethod = Literal["minmax", "zscore", "rank"]
AggregationMethod = Literal["weighted_sum", "geometric", "sum"]
MissingPolicy = Literal["error", "reweight"]


def normalise(
    raw: pd.DataFrame,
    directions: Mapping[str, int] | None = None,
    method: NormalisationMethod = "minmax",
    value_range: tuple[float, float] = (0.0, 100.0),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Normalise each indicator column; return ``(scores, bounds)``.

    ``directions`` maps a column to +1 (higher is better, default) or -1. With
    ``minmax`` (the reports' 效用值法) the best entity scores ``value_range[1]`` and the
    worst ``value_range[0]``; a column where all entities are equal scores the top of
    the range for everyone. ``bounds`` records each column's raw min and max, since
    adding or removing an entity moves every score. NaN stays NaN.
    """
    sign = np.array([float((directions or {}).get(c, 1)) for c in raw.columns.tolist()])
    out, mins, maxs = normalise_array(raw.to_numpy(dtype=float), sign, method, value_range)
    scores = pd.DataFrame(out, index=raw.index, columns=raw.columns, copy=False)
    return scores, bounds_frame(raw.columns, mins, maxs, sign)


def bounds_frame(columns: Sequence[str], mins: np.ndarray, maxs: np.ndarray, sign: np.ndarray) -> pd.DataFrame:
    """Each indicator's raw ``min`` and ``max`` and its ``direction`` (+1 / -1), one row per column."""
    return pd.DataFrame({"min": mins, "max": maxs, "direction": sign.astype(int)}, index=columns)


def normalise_array(
    x: np.ndarray, sign: np.ndarray, method: NormalisationMethod = "minmax",
    value_range: tuple[float, float] = (0.0, 100.0),
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`normalise` on an entity x indicator array with one sign (+1 / -1) per column:
    returns ``(scores, raw column minima, raw column maxima)``; whole-array passes only."""
    lo_v, hi_v = value_range
    mins, maxs = x.min(axis=0, initial=np.inf), x.max(axis=0, initial=-np.inf)
    if np.isnan(mins).any():  # min/max propagate NaN: only then pay for the NaN-aware pass
        mins, maxs = np.nanmin(x, axis=0), np.nanmax(x, axis=0)
    if method == "minmax":
        # (x - origin) / signed span * (hi - lo) + lo, column by column, in three or four
        # whole-array passes. origin is the worst raw value (min, or max for a negative
        # indicator), so the worst entity scores lo and the best exactly hi; dividing by
        # the span (not multiplying by its reciprocal) keeps the ends exact. A constant
        # column maps to hi.
        span = maxs - mins
        spread = span > 0
        origin = np.where(sign > 0, mins, maxs)
        out = x - origin
        out /= np.where(spread, sign * span, 1.0)
        out *= hi_v - lo_v
        offset = np.where(spread, lo_v, hi_v)
        if offset.any():
            out += offset
    elif method == "zscore":
        with np.errstate(invalid="ignore", divide="ignore"):
            mean, std = np.nanmean(x, axis=0), np.nanstd(x, axis=0)
            out = sign * (x - mean) / np.where(std > 0, std, 1.0)
    elif method == "rank":
        ranked = pd.DataFrame(x * sign).rank(method="average", pct=False)
        n = ranked.count().to_numpy(dtype=float)
        out = lo_v + (ranked.to_numpy() - 1) / np.where(n > 1, n - 1, 1) * (hi_v - lo_v)
    else:  # pragma: no cover - guarded by the spec's Literal
        raise SpecError(f"Unknown normalisation method {method!r}", hint="Use minmax, zscore or rank.")
    return out, mins, maxs


def effective_weights(groups: Mapping[str, str], explicit: Mapping[str, float | None] | None = None) -> pd.Series:
    """Per-column weights within each group, summing to 1 in every group.

    Columns with an explicit weight keep it; the rest share what is left equally."""
    explicit = {k: v for k, v in (explicit or {}).items() if v is not None}
    out: dict[str, float] = {}
    for group in dict.fromkeys(groups.values()):
        cols = [c for c, g in groups.items() if g == group]
        fixed = math.fsum(explicit.get(c, 0.0) for c in cols if c in explicit)
        free = [c for c in cols if c not in explicit]
        if fixed > 1 + 1e-9 or (not free and abs(fixed - 1) > 1e-6):
            raise SpecError(
                f"Indicator weights in group {group!r} sum to {fixed:g}",
                hint="Explicit indicator weights within a dimension must sum to 1 (or leave some unset to share the rest).",
            )
        share = (1.0 - fixed) / len(free) if free else 0.0
        for c in cols:
            out[c] = explicit.get(c, share)
    return pd.Series(out, dtype=float)


def aggregate(
    scores: pd.DataFrame,
    weights: Mapping[str, float] | pd.Series,
    method: AggregationMethod = "weighted_sum",
    missing: MissingPolicy = "error",
    min_coverage: float = 0.75,
) -> pd.Series:
    """Combine columns of ``scores`` into one value per entity.

    ``weighted_sum``: sum of weight x score. ``geometric``: prod(score ** weight),
    which needs every score > 0 (use a normalisation range such as [1, 100]).
    ``sum``: the plain total (e.g. a total index that is the sum of sub-indices).
    ``missing='reweight'`` re-weights over the columns present when their weights
    cover at least ``min_coverage``; otherwise the result is NaN.
    """
    one = aggregate_groups(scores, weights, {"": list(scores.columns)}, method, missing, min_coverage)
    return one[""].rename(None)


def aggregate_groups(
    scores: pd.DataFrame,
    weights: Mapping[str, float] | pd.Series,
    groups: Mapping[str, Sequence[str]],
    method: AggregationMethod = "weighted_sum",
    missing: MissingPolicy = "error",
    min_coverage: float = 0.75,
) -> pd.DataFrame:
    """:func:`aggregate` for several groups of columns at once (``groups``: name -> member
    columns): one column per group, in the order of ``groups``, computed as one matrix
    product over the whole table. ``weights`` are per column, summing to 1 within a group."""
    member, weight = group_matrices(scores.columns.tolist(), weights, groups)
    value = aggregate_array(scores.to_numpy(dtype=float), member, weight, method, missing, min_coverage,
                            rows=scores.index, columns=scores.columns)
    return pd.DataFrame(value, index=scores.index, columns=list(groups), copy=False)


def group_matrices(
    columns: Sequence[str], weights: Mapping[str, float] | pd.Series, groups: Mapping[str, Sequence[str]],
) -> tuple[np.ndarray, np.ndarray]:
    """Column x group matrices for :func:`aggregate_array`: ``member`` is 1 where a column
    belongs to a group, ``weight`` holds the column's weight there. Every member needs a weight."""
    pos = {c: i for i, c in enumerate(columns)}
    w = pd.Series(weights, dtype=float).to_dict()
    members = [c for cols in groups.values() for c in cols]
    unweighted = [c for c in members if c not in w or math.isnan(w[c])]
    if unweighted:
        raise SpecError(f"No weight for column(s) {unweighted}", hint="Give every column a weight.")
    member = np.zeros((len(pos), len(groups)))
    for j, cols in enumerate(groups.values()):
        member[[pos[c] for c in cols], j] = 1.0
    return member, member * np.array([w.get(c, 0.0) for c in pos])[:, None]


def aggregate_array(
    x: np.ndarray,
    member: np.ndarray,
    weight: np.ndarray,
    method: AggregationMethod = "weighted_sum",
    missing: MissingPolicy = "error",
    min_coverage: float = 0.75,
    rows: Sequence[str] | None = None,
    columns: Sequence[str] | None = None,
) -> np.ndarray:
    """:func:`aggregate_groups` on an entity x column array with the matrices of
    :func:`group_matrices`: one matrix product over the whole table, entity x group out.
    ``rows`` and ``columns`` only label the cells a missing-value error names."""
    used = member.any(axis=1)
    if method == "geometric" and (x[:, used] <= 0).any():
        raise SpecError(
            "Geometric aggregation needs every score > 0",
            hint="Normalise to a range such as [1, 100] (normalisation.range) or use weighted_sum.",
        )
    if method not in ("weighted_sum", "geometric", "sum"):  # pragma: no cover
        raise SpecError(f"Unknown aggregation {method!r}", hint="Use weighted_sum, geometric or sum.")
    matrix = member if method == "sum" else weight
    with np.errstate(invalid="ignore", divide="ignore"):
        terms = np.log(x) if method == "geometric" else x
        value = group_sums(terms, matrix, member)
        complete = not np.isnan(value).any()  # NaN propagates: no NaN out means no cell missing
        if complete:
            coverage = weight.sum(axis=0)
        else:
            missing_cells = np.isnan(x) & used
            if missing == "error" and missing_cells.any():
                r, c = np.nonzero(missing_cells)
                raise DataValidationError([
                    Problem("<scores>", None, f"{_label(rows, i)} / {_label(columns, j)}", None, "a number",
                            "fill the value, or use the 'reweight' missing-value policy")
                    for i, j in zip(r[:20], c[:20])
                ])
            present = (~np.isnan(x)).astype(float)
            value = group_sums(np.where(np.isnan(terms), 0.0, terms), matrix, member)
            coverage = group_sums(present, weight, member)
            if method == "sum":
                value[group_sums(present, member, member) < member.sum(axis=0)] = np.nan
        if method == "sum":
            return value
        value /= coverage  # re-weight over the columns present
        if method == "geometric":
            value = np.exp(value)
        return np.where((coverage > 0) & (coverage >= min_coverage - 1e-12), value, np.nan)


def group_sums(x: np.ndarray, matrix: np.ndarray, member: np.ndarray) -> np.ndarray:
    """``x @ matrix`` over each group's member columns, as one multiply-add per column.

    Every row gets the same operations in the same order, so equal rows give equal
    results wherever they sit and ties stay tied. A BLAS product does not promise that:
    its blocked kernels round the tail rows differently (two identical cities could get
    different ranks by their row order), and on a busy two-core machine its threads cost
    more than they save at this size. Column slices of the usual column-major table
    are contiguous, so this runs at the BLAS call's single-thread speed."""
    out = np.zeros((x.shape[0], matrix.shape[1]), order="F")
    term = np.empty(x.shape[0])
    for j in range(matrix.shape[1]):
        total = out[:, j]
        for c in np.flatnonzero(member[:, j]):
            np.multiply(x[:, c], matrix[c, j], out=term)
            total += term
    return out


def _label(labels: Sequence[str] | None, i: int) -> str:
    return str(labels[i]) if labels is not None else f"#{i}"


def contributions(dimension_scores: pd.DataFrame, weights: Mapping[str, float]) -> pd.DataFrame:
    """weight x score per dimension, in composite points; each row sums to the composite."""
    w = pd.Series(weights, dtype=float).reindex(dimension_scores.columns)
    return dimension_scores * w


def weighted_composite(dimension_scores: pd.DataFrame, weights: Mapping[str, float]) -> pd.Series:
    """The weighted-sum composite: the row sum of :func:`contributions` (the same products,
    added in the same order, so the two agree exactly); NaN where any dimension score is missing."""
    w = np.array([float(weights.get(c, np.nan)) for c in dimension_scores.columns.tolist()])
    parts = dimension_scores.to_numpy(dtype=float) * w
    return pd.Series(parts.sum(axis=1), index=dimension_scores.index)


def rank_desc(values: pd.Series) -> pd.Series:
    """Competition ranking, highest value = 1, ties share the best rank (1, 2, 2, 4). NaN stays NaN."""
    x = values.to_numpy(dtype=float)
    known = ~np.isnan(x)
    if known.all():
        return pd.Series(pd.arrays.IntegerArray(competition_ranks(x), ~known), index=values.index)
    ranks = np.zeros(len(x), dtype=np.int64)
    ranks[known] = competition_ranks(x[known])
    return pd.Series(pd.arrays.IntegerArray(ranks, ~known), index=values.index)


def competition_ranks(x: np.ndarray) -> np.ndarray:
    """Competition ranks of a NaN-free array (highest = 1; ties share the best rank), of
    each column when ``x`` is 2-d: one sort, then each value takes the position where
    its run of equal values starts."""
    order = np.argsort(-x, axis=0)
    ordered = np.take_along_axis(x, order, axis=0)
    starts = np.empty(x.shape, dtype=bool)
    starts[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=starts[1:])
    position = np.arange(len(x)).reshape((-1,) + (1,) * (x.ndim - 1))
    first = np.where(starts, position, 0)
    np.maximum.accumulate(first, axis=0, out=first)
    ranks = np.empty(x.shape, dtype=np.int64)
    np.put_along_axis(ranks, order, first + 1, axis=0)
    return ranks


def derive_threshold(below_max: float, member_min: float) -> float:
    """A threshold that separates a tier's lowest member from the best entity below it.

    Picks the smallest round number (a multiple of 10, then 5, then 1, then 0.5)
    in ``(below_max, member_min]``, falling back to the midpoint; the reports'
    stated thresholds (20, 30) are multiples of 10."""
    if member_min <= below_max:
        raise SpecError(
            f"Stated tier members overlap: lowest member {member_min} is not above {below_max}",
            hint="Check the stated tier membership in published.csv.",
        )
    if math.isinf(below_max):  # nothing below: any round number the members reach separates
        return math.floor(member_min / 10.0) * 10.0
    for step in (10.0, 5.0, 1.0, 0.5):
        candidate = math.floor(below_max / step) * step + step
        if candidate <= member_min:
            return candidate
    return round((below_max + member_min) / 2, 4)


@dataclass(frozen=True)
class ResolvedTier:
    tier: int
    threshold: float
    status: str  # "stated" | "assumed" | "unnamed"


def resolve_thresholds(
    composite: pd.Series,
    rules: Sequence[tuple[int, float | str, str]],
    stated_members: Mapping[int, Sequence[str]],
) -> list[ResolvedTier]:
    """Turn tier rules into numeric thresholds.

    ``rules`` are ``(tier, threshold or "derive", status)``. A derived threshold sits
    between the lowest stated member of its tier and the highest composite of any
    entity not stated in this tier or a better one."""
    out: list[ResolvedTier] = []
    for tier, threshold, status in rules:
        if threshold == "derive":
            members = [m for t, ms in stated_members.items() if t <= tier for m in ms]
            own = list(stated_members.get(tier, ()))
            if not own:
                raise SpecError(f"Tier {tier} has a derived threshold but no stated members", hint="List its members in published.csv (measure 'tier').")
            others = composite.drop(index=[m for m in members if m in composite.index]).dropna()
            threshold = derive_threshold(float(others.max()) if len(others) else -math.inf, float(composite[own].min()))
        out.append(ResolvedTier(tier, float(threshold), status))
    return out


def assign_tiers(composite: pd.Series, thresholds: Sequence[ResolvedTier]) -> pd.Series:
    """Tier number for each composite: the best tier whose threshold it reaches.

    Entities below every threshold get ``len(thresholds) + 1``, the tier the report
    does not name. NaN composites get <NA>."""
    x = composite.to_numpy(dtype=float)
    return pd.Series(pd.arrays.IntegerArray(tier_numbers(x, thresholds), np.isnan(x)), index=composite.index)


def tier_numbers(x: np.ndarray, thresholds: Sequence[ResolvedTier]) -> np.ndarray:
    """:func:`assign_tiers` on an array of composites (int64; NaN rows get the unnamed tier)."""
    cuts = np.array([t.threshold for t in thresholds])
    reached = x[:, None] >= cuts[None, :] - 1e-9
    return np.where(reached.any(axis=1), reached.argmax(axis=1) + 1, len(cuts) + 1).astype(np.int64)


def round_preserving_sum(values: Sequence[float], total: float, decimals: int = 2) -> list[float]:
    """Round ``values`` so that the rounded parts add up to ``round(total, decimals)`` exactly.

    Largest-remainder rounding: used to display contributions that sum to the shown composite."""
    scale = 10**decimals
    target = round(round(total, decimals) * scale)
    floors = [math.floor(v * scale) for v in values]
    rema = sorted(range(len(values)), key=lambda i: values[i] * scale - floors[i], reverse=True)
    diff = target - sum(floors)
    if diff >= 0:
        for i in rema[:diff]:
            floors[i] += 1
    else:
        for i in rema[diff:]:
            floors[i] -= 1
    return [f / scale for f in floors]
