"""The question vocabulary (``assistant/offline/lexicon.yaml``) as compiled matchers.

Forms are data: English forms match whole words case-insensitively (``normali*``
matches any ending), Chinese forms match as substrings. Nothing here knows what a
category means; callers ask "which category of this group occurs first".
"""
from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Iterable, Mapping, NamedTuple

from index_core import io

LEXICON_PATH = Path(__file__).resolve().parent.parent / "lexicon.yaml"


@functools.lru_cache(maxsize=1)
def lexicon() -> dict:
    return io.load_yaml(LEXICON_PATH.read_text(encoding="utf-8"))


_TOKEN = re.compile(r"[a-z0-9&]+")
_SINGLE = re.compile(r"[a-z0-9&]+")


class Span(NamedTuple):
    """Where a form occurs (the subset of ``re.Match`` callers use)."""

    begin: int
    finish: int
    text: str

    def start(self) -> int:
        return self.begin

    def end(self) -> int:
        return self.finish

    def group(self, _: int = 0) -> str:
        return self.text


@functools.lru_cache(maxsize=512)
def _view(text: str) -> tuple[str, tuple[tuple[str, int, int], ...], frozenset[str]]:
    low = text.lower()
    return low, tuple((m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(low)), frozenset(low)


def _phrase_pattern(form: str) -> str:
    body = re.escape(form).replace(r"\*", r"[\w\-]*")
    return r"(?<![a-z0-9])" + body + r"(?![a-z0-9])"


class Words:
    """A set of forms (``{en: [...], zh: [...]}`` or a plain list). English single words
    are looked up among the question's tokens, Chinese forms found as substrings; only
    English phrases need a (small) regular expression."""

    def __init__(self, forms: Iterable[str]) -> None:
        forms = {str(f).lower() for f in forms if str(f)}
        self.forms = sorted(forms, key=len, reverse=True)
        self.cjk: dict[str, list[str]] = {}  # by first character: only forms whose first character is said are looked for
        for f in self.forms:
            if not f.isascii():
                self.cjk.setdefault(f[0], []).append(f)
        self.single = frozenset(f for f in forms if f.isascii() and _SINGLE.fullmatch(f))
        self.prefixes = tuple(f[:-1] for f in forms if f.isascii() and f.endswith("*") and _SINGLE.fullmatch(f[:-1]))
        phrases = [f for f in self.forms if f.isascii() and f not in self.single and f[:-1] not in self.prefixes]
        self.pattern = re.compile("|".join(_phrase_pattern(f) for f in phrases)) if phrases else None

    @classmethod
    def of(cls, entry: Mapping | Iterable | None) -> "Words":
        if entry is None:
            return cls(())
        if isinstance(entry, Mapping):
            return cls([f for forms in entry.values() if isinstance(forms, (list, tuple)) for f in forms])
        return cls(entry)

    def _all(self, text: str, first: bool) -> list[Span]:
        low, tokens, chars = _view(text)
        out: list[Span] = []
        for form in (f for c in chars & self.cjk.keys() for f in self.cjk[c]):
            i = low.find(form)
            while i >= 0:
                out.append(Span(i, i + len(form), text[i:i + len(form)]))
                if first:
                    break
                i = low.find(form, i + 1)
        for tok, a, b in tokens:
            if tok in self.single or self.prefixes and tok.startswith(self.prefixes):
                out.append(Span(a, b, text[a:b]))
                if first:
                    break
        if self.pattern is not None:
            out += [Span(m.start(), m.end(), text[m.start():m.end()])
                    for m in ([self.pattern.search(low)] if first else self.pattern.finditer(low)) if m]
        return out

    def search(self, text: str) -> Span | None:
        found = self._all(text, first=True)
        return min(found, key=lambda s: (s.begin, -s.finish)) if found else None

    def __call__(self, text: str) -> bool:
        return self.search(text) is not None

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Non-overlapping spans, leftmost-longest first."""
        out: list[tuple[int, int]] = []
        for s in sorted(self._all(text, first=False), key=lambda s: (s.begin, -s.finish)):
            if not out or s.begin >= out[-1][1]:
                out.append((s.begin, s.finish))
        return out


@functools.lru_cache(maxsize=None)
def words(*path: str) -> Words:
    """The forms at ``path`` in the lexicon, e.g. ``words("cues", "why")``."""
    node = lexicon()
    for key in path:
        node = node.get(key) if isinstance(node, Mapping) else None
    return Words.of(node)


@functools.lru_cache(maxsize=None)
def group(*path: str) -> tuple[tuple[str, Words], ...]:
    """The categories under ``path`` in file order, each with its matcher."""
    node = lexicon()
    for key in path:
        node = node.get(key) or {}
    return tuple((name, Words.of(forms)) for name, forms in node.items())


def first_category(text: str, *path: str) -> str | None:
    """The first category (in file order) under ``path`` with a form in ``text``."""
    for name, matcher in group(*path):
        if matcher(text):
            return name
    return None


def earliest_category(text: str, *path: str) -> str | None:
    """The category under ``path`` whose form occurs earliest in ``text``."""
    best: tuple[int, str] | None = None
    for name, matcher in group(*path):
        m = matcher.search(text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), name)
    return best[1] if best else None


def polarity(text: str) -> str | None:
    """The earliest ``polarity`` category in ``text`` (lower-cased), turned over when a negation
    stands right before it: "为什么得分不高", "why isn't it strong" ask about a weak side."""
    best: tuple[int, str] | None = None
    for name, matcher in group("polarity"):
        m = matcher.search(text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), name)
    if best is None:
        return None
    if best[1] in _OPPOSITE and any(rx.search(text[:best[0]]) for rx in patterns("premise_patterns", "negation")):
        return _OPPOSITE[best[1]]
    return best[1]


_OPPOSITE = {"weak": "strong", "strong": "weak"}


@functools.lru_cache(maxsize=1)
def number_words() -> dict[str, int]:
    """Number words of both languages (``三`` -> 3, ``five`` -> 5, ``third`` -> 3)."""
    out: dict[str, int] = {}
    for table in lexicon()["ordinals"].values():
        out.update({str(k): int(v) for k, v in table.items()})
    return out


@functools.lru_cache(maxsize=1)
def number_regex() -> str:
    """A regex alternative matching a digit number or a number word."""
    names = sorted((w for w, v in number_words().items() if v > 0), key=len, reverse=True)
    return r"(?:\d{1,3}|" + "|".join(re.escape(n) for n in names) + ")"


def to_number(token: str) -> int | None:
    token = re.sub(r"(?<=\d)(?:st|nd|rd|th)$", "", token.strip().lower())
    if token.isdigit():
        return int(token)
    return number_words().get(token)


@functools.lru_cache(maxsize=None)
def patterns(*path: str) -> tuple[re.Pattern, ...]:
    """Regexes at ``path`` with ``{num}`` replaced by :func:`number_regex`."""
    node = lexicon()
    for key in path:
        node = node[key]
    return tuple(re.compile(p.replace("{num}", number_regex()), re.IGNORECASE) for p in node)


@functools.lru_cache(maxsize=None)
def every_form(key: str) -> Words:
    """Every form of every category of a lexicon entry (``relative_edition``: previous and next)."""
    return Words(f for forms in lexicon()[key].values() for lang in forms.values() for f in lang)
