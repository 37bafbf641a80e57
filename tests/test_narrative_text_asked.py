"""Questions about what the reports say (issue 9, items 1 and 8): a question that names an index, a
place or "how many" but asks about something no edition ranks is answered from the reports' text,
the answer stated first and cited; the index's own figures still come from the editions. Expected
strings and numbers are the reports' printed ones (file:line in the comments)."""
from __future__ import annotations

import pytest

from assistant.offline import answer_question
from assistant.offline.answers import passages
from assistant.offline.understand import understand

Y2020 = "000_a935e4fe392ee53f.txt"
Y2019 = "001_2d381f25c7fc5f5d.txt"
BOOK = "002_46aa91cbc9aad674.txt"
NEWS = "003_42451ab363cd6fd4.txt"
JOURNAL = "004_761156490aac2bdf.txt"


def _route(env) -> str:
    return env.model_dump()["frame"]["route"]


def _cites(env, file: str, first: int, last: int) -> bool:
    return any(c.source_file == file and c.lines[0] <= last and first <= c.lines[-1] for c in env.citations)


@pytest.mark.parametrize("question, says, file, lines", [
    # 高新区 indicators "2019中国火炬统计年鉴" (000:2646-2674); sources listed 000:2617-2681
    ("where does the 2020 city index get its data from, which yearbooks?", "Torch", Y2020, (2617, 2681)),
    # "全球主要城市硬科技创新指数"（GTII-City Index, Global Technology Innovation Index- City Index） (001:2356)
    ("GTII-City全称是什么", "全球主要城市硬科技创新指数", Y2019, (2356, 2358)),
    # 高投入 - 高产出、高投入 - 低产出、低投入 - 高产出、低投入 - 低产出 (001:2381)
    ("what are the GTII quadrants called?", "low output", Y2019, (2381, 2381)),
    # 重庆区县双创指数报告研究小组由重庆科技发展战略研究院、重庆大数据研究院等机构的专家学者组成 (004:12)
    ("重庆区县双创指数的研究小组是哪几家机构的人？", "重庆大数据研究院", JOURNAL, (9, 14)),
])
def test_a_question_about_an_index_text_is_not_answered_with_its_figures(question, says, file, lines):
    env = answer_question(question, [])
    assert _route(env) in ("narrative", "concept", "definition")
    assert says in env.answer.split("\n")[0]
    assert _cites(env, file, *lines)


@pytest.mark.parametrize("question, number, file, lines", [
    # 截止2018年10月，湖北有12家国家高新区，18家省级高新区 (004:3821-3823): not a count of Hubei's cities
    ("湖北有几家国家高新区？", "12", JOURNAL, (3821, 3825)),
    # 目前，广东拥有专业镇399家 (004:3481-3483): not a count of Guangdong's cities
    ("广东有多少个专业镇？", "399", JOURNAL, (3479, 3489)),
])
def test_a_count_of_what_no_edition_ranks_states_the_printed_number_first(question, number, file, lines):
    env = answer_question(question, [])
    assert _route(env) == "narrative"
    assert number in env.answer.split("\n")[0]
    assert _cites(env, file, *lines)


@pytest.mark.parametrize("question, operation, says", [
    ("GTII前十是哪些城市", "rank", "东京"),                          # 1 东京 78.39 (001:2388)
    ("2020年硬科技指数30分以上的城市有几个？", "count", "7"),        # 北京…杭州 ≥ 30 (000:2766-2778)
    ("2019年的挑战者城市有哪些", "tier", "上海"),                    # 第二梯队 上海、深圳 (001:1821)
    ("How is the hard-tech index calculated?", "method", "20%"),    # 五个一级指标各赋予20%的权重 (000:4585)
])
def test_the_index_still_answers_its_own_figures(question, operation, says):
    env = answer_question(question, [])
    assert _route(env) == operation
    assert says in env.answer


def test_an_english_word_near_a_district_is_not_read_as_one_outside_the_district_index():
    # "fusing" is one letter from Fuling (涪陵区); the question is about the 2024 news item on Xi'an
    frame = understand("What did the 2024 news say is fusing in the Xi'an high-tech zone?")
    assert "涪陵区" not in frame.entities
    env = answer_question("What are the 'four chains' the 2024 white paper says Xi'an's high-tech zone is fusing?", [])
    assert "Fuling" not in env.answer
    # 聚焦创新链、产业链、资金链、人才链“四链”深度融合 (003:15)
    assert "talent chain" in env.answer and "capital chain" in env.answer
    assert _cites(env, NEWS, 15, 15)


def test_a_district_typo_in_the_district_index_is_still_read():
    frame = understand("how did fulin district do in the chongqing index?")
    assert frame.entities == ("涪陵区",)


def test_both_spellings_the_reports_print_are_given():
    # 硬科技（Key & Core Technology） (001:256); 硬科技（Hard & Core Technology） (002:75)
    env = answer_question("Is 硬科技 officially 'Key & Core Technology' or 'Hard & Core Technology'?", [])
    assert "Key & Core" in env.answer and "Hard & Core" in env.answer
    assert _cites(env, Y2019, 256, 256) and _cites(env, BOOK, 75, 75)


def test_each_clause_gets_its_statement():
    # 选择国内31个省会城市和5个计划单列市，共36个主要城市 (001:1819)
    env = answer_question("The 2019 City Industrial Innovation Capability Index - which report is it from, "
                          "and how were its cities picked?", [])
    assert "31" in env.answer and "5" in env.answer and "2019" in env.answer


def test_a_named_article_is_answered_from_its_own_sentence():
    # 美国以每年4200亿美元的R&D投入领先于世界 (004:2994-2996), not How Much.net's 4765亿 (000:90-99)
    env = answer_question("How much does the US spend on R&D a year, per the article on industrial innovation centres?", [])
    assert "4200" in env.answer.split("\n")[0]
    assert _cites(env, JOURNAL, 2990, 3000)


def test_an_article_summary_gives_way_to_the_sentence_that_says_what_was_asked():
    # 2017 年来自企业的 R&D 经费 1.55 亿元，同比增长 61.6% (004:1198-1202)
    env = answer_question("重庆科研机构来自企业的研发经费2017年涨了多少？", [])
    first = env.answer.split("\n")[0]
    assert "1.55" in first and "61.6%" in first


def test_sentence_terms_take_the_reports_words_for_the_questions():
    weighted = passages.terms("研发经费涨了多少")
    assert "r&d经费" in weighted and "增长" in weighted
    # two words said together weigh more than either alone
    assert passages.terms("重庆科研机构来自企业的研发经费")["来自企业"] == passages.PAIR


@pytest.mark.parametrize("question, says, file, lines", [
    # GTII defines no tiers; its four zones by input and output are at 001:2381
    ("GTII把城市分成哪几类？", "高投入-高产出", Y2019, (2381, 2381)),
    ("Into which groups does the GTII-City index divide cities?", "high input", Y2019, (2381, 2381)),
])
def test_a_tier_question_of_an_index_without_tiers_is_answered_from_its_text(question, says, file, lines):
    env = answer_question(question)
    assert _route(env) == "narrative"
    assert says in env.answer.split("\n")[0] and _cites(env, file, *lines)


@pytest.mark.parametrize("question, says, file, lines", [
    # 004:2037-2041 "2016年智能音箱全球出货量已达到 590 万台，其中亚马逊 Echo 市场份额达到70.6%"
    ("In the smart hardware article, what share of 2016 smart speaker shipments did Amazon Echo have?", "70.6%",
     JOURNAL, (2037, 2041)),
    # 004: the institutes' R&D article: 5.13亿元 (2011) to 26.88亿元 (2017)
    ("重庆科研机构研发经费那篇文章说2017年经费增长多少", "26.88", JOURNAL, (1126, 1533)),
])
def test_a_question_naming_an_article_is_answered_from_its_sentence_first(question, says, file, lines):
    env = answer_question(question)
    first = env.answer.split("\n")[0]
    assert says in first and _cites(env, file, *lines)
    assert "not covered" not in env.answer and "报告没有给出" not in env.answer


def test_a_suggested_dimension_of_another_edition_is_named_not_keyed():
    # the question picks hardtech-2019; chips_hardware is a GTII field: it is shown by its name there
    # ("chips and hardware (芯片及硬件)"), never as the raw key "chips_hardware"
    from assistant.offline.answers.blocks import Dim
    from assistant.offline.answers.links import _suggestion

    frame = understand("2019年深圳排第几")
    assert frame.editions[0] == "hardtech-2019"
    assert _suggestion("dimension", "chips_hardware", frame) == Dim("gtii-2019", "chips_hardware")
