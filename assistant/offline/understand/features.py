"""Question -> the features of the operation classifier.

The question is delexicalised first (every linked mention becomes a placeholder of
its kind), so the model learns "<entity>的<dimension>为什么弱" once for all cities
and dimensions. Features: character 1-3-grams of that text, English words and word
pairs, the lexicon's cue categories, and counts of the linked slots.
"""
from __future__ import annotations

import functools
import re

from .lexicon import Words, group, lexicon, words
from .mention import Mention

VERSION = "features-2"   # bump when the features change: the shipped model must be retrained
PLACEHOLDER = {"entity": "\ue001", "dimension": "\ue002", "indicator": "\ue003", "edition": "\ue004",
               "year": "\ue005", "period": "\ue005", "concept": "\ue006"}
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_WORD = re.compile(r"[a-z\ue000-\ue00f][a-z'\-&]*|[\ue000-\ue00f]")


def delexicalise(text: str, mentions: list[Mention]) -> str:
    """``text`` with each mention replaced by its kind's placeholder, numbers by ``0``."""
    out, last = [], 0
    for m in sorted(mentions, key=lambda m: m.start):
        if m.start < last:
            continue
        out.append(text[last:m.start])
        out.append(f" {PLACEHOLDER.get(m.kind, '')} ")
        last = m.end
    out.append(text[last:])
    return re.sub(r"\s+", " ", _NUMBER.sub("0", "".join(out).lower())).strip()


@functools.lru_cache(maxsize=1)
def unknown_measure_words() -> Words:
    """Quantities no edition measures (GDP, population...), from the lexicon."""
    return Words(f for m in lexicon()["unknown_measures"] for lang in ("en", "zh") for f in m[lang])


def asks_unknown_measure(text: str) -> bool:
    return unknown_measure_words()(text) and not words("unknown_measure_unless")(text)


def features(text: str, mentions: list[Mention]) -> list[str]:
    """The feature names of one question (``text`` is the normalised question)."""
    delex = delexicalise(text, mentions)
    feats = [f"c:{delex[i:i + n]}" for n in (1, 2, 3) for i in range(len(delex) - n + 1)
             if delex[i:i + n].strip() and (n > 1 or not delex[i].isascii())]
    tokens = _WORD.findall(delex)
    feats += [f"w:{t}" for t in tokens]
    feats += [f"b:{a} {b}" for a, b in zip(tokens, tokens[1:])]
    feats += [f"cue:{name}" for name, matcher in group("cues") if matcher(text)]
    kinds = [m.kind for m in mentions]
    n_entities = kinds.count("entity")
    feats.append(f"ent={min(n_entities, 3)}")
    feats += [f"has:{k}" for k in sorted(set(kinds)) if k != "entity"]
    if asks_unknown_measure(text):
        feats.append("cue:unknown_measure")
    latin = not any("\u3400" <= c <= "\u9fff" for c in text)
    size = len(tokens) if latin else len(delex)
    feats.append("len:short" if size <= (4 if latin else 6) else "len:long")
    return feats
