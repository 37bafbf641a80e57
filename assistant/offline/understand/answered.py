"""What the last answer named, read back for the turn after it: its entities (the subjects of a
follow-up that points at them) and, when the turn points at "that field" or "这一项", the
dimension it named though its question named none ("In which field does Beijing come first?"
-> "Aerospace…" -> "who's second in that field?")."""
from __future__ import annotations

from ..frame import Frame
from .catalogue import Catalogue
from .lexicon import words
from .linking import link
from .normalise import normalise


def entities(answer: str, prev: Frame | None, cat: Catalogue) -> list[str]:
    """The entities the last answer named, in order: of its edition when it had one (an edition's
    name, "重庆区县双创指数", does not make 重庆 a subject of the answer)."""
    mentions = link(normalise(answer), cat)
    named = list(dict.fromkeys(m.targets[0].target for m in mentions if m.kind == "entity" and m.resolved))
    members = cat.editions[prev.editions[0]].members if prev and prev.editions else None
    return [e for e in named if members is None or e in members]


def with_dimension(prev: Frame | None, answer: str | None, text: str, cat: Catalogue) -> Frame | None:
    """``prev`` with the dimension of its edition that its answer names first, when its question named
    none and this turn points at a measure (lexicon ``same_measure``); otherwise ``prev`` unchanged."""
    if prev is None or prev.dimension or not answer or not prev.editions or not words("same_measure")(text):
        return prev
    first_line = answer.strip().split("\n")[0]
    dims = [t.target for m in link(normalise(first_line), cat) if m.kind == "dimension"
            for t in m.targets if t.edition == prev.editions[0]]
    return prev.model_copy(update={"dimension": dims[0]}) if dims else prev
