"""LLM mode with a fake chat model that emits real tool calls (no network)."""
from __future__ import annotations


import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage


from assistant import AssistantError, ask, ask_stream  # noqa: E402
from assistant import llm as llm_mode  # noqa: E402


class FakeToolModel(GenericFakeChatModel):
    """GenericFakeChatModel whose bind_tools records the tools and returns itself."""

    bound_tools: list = []
    seen: list = []

    def bind_tools(self, tools, **kwargs):
        self.bound_tools = [t.name for t in tools]
        return self

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        self.seen.append(list(messages))
        return super()._generate(messages, stop=stop, run_manager=run_manager, **kwargs)


def call(name, args, cid):
    return {"name": name, "args": args, "id": cid, "type": "tool_call"}


def fake(*messages):
    return FakeToolModel(messages=iter(list(messages)), seen=[])


def test_tool_loop_answer_and_citations():
    m = fake(
        AIMessage(content="", tool_calls=[call("scores", {"edition": "hardtech-2019", "entity": "Shenzhen"}, "a1")]),
        AIMessage(content="", tool_calls=[call("search_passages", {"query": "深圳 创新基础 在校学生", "edition": "hardtech-2019"}, "a2")]),
        AIMessage(content="In hardtech-2019 Shenzhen scores 3.93 on 创新基础 (rank 34 of 36); composite 50.99 [1]."),
    )
    env = ask("why is Shenzhen weak on innovation base?", llm=m)
    assert env.mode == "llm" and env.language == "en"
    assert [t.name for t in env.tool_calls] == ["scores", "search_passages"]
    assert env.tool_calls[0].args == {"edition": "hardtech-2019", "entity": "Shenzhen"}
    assert "scores" in m.bound_tools and "search_passages" in m.bound_tools
    assert env.citations and env.citations[0].source_file == "001_2d381f25c7fc5f5d.txt"
    assert {n.value for n in env.numbers} >= {3.93, 34, 36, 50.99}
    assert env.warnings == []
    # the tool result went back to the model as a ToolMessage tagged with the call id
    last = m.seen[-1]
    assert any(getattr(x, "tool_call_id", None) == "a1" and "3.93" in x.content for x in last)


def test_verifier_catches_invented_number_and_regenerates():
    m = fake(
        AIMessage(content="", tool_calls=[call("scores", {"edition": "hardtech-2020", "entity": "深圳"}, "a1")]),
        AIMessage(content="深圳2020年综合得分 99.10，排名第 1。"),
        AIMessage(content="深圳2020年综合得分 42.92，排名第 3。"),
    )
    env = ask("深圳2020年得分？", llm=m)
    assert "42.92" in env.answer and "99.10" not in env.answer
    assert any(w.startswith("regenerated") for w in env.warnings)
    regen_prompt = m.seen[-1][-1].content
    assert "99.10" in regen_prompt


def test_persistent_invented_number_is_removed_with_warning():
    m = fake(
        AIMessage(content="", tool_calls=[call("scores", {"edition": "hardtech-2020", "entity": "深圳"}, "a1")]),
        AIMessage(content="Shenzhen scores 42.92, and 77.77 on a secret dimension."),
        AIMessage(content="Shenzhen scores 42.92, and 77.77 on a secret dimension."),
    )
    env = ask("Shenzhen 2020 score?", llm=m)
    assert "77.77" not in env.answer and "42.92" in env.answer
    assert any(w.startswith("removed unverified numbers") for w in env.warnings)


def test_loop_guard_stops_repeated_identical_calls():
    same = {"edition": "hardtech-2020", "entity": "深圳"}
    m = fake(*[AIMessage(content="", tool_calls=[call("scores", same, f"a{i}")]) for i in range(3)],
             AIMessage(content="Shenzhen: 42.92."))
    env = ask("Shenzhen 2020 score?", llm=m)
    assert [t.name for t in env.tool_calls] == ["scores"]  # executed once, then stopped after 2 repeats
    assert any("loop guard: repeated" in w for w in env.warnings)
    assert env.answer == "Shenzhen: 42.92."  # the final no-tools turn
    assert "Stop calling tools" in m.seen[-1][-1].content


def test_step_limit_then_offline_fallback():
    calls = [AIMessage(content="", tool_calls=[call("ranking", {"edition": "hardtech-2020", "top": i + 1}, f"a{i}")]) for i in range(20)]
    m = fake(*calls)
    env = ask("Top cities in 2020?", llm=m)
    assert any("step limit" in w for w in env.warnings)
    assert len([t for t in env.tool_calls if t.name == "ranking"]) >= 1
    assert "84.04" in env.answer  # the offline answer, clearly marked
    assert any("offline answer" in w for w in env.warnings)


def test_malformed_tool_calls_are_reported_not_executed():
    bad = AIMessage(content="", invalid_tool_calls=[{"name": "scores", "args": "{edition: hardtech-2019", "id": "b1",
                                                     "error": "bad JSON", "type": "invalid_tool_call"}])
    wrong_args = AIMessage(content="", tool_calls=[call("scores", {"edition": "hardtech-2099", "entity": "深圳"}, "b2")])
    m = fake(bad, wrong_args,
             AIMessage(content="", tool_calls=[call("scores", {"edition": "hardtech-2019", "entity": "深圳"}, "b3")]),
             AIMessage(content="深圳 2019 年综合得分 50.99，第 3 名。"))
    env = ask("深圳2019年得分", llm=m)
    assert any("malformed tool call" in w for w in env.warnings)
    names = [(t.name, t.args.get("edition")) for t in env.tool_calls]
    assert names == [("scores", "hardtech-2099"), ("scores", "hardtech-2019")]
    assert env.tool_calls[0].result["error"]["code"] == "invalid_arguments"
    msgs = m.seen[1]
    assert any(getattr(x, "tool_call_id", None) == "b1" and "malformed_tool_call" in x.content for x in msgs)
    assert "50.99" in env.answer and env.mode == "llm"


def test_stream_in_llm_mode():
    m = fake(AIMessage(content="", tool_calls=[call("tiers", {"edition": "hardtech-2020"}, "a1")]),
             AIMessage(content="Second tier 2020: 上海, 深圳."))
    events = list(ask_stream("2020 second tier?", llm=m))
    assert events[0] == ("tool", {"id": "t1", "name": "tiers", "args": {"edition": "hardtech-2020"}})
    assert events[-1][0] == "done" and events[-1][1]["mode"] == "llm"


def test_model_spec_errors(monkeypatch):
    with pytest.raises(AssistantError):
        llm_mode.make_model("nonsense")
    with pytest.raises(AssistantError):
        llm_mode.make_model("acme:model")
    monkeypatch.setenv("HARDTECH_LLM", "acme:model")
    with pytest.raises(AssistantError):
        ask("深圳得分")


def test_openai_spec_builds_a_client(monkeypatch):
    monkeypatch.setenv("HARDTECH_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    model = llm_mode.make_model("openai:qwen2.5-7b-instruct")
    assert model.model_name == "qwen2.5-7b-instruct"
    from assistant.tools import ToolRunner, langchain_tools

    bound = model.bind_tools(langchain_tools(ToolRunner()))  # the real class binds the tools' schemas
    names = [t["function"]["name"] for t in bound.kwargs["tools"]]
    assert "scores" in names and "search_passages" in names
