"""Hand-computed cases for each pipeline step."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from index_core import engine
from index_core.errors import DataValidationError, SpecError


def frame(**cols):
    return pd.DataFrame(cols, index=[f"e{i}" for i in range(len(next(iter(cols.values()))))])


def test_minmax_puts_best_at_100_and_worst_at_0():
    scores, bounds = engine.normalise(frame(x=[10.0, 20.0, 30.0, 50.0]))
    assert scores["x"].tolist() == [0.0, 25.0, 50.0, 100.0]
    assert bounds.loc["x", "min"] == 10 and bounds.loc["x", "max"] == 50


def test_negative_direction_reverses_the_scale():
    scores, _ = engine.normalise(frame(cost=[5.0, 1.0, 3.0, 5.0]), {"cost": -1})
    assert scores["cost"].tolist() == [0.0, 100.0, 50.0, 0.0]


def test_constant_indicator_scores_the_top_for_everyone():
    scores, _ = engine.normalise(frame(x=[7.0, 7.0, 7.0]))
    assert scores["x"].tolist() == [100.0, 100.0, 100.0]


def test_zscore_and_rank_normalisation():
    z, _ = engine.normalise(frame(x=[1.0, 2.0, 3.0]), method="zscore")
    assert z["x"].tolist() == pytest.approx([-math.sqrt(1.5), 0.0, math.sqrt(1.5)])
    r, _ = engine.normalise(frame(x=[30.0, 10.0, 20.0]), method="rank")
    assert r["x"].tolist() == [100.0, 0.0, 50.0]


def test_effective_weights_share_what_explicit_weights_leave():
    w = engine.effective_weights({"a": "d1", "b": "d1", "c": "d1", "p": "d2"}, {"a": 0.5})
    assert w.to_dict() == {"a": 0.5, "b": 0.25, "c": 0.25, "p": 1.0}
    with pytest.raises(SpecError):
        engine.effective_weights({"a": "d1", "b": "d1"}, {"a": 0.7, "b": 0.7})


def test_weighted_sum_and_geometric_and_sum():
    s = frame(a=[100.0, 50.0], b=[0.0, 50.0])
    assert engine.aggregate(s, {"a": 0.6, "b": 0.4}).tolist() == pytest.approx([60.0, 50.0])
    g = frame(a=[100.0, 25.0], b=[1.0, 4.0])
    assert engine.aggregate(g, {"a": 0.5, "b": 0.5}, "geometric").tolist() == pytest.approx([10.0, 10.0])
    assert engine.aggregate(s, {"a": 1, "b": 1}, "sum").tolist() == [100.0, 100.0]
    with pytest.raises(SpecError, match="range"):
        engine.aggregate(s, {"a": 0.5, "b": 0.5}, "geometric")


def test_missing_values_raise_by_default_and_reweight_with_coverage():
    s = frame(a=[80.0, np.nan], b=[40.0, 60.0], c=[20.0, 30.0])
    with pytest.raises(DataValidationError, match="e1 / a"):
        engine.aggregate(s, {"a": 0.5, "b": 0.25, "c": 0.25})
    got = engine.aggregate(s, {"a": 0.5, "b": 0.25, "c": 0.25}, missing="reweight", min_coverage=0.5)
    assert got.tolist() == pytest.approx([55.0, 45.0])  # e1: (0.25*60 + 0.25*30) / 0.5
    strict = engine.aggregate(s, {"a": 0.5, "b": 0.25, "c": 0.25}, missing="reweight", min_coverage=0.75)
    assert math.isnan(strict["e1"])


def test_competition_ranking_shares_the_best_rank_on_ties():
    r = engine.rank_desc(pd.Series([90.0, 80.0, 80.0, 70.0, np.nan]))
    assert r.tolist()[:4] == [1, 2, 2, 4] and r.isna().tolist()[4]


def test_derive_threshold_prefers_round_numbers_between_the_groups():
    assert engine.derive_threshold(51.86, 86.59) == 60
    assert engine.derive_threshold(39.79, 50.99) == 40
    assert engine.derive_threshold(41.2, 43.7) == 42  # no multiple of 10 or 5 fits
    assert engine.derive_threshold(42.10, 42.40) == 42.25  # midpoint fallback
    with pytest.raises(SpecError):
        engine.derive_threshold(50.0, 40.0)


def test_assign_tiers_and_the_unnamed_tier_below():
    th = [engine.ResolvedTier(1, 60, "assumed"), engine.ResolvedTier(2, 40, "assumed"), engine.ResolvedTier(3, 30, "stated")]
    got = engine.assign_tiers(pd.Series([84.0, 60.0, 39.99, 30.0, 12.0]), th)
    assert got.tolist() == [1, 1, 3, 3, 4]


def test_round_preserving_sum_keeps_the_shown_total():
    parts = [0.5895, 21.441, 19.404, 9.552]  # Shenzhen 2019 contributions, composite 50.9865
    rounded = engine.round_preserving_sum(parts, sum(parts))
    assert rounded == [0.59, 21.44, 19.41, 9.55]
    assert round(sum(rounded), 2) == 50.99
