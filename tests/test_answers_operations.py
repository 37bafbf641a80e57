"""Answers to operations on what a report prints only in part (helper oper), checked against the
reports' printed numbers: the Chongqing district index prints one composite of 38 (渝北区 87.89,
004:226) and classes for the rest (第三类: 29 districts, 004:34-48); the GTII prints its top 15 of
45 (深圳 51.12 is 15th, 001:2402) and a top 10 per field (生物技术: 成都 64.57 10th, 001:2515); only
上海's count of STAR-market listed companies is printed (5, 001:1934)."""
from __future__ import annotations

from tests.answer_frames import ask, ask_question


def _first(env) -> str:
    return env.answer.split("\n")[0]


def test_a_median_of_a_class_ranked_index_says_the_class_of_the_middle():
    env = ask(operation="rank", editions=("chongqing-2018q3",), aspect="median", language="zh")
    first = _first(env)
    assert "87.89" in first and "算不出" in first and "第三类" in first


def test_an_average_of_a_class_ranked_index_names_the_largest_class():
    env = ask(operation="rank", editions=("chongqing-2018q3",), aspect="average")
    first = _first(env)
    assert "cannot be computed" in first and "29 of the 38" in first


def test_the_bottom_of_a_top_15_is_said_to_be_unprinted():
    env = ask(operation="rank", editions=("gtii-2019",), direction="bottom", n=3)
    first = _first(env)
    assert "not printed" in first and "15" in first and "45" in first and "Shenzhen" in first


def test_the_weakest_in_a_field_printed_to_the_tenth_is_unprinted():
    env = ask_question("GTII生物技术最弱的城市")
    assert "没有印出" in _first(env) and "成都" in _first(env)


def test_a_sub_index_the_report_names_the_lowest_of_keeps_its_statement():
    env = ask_question("双创成效最差是哪个县")
    assert "城口县" in env.answer and "12.24" in env.answer and "没有印出" not in env.answer


def test_an_indicator_stated_for_others_only_says_so_first():
    env = ask_question("深圳有多少家上市公司")
    first = _first(env)
    assert "报告没有给出深圳" in first and "42.92" not in env.answer
    assert "5家" in env.answer and any(c.lines[0] <= 1934 <= c.lines[1] for c in env.citations)


def test_one_entitys_two_dimensions_higher_first():
    env = ask_question("Is Yubei stronger on vitality or on environment?")
    first = _first(env)
    assert first.index("35.41") < first.index("31.01") and "Did you mean" not in env.answer
