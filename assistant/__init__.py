"""Question answering over the hard-tech indices, offline (deterministic) or with an LLM.

Public API (the HTTP service and the evaluation suite depend on it):

* :func:`ask` -> :class:`~assistant.envelope.Envelope`
* :func:`ask_stream` -> iterator of ``(event, data)``: ``tool``, ``token``, ``citation``,
  ``chart``, then ``done`` (the envelope as a dict), or ``error``.

Offline mode is the default; LLM mode is used when ``llm`` is given or the
settings name one (``HARDTECH_LLM``: ``openai:<model>`` with ``HARDTECH_LLM_BASE_URL``
and ``HARDTECH_LLM_API_KEY``, or ``ollama:<model>``). A question may be at most
``HARDTECH_MAX_QUESTION_CHARS`` characters long (:mod:`hardtech.settings`).
"""
from __future__ import annotations

from typing import Any, Callable, Iterator

from hardtech.settings import get_settings
from index_core.errors import HardtechError

from .envelope import Citation, Envelope, Number, ToolCall

__all__ = ["ask", "ask_stream", "AssistantError", "Envelope", "Citation", "Number", "ToolCall"]


class AssistantError(HardtechError):
    """A question the assistant cannot take (empty, too long, bad history, LLM misconfigured)."""

    code = "invalid_question"


def _check(question: Any, history: Any) -> tuple[str, list[dict]]:
    if not isinstance(question, str) or not question.strip():
        raise AssistantError("The question is empty", hint="Ask about a city's score, rank, tier, method… e.g. 深圳2019年排名第几？")
    limit = get_settings().max_question_chars
    if len(question) > limit:
        raise AssistantError(f"The question is {len(question)} characters long; the limit is {limit}",
                             hint="Shorten the question (limit: HARDTECH_MAX_QUESTION_CHARS).")
    hist: list[dict] = []
    for i, turn in enumerate(history or []):
        if not isinstance(turn, dict) or turn.get("role") not in ("user", "assistant", "system") or not isinstance(turn.get("content", ""), str):
            raise AssistantError(f"History item {i} is not a {{'role': 'user'|'assistant', 'content': str}} message",
                                 where=f"history[{i}]", hint="Pass the conversation OpenAI-style.")
        if turn["role"] != "system":
            hist.append({"role": turn["role"], "content": turn.get("content") or ""})
    return question.strip(), hist


def _llm_spec(llm: Any) -> Any:
    return llm if llm is not None else get_settings().llm


def _run(question: str, history: list[dict] | None, llm: Any, on_event: Callable[[str, dict], None] | None) -> Envelope:
    question, hist = _check(question, history)
    spec = _llm_spec(llm)
    if spec:
        from .llm import answer_llm

        return answer_llm(question, hist, spec, on_event=on_event)
    return answer_offline(question, hist, on_event=on_event)


def answer_offline(question: str, history: list[dict] | None = None, on_event: Callable[[str, dict], None] | None = None) -> Envelope:
    from .composer import compose
    from .planner import plan
    from .tools import ToolRunner
    from .verify import verify

    p = plan(question, history)
    runner = ToolRunner(on_event=on_event)
    env = compose(p, runner)
    rep = verify(env.answer, env.tool_calls, _citation_sources(env))
    if not rep.ok:  # never expected offline; surfaced rather than hidden
        env.warnings.append(f"unverified numbers: {rep.describe()}")
    return env


def _citation_sources(env: Envelope) -> list[dict]:
    out = []
    for c in env.citations:
        text = ""
        try:
            from . import retrieval

            p = retrieval.get_passage(c.source_file, c.lines[0], c.lines[1], context=0)
            text = "".join(x["text"] for x in p["lines"])
        except ValueError:  # an unknown report or a range outside it: the quote alone is checked
            pass
        out.append({"id": c.id, "quote": c.quote, "text": [text, c.doc_title, c.section]})
    return out


def ask(question: str, history: list[dict] | None = None, *, llm: str | None = None) -> Envelope:
    """Answer ``question`` (with earlier turns in ``history``). Raises :class:`AssistantError` on a bad question."""
    return _run(question, history, llm, None)


def ask_stream(question: str, history: list[dict] | None = None, *, llm: str | None = None) -> Iterator[tuple[str, dict]]:
    """Typed events: ``tool`` as each tool runs, then ``token`` pieces of the verified answer,
    ``citation`` per citation, ``chart`` if any, and ``done`` with the envelope; ``error`` on failure.

    Tokens are streamed after verification, so no unverified number is ever shown."""
    events: list[tuple[str, dict]] = []
    try:
        env = _run(question, history, llm, lambda kind, data: events.append((kind, data)))
    except HardtechError as exc:
        d = exc.to_dict()
        yield "error", {"code": d["code"], "message": d["message"], "hint": d.get("hint")}
        return
    yield from events
    text = env.answer
    i = 0
    while i < len(text):
        j = min(len(text), i + 24)
        # do not split inside a number
        while j < len(text) and (text[j].isdigit() or text[j] in ".,%") and j - i < 48:
            j += 1
        yield "token", {"text": text[i:j]}
        i = j
    for c in env.citations:
        yield "citation", c.model_dump(mode="json")
    if env.chart:
        yield "chart", env.chart
    yield "done", env.model_dump(mode="json")
