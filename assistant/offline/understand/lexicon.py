"""The question vocabulary (``assistant/offline/lexicon.yaml``) as compiled matchers.

Forms are data: English forms match whole words case-insensitively (``normali*``
matches any ending), Chinese forms match as substrings. Nothing here knows what a
category means; callers ask "which category of this group occurs first".
"""
from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Iterable, Mapping

import yaml

LEXICON_PATH = Path(__file__).resolve().parent.parent / "lexicon.yaml"


@functools.lru_cache(maxsize=1)
def lexicon() -> dict:
    return yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))


def _form_pattern(form: str) -> str:
    form = str(form)
    if form.isascii():
        body = re.escape(form.lower()).replace(r"\*", r"[\w\-]*")
        return r"(?<![a-z0-9])" + body + r"(?![a-z0-9])"
    return re.escape(form)


class Words:
    """A set of forms (``{en: [...], zh: [...]}`` or a plain list) compiled to one regex."""

    def __init__(self, forms: Iterable[str]) -> None:
        self.forms = sorted({str(f) for f in forms if str(f)}, key=len, reverse=True)
        self.pattern = re.compile("|".join(_form_pattern(f) for f in self.forms), re.IGNORECASE) if self.forms else None

    @classmethod
    def of(cls, entry: Mapping | Iterable | None) -> "Words":
        if entry is None:
            return cls(())
        if isinstance(entry, Mapping):
            return cls([f for forms in entry.values() for f in (forms or [])])
        return cls(entry)

    def search(self, text: str) -> re.Match | None:
        return self.pattern.search(text) if self.pattern else None

    def __call__(self, text: str) -> bool:
        return self.search(text) is not None

    def spans(self, text: str) -> list[tuple[int, int]]:
        return [m.span() for m in self.pattern.finditer(text)] if self.pattern else []


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
