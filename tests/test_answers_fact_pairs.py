"""Two places set against each other on a raw indicator the reports state in their text, not on an
index score. Figures are the 2019 white paper's printed city profiles: 001:1895 北京 万人发明专利拥有量
94.59 and 国家高新技术企业数 16267 in 2017; 001:1902 北京 空气质量优良率 61.92%; 001:1927 上海 41.54 and
7494; 001:1934 上海 75.34%; 001:1957 深圳 2506 → 10973 高新技术企业 (2012 → 2017), 85.29 patents per 10k;
001:2017 广州 1317 → 8678, 27.23; 001:2024 广州 科技型中小企业 8318 (深圳's profile gives none).

Hand-computed: 10973 − 8678 = 2295; 2506 − 1317 = 1189; 16267 − 7494 = 8773; 75.34 − 61.92 = 13.42
percentage points; 85.29 / 27.23 = 3.13. Each of these questions was answered with the composite gap
(深圳 42.92 against 广州 39.46) on 84158d3, the commit before this change."""
from __future__ import annotations

import pytest

from index_core import api
from index_core.errors import HardtechError
from tests.answer_frames import ask_after, first


def _lines(env) -> set[int]:
    return {n for c in env.citations for n in range(c.lines[0], c.lines[1] + 1)}


def _difference(entity: str, other: str, indicator: str, year: int) -> dict:
    d = api.facts(entity=entity, other=other)["differences"]
    return next(x for x in d if x["indicator_zh"] == indicator and x["year"] == year)


# -- the core: differences of what the reports state, the same indicator in the same year

def test_the_difference_is_taken_in_each_year_both_places_are_stated_for():
    assert _difference("深圳", "广州", "国家高新技术企业数", 2017)["difference"] == 2295
    assert _difference("深圳", "广州", "国家高新技术企业数", 2012)["difference"] == 1189
    d = _difference("北京", "上海", "空气质量优良率", 2017)
    assert (d["difference"], d["gap"], d["higher"], d["unit"]) == (-13.42, 13.42, "上海", "%")
    assert d["lines"] == ["001_2d381f25c7fc5f5d.txt:1902", "001_2d381f25c7fc5f5d.txt:1934"]


def test_an_indicator_stated_for_one_place_only_has_no_difference():
    d = api.facts(entity="深圳", other="广州")["differences"]
    assert not [x for x in d if x["indicator_zh"] == "科技型中小企业数量"]


def test_a_second_place_without_a_first_is_refused_with_a_hint():
    with pytest.raises(HardtechError) as err:
        api.facts(other="广州")
    assert "entity" in err.value.hint


# -- the answers

def test_how_many_more_high_tech_firms_gives_the_difference_first():
    env = ask_after("深圳的高新技术企业数比广州多多少")
    assert first(env).startswith("按报告给出的国家高新技术企业数，深圳比广州多 2295家：2017年，深圳 10973家，广州 8678家。")
    assert {1957, 2017} <= _lines(env)
    assert "42.92" not in env.answer  # not the composite gap


def test_the_same_in_english_and_with_compare_words():
    env = ask_after("Compare the number of high-tech enterprises in Beijing and Shanghai")
    assert "Beijing (北京) is ahead of Shanghai (上海) by 8773" in first(env)
    assert "not index scores" in env.answer


def test_a_follow_up_keeps_the_indicator_the_turn_before_asked():
    env = ask_after("比广州多多少", "深圳的高新技术企业数是多少")
    assert "深圳比广州多 2295家" in first(env)


def test_a_year_named_picks_that_years_pair():
    env = ask_after("深圳和广州2012年国家高新技术企业数差多少")
    assert "深圳比广州多 1189家：2012年" in first(env)


def test_a_difference_of_two_shares_is_in_percentage_points():
    env = ask_after("北京和上海的空气质量优良率谁高")
    assert "上海比北京高 13.42 个百分点" in first(env)


def test_how_many_times_adds_the_ratio():
    env = ask_after("深圳的万人发明专利拥有量是广州的几倍")
    assert "深圳是广州的 3.13 倍" in env.answer


def test_a_figure_stated_for_one_place_only_says_there_is_nothing_to_subtract():
    env = ask_after("深圳和广州的科技型中小企业数量对比")
    assert first(env).startswith("报告只给出了广州的数值（科技型中小企业数量：2017年为 8318家")
    assert "无法算出两者之差" in first(env)


def test_which_of_two_had_more_is_answered_for_both_though_read_as_a_lookup():
    # 001:2047 杭州 46.37, 001:2076 武汉 28.42 in 2017: 46.37 − 28.42 = 17.95
    env = ask_after("Which had more invention patents per 10k people in 2017, Hangzhou or Wuhan?")
    assert "Hangzhou (杭州) is ahead of Wuhan (武汉) by 17.95 per 10k residents: 46.37 against 28.42 in 2017" in first(env)


def test_how_much_more_than_an_earlier_year_gives_the_change():
    # 001:2047 杭州 19.87 (2012) → 46.37 (2017): 26.50
    env = ask_after("杭州2017年万人发明专利拥有量比2012年多了多少")
    assert first(env) == "2012—2017年，万人发明专利拥有量增加了 26.50件/万人。"
