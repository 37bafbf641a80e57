"""Follow-ups keep the last turn's scope (issue 9): a dimension named after a city question stays
with the index even when its name holds a concept's name; a question about the report after an
edition's question searches that edition's report; "how many are ahead of it" counts rank - 1.
Expected numbers are the reports' printed ones (file:line)."""
from __future__ import annotations

from assistant.offline import answer_question
from assistant.verify import verify

WP2020 = "000_a935e4fe392ee53f.txt"


def _user(*turns: str) -> list[dict]:
    return [{"role": "user", "content": t} for t in turns]


def _verified(env) -> bool:
    return verify(env.answer, env.tool_calls, [{"id": c.id, "quote": c.quote, "text": [c.doc_title, c.section]}
                                               for c in env.citations]).ok


def _cites(env, file: str, first: int, last: int) -> bool:
    return any(c.source_file == file and c.lines[0] <= last and first <= c.lines[-1] for c in env.citations)


def test_dimension_named_in_a_follow_up_stays_with_the_index():
    # 000:2772: 广州 硬科技投入 42.20, 第 7 名 (硬科技 in the dimension's name is no definition question)
    env = answer_question("硬科技投入呢", _user("广州2020年科研人才得分"))
    first = env.answer.split("\n")[0]
    assert "42.2" in first and "7" in first
    assert _verified(env)


def test_report_follow_up_searches_the_inherited_editions_report():
    # the 2020 white paper's 武汉 section (000:3523-3571), not the 2019 report's
    env = answer_question("what does the report say about it?", _user("where does wuhan rank in 2020"))
    assert _cites(env, WP2020, 3520, 3575)
    assert "2019 中国硬科技发展白皮书" not in env.answer.split("\n")[0]


def test_how_many_ahead_is_rank_minus_one():
    # 000:2776: 武汉 第 6 名 -> 北京、上海、深圳、广州、西安 ahead (000:2764-2774)
    env = answer_question("how many cities are ahead of it?", _user("where does wuhan rank in 2020"))
    first = env.answer.split("\n")[0]
    assert " 5 of the cities" in first and "Xi'an" in first and "Hangzhou" not in first
    assert _verified(env)


def test_nobody_ahead_of_the_leader():
    # 000:2764: 北京 第 1 名
    env = answer_question("前面还有几个城市", _user("北京2020年排第几"))
    assert "前面没有" in env.answer.split("\n")[0]
