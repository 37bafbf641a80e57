"""Everything a question can name, read from the data: entities (registry aliases and
their pinyin), editions (ids, titles, report names, years, periods, entity kinds),
dimensions / fields / sub-indices and indicators (specs, ``facts.csv``), and concepts
(``assistant/offline/concepts/*.yaml``). A new edition or concept file needs no code.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from index_core import io

from ...concept_index import entries as concept_entries
from . import pinyin
from .lexicon import lexicon

_PAREN = re.compile(r"[（(][^（）()]*[)）]")
_LATIN_SEP = re.compile(r"[\s'’.\-]+")


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Key for Latin spellings: case-, space-, hyphen- and apostrophe-insensitive (Xi'an = xian),
    and number-insensitive for words of four letters or more ("hard-tech enterprise" = "hard-tech
    enterprises"; "class" keeps its s)."""
    return "".join(_singular(w) for w in _LATIN_SEP.split(text.casefold()))


def _singular(word: str) -> str:
    if len(word) < 4 or not word.isascii() or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    return word[:-3] + "y" if word.endswith("ies") else word[:-1]


@dataclass(frozen=True)
class Target:
    """What a surface form names. ``edition`` is set for dimensions and indicators."""

    kind: str            # entity | dimension | indicator | edition | concept
    target: str          # canonical name / dimension key / indicator_zh / edition id / concept id
    edition: str | None = None


@dataclass(frozen=True)
class EditionInfo:
    id: str
    year: int
    data_year: int | None
    period: str | None
    kind: str                              # city | district | global_city
    members: frozenset[str]
    dimensions: tuple[str, ...]            # keys, in spec order
    dimension_names: dict = field(hash=False, compare=False)   # key -> (zh, en, aliases)
    titles: tuple[tuple[str, str], ...] = ()                    # (zh, en) of its title and its report
    last_tier: int | None = None                                # number of its lowest tier or class; None: no tiers


@dataclass(frozen=True)
class Concept:
    id: str
    kind: str
    names_zh: tuple[str, ...]
    names_en: tuple[str, ...]
    edition: str | None = None
    people: tuple[str, ...] = ()     # people an origin story names: "who is 米磊" links to it


@dataclass(eq=False)  # hashed by identity: caches key on the one catalogue
class Catalogue:
    editions: dict[str, EditionInfo]
    cjk_forms: dict[str, list[Target]]        # forms with any non-ASCII character, lower-cased
    latin_forms: dict[str, list[Target]]      # folded ASCII forms
    cjk_lengths: dict[str, tuple[int, ...]]   # first character -> lengths of the forms it starts, longest first
    latin_max_words: int
    entity_kind: dict[str, str]
    entity_region: dict[str, str]
    entity_names: dict[str, tuple[str, ...]]  # canonical -> its Chinese forms (for homophones)
    entity_latin: dict[str, str]              # folded Latin form -> canonical (for fuzzy matching)
    dimension_latin: dict[str, list[Target]]  # lower-cased English names for fuzzy matching
    dimension_cjk: dict[str, list[Target]]
    concepts: dict[str, Concept]
    vocabulary: frozenset[str]                # every Latin word of every form (not names)
    indicator_names: dict[str, tuple[str, str, bool]] = field(default_factory=dict)  # target -> (zh, en, in a facts table)
    initials: dict[str, str] = field(default_factory=dict)  # "CD" -> 成都: the pinyin initials one Chinese city alone has
    dimension_heads: dict[str, list[Target]] = field(default_factory=dict)  # "投入" -> each weighted edition's 创新投入 / 硬科技投入


    def targets(self, form: str) -> list[Target]:
        if form.isascii():
            return self.latin_forms.get(fold(form), [])
        return self.cjk_forms.get(form.lower(), [])

    def editions_of_kind(self, kind: str) -> list[EditionInfo]:
        return [e for e in self.editions.values() if e.kind == kind]

    @functools.cached_property
    def district_editions_of(self) -> dict[str, tuple[str, ...]]:
        """City -> the district editions whose districts lie in it (重庆 -> its district index)."""
        out: dict[str, list[str]] = defaultdict(list)
        for e in self.editions_of_kind("district"):
            for region in {self.entity_region.get(x) for x in e.members} - {None, ""}:
                out[region].append(e.id)
        return {k: tuple(v) for k, v in out.items()}


def _initials(names: list[str], latin: dict[str, list[Target]]) -> dict[str, str]:
    """Pinyin initials of two-character city names (成都 -> CD, 武汉 -> WH), kept only where one
    city has them and no form of the data is spelt so (HK is Hong Kong's, not 海口's; SZ is
    深圳's alias, and 苏州 shares it)."""
    by: dict[str, list[str]] = defaultdict(list)
    for name in names:
        if len(name) == 2:
            by["".join(pinyin.syllables(name)[i][:1] for i in range(2)).upper()].append(name)
    return {k: v[0] for k, v in by.items() if len(v) == 1 and k.isalpha() and fold(k) not in latin}


def _add(table: dict[str, list[Target]], key: str, target: Target) -> None:
    if key and target not in table[key]:
        table[key].append(target)


def _edition_forms(spec) -> list[str]:
    forms = [spec.id]
    for label in (spec.title, spec.report):
        if label is None:
            continue
        for name in (label.zh, label.en):
            forms.append(name)
            bare = _PAREN.sub("", name).strip()
            forms.append(bare)
            forms += [m.strip("()（） ") for m in _PAREN.findall(name) if re.search(r"[A-Za-z]{2,}", m)]
    forms += spec.edition_names("zh") + spec.edition_names("en")
    acronyms = [f for f in forms if re.fullmatch(r"[A-Z]{2,}(?:-[A-Za-z]+)?", f)]
    forms += [a.split("-")[0] for a in acronyms]
    forms += [_CJK_GAP.sub("", f) for f in forms]  # "2019 中国硬科技发展白皮书" is typed "2019中国…"
    return [f for f in dict.fromkeys(forms) if f and not re.fullmatch(r"[（(].*[)）]", f)]


_CJK_GAP = re.compile(r"(?<=[\d\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])\s+(?=\d)")


_QUALIFIER = re.compile(r"(?:19|20)\d{2}|季度|较|增|降|排名|最大|门槛|TOP")


def _head_words(dimensions) -> dict[str, str]:
    """Dimension key -> the last word of its English name where no other dimension of the
    edition ends in it ("Innovation and entrepreneurship environment" -> "environment")."""
    heads = {d.key: d.en.lower().split()[-1] for d in dimensions if d.en and len(d.en.split()[-1]) >= 5}
    counts = Counter(heads.values())
    return {k: h for k, h in heads.items() if counts[h] == 1}


def _cjk_heads(dimensions) -> dict[str, str]:
    """Dimension key -> the last two characters of its Chinese name where no other dimension of
    the edition ends in them (硬科技投入 -> 投入): how people shorten a weighted dimension."""
    heads = {d.key: d.zh[-2:] for d in dimensions if d.weight is not None and len(d.zh) > 2}
    counts = Counter(heads.values())
    return {k: h for k, h in heads.items() if counts[h] == 1}


def _unqualified(name: str) -> str:
    """The name without a remark in brackets ("国家重点实验室数量（原文：超过100个）"); a bracket
    that qualifies what is measured ("双创指数得分（2018年第2季度）": another quarter) stays."""
    return name if any(_QUALIFIER.search(m) for m in _PAREN.findall(name)) else _PAREN.sub("", name).strip()


def _lengths_by_first(forms: dict[str, list[Target]]) -> dict[str, tuple[int, ...]]:
    out: dict[str, set[int]] = defaultdict(set)
    for key in forms:
        out[key[0]].add(len(key))
    return {c: tuple(sorted(v, reverse=True)) for c, v in out.items()}


def load_concepts() -> dict[str, Concept]:
    out: dict[str, Concept] = {}
    for c in concept_entries():
        names = c.get("names") or {}
        out[c["id"]] = Concept(id=c["id"], kind=c.get("kind", "definition"),
                               names_zh=tuple(names.get("zh") or ()), names_en=tuple(names.get("en") or ()),
                               edition=c.get("edition"), people=tuple(str(p) for p in c.get("people") or ()))
    return out


_YEAR_IN = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")




@functools.lru_cache(maxsize=1)
def _question_word() -> re.Pattern:
    """A question word (lexicon ``question_words``): a concept name with one is a question, not a term."""
    forms = lexicon()["question_words"]
    latin = "|".join(re.escape(w) for w in forms["en"])
    return re.compile(rf"(?i)^(?:{latin})\b|" + "|".join(re.escape(w) for w in forms["zh"]))
_LATIN_TOKEN = re.compile(r"[A-Za-z0-9&]+")


def _composed(form: str, cjk: dict, latin: dict) -> bool:
    """Is ``form`` a phrase made of other things the data names (an entity, a dimension, an
    edition, an indicator), or does it hold a year or a question word? Such a concept name
    ("北京2019", "渝北区", "双创活力最高", "why is Shenzhen weak on innovation base") would hide
    what the question asks: its parts are linked as what they are, and the answers find the
    entry from the question's text."""
    if _YEAR_IN.search(form) or _question_word().search(form):
        return True
    if form.isascii():
        words = _LATIN_TOKEN.findall(form)
        return any(fold(" ".join(words[i:j])) in latin
                   for i in range(len(words)) for j in range(i + 1, len(words) + 1) if j - i < len(words))
    low = form.lower()
    return any(low[i:j] in cjk for i in range(len(low)) for j in range(i + 2, len(low) + 1) if j - i < len(low)) or \
        any(fold(w) in latin for w in _LATIN_TOKEN.findall(form))  # "GTII前15名"


@functools.lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    registry = io.load_registry()
    cjk: dict[str, list[Target]] = defaultdict(list)
    latin: dict[str, list[Target]] = defaultdict(list)
    dim_latin: dict[str, list[Target]] = defaultdict(list)
    dim_cjk: dict[str, list[Target]] = defaultdict(list)
    dim_heads: dict[str, list[Target]] = defaultdict(list)
    vocabulary: set[str] = set()
    max_words = [1]

    def add(form: str, target: Target, single: bool = False) -> None:
        form = unicodedata.normalize("NFKC", form).strip()  # as the question is read (normalise.py)
        if len(form) < 2 and not form.isascii() and not single:
            return
        if form.isascii():
            _add(latin, fold(form), target)
            max_words[0] = max(max_words[0], len(re.findall(r"[A-Za-z0-9&]+", form)))
            if target.kind != "entity":
                vocabulary.update(w.lower() for w in re.findall(r"[A-Za-z&]+", form))
        else:
            _add(cjk, form.lower(), target)

    # entities: every alias of the registry, and the pinyin of each Chinese name where unambiguous
    for alias, name in registry.alias_map().items():
        if len(alias) >= 2:
            add(alias, Target("entity", name))
    for e in registry.entities:
        for alias in e.aliases:  # a one-character alias the registry declares itself (沪 for 上海), never a derived one
            if len(alias) == 1 and not alias.isascii():
                add(alias, Target("entity", e.name), single=True)
        for zh in {e.name, e.name[:-1] if e.kind == "district" and e.name[-1] in "区县" and len(e.name) > 2 else e.name}:
            key = fold(pinyin.romanise(zh))
            if key and key not in latin:
                add(key, Target("entity", e.name))
    editions: dict[str, EditionInfo] = {}
    indicator_names: dict[str, tuple[str, str]] = {}
    for eid in io.edition_ids():
        ed = io.load_edition(eid)
        spec = ed.spec
        for form in _edition_forms(spec):
            add(form, Target("edition", eid))
        names = {}
        for d in spec.dimensions:
            names[d.key] = (d.zh, d.en, tuple(d.aliases))
            for form in (d.zh, d.en, *d.aliases):
                t = Target("dimension", d.key, eid)
                add(form, t)
                (dim_latin[form.lower()] if form.isascii() else dim_cjk[form]).append(t)
            key = fold(pinyin.romanise(d.zh))
            if key and key not in latin:  # "shuangchuang huoli" for 双创活力, as entities are read in pinyin
                add(key, Target("dimension", d.key, eid))
        for key, head in _head_words(spec.dimensions).items():
            # a slip in the distinctive word ("enviroment") still finds this edition's dimension
            # when the question names the edition ("chongqing ... enviroment" is its 双创环境)
            if Target("dimension", key, eid) not in dim_latin[head]:
                dim_latin[head].append(Target("dimension", key, eid))
        for key, head in _cjk_heads(spec.dimensions).items():
            dim_heads[head].append(Target("dimension", key, eid))
        for ind in spec.indicators:
            canonical = _PAREN.sub("", ind.zh).strip()
            indicator_names.setdefault(canonical, (ind.zh, ind.en, False))
            for form in (canonical, ind.zh, ind.en):
                add(form, Target("indicator", canonical, eid))
        for zh, en in sorted(set(zip(ed.facts["indicator_zh"], ed.facts["indicator_en"]))):
            indicator_names[zh] = (zh, en, True)
            for form in (zh, _unqualified(zh), en):
                add(form, Target("indicator", zh, eid))
        editions[eid] = EditionInfo(
            id=eid, year=spec.edition_year, data_year=spec.data_year, period=spec.period, kind=spec.entity_kind,
            members=frozenset(ed.entities), dimensions=tuple(d.key for d in spec.dimensions), dimension_names=names,
            titles=tuple((label.zh, label.en) for label in (spec.title, spec.report) if label is not None),
            last_tier=max((r.tier for r in spec.tiers.rules), default=None) if spec.tiers else None)
    concepts = load_concepts()
    named_cjk, named_latin = dict(cjk), dict(latin)  # what the data names besides concepts
    for c in concepts.values():
        # an index's own names ("双创指数") name its edition
        target = Target("edition", c.edition) if c.kind == "index" and c.edition in editions else \
            Target("concept", c.id, c.edition)
        for form in (*c.names_zh, *c.names_en, *c.people):
            if not _composed(form, named_cjk, named_latin):
                add(form, target)
    entity_latin = {k: ts[0].target for k, ts in latin.items() if ts[0].kind == "entity"}
    zh_names: dict[str, list[str]] = defaultdict(list)
    for key, ts in cjk.items():
        for t in ts:
            if t.kind == "entity":
                zh_names[t.target].append(key)
    return Catalogue(
        editions=editions, cjk_forms=dict(cjk), latin_forms=dict(latin),
        cjk_lengths=_lengths_by_first(cjk),
        latin_max_words=max_words[0],
        entity_kind={e.name: e.kind for e in registry.entities},
        initials=_initials([e.name for e in registry.entities if e.kind == "city"], latin),
        entity_region={e.name: e.region for e in registry.entities},
        entity_names={k: tuple(v) for k, v in zh_names.items()}, entity_latin=entity_latin,
        dimension_latin=dict(dim_latin), dimension_cjk=dict(dim_cjk), concepts=concepts,
        vocabulary=frozenset(vocabulary), indicator_names=indicator_names, dimension_heads=dict(dim_heads))
