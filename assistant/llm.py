"""LLM mode: a chat model calls the same read-only tools through LangChain tool calling.

Guards: a step limit, a stop on a repeated identical call, malformed calls answered
with an error message (never executed), and the number verifier: a mismatch gets one
regeneration with the error; numbers still unverified are removed with a warning.
"""
from __future__ import annotations

import json
import os
import re
from typing import Any, Callable

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage

from prompts import load as load_prompt

from . import AssistantError
from .envelope import Citation, Envelope, Number
from .planner import detect_language
from .tools import TOOLS, ToolRunner, result_json
from .verify import remove_claims, verify

MAX_STEPS = 8
MAX_REPEATS = 2


def make_model(spec: str):
    """``openai:<model>`` (OpenAI-compatible: vLLM, Qwen, DeepSeek via HARDTECH_LLM_BASE_URL / HARDTECH_LLM_API_KEY)
    or ``ollama:<model>`` (HARDTECH_LLM_BASE_URL optional)."""
    provider, _, model = spec.partition(":")
    if not model:
        raise AssistantError(f"Bad LLM spec {spec!r}", hint="Use openai:<model> or ollama:<model>, e.g. openai:qwen2.5-7b-instruct")
    base = os.environ.get("HARDTECH_LLM_BASE_URL") or None
    if provider == "openai":
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(model=model, base_url=base, api_key=os.environ.get("HARDTECH_LLM_API_KEY") or "EMPTY",
                          temperature=0, timeout=60, max_retries=1)
    if provider == "ollama":
        from langchain_ollama import ChatOllama

        return ChatOllama(model=model, base_url=base, temperature=0) if base else ChatOllama(model=model, temperature=0)
    raise AssistantError(f"Unknown LLM provider {provider!r}", hint="Use openai:<model> or ollama:<model>.")


class _Book:
    """Passages returned by search tools, numbered for citation as [n]."""

    def __init__(self) -> None:
        self.items: list[dict] = []

    def add(self, hit: dict) -> int:
        for i, h in enumerate(self.items, start=1):
            if h["source_file"] == hit["source_file"] and list(h["lines"]) == list(hit["lines"]):
                return i
        self.items.append(hit)
        return len(self.items)

    def citations(self, answer: str) -> list[Citation]:
        used = {int(n) for grp in re.findall(r"\[(\d+(?:\s*[,，]\s*\d+)*)\]", answer) for n in re.split(r"[,，]\s*", grp)}
        out = []
        for i, h in enumerate(self.items, start=1):
            if i in used:
                out.append(Citation(id=f"c{i}", source_file=h["source_file"], lines=(h["lines"][0], h["lines"][-1]),
                                    doc_title=h.get("doc_title") or "", section=h.get("section"), quote=(h.get("text") or "")[:400]))
        return out

    def sources(self) -> list[dict]:
        return [{"id": f"c{i}", "quote": h.get("text"), "text": [h.get("doc_title"), h.get("section")]} for i, h in enumerate(self.items, start=1)]


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in content)
    return str(content or "")


class _Session:
    def __init__(self, model, runner: ToolRunner, book: _Book, warnings: list[str]) -> None:
        self.runner, self.book, self.warnings = runner, book, warnings
        self.tools = self._lc_tools()
        self.bound = model.bind_tools(self.tools)
        self.model = model
        self.seen: dict[str, str] = {}
        self.steps = 0

    def _lc_tools(self) -> list:
        from langchain_core.tools import StructuredTool

        out = []
        for name, (_, schema, desc) in TOOLS.items():
            out.append(StructuredTool.from_function(func=lambda **kw: None, name=name, description=desc, args_schema=schema))
        return out

    def run_tool(self, name: str, args: dict) -> str:
        cid, res = self.runner.call(name, **(args or {}))
        if name == "search_passages" and "results" in res:
            for hit in res["results"]:
                hit["cite"] = self.book.add(hit)
        return result_json({"tool_call_id": cid, **res})

    def loop(self, msgs: list[BaseMessage], budget: int) -> str | None:
        """Invoke until the model answers without tool calls; None if the guard stopped it."""
        repeats = 0
        for _ in range(budget):
            self.steps += 1
            ai = self.bound.invoke(msgs)
            msgs.append(ai)
            calls = list(getattr(ai, "tool_calls", []) or [])
            bad = list(getattr(ai, "invalid_tool_calls", []) or [])
            if not calls and not bad:
                return _text(ai.content)
            for i, b in enumerate(bad):
                self.warnings.append(f"malformed tool call ignored: {b.get('name')!r}")
                msgs.append(ToolMessage(content=json.dumps({"error": {
                    "code": "malformed_tool_call", "message": f"Could not parse the call to {b.get('name')!r}: {b.get('error') or 'invalid JSON arguments'}",
                    "hint": "Call the tool again with valid JSON arguments matching its schema."}}),
                    tool_call_id=b.get("id") or f"invalid-{self.steps}-{i}"))
            for c in calls:
                key = f"{c['name']}:{json.dumps(c.get('args') or {}, sort_keys=True, ensure_ascii=False)}"
                if key in self.seen:
                    repeats += 1
                    msgs.append(ToolMessage(content=json.dumps({"error": {
                        "code": "repeated_call", "message": "Identical call already made; its result is above.",
                        "hint": "Do not repeat calls. Answer from the results you have."}}), tool_call_id=c.get("id") or key))
                    continue
                self.seen[key] = c.get("id") or key
                msgs.append(ToolMessage(content=self.run_tool(c["name"], c.get("args") or {}), tool_call_id=c.get("id") or key))
            if repeats >= MAX_REPEATS:
                self.warnings.append("loop guard: repeated identical tool calls; stopped")
                return None
        self.warnings.append(f"loop guard: step limit ({MAX_STEPS}) reached")
        return None

    def final(self, msgs: list[BaseMessage]) -> str | None:
        """One last call without tools, asking for the answer from what is there."""
        msgs.append(HumanMessage(content="Stop calling tools. Answer now, using only the tool results above."))
        try:
            ai = self.model.invoke(msgs)
        except Exception:
            return None
        text = _text(ai.content)
        return text if text.strip() and not getattr(ai, "tool_calls", None) else None


def answer_llm(question: str, history: list[dict], spec: Any, on_event: Callable[[str, dict], None] | None = None) -> Envelope:
    model = make_model(spec) if isinstance(spec, str) else spec
    lang = detect_language(question)
    runner = ToolRunner(on_event=on_event)
    book = _Book()
    warnings: list[str] = []
    s = _Session(model, runner, book, warnings)
    msgs: list[BaseMessage] = [SystemMessage(content=load_prompt("system"))]
    for turn in history:
        msgs.append(HumanMessage(content=turn["content"]) if turn["role"] == "user" else AIMessage(content=turn["content"]))
    msgs.append(HumanMessage(content=question))

    answer = s.loop(msgs, MAX_STEPS)
    if answer is None:
        answer = s.final(msgs)
    if answer is None or not answer.strip():
        # the model never produced an answer: fall back to the deterministic path, clearly marked
        from . import answer_offline

        env = answer_offline(question, history, on_event=on_event)
        env.warnings = warnings + ["the language model gave no usable answer; this is the offline answer"] + env.warnings
        return env

    rep = verify(answer, runner.calls, book.sources())
    if not rep.ok:
        warnings.append(f"regenerated: unverified numbers {rep.describe()}")
        msgs.append(HumanMessage(content=load_prompt("regenerate").format(unmatched=rep.describe())))
        second = s.loop(msgs, max(2, MAX_STEPS - s.steps))
        if second and second.strip():
            answer = second
        rep = verify(answer, runner.calls, book.sources())
        if not rep.ok:
            warnings.append(f"removed unverified numbers: {rep.describe()}")
            answer = remove_claims(answer, rep.unmatched)
            rep = verify(answer, runner.calls, book.sources())
    numbers = [Number(value=c.value, unit="%" if c.percent else None, label="stated in answer", source=rep.matched[i])
               for i, c in enumerate(rep.claims) if i in rep.matched]
    return Envelope(answer=answer, language=lang, mode="llm", numbers=numbers, citations=book.citations(answer),
                    tool_calls=runner.calls, chart=None, warnings=warnings)
