"""What an edition prints when it prints little (helper fixc): the Chongqing district index prints
one composite (渝北区 87.89, 004:226) and classes for the rest; the GTII evaluates 45 cities
(001:2364) but prints composites for its top 15 only, so an unlisted city gets where the city
list names it (旧金山 美国, 001:2747); a figure's origin asked after the figure is its breakdown
(深圳 2020: 42.92 = Σ dimension × 20%, 000:2770); a lookup of something no edition measures that
the text states goes to the text (重庆 双一流 建设高校仅 2所, 004:580-586)."""
from __future__ import annotations

import pytest

from assistant.offline import answer_question
from assistant.offline.understand import understand
from assistant.verify import verify

CQ = "004_761156490aac2bdf.txt"
WP2019 = "001_2d381f25c7fc5f5d.txt"


def _first(answer: str) -> str:
    return answer.split("\n")[0]


def _cites(env, file: str, first: int, last: int) -> bool:
    return any(c.source_file == file and c.lines[0] <= last and first <= c.lines[-1] for c in env.citations)


@pytest.mark.parametrize("question", ["What is the average composite of districts?", "top 3 districts in the chongqing index"])
def test_class_only_ranking_says_first_what_is_printed(question):
    env = answer_question(question)
    assert "87.89" in _first(env.answer) and "1 of its 38" in _first(env.answer)
    assert _cites(env, CQ, 226, 226)
    assert "Jiangbei" in env.answer  # the classes follow (江北区: class 2, 004:25-50)
    report = verify(env.answer, env.tool_calls, env.citations)
    assert report.ok, report.unmatched


@pytest.mark.parametrize("question, country", [("San Francisco's score in the GTII?", "the United States"),
                                               ("慕尼黑在全球硬科技创新指数里得了多少分", "德国")])
def test_unscored_listed_city_says_where_it_is_listed(question, country):
    env = answer_question(question)
    assert "45" in env.answer and "15" in env.answer and country in env.answer
    line = 2747 if "San" in question else 2730
    assert _cites(env, WP2019, line, line)


def test_where_does_that_number_come_from_is_the_breakdown():
    history = [{"role": "user", "content": "Shenzhen's composite in the 2020 index?"},
               {"role": "assistant", "content": "In the 2020 City Hard-Tech Index, Shenzhen's composite score is 42.92, rank 3."}]
    frame = understand("where does that number come from?", history)
    assert frame.operation == "breakdown" and frame.entities == ("深圳",)
    env = answer_question("where does that number come from?", history)
    assert "42.92" in _first(env.answer)
    assert "68.22 × 20% = 13.64" in env.answer  # 硬科技企业 68.22 (000:2770), weight 20%


def test_text_fact_no_edition_measures_goes_to_the_text():
    env = answer_question("重庆的双一流高校有几所")
    assert "2所" in _first(env.answer) and _cites(env, CQ, 580, 586)


def test_a_city_score_is_still_the_index():
    env = answer_question("成都的高校数量")  # no sentence about 成都 says 高校数量: not taken from the text
    assert "27.40" in _first(env.answer)  # 000:2784
