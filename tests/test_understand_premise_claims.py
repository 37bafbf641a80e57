"""Premises beyond rank and tier: stated scores, edition sizes, rank changes between editions,
tier aliases, a dimension's leader, years whose editions do not cover the entity, and the
questions that assert nothing (hypotheticals, negations)."""
import pytest

from assistant.offline.understand import understand


def _premises(question, history=None):
    return [p.model_dump(exclude_defaults=True) for p in understand(question, history).premises]


@pytest.mark.parametrize("question, premise", [
    # scores stated for the entity
    ("深圳2019年得了80分，为什么这么高", {"kind": "score", "entity": "深圳", "value": 80.0, "edition": "hardtech-2019"}),
    ("Beijing scored 90 in 2020, what were its dimension scores?", {"kind": "score", "entity": "北京", "value": 90.0, "edition": "hardtech-2020"}),
    # the edition's size
    ("2019年那50个城市里深圳排第几", {"kind": "count", "value": 50, "edition": "hardtech-2019"}),
    ("Of the 40 cities in the 2020 index, which one came last?", {"kind": "count", "value": 40, "edition": "hardtech-2020"}),
    # a rise or fall between editions
    ("Why did Chengdu's rank fall from 2019 to 2020?", {"kind": "change", "entity": "成都", "value": "down", "edition": "hardtech-2019"}),
    ("深圳的排名2020年为什么上升了", {"kind": "change", "entity": "深圳", "value": "up", "edition": "hardtech-2020"}),
    # a place moved to
    ("Why did Shanghai slip to third in 2020?", {"kind": "rank", "entity": "上海", "value": 3, "edition": "hardtech-2020"}),
    ("为什么西安2020年掉到了第五", {"kind": "rank", "entity": "西安", "value": 5, "edition": "hardtech-2020"}),
    ("深圳2019年是第一吧，它创新产出多少分", {"kind": "rank", "entity": "深圳", "value": 1, "edition": "hardtech-2019"}),
    # the leader, overall or on a dimension
    ("Guangzhou tops the 2020 hard tech index, right?", {"kind": "leader", "entity": "广州", "edition": "hardtech-2020"}),
    ("Shenzhen leads innovation base in 2019, why?",
     {"kind": "leader", "entity": "深圳", "edition": "hardtech-2019", "dimension": "innovation_base"}),
    ("why is xian the leader in high-tech output in 2020",
     {"kind": "leader", "entity": "西安", "edition": "hardtech-2020", "dimension": "hightech_output"}),
    # tiers: a hyphenated number, an alias of the 2019 tiers
    ("Is Hefei a tier-1 city in the 2020 index?", {"kind": "tier", "entity": "合肥", "value": 1, "edition": "hardtech-2020"}),
    ("深圳是2019年的挑战者吗", {"kind": "tier", "entity": "深圳", "value": 2, "edition": "hardtech-2019"}),
    # orderings with a year, a modal word or a question word between the names
    ("为什么深圳2020年比上海高？", {"kind": "ordering", "entity": "深圳", "other": "上海", "edition": "hardtech-2020"}),
    ("为什么杭州能在2020年超过广州？", {"kind": "ordering", "entity": "杭州", "other": "广州", "edition": "hardtech-2020"}),
    ("南京为啥不如合肥（2020）", {"kind": "ordering", "entity": "合肥", "other": "南京", "edition": "hardtech-2020"}),
    ("深圳被上海超过了吗", {"kind": "ordering", "entity": "上海", "other": "深圳"}),
    # "why isn't X in the top 10" asserts it is outside
    ("Why isn't Shenzhen in the top 10 in 2020?", {"kind": "outside_top", "entity": "深圳", "value": 10, "edition": "hardtech-2020"}),
    # "why isn't X last" asserts it is not last (拉萨 is: 001:1869, 36th of 36), "why did X lose first place" that it is not first
    ("为什么拉萨2019年不是最后一名", {"kind": "not_last", "entity": "拉萨", "edition": "hardtech-2019"}),
    ("Why did Beijing lose first place in 2020?", {"kind": "not_leader", "entity": "北京", "edition": "hardtech-2020"}),
    # a year of one index named with another index's name, or a year whose editions lack the city
    ("What did the 2020 GTII say about Tokyo?", {"kind": "edition_year", "value": 2020, "edition": "gtii-2019"}),
    ("2018年硬科技城市指数里北京得分多少", {"kind": "edition_year", "value": 2018, "entity": "北京"}),
])
def test_claims_are_read(question, premise):
    assert premise in _premises(question)


@pytest.mark.parametrize("question", [
    "如果深圳得了80分会排第几",          # a hypothetical asserts nothing
    "深圳哪个维度最强",                   # a question, not a claim that 深圳 leads
    "深圳2019年得分多少",                 # a year its editions cover: nothing to check
])
def test_nothing_is_asserted(question):
    assert _premises(question) == []


def test_a_dimension_named_after_the_claim_in_another_clause_is_not_the_claims():
    """"是第一吧，它创新产出多少分": the rank claimed is the composite's, not innovation output's."""
    frame = understand("深圳2019年是第一吧，它创新产出多少分")
    assert frame.dimension == "innovation_output"
    assert [p.dimension for p in frame.premises] == [None]


@pytest.mark.parametrize("question, tier, edition", [
    ("2019年的挑战者城市有哪些", 2, "hardtech-2019"),      # 001:1821 挑战者 = 第二梯队
    ("who are the followers (追赶者) in the 2019 index?", 4, "hardtech-2019"),
    ("领跑者梯队是哪个城市", 1, "hardtech-2019"),           # an alias only 2019 has picks 2019
    ("二梯队有谁", 2, "hardtech-2020"),                      # no 第, newest edition
])
def test_tier_named_by_alias_or_short_form(question, tier, edition):
    frame = understand(question)
    assert (frame.operation, frame.tier, frame.editions[0]) == ("tier", tier, edition)


def test_how_many_per_tier_is_a_tier_question():
    frame = understand("2019年每个梯队各有几个城市？")
    assert (frame.operation, frame.tier, frame.editions) == ("tier", None, ("hardtech-2019",))


def test_the_stated_size_is_not_a_top_n():
    frame = understand("2019年那50个城市里深圳排第几")
    assert frame.n is None


def test_a_dimension_only_another_edition_has():
    assert {"kind": "dimension", "value": "innovation_base", "edition": "hardtech-2020"} in _premises("2020年深圳的创新基础得分")


@pytest.mark.parametrize("question, value", [("深圳跌出第二梯队的原因", 2), ("为什么深圳不是第一梯队", 1),
                                             ("why did Xi'an drop out of the third tier in 2020", 3)])
def test_outside_a_tier(question, value):
    assert [(p["kind"], p["value"]) for p in _premises(question)] == [("outside_tier", value)]


@pytest.mark.parametrize("question, value", [("Why did Hefei climb in the rankings in 2020?", "up"), ("深圳为什么退步了", "down")])
def test_rise_or_fall_said_of_the_entity(question, value):
    assert [(p["kind"], p["value"]) for p in _premises(question)] == [("change", value)]
