"""Questions about what the reports say beyond the index editions (issue 9, category 8): a figure
no edition measures is answered from the reports' text, first sentence first, with the printed
number and its line; a year with no report and no edition is said so; the index's own figures
still come from the editions. Expected numbers are the reports' printed ones (file:line)."""
from __future__ import annotations

import pytest

from assistant import concept_index
from assistant.offline import answer_question
from assistant.verify import verify

CQ = "004_761156490aac2bdf.txt"
NEWS = "003_42451ab363cd6fd4.txt"


def _first_sentence(answer: str) -> str:
    return answer.split("\n")[0]


def _cites(env, file: str, first: int, last: int) -> bool:
    return any(c.source_file == file and c.lines[0] <= last and first <= c.lines[-1] for c in env.citations)


@pytest.mark.parametrize("question, number, file, lines", [
    # 2017年重庆全社会R&D经费投入占GDP比重为 1.88% (004:346-348): not an index measure of 重庆
    ("重庆2017年研发投入占GDP的比例是多少？", "1.88", CQ, (346, 350)),
    # 2017 年全市财政科技投入 59.31 亿元 (004:388)
    ("重庆市财政科技投入17年是多少亿", "59.31", CQ, (384, 392)),
    # 科研机构 … R&D经费支出26.88亿元 … 约占全市 R&D 经费支出的 7.5% (004:1126-1129)
    ("重庆科研机构2017年的R&D经费支出是多少？占全市多少", "26.88", CQ, (1126, 1129)),
    # 2027年全球光芯片市场规模有望增长至56亿美元 (003:8): the 2024 white paper, which has no edition
    ("2024年的硬科技白皮书里说光芯片市场能有多大？", "56", NEWS, (8, 8)),
    # 6个方面共22条具体措施 (003:20)
    ("How many concrete measures does the 2024 hardtech whitepaper propose for the innovation ecosystem?", "22", NEWS,
     (20, 20)),
])
def test_a_figure_no_edition_measures_is_answered_from_the_text(question, number, file, lines):
    env = answer_question(question, [])
    first = _first_sentence(env.answer)
    assert number in first, first
    assert _cites(env, file, *lines)
    assert env.frame["route"] in ("narrative", "concept")  # the text answers, not an edition
    assert "不在这些指数的评价范围内" not in env.answer and "Sorry" not in env.answer
    rep = verify(env.answer, env.tool_calls, [{"id": c.id, "quote": c.quote, "text": [c.doc_title, c.section]}
                                               for c in env.citations])
    assert rep.ok, rep.describe()  # every number is on a quoted line


def test_the_handover_is_recorded_as_a_route():
    env = answer_question("重庆2017年研发投入占GDP的比例是多少？", [])
    taken = env.frame["fallback"]
    assert taken["to"] == "narrative" and taken["from"] != "narrative"
    assert "chongqing-st-2017-headline" in taken["reason"]


def test_a_year_with_no_report_and_no_edition_is_said_first():
    env = answer_question("2023年的硬科技白皮书有城市排名吗", [])
    first = _first_sentence(env.answer)
    assert "2023" in first and "没有" in first
    assert _cites(env, NEWS, 1, 24)  # the nearest: the 2024 white paper's news, the series published yearly


def test_the_index_still_answers_its_own_figures():
    # 深圳 2019: composite 50.99, rank 3 (001:1942); "得分" asks for the index's figure
    env = answer_question("深圳2019年得分多少？", [])
    assert env.frame["route"] != "narrative"
    assert "50.99" in env.answer
    # a raw indicator the facts table holds for the district (众创空间 42 家, 004:246-247)
    env = answer_question("渝北区有多少家众创空间？", [])
    assert any(t.name == "facts" for t in env.tool_calls)
    assert "42" in env.answer


def test_an_index_word_the_entry_itself_uses_does_not_keep_the_question_on_the_index():
    entry = next(e for e in concept_index.entries() if e["id"] == "xian-dual-centre-2022")
    question = "西安在全球创新指数里的排名是怎么变化的"
    assert concept_index.says_index_word(question)
    assert not concept_index.says_index_word(question, entry)  # 指数, 排名: its own name says both
    env = answer_question(question, [])
    assert "33" in env.answer and "18" in env.answer  # 从全球第33位跃居第18位 (003:14)
    assert _cites(env, NEWS, 14, 14)


def test_what_an_entry_states_ranks_it_beside_its_names():
    # the market figure's entry, not the white paper's release (both are named by "2024…白皮书")
    found = concept_index.find("2024年的硬科技白皮书里说光芯片市场能有多大？", None, "2024年的硬科技白皮书里说光芯片市场能有多大？")
    assert found["id"] == "optical-chip-market-2027"


def test_english_names_match_across_apostrophes_and_endings():
    q = "when did xian get approved to build a dual center?"
    assert concept_index.find(q, None, q)["id"] == "xian-dual-centre-2022"
    q = "how fast did chongqing research institutes' R&D spend grow from 2011 to 2017"
    assert concept_index.find(q, None, q)["id"] == "institutes-rd-growth-2011-2017"


def test_a_question_naming_a_report_year_is_answered_inside_that_report():
    # "2024 white paper" is the scope; photonic chips the topic: 光+AI, 光芯片 (003:7), not the 2019 chapter
    env = answer_question("What did the 2024 white paper say about photonic chips?", [])
    assert _cites(env, NEWS, 7, 8)
    assert "Moore" in _first_sentence(env.answer)
    assert concept_index.without_title("2024年硬科技白皮书提了多少条措施", NEWS).strip().endswith("提了多少条措施")


def test_the_text_about_another_city_does_not_answer_for_this_one():
    # the Chongqing survey's problems are no answer to what holds Chengdu back: the index answers
    env = answer_question("what holds Chengdu back the most in 2020", [])
    assert env.frame["route"] != "narrative"
    assert "Chongqing" not in env.answer


def test_a_long_linked_name_answers_over_the_facets_kind():
    # 德国高科技战略 is the HTS 2025 article: 7个重点领域 (004:3690-3692), not hard tech's eight fields
    env = answer_question("德国高科技战略有几个重点领域", [])
    assert "7个重点领域" in _first_sentence(env.answer)
    assert _cites(env, CQ, 3672, 3743)


@pytest.mark.parametrize("question, weight", [
    ("how much does innovation input weigh in the 2019 index?", "35%"),   # 创新投入 35% (001:1786)
    ("2020年各个维度怎么赋权的", "20%"),                                      # equal weights, 5 dimensions (000:4585)
])
def test_a_weights_question_gets_the_weights_first(question, weight):
    first = _first_sentence(answer_question(question, []).answer)
    assert weight in first, first
