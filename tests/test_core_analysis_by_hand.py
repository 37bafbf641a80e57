"""Explain, what-if and sensitivity on a tiny edition worked out by hand.

Four cities, two dimensions with one indicator each. Each raw column holds 0 and 100,
so min-max scores equal the raw values, and with weights x 0.6, y 0.4:

    city  x    y    composite               rank  tier (>= 78: 1, >= 60: 2, else 3, unnamed)
    A     90   90   90                      1     1
    B     100  40   60 + 16 = 76            2     2
    C     40   100  24 + 40 = 64            3     2
    D     0    0    0                       4     3
"""
from __future__ import annotations

import pytest

from index_core import analysis, io
from index_core.edition import compute_from_raw
from index_core.errors import NotAvailableError, SpecError, UnknownDimensionError

SPEC = """
id: tiny-2025
title: {zh: 小指数, en: Tiny Index}
edition_year: 2025
source: {file: raw.csv}
entity_kind: city
data_level: raw
dimensions:
  - {key: x, zh: 甲, en: Ex, weight: 0.6}
  - {key: y, zh: 乙, en: Why, weight: 0.4}
indicators:
  - {no: 1, key: xi, zh: 甲指标, en: X indicator, unit: 个, dimension: x}
  - {no: 2, key: yi, zh: 乙指标, en: Y indicator, unit: 个, dimension: y}
normalisation: {method: minmax, range: [0, 100]}
aggregation: {method: weighted_sum}
tiers:
  rules:
    - {tier: 1, zh: 第一梯队, en: First tier, threshold: 78, status: stated}
    - {tier: 2, zh: 第二梯队, en: Second tier, threshold: 60, status: stated}
  unnamed: {zh: 其他, en: The rest}
"""


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    import pandas as pd

    path = tmp_path_factory.mktemp("tiny") / "spec.yaml"
    path.write_text(SPEC, encoding="utf-8")
    spec = io.load_spec(path)
    raw = pd.DataFrame({"xi": [90.0, 100, 40, 0], "yi": [90.0, 40, 100, 0]}, index=list("ABCD"))
    return compute_from_raw(spec, raw)


def test_the_tiny_edition_is_as_worked_by_hand(tiny):
    t = tiny.table
    assert t["composite"].tolist() == pytest.approx([90, 76, 64, 0])
    assert t["rank"].tolist() == [1, 2, 3, 4]
    assert t["tier"].tolist() == [1, 2, 2, 3]


def test_explain_contributions_gaps_and_peers(tiny):
    x = analysis.explain(tiny, "C")
    assert (x["composite"], x["rank"], x["of"], x["tier"]) == (64, 3, 4, 2)
    assert x["contributions"] == pytest.approx({"x": 24.0, "y": 40.0})     # 0.6*40, 0.4*100
    assert x["contribution_shares"] == pytest.approx({"x": 0.375, "y": 0.625})
    assert x["strongest_dimension"] == "y" and x["weakest_dimension"] == "x"  # y rank 1, x rank 3
    # with 4 entities, strengths are ranks <= 3 and weaknesses ranks > 1
    assert x["strengths"] == ["y", "x"] and x["weaknesses"] == ["x"]
    # next rank: B at 76, 12 points up; x alone would need +20 (40 -> 60), y alone +30 (100 -> 130: impossible)
    assert (x["next_rank_entity"], x["gap_to_next_rank"]) == ("B", 12)
    assert x["close_gap_by_dimension"] == {"x": pytest.approx(20), "y": None}
    # next tier: 78 - 64 = 14; x alone +23.33, y alone +35 (impossible)
    assert (x["next_tier"], x["next_tier_threshold"], x["gap_to_next_tier"]) == (1, 78, 14)
    assert x["next_tier_threshold_status"] == "stated"
    assert x["close_tier_gap_by_dimension"] == {"x": pytest.approx(14 / 0.6, abs=1e-4), "y": None}
    # peers: median of 90, 76, 64, 0 is 70; tier 2 is B and C, mean 70
    assert x["peers"] == {"median": 70, "best_entity": "A", "best": 90, "tier_mean": 70, "tier_size": 2}


def test_explain_the_leader_and_the_unnamed_tier(tiny):
    a = analysis.explain(tiny, "A")
    assert a["gap_to_next_rank"] is None and "gap_to_next_tier" not in a and "next_rank_entity" not in a
    d = analysis.explain(tiny, "D")
    assert (d["tier"], d["next_tier"], d["next_tier_threshold"], d["gap_to_next_tier"]) == (3, 2, 60, 60)
    assert d["contribution_shares"] == {"x": None, "y": None}  # a zero composite has no shares
    assert d["close_gap_by_dimension"] == {"x": None, "y": None}  # 64 more points: neither alone
    assert analysis.tier_label(tiny, 3, "zh") == "其他" and analysis.tier_label(tiny, 3, "en") == "The rest"
    assert analysis.tier_label(tiny, 1, "en") == "First tier" and analysis.tier_label(tiny, 2, "zh") == "第二梯队"
    assert analysis.tier_label(tiny, None) is None


def test_gap_by_dimension_splits_the_composite_gap_by_weight(tiny):
    # B 76 vs C 64: x 100 - 40 = +60 at 0.6 = +36; y 40 - 100 = -60 at 0.4 = -24; 36 - 24 = 12
    rows = analysis.gap_by_dimension(tiny, "B", "C")
    assert [r["dimension"] for r in rows] == ["x", "y"]          # the largest part first
    assert [(r["score"], r["other_score"], r["gap"], r["weight"]) for r in rows] == [(100, 40, 60, 0.6), (40, 100, -60, 0.4)]
    assert [r["contribution"] for r in rows] == pytest.approx([36, -24])
    assert sum(r["contribution"] for r in rows) == pytest.approx(76 - 64)
    # the other way round the signs turn and y's part comes first
    assert [(r["dimension"], r["contribution"]) for r in analysis.gap_by_dimension(tiny, "C", "B")] == \
        [("y", pytest.approx(24)), ("x", pytest.approx(-36))]


def test_whatif_renormalises_the_weights_and_tiers_from_the_new_composite(tiny):
    df = analysis.whatif(tiny, {"x": 9, "y": 1})  # 0.9 / 0.1
    assert df.attrs["weights"] == {"x": 0.9, "y": 0.1}
    # A 90; B 90 + 4 = 94; C 36 + 10 = 46; D 0
    assert df["composite"].to_dict() == pytest.approx({"B": 94, "A": 90, "C": 46, "D": 0})
    assert list(df.index) == ["B", "A", "C", "D"]  # best new rank first
    assert df["rank"].to_dict() == {"B": 1, "A": 2, "C": 3, "D": 4}
    assert df["rank_change"].to_dict() == {"B": 1, "A": -1, "C": 0, "D": 0}
    # tiers from the new composites, against the baseline's thresholds: B 94 >= 78, C 46 < 60
    assert df["tier"].to_dict() == {"B": 1, "A": 1, "C": 3, "D": 3}
    assert df["baseline_tier"].to_dict() == {"B": 2, "A": 1, "C": 2, "D": 3}
    assert df["baseline_composite"].to_dict() == pytest.approx({"B": 76, "A": 90, "C": 64, "D": 0})


def test_whatif_equal_weights_tie_shares_the_rank(tiny):
    df = analysis.whatif(tiny, {"x": 1, "y": 1})  # B and C both 70
    assert df["rank"].to_dict() == {"A": 1, "B": 2, "C": 2, "D": 4}
    assert df["rank_change"].to_dict() == {"A": 0, "B": 0, "C": 1, "D": 0}


def test_whatif_rejects_bad_weights(tiny):
    with pytest.raises(SpecError):
        analysis.whatif(tiny, {"x": -1, "y": 2})
    with pytest.raises(SpecError):
        analysis.whatif(tiny, {"x": 0, "y": 0})
    with pytest.raises(UnknownDimensionError):
        analysis.whatif(tiny, {"z": 1})
    only_x = analysis.whatif(tiny, {"x": 2})  # a dimension left out weighs 0
    assert only_x.attrs["weights"] == {"x": 1.0, "y": 0.0}
    assert only_x["composite"].to_dict() == pytest.approx({"B": 100, "A": 90, "C": 40, "D": 0})


def test_sensitivity_renormalised_draws_by_hand(tiny):
    """Each draw scales x 0.6 and y 0.4 by factors u, v in [0.75, 1.25], then renormalises:
    w = 0.6u / (0.6u + 0.4v), in [0.4737, 0.7143].

    - A scores 90 on both, so 90 in every draw: rank 1, tier 1, always.
    - D scores 0 in every draw: rank 4, tier 3 (unnamed), always.
    - B - C = 120w - 60 < 0 only when v > 1.5u: P = 0.0208 (area 0.00521 of 0.25). So B is
      3rd in ~2% of draws: worst rank 3, yet its 5-95% interval is [2, 2] (C's: [3, 3]).
    - B = 40 + 60w reaches tier 1 (78) when w >= 0.6333, i.e. v <= 0.8684u:
      P = 0.0648 / 0.25 = 0.259, so B keeps tier 2 with P = 0.741.
    - C = 100 - 60w drops below 60 when w > 2/3, i.e. v < 0.75u: P = 0.0234 / 0.25 = 0.094.
    """
    df = analysis.sensitivity(tiny, draws=4000, spread=0.25, seed=11)
    assert df.attrs == {"draws": 4000, "spread": 0.25, "seed": 11}
    a, b, c, d = (df.loc[k] for k in "ABCD")
    assert (a["best_rank"], a["worst_rank"], a["rank_p05"], a["rank_p95"], a["median_rank"]) == (1, 1, 1, 1, 1)
    assert a["p_same_tier"] == 1.0 and d["p_same_tier"] == 1.0 and d["worst_rank"] == d["best_rank"] == 4
    assert (b["best_rank"], b["worst_rank"], b["rank_p05"], b["rank_p95"], b["median_rank"]) == (2, 3, 2, 2, 2)
    assert (c["best_rank"], c["worst_rank"], c["rank_p05"], c["rank_p95"], c["median_rank"]) == (2, 3, 3, 3, 3)
    assert b["p_same_tier"] == pytest.approx(0.741, abs=0.03)
    assert c["p_same_tier"] == pytest.approx(1 - 0.094, abs=0.02)
    assert list(df.index) == list("ABCD") and df["baseline_rank"].tolist() == [1, 2, 3, 4]
    assert df["baseline_tier"].tolist() == [1, 2, 2, 3]


def test_sensitivity_without_spread_is_the_baseline_and_rejects_bad_arguments(tiny):
    flat = analysis.sensitivity(tiny, draws=1, spread=0.0)
    assert flat["rank_p05"].tolist() == flat["rank_p95"].tolist() == [1, 2, 3, 4]
    assert flat["p_same_tier"].tolist() == [1.0, 1.0, 1.0, 1.0]
    for draws, spread in ((0, 0.25), (10, -0.1), (10, 1.0)):
        with pytest.raises(SpecError):
            analysis.sensitivity(tiny, draws=draws, spread=spread)


def test_cross_edition_lists_only_editions_with_the_entity(tiny):
    rows = analysis.cross_edition([tiny, tiny], "C")
    assert len(rows) == 2 and rows[0] == {
        "edition": "tiny-2025", "title_zh": "小指数", "title_en": "Tiny Index", "composite": 64.0,
        "composite_source": "computed", "published_composite": None, "rank": 3, "of": 4, "tier": 2}
    assert analysis.cross_edition([tiny], "Z") == []


def test_analysis_needs_weighted_dimension_scores(tiny):
    from dataclasses import replace

    with pytest.raises(NotAvailableError):
        analysis.whatif(replace(tiny, weights={}), {"x": 1})


def test_errors_say_what_is_wrong_and_how_to_fix_it(tiny):
    from dataclasses import replace

    with pytest.raises(SpecError, match="Weights must be >= 0") as err:
        analysis.whatif(tiny, {"x": -1})
    assert err.value.hint == "Example: innovation_base=1,innovation_input=1"
    with pytest.raises(SpecError, match="draws must be >= 1") as err:
        analysis.sensitivity(tiny, draws=0)
    assert err.value.hint == "Example: --draws 1000 --spread 0.25"
    for what, call in (("A what-if", lambda r: analysis.whatif(r, {"x": 1})),
                       ("Sensitivity analysis", lambda r: analysis.sensitivity(r))):
        with pytest.raises(NotAvailableError, match=f"^{what} needs weighted dimension scores") as err:
            call(replace(tiny, weights={}))
        assert err.value.hint.startswith("Use an edition that scores every entity on weighted dimensions")


def test_the_unnamed_tier_label_without_a_spec_label(tiny):
    from dataclasses import replace

    bare = replace(tiny, spec=tiny.spec.model_copy(update={"tiers": tiny.spec.tiers.model_copy(update={"unnamed": None})}))
    assert analysis.tier_label(bare, 3, "zh") == "报告未命名梯队" and analysis.tier_label(bare, 3, "en") == "Not named by the report"


def test_sensitivity_tier_boundaries_are_inclusive(tiny):
    """A sits exactly on a threshold of 90: with no spread it keeps tier 1 in every draw."""
    from dataclasses import replace

    from index_core.engine import ResolvedTier

    on_the_line = replace(tiny, thresholds=[ResolvedTier(1, 90.0, "stated"), ResolvedTier(2, 60.0, "stated")])
    assert analysis.sensitivity(on_the_line, draws=5, spread=0.0)["p_same_tier"].tolist() == [1.0, 1.0, 1.0, 1.0]
