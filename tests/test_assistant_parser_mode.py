"""Parser mode end to end: ``assistant.ask`` with a model (the scripted OpenAI-compatible HTTP
server, ``tests/llm_server``) that reads the question into a frame through structured output;
the deterministic answerer answers that frame from the tools, and every number in the answer is
verified. The numbers are the reports' own (file:line noted)."""
from __future__ import annotations

import json

import assistant
from assistant.verify import verify
from tests.llm_server import llm_config, scripted_server  # noqa: F401 (fixtures)


def frame_reply(draft: dict) -> dict:
    return {"message": {"content": json.dumps(draft, ensure_ascii=False)}}


def _verified(env) -> None:
    cites = [{"id": c.id, "quote": c.quote, "text": [c.doc_title, c.section]} for c in env.citations]
    report = verify(env.answer, env.tool_calls, cites)
    assert report.ok, report.describe()
    assert not [w for w in env.warnings if w.startswith("unverified")]
    sources = {t.id for t in env.tool_calls} | {c.id for c in env.citations}
    assert env.numbers and all(n.source in sources for n in env.numbers)


def test_a_model_filled_frame_is_answered_deterministically_with_verified_numbers(scripted_server, llm_config):
    llm_config(mode="parser")
    # the model reads a typo'd city and a dimension by its Chinese name; the answerer does the rest
    scripted_server.play([frame_reply({"language": "en", "operation": "why", "entities": ["Shenzhen"],
                                       "editions": ["hardtech-2019"], "edition_source": "year",
                                       "dimension": "创新基础", "polarity": "weak"})])
    env = assistant.ask("In 2019 why was Shenzen so weak on innovation base?")
    assert env.mode == "llm" and env.frame["frame"]["understood_by"] == "llm" and env.frame["route"] == "why"
    assert "3.93" in env.answer and "rank 34 of 36" in env.answer  # 001:1942 (表2: 1862)
    assert "64.34" in env.answer                                       # 001:1964, last of the 36
    assert {"explain", "facts"} <= {t.name for t in env.tool_calls}
    assert any(c.source_file.startswith("001_") for c in env.citations)
    _verified(env)
    assert scripted_server.chat_requests()[0].body["response_format"]["type"] == "json_schema"


def test_parser_mode_checks_the_models_premise_against_the_data(scripted_server, llm_config):
    llm_config(mode="parser")
    scripted_server.play([frame_reply({"language": "zh", "operation": "why", "entities": ["上海"],
                                       "editions": ["hardtech-2020"], "edition_source": "year", "polarity": "strong",
                                       "premises": [{"kind": "rank", "entity": "上海", "value": 1}]})])
    env = assistant.ask("为什么上海2020年排第一？")
    first = env.answer.split("\n\n")[0]
    assert "并不是第一" in first and "第 2 名" in first and "50.48" in first  # 000:2768
    _verified(env)


def test_parser_mode_follow_up_and_gap_are_answered_from_the_tools(scripted_server, llm_config):
    llm_config(mode="parser")
    scripted_server.play([frame_reply({"language": "en", "operation": "gap", "entities": ["Hangzhou", "Nanjing"],
                                       "editions": ["hardtech-2020"], "edition_source": "inherited", "aspect": "entity"})])
    history = [{"role": "user", "content": "Hangzhou's score in 2020?"},
               {"role": "assistant", "content": "Hangzhou scores 32.99 in the 2020 index."}]
    env = assistant.ask("and how far ahead of Nanjing is it?", history)
    assert env.answer.startswith("Hangzhou (杭州) is 4.98 points ahead of Nanjing (南京)")  # 32.99 - 28.01 (000:2778, 2782)
    assert "gap" in {t.name for t in env.tool_calls}
    _verified(env)


def test_an_unusable_frame_falls_back_to_the_offline_understanding(scripted_server, llm_config):
    llm_config(mode="parser")
    scripted_server.play([{"message": {"content": "Shenzhen ranks third."}}])
    env = assistant.ask("深圳2019年综合得分是多少？")
    assert env.frame["frame"].get("understood_by", "classifier") == "classifier" and "50.99" in env.answer  # 001:1942
    assert any("understood offline" in w for w in env.warnings)
    _verified(env)
