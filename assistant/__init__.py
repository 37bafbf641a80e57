"""Question answering over the hard-tech indices, offline (deterministic) or with an LLM.

Public API (the HTTP service and the evaluation suite depend on it):

* :func:`ask` -> :class:`~assistant.envelope.Envelope`
* :func:`ask_stream` -> iterator of ``(event, data)``, in this order:

  1. ``tool`` ``{id, name, args}`` as each tool runs (interleaved with tokens in agent mode);
  2. ``token`` ``{text}``: the answer as it is produced. In LLM agent mode these are the
     model's tokens *before* verification; offline and in parser mode they are pieces of the
     verified answer;
  3. ``verification`` ``{status, answer, notice}``: ``status`` is ``confirmed`` (the streamed
     text is the answer) or ``replaced`` (show ``answer`` instead of the streamed text, with
     ``notice``, a sentence in the answer's language saying why: unsupported numbers removed,
     the offline answer used instead, the model's notes before its tool calls dropped);
  4. ``citation`` per citation, ``chart`` if any, then ``done`` with the envelope (whose
     ``answer`` is always the verified one, and ``warnings`` the technical reasons).

  A bad question yields one ``error`` ``{code, message, hint}`` instead; model failures never
  do (they fall back to the offline answer, with a warning).

Offline mode is the default. With ``llm=`` or ``HARDTECH_LLM`` (``openai:<model>`` with
``HARDTECH_LLM_BASE_URL`` / ``HARDTECH_LLM_API_KEY``, or ``ollama:<model>``) the model is used
as ``HARDTECH_LLM_MODE`` says: ``parser`` (it reads the question into a frame, the
deterministic answerer answers) or ``agent`` (it calls the tools and writes the answer).
A question may be at most ``HARDTECH_MAX_QUESTION_CHARS`` characters long (:mod:`hardtech.settings`).
"""
from __future__ import annotations

from typing import Any, Callable, Generator, Iterator

from hardtech.settings import get_settings
from index_core.errors import HardtechError

from . import reload as _reload  # noqa: F401  (registers the assistant's caches with index_core's reload)
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


Events = Generator[tuple[str, dict], None, tuple[Envelope, "str | None"]]


def _frame_pipeline() -> dict:
    """Parser mode's offline parts: the offline understanding (fallback) and the frame answerer."""
    from .offline import answer as answer_frame
    from .offline.understand import understand

    return {"understand": understand, "answer_frame": answer_frame}


def _offline_events(question: str, hist: list[dict]) -> Events:
    events: list[tuple[str, dict]] = []
    env = answer_offline(question, hist, on_event=lambda kind, data: events.append((kind, data)))
    yield from events
    return env, None


def _answer(question: str, hist: list[dict], llm: Any, mode: str | None) -> Events:
    """Events of one answer (see :func:`ask_stream`), returning (envelope, notice)."""
    settings = get_settings()
    spec = llm if llm is not None else settings.llm
    if not spec:
        return (yield from _offline_events(question, hist))
    from . import llm as llm_mode

    try:
        client = llm_mode.Client.for_spec(spec)
    except llm_mode.LLMConfigError as exc:
        raise AssistantError(str(exc), hint=exc.hint) from None
    if (mode or settings.llm_mode) == "agent":
        return (yield from llm_mode.run_agent(question, hist, client, offline=answer_offline))
    pipeline = _frame_pipeline()
    return (yield from llm_mode.run_parser(question, hist, client, **pipeline))


def answer_offline(question: str, history: list[dict] | None = None, on_event: Callable[[str, dict], None] | None = None) -> Envelope:
    """The deterministic answer: understand the question into a frame, answer the frame, verify
    every number (:mod:`assistant.offline`)."""
    from .offline import answer_question

    return answer_question(question, history, on_event=on_event)


def ask(question: str, history: list[dict] | None = None, *, llm: Any = None, mode: str | None = None) -> Envelope:
    """Answer ``question`` (with earlier turns in ``history``). Raises :class:`AssistantError` on a bad
    question or a malformed ``llm`` spec; model failures fall back to the offline answer."""
    question, hist = _check(question, history)
    gen = _answer(question, hist, llm, mode)
    while True:
        try:
            next(gen)
        except StopIteration as stop:
            return stop.value[0]


def _pieces(text: str, size: int = 24) -> Iterator[str]:
    """``text`` in pieces of about ``size`` characters, never splitting a number."""
    i = 0
    while i < len(text):
        j = min(len(text), i + size)
        while j < len(text) and (text[j].isdigit() or text[j] in ".,%") and j - i < 2 * size:
            j += 1
        yield text[i:j]
        i = j


def ask_stream(question: str, history: list[dict] | None = None, *, llm: Any = None,
               mode: str | None = None) -> Iterator[tuple[str, dict]]:
    """The answer as typed events; the protocol is in this module's docstring."""
    from .llm import notice as llm_notice

    shown: list[str] = []
    try:
        question, hist = _check(question, history)
        gen = _answer(question, hist, llm, mode)
        while True:
            try:
                kind, data = next(gen)
            except StopIteration as stop:
                env, notice = stop.value
                break
            if kind == "token":
                shown.append(data["text"])
            yield kind, data
    except HardtechError as exc:
        d = exc.to_dict()
        yield "error", {"code": d["code"], "message": d["message"], "hint": d.get("hint")}
        return
    streamed = "".join(shown)
    if not streamed:
        for piece in _pieces(env.answer):
            yield "token", {"text": piece}
        streamed = env.answer
    if streamed == env.answer:
        yield "verification", {"status": "confirmed", "answer": env.answer, "notice": None}
    else:
        yield "verification", {"status": "replaced", "answer": env.answer,
                               "notice": notice or llm_notice("working", env.language, "")}
    for c in env.citations:
        yield "citation", c.model_dump(mode="json")
    if env.chart:
        yield "chart", env.chart
    yield "done", env.model_dump(mode="json")
