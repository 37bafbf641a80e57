"""Every tool-call dialect and every upstream failure, over real HTTP: the scripted server
replays a transcript (tests/llm_server/transcripts/*.json) to the product's real clients,
and each test checks what the user sees."""
from __future__ import annotations

import json

import pytest

from assistant import ask, ask_stream
from tests.llm_server import llm_config, scripted_server, transcript, transcripts  # noqa: F401 (fixtures)

RAW_CALL_MARKS = ("<tool_call>", '"arguments"', '"parameters"', "```", "<think>")


def assert_user_view(env, expect: dict) -> None:
    """What a user sees: the right numbers, due warnings, no holes, no raw JSON, no traceback."""
    answer = env.answer
    assert "[?]" not in answer
    assert "Traceback" not in answer and not any("Traceback" in w for w in env.warnings)
    assert not any(mark in answer for mark in RAW_CALL_MARKS), answer
    assert not answer.lstrip().startswith(("{", "[")), answer
    for text in expect.get("contains", []):
        assert text in answer, (text, answer)
    for text in expect.get("absent", []):
        assert text not in answer, (text, answer)
    assert env.mode == expect["mode"], (env.mode, env.warnings)
    for text in expect.get("warnings", []):
        assert any(text in w for w in env.warnings), (text, env.warnings)
    if expect.get("no_warnings"):
        assert env.warnings == []
    if "tools" in expect:
        assert [t.name for t in env.tool_calls] == expect["tools"]
    if "chart" in expect:
        assert env.chart and env.chart["type"] == expect["chart"]
        assert all(v is not None for s in env.chart["series"] for v in s["values"])


def play(name: str, server, configure) -> dict:
    t = transcript(name)
    configure(t.get("provider", "openai"), t["model"], **t.get("settings", {}))
    server.play(t["replies"], models=t.get("served", [t["model"]]))
    return t


@pytest.mark.parametrize("name", transcripts())
def test_transcript(name, scripted_server, llm_config):
    t = play(name, scripted_server, llm_config)
    env = ask(t["question"], t.get("history"))
    assert_user_view(env, t["expect"])
    assert scripted_server.unused == [] and scripted_server.script.overrun == 0, "the script was not followed"


@pytest.mark.parametrize("name", ["dialect_openai_zh", "dialect_hermes_zh", "wrong_never_fixed_zh", "fail_500_twice_zh"])
def test_transcript_streamed(name, scripted_server, llm_config):
    """The same transcripts through ask_stream: the events end with the same verified answer,
    and no tool-call markup is ever streamed."""
    t = play(name, scripted_server, llm_config)
    events = list(ask_stream(t["question"], t.get("history")))
    kinds = [k for k, _ in events]
    assert kinds[-1] == "done" and "error" not in kinds
    assert kinds.index("verification") < kinds.index("done")
    streamed = "".join(d["text"] for k, d in events if k == "token")
    assert not any(mark in streamed for mark in RAW_CALL_MARKS), streamed
    verification = dict(events)["verification"]
    done = events[-1][1]
    assert verification["answer"] == done["answer"]
    if verification["status"] == "confirmed":
        assert streamed == done["answer"]
    else:
        assert verification["notice"]
    for text in t["expect"].get("contains", []):
        assert text in done["answer"]


def test_structured_errors_reach_the_model(scripted_server, llm_config):
    """The error replies name the problem, the tools and their schemas (so the model can retry)."""
    play("wrong_broken_json_unknown_tool_zh", scripted_server, llm_config)
    ask(transcript("wrong_broken_json_unknown_tool_zh")["question"])
    sent = [m for m in scripted_server.chat_requests()[-1].body["messages"] if m["role"] == "tool"]
    broken, unknown = (json.loads(m["content"])["error"] for m in sent[:2])
    assert broken["code"] == "malformed_tool_call" and "scores" in broken["tools"]
    assert unknown["code"] == "unknown_tool" and set(unknown["tools"]) >= {"scores", "ranking", "compare"}
    assert unknown["tools"]["scores"]["parameters"]["required"] == ["edition", "entity"]


def test_did_you_mean_for_edition_and_entity(scripted_server, llm_config):
    play("wrong_edition_and_entity_zh", scripted_server, llm_config)
    ask(transcript("wrong_edition_and_entity_zh")["question"])
    tool_msgs = [m for m in scripted_server.chat_requests()[-1].body["messages"] if m["role"] == "tool"]
    edition_err, entity_err = (json.loads(m["content"])["error"] for m in tool_msgs[:2])
    assert "hardtech-2019" in edition_err["did_you_mean"] and "scores" in edition_err["schema"]
    assert edition_err["code"] == "invalid_arguments"
    assert entity_err["did_you_mean"][0] == "深圳"


def test_parallel_calls_each_get_their_result(scripted_server, llm_config):
    play("dialect_openai_parallel_en", scripted_server, llm_config)
    ask(transcript("dialect_openai_parallel_en")["question"])
    second = scripted_server.chat_requests()[1].body["messages"]
    calls = next(m for m in second if m["role"] == "assistant")["tool_calls"]
    replies = {m["tool_call_id"]: m["content"] for m in second if m["role"] == "tool"}
    assert [c["id"] for c in calls] == list(replies)
    assert "42.92" in replies[calls[0]["id"]] and "32.99" in replies[calls[1]["id"]]


def test_content_dialect_calls_go_back_as_proper_tool_messages(scripted_server, llm_config):
    """A call read from the text is sent back as an assistant tool call plus a tool result,
    the shape chat templates (Qwen's, Llama's) render as a tool turn."""
    play("dialect_hermes_zh", scripted_server, llm_config)
    ask(transcript("dialect_hermes_zh")["question"])
    second = scripted_server.chat_requests()[1].body["messages"]
    assistant_turn = next(m for m in second if m["role"] == "assistant")
    assert assistant_turn["tool_calls"][0]["function"]["name"] == "ranking"
    assert not assistant_turn.get("content")
    assert any(m["role"] == "tool" and "84.04" in m["content"] for m in second)


@pytest.mark.parametrize("name", ["dialect_bare_json_en", "dialect_hermes_zh", "dialect_openai_zh"])
def test_llm_answers_draw_the_offline_answers_charts(name, scripted_server, llm_config):
    """Same kind, labels and values as the offline answer's chart for the same question; the
    offline answer may add context series (the median, the leader) from tools the model did not call."""
    from assistant import answer_offline

    t = play(name, scripted_server, llm_config)
    llm_chart = ask(t["question"]).chart
    offline_chart = answer_offline(t["question"]).chart
    assert llm_chart["type"] == offline_chart["type"] and llm_chart["labels"] == offline_chart["labels"]
    llm_values = [s["values"] for s in llm_chart["series"]]
    assert llm_values == [s["values"] for s in offline_chart["series"]][:len(llm_values)]
