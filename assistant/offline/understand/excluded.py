"""Places a question sets aside ("除了北京，哪个城市得分最高", "apart from Tokyo, which foreign city
leads GTII?"): not its subject but a filter on those it asks among (``exclude``). The words that set a
name aside, before or after it, are the lexicon's ``set_aside`` patterns."""
from __future__ import annotations

import re

from ..frame import Filter
from .lexicon import patterns
from .mention import Mention

SET_OPERATIONS = frozenset({"leader", "rank", "count"})  # questions asked among a set of places
NEAR = 40  # characters before or after a name that a cue may take (anchored at the name)
JOINED = re.compile(r"\s*(?:,|，|、|and|&|和|与|及|以及|跟)\s*", re.IGNORECASE)  # between two names of one list


def apply(text: str, mentions: list[Mention], entities: list[str], operation: str,
          filters: tuple[Filter, ...] | None) -> tuple[list[str], tuple[Filter, ...] | None]:
    """The entities without those set aside, and the filters with one ``exclude`` per name set aside."""
    if operation not in SET_OPERATIONS:
        return entities, filters
    named = sorted((m for m in mentions if m.kind == "entity" and m.resolved), key=lambda m: m.start)
    aside: list[str] = []
    for i, m in enumerate(named):  # "除了东京和北京", "besides Beijing and Shanghai": each name the cue's list holds
        joined = i > 0 and named[i - 1].targets[0].target in aside and JOINED.fullmatch(text[named[i - 1].end:m.start])
        if joined or _set_aside(text, m):
            aside.append(m.targets[0].target)
    if not aside:
        return entities, filters
    kept = [e for e in entities if e not in aside]
    return kept, tuple(filters or ()) + tuple(Filter(field="exclude", value=name) for name in dict.fromkeys(aside))


def _set_aside(text: str, m: Mention) -> bool:
    before, after = text[max(0, m.start - NEAR):m.start], text[m.end:m.end + NEAR]
    return any(rx.search(before) for rx in patterns("set_aside", "before")) or \
        any(rx.search(after) for rx in patterns("set_aside", "after"))
