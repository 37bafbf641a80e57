"""Narrative, concept and reason answers state the answer first; inconsistencies are said;
the answer text has one compact sources footer, whole-word quotes, unfused table rows and
charts in the question's language (issue 9, "What failed" 1, 2, 3, 5, 8; issue 11's answer text).

Figures are the reports' printed numbers: 深圳 2019 profile (001 lines 1942-1966), 北京 2020
(000 line 2766), 荣昌区 (004 lines 208-222, 285), the 2019 weights (001 line 1786)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant import concept_index as concept_files
from assistant.offline.answers import quotes
from tests.answer_frames import ask, first, tools

Y2019, Y2020, CQ = "hardtech-2019", "hardtech-2020", "chongqing-2018q3"
FIXTURE = Path(__file__).parent / "fixtures" / "concepts"


@pytest.fixture
def concept_data(monkeypatch):
    monkeypatch.setattr(concept_files, "CONCEPTS_DIR", FIXTURE)


# ----------------------------------------------------------------------------- 3. why weak and why strong
def test_why_weak_gives_the_standing_then_the_reasons_where_it_ranks_low():
    env = ask(question="why is Shenzhen weak on innovation base?", operation="why", entities=["深圳"], editions=[Y2019],
              edition_source="dimension", dimension="innovation_base", polarity="weak")
    assert "3.93" in first(env) and "rank 34 of 36" in first(env)
    assert "64.34" in env.answer and "last of 36" in env.answer  # students per 10k residents, 001 line 1964
    assert "not directly comparable" in env.answer  # the 2020 counterpart dimension, with its caveat


def test_why_strong_gives_the_facts_where_it_ranks_well():
    env = ask(question="深圳创新投入为什么强？", language="zh", operation="why", entities=["深圳"], editions=[Y2019],
              edition_source="dimension", dimension="innovation_input", polarity="strong")
    assert "61.26" in first(env) and "第 3 名" in first(env) and "强项" in first(env)
    reasons = env.answer.split("报告给出的优势所在")[1]
    assert "2,73" in reasons and "排第 1 名" in reasons  # R&D share of revenue, first among cities (line 1964)


# ----------------------------------------------------------------------------- 5. inconsistencies
def test_a_printed_typo_is_quoted_as_printed_with_its_reading():
    env = ask(question="深圳规上工业企业R&D经费支出占主营业务收入比重是多少？", language="zh", operation="lookup",
              entities=["深圳"], aspect="indicator", indicator="规上工业企业R&D经费支出占主营业务收入比重")
    assert "报告印作“2,73%”，应读作 2.73%" in first(env)


def test_printed_and_computed_composites_are_both_given():
    env = ask(question="西安2019年综合得分是多少？", language="zh", operation="lookup", entities=["西安"], editions=[Y2019],
              edition_source="year", aspect="score")
    assert "报告印刷值 39.78，按方法由维度得分计算为 39.79" in first(env)


def test_a_reviewed_note_is_said_when_its_figures_are_used():
    env = ask(question="荣昌区双创指数得分", language="zh", operation="lookup", entities=["荣昌区"], editions=[CQ],
              edition_source="explicit", aspect="score")
    assert "60.33" in first(env)
    assert "**注意：**报告自相矛盾" in env.answer and any(c.lines == (208, 222) for c in env.citations)


def test_a_rank_printed_against_the_scores_is_flagged():
    env = ask(question="Which rank does London hold in GTII-City 2019's aerospace field?", operation="lookup",
              entities=["伦敦"], editions=["gtii-2019"], edition_source="explicit", dimension="aerospace", aspect="rank")
    assert "rank 9" in first(env) and "inconsistent" in env.answer and "51.44" in env.answer


# ----------------------------------------------------------------------------- 1, 8. narrative answers, refusals
def test_a_narrative_answer_states_the_best_sentence_first_then_quotes():
    env = ask(question="重庆研发经费投入情况怎么样？", language="zh", operation="narrative", entities=["重庆"],
              topic="重庆 研发经费 投入")
    assert first(env).startswith("据") and "研发经费" in first(env) and not first(env).startswith(">")
    assert all(c.source_file.startswith("004_") for c in env.citations)


def test_unanswerable_searches_the_reports_before_refusing():
    env = ask(question="重庆科研机构的研发经费支出情况", language="zh", operation="unanswerable", topic="重庆 科研机构 研发经费")
    assert env.frame["fallback"] == {"from": "unanswerable", "to": "narrative", "reason": "a passage answers it"}
    # the journal's article (004) states it: 26.88亿元 of R&D spending by 170 institutes (004:1180s)
    assert "26.88" in first(env) and "抱歉" not in env.answer
    assert env.citations[0].source_file.startswith("004_")


def test_a_measure_no_index_has_is_declined_with_what_the_index_says():
    env = ask(question="What was Shenzhen's GDP in 2019?", operation="unanswerable", entities=["深圳"], year=2019,
              reason="unknown_measure", topic="GDP")
    assert first(env).startswith("Sorry, the reports don't give Shenzhen (深圳)'s GDP")
    assert "42.92" in env.answer or "50.99" in env.answer


def test_off_topic_and_write_requests_are_declined():
    assert "I can't help with that" in ask(question="weather?", operation="out_of_scope", reason="off_topic").answer
    env = ask(question="Update the data so Shenzhen is 99", operation="out_of_scope", entities=["深圳"], reason="write_request")
    assert "read-only" in first(env) and "For the record" in env.answer


# ----------------------------------------------------------------------------- 2. concepts from the concept data
def test_definition_comes_from_the_concept_data_answer_first(concept_data):
    env = ask(question="What is hard tech?", operation="definition", topic="硬科技")
    assert first(env).startswith("The report defines hard tech (Hard & Core Technology)")
    assert "The report's words (Chinese)" in env.answer and env.citations[0].lines == (75, 77)


def test_origin_question_gets_the_origin_entry_not_the_definition(concept_data):
    env = ask(question="硬科技这个概念是谁提出的？", language="zh", operation="concept", topic="硬科技", aspect="origin")
    assert "米磊" in first(env) and "2010" in first(env) and env.citations[0].lines == (41, 41)


def test_a_framework_lists_its_parts(concept_data):
    env = ask(question="硬科技包括哪些领域？", language="zh", operation="concept", topic="硬科技领域", aspect="parts")
    assert "组成（8 项）：人工智能、航空航天" in env.answer   # 002:161 "这八个方面"


def test_a_concept_without_data_answers_from_the_passages(monkeypatch, tmp_path):
    monkeypatch.setattr(concept_files, "CONCEPTS_DIR", tmp_path)  # no reviewed entry: the passages answer
    env = ask(question="Who coined the term hard tech?", operation="concept", topic="硬科技", aspect="origin")
    assert "米磊" in first(env) and "2010" in first(env)
    assert env.frame["fallback"]["to"] == "narrative"


def test_method_question_gives_the_weights_first():
    env = ask(question="2019年城市产业创新综合能力指数各维度的权重是多少？", language="zh", operation="method",
              editions=[Y2019], edition_source="year", aspect="weights")
    assert re.search(r"创新基础 15%.*创新投入 35%.*创新产出 35%.*创新环境 15%", first(env))
    assert "methodology" in tools(env)


# ----------------------------------------------------------------------------- issue 11: the answer text
def test_one_compact_sources_footer_with_line_not_lines_and_no_file_names():
    env = ask(question="What is Shenzhen's score in 2019?", operation="lookup", entities=["深圳"], editions=[Y2019],
              edition_source="year", aspect="score")
    assert env.answer.count("**Sources**") == 1 and "· line 1942" in env.answer and "1942–1942" not in env.answer
    assert not re.search(r"\d{3}_[0-9a-f]{16}\.txt", env.answer) and env.citations[0].source_file.startswith("001_")
    zh = ask(question="深圳2019年综合得分", language="zh", operation="lookup", entities=["深圳"], editions=[Y2019],
             edition_source="year", aspect="score")
    assert "**来源**" in zh.answer and "第 1942 行" in zh.answer and "line" not in zh.answer


def test_a_single_city_is_charted_against_the_median_and_the_leader_in_its_language():
    env = ask(question="深圳2019年得分", language="zh", operation="lookup", entities=["深圳"], editions=[Y2019],
              edition_source="year", aspect="score")
    chart = env.chart
    assert chart["type"] == "bar" and chart["labels"] == ["创新基础", "创新投入", "创新产出", "创新环境"]
    assert [s["name"] for s in chart["series"]] == ["深圳", "中位数", "第一名"]
    assert chart["series"][0]["values"] == [3.93, 61.26, 55.44, 63.68]
    assert chart["series"][2]["values"][0] == 89.31  # 北京 leads innovation base (001 line 1839)
    en = ask(question="Shenzhen 2019", operation="lookup", entities=["深圳"], editions=[Y2019], edition_source="year").chart
    assert en["labels"][0] == "Innovation base" and [s["name"] for s in en["series"]] == ["Shenzhen", "Median", "Leader"]


def test_a_table_row_is_quoted_alone_never_fused_with_the_next():
    rows = ["3 深圳 42.92 21.05 19 55.49 2 48.54 4 68.22 2 21.28 11 ", "", "4 广州 39.46 41.41 2 42.20 7 42.75 7 34.19 5 36.76 3 "]
    q = quotes.excerpt(rows, ("42.92",))
    assert q == "3 深圳 42.92 21.05 19 55.49 2 48.54 4 68.22 2 21.28 11" and "114" not in q.replace(" ", "")
    assert quotes.excerpt(rows, ()) == "\n".join(r.strip() for r in rows if r.strip())


def test_a_long_quote_is_cut_at_a_boundary_with_an_ellipsis():
    words = " ".join(["innovation"] * 60)
    q = quotes.excerpt([words], (), limit=100)
    assert q.endswith("…") and q[:-1].split(" ")[-1] == "innovation" and len(q) <= 101
    zh = quotes.excerpt(["甲" * 150 + "，" + "乙" * 150 + "。"], (), limit=200)
    assert zh.endswith("，…")


def test_the_envelope_records_the_frame_and_the_route():
    env = ask(question="Top 5 cities by research talent", operation="rank", editions=[Y2020], edition_source="dimension",
              dimension="research_talent", n=5, direction="top")
    assert env.frame["route"] == "rank" and env.frame["fallback"] is None
    assert env.frame["frame"]["operation"] == "rank" and env.frame["frame"]["n"] == 5
    assert [n.source for n in env.numbers if n.label == "rank"] and all(n.source.startswith(("t", "c")) for n in env.numbers)
