"""The floor under a model's answer: it is shown only if the data supports it.

* No tool returned data -> nothing supports the answer: use the offline answer.
* Raw JSON where an answer should be -> not an answer: use the offline answer.
* A number no tool result or cited passage supports -> its sentence goes. If what remains
  still states a verified number it is shown, with a warning; otherwise the offline answer.

So a reply never has "[?]" holes: every number in it is verified, or its sentence is gone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..verify import Claim, verify
from .dialects import json_payload

# a sentence ends at Chinese or English end punctuation, a semicolon, or a line break; a full stop
# ends one only before a space or the end (so 50.99 and 3.93 stay whole)
_SENTENCE = re.compile(r".*?(?:[。！？!?；;]+|\.(?=\s|$)|\n|$)", re.S)
_ANSWER_KEYS = ("answer", "final_answer", "response", "content", "text")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, covering ``text`` in order."""
    spans, pos = [], 0
    while pos < len(text):
        m = _SENTENCE.match(text, pos)
        end = m.end() if m and m.end() > pos else len(text)
        spans.append((pos, end))
        pos = end
    return spans


def drop_sentences(text: str, claims: Iterable[Claim]) -> str:
    """``text`` without the sentences (or list lines) that contain any of ``claims``."""
    spans = sentences(text)
    doomed = {i for c in claims for i, (a, b) in enumerate(spans) if a <= c.start < b}
    kept = "".join(text[a:b] for i, (a, b) in enumerate(spans) if i not in doomed)
    kept = re.sub(r"(?m)^[ \t]*(?:[-*]|\d+[.)])[ \t]*$", "", kept)  # list markers left without their item
    return re.sub(r"\n{3,}", "\n\n", kept).strip()


@dataclass
class Verdict:
    """What to show: ``answer`` (None = fall back to the offline answer, for ``reason``)."""

    answer: str | None
    reason: str | None = None
    warnings: list[str] = field(default_factory=list)
    matched: dict[int, str] = field(default_factory=dict)
    claims: list[Claim] = field(default_factory=list)


def unwrap(answer: str) -> str | None:
    """The answer text, or None when the model wrote JSON instead of an answer."""
    payload = json_payload(answer)
    if payload is None:
        return answer
    if isinstance(payload, dict):
        for key in _ANSWER_KEYS:
            if isinstance(payload.get(key), str) and payload[key].strip() and json_payload(payload[key]) is None:
                return payload[key].strip()
    return None


def settle(answer: str, tool_calls: list[Any], sources: list[dict], *, succeeded: int) -> Verdict:
    """Decide what of ``answer`` may be shown (see the module docstring)."""
    if not answer.strip():
        return Verdict(None, "the model gave no answer")
    if succeeded == 0:
        return Verdict(None, "no tool returned data to support the model's answer")
    text = unwrap(answer)
    if text is None or not text.strip():
        return Verdict(None, "the model answered with raw JSON instead of an answer")
    rep = verify(text, tool_calls, sources)
    if rep.ok:
        return Verdict(text, matched=rep.matched, claims=rep.claims)
    unsupported = rep.describe()
    pruned = drop_sentences(text, rep.unmatched)
    again = verify(pruned, tool_calls, sources)
    if pruned and again.ok and again.matched:
        return Verdict(pruned, warnings=[f"removed sentences with numbers no tool result supports: {unsupported}"],
                       matched=again.matched, claims=again.claims)
    return Verdict(None, f"the model's answer has numbers no tool result supports ({unsupported})")
