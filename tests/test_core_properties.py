"""Properties of the scoring engine that must hold for any input (hypothesis).

Written against the public functions and their documented behaviour only, so they hold
whatever the implementation (loops, pandas or whole-array numpy)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from index_core import engine

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


def tables(min_rows=2, max_rows=12, min_cols=1, max_cols=6):
    return st.tuples(st.integers(min_rows, max_rows), st.integers(min_cols, max_cols)).flatmap(
        lambda shape: arrays(np.float64, shape, elements=finite)
    )


def weights_for(n: int):
    return st.lists(st.floats(0.01, 10), min_size=n, max_size=n).map(lambda w: np.array(w) / np.sum(w))


@given(tables(), st.lists(st.sampled_from([1, -1]), min_size=6, max_size=6))
def test_minmax_scores_stay_in_range_with_best_100_and_worst_0(x, signs):
    df = pd.DataFrame(x, columns=[f"c{i}" for i in range(x.shape[1])])
    directions = {c: signs[i] for i, c in enumerate(df.columns)}
    scores, _ = engine.normalise(df, directions)
    assert ((scores >= 0) & (scores <= 100)).all().all()
    for c in df.columns:
        if df[c].nunique() > 1:
            best = df[c].idxmax() if directions[c] > 0 else df[c].idxmin()
            worst = df[c].idxmin() if directions[c] > 0 else df[c].idxmax()
            assert scores.at[best, c] == 100 and scores.at[worst, c] == 0


@given(tables(min_cols=2), st.data())
def test_raising_one_indicator_never_lowers_a_composite(x, data):
    df = pd.DataFrame(x, columns=[f"c{i}" for i in range(x.shape[1])])
    w = data.draw(weights_for(df.shape[1]))
    row = data.draw(st.integers(0, len(df) - 1))
    col = data.draw(st.sampled_from(list(df.columns)))
    bump = data.draw(st.floats(0, 1e6))
    before = engine.aggregate(engine.normalise(df)[0], dict(zip(df.columns, w)))
    raised = df.copy()
    raised.iat[row, df.columns.get_loc(col)] += bump
    after = engine.aggregate(engine.normalise(raised)[0], dict(zip(df.columns, w)))
    assert after.iloc[row] >= before.iloc[row] - 1e-9


@given(arrays(np.float64, st.tuples(st.integers(1, 30), st.integers(1, 7)), elements=st.floats(0, 100)), st.data())
def test_contributions_sum_to_the_composite(scores, data):
    df = pd.DataFrame(scores, columns=[f"d{i}" for i in range(scores.shape[1])])
    w = dict(zip(df.columns, data.draw(weights_for(df.shape[1]))))
    composite = engine.weighted_composite(df, w)
    by_hand = [sum(w[c] * row[c] for c in df.columns) for _, row in df.iterrows()]  # sum of weight x score
    assert composite.tolist() == pytest.approx(by_hand, abs=1e-9)
    contrib = engine.contributions(df, w)
    assert all(contrib.at[i, c] == pytest.approx(w[c] * df.at[i, c]) for i in df.index for c in df.columns)
    shown = engine.round_preserving_sum(list(contrib.iloc[0]), composite.iloc[0])
    assert round(sum(shown), 2) == round(composite.iloc[0], 2)
    assert all(abs(a - b) < 0.01 + 1e-9 for a, b in zip(shown, contrib.iloc[0]))  # each part moves < 1 cent


@given(st.dictionaries(st.text("abcdef", min_size=1, max_size=3), st.sampled_from(["g1", "g2", "g3"]), min_size=1, max_size=12), st.data())
def test_effective_weights_sum_to_one_in_every_group(groups, data):
    explicit = {}
    for g in set(groups.values()):
        members = [c for c, gg in groups.items() if gg == g]
        if len(members) > 1 and data.draw(st.booleans()):
            explicit[members[0]] = data.draw(st.floats(0, 0.9))
    w = engine.effective_weights(groups, explicit)
    for g in set(groups.values()):
        assert abs(sum(w[c] for c, gg in groups.items() if gg == g) - 1) < 1e-9


def frame(x: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(x, index=[f"e{i}" for i in range(x.shape[0])], columns=[f"c{i}" for i in range(x.shape[1])])


@given(tables(), st.floats(0.001, 1000), st.floats(-1e6, 1e6), st.lists(st.sampled_from([1, -1]), min_size=6, max_size=6))
def test_minmax_scores_are_invariant_to_scaling_and_shifting_a_raw_column(x, scale, shift, signs):
    df = frame(x)
    directions = {c: signs[i] for i, c in enumerate(df.columns)}
    assume(all(df[c].max() - df[c].min() > 1e-3 or df[c].nunique() == 1 for c in df.columns))
    scores, _ = engine.normalise(df, directions)
    moved, _ = engine.normalise(df * scale + shift, directions)
    assert np.allclose(moved.to_numpy(), scores.to_numpy(), atol=1e-6)
    # a negative scale turns the column around: the same as flipping its direction
    flipped, _ = engine.normalise(-df, {c: -d for c, d in directions.items()})
    assert np.allclose(flipped.to_numpy(), scores.to_numpy(), atol=1e-6)


@given(tables(min_rows=3, min_cols=2), st.data())
def test_permuting_entities_permutes_every_result(x, data):
    df = frame(x)
    w = dict(zip(df.columns, data.draw(weights_for(df.shape[1]))))
    order = data.draw(st.permutations(list(df.index)))

    def pipeline(raw):
        scores, bounds = engine.normalise(raw)
        composite = engine.aggregate(scores, w)
        th = [engine.ResolvedTier(1, 60.0, "stated"), engine.ResolvedTier(2, 30.0, "stated")]
        return scores, bounds, composite, engine.rank_desc(composite), engine.assign_tiers(composite, th)

    base, permuted = pipeline(df), pipeline(df.loc[order])
    pd.testing.assert_frame_equal(permuted[0], base[0].loc[order])
    pd.testing.assert_frame_equal(permuted[1], base[1])  # bounds do not depend on the order
    for a, b in zip(permuted[2:], base[2:]):
        pd.testing.assert_series_equal(a, b.loc[order])


@given(tables(min_cols=2), st.data())
def test_raising_a_negative_indicator_never_raises_a_composite(x, data):
    df = frame(x)
    w = dict(zip(df.columns, data.draw(weights_for(df.shape[1]))))
    directions = {c: -1 for c in df.columns}
    row = data.draw(st.integers(0, len(df) - 1))
    col = data.draw(st.sampled_from(list(df.columns)))
    raised = df.copy()
    raised.iat[row, df.columns.get_loc(col)] += data.draw(st.floats(0, 1e6))
    before = engine.aggregate(engine.normalise(df, directions)[0], w)
    after = engine.aggregate(engine.normalise(raised, directions)[0], w)
    assert after.iloc[row] <= before.iloc[row] + 1e-9


@given(st.lists(st.integers(1, 99), min_size=1, max_size=4, unique=True).map(lambda t: sorted(t, reverse=True)), st.data())
def test_tier_boundaries_are_inclusive(cuts, data):
    """A composite equal to a tier's threshold is in that tier; a hair below it is not
    (engine.assign_tiers: "the best tier whose threshold it reaches")."""
    th = [engine.ResolvedTier(i + 1, float(c), "stated") for i, c in enumerate(cuts)]
    k = data.draw(st.integers(0, len(cuts) - 1))
    on, below = float(cuts[k]), cuts[k] - 0.01
    got = engine.assign_tiers(pd.Series([on, below, 100.0, 0.0]), th).tolist()
    below_tier = next((i + 1 for i, c in enumerate(cuts) if below >= c), len(cuts) + 1)
    assert got == [k + 1, below_tier, 1, len(cuts) + 1 if cuts[-1] > 0 else len(cuts)]


@given(st.lists(st.floats(0, 100, allow_nan=False), min_size=1, max_size=30))
def test_competition_ranks_count_the_entities_strictly_ahead(values):
    ranks = engine.rank_desc(pd.Series(values)).tolist()
    assert ranks == [1 + sum(o > v for o in values) for v in values]
