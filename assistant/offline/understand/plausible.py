"""Whether a name read by likeness is plausible where it stands: "fusing" is one letter from
Fuling (涪陵区), but a question about the 2024 white paper's Xi'an high-tech zone says nothing of
Chongqing's districts, so the word is a word, not a district.

A fuzzy or pinyin reading of a *district* in a question about the reports' text, or beside a city
named exactly (no edition has both), is kept only when the question's context is the district index: a district, the district edition, or the words that
name it (``district_context`` in ``plausible.yaml``). Cities are not checked: a misspelt city is read
as one in any question. Exact and alias links are never dropped."""
from __future__ import annotations

import functools
from pathlib import Path

from index_core.io import read_yaml

from ..frame import Frame
from .catalogue import Catalogue

TEXT_OPERATIONS = frozenset({"narrative", "concept", "definition"})
LIKENESS = ("fuzzy", "pinyin")


def _district_context(frame: Frame, cat: Catalogue, keep: set[str]) -> bool:
    """Does the question name the district index, another district, or a word that points at one?"""
    districts = {e for e in cat.editions if cat.editions[e].kind == "district"}
    if any(e in districts for e in frame.editions) and frame.edition_source in ("explicit", "inherited"):
        return True
    if any(link.kind == "entity" and link.target and link.method not in LIKENESS and
           cat.entity_kind.get(link.target) == "district" for link in frame.links):
        return True
    words = _vocabulary()["district_context"]
    low = frame.question.casefold()
    return any(str(w).casefold() in low for lang in ("zh", "en") for w in words.get(lang) or ())


def checked(frame: Frame, cat: Catalogue) -> Frame:
    """``frame`` without the districts read by likeness out of their context (see the module doc)."""
    cities = any(link.kind == "entity" and link.target and link.method not in LIKENESS and
                 cat.entity_kind.get(link.target) != "district" for link in frame.links)
    if frame.operation not in TEXT_OPERATIONS and not cities:  # no edition has a city and a district both
        return frame
    doubtful = {link.target for link in frame.links if link.kind == "entity" and link.target and link.method in LIKENESS
                and cat.entity_kind.get(link.target) == "district"}
    if not doubtful or _district_context(frame, cat, doubtful):
        return frame
    links = tuple(link for link in frame.links if not (link.kind == "entity" and link.target in doubtful and
                                                        link.method in LIKENESS))
    entities = tuple(e for e in frame.entities if e not in doubtful)
    topic = frame.topic
    if topic:
        topic = " ".join(w for w in topic.split() if w not in doubtful) or None
    return frame.model_copy(update={"links": links, "entities": entities, "topic": topic})


@functools.lru_cache(maxsize=1)
def _vocabulary() -> dict:
    return read_yaml(Path(__file__).with_name("plausible.yaml"))
