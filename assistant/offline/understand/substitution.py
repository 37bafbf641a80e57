"""A supposed score: "If Xi'an's 2020 hard-tech enterprises score were 30, where would it rank?",
"假如杭州2020年科研人才得分是50分，总分多少". One named entity, one named dimension, a supposition
and a score (0-100) read with the lexicon's ``substitution_patterns``: the what-if recomputes that
entity's composite with the one score replaced (the ``substitute`` tool), not the weights."""
from __future__ import annotations

from .lexicon import patterns, words
from .mention import Mention

MAX_SCORE = 100.0


def supposed_score(text: str, mentions: list[Mention], entities: list[str]) -> float | None:
    """The score the question supposes for its entity's dimension, or ``None``."""
    if len(entities) != 1 or not any(m.kind == "dimension" and m.resolved for m in mentions):
        return None
    low = text.lower()
    if not (words("cues", "whatif")(low) or any(rx.search(low) for rx in patterns("premise_patterns", "hypothetical"))):
        return None
    if words("weights", "asked")(low):
        return None  # a re-weighting, not a score
    dims = [m for m in mentions if m.kind == "dimension" and m.resolved]
    for rx in patterns("substitution_before_patterns"):  # the score said just before the dimension
        for m in dims:
            found = rx.search(low[:m.start])
            if found and 0 <= float(found.group("v")) <= MAX_SCORE:
                return float(found.group("v"))
    dim_end = max(m.end for m in dims)
    for rx in patterns("substitution_patterns"):
        for m in rx.finditer(low):
            value = float(m.group("v"))
            if m.start() >= dim_end - 1 and 0 <= value <= MAX_SCORE:  # said of the dimension, after it
                return value
    return None
