"""Understanding the operation asked, however it is typed (helper oper): two-digit edition
years, runs of places, a gap whose subject is left unsaid, "non-Chinese" filters, statistics
read as method questions, indicators named through a concept's name, "N名" that is no name."""
from __future__ import annotations

import pytest

from assistant.offline.frame import Filter
from tests.answer_frames import understood


@pytest.mark.parametrize("question, edition", [("19年综合前5是谁", "hardtech-2019"), ("20年广州比西安高出几分啊", "hardtech-2020")])
def test_a_two_digit_edition_year_names_the_edition(question, edition):
    assert understood(question).editions[0] == edition


def test_a_two_digit_number_of_years_is_no_edition():
    frame = understood("近20年深圳发展如何")
    assert frame.edition_source != "year"


@pytest.mark.parametrize("question, n, offset", [("give me places 6 to 10 in the 2020 ranking", 5, 5),
                                                 ("2019年第6到第10名是哪些城市", 5, 5), ("2020年11-15名", 5, 10)])
def test_a_run_of_places_is_those_rows_of_the_ranking(question, n, offset):
    frame = understood(question)
    assert (frame.operation, frame.n, frame.offset) == ("rank", n, offset)


def test_a_gap_with_its_subject_unsaid_takes_the_last_subject():
    frame = understood("比上海差几分", [{"role": "user", "content": "深圳2020年排第几"}])
    assert frame.operation == "gap" and frame.entities == ("深圳", "上海")


def test_and_x_after_a_gap_asks_the_same_about_x():
    frame = understood("And Hangzhou?", [{"role": "user", "content": "How far is Shenzhen from the first tier in 2019?"}])
    assert frame.entities == ("杭州",)


@pytest.mark.parametrize("question", ["how many non-chinese cities are in the GTII top 15?", "GTII前15中中国以外的城市有几个"])
def test_a_negated_country_is_not_that_country(question):
    assert Filter(field="country", value="!CN") in understood(question).filters


@pytest.mark.parametrize("question, aspect", [("2019年36个城市创新投入得分的平均值是多少", "average"),
                                              ("38个区县双创指数得分的中位数大概在什么水平", "median")])
def test_a_statistic_of_scores_is_a_statistic_of_the_ranking(question, aspect):
    frame = understood(question)
    assert (frame.operation, frame.aspect) == ("rank", aspect)
    assert not [link for link in frame.links if link.kind == "entity"]  # "大概" is no place


def test_a_method_facet_keeps_a_method_question():
    assert understood("2019年各维度权重是平均分配的吗").operation == "method"


@pytest.mark.parametrize("question, entity", [("上海有几家科创板上市公司？", "上海"), ("深圳有多少家上市公司", "深圳")])
def test_an_indicator_named_through_a_concept_name(question, entity):
    frame = understood(question)
    assert frame.entities == (entity,) and frame.indicator == "科创板上市企业数量"


def test_a_count_of_places_is_no_name():
    frame = understood("那倒数三名呢", [{"role": "user", "content": "2020年硬科技企业前三名"}])
    assert (frame.operation, frame.n, frame.direction) == ("rank", 3, "bottom")
    assert not frame.unresolved


def test_a_named_class_makes_a_coverage_question_a_count():
    frame = understood("how many districts ended up in class three?")
    assert frame.operation == "count" and Filter(field="class", value="3") in frame.filters
