"""Entities, edition specs and the bilingual glossary, as the retrieval layer sees them.

Entities come from the core's registry and names from the core's edition specs,
so a city or indicator added there is searchable here with no second list.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from index_core import catalog as core_catalog
from index_core import io as core_io
from index_core.entities import Entity

from .config import GLOSSARY_PATH, MANIFEST_PATH, read_yaml


@functools.lru_cache(maxsize=1)
def load_entities() -> tuple[Entity, ...]:
    """All registry entities (canonical name, English name, kind, region, aliases)."""
    return tuple(core_io.load_registry().entities)


@functools.lru_cache(maxsize=1)
def alias_map() -> dict[str, str]:
    """alias (as written, derived forms such as 深圳市 and 渝北, lower-case Latin) -> canonical name."""
    out = {a: n for a, n in core_io.load_registry().alias_map().items() if len(a) >= 2}
    out.update({a.lower(): n for a, n in list(out.items()) if a.isascii()})
    return out


def _aliases(e: Entity) -> list[str]:
    return [a for a, n in alias_map().items() if n == e.name]


# --------------------------------------------------------------------------- specs
@dataclass(frozen=True)
class Term:
    zh: str
    en: str
    kind: str  # dimension | indicator | report | term | entity
    edition: str | None = None
    extra_zh: tuple[str, ...] = field(default_factory=tuple)
    extra_en: tuple[str, ...] = field(default_factory=tuple)


@functools.lru_cache(maxsize=1)
def known_editions() -> tuple[str, ...]:
    return tuple(core_io.edition_ids())


def _strip_unit(s: str) -> str:
    return re.sub(r"[（(][^（）()]*[)）]\s*$", "", s).strip()


@functools.lru_cache(maxsize=1)
def spec_terms() -> tuple[Term, ...]:
    """Dimension, indicator and report names from the edition specs."""
    terms: list[Term] = []
    for ed in core_io.edition_ids():
        spec = core_io.load_edition(ed).spec
        terms += [Term(d.zh, d.en, "dimension", ed) for d in spec.dimensions]
        terms += [Term(_strip_unit(i.zh), i.en, "indicator", ed) for i in spec.indicators]
        terms += [Term(label.zh, label.en, "report", ed) for label in (spec.title, spec.report) if label]
    return tuple(terms)


@functools.lru_cache(maxsize=1)
def dimension_names() -> tuple[str, ...]:
    names = {t.zh for t in spec_terms() if t.kind == "dimension"}
    return tuple(sorted(names, key=lambda n: (-len(n), n)))


@functools.lru_cache(maxsize=1)
def indicator_names() -> tuple[str, ...]:
    names = {t.zh for t in spec_terms() if t.kind == "indicator" and len(t.zh) >= 3}
    return tuple(sorted(names, key=lambda n: (-len(n), n)))


# ------------------------------------------------------------------------ glossary
@dataclass(frozen=True)
class GlossaryEntry:
    en: tuple[str, ...]  # lower-case English forms
    zh: tuple[str, ...]
    kind: str


@functools.lru_cache(maxsize=1)
def glossary() -> tuple[GlossaryEntry, ...]:
    """Bilingual glossary: registry names + spec dimension/indicator/report names + glossary.yaml."""
    out: list[GlossaryEntry] = []
    for e in load_entities():
        names = _aliases(e)
        en = tuple(dict.fromkeys(a.lower() for a in names if a.isascii() and len(a) > 2))
        zh = tuple(dict.fromkeys(a for a in names if not a.isascii()))
        if en and zh:
            out.append(GlossaryEntry(en, zh, "entity"))
    for t in spec_terms():
        if t.en:
            out.append(GlossaryEntry((t.en.lower(),), (t.zh,), t.kind))
    if GLOSSARY_PATH.exists():
        data = read_yaml(GLOSSARY_PATH) or {}
        for item in data.get("terms") or []:
            en = item.get("en") or []
            zh = item.get("zh") or []
            en = [en] if isinstance(en, str) else en
            zh = [zh] if isinstance(zh, str) else zh
            out.append(GlossaryEntry(tuple(x.lower() for x in en), tuple(zh), item.get("kind", "term")))
    return tuple(out)


@functools.lru_cache(maxsize=1)
def _glossary_patterns() -> tuple[tuple[str, str, GlossaryEntry], ...]:
    """``(phrase, its pattern, entry)`` for every English glossary phrase, longest pattern first (so
    "innovation base" wins over "innovation"). Patterns stay text: a query compiles only those of the
    phrases it contains (compiling all of them took 0.6 s of every process's first search)."""
    pats = []
    for g in glossary():
        for en in g.en:
            if not en:
                continue
            # word boundaries, allow simple plural/possessive suffixes
            pats.append((en, r"(?<![a-z0-9])" + re.escape(en) + r"(?:s|es|'s)?(?![a-z0-9])", g))
    pats.sort(key=lambda p: -len(p[1]))
    return tuple(pats)


def glossary_matches(query: str) -> tuple[list[str], str]:
    """``(Chinese terms, the rest)``: the terms of the glossary phrases found in ``query``
    (longest first, no overlaps) and the lower-cased query with those phrases blanked out."""
    q = query.lower()
    found: list[str] = []
    rest = list(q)
    covered: list[tuple[int, int]] = []
    for en, pattern, g in _glossary_patterns():
        if en not in q:  # the pattern needs the phrase itself: a substring test rules most out
            continue
        for m in re.finditer(pattern, q):
            if any(a < m.end() and m.start() < b for a, b in covered):
                continue
            covered.append((m.start(), m.end()))
            rest[m.start():m.end()] = " " * (m.end() - m.start())
            found.extend(g.zh)
    return list(dict.fromkeys(found)), "".join(rest)


def expand_query(query: str) -> list[str]:
    """Chinese terms for the English words/phrases found in ``query`` (empty for Chinese queries)."""
    return glossary_matches(query)[0]


@functools.lru_cache(maxsize=1)
def _compact_indicators() -> tuple[tuple[str, str], ...]:
    return tuple((name, re.sub(r"\s+", "", name)) for name in indicator_names())


def mentions(text: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(entities, dimensions, indicators) named in ``text``: canonical entity names
    (sorted), dimension and indicator names (longest first). PDF line wraps may split a
    Chinese name, so names are also matched with the whitespace removed."""
    registry = core_io.load_registry()
    compact = re.sub(r"\s+", "", text)
    ents = set(registry.find_in_text(text)) | set(registry.find_in_text(compact))
    dims = tuple(d for d in dimension_names() if d in compact)
    inds = tuple(name for name, bare in _compact_indicators() if bare in compact)
    return tuple(sorted(ents)), dims, inds


def report_names() -> list[str]:
    manifest = read_yaml(MANIFEST_PATH)
    names = [d["title_zh"] for d in manifest["documents"]]
    for d in manifest["documents"]:
        for a in d.get("articles") or []:
            names.append(a["title_zh"])
    names += [t.zh for t in spec_terms() if t.kind == "report"]
    return list(dict.fromkeys(names))


def user_dictionary_words() -> list[str]:
    """Words for the jieba user dictionary: entity names/aliases, dimension, indicator and report names."""
    words: list[str] = []
    words.extend(a for a in alias_map() if not a.isascii())
    words.extend(dimension_names())
    words.extend(indicator_names())
    words.extend(report_names())
    for g in glossary():
        words.extend(g.zh)
    return [w for w in dict.fromkeys(w.strip() for w in words) if w and " " not in w and len(w) >= 2]


# editions and entities added or removed while a process runs (index_core.api.reload)
for _cache in (load_entities, alias_map, known_editions, spec_terms, dimension_names, indicator_names, glossary,
               _glossary_patterns):
    core_catalog.on_reload(_cache.cache_clear)
