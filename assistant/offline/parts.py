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

import re
from typing import Callable

from .frame import Frame
from .understand.lexicon import Words, lexicon, patterns

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
    parts = _scene_setters_joined([p.strip(" ,，;；") for p in parts])
    if len(parts) > MAX_PARTS or any(len(p) < MIN_PART_CHARS for p in parts):
        return [question]
    return parts


def _scene_setters_joined(parts: list[str]) -> list[str]:
    """A part that only sets the scene ("In the Chongqing district index", lexicon ``part_lead_ins``;
    "Yubei or Jiangbei": no cue of any operation) and asks nothing is joined to the part after it."""
    lead_in = re.compile(lexicon()["part_lead_ins"], re.IGNORECASE)
    asks = Words(w for forms in lexicon()["question_words"].values() for w in forms)
    cues = Words(w for name, forms in lexicon()["cues"].items() if name not in ("followup", "pronoun", "plural")
                 for lang in forms.values() for w in lang)
    out: list[str] = []
    scene = ""
    for p in parts:
        # "In the Chongqing district index, ...", "Yubei or Jiangbei, which ...": no question of its own
        if p is not parts[-1] and not asks(p) and (lead_in.search(p) or not cues(p)):
            scene = f"{scene}{p}, "
            continue
        out.append(scene + p)
        scene = ""
    return out


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
