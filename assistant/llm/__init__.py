"""LLM mode: a model behind an OpenAI-compatible or Ollama endpoint, used two ways.

* **parser** (default, ``HARDTECH_LLM_MODE=parser``): the model reads the question into a
  :class:`~assistant.offline.frame.Frame` (:func:`parse_frame`); the deterministic answerer
  writes the verified answer (:func:`run_parser`).
* **agent**: the model calls the tools and writes the answer, which streams to the user as
  produced and is then verified (:func:`run_agent`).

Both degrade, never crash: an endpoint that fails (after one retry, behind a circuit
breaker) or an answer the data does not support gives the offline answer, with a warning.
:func:`health` is the status ``/readyz`` shows; ``hardtech llm check`` is :mod:`.check`.

The pipelines are generators: they yield ``("tool", …)`` and ``("token", …)`` events and
return ``(envelope, notice)``, where ``notice`` (or None) tells the user why text they saw
streaming was replaced.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Generator

import yaml

from ..envelope import Envelope, Number
from ..offline.frame import Frame
from ..tools import ToolRunner
from .breaker import reset_breakers
from .charts import chart_for
from .check import health
from .client import Client, Endpoint, LLMConfigError
from .errors import LLMFailure
from .parser import Understand, _language, parse

__all__ = ["run_agent", "run_parser", "parse_frame", "health", "notice", "reset_breakers", "Client", "Endpoint",
           "LLMConfigError", "LLMFailure"]

Events = Generator[tuple[str, dict], None, tuple[Envelope, "str | None"]]
Offline = Callable[..., Envelope]  # assistant.answer_offline(question, history, on_event=...)
AnswerFrame = Callable[[Frame, Callable[[str, dict], None] | None], Envelope]


@lru_cache(maxsize=1)
def _notices() -> dict:
    return yaml.safe_load((Path(__file__).with_name("notices.yaml")).read_text(encoding="utf-8"))


def notice(kind: str, lang: str, reason: str) -> str:
    return _notices()[kind][lang].replace("{reason}", reason)


def _offline(question: str, history: list[dict], offline: Offline, reason: str, warnings: list[str]) -> Events:
    """The offline answer instead, saying why."""
    events: list[tuple[str, dict]] = []
    env = offline(question, history, on_event=lambda kind, data: events.append((kind, data)))
    yield from events
    env.warnings = warnings + [f"the language model's answer could not be used ({reason}); this is the offline answer"] \
        + env.warnings
    return env, notice("fallback", env.language, reason)


def run_agent(question: str, history: list[dict], client: Client, *, offline: Offline) -> Events:
    """Agent mode (see the module docstring); ``offline`` answers when the model cannot."""
    from .agent import Agent

    lang = _language(question)
    runner = ToolRunner()
    agent = Agent(client, runner)
    try:
        result = yield from agent.run(question, history)
    except LLMFailure as failure:
        return (yield from _offline(question, history, offline, failure.describe(), agent.warnings))
    verdict = result.verdict
    if verdict.answer is None:
        return (yield from _offline(question, history, offline, verdict.reason or "no answer", result.warnings))
    numbers = [Number(value=c.value, unit="%" if c.percent else None, label="stated in answer", source=verdict.matched[i])
               for i, c in enumerate(verdict.claims) if i in verdict.matched]
    env = Envelope(answer=verdict.answer, language=lang, mode="llm", numbers=numbers,
                   citations=result.toolbox.book.citations(verdict.answer), tool_calls=runner.calls,
                   chart=chart_for(runner.calls, lang), warnings=result.warnings)
    fixed = "; ".join(verdict.warnings)
    return env, (notice("corrected", lang, fixed) if fixed else None)


def run_parser(question: str, history: list[dict], client: Client, *, understand: Understand,
               answer_frame: AnswerFrame) -> Events:
    """Parser mode: the model's frame (or ``understand``'s, when the model fails), answered by
    ``answer_frame`` (the deterministic answerer). Nothing unverified streams, so no notice."""
    frame, warnings = parse(question, history, client, fallback=understand)
    events: list[tuple[str, dict]] = []
    env = answer_frame(frame, lambda kind, data: events.append((kind, data)))
    yield from events
    if frame.understood_by == "llm":
        env.mode = "llm"
    env.warnings = warnings + env.warnings
    return env, None


def parse_frame(question: str, history: list[dict] | None = None, *, llm: Any = None,
                fallback: Understand | None = None) -> Frame:
    """The question as a frame, read by the model (``llm`` or ``HARDTECH_LLM``); the offline
    understanding's frame (``fallback``, default :mod:`assistant.offline.understand`) on any failure."""
    from hardtech.settings import get_settings

    spec = llm or get_settings().llm
    if not spec:
        raise LLMConfigError("No language model configured: set HARDTECH_LLM or pass llm=")
    return parse(question, list(history or []), Client.for_spec(spec), fallback=fallback)[0]
