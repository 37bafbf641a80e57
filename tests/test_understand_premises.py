"""Premises: what a question asserts is extracted (checking it is the answers' job)."""
import pytest

from assistant.offline.understand import understand


def _premises(question, history=None):
    return [p.model_dump(exclude_defaults=True) for p in understand(question, history).premises]


@pytest.mark.parametrize("question, premise", [
    ("Why did Shenzhen come first in 2019?", {"kind": "rank", "entity": "深圳", "value": 1, "edition": "hardtech-2019"}),
    ("北京2019年为什么排名第一？", {"kind": "rank", "entity": "北京", "value": 1, "edition": "hardtech-2019"}),
    ("Why is Hangzhou 3rd in 2020?", {"kind": "rank", "entity": "杭州", "value": 3, "edition": "hardtech-2020"}),
    ("Why did Guangzhou drop out of the top 10 in 2020?", {"kind": "outside_top", "entity": "广州", "value": 10, "edition": "hardtech-2020"}),
    ("为什么深圳跌出前十？", {"kind": "outside_top", "entity": "深圳", "value": 10}),
    ("Why is Shenzhen in the top 3 in 2020?", {"kind": "in_top", "entity": "深圳", "value": 3, "edition": "hardtech-2020"}),
    ("Why is Wuhan in tier 3 in 2019?", {"kind": "tier", "entity": "武汉", "value": 3, "edition": "hardtech-2019"}),
    ("深圳为什么是第三梯队？", {"kind": "tier", "entity": "深圳", "value": 3}),
    ("渝北区为什么是第一类？", {"kind": "class", "entity": "渝北区", "value": 1}),
    ("why does Beijing lead the ranking?", {"kind": "leader", "entity": "北京"}),
    ("Why is Lhasa last?", {"kind": "last", "entity": "拉萨"}),
    ("拉萨为什么垫底？", {"kind": "last", "entity": "拉萨"}),
    ("Why is Shanghai ahead of Beijing in 2020?", {"kind": "ordering", "entity": "上海", "other": "北京", "edition": "hardtech-2020"}),
    ("How much higher is Beijing than Shanghai in 2020?", {"kind": "ordering", "entity": "北京", "other": "上海", "edition": "hardtech-2020"}),
    ("为什么深圳比上海低？", {"kind": "ordering", "entity": "上海", "other": "深圳"}),
    ("2020年上海比深圳高多少分？", {"kind": "ordering", "entity": "上海", "other": "深圳", "edition": "hardtech-2020"}),
    ("What was Shenzhen's score in the 2024 edition?", {"kind": "edition_year", "value": 2024}),
    ("2021年城市硬科技指数中深圳排名第几？", {"kind": "edition_year", "value": 2021, "edition": "hardtech-2020"}),
    ("Why is Lhasa in the City Hard-Tech Index?", {"kind": "membership", "entity": "拉萨", "edition": "hardtech-2020"}),
])
def test_asserted_facts_become_premises(question, premise):
    assert premise in _premises(question)


@pytest.mark.parametrize("question", [
    "What rank did Hangzhou get in 2020?", "深圳2020年综合排名第几？", "Which city ranks first in 2019?",
    "How far is Shenzhen from the first tier in 2019?", "2020年第二梯队有哪些城市？", "Compare Shenzhen and Hangzhou in 2020",
    "Is Shenzhen one of the leading cities?", "深圳比北京差多少分？",
])
def test_questions_that_assert_nothing_have_no_premise(question):
    premises = _premises(question)
    assert all(p["kind"] == "ordering" for p in premises) if "比" in question else premises == []


def test_the_ordering_of_a_gap_question_points_the_right_way():
    # "深圳比北京差多少分": 北京 is ahead
    assert _premises("深圳比北京差多少分？") == [{"kind": "ordering", "entity": "北京", "other": "深圳"}]


def test_the_polarity_of_why_follows_the_premise():
    assert understand("Why did Shenzhen come first in 2019?").polarity == "strong"
    assert understand("为什么深圳跌出前十？").polarity == "weak"
    assert understand("深圳为什么是第三梯队？").polarity == "weak"
