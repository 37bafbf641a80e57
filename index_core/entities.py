"""The entity registry: canonical names, English names and aliases.

Pure: build a :class:`Registry` from rows (``index_core.io.load_registry`` reads
the shipped ``entities.csv``).
"""
from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field
from typing import Iterable, Mapping, NamedTuple

from .errors import UnknownEntityError

_LATIN = re.compile(r"^[A-Za-z0-9 .'\-]+$")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@dataclass(frozen=True)
class Entity:
    """A city, district or global city. ``name`` is the canonical Chinese short name."""

    name: str
    name_en: str
    kind: str
    region: str = ""
    aliases: tuple[str, ...] = field(default=())

    def label(self, lang: str = "zh") -> str:
        return self.name_en if lang == "en" else self.name


class Mention(NamedTuple):
    """An entity named in a text: ``text[start:end]`` is the alias as written."""

    start: int
    end: int
    name: str


def _fold(text: str) -> str:
    """Case- and punctuation-insensitive key for Latin spellings (Xi'an = xian = XI AN)."""
    return re.sub(r"[\s'’.\-]", "", text).casefold()


def _derived_aliases(e: Entity) -> list[str]:
    """The entity's names, aliases and derived forms, in that order: an ordered list, not a set,
    so which alias comes first (the glossary's Chinese term for "Chongqing": 重庆, then 重庆市) does
    not change with the process's string hashing."""
    forms = [e.name, e.name_en, *e.aliases]
    if e.kind == "city":
        forms.append(e.name + "市")
    if e.kind == "district" and e.name[-1] in "区县" and len(e.name) > 2:
        forms.append(e.name[:-1])
    return [f for f in dict.fromkeys(forms) if f]


class Registry:
    """Resolves any known spelling of an entity to its canonical :class:`Entity`."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self.entities: list[Entity] = list(entities)
        self._by_name: dict[str, Entity] = {}
        self._by_alias: dict[str, Entity] = {}
        for e in self.entities:
            if e.name in self._by_name:
                raise ValueError(f"duplicate entity {e.name!r} in the registry")
            self._by_name[e.name] = e
        for e in self.entities:
            for alias in _derived_aliases(e):
                self._by_alias.setdefault(alias, e)
                if _LATIN.match(alias):
                    self._by_alias.setdefault(_fold(alias), e)
        # "Yubei" for Yubei District, where no other entity already answers to it.
        for e in self.entities:
            bare = re.sub(r" (District|County)$", "", e.name_en) if e.kind == "district" else ""
            if bare and bare != e.name_en and _fold(bare) not in self._by_alias:
                self._by_alias[bare] = e
                self._by_alias[_fold(bare)] = e

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, str]]) -> "Registry":
        return cls(
            Entity(
                name=r["name"].strip(),
                name_en=(r.get("name_en") or "").strip(),
                kind=(r.get("kind") or "city").strip(),
                region=(r.get("region") or "").strip(),
                aliases=tuple(a.strip() for a in (r.get("aliases") or "").split("|") if a.strip()),
            )
            for r in rows
        )

    def __contains__(self, name: str) -> bool:
        return self.lookup(name) is not None

    def get(self, name: str) -> Entity:
        """The entity with this canonical name (KeyError if absent)."""
        return self._by_name[name]

    def lookup(self, text: str) -> Entity | None:
        """The entity for any alias, or ``None``."""
        t = text.strip()
        return self._by_alias.get(t) or self._by_alias.get(_fold(t))

    def resolve(self, text: str, among: Iterable[str] | None = None) -> Entity:
        """Resolve ``text`` to an entity, or raise with close matches.

        ``among`` restricts suggestions (e.g. to one edition's entities)."""
        found = self.lookup(text)
        if found is not None:
            return found
        raise UnknownEntityError(
            f"Unknown city or district {text!r}",
            hint="Use a Chinese name (深圳), an English name (Shenzhen) or a listed alias; "
            "`hardtech scores --edition ID` lists an edition's entities.",
            suggestions=self.suggest(text, among),
        )

    def suggest(self, text: str, among: Iterable[str] | None = None, n: int = 3) -> list[str]:
        allowed = set(among) if among is not None else None
        keys = [a for a, e in self._by_alias.items() if allowed is None or e.name in allowed]
        probe = text.strip()
        hits = difflib.get_close_matches(probe, keys, n=10, cutoff=0.5)
        hits += difflib.get_close_matches(_fold(probe), keys, n=10, cutoff=0.6)
        names: list[str] = []
        for h in hits:
            name = self._by_alias[h].name
            if name not in names:
                names.append(name)
        return names[:n]

    def alias_map(self) -> dict[str, str]:
        """Every alias (including derived forms) mapped to the canonical name."""
        return {a: e.name for a, e in self._by_alias.items()}

    def find_in_text(self, text: str) -> list[str]:
        """Canonical names of entities mentioned in ``text``, in order of first mention.

        Chinese aliases match as substrings, longest first at each position (so 渝北区
        is not read as a mention of another entity); Latin aliases match whole words,
        case-insensitively."""
        return list(dict.fromkeys(m.name for m in self.mentions(text)))

    def mentions(self, text: str) -> list[Mention]:
        """Every entity mention in ``text``, left to right, as ``(start, end, name)``
        character spans (the same matching rules as :meth:`find_in_text`)."""
        folded = text.translate(_ASCII_LOWER)  # length-preserving, unlike str.lower()
        by_first = self._aliases_by_first_char
        starts = self._alias_start  # jumps straight to the next character an alias can start with
        out: list[Mention] = []
        n = len(text)
        found = starts.search(folded)
        while found:
            i = found.start()
            for alias, latin, entity in by_first[folded[i]]:
                end = i + len(alias)
                if not folded.startswith(alias, i):
                    continue
                if latin and ((i and _is_ascii_letter(text[i - 1])) or (end < n and _is_ascii_letter(text[end]))):
                    continue
                out.append(Mention(i, end, entity.name))
                found = starts.search(folded, end)
                break
            else:
                found = starts.search(folded, i + 1)
        return out

    @functools.cached_property
    def _alias_start(self) -> re.Pattern[str]:
        return re.compile("[" + "".join(re.escape(c) for c in sorted(self._aliases_by_first_char)) + "]")

    @functools.cached_property
    def _aliases_by_first_char(self) -> dict[str, tuple[tuple[str, bool, Entity], ...]]:
        """Aliases of two or more characters, ASCII-lower-cased, grouped by first character,
        longest first (so the longest alias wins at each position)."""
        groups: dict[str, dict[str, tuple[str, bool, Entity]]] = {}
        for alias, entity in self._by_alias.items():
            if len(alias) < 2:
                continue
            key = alias.translate(_ASCII_LOWER)
            groups.setdefault(key[0], {}).setdefault(key, (key, bool(_LATIN.match(alias)), entity))
        return {c: tuple(sorted(g.values(), key=lambda t: -len(t[0]))) for c, g in groups.items()}


def _is_ascii_letter(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()
