"""Properties that must hold for any input (hypothesis)."""
from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
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


@settings(max_examples=200, deadline=None)
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


@settings(max_examples=200, deadline=None)
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


@settings(max_examples=200, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 30), st.integers(1, 7)), elements=st.floats(0, 100)), st.data())
def test_contributions_sum_to_the_composite(scores, data):
    df = pd.DataFrame(scores, columns=[f"d{i}" for i in range(scores.shape[1])])
    w = dict(zip(df.columns, data.draw(weights_for(df.shape[1]))))
    composite = engine.weighted_composite(df, w)
    assert (engine.contributions(df, w).sum(axis=1) == composite).all()
    shown = engine.round_preserving_sum(list(engine.contributions(df, w).iloc[0]), composite.iloc[0])
    assert round(sum(shown), 2) == round(composite.iloc[0], 2)


@settings(max_examples=200, deadline=None)
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
