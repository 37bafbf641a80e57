"""What the last answer named, read back for the turn after it: its entities (the subjects of a
follow-up that points at them) and, when the turn points at "that field" or "这一项", the
dimension it named though its question named none ("In which field does Beijing come first?"
-> "Aerospace…" -> "who's second in that field?")."""
from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

from ..frame import Frame
from .catalogue import Catalogue
from .lexicon import Words, lexicon, words
from .linking import link
from .normalise import normalise


def entities(answer: str, prev: Frame | None, cat: Catalogue) -> list[str]:
    """The entities the last answer named, in order: of its edition when it had one (an edition's
    name, "重庆区县双创指数", does not make 重庆 a subject of the answer)."""
    mentions = link(normalise(answer), cat)
    named = list(dict.fromkeys(m.targets[0].target for m in mentions if m.kind == "entity" and m.resolved))
    members = cat.editions[prev.editions[0]].members if prev and prev.editions else None
    return [e for e in named if members is None or e in members]


class Later(Sequence):
    """A list computed when it is first read (then kept): the entities of a last answer that the
    turn may never need."""

    def __init__(self, compute: Callable[[], list[str]]) -> None:
        self._compute, self._items = compute, None

    def _read(self) -> list[str]:
        if self._items is None:
            self._items = self._compute()
        return self._items

    def __getitem__(self, i):
        return self._read()[i]

    def __len__(self) -> int:
        return len(self._read())


def with_dimension(prev: Frame | None, answer: str | None, text: str, cat: Catalogue, operation: str = "") -> Frame | None:
    """``prev`` with the dimension of its edition that its answer names first, when its question named
    none and this turn points at a measure (lexicon ``same_measure``) or asks why of the dimension it
    picked ("西安哪个维度最弱？为什么？"); otherwise ``prev`` unchanged."""
    picked = operation == "why" and prev is not None and prev.operation == "leader" and len(prev.entities) == 1
    if prev is None or prev.dimension or not answer or not prev.editions or not (picked or words("same_measure")(text)):
        return prev
    first_line = answer.strip().split("\n")[0]
    dims = [t.target for m in link(normalise(first_line), cat) if m.kind == "dimension"
            for t in m.targets if t.edition == prev.editions[0]]
    return prev.model_copy(update={"dimension": dims[0]}) if dims else prev


def narrative_topic(own: str | None, prev: Frame, answer: str | None = None) -> str | None:
    """A narrative follow-up's search words: its own (without the words that point back, "这份", "he"),
    the people the last answer named ("他在哪个机构" after "米磊博士提出": 米磊), then the previous turn's."""
    pointers = Words.of(lexicon()["pointer_words"])
    mine = [w for w in (own or "").split() if pointers.spans(w) != [(0, len(w))]]
    people = [p for p in _people() if answer and p in answer and p not in mine]
    words_ = mine + people + [w for w in (prev.topic or "").split() if w not in mine]
    return " ".join(words_) or None


@functools.lru_cache(maxsize=1)
def _people() -> tuple[str, ...]:
    """Everyone the reviewed concept entries name (their ``people``)."""
    from ...concept_index import entries

    return tuple(dict.fromkeys(p for e in entries() for p in e.get("people") or ()))
