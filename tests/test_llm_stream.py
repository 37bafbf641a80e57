"""The streaming protocol of ``assistant.ask_stream`` (what the service's SSE routes and the
chat page relay): model tokens as produced, then a verification event that confirms the
streamed text or replaces it with a visible notice, then citations, chart, done."""
from __future__ import annotations

import re

from assistant import ask_stream
from tests.llm_server import llm_config, scripted_server, transcript  # noqa: F401 (fixtures)

SCORES_2020 = {"name": "scores", "arguments": {"edition": "hardtech-2020", "entity": "深圳"}}


def collect(question: str, **kw) -> tuple[list, str, dict, dict]:
    events = list(ask_stream(question, **kw))
    streamed = "".join(d["text"] for k, d in events if k == "token")
    return events, streamed, dict(events).get("verification", {}), events[-1][1]


def test_tokens_reach_the_caller_while_the_model_is_still_writing(scripted_server, llm_config):
    llm_config()
    answer = "深圳在 2020 城市硬科技指数中综合得分 42.92，排名第 3（共 38 个城市），属于第二梯队。"
    scripted_server.play([{"message": {"content": "", "tool_calls": [SCORES_2020]}},
                          {"message": {"content": answer}, "token_delay": 0.05}])
    stream = ask_stream("2020年深圳的综合得分是多少？")
    kind, data = next(stream)
    assert kind == "tool" and data["name"] == "scores"
    kind, data = next(stream)
    assert kind == "token" and scripted_server.script.streaming == 1  # the server has not finished the answer
    rest = list(stream)
    streamed = data["text"] + "".join(d["text"] for k, d in rest if k == "token")
    kinds = [k for k, _ in rest]
    assert streamed == answer and len([k for k in kinds if k == "token"]) > 5
    assert dict(rest)["verification"] == {"status": "confirmed", "answer": answer, "notice": None}
    assert kinds[-2:] == ["chart", "done"] and rest[-1][1]["chart"] == dict(rest)["chart"]
    assert rest[-1][1]["mode"] == "llm"


def test_an_unsupported_number_seen_streaming_is_replaced_with_a_notice(scripted_server, llm_config):
    t = transcript("answer_invented_number_en")
    llm_config()
    scripted_server.play(t["replies"])
    events, streamed, verification, done = collect(t["question"])
    assert "12.5%" in streamed  # the user saw it being written ...
    assert verification["status"] == "replaced" and "12.5" not in verification["answer"]  # ... and sees it go
    assert verification["notice"].startswith("The answer was checked against the data and corrected")
    assert done["answer"] == verification["answer"] and "42.92" in done["answer"]


def test_a_model_failure_after_streaming_switches_to_the_offline_answer(scripted_server, llm_config):
    t = transcript("fail_cut_off_zh")
    llm_config()
    scripted_server.play(t["replies"])
    events, streamed, verification, done = collect(t["question"])
    assert streamed.startswith("深圳2020年综合得分 42.92")
    assert verification["status"] == "replaced" and verification["notice"].startswith("语言模型的回答未能采用")
    assert done["mode"] == "offline" and "42.92" in done["answer"] and "[?]" not in done["answer"]


def test_the_models_notes_before_a_tool_call_are_dropped_visibly(scripted_server, llm_config):
    llm_config()
    scripted_server.play([{"message": {"content": "我来查询一下深圳的数据。", "tool_calls": [SCORES_2020]}},
                          {"message": {"content": "深圳2020年综合得分 42.92，排名第 3。"}}])
    events, streamed, verification, done = collect("2020年深圳的综合得分是多少？")
    assert streamed == "我来查询一下深圳的数据。深圳2020年综合得分 42.92，排名第 3。"
    assert verification["status"] == "replaced" and verification["answer"] == "深圳2020年综合得分 42.92，排名第 3。"
    assert verification["notice"].startswith("模型调用工具前的过程说明已移除")


def test_ollama_tokens_stream_too(scripted_server, llm_config):
    llm_config("ollama", "qwen2.5:7b")
    scripted_server.play([{"message": {"content": "", "tool_calls": [SCORES_2020]}},
                          {"message": {"content": "Shenzhen's composite score in 2020 is 42.92 (rank 3 of 38)."}}],
                         models=["qwen2.5:7b"])
    events, streamed, verification, done = collect("What is Shenzhen's composite score in 2020?")
    assert len([k for k, _ in events if k == "token"]) > 5 and verification["status"] == "confirmed"
    assert done["answer"] == streamed and done["mode"] == "llm"


def test_offline_answers_stream_after_verification_without_splitting_numbers():
    events, streamed, verification, done = collect("2020年深圳的综合得分是多少？")
    assert verification == {"status": "confirmed", "answer": done["answer"], "notice": None} and done["mode"] == "offline"
    assert streamed == done["answer"]
    pieces = [d["text"] for k, d in events if k == "token"]
    assert all(not (re.search(r"\d$", a) and re.match(r"[\d.]", b)) for a, b in zip(pieces, pieces[1:]))


def test_a_bad_question_is_one_error_event():
    assert list(ask_stream("   ")) == [("error", {"code": "invalid_question", "message": "The question is empty",
                                                   "hint": "Ask about a city's score, rank, tier, method… e.g. 深圳2019年排名第几？"})]
