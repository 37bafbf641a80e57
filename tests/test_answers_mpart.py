"""Parts that lean on the part before them (assistant/offline/parts.py): the edition, the subject
named by its place, the entity a tier or reason part asks about; the comma cuts that start them;
and a tier question about several entities answered for each. Numbers are the reports' printed
figures (file:line beside each) or differences of two of them, worked in the comment."""
from __future__ import annotations

from assistant.offline import answer_question
from assistant.offline.parts import split


def test_a_comma_before_a_comparison_or_who_is_ahead_starts_a_part():
    assert split("2020年第五名是谁，比第四名少几分") == ["2020年第五名是谁", "比第四名少几分"]
    assert split("杭州和南京2019年各自在第几梯队，谁分高") == ["杭州和南京2019年各自在第几梯队", "谁分高"]
    assert split("Tell me Guangzhou's 2019 rank, its tier, and the gap to Shenzhen") == \
        ["Tell me Guangzhou's 2019 rank", "its tier", "the gap to Shenzhen"]


def test_a_subject_named_by_its_place_is_measured_against_the_next_part():
    # 000:2774 西安 35.83 (5th), 000:2772 广州 39.46 (4th): 39.46 - 35.83 = 3.63
    env = answer_question("2020年第五名是谁，比第四名少几分")
    assert "35.83" in env.answer and "39.46" in env.answer and "3.63" in env.answer
    assert [p["frame"]["operation"] for p in env.frame["parts"]] == ["rank", "gap"]


def test_a_part_without_an_edition_asks_in_the_earlier_parts_edition_and_dimension():
    # 001:1869 拉萨 创新基础 2.94 (36th), 001:1851 宁波 3.24 (35th): 3.24 - 2.94 = 0.30
    env = answer_question("2019年创新基础谁垫底？比倒数第二低多少")
    gap = env.frame["parts"][1]["frame"]
    assert gap["editions"][0] == env.frame["parts"][0]["frame"]["editions"][0]
    assert gap["entities"] == ["拉萨", "宁波"] and gap["dimension"] == "innovation_base"
    assert "0.30" in env.answer or "0.3 " in env.answer


def test_a_tier_or_reason_part_that_names_nobody_asks_about_the_earlier_entity():
    # 000:2782 南京 9th, 28.01, 高新技术产出 18.98 (19th)
    env = answer_question("南京2020年排第几？在哪个梯队？为什么高新技术产出这么弱")
    parts = [p["frame"] for p in env.frame["parts"]]
    assert all(p.get("entities") == ["南京"] for p in parts)
    assert "28.01" in env.answer and "18.98" in env.answer
    assert "第一梯队是" not in env.answer  # not the list of every tier


def test_the_gap_to_a_city_named_after_a_comma_is_measured_from_the_subject():
    # 001:2002 广州 37.41 (5th, third tier), 001:1942 深圳 50.99: 50.99 - 37.41 = 13.58
    env = answer_question("Tell me Guangzhou's 2019 rank, its tier, and the gap to Shenzhen")
    assert "third tier" in env.answer and "13.58" in env.answer


def test_the_tier_of_each_of_two_cities():
    # 001:1821 深圳 第二梯队, 广州 第三梯队; 001:1942 深圳 50.99, 001:2002 广州 37.41
    env = answer_question("深圳和广州2019年分别在第几梯队")
    assert env.answer.index("第二梯队") < env.answer.index("第三梯队")
    assert "50.99" in env.answer and "37.41" in env.answer


def test_chinese_clauses_that_each_ask_are_parts_and_a_scene_setting_clause_is_not():
    assert split("天津2019年排第几，属于哪个梯队，跟南京差多少？") == ["天津2019年排第几", "属于哪个梯队", "跟南京差多少？"]
    assert split("2020年济南和长沙，谁排名靠前？差了多少分") == ["2020年济南和长沙，谁排名靠前", "差了多少分"]


def test_a_score_and_class_part_after_a_leader_part_ask_about_the_leader():
    # 004:27 渝北区 is the one 第一类 district; 87.89 its printed composite
    env = answer_question("重庆区县双创指数第一名是谁，得分多少，属于第几类？")
    assert env.frame["parts"][1]["frame"]["entities"] == ["渝北区"]
    assert "87.89" in env.answer and "第一类" in env.answer and "第四类" not in env.answer


def test_the_strongest_dimension_part_is_the_subjects_not_the_editions_leader():
    # 000:2786 苏州 11th; 硬科技企业 49.37 (4th) is its best rank
    env = answer_question("苏州2020年综合第几？最强的维度是哪个？")
    assert env.frame["parts"][1]["frame"]["entities"] == ["苏州"]
    assert "49.37" in env.answer and "北京" not in env.answer


def test_the_same_question_asked_of_another_year_is_a_part():
    # 001:1821 86.59 - 51.86 = 34.73; 000:2766, 000:2768 84.04 - 50.48 = 33.56
    assert split("How far behind Beijing was Shanghai in 2019, and in 2020?") == \
        ["How far behind Beijing was Shanghai in 2019", "in 2020?"]
    env = answer_question("How far behind Beijing was Shanghai in 2019, and in 2020?")
    assert "34.73" in env.answer and "33.56" in env.answer


def test_a_rank_part_that_names_nobody_is_the_rank_of_the_earlier_entity():
    # 001:2153 成都 12th in 2019; 000:2784 10th in 2020
    env = answer_question("Chengdu: 2019 rank? 2020 rank?")
    assert [p["frame"]["entities"] for p in env.frame["parts"]] == [["成都"], ["成都"]]
    assert "ranks 12 of 36" in env.answer and "ranks 10 of 38" in env.answer


def test_which_of_them_after_a_tier_list_is_asked_among_the_tiers_members():
    # 000:2711 third tier 广州 西安 武汉 杭州; 000:2778 杭州 32.99 is the lowest of them
    env = answer_question("Which cities are in the third tier of 2020, and which of them is lowest?")
    leader = env.frame["parts"][1]["frame"]
    assert leader["operation"] == "leader" and leader["direction"] == "bottom" and not leader.get("entities")
    assert "Of the cities in the Third tier, Hangzhou (杭州) ranks lowest" in env.answer and "32.99" in env.answer


def test_the_city_just_ahead_of_the_subject_is_its_neighbour_not_the_leader():
    # 001:2093 合肥 27.12 (10th); 天津 9th, 30.66 from 表2 (001:1840) weighted 15/35/35/15: 30.66 - 27.12 = 3.54
    env = answer_question("What was Hefei's rank in 2019, what tier, and which city is just ahead of it?")
    assert env.frame["parts"][-1]["frame"]["operation"] == "gap"
    assert "Tianjin" in env.answer and "3.54" in env.answer and "Beijing (北京) leads" not in env.answer
