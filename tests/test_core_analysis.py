"""Explain, what-if and sensitivity on the published editions."""
from __future__ import annotations

import pytest

from index_core import api
from index_core.errors import NotAvailableError, UnknownDimensionError


def test_explain_shenzhen_2019():
    x = api.explain("hardtech-2019", "深圳")
    assert x["weakest_dimension"] == "innovation_base"
    # contributions = weight x score: 0.15*3.93, 0.35*61.26, 0.35*55.44, 0.15*63.68
    assert x["contributions"] == pytest.approx({"innovation_base": 0.5895, "innovation_input": 21.441,
                                                "innovation_output": 19.404, "innovation_environment": 9.552})
    assert sum(x["contributions"].values()) == pytest.approx(x["composite"], abs=1e-9)
    assert sum(x["contributions_rounded"].values()) == pytest.approx(50.99)
    # 上海 is next: 0.15*24.92 + 0.35*66.42 + 0.35*45.73 + 0.15*59.14 = 51.8615, a gap of 0.875
    assert x["next_rank_entity"] == "上海"
    assert x["gap_to_next_rank"] == pytest.approx(51.8615 - 50.9865, abs=1e-9)
    assert x["close_gap_by_dimension"]["innovation_input"] == pytest.approx(0.875 / 0.35, abs=1e-9)
    assert x["next_tier"] == 1 and x["next_tier_threshold_status"] == "assumed"
    assert x["close_tier_gap_by_dimension"]["innovation_environment"] is None  # would need > 100
    assert x["peers"]["best_entity"] == "北京"
    assert [e["edition"] for e in x["other_editions"]] == ["gtii-2019", "hardtech-2020"]
    assert "different" in x["caveat"]


def test_explain_the_leader_has_no_gap_above():
    x = api.explain("hardtech-2020", "北京")
    assert x["gap_to_next_rank"] is None and "gap_to_next_tier" not in x


def test_whatif_equal_weights_2019():
    data = api.whatif("hardtech-2019", {"innovation_base": 1, "innovation_input": 1, "innovation_output": 1, "innovation_environment": 1})
    rows = {e["name"]: e for e in data["entities"]}
    assert data["weights"] == {k: 0.25 for k in data["weights"]}
    assert rows["深圳"]["composite"] == pytest.approx((3.93 + 61.26 + 55.44 + 63.68) / 4, abs=0.005)
    assert rows["深圳"]["rank"] == 3 and rows["深圳"]["rank_change"] == 0
    # by hand: 武汉 (25.70+37.01+32.01+46.77)/4 = 35.3725 overtakes 杭州 (14.21+45.37+28.01+53.50)/4 = 35.2725
    assert (rows["武汉"]["rank"], rows["武汉"]["rank_change"]) == (6, 1)
    assert (rows["杭州"]["rank"], rows["杭州"]["rank_change"]) == (7, -1)
    assert sum(e["rank_change"] for e in data["entities"]) == 0


def test_whatif_accepts_chinese_dimension_names_and_rejects_unknown_keys():
    data = api.whatif("hardtech-2019", {"创新基础": 1, "创新投入": 0, "创新产出": 0, "创新环境": 0})
    assert data["entities"][0]["name"] == "北京" and data["entities"][1]["name"] == "武汉"  # base 25.70, rank 2
    with pytest.raises(UnknownDimensionError) as exc:
        api.whatif("hardtech-2019", {"innovation_bse": 1})
    assert "innovation_base" in exc.value.suggestions


def test_sensitivity_is_seeded_and_degenerates_to_the_baseline():
    a = api.sensitivity("hardtech-2020", draws=500, seed=3)
    assert a == api.sensitivity("hardtech-2020", draws=500, seed=3)
    flat = api.sensitivity("hardtech-2019", draws=50, spread=0.0, seed=1)
    for e in flat["entities"]:
        assert e["median_rank"] == e["baseline_rank"] == e["rank_interval"][0] == e["rank_interval"][1]
        assert e["p_same_tier"] == 1.0
    bj = a["entities"][0]
    assert bj["name"] == "北京" and bj["rank_interval"] == [1, 1] and bj["p_same_tier"] == 1.0


def test_sensitivity_needs_weighted_dimensions():
    with pytest.raises(NotAvailableError):
        api.sensitivity("gtii-2019")


def test_dimensions_answer_to_their_aliases():
    by_alias = api.ranking("hardtech-2020", by="talent", top=1)["entities"][0]
    assert (by_alias["name"], by_alias["score"]) == ("北京", 80.8)
    assert api.ranking("gtii-2019", by="芯片", top=1)["entities"][0]["name"] == "东京"  # 78.65, line 2474


def test_gap_by_dimension_on_the_printed_tables():
    # 2020, equal weights: 苏州 vs 无锡 (000:2786, 2798); enterprises 49.37 - 24.88 = 24.49 x 0.2 = 4.898 first
    rows = api.gap_by_dimension("hardtech-2020", "苏州", "无锡")["dimensions"]
    assert (rows[0]["dimension"], rows[0]["gap"], rows[0]["contribution"]) == ("hardtech_enterprises", 24.49, 4.898)
    assert sum(r["contribution"] for r in rows) == pytest.approx(26.762 - 19.418, abs=0.01)
    # GTII prints no field weights (001:2720): no contributions, the widest field gap first (aerospace 80.08 - 64.68)
    gtii = api.gap_by_dimension("gtii-2019", "北京", "上海")["dimensions"]
    assert gtii[0]["dimension"] == "aerospace" and gtii[0]["gap"] == pytest.approx(15.40)
    assert all(r["weight"] is None and r["contribution"] is None for r in gtii)
