"""Follow-ups about a concept: the topic of a turn after "什么是硬科技" ("它有哪些属性", "who coined
it?", "what are its seven fields?"), its own or the one before."""
from __future__ import annotations

import functools
import re

from ..frame import Frame, Link
from .catalogue import Catalogue
from .lexicon import Words, lexicon
from .followup import pronoun


def about_before(operation: str, prev: Frame | None, aspect: str | None, mentions) -> bool:
    """Whether a concept turn that links no concept is about an earlier turn's topic: a turn with a
    topic ("它有哪些属性" after "什么是硬科技"), or any turn when it asks who wrote it ("who wrote it?"
    after "tell me about the article on…")."""
    return operation in ("concept", "definition") and prev is not None and \
        bool(prev.topic or aspect == "publisher") and not any(m.kind == "concept" for m in mentions)


def own_topic(own: str | None, prev: Frame, carried: bool) -> str | None:
    """The turn's own topic; in a follow-up that carries the last turn's question ("where does China
    stand?" after "what is the Nature Index ranking?"), the last topic with the new subject after it.
    (An elliptical turn that carried the topic itself passes none.)"""
    if carried and own and prev.topic and own.lower() not in prev.topic.lower():
        return f"{prev.topic} {own}"
    return own


def concept_topic(prev: Frame, text: str, named: str | None, cat: Catalogue) -> tuple[str | None, tuple[Link, ...], bool]:
    """The topic of a concept question that links no concept itself, its links, and whether it
    comes from the turns before (``False``: the turn has a topic of its own). A concept whose name is the previous topic plus what this turn says
    ("它有哪些属性" after "什么是硬科技": 硬科技的属性; "what are its seven fields?" after "what is
    the GTII?"), else the previous topic itself when the turn names nothing else or points back
    ("who coined it?", "哪一年", "它包括哪几层"); a turn with no topic is about the question it asked
    ("who wrote it?" after "tell me about the article on…")."""
    linked = [link.target for link in prev.links if link.kind == "concept" and link.target in cat.concepts]
    before_topic = prev.topic or prev.question  # a turn with no topic of its own is about what it asked
    roots = {before_topic.lower()} | {n.lower() for c in linked for n in cat.concepts[c].names_zh + cat.concepts[c].names_en}
    best = max(((_rest_said(name, roots, text), c) for c in cat.concepts.values() if c.id not in linked
                for name in c.names_zh + c.names_en), key=lambda x: x[0], default=(0, None))
    before = tuple(link.model_copy(update={"method": "history"}) for link in prev.links if link.kind == "concept" and link.target)
    if best[0]:  # the earlier concepts stay linked after it: "那八大领域呢" next is about 硬科技 again
        c = best[1]
        name = (c.names_zh or c.names_en)[0]
        return name, (Link(surface=name, kind="concept", target=c.id, method="history"),) + before, True
    if named is None or pronoun(text) or Words.of(lexicon()["relative_edition"]["same"])(text.lower()) or \
            not _unasked(named).strip(" 的之了?？"):  # "谁编制的？": only the aspect; "这个榜单是谁搞的": the one before
        return before_topic, before, True
    carried = named.startswith(f"{before_topic} ")  # own_topic: the last topic, then this turn's subject
    return named, before if carried else (), carried


def _rest_said(name: str, roots: set[str], text: str) -> int:
    """How much of ``name`` beyond one of ``roots`` the turn says (0: none, or no root in it)."""
    low, name = text.lower(), name.lower()
    said = 0
    for root in roots:
        if len(root) < 2 or root not in name or root == name:
            continue
        rest = name.replace(root, " ")
        if rest.isascii():
            words = [w for w in re.findall(r"[a-z0-9]+", _unasked(rest)) if w not in _stopwords()]
            if words and all(re.search(rf"\b{w}\b", low) for w in re.findall(r"[a-z0-9]+", rest)):
                said = max(said, sum(map(len, words)))
        else:
            rest = rest.strip(" 的之")
            if len(_unasked(rest).strip(" 的之了")) >= 2 and rest in low:
                said = max(said, len(rest))
    return said


def _unasked(text: str) -> str:
    """``text`` without the words that ask for an aspect ("who coined", 由来, parts): those are the
    aspect of the same topic, not another concept."""
    for a, b in reversed(_aspect_words().spans(text)):
        text = text[:a] + " " + text[b:]
    return text


@functools.lru_cache(maxsize=1)
def _aspect_words() -> Words:
    return Words(f for forms in lexicon()["aspects"]["concept"].values() for lang in forms.values() for f in lang)


@functools.lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    return frozenset(str(w).lower() for w in lexicon()["topic_stopwords"]["en"])
