"""A supposed score: "If Xi'an's 2020 hard-tech enterprises score were 30, where would it rank?",
"假如杭州2020年科研人才得分是50分，总分多少". A named entity (the first, if more), a named dimension, a supposition
and a score (0-100) read with the lexicon's ``substitution_patterns``: the what-if recomputes that
entity's composite with the one score replaced (the ``substitute`` tool), not the weights."""
from __future__ import annotations

from .lexicon import patterns, words
from .mention import Mention

MAX_SCORE = 100.0


def supposed(text: str, mentions: list[Mention], entities: list[str]) -> tuple[float | None, float | None] | None:
    """(score, change) the question supposes for its entity's dimension: a score ("were 30") or a
    change of it in points ("再高10分", "10 points lower"); ``None`` when it supposes neither."""
    change = supposed_change(text, mentions, entities)  # first: "were 5 points lower" is no score of 5
    if change is not None:
        return None, change
    score = supposed_score(text, mentions, entities)
    return (score, None) if score is not None else None


def supposed_change(text: str, mentions: list[Mention], entities: list[str]) -> float | None:
    """Points added to (or, negative, taken from) the dimension's score, said after the dimension
    (lexicon ``substitution_change_patterns``: up / down forms), or ``None``."""
    if not entities or not _hypothetical(text.lower()):
        return None
    dims = [m for m in mentions if m.kind == "dimension" and m.resolved]
    if not dims:
        return None
    after = text.lower()[min(m.start for m in dims):]
    for sign, key in ((1.0, "up"), (-1.0, "down")):
        for rx in patterns("substitution_change_patterns", key):
            found = rx.search(after)
            if found and 0 < float(found.group("v")) <= MAX_SCORE:
                return sign * float(found.group("v"))
    return None


def _hypothetical(low: str) -> bool:
    return bool(words("cues", "whatif")(low) or any(rx.search(low) for rx in patterns("premise_patterns", "hypothetical")))


def supposed_score(text: str, mentions: list[Mention], entities: list[str]) -> float | None:
    """The score the question supposes for its entity's dimension, or ``None``."""
    # the first place named is the one supposed ("…Xi'an's score were 30 - would it pass Guangzhou?")
    if not entities or not any(m.kind == "dimension" and m.resolved for m in mentions):
        return None
    low = text.lower()
    if not _hypothetical(low):
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
    return MAX_SCORE if words("substitution_full_marks")(low) else None
