"""What-if questions as people type them, the distance to a top N, who publishes an index, and a
year the reports' text answers (issue 9: whatif and beyond_editions). Expected numbers are the
reports' printed ones (file:line) or hand-computed from the printed dimension scores of the 2019
table (001:1839-1874)."""
from __future__ import annotations

import pytest

from assistant import concept_index
from assistant.offline import answer_question
from assistant.verify import verify
from tests.answer_frames import understood

WHITE_2019 = "001_2d381f25c7fc5f5d.txt"
WHITE_2020 = "000_a935e4fe392ee53f.txt"


def _first_line(env) -> str:
    return env.answer.split("\n")[0]


def _cites(env, file: str, first: int, last: int) -> bool:
    return any(c.source_file == file and c.lines[0] <= last and first <= c.lines[-1] for c in env.citations)


def _verified(env) -> None:
    rep = verify(env.answer, env.tool_calls, [{"id": c.id, "quote": c.quote, "text": [c.doc_title, c.section]}
                                               for c in env.citations])
    assert rep.ok, rep.describe()  # every number comes from a tool result or a quoted line


def _shares(weights: dict) -> dict:
    total = sum(weights.values())
    return {k: round(v / total, 4) for k, v in weights.items()}


@pytest.mark.parametrize("question, shares", [
    # 平分 / "0.25 each": equal weights (the 2019 edition, whose weights are not equal already)
    ("要是四个维度权重平分，排第一的还是北京吗", {"innovation_base": .25, "innovation_input": .25,
                                               "innovation_output": .25, "innovation_environment": .25}),
    ("weights 0.25 each for the 2019 index — where does hefei land?", {"innovation_base": .25, "innovation_input": .25,
                                                                     "innovation_output": .25,
                                                                     "innovation_environment": .25}),
    # 不算 X: X weighs nothing, the others keep their 15:35:15 proportions
    ("如果不算创新投入，杭州排名会怎么变", _shares({"innovation_base": 15, "innovation_input": 0,
                                                "innovation_output": 35, "innovation_environment": 15})),
    # 占一半 is a 50% share, not a halving; the rest share 50% in their 15:35:35 proportions
    ("如果创新环境占一半，成都能进前五吗", _shares({"innovation_base": 50 * 15 / 85, "innovation_input": 50 * 35 / 85,
                                                "innovation_output": 50 * 35 / 85, "innovation_environment": 50})),
    # "half as important": halved (35 -> 17.5)
    ("what if output was only half as important in the 2019 index, does xi'an move?",
     _shares({"innovation_base": 15, "innovation_input": 35, "innovation_output": 17.5, "innovation_environment": 15})),
    # a fraction of one, the rest shared equally (not in the baseline's proportions)
    ("what if we weighted innovation input at 0.5 and the rest equally",
     _shares({"innovation_base": 50 / 3, "innovation_input": 50, "innovation_output": 50 / 3,
              "innovation_environment": 50 / 3})),
    # 从15%调到25%: the share it goes to, the others in their 15:35:35 proportions
    ("把创新环境的权重从15%调到25%，成都呢", _shares({"innovation_base": 75 * 15 / 85, "innovation_input": 75 * 35 / 85,
                                                   "innovation_output": 75 * 35 / 85, "innovation_environment": 25})),
    # 变成0: nothing
    ("假如创新产出权重变成0，深圳还能进前三吗", _shares({"innovation_base": 15, "innovation_input": 35,
                                                   "innovation_output": 0, "innovation_environment": 15})),
])
def test_weights_people_suppose_make_a_whatif(question, shares):
    frame = understood(question)
    assert frame.operation == "whatif"
    assert frame.editions[0] == "hardtech-2019"
    assert _shares(frame.weights) == pytest.approx(shares, abs=1e-4)


def test_dropping_a_dimension_of_the_2020_index_is_a_whatif_on_it():
    frame = understood("drop the talent dimension from the 2020 index, who is top 3?")
    assert frame.operation == "whatif" and frame.editions[0] == "hardtech-2020"
    assert frame.weights["research_talent"] == 0


def test_equal_weights_asked_of_an_unweighted_edition_are_equal_weights_where_they_can_be_applied():
    env = answer_question("if every dimension counted the same in the GTII who would be first", [])
    assert "no weighted dimension scores" in env.answer and "already weighted" in env.answer


def test_a_question_without_weights_is_no_whatif():
    # a supposition about a score, not about weights: nothing to re-weight
    assert understood("如果两个城市得分一样，谁排前面").operation != "whatif"


@pytest.mark.parametrize("question, number", [
    # Beijing with equal weights: (89.31 + 80.13 + 94.69 + 80.06) / 4 = 86.05 (001:1839)
    ("要是四个维度权重平分，排第一的还是北京吗", "86.05"),
    # Beijing without the environment: (0.15×89.31 + 0.35×80.13 + 0.35×94.69) / 0.85 = 87.75 (001:1839)
    ("what happens to the 2019 ranking if we ignore the innovation environment dimension entirely", "87.75"),
    # Hefei with equal weights: (11.83 + 39.31 + 17.49 + 36.44) / 4 = 26.27 (001:1852)
    ("weights 0.25 each for the 2019 index — where does hefei land?", "26.27"),
])
def test_whatif_answers_the_hand_computed_composite(question, number):
    env = answer_question(question, [])
    assert number in env.answer
    assert "whatif" in [c.name for c in env.tool_calls]
    _verified(env)


@pytest.mark.parametrize("question, number, other", [
    # Guangzhou is 5th with 37.41 (001:2002), Wuhan 7th with 35.03 (001:2061): 2.38 short
    ("what would Wuhan need to score in 2019 to make the top 5?", "2.38", "Guangzhou"),
    # 深圳 is 3rd with 42.92 (000:2770), 南京 9th with 28.01 (000:2782): 14.91 short
    ("南京要进前三还差多少分", "14.91", "深圳"),
])
def test_the_distance_to_a_top_n_is_to_its_last_place(question, number, other):
    env = answer_question(question, [])
    first = _first_line(env)
    assert number in first and other in first
    _verified(env)


def test_an_entity_inside_the_top_n_is_told_so():
    env = answer_question("how far is shanghai from the top 5 in 2020", [])
    assert "inside the top" in _first_line(env)


def test_who_publishes_an_edition_is_the_entry_about_it_or_its_report():
    assert concept_index.published("hardtech-2020", WHITE_2020)["id"] == "city-hardtech-index-2020-publisher"
    assert concept_index.published("hardtech-2019", WHITE_2019)["id"] == "report-2019-publishers"
    env = answer_question("who puts out the 2020 city hardtech index?", [])
    assert "EqualOcean" in _first_line(env)
    assert _cites(env, WHITE_2020, 2615, 2617)  # 亿欧选择科研人才、硬科技投入…五个维度的指标 (000:2615)
    env = answer_question("2019年的白皮书是谁出的", [])
    assert "西安光学精密机械研究所" in _first_line(env) and _cites(env, WHITE_2019, 3, 16)


def test_a_year_the_text_answers_raises_no_edition_premise():
    # 2015年我国具备科学素质公民比例仅为6.2% (001:748): no edition is asked about
    env = answer_question("2015年我国公民具备科学素质的比例", [])
    first = _first_line(env)
    assert "6.2%" in first and "不会编造" not in env.answer
    assert _cites(env, WHITE_2019, 748, 748)


@pytest.mark.parametrize("question, number, lines", [
    # 2018年，中国高科技出口额达到了7479亿美元 (000:561-563), asked as 高技术产品出口额
    ("中国高技术产品出口额2018年是多少", "7479", (561, 571)),
    # 中国人工智能行业投资额达到156亿美元，美国达到160亿美元 (000:1439)
    ("how much did the US and China invest in AI in 2018", "156", (1439, 1444)),
])
def test_a_national_figure_asked_by_another_name_is_the_entry_stating_it(question, number, lines):
    env = answer_question(question, [])
    assert number in _first_line(env)
    assert _cites(env, WHITE_2020, *lines)
