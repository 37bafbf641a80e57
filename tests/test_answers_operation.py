"""Answers to the operation asked, from the reports' printed numbers: statistics of a ranking
(hand-computed), counts over a score threshold (decided by the printed score or the class band),
places counted from the end, sub-index extremes the report states only in words, and rank moves
against the previous quarter."""
from __future__ import annotations

import pytest

from assistant.aggregates import t_stats
from assistant.thresholds import in_range, tier_bands
from assistant.tools import t_count, t_tiers
from tests.answer_frames import ask, first


# ---------------------------------------------------------------- statistics (000:2766-2840, 2020 table)
def test_stats_of_the_2020_top_five_by_hand():
    res = t_stats("hardtech-2020", top=5)
    # 84.04 + 50.48 + 42.92 + 39.46 + 35.83 = 252.73; / 5 = 50.546
    assert res["n"] == 5 and res["mean"] == pytest.approx(50.55, abs=0.005)
    assert (res["highest"]["name"], res["lowest"]["name"]) == ("北京", "西安")


def test_spread_and_median_of_2020():
    res = t_stats("hardtech-2020")
    assert res["spread"] == pytest.approx(84.04 - 6.74, abs=0.005)   # 北京 000:2766, 唐山 000:2840
    assert [r["name"] for r in res["middle"]] == ["佛山", "重庆"]     # 19th and 20th of 38
    assert res["median"] == pytest.approx((18.14 + 18.95) / 2, abs=0.005)


def test_average_answer_states_the_average_first():
    env = ask(operation="rank", editions=("hardtech-2020",), n=5, direction="top", aspect="average", language="zh")
    assert "50.55" in first(env) and "平均" in first(env)


def test_spread_answer_names_both_ends_with_lines():
    env = ask(operation="rank", editions=("hardtech-2020",), aspect="spread")
    assert "77.30" in first(env) and "Tangshan" in first(env) and "Beijing" in first(env)
    assert {c.lines[0] for c in env.citations} >= {2766, 2840}


# ---------------------------------------------------------------- thresholds
def test_class_bands_from_the_stated_thresholds():
    bands = tier_bands(t_tiers("chongqing-2018q3"))   # 004:25-52: 80+, 70-80, 50-70, below 50
    assert bands[1][0] == 80 and bands[2] == (70, 80) and bands[4] == (0, 50)
    assert in_range(None, bands[2], 80, None) is False and in_range(None, bands[4], None, 50) is True
    assert in_range(None, bands[2], 75, None) is None   # a class-2 district may or may not be above 75


def test_districts_below_50_are_the_fourth_class():
    res = t_count("chongqing-2018q3", max_score=50)
    assert {m["name"] for m in res["members"]} == {"彭水县", "巫溪县", "武隆区"}   # 004:50-52


def test_gtii_cities_over_70_counting_the_unprinted_as_below_the_fifteenth():
    res = t_count("gtii-2019", min_score=70)
    assert [m["name"] for m in res["members"]] == ["东京", "北京", "纽约"] and "undecided" not in res


def test_count_answer_over_a_threshold():
    env = ask(operation="count", editions=("hardtech-2020",), filters=({"field": "score_min", "value": "50"},))
    assert first(env).startswith("2 of the cities") and "Shanghai" in first(env)


# ---------------------------------------------------------------- the ends and the middle of rankings
def test_second_to_last_is_one_row_from_the_end():
    env = ask(operation="rank", editions=("hardtech-2020",), n=1, offset=1, direction="bottom", language="zh")
    assert "徐州" in first(env) and "8.98" in first(env)   # 000:2838


def test_lowest_sub_index_stated_in_words_comes_from_the_report():
    env = ask(operation="leader", editions=("chongqing-2018q3",), dimension="environment", direction="bottom", language="zh")
    assert "武隆区" in first(env) and "17.38" in first(env)   # 004:110
    env = ask(operation="rank", editions=("chongqing-2018q3",), dimension="vitality", direction="top")
    assert "31.01" in first(env) and "大渡口区" not in first(env)   # 004:64; 大渡口区 is 8th


def test_rank_move_against_the_previous_quarter():
    env = ask(operation="change", entities=("荣昌区",), editions=("chongqing-2018q3",), dimension="effectiveness",
              aspect="rank", period="previous", language="zh")
    assert "第 8 名" in first(env) and "第 29 名" in first(env)   # 004:301


def test_the_districts_as_a_whole_against_the_previous_quarter():
    env = ask(operation="change", editions=("chongqing-2018q3",), aspect="count", period="previous")
    assert "20" in first(env)                                      # 004:200
    env = ask(operation="change", editions=("chongqing-2018q3",), aspect="average", period="previous")
    assert "0.16" in first(env)                                    # 004:198


def test_the_last_district_overall_is_the_last_class():
    # no statement names the lowest total; class 4 (below 50) is who is known to be there (004:50-52)
    env = ask(operation="leader", editions=("chongqing-2018q3",), direction="bottom", language="zh")
    assert all(d in first(env) for d in ("彭水县", "巫溪县", "武隆区"))
