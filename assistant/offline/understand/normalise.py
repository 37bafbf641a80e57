"""Question text as the linker sees it: NFKC width folding, accents off Latin letters, traditional
characters read as simplified (``data/traditional.yaml``), homoglyphs, language.

``normalise`` keeps a map from each normalised character back to the question as
typed, so a link's ``surface`` is what the user wrote ("Ｓｈｅｎｚｈｅｎ", "Ѕhenzhen").
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from index_core.io import read_yaml

from .lexicon import lexicon

_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Text:
    raw: str                                  # the question as typed
    text: str                                 # NFKC-folded, homoglyphs read as Latin
    origin: tuple[int, ...]                   # text index -> raw index (len(text) + 1 entries)
    lookalikes: tuple[tuple[int, int], ...]   # spans of ``text`` whose letters were homoglyphs
    language: str                             # "zh" | "en"

    def surface(self, start: int, end: int) -> str:
        """The raw characters behind ``text[start:end]``."""
        return self.raw[self.origin[start]:self.origin[end]].strip()

    def has_lookalike(self, start: int, end: int) -> bool:
        return any(a < end and start < b for a, b in self.lookalikes)


def detect_language(text: str) -> str:
    """``zh`` when the question is mostly Chinese, or Chinese typed in pinyin ("nanjing ne"), else ``en``."""
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN.findall(text))
    return "zh" if cjk * 3 >= latin or cjk >= 12 or _typed_in_pinyin(text) else "en"


def _typed_in_pinyin(text: str) -> bool:
    """Is the turn toneless pinyin ending in a Chinese sentence particle ("chengdu ne", "shenzhen ne?")?
    Every word must read as pinyin syllables: "what about nanjing ne" is English."""
    found = re.findall(r"[a-z']+", text.lower())
    if len(found) < 2 or found[-1] not in lexicon()["pinyin_particles"]:
        return False
    return all(_syllabic(w.replace("'", "")) for w in found)


def _syllabic(word: str) -> bool:
    from .pinyin import syllable_set

    known = syllable_set()
    ends = {0}
    for i in range(1, len(word) + 1):
        if any(j in ends and word[j:i] in known for j in range(max(0, i - 6), i)):
            ends.add(i)
    return len(word) in ends


@functools.lru_cache(maxsize=1)
def _simplified() -> dict[str, str]:
    """Traditional character -> simplified, one to one (pairs written side by side in the data)."""
    data = read_yaml(Path(__file__).with_name("data") / "traditional.yaml")
    pairs = [p for text in data.values() for p in str(text).split()]
    return {p[0]: p[1] for p in pairs if len(p) == 2 and p[0] != p[1]}


def _fold(raw: str) -> tuple[str, list[int]]:
    out: list[str] = []
    origin: list[int] = []
    simplified = _simplified()
    for i, ch in enumerate(raw):
        for c in unicodedata.normalize("NFKC", simplified.get(ch, ch)):
            base = unicodedata.normalize("NFKD", c)
            if len(base) > 1 and base[0].isascii() and base[0].isalpha() and all(unicodedata.combining(x) for x in base[1:]):
                c = base[0]  # pinyin tone marks and other accents on a Latin letter: "Guǎngzhōu", "Xī'ān"
            out.append(c)
            origin.append(i)
    origin.append(len(raw))
    return "".join(out), origin


def _expanded(text: str, origin: list[int]) -> tuple[str, list[int]]:
    """Chat shorthand written out (lexicon ``chat_shorthand``: "n" -> "and", "abt" -> "about"), each
    written-out word traced to where its shorthand was typed."""
    table = lexicon()["chat_shorthand"]
    out, where, last = [], [], 0
    for m in _SHORTHAND.finditer(text):
        full = table.get(m.group(0))
        if full is None:
            continue
        out.append(text[last:m.start()])
        where += origin[last:m.start()]
        out.append(full)
        where += [origin[m.start()]] * len(full)
        last = m.end()
    out.append(text[last:])
    where += origin[last:]
    return "".join(out), where


_SHORTHAND = re.compile(r"(?<![\w'])[a-z0-9/]+(?![\w'])")


def normalise(question: str) -> Text:
    """Fold width and compatibility forms (NFKC), write out chat shorthand and read homoglyphs inside
    Latin words."""
    text, origin = _fold(question)
    text, origin = _expanded(text, origin)
    table = lexicon()["homoglyphs"]
    chars = list(text)
    spans: list[tuple[int, int]] = []
    for m in _WORD.finditer(text):
        word = m.group(0)
        if not any(c in table for c in word):
            continue
        mapped = "".join(table.get(c, c) for c in word)
        if mapped.isascii() and any(c.isascii() for c in word):  # a mixed-script word, not Cyrillic text
            chars[m.start():m.end()] = list(mapped)
            spans.append(m.span())
    folded = "".join(chars)
    return Text(raw=question, text=folded, origin=tuple(origin), lookalikes=tuple(spans), language=detect_language(folded))
