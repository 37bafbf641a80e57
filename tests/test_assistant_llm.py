"""LLM mode through the Python API, against the scripted OpenAI-compatible server over HTTP:
the agent loop's guards, citations, regeneration, mode dispatch and configuration errors.
(Dialects and upstream failures: tests/test_llm_transcripts.py.)"""
from __future__ import annotations

import pytest

from assistant import AssistantError, ask
from assistant.envelope import Envelope
from assistant.llm import Endpoint
from tests.llm_server import llm_config, scripted_server  # noqa: F401 (fixtures)


def call(name, **args):
    return {"name": name, "arguments": args}


def tools_reply(*calls):
    return {"message": {"content": "", "tool_calls": list(calls)}}


def say(text):
    return {"message": {"content": text}}


def test_tool_loop_answer_and_citations(scripted_server, llm_config):
    llm_config()
    scripted_server.play([
        tools_reply(call("scores", edition="hardtech-2019", entity="Shenzhen")),
        tools_reply(call("search_passages", query="深圳 创新基础 在校学生", edition="hardtech-2019")),
        say("In hardtech-2019 Shenzhen scores 3.93 on 创新基础 (rank 34 of 36); composite 50.99 [1]."),
    ])
    env = ask("why is Shenzhen weak on innovation base?")
    assert env.mode == "llm" and env.language == "en"
    assert [t.name for t in env.tool_calls] == ["scores", "search_passages"]
    assert env.tool_calls[0].args == {"edition": "hardtech-2019", "entity": "Shenzhen"}
    assert env.citations and env.citations[0].source_file == "001_2d381f25c7fc5f5d.txt"
    assert {n.value for n in env.numbers} >= {3.93, 34, 36, 50.99}
    assert env.warnings == []
    first = scripted_server.chat_requests()[0].body
    assert {t["function"]["name"] for t in first["tools"]} >= {"scores", "search_passages", "ranking"}
    assert first["stream"] is True
    # the tool result went back to the model tagged with the call's id
    second = scripted_server.chat_requests()[1].body["messages"]
    call_id = second[-2]["tool_calls"][0]["id"]
    assert second[-1]["role"] == "tool" and second[-1]["tool_call_id"] == call_id and "3.93" in second[-1]["content"]


def test_verifier_catches_invented_number_and_regenerates(scripted_server, llm_config):
    llm_config()
    scripted_server.play([
        tools_reply(call("scores", edition="hardtech-2020", entity="深圳")),
        say("深圳2020年综合得分 99.10，排名第 1。"),
        say("深圳2020年综合得分 42.92，排名第 3。"),
    ])
    env = ask("深圳2020年得分？")
    assert "42.92" in env.answer and "99.10" not in env.answer and env.mode == "llm"
    assert any(w.startswith("asked the model again") for w in env.warnings)
    regen_prompt = scripted_server.chat_requests()[-1].body["messages"][-1]["content"]
    assert "99.10" in regen_prompt


def test_loop_guard_stops_repeated_identical_calls(scripted_server, llm_config):
    llm_config()
    same = call("scores", edition="hardtech-2020", entity="深圳")
    scripted_server.play([tools_reply(same), tools_reply(same), tools_reply(same), say("Shenzhen: 42.92.")])
    env = ask("Shenzhen 2020 score?")
    assert [t.name for t in env.tool_calls] == ["scores"]  # executed once, refused twice, then stopped
    assert any("loop guard: repeated" in w for w in env.warnings)
    assert env.answer == "Shenzhen: 42.92."  # the final turn, without tools
    last = scripted_server.chat_requests()[-1].body
    assert "tools" not in last and "Stop calling tools" in last["messages"][-1]["content"]


def test_step_limit_then_offline_fallback(scripted_server, llm_config):
    llm_config()
    steps = [tools_reply(call("ranking", edition="hardtech-2020", top=i + 1)) for i in range(8)]
    scripted_server.play(steps + [say('{"name": "ranking", "arguments": {"edition": "hardtech-2020", "top": 9}}')])
    env = ask("Top cities in 2020?")
    assert any("step limit" in w for w in env.warnings)
    assert env.mode == "offline" and "84.04" in env.answer  # the offline answer, clearly marked
    assert any("offline answer" in w for w in env.warnings)
    assert scripted_server.unused == []


def test_mode_argument_overrides_the_setting(scripted_server, llm_config, monkeypatch):
    """Parser mode dispatches to the frame pipeline: the model's frame, answered deterministically."""
    import assistant
    from index_core import api

    llm_config(mode="agent")
    answered = []

    def answer_frame(frame, on_event):
        answered.append(frame)
        row = api.entity_scores(frame.editions[0], frame.entities[0])
        return Envelope(answer=f"{frame.entities[0]}: {row['composite']}", language=frame.language, mode="offline")

    monkeypatch.setattr(assistant, "_frame_pipeline", lambda: {"understand": None, "answer_frame": answer_frame})
    scripted_server.play([say('{"language": "en", "operation": "lookup", "entities": ["Shenzhen"], '
                              '"editions": ["hardtech-2020"], "aspect": "score"}')])
    env = ask("Shenzhen's 2020 score?", mode="parser")
    assert env.answer == "深圳: 42.92" and env.mode == "llm" and env.warnings == []
    assert answered[0].understood_by == "llm" and answered[0].entities == ("深圳",)
    assert "response_format" in scripted_server.chat_requests()[0].body and "tools" not in scripted_server.chat_requests()[0].body


def test_model_spec_errors(llm_config):
    with pytest.raises(AssistantError, match="openai:<model>"):
        ask("深圳得分", llm="nonsense")
    with pytest.raises(AssistantError):
        ask("深圳得分", llm="acme:model", mode="agent")
    llm_config(model="x")
    import os

    os.environ["HARDTECH_LLM"] = "acme:model"
    from hardtech.settings import reload_settings

    reload_settings()
    with pytest.raises(AssistantError):
        ask("深圳得分", mode="agent")


def test_endpoint_builds_clients_from_the_settings(llm_config):
    from langchain_ollama import ChatOllama
    from langchain_openai import ChatOpenAI

    llm_config(base_url="http://127.0.0.1:9/v1", llm_api_key="sk-secret", llm_timeout="7")
    ep = Endpoint.from_spec("openai:qwen2.5-7b-instruct")
    model = ep.chat_model()
    assert isinstance(model, ChatOpenAI) and model.model_name == "qwen2.5-7b-instruct"
    assert model.openai_api_base == "http://127.0.0.1:9/v1" and model.request_timeout == 7 and model.max_retries == 0
    assert "sk-secret" not in repr(ep) and "sk-secret" not in ep.describe()
    ollama = Endpoint.from_spec("ollama:qwen2.5:7b").chat_model()
    assert isinstance(ollama, ChatOllama) and ollama.model == "qwen2.5:7b" and ollama.base_url == "http://127.0.0.1:9/v1"
