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
    # a term written with a trailing space ("no ") means the word itself, wherever a word follows it
    assert contains_term("publishes no score for Munich", "no ")
    assert not contains_term("Nobody knows", "no ")


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


@pytest.mark.parametrize("spec,kind,tol", [
    (50.99, "score", 0.005),
    ({"value": 3, "unit": "名"}, "rank", 0.0),
    ({"value": 2, "unit": "tier"}, "tier", 0.0),
    ({"value": 1, "unit": "类"}, "tier", 0.0),
    ({"value": 0.15, "unit": "%"}, "percent", 0.0005),
    ({"value": 36, "unit": "个"}, "count", 0.0),
    ({"value": 50.99, "unit": "分"}, "score", 0.005),
    ({"value": 50.99, "unit": "furlongs"}, "score", 0.005),
    ({"value": 50.99, "type": "score", "tol": 0.05}, "score", 0.05),
    ({"value": 3, "kind": "rank", "tolerance": 1}, "rank", 1.0),
])
def test_expected_number_kinds_units_and_tolerances(spec, kind, tol):
    e = ExpectedNumber.from_dict(spec)
    assert (e.kind, e.effective_tolerance()) == (kind, tol)
    assert e.to_dict() == {"value": float(spec if not isinstance(spec, dict) else spec["value"]), "kind": kind,
                           "tolerance": tol, "label": ""}


def test_expected_number_labels_and_optional():
    e = ExpectedNumber.from_dict({"value": 3, "kind": "rank", "what": "2019 rank", "optional": True})
    assert (e.label, e.optional) == ("2019 rank", True)
    assert ExpectedNumber.from_dict({"value": 3}).optional is False


def test_match_number_returns_the_first_number_that_fits():
    found = extract_numbers("深圳50.98分，上海51.86分，深圳排名第3，属于第二梯队")
    hit = match_number(ExpectedNumber(51.86), found)
    assert (hit.value, hit.kind, hit.raw) == (51.86, "number", "51.86")
    assert match_number(ExpectedNumber(50.99), found) is None                      # 50.98 is 0.01 off
    assert match_number(ExpectedNumber(50.99, tolerance=0.01), found).value == 50.98
    assert match_number(ExpectedNumber(3, "rank"), found).kind == "rank"
    assert match_number(ExpectedNumber(2, "tier"), found).raw == "第二梯队"
    assert match_number(ExpectedNumber(2, "rank"), found) is None
    assert match_number(ExpectedNumber(3, "count"), found).kind == "number"
    assert match_number(ExpectedNumber(0.5186, "percent"), found) is None         # 51.86 is not 51.86%


def test_extract_numbers_kinds_values_and_precision():
    found = extract_numbers("weight 35%, 2,506家, 3rd, -0.5 分, 三十六个城市")
    got = {(f.kind, f.value, f.decimals) for f in found}
    assert {("percent", 0.35, 2), ("number", 35.0, 0), ("number", 2506.0, 0), ("rank", 3.0, 0),
            ("number", -0.5, 1), ("number", 36.0, 0)} <= got
    assert [f.start for f in found] == sorted(f.start for f in found)
    assert len({(f.kind, f.value, f.start) for f in found}) == len(found)          # no duplicates
    assert extract_numbers("五十点九九分")[0].decimals == 2


@pytest.mark.parametrize("table,kind,values", [
    ("| 城市 | 得分 | 排名 |\n|---|---|---|\n| 深圳 | 50.99 | 3 |\n| 上海 | 51.86 | 二 |", "rank", [3, 2]),
    ("| city | tier |\n| :-- | --- |\n| Shenzhen | II |\n| Beijing | 1 |", "tier", [2, 1]),
    ("| 城市 | 排名得分 |\n|---|---|\n| 深圳 | 7 |", "rank", []),      # a score column, not ranks
    ("| 城市 | 排名 |\n| 深圳 | 7 |", "rank", []),                      # no separator row: not a table
    ("| 城市 | 排名 |\n|---|---|\n| 深圳 |", "rank", []),                 # a short row
])
def test_table_columns(table, kind, values):
    assert [f.value for f in extract_numbers(table) if f.kind == kind] == values


def test_implied_tolerance_whole_numbers_and_precision():
    assert implied_tolerance("深圳综合得分取整是多少？", 50.99) == 0.5
    assert implied_tolerance("about how much?", 50.99) == 0.5
    assert implied_tolerance("what is it?", 50.99, default_decimals=1) == pytest.approx(0.05)


def test_contains_term_normalises_width_and_markup():
    assert contains_term("**Shenzhen** ranks", "shenzhen ranks")   # markup removed, then whole words
    assert not contains_term("Shenzhenese", "shenzhen")
    assert contains_term("深圳 [1] 第３名", "第3名")
    assert not contains_term("Shenzhen", ["Beijing", "Shanghai"])


@pytest.mark.parametrize("expected,got,slack,hit", [
    ([{"file": "a.txt", "lines": [10, 12]}], [{"source_file": "a.txt", "line": 14}], 2, True),
    ([{"file": "a.txt", "lines": [10, 12]}], [{"source_file": "a.txt", "line": 14}], 1, False),
    ([{"source_file": "a.txt", "lines": [12, 10]}], [{"source_file": "a.txt", "lines": [8, 9]}], 1, True),
    ([{"source_file": "a.txt", "lines": [10, 12]}], [{"source_file": "a.txt", "lines": [5, 9]}], 0, False),
    ([None, {"source_file": "a.txt"}], [{"source_file": "a.txt", "lines": [1, 2]}], 0, False),
])
def test_citation_overlap_slack_and_malformed(expected, got, slack, hit):
    assert citation_overlap(expected, got, slack=slack) is hit


def test_citation_overlap_reads_models():
    from assistant.envelope import Citation

    fields = Citation.model_fields
    c = Citation(**{k: v for k, v in {"id": "c1", "source_file": "a.txt", "lines": [3, 4], "quote": "q",
                                      "doc_title": "t", "file": "a.txt"}.items() if k in fields})
    assert citation_overlap([{"source_file": "a.txt", "lines": [4, 6]}], [c]) is True


def test_tool_names_are_normalised():
    assert normalise_tool_name(" Get-Scores ") == "scores"
    assert normalise_tool_name("api.what_if") == "whatif"
    assert normalise_tool_name("core_search_reports") == "search_passages"
    assert routing_ok([], ["anything"]) and not routing_ok(["scores", "ranking"], ["scores"])


@pytest.mark.parametrize("unit,kind", [
    ("名", "rank"), ("rank", "rank"), (" Rank ", "rank"), ("梯队", "tier"), ("tier", "tier"), ("类", "tier"),
    ("class", "tier"), ("%", "percent"), ("percent", "percent"), ("分", "score"), ("points", "score"),
    ("个", "count"), ("", "score"), (None, "score"),
])
def test_every_unit_names_its_kind(unit, kind):
    assert ExpectedNumber.from_dict({"value": 1, "unit": unit}).kind == kind
    assert ExpectedNumber.from_dict({"value": 1, "type": kind}).kind == kind
