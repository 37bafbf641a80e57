"""Entities, edition specs and the bilingual glossary, as the retrieval layer sees them.

The entity registry comes from ``index_core.entities.load_registry()`` when that
module exists; until then :func:`load_entities` reads ``index_core/data/entities.csv``
itself (the only place that knows the CSV layout, so it is one swap later).
Edition specs (``index_core/data/editions/<id>/spec.yaml``) are optional.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .config import GLOSSARY_PATH, MANIFEST_PATH

_REPO_DATA = Path(__file__).resolve().parent.parent / "index_core" / "data"


@dataclass(frozen=True)
class Entity:
    name: str
    name_en: str
    kind: str
    region: str
    aliases: tuple[str, ...]


def _derive_aliases(name: str, name_en: str, kind: str, extra: list[str]) -> tuple[str, ...]:
    out = [name, name_en, name_en.lower(), *extra, *(a.lower() for a in extra if a.isascii())]
    if kind == "city" and not name.endswith("市"):
        out.append(name + "市")
    if kind == "district" and len(name) > 2 and name[-1] in "区县":
        out.append(name[:-1])  # 渝北区 -> 渝北
    if "'" in name_en:
        out.append(name_en.replace("'", ""))
        out.append(name_en.replace("'", "").lower())
    return tuple(dict.fromkeys(a.strip() for a in out if a and a.strip()))


def _entities_from_csv(path: Path) -> list[Entity]:
    ents: list[Entity] = []
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            name = (row.get("name") or "").strip()
            if not name:
                continue
            name_en = (row.get("name_en") or "").strip()
            kind = (row.get("kind") or "").strip()
            extra = [a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()]
            ents.append(Entity(name, name_en, kind, (row.get("region") or "").strip(),
                               _derive_aliases(name, name_en, kind, extra)))
    return ents


@functools.lru_cache(maxsize=1)
def load_entities() -> tuple[Entity, ...]:
    """All registry entities (canonical name, English name, kind, region, aliases)."""
    try:  # the team lead's registry, once it exists
        from index_core.entities import load_registry  # type: ignore

        reg = load_registry()
        return tuple(
            Entity(e.name, e.name_en, e.kind, e.region,
                   tuple(dict.fromkeys((e.name, e.name_en, *tuple(e.aliases)))))
            for e in reg.entities
        )
    except Exception:
        pass
    path = _REPO_DATA / "entities.csv"
    if not path.exists():
        return ()
    return tuple(_entities_from_csv(path))


@functools.lru_cache(maxsize=1)
def alias_map() -> dict[str, str]:
    """alias (as written, plus lower-case for ASCII) -> canonical name."""
    out: dict[str, str] = {}
    for e in load_entities():
        for a in e.aliases:
            if len(a) < 2:
                continue
            out.setdefault(a, e.name)
            if a.isascii():
                out.setdefault(a.lower(), e.name)
    return out


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
def load_specs() -> dict[str, dict]:
    """edition id -> parsed spec.yaml (editions without a spec are absent)."""
    out: dict[str, dict] = {}
    root = _REPO_DATA / "editions"
    if not root.is_dir():
        return out
    for spec in sorted(root.glob("*/spec.yaml")):
        try:
            data = yaml.safe_load(spec.read_text(encoding="utf-8")) or {}
        except Exception:
            continue
        if isinstance(data, dict):
            out[spec.parent.name] = data
    return out


@functools.lru_cache(maxsize=1)
def known_editions() -> tuple[str, ...]:
    eds: set[str] = set()
    root = _REPO_DATA / "editions"
    if root.is_dir():
        eds.update(p.name for p in root.iterdir() if p.is_dir())
    manifest = yaml.safe_load(MANIFEST_PATH.read_text(encoding="utf-8"))
    for d in manifest["documents"]:
        eds.update(d.get("editions") or [])
    return tuple(sorted(eds))


def _strip_unit(s: str) -> str:
    return re.sub(r"[（(][^（）()]*[)）]\s*$", "", s).strip()


@functools.lru_cache(maxsize=1)
def spec_terms() -> tuple[Term, ...]:
    """Dimension, indicator and report names from the edition specs."""
    terms: list[Term] = []
    for ed, spec in load_specs().items():
        for d in spec.get("dimensions") or []:
            if isinstance(d, dict) and d.get("zh"):
                terms.append(Term(str(d["zh"]), str(d.get("en") or ""), "dimension", ed))
        for i in spec.get("indicators") or []:
            if isinstance(i, dict) and i.get("zh"):
                terms.append(Term(_strip_unit(str(i["zh"])), str(i.get("en") or ""), "indicator", ed))
        for key in ("title", "report"):
            t = spec.get(key)
            if isinstance(t, dict) and t.get("zh"):
                terms.append(Term(str(t["zh"]), str(t.get("en") or ""), "report", ed))
    return tuple(terms)


# Dimension names as the reports print them, for when specs are missing (and the
# short forms the narrative uses: 产业创新基础 -> 创新基础).
_FALLBACK_DIMENSIONS = (
    ("创新基础", "innovation base"), ("创新投入", "innovation input"), ("创新产出", "innovation output"),
    ("创新环境", "innovation environment"), ("科研人才", "research talent"), ("硬科技投入", "hard-tech investment"),
    ("高新技术产出", "high-tech output"), ("硬科技企业", "hard-tech enterprises"),
    ("科技创新环境", "innovation environment"), ("双创活力", "entrepreneurial vitality"),
    ("双创环境", "entrepreneurial environment"), ("双创成效", "entrepreneurial results"),
)


@functools.lru_cache(maxsize=1)
def dimension_names() -> tuple[str, ...]:
    names = {t.zh for t in spec_terms() if t.kind == "dimension"}
    names.update(z for z, _ in _FALLBACK_DIMENSIONS)
    return tuple(sorted(names, key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def indicator_names() -> tuple[str, ...]:
    names = {t.zh for t in spec_terms() if t.kind == "indicator" and len(t.zh) >= 3}
    return tuple(sorted(names, key=len, reverse=True))


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
        en = tuple(dict.fromkeys(a.lower() for a in e.aliases if a.isascii() and len(a) > 2))
        zh = tuple(dict.fromkeys(a for a in e.aliases if not a.isascii()))
        if en and zh:
            out.append(GlossaryEntry(en, zh, "entity"))
    for t in spec_terms():
        if t.en:
            out.append(GlossaryEntry((t.en.lower(),), (t.zh,), t.kind))
    for zh, en in _FALLBACK_DIMENSIONS:
        out.append(GlossaryEntry((en,), (zh,), "dimension"))
    if GLOSSARY_PATH.exists():
        data = yaml.safe_load(GLOSSARY_PATH.read_text(encoding="utf-8")) or {}
        for item in data.get("terms") or []:
            en = item.get("en") or []
            zh = item.get("zh") or []
            en = [en] if isinstance(en, str) else en
            zh = [zh] if isinstance(zh, str) else zh
            out.append(GlossaryEntry(tuple(x.lower() for x in en), tuple(zh), item.get("kind", "term")))
    return tuple(out)


@functools.lru_cache(maxsize=1)
def _glossary_patterns() -> tuple[tuple[re.Pattern[str], GlossaryEntry], ...]:
    pats = []
    for g in glossary():
        for en in g.en:
            if not en:
                continue
            # word boundaries, allow simple plural/possessive suffixes
            pats.append((re.compile(r"(?<![a-z0-9])" + re.escape(en) + r"(?:s|es|'s)?(?![a-z0-9])"), g))
    # longest first so "innovation base" wins over "innovation"
    pats.sort(key=lambda p: -len(p[0].pattern))
    return tuple(pats)


def expand_query(query: str) -> list[str]:
    """Chinese terms for the English words/phrases found in ``query`` (empty for Chinese queries)."""
    q = query.lower()
    found: list[str] = []
    covered: list[tuple[int, int]] = []
    for pat, g in _glossary_patterns():
        for m in pat.finditer(q):
            if any(a < m.end() and m.start() < b for a, b in covered):
                continue
            covered.append((m.start(), m.end()))
            found.extend(g.zh)
    return list(dict.fromkeys(found))


def report_names() -> list[str]:
    manifest = yaml.safe_load(MANIFEST_PATH.read_text(encoding="utf-8"))
    names = [d["title_zh"] for d in manifest["documents"]]
    for d in manifest["documents"]:
        for a in d.get("articles") or []:
            names.append(a["title_zh"])
    names += [t.zh for t in spec_terms() if t.kind == "report"]
    return list(dict.fromkeys(names))


def user_dictionary_words() -> list[str]:
    """Words for the jieba user dictionary: entity names/aliases, dimension, indicator and report names."""
    words: list[str] = []
    for e in load_entities():
        words.extend(a for a in e.aliases if not a.isascii())
    words.extend(dimension_names())
    words.extend(indicator_names())
    words.extend(report_names())
    for g in glossary():
        words.extend(g.zh)
    return [w for w in dict.fromkeys(w.strip() for w in words) if w and " " not in w and len(w) >= 2]
