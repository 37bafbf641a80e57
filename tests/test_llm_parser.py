"""Parser mode: the model fills the question frame through structured output, over HTTP
against the scripted server; every name is checked against the registry and the specs."""
from __future__ import annotations

import json

import pytest

from assistant.llm import Client, parse_frame, run_parser
from assistant.llm.parser import parse
from assistant.offline.frame import Frame
from tests.llm_server import llm_config, scripted_server  # noqa: F401 (fixtures)


def frame_reply(draft: dict, wrap: str = "{}") -> dict:
    return {"message": {"content": wrap.replace("{}", json.dumps(draft, ensure_ascii=False), 1)}}


def offline_stub(calls: list):
    """Stands in for the offline understanding: records that it was asked, answers a fixed frame."""
    def understand(question, history):
        calls.append((question, history))
        return Frame(question=question, language="zh", operation="lookup", entities=("深圳",))
    return understand


def fail(*args):  # the fallback must not be needed
    raise AssertionError("fell back to the offline understanding")


def test_frame_with_canonical_names_and_llm_links(scripted_server, llm_config):
    llm_config(mode="parser")
    scripted_server.play([frame_reply({"language": "en", "operation": "why", "entities": ["Shenzen"],
                                       "editions": ["hardtech-2019"], "edition_source": "dimension",
                                       "dimension": "innovation_base", "polarity": "weak"})])
    frame = parse_frame("why is Shenzen so weak on innovation base?", fallback=fail)
    assert frame.operation == "why" and frame.polarity == "weak" and frame.understood_by == "llm"
    assert frame.editions == ("hardtech-2019",) and frame.dimension == "innovation_base"
    # "Shenzen" is a typo the registry does not resolve by itself: unresolved, with the suggestion
    assert frame.entities == ()
    link = next(lk for lk in frame.links if lk.kind == "entity")
    assert (link.surface, link.target, link.method, link.suggestions[0]) == ("Shenzen", None, "llm", "深圳")
    body = scripted_server.chat_requests()[0].body
    assert body["response_format"]["type"] == "json_schema"
    assert "operation" in body["response_format"]["json_schema"]["schema"]["properties"]


def test_names_resolve_from_any_spelling_and_dimension_implies_the_edition(scripted_server, llm_config):
    llm_config(mode="parser")
    scripted_server.play([frame_reply({"language": "zh", "operation": "rank", "entities": [], "editions": [],
                                       "dimension": "创新基础", "n": 3, "direction": "bottom"}, wrap="```json\n{}\n```")])
    frame = parse_frame("创新基础倒数三名是哪些城市？", fallback=fail)
    assert frame.dimension == "innovation_base" and frame.editions == ("hardtech-2019",)
    assert frame.edition_source == "dimension" and frame.n == 3 and frame.direction == "bottom"
    assert any(lk.kind == "dimension" and lk.surface == "创新基础" and lk.target == "innovation_base" for lk in frame.links)


def test_unknown_edition_and_premises_about_unknown_names_are_dropped(scripted_server, llm_config):
    llm_config(mode="parser")
    scripted_server.play([frame_reply({"language": "en", "operation": "lookup", "entities": ["Shenzhen", "Atlantis"],
                                       "editions": ["hardtech-2024"], "year": 2024, "aspect": "score",
                                       "premises": [{"kind": "edition_year", "value": 2024},
                                                    {"kind": "rank", "entity": "Atlantis", "value": 1}]},
                                      wrap="<think>\nThe user asks about 2024.\n</think>\n{}")])
    frame = parse_frame("What was Shenzhen's score in the 2024 edition?", fallback=fail)
    assert frame.entities == ("深圳",) and frame.editions == () and frame.year == 2024
    assert [p.kind for p in frame.premises] == ["edition_year"]
    unresolved = {lk.surface: lk for lk in frame.unresolved}
    assert set(unresolved) == {"Atlantis", "hardtech-2024"}
    assert "hardtech-2020" in unresolved["hardtech-2024"].suggestions


def test_follow_up_history_goes_to_the_model(scripted_server, llm_config):
    llm_config(mode="parser")
    scripted_server.play([frame_reply({"language": "zh", "operation": "why", "entities": ["深圳"],
                                       "editions": ["hardtech-2019"], "edition_source": "inherited",
                                       "dimension": "innovation_input", "polarity": "weak"})])
    history = [{"role": "user", "content": "深圳的创新基础为什么弱？"}, {"role": "assistant", "content": "深圳创新基础得分 3.93。"}]
    frame = parse_frame("那创新投入呢？", history, fallback=fail)
    assert frame.entities == ("深圳",) and frame.dimension == "innovation_input"
    sent = scripted_server.chat_requests()[0].body["messages"]
    assert [m["role"] for m in sent] == ["system", "user", "assistant", "user"] and sent[-1]["content"] == "那创新投入呢？"
    assert "hardtech-2020" in sent[0]["content"]  # the catalogue comes from the specs


@pytest.mark.parametrize("reply,why", [
    ({"message": {"content": "深圳2019年综合得分是50.99。"}}, "did not match the schema"),
    ({"message": {"content": '{"language": "zh", "operation": "forecast"}'}}, "did not match the schema"),
    ({"error": {"status": 401, "body": {"error": {"message": "invalid key"}}}}, "API key"),
])
def test_any_failure_falls_back_to_the_offline_understanding(scripted_server, llm_config, reply, why):
    llm_config(mode="parser")
    scripted_server.play([reply])
    calls: list = []
    frame, warnings = parse("深圳2019年综合得分是多少？", [], Client.for_spec("openai:qwen2.5-7b-instruct"),
                            fallback=offline_stub(calls))
    assert calls == [("深圳2019年综合得分是多少？", [])] and frame.understood_by == "classifier"
    assert any(why in w and "understood offline" in w for w in warnings)


def test_server_errors_are_retried_once_then_fall_back(scripted_server, llm_config):
    llm_config(mode="parser")
    err = {"error": {"status": 502, "body": {"error": {"message": "Bad Gateway"}}}}
    scripted_server.play([err, err])
    calls: list = []
    frame = parse_frame("深圳2019年综合得分是多少？", fallback=offline_stub(calls))
    assert calls and frame.entities == ("深圳",) and len(scripted_server.chat_requests()) == 2


def test_ollama_structured_output_uses_its_format_parameter(scripted_server, llm_config):
    llm_config("ollama", "qwen2.5:7b", mode="parser")
    scripted_server.play([frame_reply({"language": "zh", "operation": "tier", "editions": ["hardtech-2020"],
                                       "edition_source": "year", "tier": 2})], models=["qwen2.5:7b"])
    frame = parse_frame("2020年第二梯队有哪些城市？", fallback=fail)
    assert frame.operation == "tier" and frame.tier == 2 and frame.editions == ("hardtech-2020",)
    body = scripted_server.chat_requests()[0].body
    assert body["format"]["properties"]["operation"]["enum"][0] == "lookup" and not body.get("tools")


def test_run_parser_answers_the_models_frame_deterministically(scripted_server, llm_config):
    from assistant.envelope import Envelope
    from index_core import api

    llm_config(mode="parser")
    scripted_server.play([frame_reply({"language": "en", "operation": "lookup", "entities": ["Hangzhou"],
                                       "editions": ["hardtech-2020"], "aspect": "rank"})])

    def answer_frame(frame, on_event):
        row = api.entity_scores(frame.editions[0], frame.entities[0])
        on_event("tool", {"id": "t1", "name": "scores", "args": {}})
        return Envelope(answer=f"Hangzhou ranks {row['rank']}.", language="en", mode="offline")

    gen = run_parser("What rank did Hangzhou get in 2020?", [], Client.for_spec("openai:qwen2.5-7b-instruct"),
                     understand=fail, answer_frame=answer_frame)
    events = []
    while True:
        try:
            events.append(next(gen))
        except StopIteration as stop:
            env, notice = stop.value
            break
    assert events == [("tool", {"id": "t1", "name": "scores", "args": {}})]
    assert env.answer == "Hangzhou ranks 7." and env.mode == "llm" and notice is None
