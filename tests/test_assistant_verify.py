"""The number verifier: claim extraction, normalisation, matching, and what is not a claim."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from assistant.numerals import chinese_int
from assistant.verify import extract_claims, normalise_number, remove_claims, verify


def values(text):
    return [c.value for c in extract_claims(text)]


def test_normalise_formats():
    assert normalise_number("50.99分") == 50.99
    assert normalise_number("第3名") == 3
    assert normalise_number("3rd") == 3
    assert normalise_number("15%") == 15
    assert normalise_number("0.15") == 0.15
    assert normalise_number("第二梯队") == 2
    assert normalise_number("second tier") == 2
    assert normalise_number("三十六") == 36
    assert normalise_number("2,506家") == 2506
    assert chinese_int("十") == 10 and chinese_int("三十四") == 34


def test_years_edition_ids_citations_and_lines_are_not_claims():
    text = ("In the 2019 index (hardtech-2019, also chongqing-2018q3, Q3, 第3季度), see [1] and [2, 3]; "
            "001_2d381f25c7fc5f5d.txt, lines 1942–1966; 第1786行; 表2; 2017年的数据.\n1. first item")
    assert values(text) == []


def test_year_followed_by_a_unit_is_a_claim():
    assert values("共有2019家企业") == [2019]


def test_chinese_and_english_ordinals():
    assert values("深圳排第34名，属于第二梯队") == [34, 2]
    assert values("Shenzhen is 3rd, in the second tier") == [3, 2]


def test_verify_matches_at_printed_precision_and_percent():
    calls = [{"id": "t1", "args": {}, "result": {"composite": 50.9865, "weight": 0.15, "rank": 3}}]
    rep = verify("composite 50.99 (51 rounded), weight 15%, rank 3", calls)
    assert rep.ok, rep.describe()
    assert set(rep.matched.values()) == {"t1"}


def test_verify_catches_invented_number():
    calls = [{"id": "t1", "args": {}, "result": {"score": 3.93, "rank": 34}}]
    rep = verify("Shenzhen scores 3.93, rank 34, and 99.5 overall.", calls)
    assert [c.text for c in rep.unmatched] == ["99.5"]
    assert "99.5" not in remove_claims("Shenzhen scores 3.93, rank 34, and 99.5 overall.", rep.unmatched)


def test_numbers_in_cited_passages_count():
    cites = [{"id": "c1", "quote": "深圳市排名靠后的指标是万人普通高等学校在校学生数，2017年为64.34人/万人"}]
    assert verify("“64.34人/万人” [1]", [], cites).ok
    assert not verify("“64.35人/万人” [1]", [], cites).ok


def test_typo_2_73_is_read_consistently():
    cites = [{"id": "c1", "quote": "比重为2,73%，居主要城市首位"}]
    assert verify("the report prints 2,73%", [], cites).ok


@given(st.floats(min_value=0, max_value=1000, allow_nan=False).map(lambda x: round(x, 2)))
def test_any_tool_value_written_with_two_decimals_verifies(v):
    calls = [{"id": "t1", "args": {}, "result": {"v": v}}]
    assert verify(f"the score is {v:.2f} points", calls).ok


def test_ranges_in_tool_results_are_ranges_not_negative_numbers():
    from assistant.verify import allowed_values

    for text, want in [("Class 3 (50-70)", [3, 50, 70]), ("50—70", [50, 70]), ("70–80分", [70, 80]),
                       ("5th-95th percentile", [5, 95]), ("第二类 (70 - 80)", [2, 70, 80])]:
        got = [v for v, _ in allowed_values([("t1", text)])]
        assert sorted(got) == sorted(want), (text, got)
    # a real sign still reads as a negative number
    assert [v for v, _ in allowed_values([("t1", "change -6.51"), ("t2", "(−6.51)")])] == [-6.51, -6.51]
    calls = [{"id": "t1", "args": {}, "result": {"label": "Class 3 (50-70)"}}]
    assert verify("its score lies between 50 and 70", calls).ok


def test_citation_title_and_section_are_provenance():
    cites = [{"id": "c1", "quote": "北京 84.04", "doc_title": "2020中国硬科技创新白皮书", "section": "3.2 中国城市硬科技创新排名"}]
    assert verify("北京 84.04 [1]\n\n**Sources**\n[1] 2020中国硬科技创新白皮书 · 3.2 中国城市硬科技创新排名", [], cites).ok


def test_report_names_its_unmatched_claims_and_sources():
    calls = [{"id": "t1", "args": {"top": 5}, "result": {"score": 3.93}}]
    cites = [{"id": "c1", "quote": "排名第34位", "text": None, "doc_title": "2019白皮书", "section": "表2"}]
    rep = verify("3.93 [1], top 5, rank 34, and 77.7 or 88", calls, cites, extra=[("x1", {"n": 88})])
    assert [c.text for c in rep.claims] == ["3.93", "5", "34", "77.7", "88"]
    assert rep.matched == {0: "t1", 1: "t1", 2: "c1", 4: "x1"}
    assert [c.text for c in rep.unmatched] == ["77.7"] and rep.describe() == "'77.7'" and not rep.ok
    assert verify("no numbers here").ok and verify("no numbers here").describe() == ""


def test_verify_reads_envelope_objects():
    from assistant.envelope import Citation, ToolCall

    tc = ToolCall(**{k: v for k, v in {"id": "t1", "name": "scores", "args": {"entity": "深圳"},
                                       "result": {"composite": 50.99}}.items() if k in ToolCall.model_fields})
    cite = Citation(**{k: v for k, v in {"id": "c1", "source_file": "a.txt", "lines": [1, 1], "quote": "第三梯队 43.67",
                                         "doc_title": "t"}.items() if k in Citation.model_fields})
    rep = verify("50.99, 43.67, 第三梯队", [tc], [cite])
    assert rep.ok and rep.matched == {0: "t1", 1: "c1", 2: "c1"}


def test_remove_claims_replaces_right_to_left():
    text = "得分3.93，排名第34位，共99家"
    claims = extract_claims(text)
    assert remove_claims(text, [claims[0], claims[2]]) == "得分[?]，排名第34位，共[?]家"
    assert remove_claims(text, claims, placeholder="_") == "得分_，排名第_位，共_家"


def test_claims_carry_their_span_precision_and_kind():
    (a, b, c) = extract_claims("３．９３分, 15%, 第三十四名")
    assert (a.text, a.value, a.start, a.end, a.decimals, a.percent, a.kind) == ("３．９３", 3.93, 0, 4, 2, False, "number")
    assert (b.value, b.percent, b.decimals) == (15, True, 0)
    assert (c.text, c.value, c.kind) == ("第三十四", 34, "ordinal")  # 名 is the context, not the claim
    assert [x.value for x in extract_claims("the thirty-fourth place, twenty first tier")] == [34, 21]


@pytest.mark.parametrize("text,value", [
    ("第十名", 10), ("thirty-fourth", 34), ("fifth place", 5), ("-6.51", -6.51), ("no number", None),
    ("１５％", 15), ("第3梯队", 3),
])
def test_normalise_number_more_forms(text, value):
    assert normalise_number(text) == value


def test_half_a_unit_rounds_either_way_and_two_decimals_are_two():
    calls = [{"id": "t1", "args": {}, "result": {"a": 50.5, "b": 50.9945}}]
    assert verify("51 and 50, 50.99", calls).ok          # 50.5 prints as 50 or 51; 50.9945 as 50.99
    assert not verify("50.98", calls).ok


def test_booleans_are_not_numbers_and_every_citation_field_counts():
    assert not verify("1 city", [{"id": "t1", "args": {}, "result": {"found": True}}]).ok
    cites = [{"id": "c1", "quote": "北京 84.04", "text": "全文：上海 51.86", "doc_title": "城市50强", "section": "第7节"}]
    assert verify("北京 84.04, 上海 51.86, 城市50强, 第7节 [1]", [], cites).ok


def test_describe_lists_every_unmatched_claim():
    assert verify("77.7 and 88", [{"id": "t1", "args": {}, "result": {}}]).describe() == "'77.7', '88'"


def test_an_ordinal_claim_is_a_whole_claim():
    from assistant.verify import Claim

    text = "得分3第二梯队"
    assert extract_claims(text) == [Claim("3", 3.0, 2, 3, 0, False, "number"), Claim("第二", 2.0, 3, 5, 0, False, "ordinal")]
    assert remove_claims("属于第二梯队", extract_claims("属于第二梯队")) == "属于[?]梯队"
