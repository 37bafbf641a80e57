"""Agent mode: the model calls the read-only tools and writes the answer; the floor
(:mod:`.floor`) decides what of it may be shown.

The loop is a generator: it yields ``("tool", …)`` as each call runs and ``("token", …)``
as the model writes prose, and returns an :class:`AgentResult`. Guards: a step limit, a
stop on repeated identical calls, unreadable or wrong calls answered with structured
errors (never executed), one regeneration when the verifier finds unsupported numbers.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Generator

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from index_core import api
from prompts import load as load_prompt
from prompts import render

from ..tools import ToolRunner
from ..verify import verify
from .client import Client, conversation
from .dialects import Turn, read_turn
from .errors import LLMFailure
from .floor import Verdict, settle
from .gate import TokenGate
from .toolbox import Toolbox, bad_call_error, langchain_tools, schemas

MAX_STEPS = 8
MAX_REPEATS = 2


@lru_cache(maxsize=1)
def system_prompt() -> str:
    """prompts/system.md with the editions as the core lists them."""
    lines = [f"- {e['id']}: {e['title_zh']} / {e['title_en']} ({e['edition_year']}; {e['entities']} {e['entity_kind']} entities; "
             f"dimensions: {', '.join(e['dimensions'])})" for e in api.list_editions()]
    return render("system", editions="\n".join(lines))


@dataclass
class AgentResult:
    verdict: Verdict
    toolbox: Toolbox
    warnings: list[str] = field(default_factory=list)


class Agent:
    def __init__(self, client: Client, runner: ToolRunner) -> None:
        self.client, self.runner = client, runner
        self.toolbox = Toolbox(runner)
        self.tools = langchain_tools()
        self.warnings: list[str] = []
        self.pending: list[tuple[str, dict]] = []
        runner.on_event = lambda kind, data: self.pending.append((kind, data))
        self.steps = 0

    # ------------------------------------------------------------------ one model turn
    def _turn(self, msgs: list[BaseMessage], *, tools: bool, stream: bool) -> Generator[tuple[str, dict], None, Turn]:
        gate = TokenGate()
        gen = self.client.stream(msgs, tools=self.tools if tools else None)
        while True:
            try:
                kind, data = next(gen)
            except StopIteration as stop:
                message = stop.value
                break
            if kind == "retry":
                self.warnings.append(f"retried once after: {data.describe()}")
                gate = TokenGate()
            elif stream:
                piece = gate.feed(data)
                if piece:
                    yield "token", {"text": piece}
        turn = read_turn(message)
        if not turn.calls and not turn.bad and stream:
            rest = gate.release(turn.text)
            if rest:
                yield "token", {"text": rest}
        note = f"tool calls read from the model's text ({turn.dialect} format)"
        if turn.dialect not in (None, "openai", "ollama") and note not in self.warnings:
            self.warnings.append(note)
        return turn

    def _answer_calls(self, msgs: list[BaseMessage], turn: Turn) -> Generator[tuple[str, dict], None, int]:
        """Run the turn's calls and append the conversation as the chat templates expect it: the
        assistant's calls (read from any dialect), then one tool reply per call, errors included.
        Returns how many calls were refused as repeats."""
        named = [b for b in turn.bad if b.name]
        msgs.append(AIMessage(
            content=turn.text if len(named) == len(turn.bad) else turn.raw,
            tool_calls=[{"id": c.id, "name": c.name, "args": c.args, "type": "tool_call"} for c in turn.calls],
            invalid_tool_calls=[{"id": b.id, "name": b.name, "args": b.raw, "error": b.error, "type": "invalid_tool_call"}
                                for b in named]))
        repeats = 0
        for call in turn.calls:
            reply, _ = self.toolbox.run(call)
            repeats += '"repeated_call"' in reply
            msgs.append(ToolMessage(content=reply, tool_call_id=call.id))
            yield from self._flush()
        for bad in turn.bad:
            self.warnings.append(f"unreadable tool call answered with an error: {bad.name or '?'} ({bad.error[:80]})")
            error = json.dumps(bad_call_error(bad), ensure_ascii=False)
            msgs.append(ToolMessage(content=error, tool_call_id=bad.id) if bad.name else HumanMessage(content=error))
        return repeats

    def _flush(self) -> Generator[tuple[str, dict], None, None]:
        events, self.pending = self.pending, []
        yield from events

    # ------------------------------------------------------------------ the loop
    def loop(self, msgs: list[BaseMessage], budget: int, *, stream: bool = True) -> Generator[tuple[str, dict], None, str | None]:
        """Call the model until it answers without tool calls; None if a guard stopped it."""
        repeats = 0
        for _ in range(budget):
            self.steps += 1
            try:
                turn = yield from self._turn(msgs, tools=True, stream=stream)
            except LLMFailure as failure:
                if failure.kind != "malformed_call":
                    raise
                self.warnings.append(f"unreadable tool call answered with an error ({failure.detail[:80]})")
                msgs.append(HumanMessage(content=render("malformed", error=failure.detail,
                                                        tools=json.dumps(schemas(), ensure_ascii=False))))
                continue
            if not turn.calls and not turn.bad:
                return turn.text
            repeats += yield from self._answer_calls(msgs, turn)
            if repeats >= MAX_REPEATS:
                self.warnings.append("loop guard: repeated identical tool calls; stopped")
                return None
        self.warnings.append(f"loop guard: step limit ({MAX_STEPS}) reached")
        return None

    def final(self, msgs: list[BaseMessage]) -> Generator[tuple[str, dict], None, str | None]:
        """One last turn without tools, asking for the answer from the results so far."""
        msgs.append(HumanMessage(content=load_prompt("final")))
        turn = yield from self._turn(msgs, tools=False, stream=True)
        return turn.text if turn.text.strip() and not turn.calls and not turn.bad else None

    def run(self, question: str, history: list[dict]) -> Generator[tuple[str, dict], None, AgentResult]:
        """Raises :class:`LLMFailure` when the endpoint fails (after the client's one retry)."""
        msgs = conversation(system_prompt(), history, question)
        answer = yield from self.loop(msgs, MAX_STEPS)
        if answer is None:
            answer = yield from self.final(msgs)
        answer = answer or ""
        rep = verify(answer, self.runner.calls, self.toolbox.book.sources())
        if answer and not rep.ok and self.toolbox.succeeded:
            self.warnings.append(f"asked the model again: numbers no tool result supports {rep.describe()}")
            msgs.append(HumanMessage(content=render("regenerate", unmatched=rep.describe())))
            second = yield from self.loop(msgs, max(2, MAX_STEPS - self.steps), stream=False)
            answer = second if second and second.strip() else answer
        verdict = settle(answer, self.runner.calls, self.toolbox.book.sources(), succeeded=self.toolbox.succeeded)
        return AgentResult(verdict, self.toolbox, self.warnings + verdict.warnings)
