"""Offline answers to the classes of question the evaluation suite once found failing:
printed versus computed composites, follow-ups that lean on the conversation, cross-edition
answers, unknown places and measures, report contradictions, the origin of the term, and the
charts that go with the answers. Questions go end to end (understanding, then the answerer;
see tests/answer_frames.py for how they are understood until ``understand`` lands).

Every answer here must also pass the number verifier (offline answers do by construction).
"""
from __future__ import annotations

import re

import pytest

from tests.answer_frames import ask_question as _ask
from tests.answer_frames import tools as _tools



# ----------------------------------------------------------------------------- printed vs computed
@pytest.mark.parametrize("question,printed,computed", [
    ("西安2019年综合得分是多少？", "39.78", "39.79"),
    ("What is Xi'an's composite score in the 2019 city industrial innovation index?", "39.78", "39.79"),
    ("2020年城市硬科技指数中长沙的综合得分是多少？", "22.05", "22.04"),
    ("What is Shijiazhuang's composite score in the 2020 City Hard-Tech Index?", "14.47", "14.48"),
])
def test_score_answers_name_both_composites(question, printed, computed):
    a = _ask(question).answer
    assert printed in a and computed in a
    assert ("报告印刷值" in a and "计算" in a) or ("printed" in a and "recomputed" in a)


def test_recomputed_question_leads_with_the_computed_value():
    a = _ask("Recomputed from the dimension scores with the 2020 City Hard-Tech Index's method, what is Changsha's composite?").answer
    assert a.index("22.04") < a.index("22.05")
    a = _ask("按2020年城市硬科技指数的方法由维度得分重新计算，石家庄的综合得分是多少？").answer
    assert a.index("14.48") < a.index("14.47") and "计算" in a


def test_ranking_and_explain_label_the_two_values_the_same_way():
    for q in ("2019年城市产业创新综合能力指数排名前五的城市？", "Top 5 cities of the 2019 city industrial innovation index"):
        a = _ask(q).answer
        assert "39.78" in a and "39.79" in a
        assert ("报告印刷值 39.78，按方法由维度得分计算为 39.79" in a) or ("printed 39.78; recomputed from the dimension scores 39.79" in a)
    a = _ask("Why is Xi'an weak on innovation environment in 2019?").answer
    assert "printed 39.78; recomputed from the dimension scores 39.79" in a


def test_why_the_two_numbers_differ():
    env = _ask("Why the difference between the two numbers?",
               ("user", "What is Xi'an's composite score in the 2019 city industrial innovation index?"),
               ("assistant", "The report prints 39.78 for Xi'an; recomputed from its dimension scores it is 39.79."))
    assert "explain" in _tools(env)
    assert "39.78" in env.answer and "39.7855" in env.answer and "rounding" in env.answer and "weighted sum" in env.answer


# ----------------------------------------------------------------------------- follow-ups
def test_the_two_refers_to_the_entities_of_the_previous_answer():
    env = _ask("Which of the two scores higher on innovation output?",
               ("user", "Which cities are in the second tier of the 2019 city industrial innovation index?"),
               ("assistant", "Shanghai (51.86) and Shenzhen (50.99) form the second tier (Challengers)."))
    assert env.tool_calls[0].name == "compare" and set(env.tool_calls[0].args["entities"]) == {"上海", "深圳"}
    assert env.answer.startswith("On the innovation output (创新产出), Shenzhen (深圳) is ahead of Shanghai (上海)")
    assert "55.44" in env.answer and "45.73" in env.answer
    assert env.chart and env.chart["type"] == "compare"


@pytest.mark.parametrize("turns,question,want,not_want", [
    ([("user", "Top 3 cities of the 2020 City Hard-Tech Index?"), ("assistant", "Beijing, Shanghai and Shenzhen.")],
     "What about the next two?", ["Guangzhou", "Xi'an"], ["Beijing (北京)"]),
    ([("user", "2020年城市硬科技指数排名前三的城市？")], "接下来的两个呢？", ["广州", "西安"], ["北京"]),
])
def test_the_next_rows_continue_the_ranking(turns, question, want, not_want):
    env = _ask(question, *turns)
    assert env.tool_calls[0].name == "ranking" and env.tool_calls[0].args["top"] == 5
    assert all(w in env.answer for w in want) and not any(w in env.answer for w in not_want)
    assert env.chart["type"] == "ranking" and len(env.chart["labels"]) == 2


@pytest.mark.parametrize("first,question", [
    ("渝北区在2018年第三季度重庆区县双创指数中得分多少？", "上个季度它是多少分？"),
    ("What is Yubei's score in the Chongqing district index?", "What was it last quarter?"),
])
def test_last_quarter_is_the_stated_previous_value(first, question):
    env = _ask(question, ("user", first))
    assert "82.13" in env.answer and "facts" in _tools(env)
    assert any(c.source_file.startswith("004_") and c.lines[0] <= 206 <= c.lines[1] for c in env.citations)


# ----------------------------------------------------------------------------- cross-edition
def test_cross_edition_answer_keeps_every_named_edition():
    env = _ask("Where does Guangzhou rank in the 2019 city industrial innovation index, the 2020 city hard-tech index and GTII-City 2019?")
    a = env.answer
    assert "hardtech-2019" in a and "hardtech-2020" in a and "gtii-2019" in a
    assert all(re.search(rf"ranks? {r} of {n}\b", a) for r, n in ((5, 36), (4, 38), (7, 45))), a


def test_cross_edition_answer_gives_tiers_and_says_when_none_is_named():
    a = _ask("南京在2019年和2020年分别属于第几梯队？").answer
    assert "第三梯队" in a and "未命名" in a and "第四梯队" not in a


# ----------------------------------------------------------------------------- honest gaps
@pytest.mark.parametrize("question,marker", [
    ("洛阳在2019年城市产业创新综合能力指数中排名第几？", "“洛阳”不在这些指数的评价范围内"),
    ("Where does Luoyang rank in the 2020 index?", "“Luoyang” is not covered"),
])
def test_unknown_city_is_said_to_be_outside_the_index(question, marker):
    env = _ask(question)
    assert marker in env.answer and "hardtech-2019" in env.answer and "hardtech-2020" in env.answer
    assert "第 1 名" not in env.answer and "#1" not in env.answer  # not a top-10 list
    assert any(w.startswith("unknown entity") for w in env.warnings)


def test_gtii_aerospace_rank_contradiction_is_flagged():
    env = _ask("Which rank does London hold in GTII-City 2019's aerospace field?")
    a = env.answer
    assert "rank 9" in a and "56.88" in a and "51.44" in a and "Guangzhou" in a and "inconsistent" in a
    assert any(c.lines[0] <= 2535 <= c.lines[1] for c in env.citations)
    a = _ask("GTII-City 2019 航空航天领域排名前十的城市？").answer
    assert "矛盾" in a


@pytest.mark.parametrize("question,marker", [
    ("2019年上海的GDP是多少亿元？", "报告中没有给出上海的GDP"),
    ("What is Shanghai's GDP?", "the reports don't give Shanghai (上海)'s GDP"),
])
def test_a_measure_no_index_has_is_declined_with_what_the_index_says(question, marker):
    env = _ask(question)
    assert marker in env.answer and ("51.86" in env.answer or "50.48" in env.answer)


# ----------------------------------------------------------------------------- narrative and numbers from the core
@pytest.mark.parametrize("question", ["Who coined hard tech?", "Who first proposed the concept of \"hard tech\", and when?",
                                      "硬科技的概念是谁最早提出的？"])
def test_who_coined_hard_tech(question):
    env = _ask(question)
    assert "米磊" in env.answer and "2010" in env.answer
    assert any(c.source_file.startswith("002_") and c.lines[0] <= 41 <= c.lines[1] for c in env.citations)


@pytest.mark.parametrize("question", ["Which city is last in 2020?", "2020年排名最后的城市是哪个？",
                                      "How many cities does the 2020 City Hard-Tech Index cover, and which one is last?"])
def test_last_city_comes_from_the_core(question):
    env = _ask(question)
    assert "ranking" in _tools(env)
    assert "唐山" in env.answer and "6.74" in env.answer and "38" in env.answer


def test_coverage_question_cites_the_line_that_says_so():
    env = _ask("How many cities does the 2020 City Hard-Tech Index cover, and which one is last?")
    assert any(c.source_file.startswith("000_") and c.lines[0] <= 4601 <= c.lines[1] for c in env.citations)


# ----------------------------------------------------------------------------- charts
@pytest.mark.parametrize("question,labels,series", [
    ("why is Shenzhen weak on innovation base?", ["Innovation base", "Innovation input", "Innovation output", "Innovation environment"],
     ["Shenzhen", "Median", "Leader"]),
    ("深圳创新基础为什么弱？", ["创新基础", "创新投入", "创新产出", "创新环境"], ["深圳", "中位数", "第一名"]),
])
def test_flagship_question_carries_a_dimension_chart(question, labels, series):
    chart = _ask(question).chart
    assert chart["type"] == "bar" and chart["title"]
    assert chart["labels"] == labels
    assert [s["name"] for s in chart["series"]] == series  # the city against the edition's median and leader
    assert chart["series"][0]["values"] == [3.93, 61.26, 55.44, 63.68]


@pytest.mark.parametrize("question,kind", [
    ("深圳2019年综合得分是多少？", "bar"),
    ("深圳2019年创新基础得分是多少？", "bar"),
    ("How is Xi'an's 2019 composite made up?", "bar"),
    ("Top 5 cities in the 2020 index", "ranking"),
    ("Compare Beijing and Shanghai in 2020", "compare"),
])
def test_answers_carry_the_chart_that_fits(question, kind):
    chart = _ask(question).chart
    assert chart and chart["type"] == kind and chart["labels"] and chart["series"]
    assert all(len(s["values"]) == len(chart["labels"]) for s in chart["series"])
