"""Questions of the seventeenth push, written for this test in words of their own, with figures from the
reports' printed lines: the 2020 ranking (000:2709 北京 alone in the first tier, 上海 and 深圳 the second;
000:2766-2770 北京 84.04, 上海 50.48, 深圳 42.92 with research talent 21.05 and the other four 55.49, 48.54,
68.22, 21.28, 广州 39.46 with research talent 41.41 and 42.20, 42.75, 34.19, 36.76; 000:2778 杭州 32.99, 7th;
000:2784-2794 places 10 to 15), the 2019 tiers and table (001:1821: 21 cities in the fifth tier; 001:1839
北京 89.31, 80.13, 94.69, 80.06; 001:1869 拉萨), the GTII (001:2389-2392 东京 78.39 first, 上海 69.42 fourth).

Hand-computed: 北京's 2019 composite under equal weights is (89.31 + 80.13 + 94.69 + 80.06) / 4 = 86.05;
广州 passes 深圳 in 2020 when research talent weighs w and the other four (1 - w) / 4 each, where
41.41w + 155.90(1 - w)/4 >= 21.05w + 193.53(1 - w)/4, i.e. 29.7675w >= 9.4075, w >= 31.60%.
Each fails on dd0b878, the commit before this push."""
from __future__ import annotations

from tests.answer_frames import ask_after, first, understood


def _lines(env) -> set[int]:
    return {n for c in env.citations for n in range(c.lines[0], c.lines[1] + 1)}


# -- tiers asked in other words

def test_an_echelon_is_a_tier():
    env = ask_after("How many cities are in the second echelon in 2020?")
    assert first(env).startswith("2 of the cities")
    assert "Shanghai (上海), Shenzhen (深圳)" in first(env)
    assert 2709 in _lines(env)


def test_the_tier_with_the_most_members_is_named_first():
    env = ask_after("Which tier has the most cities in 2019?")
    assert "the one with the most cities is the fifth tier (21 cities)" in first(env)
    assert 1821 in _lines(env)
    env = ask_after("2019年哪个梯队的城市最少")
    assert "城市最少的是第一梯队（领跑者）（1 个）" in first(env)


def test_one_tier_set_against_another_lists_both():
    env = ask_after("What separates tier 1 from tier 2 in 2020?")
    assert "**first tier**" in env.answer and "**second tier**" in env.answer
    assert "Shanghai (上海), Shenzhen (深圳)" in env.answer


# -- follow-ups keep what the turn before was about

def test_how_it_changed_between_editions_is_a_change_not_its_make_up():
    frame = understood("how did it change from 2019 to 2020?",
                       [{"role": "user", "content": "Tell me about Nanjing"}, {"role": "assistant", "content": "..."}])
    assert frame.operation == "change" and frame.entities == ("南京",)


def test_equal_weights_after_a_question_on_the_weights_is_a_what_if():
    env = ask_after("what if they were equal?", "What weights does the 2019 index use?", "15/35/35/15")
    assert "puts Beijing (北京) first (86.05)" in first(env)
    frame = understood("要是都一样呢", [{"role": "user", "content": "2019年的权重是多少"},
                                   {"role": "assistant", "content": "15/35/35/15"}])
    assert frame.operation == "whatif" and set(frame.weights.values()) == {1.0}


def test_the_weight_a_pass_needs_is_the_crossover():
    env = ask_after("How much would weights need to change for Guangzhou to pass Shenzhen in 2020?")
    assert "research talent (科研人才) weighed 31.60% or more (now 20%)" in first(env)


# -- premises said in other words are checked

def test_an_ordering_said_around_an_index_name_is_checked():
    env = ask_after("为什么上海在GTII里超过了东京")
    assert first(env).startswith("与问题的前提不同")
    assert "上海（69.42，第 4 名）并不比东京（78.39，第 1 名）高" in first(env)


def test_two_places_said_to_share_a_tier_are_each_checked():
    env = ask_after("为什么2020年北京和上海同属第一梯队")
    assert first(env).startswith("与问题的前提不同，上海在2020 城市硬科技指数（hardtech-2020）中不属于第一梯队，而是第二梯队")
    assert "50.48" in first(env)


# -- places asked by number or as a run

def test_a_place_asked_with_a_hash_is_that_place():
    env = ask_after("Which city is #7 in 2020?")
    assert first(env).startswith("Hangzhou (杭州) is number 7 of 38")
    assert "32.99" in first(env)


def test_ranked_between_two_places_is_a_run_of_places_not_scores():
    env = ask_after("Which cities ranked between 10 and 15 in 2020?")
    assert first(env).startswith("Ranks 10–15 of 38 by composite")
    assert "Chengdu (成都)" in first(env) and "Tianjin (天津)" in first(env)
    assert "Kunming" not in env.answer  # not the cities scoring 10 to 15 points


def test_a_computed_composite_is_cited_at_its_dimension_scores():
    env = ask_after("bottom 3 cities 2019")
    assert "#36 Lhasa (拉萨): 5.59 [" in env.answer
    assert 1869 in _lines(env)  # 拉萨's row of dimension scores


# -- the district index by its everyday name

def test_the_double_innovation_index_is_the_district_index():
    env = ask_after("What's Chongqing's double-innovation index score?")
    assert "scores the 38 districts of Chongqing (重庆), not Chongqing (重庆) as a whole" in first(env)


# -- a superlative over the weights is a method question (001:1786 15/35/35/15; 2020: equal weights, 20% each)

def test_the_heaviest_dimension_is_named_from_the_weights():
    env = ask_after("2019年哪个维度权重最高")
    assert first(env).startswith("2019 城市产业创新综合能力指数（hardtech-2019）：权重最高的是创新投入、创新产出（各 35%）。")
    env = ask_after("which dimension has the highest weight in 2020?")
    assert "every dimension weighs the same, 20%, so none weighs more" in first(env)
    assert "Beijing" not in env.answer  # not the leading city
    env = ask_after("which has the highest weight?", "What are the 2020 dimensions?", "...")
    assert "every dimension weighs the same, 20%" in first(env)


# -- "what does the report say about it?" after one city's dimension: the reasons the report gives

def test_what_the_report_says_of_a_figure_just_given_is_its_reasons():
    env = ask_after("what does the report say about it?", "Shenzhen innovation base 2019", "3.93, rank 34")
    assert first(env).startswith("In the 2019 City Industrial Innovation Capability Index")
    assert "scores 3.93 on innovation base (创新基础), rank 34 of 36" in first(env)
    assert "64.34 per 10k residents (2017), last of 36" in env.answer  # 001:1964
