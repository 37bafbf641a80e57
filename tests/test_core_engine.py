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


def test_minmax_to_another_range_and_nan_stays_nan():
    scores, bounds = engine.normalise(frame(x=[10.0, np.nan, 30.0], y=[2.0, 2.0, np.nan]), value_range=(1.0, 11.0))
    assert scores["x"].tolist()[0::2] == [1.0, 11.0] and math.isnan(scores.at["e1", "x"])
    assert scores["y"].tolist()[:2] == [11.0, 11.0] and math.isnan(scores.at["e2", "y"])  # constant: the top
    assert bounds.to_dict("index") == {"x": {"min": 10.0, "max": 30.0, "direction": 1},
                                       "y": {"min": 2.0, "max": 2.0, "direction": 1}}
    _, b = engine.normalise(frame(cost=[1.0, 2.0]), {"cost": -1})
    assert b.at["cost", "direction"] == -1


def test_zscore_and_rank_follow_the_direction():
    z, _ = engine.normalise(frame(cost=[1.0, 2.0, 3.0]), {"cost": -1}, method="zscore")
    assert z["cost"].tolist() == pytest.approx([math.sqrt(1.5), 0.0, -math.sqrt(1.5)])
    flat, _ = engine.normalise(frame(x=[4.0, 4.0]), method="zscore")
    assert flat["x"].tolist() == [0.0, 0.0]
    r, _ = engine.normalise(frame(cost=[30.0, 10.0, 20.0, 20.0]), {"cost": -1}, method="rank", value_range=(0, 90))
    assert r["cost"].tolist() == [0.0, 90.0, 45.0, 45.0]  # ranks 1, 4, 2.5, 2.5 of 4 -> (r-1)/3*90
    one, _ = engine.normalise(frame(x=[5.0]), method="rank")
    assert one["x"].tolist() == [0.0]


def test_effective_weights_errors_and_all_explicit():
    assert engine.effective_weights({"a": "d", "b": "d"}, {"a": 0.3, "b": 0.7}).to_dict() == {"a": 0.3, "b": 0.7}
    assert engine.effective_weights({"a": "d", "b": "d"}, {"a": None}).to_dict() == {"a": 0.5, "b": 0.5}
    assert engine.effective_weights({"a": "d", "b": "d"}, {"a": 1.0}).to_dict() == {"a": 1.0, "b": 0.0}
    with pytest.raises(SpecError, match="sum to 0.9"):
        engine.effective_weights({"a": "d", "b": "d"}, {"a": 0.4, "b": 0.5})   # all explicit, not 1
    with pytest.raises(SpecError, match="'d'"):
        engine.effective_weights({"a": "d", "b": "d"}, {"a": 1.2})


def test_aggregate_errors_and_missing_values():
    s = frame(a=[100.0, 50.0], b=[0.0, 50.0])
    with pytest.raises(SpecError, match=r"\['b'\]"):
        engine.aggregate(s, {"a": 1.0})
    gaps = frame(a=[80.0, np.nan], b=[40.0, 60.0])
    summed = engine.aggregate(gaps, {"a": 1, "b": 1}, "sum", missing="reweight")
    assert summed["e0"] == 120.0 and math.isnan(summed["e1"])  # a sum needs every part
    geo = engine.aggregate(frame(a=[4.0, np.nan], b=[16.0, 9.0]), {"a": 0.5, "b": 0.5}, "geometric",
                           missing="reweight", min_coverage=0.5)
    assert geo.tolist() == pytest.approx([8.0, 9.0])  # sqrt(4*16); e1: 9 ** (0.5 / 0.5)
    empty = engine.aggregate(frame(a=[np.nan], b=[np.nan]), {"a": 0.5, "b": 0.5}, missing="reweight", min_coverage=0)
    assert math.isnan(empty["e0"])
    exact = engine.aggregate(frame(a=[80.0, np.nan], b=[40.0, 60.0]), {"a": 0.25, "b": 0.75}, missing="reweight")
    assert exact.tolist() == pytest.approx([50.0, 60.0])  # coverage 0.75 is enough (inclusive)
    with pytest.raises(DataValidationError) as err:
        engine.aggregate(frame(a=[np.nan, np.nan], b=[1.0, np.nan]), {"a": 0.5, "b": 0.5})
    assert [p.column for p in err.value.problems] == ["e0 / a", "e1 / a", "e1 / b"]


def test_contributions_are_weight_times_score():
    c = engine.contributions(frame(a=[10.0, 20.0], b=[30.0, 40.0]), {"b": 0.25, "a": 0.75})
    assert c.to_dict("list") == {"a": [7.5, 15.0], "b": [7.5, 10.0]}
    assert engine.weighted_composite(frame(a=[10.0, np.nan], b=[30.0, 40.0]), {"a": 0.75, "b": 0.25}).tolist()[0] == 15.0
    assert math.isnan(engine.weighted_composite(frame(a=[10.0, np.nan], b=[30.0, 40.0]), {"a": 0.75, "b": 0.25})["e1"])


def test_derive_threshold_steps_and_edges():
    assert engine.derive_threshold(50.0, 60.0) == 60   # the member on a round number is in
    assert engine.derive_threshold(50.0, 55.0) == 55   # a multiple of 5
    assert engine.derive_threshold(54.2, 54.7) == 54.5
    with pytest.raises(SpecError, match="overlap"):
        engine.derive_threshold(40.0, 40.0)


def test_resolve_thresholds_from_stated_members():
    composite = pd.Series({"A": 86.59, "B": 51.86, "C": 50.99, "D": 39.79, "E": 20.0})
    rules = [(1, "derive", "assumed"), (2, "derive", "assumed"), (3, 30, "stated")]
    got = engine.resolve_thresholds(composite, rules, {1: ["A"], 2: ["B", "C"]})
    assert got == [engine.ResolvedTier(1, 60.0, "assumed"), engine.ResolvedTier(2, 40.0, "assumed"),
                   engine.ResolvedTier(3, 30.0, "stated")]
    with pytest.raises(SpecError, match="no stated members"):
        engine.resolve_thresholds(composite, [(1, "derive", "assumed")], {})


def test_assign_tiers_keeps_nan_and_ties_at_the_threshold():
    th = [engine.ResolvedTier(1, 60, "assumed"), engine.ResolvedTier(2, 40, "assumed")]
    got = engine.assign_tiers(pd.Series([60.0, 59.9999999999, np.nan, 40.0]), th)
    assert got.tolist()[:2] == [1, 1] and got.isna().tolist()[2] and got.tolist()[3] == 2  # 1e-9 tolerance


def test_round_preserving_sum_rounds_down_when_the_parts_overshoot():
    assert engine.round_preserving_sum([1.006, 1.006, 1.006], 3.018) == [1.01, 1.01, 1.0]
    assert engine.round_preserving_sum([0.335, 0.335, 0.33], 1.0) == [0.34, 0.33, 0.33]
    assert engine.round_preserving_sum([2.5, 2.5], 5.0, decimals=0) == [3.0, 2.0]
    assert engine.round_preserving_sum([1.994, 1.994], 3.988, decimals=2) == [2.0, 1.99]


def test_a_derived_tier_with_no_entity_below_it():
    """When every entity is a stated member of the tier or a better one, nothing lies below:
    the threshold is the round number (multiple of 10) at or under the lowest member."""
    assert engine.derive_threshold(-math.inf, 12.0) == 10.0
    composite = pd.Series({"A": 86.59, "B": 51.86})
    got = engine.resolve_thresholds(composite, [(1, "derive", "assumed")], {1: ["A", "B"]})
    assert got == [engine.ResolvedTier(1, 50.0, "assumed")]


def test_spec_errors_say_how_to_fix_them():
    with pytest.raises(SpecError) as err:
        engine.effective_weights({"a": "d", "b": "d"}, {"a": 0.4, "b": 0.5})
    assert "must sum to 1" in err.value.hint
    with pytest.raises(SpecError) as err:
        engine.resolve_thresholds(pd.Series({"A": 1.0}), [(1, "derive", "assumed")], {})
    assert "published.csv" in err.value.hint


def test_zscore_and_rank_per_column_and_on_any_range():
    z, _ = engine.normalise(frame(a=[1.0, 3.0], b=[10.0, 30.0]), method="zscore")
    assert z.to_dict("list") == {"a": [-1.0, 1.0], "b": [-1.0, 1.0]}  # each column against its own mean and sd
    r, _ = engine.normalise(frame(a=[3.0, 1.0, 2.0]), method="rank", value_range=(10.0, 20.0))
    assert r["a"].tolist() == [20.0, 10.0, 15.0]
    with pytest.raises(SpecError, match="Unknown normalisation method 'bogus'") as err:
        engine.normalise(frame(a=[1.0]), method="bogus")
    assert err.value.hint == "Use minmax, zscore or rank."


def test_aggregate_problems_point_at_the_cell_and_the_fix():
    with pytest.raises(SpecError) as err:
        engine.aggregate(frame(a=[1.0]), {})
    assert err.value.hint == "Give every column a weight."
    with pytest.raises(DataValidationError) as bad:
        engine.aggregate(frame(a=[np.nan]), {"a": 1.0})
    p = bad.value.problems[0]
    assert (p.file, p.row, p.column, p.value, p.expected) == ("<scores>", None, "e0 / a", None, "a number")
    assert "reweight" in p.hint


def test_thresholds_and_rounding_edges_by_hand():
    assert engine.derive_threshold(42.2, 43.5) == 43          # a whole number before a half
    assert engine.derive_threshold(42.11111, 42.11112) == 42.1111  # midpoint, 4 decimals
    with pytest.raises(SpecError) as err:
        engine.derive_threshold(50.0, 40.0)
    assert err.value.hint == "Check the stated tier membership in published.csv."
    with pytest.raises(SpecError) as err:
        engine.resolve_thresholds(pd.Series({"A": 1.0}), [(1, "derive", "assumed")], {})
    assert err.value.hint == "List its members in published.csv (measure 'tier')."
    # the parts overshoot the shown total: the last of the smallest remainders gives a cent back
    assert engine.round_preserving_sum([1.0, 1.0], 1.99) == [1.0, 0.99]
    assert engine.round_preserving_sum([1.0, 1.0, 1.0], 2.98) == [1.0, 0.99, 0.99]


def test_every_dimension_ranked_in_one_sort_matches_each_column():
    x = np.array([[3.0, 1.0], [2.0, 1.0], [3.0, 0.0], [1.0, 5.0]])
    assert engine.competition_ranks(x).T.tolist() == [[1, 3, 1, 4], [2, 2, 4, 1]]
    assert engine.competition_ranks(x[:, 0]).tolist() == [1, 3, 1, 4]


def test_identical_rows_score_identically_wherever_they_sit():
    """A BLAS matrix product rounds its tail rows differently (to the last bit), which
    would split a tie by row order; group sums must give equal rows equal scores."""
    row = np.array([37.1, 12.9, 88.3, 3.3, 61.7, 45.2, 9.9])
    x = np.tile(row, (43, 1))
    member = np.zeros((7, 2))
    member[:4, 0] = member[4:, 1] = 1.0
    weight = member * np.array([0.1, 0.2, 0.3, 0.4, 0.25, 0.25, 0.5])[:, None]
    for layout in (x, np.asfortranarray(x)):
        got = engine.aggregate_array(layout, member, weight)
        assert (got == got[0]).all()
        assert got[0].tolist() == pytest.approx([0.1 * 37.1 + 0.2 * 12.9 + 0.3 * 88.3 + 0.4 * 3.3,
                                                 0.25 * 61.7 + 0.25 * 45.2 + 0.5 * 9.9])
