"""Explain results: contributions, gaps, peers, weight sensitivity and what-if (pure)."""
from __future__ import annotations

import math
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from . import engine
from .edition import EditionResult
from .errors import NotAvailableError, SpecError


def _needs_dimensions(result: EditionResult, what: str) -> pd.DataFrame:
    dims = result.dimension_scores()
    if not result.weights or dims.isna().any().any():
        raise NotAvailableError(
            f"{what} needs weighted dimension scores for every entity, which edition {result.spec.id} does not publish",
            hint="Use an edition that scores every entity on weighted dimensions (`hardtech editions` lists them), "
                 "or compute your own edition from raw indicators.",
        )
    return dims


def tier_label(result: EditionResult, tier: int | None, lang: str = "zh") -> str | None:
    """The report's name for a tier number, or the unnamed-tier label."""
    if tier is None or result.spec.tiers is None:
        return None
    for rule in result.spec.tiers.rules:
        if rule.tier == tier:
            return rule.zh if lang == "zh" else rule.en
    unnamed = result.spec.tiers.unnamed
    if unnamed is not None:
        return unnamed.zh if lang == "zh" else unnamed.en
    return "报告未命名梯队" if lang == "zh" else "Not named by the report"


def explain(result: EditionResult, entity: str) -> dict:
    """Why an entity scores what it does.

    Returns contributions (dimension key -> composite points; they sum exactly to
    the composite) and the ``largest_contribution``, strengths and weaknesses by rank
    (``strongest_dimension`` by rank, ``strongest_by_score`` by score), the gap to the next rank and
    next tier (composite points between the computed composites; ``gap_to_next_rank_printed``
    between the printed ones where both are printed, and per dimension the score increase that alone
    would close it, ``None`` when it would need more than the range's top; ``gap_to_tiers``: tier
    number -> threshold, gap and status for every tier above), and peer
    context (median, tier mean, best entity)."""
    t = result.table
    row = t.loc[entity]
    keys = result.dimension_keys
    n = int(t["composite"].notna().sum())
    out: dict = {
        "edition": result.spec.id,
        "entity": entity,
        "composite": _num(row["composite"]),
        "composite_source": None if pd.isna(row["composite_source"]) else row["composite_source"],
        "published_composite": _num(row["published_composite"]),
        "rank": _int(row["rank"]),
        "of": n,
        "tier": _int(row["tier"]),
        "tier_status": row["tier_status"],
        "dimensions": {k: {"score": _num(row[f"{k}.score"]), "rank": _int(row[f"{k}.rank"]),
                           "weight": result.weights.get(k)} for k in keys},
    }
    ranked_dims = [(k, _int(row[f"{k}.rank"])) for k in keys if _int(row[f"{k}.rank"]) is not None]
    if ranked_dims:
        ranked_dims.sort(key=lambda kv: kv[1])
        out["strongest_dimension"] = ranked_dims[0][0]
        out["weakest_dimension"] = ranked_dims[-1][0]
        out["strongest_by_score"] = max((k for k, _ in ranked_dims), key=lambda k: row[f"{k}.score"])
        out["strengths"] = [k for k, r in ranked_dims if r <= max(3, len(t) // 4)]
        out["weaknesses"] = [k for k, r in ranked_dims if r > len(t) - max(3, len(t) // 4)]
    composite = row["composite"]
    have_weights = bool(result.weights) and not any(math.isnan(row[f"{k}.score"]) for k in keys)
    if have_weights and not math.isnan(composite):
        contrib = {k: result.weights[k] * row[f"{k}.score"] for k in keys}
        out["contributions"] = {k: round(v, 6) for k, v in contrib.items()}
        out["contributions_rounded"] = dict(zip(keys, engine.round_preserving_sum(list(contrib.values()), composite, 2)))
        out["contribution_shares"] = {k: round(v / composite, 4) if composite else None for k, v in contrib.items()}
        out["largest_contribution"] = max(contrib, key=contrib.get)
    if not math.isnan(composite):
        better = t[t["composite"] > composite]["composite"]
        if len(better):
            target = float(better.min())
            ahead = list(better[better == target].index)
            out["gap_to_next_rank"] = round(target - composite, 4)
            out["next_rank_entity"] = ahead[0]
            printed = (row["published_composite"], t.loc[ahead[0], "published_composite"])
            # the same gap between the composites as printed, where the report prints both
            out["gap_to_next_rank_printed"] = None if any(pd.isna(p) for p in printed) else round(printed[1] - printed[0], 4)
            out["close_gap_by_dimension"] = _per_dimension(result, row, target - composite) if have_weights else {}
        else:
            out["gap_to_next_rank"] = None
        tier = _int(row["tier"])
        own = next((th for th in result.thresholds if th.tier == tier and th.threshold), None) if tier else None
        if own is not None:  # how far the composite clears its own tier's line (points, >= 0)
            out["margin_over_tier"] = round(composite - own.threshold, 4)
            out["tier_threshold"] = own.threshold
            out["tier_threshold_status"] = own.status
        if tier is not None and tier > 1 and result.thresholds:
            target = next(th.threshold for th in result.thresholds if th.tier == tier - 1)
            gap = target - composite
            out["gap_to_next_tier"] = round(gap, 4)
            out["next_tier"] = tier - 1
            out["next_tier_threshold"] = target
            out["next_tier_threshold_status"] = next(th.status for th in result.thresholds if th.tier == tier - 1)
            out["close_tier_gap_by_dimension"] = _per_dimension(result, row, gap) if have_weights else {}
            # every tier above, not only the next ("想进第一类还差多少分" from the third class)
            out["gap_to_tiers"] = {str(th.tier): {"threshold": th.threshold, "gap": round(float(th.threshold - composite), 4),
                                                  "status": th.status}
                                   for th in result.thresholds if th.tier < tier and th.threshold}
        comp = t["composite"].dropna()
        best = comp.idxmax()
        out["peers"] = {
            "median": round(float(comp.median()), 4),
            "best_entity": best,
            "best": round(float(comp.max()), 4),
        }
        if tier is not None:
            same = t[t["tier"] == tier]["composite"].dropna()
            out["peers"]["tier_mean"] = round(float(same.mean()), 4)
            out["peers"]["tier_size"] = int(len(same))
    return out


def gap_by_dimension(result: EditionResult, entity: str, other: str) -> list[dict]:
    """Where the composite gap between ``entity`` and ``other`` comes from, one row per dimension.

    Each row: ``dimension``, both ``score``s (0-100), ``gap`` (entity minus other, score points),
    ``weight`` (a share in [0, 1]; 1 for an index that sums its sub-indices, ``None`` where the
    composite is not an aggregate of the dimensions) and ``contribution`` (weight x gap: composite
    points of the gap, summing to the computed composite gap), largest contribution first. Rows with
    a missing score are left out; rows are ordered by the raw gap where there is no weight."""
    t = result.table
    weights = result.weights or ({k: 1.0 for k in result.dimension_keys} if result.spec.aggregation.method == "sum" else {})
    rows = []
    for k in result.dimension_keys:
        a, b = t.loc[entity, f"{k}.score"], t.loc[other, f"{k}.score"]
        if pd.isna(a) or pd.isna(b):
            continue
        w = weights.get(k)
        rows.append({"dimension": k, "score": float(a), "other_score": float(b), "gap": round(float(a - b), 4),
                     "weight": w, "contribution": None if w is None else round(float(w * (a - b)), 4)})
    rows.sort(key=lambda r: -(r["contribution"] if r["contribution"] is not None else r["gap"]))
    return rows


def _per_dimension(result: EditionResult, row: pd.Series, gap: float) -> dict[str, float | None]:
    top = result.spec.normalisation.range[1]
    out: dict[str, float | None] = {}
    for k, w in result.weights.items():
        need = gap / w if w else math.inf
        out[k] = round(need, 4) if row[f"{k}.score"] + need <= top + 1e-9 else None
    return out


def whatif(result: EditionResult, weights: Mapping[str, float]) -> pd.DataFrame:
    """Re-weight the dimensions and report new composites, ranks and tiers.

    ``weights`` maps dimension keys to weights (any positive numbers; they are
    normalised to sum to 1). Tier thresholds stay those of the baseline."""
    dims = _needs_dimensions(result, "A what-if")
    unknown = [k for k in weights if k not in dims.columns]
    if unknown:
        result.spec.dimension(unknown[0])  # raises UnknownDimensionError with suggestions
    w = {k: float(weights.get(k, 0.0)) for k in dims.columns}
    if any(v < 0 for v in w.values()) or sum(w.values()) <= 0:
        raise SpecError(f"Weights must be >= 0 and not all 0, got {w}", hint="Example: innovation_base=1,innovation_input=1")
    total = math.fsum(w.values())
    w = {k: v / total for k, v in w.items()}
    composite = engine.weighted_composite(dims, w)
    rank = engine.rank_desc(composite)
    out = pd.DataFrame({
        "composite": composite,
        "rank": rank,
        "baseline_composite": result.table["composite"],
        "baseline_rank": result.table["rank"],
    })
    out["rank_change"] = (out["baseline_rank"] - out["rank"]).astype("Int64")  # positive = moved up
    if result.thresholds:
        out["tier"] = engine.assign_tiers(composite, result.thresholds)
        out["baseline_tier"] = result.table["tier"]
    out.attrs["weights"] = w
    return out.sort_values(["rank", "composite"], ascending=[True, False])


def crossover(result: EditionResult, entity: str, other: str) -> list[dict]:
    """For each dimension k: the weight w* on k (0..1, the other dimensions sharing 1 - w* equally) at
    which ``entity`` and ``other`` tie on the composite, and who leads above it. Between equal-share
    weightings the composite gap is linear in w, so there is at most one tie: w* = (B_o - B_e) /
    ((A_e - A_o) - (B_e - B_o)), A the scores on k and B the means of the other dimensions. ``weight`` is
    ``None`` when no weight in [0, 1] makes them tie (one leads however k weighs)."""
    dims = _needs_dimensions(result, "A crossover")
    for name in (entity, other):
        if name not in dims.index:
            raise NotAvailableError(f"{name} is not scored in edition {result.spec.id}",
                                    hint="`hardtech ranking <edition>` lists the entities it scores.")
    out = []
    for k in dims.columns:
        rest = [c for c in dims.columns if c != k]
        a_e, a_o = float(dims.at[entity, k]), float(dims.at[other, k])
        b_e, b_o = float(dims.loc[entity, rest].mean()), float(dims.loc[other, rest].mean())
        slope = (a_e - a_o) - (b_e - b_o)
        w = (b_o - b_e) / slope if slope else None
        tie = w if w is not None and 0.0 <= w <= 1.0 else None
        out.append({"dimension": k, "weight": tie, "current_weight": result.weights.get(k),
                    "leader_above": (entity if slope > 0 else other) if tie is not None else None})
    return out


def sensitivity(result: EditionResult, draws: int = 1000, spread: float = 0.25, seed: int = 0) -> pd.DataFrame:
    """Monte Carlo perturbation of the dimension weights.

    Each draw multiplies every weight by an independent uniform factor in
    ``[1 - spread, 1 + spread]`` and renormalises to sum 1. Returns per entity the
    median rank, the 5-95% rank interval, and the probability of keeping its tier
    (tier thresholds fixed at the baseline's). Deterministic for a given ``seed``."""
    if draws < 1 or not 0 <= spread < 1:
        raise SpecError(f"draws must be >= 1 and spread in [0, 1), got draws={draws}, spread={spread}", hint="Example: --draws 1000 --spread 0.25")
    dims = _needs_dimensions(result, "Sensitivity analysis")
    s = dims.to_numpy()
    base_w = np.array([result.weights[k] for k in dims.columns])
    rng = np.random.default_rng(seed)
    w = base_w * rng.uniform(1 - spread, 1 + spread, size=(draws, len(base_w)))
    w /= w.sum(axis=1, keepdims=True)
    comp = w @ s.T  # draws x entities
    order = np.argsort(-comp, axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, s.shape[0] + 1)[None, :].repeat(draws, axis=0), axis=1)
    out = pd.DataFrame({
        "baseline_rank": result.table["rank"].to_numpy(),
        "median_rank": np.median(ranks, axis=0),
        "rank_p05": np.percentile(ranks, 5, axis=0, method="lower"),
        "rank_p95": np.percentile(ranks, 95, axis=0, method="higher"),
        "best_rank": ranks.min(axis=0),
        "worst_rank": ranks.max(axis=0),
    }, index=dims.index)
    if result.thresholds:
        cuts = np.array([th.threshold for th in result.thresholds])
        tiers = (comp[:, :, None] < cuts[None, None, :] - 1e-9).sum(axis=2) + 1
        base = result.table["tier"].to_numpy(dtype=int)
        out["baseline_tier"] = base
        out["p_same_tier"] = (tiers == base[None, :]).mean(axis=0)
    out.attrs.update(draws=draws, spread=spread, seed=seed)
    return out.sort_values("baseline_rank")


def cross_edition(results: Sequence[EditionResult], entity: str) -> list[dict]:
    """The entity in every edition where it appears (methods differ between editions)."""
    out = []
    for r in results:
        if entity not in r.table.index:
            continue
        row = r.table.loc[entity]
        out.append({
            "edition": r.spec.id, "title_zh": r.spec.title.zh, "title_en": r.spec.title.en,
            "composite": _num(row["composite"]),
            "composite_source": None if pd.isna(row["composite_source"]) else row["composite_source"],
            "published_composite": _num(row["published_composite"]), "rank": _int(row["rank"]),
            "of": len(r.table), "tier": _int(row["tier"]),
        })
    return out


def _num(v) -> float | None:
    return None if v is None or pd.isna(v) else round(float(v), 4)


def _int(v) -> int | None:
    return None if v is None or pd.isna(v) else int(v)
