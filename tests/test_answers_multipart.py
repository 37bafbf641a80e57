"""Questions in several parts and what each part asks: the gap for "by how much", the leader for
"who leads", the winner for "who is higher", what-if and sensitivity answered first. Expected
figures are the reports' printed numbers; a gap is the difference of two printed figures.

000 = 000_a935e4fe392ee53f.txt (2020 城市硬科技指数, lines 2766-2836);
001 = 001_2d381f25c7fc5f5d.txt (2019 表2 lines 1839-1874, GTII TOP15 lines 2388-2402)."""
from __future__ import annotations

import pytest

from assistant.offline import answer_question
from assistant.offline.parts import split


def _first_paragraph(answer: str) -> str:
    return answer.split("\n\n")[0]


@pytest.mark.parametrize("question, parts", [
    ("西安2020年得分；排名；第一名是谁", ["西安2020年得分", "排名", "第一名是谁"]),
    ("Shenzhen's 2020 rank as well as who came second", ["Shenzhen's 2020 rank", "who came second"]),
    ("What's Wuhan's 2020 score, also how far is it behind Guangzhou?",
     ["What's Wuhan's 2020 score", "how far is it behind Guangzhou?"]),
    ("Give me Suzhou's rank plus what the gap to Wuxi is", ["Give me Suzhou's rank", "what the gap to Wuxi is"]),
    ("西安的得分是多少，并且排第几，以及谁是第一", ["西安的得分是多少", "排第几", "谁是第一"]),
    ("上海的得分以及谁是第一", ["上海的得分", "谁是第一"]),
])
def test_where_questions_are_cut(question, parts):
    assert split(question) == parts


@pytest.mark.parametrize("question", ["北京以及上海的得分", "Beijing plus Shanghai scores", "北京和上海2020年谁更强？"])
def test_a_conjunction_between_names_does_not_cut(question):
    assert split(question) == [question]


def test_a_list_of_names_with_semicolons_is_one_question():
    env = answer_question("2020年北京；上海；深圳的综合得分")
    assert "parts" not in env.frame and all(v in env.answer for v in ("84.04", "50.48", "42.92"))  # 000:2766-2770


@pytest.mark.parametrize("question, winner, values", [
    # 000:2772 广州 39.46, 000:2776 武汉 34.58: 4.88
    ("广州跟武汉2020年谁更强？强多少分？", "广州", ("39.46", "34.58", "4.88")),
    # 000:2792 长沙 22.05, 000:2810 郑州 17.51: 4.54 (one clause, no cut)
    ("长沙和郑州2020年哪个高，高几分", "长沙", ("22.05", "17.51", "4.54")),
    # 001:2389 北京 77.17, 001:2391 上海 69.42: 7.75
    ("Peking vs Shanghai in the GTII, who's higher and by how much", "Beijing", ("77.17", "69.42", "7.75")),
])
def test_who_is_higher_and_by_how_much_in_the_first_sentence(question, winner, values):
    first = _first_paragraph(answer_question(question).answer)
    assert winner in first and all(v in first for v in values)


def test_many_entities_name_the_leader_its_lead_and_the_last():
    # ten cities, 000:2766-2786: 北京 84.04 leads 上海 50.48 by 33.56; 苏州 26.76 last
    env = answer_question("2020年北京、上海、深圳、广州、杭州、南京、武汉、成都、西安、苏州这十个城市比一比，谁最高")
    first = _first_paragraph(env.answer)
    assert first.startswith("按综合得分，北京最高") and "33.56" in first and "苏州最低" in first
    assert "第 1–9 名：" in env.answer and "第 10–11 名：" in env.answer  # past 8 entities, pages of 8 (by their ranks)
    assert not env.warnings


def test_the_leaders_lead_over_the_runner_up_on_the_dimension_asked():
    # 001:1839 北京 创新产出 94.69, 001:1862 深圳 55.44: 39.25
    env = answer_question("Who tops innovation output in 2019, and how far ahead of the runner-up is it?")
    assert "39.25" in env.answer and "Shenzhen (深圳)" in env.answer
    # 000:2766 北京 科研人才 80.80, 000:2772 广州 41.41: 39.39
    env = answer_question("2020年科研人才哪个城市第一？领先第二名多少分？")
    assert "39.39" in env.answer and "广州" in env.answer


@pytest.mark.parametrize("question, values", [
    # 000:2786 苏州 硬科技企业 49.37, 000:2798 无锡 24.88: 24.49
    ("苏州2020年的硬科技企业得分多少；排名第几；和无锡差多少", ("49.37", "24.88", "24.49")),
    # 000:2780 合肥 29.77, 000:2776 武汉 34.58: 4.81
    ("What is Hefei's rank in 2020, also how far behind Wuhan is it?", ("29.77", "34.58", "4.81")),
    # 000:2774 西安 35.83, 000:2766 北京 84.04: 48.21
    ("西安2020年排第几？离第一名差多少？", ("35.83", "84.04", "48.21")),
])
def test_a_later_part_measures_the_earlier_subject_against_another(question, values):
    env = answer_question(question)
    assert all(v in env.answer for v in values)
    assert [p["frame"]["operation"] for p in env.frame["parts"]][-1] == "gap"


def test_score_rank_and_leader_are_all_answered():
    env = answer_question("Nanjing 2020: score, rank, and who's number one?")
    assert "28.01" in env.answer and "84.04" in env.answer and "Beijing (北京)" in env.answer  # 000:2782, 000:2766


def test_a_part_after_a_what_if_is_asked_under_it():
    env = answer_question("what if innovation base counted double in 2019? where would Shenzhen and Wuhan rank?")
    first = _first_paragraph(env.answer)
    assert "Shenzhen (深圳)" in first and "Wuhan (武汉)" in first and "re-weighted" in first


def test_what_if_weights_an_edition_already_has_change_nothing():
    # 000 附录: the 2020 index weights its five dimensions equally (20% each)
    first = _first_paragraph(answer_question("假如2020年五个维度等权，排名会变吗").answer)
    assert "本来就是这样加权" in first and "20%" in first


def test_what_if_only_one_dimension_counts():
    # only 创新产出: the ranking is the dimension's, 001:1839 北京 94.69 first
    env = answer_question("如果只看创新产出，2019年谁第一")
    assert env.frame["route"] == "whatif" and "94.69" in env.answer and "100%" in env.answer


def test_sensitivity_answers_yes_or_no_first():
    first = _first_paragraph(answer_question("权重变化时西安的排名稳不稳？").answer)
    assert first.startswith("西安") and "稳定" in first and "第 5" in first  # 000:2774: 5th


def test_each_of_the_compared_entities_gets_its_tier():
    env = answer_question("Beijing vs Shanghai 2020: who is higher, and which tier is each in?")
    # one tier part for both: which tier holds which first (000:2709 北京 first; 上海、深圳 second), then each one's line
    assert [p["frame"]["operation"] for p in env.frame["parts"]] == ["compare", "tier"]
    assert "Beijing (北京): first tier; Shanghai (上海): second tier." in env.answer
    assert "Beijing (北京) is in the first tier" in env.answer and "Shanghai (上海) is in the second tier" in env.answer


@pytest.mark.parametrize("question", ["Compare Wuhan and Nanjing in 2019 and explain why Wuhan is ahead",
                                      "成都和重庆2020年谁强，并说明为什么"])
def test_and_explain_why_is_a_part_of_its_own(question):
    assert [p["frame"]["operation"] for p in answer_question(question).frame["parts"]] == ["compare", "why"]


@pytest.mark.parametrize("question", [
    "What if innovation input and output were 40% each and base and environment 10% each?",  # 2019's dimensions
    "What if the weights were 0.4, 0.2, 0.2, 0.2",                                            # four dimensions: 2019
    "Does Shenzhen stay third if all weights are equal?",                                     # 2020 is already equal
])
def test_a_what_if_without_an_edition_re_weights_the_one_its_weights_fit(question):
    env = answer_question(question)
    assert env.frame["route"] == "whatif" and "hardtech-2019" in _first_paragraph(env.answer)
    assert "couldn't find" not in env.answer and "could not read" not in env.answer


def test_other_weights_scale_in_proportion():
    # 001 表1: 15/35/35/15; base raised to 30%, the other 70% keep their 35:35:15 proportions -> 29/29/12
    first = _first_paragraph(answer_question("如果创新基础权重提高到30%，其他按比例缩小，排名如何").answer)
    assert "创新基础 30%" in first and "创新投入 29%" in first and "创新环境 12%" in first


def test_which_ranks_are_most_sensitive_names_the_widest_intervals_first():
    first = _first_paragraph(answer_question("Which cities' ranks are most sensitive to the weights?").answer)
    assert first.startswith("The ranks in the") and "range" in first and "Beijing" not in first


def test_would_the_tiers_change_names_the_least_certain_memberships():
    first = _first_paragraph(answer_question("Would the tiers change if the weights moved a bit?").answer)
    assert "least certain" in first and "P(same tier)" in first and "100%" not in first


def test_which_ones_after_a_count_is_answered_by_the_count():
    # 000:2770-2772: 深圳 (3rd) and 广州 (4th) are the top-10 cities in 广东
    env = answer_question("How many of the 2020 top 10 are in Guangdong, and which ones?")
    assert env.frame["route"] == "count" and _first_paragraph(env.answer).startswith("2 of the cities")
    assert "Shenzhen (深圳)" in env.answer and "Guangzhou (广州)" in env.answer


def test_a_province_is_a_filter_not_an_unknown_name():
    env = answer_question("2020年广东有几个城市上榜")
    assert "4 个" in env.answer and all(c in env.answer for c in ("深圳", "广州", "东莞", "佛山"))  # 000 table
    assert not [w for w in env.warnings if w.startswith("unknown")]


def test_who_is_stronger_names_the_winner_first_even_when_asked_second():
    # 000:2782 南京 科研人才 32.37, 000:2780 合肥 33.91: 1.54
    first = _first_paragraph(answer_question("南京和合肥2020年谁的科研人才强，差多少").answer)
    assert first.startswith("按科研人才，合肥高于南京") and "1.54" in first


def test_who_is_ahead_after_naming_several_asks_among_them():
    # 000:2770 深圳 42.92, 000:2778 杭州 32.99: 9.93 (typos: Shenzhn, Hangzou)
    first = _first_paragraph(answer_question("what about Shenzhn and Hangzou, who is ahead in 2020?").answer)
    assert "Shenzhen (深圳) is ahead of Hangzhou (杭州) by 9.93" in first


def test_who_is_first_overall_after_a_comparison_is_the_editions_leader():
    env = answer_question("Compare Shenzhen and Hangzhou in 2020, and who is first overall?")
    assert [p["frame"]["operation"] for p in env.frame["parts"]] == ["compare", "leader"]
    assert "Beijing (北京)" in env.answer and "84.04" in env.answer  # 000:2766
