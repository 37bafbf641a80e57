"""How the reviewed concept entries are keyed for :mod:`assistant.concept_index`: what a text
says (English word stems and Chinese character pairs, question words left out), how telling
each of those keys is, and which entries a question could be about at all.

All of it is computed once per loaded set of entries (:func:`table`), so ranking a question
looks only at the entries that share a key, a name or a name's character pair with it, not at
every entry. The vocabulary is the data file ``concept_index.yaml``.
"""
from __future__ import annotations

import functools
import math
import re
from pathlib import Path
from typing import NamedTuple

from index_core.io import read_yaml

VOCABULARY = Path(__file__).with_name("concept_index.yaml")
LIKE = 0.6  # share of a name's words (or character pairs) the question must have to match on likeness alone


@functools.lru_cache(maxsize=1)
def vocabulary() -> dict:
    """Which concept kinds answer which aspect, the report order, the question words (YAML 1.2)."""
    return read_yaml(VOCABULARY)


@functools.lru_cache(maxsize=65536)  # names are folded for every question: once each
def fold(text: str) -> str:
    return re.sub(r"[\s\-_'’\"“”《》「」]", "", str(text)).casefold()


def names(entry: dict) -> list[str]:
    n = entry.get("names") or {}
    return [entry["id"], *(n.get("zh") or []), *(n.get("en") or [])]


def entry_text(entry: dict) -> str:
    """An entry's answer sentences (both languages) and quote."""
    answer = entry.get("answer") or {}
    return " ".join(str(x) for x in (answer.get("zh"), answer.get("en"), entry.get("quote")) if x)


@functools.lru_cache(maxsize=1)
def _question_words() -> re.Pattern:
    words = sorted((str(w) for w in vocabulary()["question_words"]), key=len, reverse=True)
    latin = [w for w in words if w.isascii()]
    cjk = [re.escape(w) for w in words if not w.isascii()]
    return re.compile("|".join([rf"\b(?:{'|'.join(map(re.escape, latin))})\b"] + cjk), re.IGNORECASE)


def stem(word: str) -> str:
    """A crude English stem, the same on both sides: spending/spend, grows/growth/grow, funds/fund."""
    for end in ("ing", "th", "es", "ed", "s"):
        if len(word) > len(end) + 3 and word.endswith(end):
            return word[: -len(end)]
    return word


@functools.lru_cache(maxsize=65536)  # an entry's names are keyed for every question: once each
def keys(text: str) -> frozenset[str]:
    """What a text says, without question words: English words, Chinese character pairs."""
    t = _question_words().sub(" ", re.sub(r"(?<=[A-Za-z])['’](?=[A-Za-z])", "", str(text)))  # Xi'an = Xian
    latin = {stem(w) for w in re.findall(r"r&d|s&t|[a-z0-9]+", t.lower())}
    pairs = {run[i:i + 2] for run in re.findall(r"[\u3400-\u9fff]+", t) for i in range(len(run) - 1)}
    return frozenset(pairs | latin)


class Table(NamedTuple):
    """What ranking reads of one loaded set of entries. A key's weight says how telling it is:
    log(1 + entries / entries using it) ("capital" says more than "hard", "tech" or "city")."""
    weight: dict[str, float]  # of the keys of names
    content_weight: dict[str, float]  # of the keys of answers and quotes
    forms: dict[int, list[str]]  # id(entry) -> its id and names, folded
    named: dict[int, tuple[frozenset, list[tuple[frozenset, float]]]]  # id(entry) -> (all keys, (keys, weight) per name)
    stated: dict[int, frozenset]  # id(entry) -> the keys of its answer and quote
    by_key: dict[str, set[int]]  # a key of a name -> the entries (their ids) whose names have it
    by_form: dict[str, set[int]]  # a folded form -> the entries that have it
    by_head: dict[str, set[int]]  # the first two characters of a form of two or more -> the entries
    by_pair: dict[str, set[int]]  # any two characters in a row of a form -> the entries


_TABLES: dict[int, tuple[tuple, Table]] = {}  # the entries are kept with their table, so their id is not reused


def table(entries: tuple[dict, ...]) -> Table:
    if id(entries) not in _TABLES:  # one table per loaded set of entries (a test may load others)
        _TABLES.clear()
        _TABLES[id(entries)] = (entries, _build(entries))
    return _TABLES[id(entries)][1]


def _build(entries: tuple[dict, ...]) -> Table:
    def idf(keyed: list[frozenset]) -> dict[str, float]:
        df: dict[str, int] = {}
        for ks in keyed:
            for k in ks:
                df[k] = df.get(k, 0) + 1
        return {k: math.log(1 + len(entries) / n) for k, n in df.items()}

    weight = idf([frozenset().union(*(keys(n) for n in names(e)[1:])) for e in entries])
    stated = {id(e): keys(entry_text(e)) for e in entries}
    t = Table(weight, idf(list(stated.values())), {id(e): [fold(x) for x in names(e) if x] for e in entries},
              {id(e): name_keys(e, weight) for e in entries}, stated, {}, {}, {}, {})
    for e in entries:
        for k in t.named[id(e)][0]:
            t.by_key.setdefault(k, set()).add(id(e))
        for f in t.forms[id(e)]:
            t.by_form.setdefault(f, set()).add(id(e))
            if len(f) >= 2:
                t.by_head.setdefault(f[:2], set()).add(id(e))
            for i in range(len(f) - 1):
                t.by_pair.setdefault(f[i:i + 2], set()).add(id(e))
    return t


def name_keys(entry: dict, weight: dict[str, float]) -> tuple[frozenset, list[tuple[frozenset, float]]]:
    keyed = [keys(n) for n in names(entry)[1:]]
    return frozenset().union(*keyed), [(k, sum(weight.get(x, 1.0) for x in k)) for k in keyed]


def likeness(entry: dict, question: str, t: Table) -> tuple[float, float]:
    """How much of one of the entry's names the question says: (weight of the words or character
    pairs shared, share of the name's weight) of the name sharing most among those sharing at
    least ``LIKE`` of themselves ("who coined hard tech" in "Who coined the term hard tech?")."""
    q = keys(question)
    said, keyed = t.named.get(id(entry)) or name_keys(entry, t.weight)
    best = (0.0, 0.0)
    if said.isdisjoint(q):
        return best
    for k, total in keyed:
        if total:
            shared = sum(t.weight.get(x, 1.0) for x in k & q)
            if shared / total >= LIKE:
                best = max(best, (round(shared, 2), round(shared / total, 2)))
    return best


def candidates(t: Table, topic: str, question: str, said: frozenset[str]) -> set[int]:
    """The entries (ids) that a folded ``topic`` and ``question`` could match at all: by a name
    equal to the topic, containing it or contained in either, or by a key of ``said``. Every other
    entry matches by nothing and shares nothing, so ranking need not look at it."""
    out: set[int] = set()
    for k in said:
        out |= t.by_key.get(k, set())
    out |= t.by_form.get(topic, set())
    if len(topic) >= 2:
        out |= t.by_pair.get(topic[:2], set())
    for text in (topic, question):
        for i in range(len(text) - 1):
            out |= t.by_head.get(text[i:i + 2], set())
    return out
