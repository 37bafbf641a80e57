"""Indicators and edition titles named loosely: "国家重点实验室" for 国家重点实验室数量, "众创空间"
for 众创空间数, "central-level universities" for "Central-government universities (count)",
"air quality rate" for "Share of days with good air quality", "the city industrial innovation
index" for the City Industrial Innovation Capability Index.

What the exact pass left is compared with every indicator name of the specs and the facts
tables: in Chinese by the longest run of characters shared with a name, in English by the
content words shared with a name (typos and plurals allowed). A match must cover enough of
the name to say which one it is; a vague word ("专利", "patents") names none.
"""
from __future__ import annotations

import functools
import re
from collections import defaultdict
from difflib import SequenceMatcher

from rapidfuzz import fuzz

from index_core import io

from .catalogue import Catalogue, Target
from .lexicon import Words, lexicon
from .mention import Mention

_CJK_RUN = re.compile(r"[\u3400-\u9fffA-Za-z&]{3,}")
_WORD = re.compile(r"r&d|s&t|[a-z]{2,}|\d+k")
MIN_CJK = 3           # shared characters, at least
MIN_SHARE = 0.5       # of the indicator's name (generic words left out)
MIN_WORDS = 2         # shared English content words, at least
MIN_WORD_SHARE = 0.4
# an edition title shares more words with the others ("city", "index"): more must match
TITLE = {"min_cjk": 5, "share": 0.6, "words": 3, "word_share": 0.75}


@functools.lru_cache(maxsize=1)
def _generic() -> tuple[Words, frozenset[str]]:
    g = lexicon()["indicator_generic"]
    return Words(g["zh"]), frozenset(w.lower() for w in g["en"])


def _core_zh(name: str) -> str:
    """The name without generic words (数量, 比重...): what must be matched."""
    spans = _generic()[0].spans(name)
    for a, b in reversed(spans):
        name = name[:a] + name[b:]
    return name


def _content_words(text: str, generic: bool = True) -> list[str]:
    """Words of ``text`` that say something: no question words, and (``generic``) none of the
    words every indicator name has ("count", "score")."""
    stop = (_generic()[1] if generic else frozenset()) | _stopwords()
    return [w for w in _WORD.findall(text.lower()) if w not in stop]


@functools.lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    # superlatives ask who is first; they name no indicator ("highest" is not "high-tech")
    return frozenset(str(w).lower() for w in lexicon()["topic_stopwords"]["en"] + lexicon()["superlative"]["en"])


@functools.lru_cache(maxsize=4)
def _index(cat: Catalogue) -> tuple[dict[str, list[tuple[str, Target]]], list[tuple[tuple[str, ...], Target]]]:
    """Chinese cores by character, and English content words, of every indicator name."""
    by_char: dict[str, list[tuple[str, Target]]] = defaultdict(list)
    latin: list[tuple[tuple[str, ...], Target]] = []
    named = [(zh, en, Target("indicator", target)) for target, (zh, en, _) in cat.indicator_names.items()]
    named += [(zh, en, Target("edition", eid)) for eid, info in cat.editions.items() for zh, en in info.titles]
    for zh, en, target in named:
        core = _core_zh(re.sub(r"[（(][^（）()]*[)）]", "", zh)) if target.kind == "indicator" else \
            re.sub(r"[（(][^（）()]*[)）]|\s", "", zh)
        if len(core) >= 2:
            for c in set(core):
                by_char[c].append((core, target))
        words = tuple(dict.fromkeys(_content_words(re.sub(r"\([^()]*\)", "", en), generic=target.kind == "indicator")))
        if words:
            latin.append((words, target))
    return dict(by_char), latin


@functools.lru_cache(maxsize=4)
def _by_trigram(cat: Catalogue) -> dict[str, list[tuple[str, Target]]]:
    """The Chinese cores by each run of three characters: a core shares at least ``MIN_CJK`` in a
    row with what is said, so only those sharing a trigram with it are worth comparing."""
    out: dict[str, list[tuple[str, Target]]] = defaultdict(list)
    for core, target in dict.fromkeys(x for xs in _index(cat)[0].values() for x in xs):
        for tri in dict.fromkeys(core[i:i + MIN_CJK] for i in range(len(core) - MIN_CJK + 1)):
            out[tri].append((core, target))
    return dict(out)


@functools.lru_cache(maxsize=4)
def _vocabulary(cat: Catalogue) -> tuple[str, ...]:
    """Every English content word of the indicator names and edition titles, once."""
    return tuple(dict.fromkeys(w for words, _ in _index(cat)[1] for w in words))


@functools.lru_cache(maxsize=65536)  # a question word against the words of every indicator name: once each
def _words_like(word: str, cat: Catalogue) -> frozenset[str]:
    return frozenset(w for w in _vocabulary(cat) if _same_word(word, w))


def _enough(target: Target, shared: int, share: float, latin: bool) -> bool:
    if target.kind == "edition":
        return shared >= (TITLE["words"] if latin else TITLE["min_cjk"]) and \
            share >= (TITLE["word_share"] if latin else TITLE["share"])
    return shared >= (MIN_WORDS if latin else MIN_CJK) and share >= (MIN_WORD_SHARE if latin else MIN_SHARE)


def _singular(w: str) -> str:
    return w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w


@functools.lru_cache(maxsize=1)
def _synonyms() -> dict[str, str]:
    """Words users say for the words of indicator names (spend -> expenditure)."""
    lex = lexicon()
    return {str(k): str(v) for k, v in {**lex["indicator_synonyms"], **(lex.get("indicator_synonyms_more") or {})}.items()}


@functools.lru_cache(maxsize=262144)  # a question word against every indicator word: each pair once
def _same_word(a: str, b: str) -> bool:
    a, b = _singular(_synonyms().get(a, a)), _singular(_synonyms().get(b, b))
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if len(short) >= 3 and len(long) >= 4 and long.startswith(short):
        return True  # labs / laboratories, univ / universities
    return len(a) >= 5 and len(b) >= 5 and fuzz.ratio(a, b) >= 85


def _cjk(low: str, cat: Catalogue, taken: list[bool]) -> list[Mention]:
    by_trigram = _by_trigram(cat)
    residue = "".join(" " if taken[i] else c for i, c in enumerate(low))
    out: list[Mention] = []
    for run in _CJK_RUN.finditer(residue):
        text = _fold_zh(run.group(0))
        if text.isascii():
            continue
        candidates = {x for i in range(len(text) - MIN_CJK + 1) for x in by_trigram.get(text[i:i + MIN_CJK], ())}
        best: tuple[float, int, int, list[Target]] | None = None
        for core, target in candidates:
            m = SequenceMatcher(None, text, core, autojunk=False).find_longest_match(0, len(text), 0, len(core))
            if not _enough(target, m.size, m.size / len(core), latin=False):
                continue
            key = (m.size / len(core) + m.size, m.a, m.a + m.size)
            if best is None or key[0] > best[0] + 1e-9:
                best = (key[0], key[1], key[2], [target])
            elif abs(key[0] - best[0]) <= 1e-9 and (key[1], key[2]) == (best[1], best[2]) and target not in best[3]:
                best[3].append(target)
        if best:
            a, b = run.start() + best[1], run.start() + best[2]
            out.append(Mention(a, b, low[a:b], best[3][0].kind, _preferred(best[3], cat), "fuzzy",
                               round(100 * min(1.0, best[0] - (b - a)), 1)))
    return out


def _latin(low: str, cat: Catalogue, taken: list[bool]) -> list[Mention]:
    _, index = _index(cat)
    # a generic word ("per", "share") names no indicator, nor may it stand for one of their words by its prefix ("personnel")
    skip = _stopwords() | _generic()[1]
    toks = [m for m in _WORD.finditer(low) if not any(taken[m.start():m.end()]) and m.group(0) not in skip]
    if len(toks) < MIN_WORDS:
        return []
    best: tuple[float, int, int, list[Target]] | None = None
    like = [_words_like(t.group(0), cat) for t in toks]
    for words, target in index:
        hit = [t for t, ws in zip(toks, like) if not ws.isdisjoint(words)]
        share = len(hit) / len(words)
        if not _enough(target, len(hit), share, latin=True):
            continue
        key = (len(hit) + share, hit[0].start(), hit[-1].end())
        if best is None or key[0] > best[0] + 1e-9:
            best = (key[0], key[1], key[2], [target])
        elif abs(key[0] - best[0]) <= 1e-9 and target not in best[3]:
            best[3].append(target)
    if not best:
        return []
    a, b = best[1], best[2]
    if any(taken[a:b]):  # the words must be one phrase, not spread around a name
        return []
    return [Mention(a, b, low[a:b], best[3][0].kind, _preferred(best[3], cat), "fuzzy", round(100 * (best[0] % 1 or 1.0), 1))]


def _preferred(targets: list[Target], cat: Catalogue) -> tuple[Target, ...]:
    """Equally good names, those of a facts table (values the answer can state) and the
    shortest first."""
    kind = targets[0].kind
    same = [t for t in targets if t.kind == kind]
    if kind != "indicator":
        return tuple(same)
    return tuple(sorted(same, key=lambda t: (not cat.indicator_names[t.target][2], len(t.target), t.target)))


@functools.lru_cache(maxsize=1)
def _zh_synonyms() -> tuple[tuple[str, str], ...]:
    """Chinese words users say for a word of indicator names, of the same length (公司 for 企业),
    so positions in the question stay where they were."""
    pairs = (lexicon().get("indicator_synonyms_zh") or {}).items()
    return tuple((str(k), str(v)) for k, v in pairs if len(str(k)) == len(str(v)))


def _fold_zh(text: str) -> str:
    for said, named in _zh_synonyms():
        text = text.replace(said, named)
    return text


def over_concepts(low: str, cat: Catalogue, found: list[Mention], taken: list[bool]) -> list[Mention]:
    """Indicators whose name a concept's name begins ("科创板上市公司" reads 科创板上市企业数量, not the
    科创板 concept): an indicator match that holds a concept mention and runs past it replaces it,
    when a place is named (a value of the place is asked; with none, the concept is the subject)."""
    out: list[Mention] = qualified(low, cat, found, taken)
    if not any(x.kind == "entity" and x.resolved for x in found):
        return out
    for m in (x for x in found if x.kind == "concept"):
        free = [True] * len(low)
        free[m.start:min(len(low), m.end + 8)] = [False] * (min(len(low), m.end + 8) - m.start)
        free = [f or (t and not m.start <= i < m.end) for i, (f, t) in enumerate(zip(free, taken))]
        out += [x for x in _cjk(low, cat, free) if x.kind == "indicator" and x.start <= m.start and m.end <= x.end
                and (x.end - x.start) > (m.end - m.start)]
    return out


QUALIFIER = 4  # characters before an indicator's name that may qualify it (新增, 当年新增)


def qualified(low: str, cat: Catalogue, found: list[Mention], taken: list[bool]) -> list[Mention]:
    """An indicator named with a qualifier before it that another indicator's name has
    ("新增国家高新技术企业" is 新增国家级高新技术企业, not 国家高新技术企业数): the longer name, when
    its characters, in order, cover the qualifier and the name said and most of its own."""
    by_char, _ = _index(cat)
    out: list[Mention] = []
    for m in (x for x in found if x.kind == "indicator" and x.resolved):
        a = m.start
        while a > 0 and m.start - a < QUALIFIER and not taken[a - 1] and "\u3400" <= low[a - 1] <= "\u9fff":
            a -= 1
        if a == m.start:
            continue
        said, q = _fold_zh(low[a:m.end]), m.start - a
        best: tuple[int, float, int, Target] | None = None
        for core, target in {x for c in set(low[a:m.start]) for x in by_char.get(c, ())}:
            if target.kind != "indicator" or target.target == m.targets[0].target:
                continue
            blocks = [b for b in SequenceMatcher(None, said, core, autojunk=False).get_matching_blocks() if b.size]
            covered = sum(max(0, min(b.a + b.size, q) - b.a) for b in blocks)  # of the qualifier
            hit, share = sum(b.size for b in blocks), sum(b.size for b in blocks) / len(core)
            if covered < 2 or share < 0.8:
                continue  # a qualifier is a word (two characters at least), and most of the name is said
            if best is None or (hit, share) > best[:2]:
                best = (hit, share, a + blocks[0].a, target)
        if best:
            out.append(Mention(best[2], m.end, low[best[2]:m.end], "indicator", (best[3],), "fuzzy", round(100 * best[1], 1)))
    return out


def mentions(low: str, cat: Catalogue, taken: list[bool]) -> list[Mention]:
    """Loose indicator mentions in what the other passes left (``taken`` is updated)."""
    out = _cjk(low, cat, taken)
    wider = qualified(low, cat, out, taken)
    out = [m for m in out if not any(w.end == m.end for w in wider)] + wider + _latin(low, cat, taken)
    for m in out:
        taken[m.start:m.end] = [True] * (m.end - m.start)
    return out


@functools.lru_cache(maxsize=None)
def _facts_of(entity: str) -> tuple[tuple[str, str, str], ...]:
    """(indicator_zh, indicator_en, edition) of every figure the reports print about ``entity``."""
    out: list[tuple[str, str, str]] = []
    for eid in io.edition_ids():
        facts = io.load_edition(eid).facts
        rows = facts[facts["entity"] == entity]
        out += [(zh, en, eid) for zh, en in zip(rows["indicator_zh"], rows["indicator_en"])]
    return tuple(dict.fromkeys(out))


_HAN = re.compile(r"[\u3400-\u9fff]{2,}")  # a shared run of Chinese characters, no digits ("2018年第")
NAME_SHARE = 3  # the words shared must be a third of the figure's name: "academicians", not "above" or "产业"


def of_entity(low: str, entity: str, taken: list[bool]) -> Mention | None:
    """The one printed figure of ``entity`` that the question names by a word of its own
    ("academicians?", "院士呢" after Wuhan; "how many universities does it have"). Among one
    place's few figures a distinctive word says which: two shared Chinese characters (no generic
    ones), or one shared English content word, and no other figure of the place shares as much."""
    residue = "".join(" " if taken[i] else c for i, c in enumerate(low))
    words_ = _content_words(residue)
    generic_zh, figure_words = _generic()[0], Words(lexicon()["figure_asked"]["zh"])
    scored: list[tuple[int, str, str, int, int]] = []
    for zh, en, eid in _facts_of(entity):
        core = _core_zh(zh)
        m = SequenceMatcher(None, residue, core, autojunk=False).find_longest_match(0, len(residue), 0, len(core))
        span = residue[m.a:m.a + m.size]
        if _HAN.fullmatch(span) and not generic_zh(span) and not figure_words(span) and \
                m.size * NAME_SHARE >= len(core):  # "得分" asks for a score, it names no figure
            scored.append((m.size, zh, eid, m.a, m.a + m.size))
            continue
        own = [_singular(w) for w in _content_words(en)]
        shared = [w for w in words_ if _singular(w) in own]
        # one English word must head the name ("academicians" of "Academicians of CAS and CAE"), not
        # qualify it ("gdp" of "R&D spending as % of GDP")
        if shared and len(shared) * NAME_SHARE >= len(own) and (len(shared) > 1 or _singular(shared[0]) == own[0]):
            at = residue.find(shared[0])
            scored.append((len(shared), zh, eid, at, at + len(shared[0])))
    scored.sort(key=lambda x: -x[0])
    if not scored or len(scored) > 1 and scored[1][0] == scored[0][0] and scored[1][1] != scored[0][1]:
        return None
    size, zh, eid, a, b = scored[0]
    return Mention(a, b, low[a:b], "indicator", (Target("indicator", zh, eid),), "fuzzy", 80.0)


def with_fact(low: str, found: list[Mention], before: tuple[str, ...] = ()) -> list[Mention]:
    """``found`` plus the figure of the one place the turn is about (named, else the one place of
    the turn ``before``) that it names by a word of its own, when it names no measure yet."""
    places = list(dict.fromkeys(m.targets[0].target for m in found if m.kind == "entity" and m.resolved))
    subject = places if places else list(before)
    if len(subject) == 1:
        found = _concepts_as_figures(found, subject[0])
    if len(subject) != 1 or any(m.kind in ("indicator", "dimension", "concept") for m in found):
        return found
    # a word read as an unknown place ("院士呢") may be the figure's name
    taken = [any(m.start <= i < m.end for m in found if m.resolved) for i in range(len(low))]
    extra = of_entity(low, subject[0], taken)
    if extra is None:
        return found
    kept = [m for m in found if m.resolved or m.end <= extra.start or m.start >= extra.end]
    return sorted(kept + [extra], key=lambda m: m.start)


def _concepts_as_figures(found: list[Mention], entity: str) -> list[Mention]:
    """A concept named beside a place whose one printed figure carries the concept's name ("STAR
    Market listings" of Shanghai is its 科创板上市企业数量): that figure, not the concept's text."""
    out = []
    for m in found:
        if m.kind == "concept" and m.resolved:
            said = m.surface.lower()
            hits = {(zh, eid) for zh, en, eid in _facts_of(entity) if said in zh.lower() or said in (en or "").lower()}
            if len({zh for zh, _ in hits}) == 1:
                zh, eid = sorted(hits)[0]
                m = Mention(m.start, m.end, m.surface, "indicator", (Target("indicator", zh, eid),), "alias", 90.0)
        out.append(m)
    return out
