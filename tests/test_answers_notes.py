"""Answers that use a figure the reports contradict say so, quote it as printed and give its
reading, whatever the operation and however the doubt is phrased (issue 9, item 5).

Figures are the reports' printed numbers: 荣昌区 rise 8.51 / 14.6% and fall 6.51 / 9.74% with a Q3
score of 60.33 (004 lines 208-222, 285); 渝北区 82.13 -> 87.89 and sub-index changes -0.80%, -8.14%,
+8.94% (004 lines 204-238); 广州 aerospace 51.44 printed 8th above 伦敦 56.88, average 64.17,
threshold 53.89 (001 lines 2535-2541); "美（9个）" beside a list of 10 US cities (001 line 2593);
the materials threshold 55.19 called 先进制造 (001 line 2582); 深圳 "2,73%" (001 line 1964);
北京 2020 84.04 (000 line 2766). The readings (16.42, 87.14, 57.77) are hand-computed in the notes:
8.51 / (60.33 - 8.51) = 16.42%; 31.01/0.992 + 35.41/1.0894 + 21.47/0.9186 = 87.14;
10 x 64.17 - (the other nine printed scores, 584.93) = 57.77."""
from __future__ import annotations

import pytest

from assistant.offline.answers import notes
from index_core import io
from tests.answer_frames import ask, ask_question, first

GTII, CQ = "gtii-2019", "chongqing-2018q3"


def _lines(env) -> set[tuple[int, int]]:
    return {tuple(c.lines) for c in env.citations}


# ----------------------------------------------------------------------------- how a doubt is asked
@pytest.mark.parametrize("question, level", [
    ("这些报告里的数据有矛盾吗？", "strong"),
    ("Is there an error in the aerospace top 10?", "strong"),
    ("any typos in the GTII numbers", "strong"),
    ("这个排名对吗", "weak"),
    ("why is Guangzhou ranked above London although its score is lower?", "weak"),
    ("the report says +3 but the parts sum to 2", "weak"),
    ("深圳2019年得分多少", None),
    ("who leads aerospace?", None),
])
def test_a_doubt_about_the_figures_is_read_from_the_cue_data(question, level):
    assert notes.doubt(question) == level


# ----------------------------------------------------------------------------- direct questions
def test_are_there_inconsistencies_lists_every_reviewed_note_quoted_as_printed():
    env = ask_question("这些报告里的数据有矛盾吗？")
    assert first(env).startswith("有。一致性检查")
    for name in ("荣昌区", "渝北区", "广州", "西安", "长沙", "石家庄"):
        assert name in env.answer
    assert "「其中荣昌区增幅最大，增加了8.51分" in env.answer  # the printed sentence, verbatim
    assert "2,73%" in env.answer and "2.73%" in env.answer  # the typo as printed, and its reading
    assert "美（9个）" in env.answer
    assert (2535, 2541) in _lines(env) and (208, 222) in _lines(env)


def test_errors_in_one_report_list_only_that_reports_notes():
    env = ask_question("重庆区县双创指数报告里有笔误或者数字对不上的地方吗")
    assert "荣昌区" in env.answer and "渝北区" in env.answer
    assert "广州" not in env.answer and "2,73" not in env.answer


def test_an_error_question_on_a_clean_figure_says_the_check_found_none_then_answers():
    env = ask_question("is there an error in Beijing's 2020 hard tech index score?")
    assert "found no inconsistency" in first(env)
    assert "84.04" in env.answer


def test_ranked_above_although_lower_is_the_reports_contradiction_not_a_false_premise():
    env = ask_question("why is Guangzhou ranked above London in aerospace although its score is lower?")
    assert "Contrary to the question's premise" not in env.answer
    assert first(env).startswith("First, a caution")
    for figure in ("51.44", "56.88", "64.17", "57.77"):
        assert figure in env.answer
    assert "“西安（62.80）、广州（51.44）、伦敦（56.88）和天津（53.89）" in env.answer  # as printed
    assert (2535, 2541) in _lines(env)


def test_a_doubted_stated_total_gets_the_note_even_when_the_operation_is_not_a_figure():
    env = ask_question("航空航天TOP10平均创新指数是多少，算得对吗")
    assert "64.17" in first(env) or "64.17" in env.answer.split("\n\n")[1]
    assert "57.77" in env.answer


# ----------------------------------------------------------------------------- every operation carries the note
def test_a_change_answer_quotes_both_printed_statements_and_the_reading():
    env = ask_question("荣昌区这个季度双创指数是涨了还是跌了？")
    for figure in ("8.51", "14.6%", "6.51", "9.74%", "16.42%", "60.33"):
        assert figure in env.answer
    assert "自相矛盾" in env.answer and (208, 222) in _lines(env)
    assert "渝北区" not in env.answer  # the Yubei note spans these lines but is about another district


def test_a_lookup_rank_compare_and_leader_carry_the_aerospace_note():
    for question in ("Where does Guangzhou rank in aerospace in GTII?", "全球硬科技航空航天前十有哪些城市",
                     "compare guangzhou and london on aerospace (GTII)", "广州和伦敦航空航天差几分"):
        env = ask_question(question)
        assert "51.44" in env.answer and "57.77" in env.answer, question
        assert any(w.startswith("report note: rank_order") for w in env.warnings), question


def test_a_quarter_change_carries_the_yubei_note_with_its_implied_total():
    env = ask_question("渝北区第二季度双创指数是多少分")
    assert "82.13" in env.answer and "87.89" in env.answer and "87.14" in env.answer


def test_a_count_that_the_report_states_otherwise_carries_the_count_note():
    env = ask_question("中美比较里美国城市到底是9个还是10个？")
    assert "美（9个）" in env.answer and "10" in env.answer
    assert any(w.startswith("report note: count") for w in env.warnings)


def test_a_threshold_question_carries_the_mislabelled_threshold_note():
    env = ask_question("材料技术领域进TOP10的门槛是多少")
    assert "55.19" in env.answer and "先进制造" in env.answer and "笔误" in env.answer


def test_a_printed_typo_is_quoted_as_printed_with_its_reading():
    env = ask_question("whats shenzhen's industrial R&D spending as a share of main business revenue in the 2019 white paper")
    assert "2,73" in env.answer and "2.73" in env.answer
    assert any(w.startswith("report note: typo") for w in env.warnings)


# ----------------------------------------------------------------------------- every note renders
@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("edition", io.edition_ids())
def test_every_note_renders_with_its_printed_figure_and_its_reading(edition, language):
    for note in io.load_edition(edition).notes:
        entity = note["entity"]
        env = ask(question="is there an error here?", language=language, operation="lookup",
                  entities=[entity] if entity else [], editions=[edition], edition_source="explicit")
        assert note["printed"] in env.answer, (edition, note["lines"])
        assert note["reading"][language] in env.answer, (edition, note["lines"])
        assert tuple(note["lines"]) in _lines(env)


# ----------------------------------------------------------------------------- notes that do not belong
def test_a_method_answer_citing_the_tier_statements_brings_no_row_note():
    # the 2020 tier statements (000 lines 2709-2713 and 3055) span the ranking table, which holds
    # 长沙's row (line 2792, printed 22.05 against 22.04 computed); the method answer states no
    # figure of 长沙, so its rounding note is noise
    env = ask_question("2020年城市硬科技指数用了哪些维度和权重")
    assert "20%" in env.answer
    assert "长沙" not in env.answer and not env.warnings


def test_a_row_note_still_comes_with_that_row():
    env = ask_question("长沙2020年排第几")
    assert "22.05" in env.answer and "22.04" in env.answer
    assert any("2792" in w for w in env.warnings)
