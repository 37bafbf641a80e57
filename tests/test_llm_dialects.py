"""Reading tool calls in every dialect, holding markup back from the stream, and the floor
under answers: unit tests on the messages LangChain hands over (no server needed)."""
from __future__ import annotations

import pytest
from langchain_core.messages import AIMessage, AIMessageChunk

from assistant.llm.dialects import json_payload, read_turn
from assistant.llm.floor import drop_sentences, settle, unwrap
from assistant.llm.gate import TokenGate
from assistant.verify import extract_claims

SCORES = {"edition": "hardtech-2019", "entity": "深圳"}


@pytest.mark.parametrize("content,dialect", [
    ('<tool_call>\n{"name": "scores", "arguments": {"edition": "hardtech-2019", "entity": "深圳"}}\n</tool_call>', "hermes"),
    ('```json\n{"name": "scores", "arguments": {"edition": "hardtech-2019", "entity": "深圳"}}\n```', "json"),
    ('{"name": "scores", "parameters": {"edition": "hardtech-2019", "entity": "深圳"}}', "json"),
    ('{"function": {"name": "scores", "arguments": "{\\"edition\\": \\"hardtech-2019\\", \\"entity\\": \\"深圳\\"}"}}', "json"),
    ('<|python_tag|>{"name": "scores", "parameters": {"edition": "hardtech-2019", "entity": "深圳"}}', "json"),
    ('[TOOL_CALLS] [{"name": "scores", "arguments": {"edition": "hardtech-2019", "entity": "深圳"}}]', "json"),
    ('<think>先查分数</think>\n<tool_call>{"name": "scores", "arguments": {"edition": "hardtech-2019", "entity": "深圳"}}</tool_call>',
     "hermes"),
])
def test_content_dialects_read_into_the_same_call(content, dialect):
    turn = read_turn(AIMessage(content=content))
    assert [(c.name, c.args) for c in turn.calls] == [("scores", SCORES)]
    assert turn.bad == [] and turn.text == "" and turn.dialect == dialect


def test_several_hermes_calls_and_prose_around_them():
    turn = read_turn(AIMessage(content='我来查询。\n<tool_call>{"name": "scores", "arguments": {"edition": "hardtech-2019", '
                                       '"entity": "深圳"}}</tool_call>\n<tool_call>{"name": "tiers", "arguments": '
                                       '{"edition": "hardtech-2019"}}</tool_call>'))
    assert [c.name for c in turn.calls] == ["scores", "tiers"] and turn.text == "我来查询。"
    assert len({c.id for c in turn.calls}) == 2


def test_openai_tool_calls_invoked_and_invalid():
    msg = AIMessage(content="", tool_calls=[{"name": "scores", "args": SCORES, "id": "a1", "type": "tool_call"},
                                            {"name": "tiers", "args": {"edition": "hardtech-2019"}, "id": "a2", "type": "tool_call"}],
                    invalid_tool_calls=[{"name": "ranking", "args": "{edition:", "id": "a3", "error": "bad JSON",
                                         "type": "invalid_tool_call"}])
    turn = read_turn(msg)
    assert [(c.id, c.name) for c in turn.calls] == [("a1", "scores"), ("a2", "tiers")]
    assert [(b.id, b.name) for b in turn.bad] == [("a3", "ranking")]


def test_streamed_deltas_are_parsed_strictly():
    """LangChain repairs partial JSON in streamed arguments; a broken call must stay broken."""
    chunks = [AIMessageChunk(content="", tool_call_chunks=[{"name": "scores", "args": '{"edition": "hard', "id": "c1", "index": 0}]),
              AIMessageChunk(content="", tool_call_chunks=[{"name": None, "args": 'tech-2019", "entity": "深圳"}', "id": None, "index": 0}]),
              AIMessageChunk(content="", tool_call_chunks=[{"name": "ranking", "args": '{"edition": "hardtech-2019", ', "id": "c2",
                                                            "index": 1}])]
    message = chunks[0] + chunks[1] + chunks[2]
    assert [c["name"] for c in message.tool_calls] == ["scores", "ranking"]  # LangChain's repair accepts both
    turn = read_turn(message)
    assert [(c.name, c.args) for c in turn.calls] == [("scores", SCORES)]
    assert [b.name for b in turn.bad] == ["ranking"] and "invalid JSON" in turn.bad[0].error


def test_broken_markup_is_a_bad_call_and_prose_stays_prose():
    bad = read_turn(AIMessage(content='<tool_call>{"name": "get_city_score", "arguments": {"city": "深圳", </tool_call>'))
    assert bad.calls == [] and bad.bad[0].name == "get_city_score"
    prose = read_turn(AIMessage(content="深圳综合得分 50.99 [1]，见表 {2}。"))
    assert prose.calls == [] and prose.bad == [] and prose.text == "深圳综合得分 50.99 [1]，见表 {2}。"
    data = read_turn(AIMessage(content='```json\n{"city": "深圳", "score": 50.99}\n```'))
    assert data.calls == [] and data.bad == []  # not a call: the floor treats it as raw JSON


def stream_through(text: str, size: int) -> tuple[str, str]:
    gate = TokenGate()
    shown = "".join(gate.feed(text[i:i + size]) for i in range(0, len(text), size))
    return shown, gate.buf


@pytest.mark.parametrize("size", [1, 3, 7])
def test_gate_streams_prose_and_holds_markup(size):
    assert stream_through("深圳 2019 年综合得分 50.99 [1]，a < b。", size) == ("深圳 2019 年综合得分 50.99 [1]，a < b。", "")
    shown, held = stream_through('我来查一下。<tool_call>{"name": "scores"}</tool_call>', size)
    assert shown == "我来查一下。" and held.startswith("<tool_call>")
    assert stream_through('```json\n{"name": "scores"}\n```', size)[0] == ""
    assert stream_through('{"name": "scores", "arguments": {}}', size)[0] == ""
    assert stream_through("<think>让我想想</think>深圳得分 50.99。", size)[0] == "深圳得分 50.99。"
    assert stream_through("Shenzhen [TOOL_CALLS] [{}]", size)[0] == "Shenzhen "


def test_gate_release_finishes_prose_only_when_it_continues_what_was_shown():
    gate = TokenGate()
    gate.feed("Shenzhen scores 42.92 ")
    gate.feed("{x}")
    assert gate.release("Shenzhen scores 42.92 {x}") == "{x}"
    gate = TokenGate()
    gate.feed("draft")
    assert gate.release("something else") == ""


def test_json_payload_and_unwrap():
    assert json_payload('<think>x</think>```json\n{"a": 1}\n```') == {"a": 1}
    assert json_payload("深圳 50.99") is None
    assert unwrap('{"answer": "深圳 50.99"}') == "深圳 50.99"
    assert unwrap('{"city": "深圳", "score": 50.99}') is None
    assert unwrap("深圳 50.99") == "深圳 50.99"


def test_drop_sentences_keeps_decimals_whole_and_removes_orphan_bullets():
    text = "深圳综合得分 50.99，排名第 3。创新基础 77.77。\n\n- 上海：12.5\n- 北京：84.04\nShenzhen scores 42.92. It grew 12.5% too."
    doomed = [c for c in extract_claims(text) if c.value in (77.77, 12.5)]
    assert drop_sentences(text, doomed) == "深圳综合得分 50.99，排名第 3。\n\n- 北京：84.04\nShenzhen scores 42.92."


def test_settle_decides_what_may_be_shown():
    calls = [{"id": "t1", "args": {}, "result": {"composite": 42.92, "rank": 3, "of": 38}}]
    ok = settle("Shenzhen: 42.92, rank 3 of 38.", calls, [], succeeded=1)
    assert ok.answer == "Shenzhen: 42.92, rank 3 of 38." and ok.warnings == []
    pruned = settle("Shenzhen: 42.92. It grew 12.5%.", calls, [], succeeded=1)
    assert pruned.answer == "Shenzhen: 42.92." and "12.5%" in pruned.warnings[0]
    assert settle("It grew 12.5%.", calls, [], succeeded=1).answer is None  # nothing verified would remain
    assert settle("Shenzhen: 42.92.", calls, [], succeeded=0).answer is None  # no tool returned data
    assert settle('{"score": 42.92}', calls, [], succeeded=1).reason.endswith("raw JSON instead of an answer")
    assert settle("  ", calls, [], succeeded=1).reason == "the model gave no answer"
