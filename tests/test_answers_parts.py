"""Questions in several parts (assistant/offline/parts.py): where they are cut, that every part is
answered in order from the reports' printed figures, and that parts asking the same are answered once."""
from __future__ import annotations

import pytest

from assistant.offline import answer_question
from assistant.offline.parts import split


@pytest.mark.parametrize("question", ["Compare Hangzhou and Nanjing in 2019", "北京和上海2020年谁更强？",
                                      "What are Shenzhen's score and rank in 2019?"])
def test_one_question_is_not_cut(question):
    assert split(question) == [question]


def test_a_new_question_after_and_or_a_question_mark_is_a_part():
    assert split("which city came 3rd in 2020 and by how much did it trail the 2nd?") == \
        ["which city came 3rd in 2020", "by how much did it trail the 2nd?"]
    assert split("苏州2020年排第几？和无锡相比呢？") == ["苏州2020年排第几", "和无锡相比呢？"]


def test_each_part_is_answered_in_order_and_the_second_refers_to_the_first():
    # 000:2770 深圳 42.92 (3rd), 000:2768 上海 50.48 (2nd): 50.48 - 42.92 = 7.56
    env = answer_question("which city came 3rd in 2020 and by how much did it trail the 2nd?")
    first, second = env.answer.index("42.92"), env.answer.index("7.56")
    assert first < second and "Shanghai (上海)" in env.answer[second:]
    assert [p["frame"]["operation"] for p in env.frame["parts"]] == ["rank", "gap"]


def test_a_follow_up_part_in_chinese():
    # 000:2786 苏州 26.76, 第 11 名; 000:2798 无锡 19.42
    env = answer_question("苏州2020年排第几？和无锡相比呢？")
    assert "第 11 名" in env.answer and "26.76" in env.answer and "19.42" in env.answer


def test_parts_that_ask_for_the_same_profile_are_answered_once():
    env = answer_question("What are Nanjing's composite score and rank in 2020, and which tier is it in?")
    assert env.answer.count("By dimension") == 1 and "28.01" in env.answer  # 000:2782
    assert "parts" not in env.frame
