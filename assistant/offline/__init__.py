"""The offline answerer: understand a question into a :class:`~assistant.offline.frame.Frame`,
then answer the frame deterministically from the core's tools and the reports' passages.

* :func:`answer` (frame -> :class:`~assistant.envelope.Envelope`): route the frame to its
  handler (:mod:`.answers`), render the blocks (:mod:`.writer`), verify every number.
* :func:`answer_question` (question, history -> envelope): :mod:`.understand` then :func:`answer`.
"""
from __future__ import annotations

from typing import Callable

from ..envelope import Envelope
from ..tools import ToolRunner
from .frame import Frame

__all__ = ["answer", "answer_question"]


def answer(frame: Frame, on_event: Callable[[str, dict], None] | None = None) -> Envelope:
    """Answer ``frame`` from the tools and passages; ``on_event("tool", …)`` as each tool runs."""
    from .answers import route
    from .writer import Writer

    tools = ToolRunner(on_event=on_event)
    routed = route(frame, tools)
    return _verified(Writer(frame.language, tools), routed.blocks, routed.info())


def _verified(writer, blocks: list, info: dict) -> Envelope:
    """The envelope of ``blocks``, every number checked against the tool results and cited passages."""
    from ..verify import verify

    env = writer.envelope(blocks, info)
    cited = [{"id": c.id, "quote": c.quote, "text": [writer.cited_text.get(c.id, ""), c.doc_title, c.section]}
             for c in env.citations]
    report = verify(env.answer, env.tool_calls, cited)
    if not report.ok:  # never expected: every number is written from a tool result or a cited passage
        env.warnings.append(f"unverified numbers: {report.describe()}")
    return env


def answer_question(question: str, history: list[dict] | None = None,
                    on_event: Callable[[str, dict], None] | None = None) -> Envelope:
    """Understand ``question`` (with earlier turns) into a frame, then :func:`answer` it; a
    question in several parts (:mod:`.parts`) gets every part answered, in order."""
    from . import parts
    from .understand import understand

    history = history or []
    pieces = parts.split(question)
    frames = parts.frames_of(pieces, history, lambda f: answer(f).answer) if len(pieces) > 1 else None
    if frames:
        return parts.answer_parts(question, frames, on_event, finish=_verified)
    return answer(understand(question, history), on_event=on_event)
