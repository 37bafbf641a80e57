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

__all__ = ["answer", "answer_frames", "answer_question"]


def answer(frame: Frame, on_event: Callable[[str, dict], None] | None = None) -> Envelope:
    """Answer ``frame`` from the tools and passages; ``on_event("tool", …)`` as each tool runs."""
    return answer_frames([frame], on_event=on_event)


def answer_frames(frames: list[Frame], question: str | None = None,
                  on_event: Callable[[str, dict], None] | None = None) -> Envelope:
    """Answer the frames in order with one tool runner and one writer (one list of citations, one
    set of tool results for the verifier): one frame, or the parts of ``question``."""
    from .answers import route
    from .writer import Writer

    tools = ToolRunner(on_event=on_event)
    routed = [route(f, tools) for f in frames]
    info = routed[0].info()
    if len(routed) > 1:
        info = {**info, "frame": {**info["frame"], "question": question}, "parts": [r.info() for r in routed]}
    return _verified(Writer(frames[0].language, tools), [b for r in routed for b in r.blocks], info)


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
    frames = parts.frames_of(pieces, history, answer) if len(pieces) > 1 else None
    if frames:
        return answer_frames(frames, question, on_event=on_event)
    frame = understand(question, history)
    each = parts.one_each(frame)  # "深圳和广州分别在第几梯队": one tier answer per entity
    return answer_frames(each, question, on_event=on_event) if len(each) > 1 else answer(frame, on_event=on_event)
