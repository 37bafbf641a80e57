"""The evaluation matcher: a table of tricky formats, units and wordings."""
from __future__ import annotations

import pytest

from assistant.evaluation.matcher import (
    ExpectedNumber, citation_overlap, contains_term, extract_numbers, implied_tolerance, match_number,
    normalise_tool_name, parse_chinese_number, routing_ok,
)


def ok(text: str, value: float, kind: str = "score", tol: float | None = None) -> bool:
    return match_number(ExpectedNumber(value=value, kind=kind, tolerance=tol), extract_numbers(text)) is not None


CASES = [
    # (answer text, expected value, kind, tolerance, should match)
    # --- scores and precision
    ("深圳的综合得分为50.99分。", 50.99, "score", 0.005, True),
    ("深圳的综合得分为 50.99 分", 50.99, "score", 0.005, True),
    ("Shenzhen scores 50.99 points.", 50.99, "score", 0.005, True),
    ("Shenzhen scores **50.99**[1].", 50.99, "score", 0.005, True),
    ("综合得分约51.0分", 50.99, "score", 0.05, True),       # one decimal asked: 51.0 is fine
    ("综合得分约51.0分", 50.99, "score", 0.005, False),      # two decimals implied: 51.0 is not 50.99
    ("综合得分51分", 50.99, "score", 0.5, True),
    ("综合得分50.9分", 50.99, "score", 0.005, False),
    ("综合得分５０．９９分", 50.99, "score", 0.005, True),    # full-width digits
    ("得分为五十点九九分", 50.99, "score", 0.005, True),     # Chinese numerals
    ("西安印刷值39.78，按方法计算为39.7855", 39.79, "score", 0.005, True),
    ("评分 -0.5 分", -0.5, "score", 0.005, True),
    ("hardtech-2019 edition", -2019, "score", 0.005, False),  # a hyphen in an id is no minus sign
    ("Beijing 86.59; Shanghai 51.86.", 51.86, "score", 0.005, True),
    ("1,234.5 亿元", 1234.5, "score", 0.05, True),
    ("参见[3]", 3, "score", 0.005, False),                   # citation markers are not numbers
    # --- ranks
    ("深圳排名第3。", 3, "rank", None, True),
    ("深圳位列第三名", 3, "rank", None, True),
    ("排名第三", 3, "rank", None, True),
    ("排名：3", 3, "rank", None, True),
    ("在36个城市中排第3位", 3, "rank", None, True),
    ("位居全国第二十一", 21, "rank", None, True),
    ("Shenzhen ranks 3rd of 36.", 3, "rank", None, True),
    ("Shenzhen is ranked third.", 3, "rank", None, True),
    ("rank 3 of 36", 3, "rank", None, True),
    ("Shenzhen (#3) leads", 3, "rank", None, True),
    ("Shenzhen is No. 3", 3, "rank", None, True),
    ("twenty-first place", 21, "rank", None, True),
    ("深圳得分3.93", 3, "rank", None, False),                # a score is not a rank
    ("深圳属于第三梯队", 3, "rank", None, False),            # a tier is not a rank
    ("共有36个城市", 36, "rank", None, False),
    ("the third tier", 3, "rank", None, False),
    ("| 城市 | 得分 | 排名 |\n|---|---|---|\n| 深圳 | 50.99 | 3 |", 3, "rank", None, True),
    ("| city | score | rank |\n|---|---|---|\n| Shenzhen | 50.99 | 3 |", 50.99, "score", 0.005, True),
    # --- tiers
    ("深圳属于第二梯队", 2, "tier", None, True),
    ("深圳属于第2梯队", 2, "tier", None, True),
    ("Shenzhen is in tier 2.", 2, "tier", None, True),
    ("Shenzhen is in Tier II.", 2, "tier", None, True),
    ("a second-tier city", 2, "tier", None, True),
    ("the second tier (Challengers)", 2, "tier", None, True),
    ("渝北区属于第一类", 1, "tier", None, True),
    ("Yubei is in Class 1 (80+)", 1, "tier", None, True),
    ("上海是挑战者", 2, "tier", None, True),
    ("深圳排名第2", 2, "tier", None, False),                 # a rank is not a tier
    ("深圳属于第三梯队", 2, "tier", None, False),
    # --- percentages
    ("创新投入权重为35%", 0.35, "percent", None, True),
    ("weight 35 %", 0.35, "percent", None, True),
    ("权重0.35", 0.35, "percent", None, True),
    ("权重为百分之十五", 0.15, "percent", None, True),
    ("a 15 percent weight", 0.15, "percent", None, True),
    ("权重为35", 0.35, "percent", None, False),
    ("R&D 占 GDP 2.73%", 0.0273, "percent", 0.00005, True),
    # --- counts and Chinese numerals
    ("共三十六个城市", 36, "count", None, True),
    ("共36个城市", 36, "count", None, True),
    ("覆盖38个区县", 38, "count", None, True),
    ("两个城市", 36, "count", None, False),
]


@pytest.mark.parametrize("text,value,kind,tol,expected", CASES)
def test_matcher_table(text, value, kind, tol, expected):
    assert ok(text, value, kind, tol) is expected, (text, value, kind, tol, extract_numbers(text))


@pytest.mark.parametrize("text,value", [
    ("三十六", 36), ("二十一", 21), ("十", 10), ("十五", 15), ("一百零五", 105), ("两千", 2000),
    ("二〇一九", 2019), ("五十点九九", 50.99), ("三万五千", 35000), ("九", 9),
])
def test_chinese_numerals(text, value):
    assert parse_chinese_number(text) == pytest.approx(value)


def test_chinese_numeral_rejects_non_numerals():
    assert parse_chinese_number("深圳") is None
    assert parse_chinese_number("") is None


@pytest.mark.parametrize("question,value,tol", [
    ("深圳2019年综合得分是多少？", 50.99, 0.005),
    ("深圳综合得分是多少（保留一位小数）？", 50.99, 0.05),
    ("What is Shenzhen's composite, to one decimal place?", 50.99, 0.05),
    ("Roughly what does Shenzhen score, as a whole number?", 50.99, 0.5),
])
def test_implied_tolerance(question, value, tol):
    assert implied_tolerance(question, value) == pytest.approx(tol)


def test_contains_term_alternatives_and_words():
    assert contains_term("Shenzhen leads", "shenzhen")
    assert contains_term("深圳领先", ["Shenzhen", "深圳"])
    assert not contains_term("Xi'an", "an")             # whole words only for Latin
    assert contains_term("西安市", "西安")


@pytest.mark.parametrize("expected,got,hit", [
    ([{"source_file": "a.txt", "lines": [10, 12]}], [{"source_file": "a.txt", "lines": [12, 20]}], True),
    ([{"source_file": "a.txt", "lines": [10, 12]}], [{"source_file": "a.txt", "lines": [13, 20]}], False),
    ([{"source_file": "a.txt", "lines": [10, 12]}], [{"source_file": "b.txt", "lines": [10, 12]}], False),
    ([{"source_file": "a.txt", "line": 11}], [{"source_file": "a.txt", "lines": (5, 11)}], True),
    ([], [{"source_file": "a.txt", "lines": [1, 2]}], False),
])
def test_citation_overlap(expected, got, hit):
    assert citation_overlap(expected, got) is hit


def test_routing():
    assert routing_ok(["scores"], ["get_scores"])
    assert routing_ok(["scores|explain"], ["explain", "search"])
    assert routing_ok(["scores"], ["entity_scores"])
    assert not routing_ok(["ranking"], ["scores"])
    assert routing_ok(["none"], [])
    assert not routing_ok(["none"], ["scores"])
    assert normalise_tool_name("hardtech_ranking") == "ranking"
