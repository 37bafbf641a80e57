"""Questions in several parts: "Which city came 3rd in 2020, and by how much did it trail the 2nd?"

The question is cut where a clause starts a new question (``part_patterns`` in the lexicon:
a question mark with more after it, "and which/how/…", "，另外…"). Each part is understood with
the parts before it (and their answers) as history, so "it" in the second part is the city the
first part found. :func:`assistant.offline.answer_frames` then answers all parts with one tool
runner and one writer: one list of citations, one answer in the order asked.

A cut is kept only when every part is a question of its own about the indices (no part out of
scope or unanswerable) and the parts ask different things; otherwise the whole question is
answered as one, as before.
"""
from __future__ import annotations

from typing import Callable

from .frame import Frame
from .understand.lexicon import patterns

MAX_PARTS = 3
MIN_PART_CHARS = 3
NOT_ON_THEIR_OWN = {"out_of_scope", "unanswerable"}


def split(question: str) -> list[str]:
    """The question's parts, in order (one part when no clause starts a new question)."""
    cuts = sorted({(m.start(), m.end()) for rx in patterns("part_patterns") for m in rx.finditer(question)})
    parts, last = [], 0
    for start, end in cuts:
        if start < last:
            continue
        parts.append(question[last:start])
        last = end
    parts.append(question[last:])
    parts = [p.strip(" ,，;；") for p in parts]
    if len(parts) > MAX_PARTS or any(len(p) < MIN_PART_CHARS for p in parts):
        return [question]
    return parts


PROFILE = {"lookup", "tier"}  # both answer with the entity's profile: score, rank and tier


def _distinct(frames: list[Frame]) -> bool:
    """Do the parts ask different things? "Nanjing's score and rank, and which tier is it in?" does
    not: one profile answers both."""
    asked = {("profile" if f.operation in PROFILE else f.operation, tuple(f.entities), tuple(f.editions), f.dimension,
              repr(f.filters))
             for f in frames}
    return len(asked) == len(frames)


def frames_of(parts: list[str], history: list[dict], answer_text: Callable[[Frame], str]) -> list[Frame] | None:
    """One frame per part, each understood after the ones before it; ``None`` when the cut does not hold."""
    from .understand import understand

    frames, turns = [], list(history)
    for i, part in enumerate(parts):
        frame = understand(part, turns)
        if frame.operation in NOT_ON_THEIR_OWN:
            return None
        frames.append(frame)
        if i + 1 < len(parts):  # the next part may refer to what this one's answer names ("it")
            turns += [{"role": "user", "content": part}, {"role": "assistant", "content": answer_text(frame)}]
    return frames if _distinct(frames) else None
