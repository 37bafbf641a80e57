"""What the exact pass left: typos (Shenzen, Hangzou, innovaton base), homophones
(深证, 杭洲, 创新基出) and names the data does not cover (洛阳, Gotham, 亚特兰蒂斯).

Scores are rapidfuzz ratios (0..100) of folded Latin forms or of pinyin; a match
below the acceptance threshold still yields suggestions, never a silent link.
"""
from __future__ import annotations

import functools
import re
from collections import defaultdict

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Levenshtein

from ... import retrieval
from . import pinyin, places
from .catalogue import Catalogue, Target, fold
from .lexicon import Words, lexicon, patterns
from .mention import Mention

_LATIN_WORD = re.compile(r"[a-z][a-z&\-]*[a-z]|[a-z]")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
ACCEPT = 86.0          # a fuzzy Latin match at or above this links (with method "fuzzy")
ACCEPT_SHORT = 90.0    # ... for words of 4-5 letters
SUGGEST = 60.0
SUGGEST_CJK = 66.0
HOMOPHONE_OTHER_HEAD = 85.0  # a homophone with another first character: "did you mean", not a link
SOUNDS_LIKE = 65.0     # pinyin ratio of a Chinese name that shares its first character (深川 ~ 深圳)
HOMOPHONE = 95.0       # the score of a name read exactly as a covered one sounds
SLIP_LINK = 83.0       # ...at or above which a slip of one character (not its first) links: 宁坡 ningpo ~ 宁波 ningbo
SHORT_NAME = 4         # characters: most Chinese place names (洛阳, 呼和浩特)
# lexicon entries that are context words for names, not vocabulary of their own
_NOT_FORMS = {"homoglyphs", "name_followers", "name_preceders", "name_slot_followers", "name_slot_preceders", "not_names",
              "compared_with", "each_words", "heading_joins"}


def _strings(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for k, v in node.items() if k not in _NOT_FORMS and not str(k).endswith("patterns") for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


@functools.lru_cache(maxsize=1)
def _lexicon_forms() -> tuple[frozenset[str], Words]:
    forms = _strings(lexicon())
    latin = frozenset(w for f in forms if f.isascii() for w in re.findall(r"[a-z&\-]+", f.lower().rstrip("*")))
    return latin, Words(f for f in forms if not f.isascii() and len(f) >= 1)


@functools.lru_cache(maxsize=4)
def known_words(cat: Catalogue) -> frozenset[str]:
    """Latin words that are not names: the lexicon's, the catalogue's non-entity forms, and
    the words of the exemplar bank (the classifier's word features)."""
    from . import bank, classifier

    try:
        bank_words = {f[2:] for f in classifier.load().index if f.startswith("w:") and f[2:].isascii()}
    except FileNotFoundError:  # training the first model
        bank_words = set()
    known = _lexicon_forms()[0] | cat.vocabulary
    return known | frozenset(bank_words - bank.slips(bank_words, known))  # "inovation" is still a typo


@functools.lru_cache(maxsize=4)
def _entity_cjk_by_length(cat: Catalogue) -> dict[int, list[tuple[str, str]]]:
    out: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for name, forms in cat.entity_names.items():
        for f in forms:
            out[len(f)].append((f, name))
    return out


@functools.lru_cache(maxsize=4)
def _entity_index(cat: Catalogue) -> tuple[dict, dict]:
    """Chinese entity forms by their reading ("chong qing") and by (length, position, character)."""
    by_sound: dict[str, list[tuple[str, str]]] = defaultdict(list)
    by_char: dict[tuple[int, int, str], list[tuple[str, str]]] = defaultdict(list)
    for name, forms in cat.entity_names.items():
        for f in forms:
            by_sound[" ".join(pinyin.syllables(f))].append((f, name))
            for i, c in enumerate(f):
                by_char[(len(f), i, c)].append((f, name))
    return by_sound, by_char


def _suggest(query: str, choices: dict[str, str], limit: int = 3, cutoff: float = SUGGEST) -> list[tuple[str, float]]:
    out: list[tuple[str, float]] = []
    for key, score, _ in process.extract(query, choices.keys(), scorer=fuzz.ratio, limit=10, score_cutoff=cutoff):
        name = choices[key]
        if name not in [n for n, _ in out]:
            out.append((name, score))
    return out[:limit]


def _swapped(query: str, choices: dict[str, str]) -> tuple[str, float] | None:
    """The one name that ``query`` spells with two neighbouring letters swapped ("Hefie", "Wuhna"):
    a typing slip, which the ratio scores like two edits. A name one letter away is a different
    name as often as a slip (Suzhou, Xuzhou), so only a swap links, and only when it is unique."""
    if len(query) < 4:
        return None
    names = {choices[k] for k in choices
             if len(k) == len(query) and OSA.distance(query, k) == 1 and Levenshtein.distance(query, k) == 2}
    return (names.pop(), ACCEPT_SHORT) if len(names) == 1 else None


def _latin(t, low: str, cat: Catalogue, taken: list[bool]) -> list[Mention]:
    known = known_words(cat)
    all_toks = list(_LATIN_WORD.finditer(low))
    toks = [m for m in all_toks if not any(taken[m.start():m.end()])]
    first_word = re.search(r"[a-z]", low)
    out: list[Mention] = []
    used: set[int] = set()
    for k, m in enumerate(toks):
        word = m.group(0)
        if k in used or word in known or len(word) < 3:
            continue
        start, end = m.span()
        nxt = toks[k + 1] if k + 1 < len(toks) and toks[k + 1].start() - end <= 1 else None
        # entity typo: the word alone, or joined with the next ("Hang zou")
        queries = [(fold(word), end)] + ([(fold(word + nxt.group(0)), nxt.end())] if nxt else [])
        place_end = next((e for q, e in reversed(queries) if places.uncovered(q, cat)), None)
        if place_end is not None:  # "Xianyang", "wu hu": a city of its own that no edition covers, not a slip
            out.append(Mention(start, place_end, low[start:place_end], "entity"))
            used.update({k, k + 1} if place_end != end else {k})
            continue
        best = max(((q, e, _suggest(q, cat.entity_latin)) for q, e in queries), key=lambda x: x[2][0][1] if x[2] else 0)
        query, q_end, hits = best
        threshold = ACCEPT_SHORT if len(query) <= 5 else ACCEPT
        if (not hits or hits[0][1] < threshold) and (swap := _swapped(fold(word), cat.entity_latin)):
            query, q_end, hits = fold(word), end, [swap] + [h for h in hits if h[0] != swap[0]]
        if hits and (hits[0][1] >= threshold or _one_slip(query, cat)):
            out.append(Mention(start, q_end, low[start:q_end], "entity", (Target("entity", hits[0][0]),), "fuzzy",
                               round(hits[0][1], 1), tuple(n for n, _ in hits)))
            used.update({k, k + 1} if q_end != end else {k})
            continue
        dim = _dimension_window(low, all_toks, all_toks.index(m) if m in all_toks else 0, cat)
        if dim:
            out.append(dim)
            used.update(j for j, x in enumerate(toks) if dim.start <= x.start() < dim.end)
            continue
        poss = low[end:end + 2] in ("'s", "’s")
        # a capital opening the question is the sentence's, unless a place's suffix follows ("Liangjiang New Area")
        capital = t.text[start:start + 1].isupper() and (
            first_word is None or start != first_word.start() or not _near_known(word, known) or
            nxt is not None and t.text[nxt.start():nxt.start() + 1].isupper() and nxt.group(0) in lexicon()["name_suffixes"])
        slot = _in_name_slot(all_toks, all_toks.index(m))  # the words beside it as written, names included
        if "-" in word and all(p in _not_names() or p in known for p in word.split("-") if p):
            continue  # "China-US", "top-ten": words joined, not a name
        if word not in _not_names() and (capital or poss or slot):
            name_end = end
            while nxt and t.text[nxt.start()].isupper() and nxt.group(0) not in known:
                name_end, used = nxt.end(), used | {toks.index(nxt)}
                nxt = toks[toks.index(nxt) + 1] if toks.index(nxt) + 1 < len(toks) else None
            out.append(Mention(start, name_end, low[start:name_end], "entity", (), "fuzzy",
                               round(hits[0][1], 1) if hits else 0.0, tuple(n for n, _ in hits)))
    return out


def _one_slip(query: str, cat: Catalogue) -> bool:
    """Is ``query`` one letter away (dropped, added, changed or swapped) from exactly one entity's Latin
    form, and long enough (4+) for that to be a slip ("Wuhn" ~ "Wuhan"), not another word?"""
    if len(query) < 4:
        return False
    near = {name for form, name in cat.entity_latin.items() if OSA.distance(query, form, score_cutoff=1) <= 1}
    return len(near) == 1


def _near_known(word: str, known: frozenset[str]) -> bool:
    """Is ``word`` a question word or a typo of one ("Whta")? Then a capital at the start of
    the question is the sentence's, not a name's."""
    return word in known or process.extractOne(word, known, scorer=fuzz.ratio, score_cutoff=75) is not None


@functools.lru_cache(maxsize=1)
def _not_names() -> frozenset[str]:
    return frozenset(str(w).lower() for w in lexicon()["not_names"])


def _in_name_slot(toks: list, k: int) -> bool:
    lex = lexicon()
    before = toks[k - 1].group(0) if k else ""
    after = toks[k + 1].group(0) if k + 1 < len(toks) else ""
    return before in lex["name_slot_preceders"] and (after in lex["name_slot_followers"] or not after)


def _dimension_window(low: str, toks: list, k: int, cat: Catalogue) -> Mention | None:
    """A dimension's name spelt nearly right in up to three words holding the unknown word ``k`` ("innovation imput")."""
    best = None
    for width in (3, 2, 1):
        for first in range(max(0, k - width + 1), min(k, len(toks) - width) + 1):
            start, end = toks[first].start(), toks[first + width - 1].end()
            window = low[start:end]
            if len(window) < 5:
                continue
            hit = process.extractOne(window, cat.dimension_latin.keys(), scorer=fuzz.ratio, score_cutoff=ACCEPT)
            if hit and (best is None or hit[1] > best[0][1]):
                best = (hit, start, end, window)
    if best is None:
        return None
    hit, start, end, window = best  # the closest; of equals, the widest (tried first)
    return Mention(start, end, window, "dimension", tuple(cat.dimension_latin[hit[0]]), "fuzzy", round(hit[1], 1), (hit[0],))


def _cjk(low: str, cat: Catalogue, taken: list[bool]) -> list[Mention]:
    masked = list(low)
    for i, flag in enumerate(taken):
        if flag:
            masked[i] = " "
    for a, b in _lexicon_forms()[1].spans(low):
        masked[a:b] = [" "] * (b - a)
    for rx in patterns("position_patterns") + patterns("n_patterns"):  # "第五名", "倒数三名": places, not names
        for m in rx.finditer(low):
            masked[m.start():m.end()] = [" "] * (m.end() - m.start())
    residue = "".join(masked)
    by_len = _entity_cjk_by_length(cat)
    out: list[Mention] = []
    for run in _CJK_RUN.finditer(residue):
        found = _cjk_matches(run.group(0), run.start(), by_len, cat, low)
        out += found
        covered = {i for m in found for i in range(m.start, m.end)}
        for part in re.finditer(r"[\u3400-\u9fff]{2,6}", "".join(" " if run.start() + i in covered else c
                                                             for i, c in enumerate(run.group(0)))):
            a, end = run.start() + part.start(), run.start() + part.end()
            # the name is the longest head of the run that a name's context word follows (洛阳|在…)
            # a word after the name marks where it ends (洛阳|比…); one before it only that a name starts
            b = next((cut for cut in range(end, a + 1, -1) if _name_like(low, a, cut, after=True)), None) or \
                next((cut for cut in range(end, a + 1, -1) if _name_like(low, a, cut)), None)
            gap = len(low[end:]) - len(low[end:].lstrip(" "))  # "宁坡 2019年排名": a space before the year
            if b is None and _YEAR.match(low, end + gap) and _starts_clause(residue, a) and low[a:end] not in _context_words():
                b = end  # "亚特兰蒂斯2019年得分": a clause that opens with a place, then the year asked about
            if b is not None and (low[a:b] in _common_words() or _inside_common_word(low, a) or low[a:b] in _measure_names(cat)
                                  or _starts_inside_a_word(low, a)):  # "几个城|市在2020年": the tail of 城市, no name
                continue  # "跟上海、深圳一起在…", "放在一起讲": a common word, or a cut through one, is no place;
                # nor a word of a measure's name ("中央级高校和科研院所": 科研院所 of 中央级科研院所数量)
            if b is not None and places.uncovered(low[a:b], cat):
                out.append(Mention(a, b, low[a:b], "entity"))  # "芜湖": a city of its own, not covered
            elif b is not None:
                # a suggestion must look like a slip (two of three characters), not share one of two (洛阳, 沈阳)
                hits = _suggest(low[a:b], {f: n for forms in by_len.values() for f, n in forms}, cutoff=SUGGEST_CJK) or \
                    _sounds_like(low[a:b], by_len)
                out.append(Mention(a, b, low[a:b], "entity", (), "fuzzy", hits[0][1] if hits else 0.0,
                                   tuple(n for n, _ in hits)))
    return out


def _sounds_like(name: str, by_len: dict) -> list[tuple[str, float]]:
    """Names of the same length that start with the same character and sound close (深川 ~ 深圳,
    shenchuan ~ shenzhen): a slip of the second character. Scored by the pinyin ratio, which stays
    under the did-you-mean bar, so they are offered beside "not covered", never linked."""
    if not 2 <= len(name) <= 3:
        return []
    reading = pinyin.romanise(name)
    scored = sorted(((fuzz.ratio(reading, pinyin.romanise(f)), n) for f, n in by_len.get(len(name), ())
                     if f[0] == name[0] and f != name), reverse=True)
    return list({n: (n, round(r, 1)) for r, n in scored if r >= SOUNDS_LIKE}.values())[:3]


def _cjk_matches(run: str, offset: int, by_len: dict, cat: Catalogue, low: str = "") -> list[Mention]:
    """Names and dimensions spelt nearly right in a run of Chinese; a place that only sounds like
    the text does not start inside a common word of ``low`` ("一起讲" is no 綦江)."""
    out: list[Mention] = []
    i = 0
    while i < len(run):
        hit = None
        for length in range(min(6, len(run) - i), 1, -1):
            window = run[i:i + length]
            hit = _cjk_entity(window, cat) or _cjk_dimension(window, cat)
            if hit and hit[0] == "entity" and hit[2] == "pinyin" and low and (
                    _inside_common_word(low, offset + i) or hit[3] < HOMOPHONE and (
                        window in _common_words() or window in _measure_names(cat) or
                        _cuts_a_word(low, offset + i, offset + i + length))):
                hit = None  # "一起讲" is no 綦江, 上市 no slip for 上海, nor the tail of 两江新区 one for 江津区
            if hit:
                kind, targets, method, score, sugg = hit
                out.append(Mention(offset + i, offset + i + length, window, kind, targets, method, score, sugg))
                i += length
                break
        if not hit:
            i += 1
    return out


def _cjk_entity(window: str, cat: Catalogue):
    by_sound, by_char = _entity_index(cat)
    readings = [pinyin.table().get(c, (c,)) for c in window]
    keys = [""]
    for options in readings:
        keys = [f"{k} {r}".strip() for k in keys for r in options[:3]][:64]
    for key in keys:
        for form, name in by_sound.get(key, ()):
            if window[0] != form[0]:
                # the first character names the place (宿州 is a city of its own, not a slip for 苏州):
                # offered, never linked
                return "entity", (), "pinyin", HOMOPHONE_OTHER_HEAD, (name,)
            return "entity", (Target("entity", name),), "pinyin", HOMOPHONE, (name,)
    if places.uncovered(window, cat):
        return None  # 南充 is a city of its own, not a slip for 南昌
    near = {x for i, c in enumerate(window) for x in by_char.get((len(window), i, c), ())}
    for form, name in sorted(near):
        same = sum(a == b for a, b in zip(window, form))
        # a polyphonic character is read every way it can be (佛 fu or fo: 佛三 ~ 佛山); the first character
        # names the place, so only a slip after it links
        if same >= len(form) - 1 and window[0] == form[0] and \
                max(fuzz.ratio(r, pinyin.romanise(form)) for r in pinyin.readings(window)) >= SLIP_LINK:
            return "entity", (Target("entity", name),), "pinyin", 88.0, (name,)
    return None


def _cjk_dimension(window: str, cat: Catalogue):
    if len(window) < 3:
        return None
    for form, targets in cat.dimension_cjk.items():
        if len(form) != len(window):
            continue
        if pinyin.homophones(window, form):
            return "dimension", tuple(targets), "pinyin", 95.0, (form,)
        if len(form) >= 4 and sum(a == b for a, b in zip(window, form)) == len(form) - 1:
            return "dimension", tuple(targets), "fuzzy", round(fuzz.ratio(window, form), 1), (form,)
    return None


def _name_like(low: str, a: int, b: int, after: bool = False) -> bool:
    """Does a context word mark ``low[a:b]`` as a name (with ``after``: a word that follows it)?
    A one-character word (在, 和, 比) only marks a short one: "科技创新存|在" is a word cut in
    two, not a place."""
    lex = lexicon()
    following, before = low[b:b + 4], low[max(0, a - 3):a]
    marks = [w for w in lex["name_followers"] if following.startswith(w)] + \
        ([] if after else [w for w in lex["name_preceders"] if before.endswith(w)])
    return any(len(w) > 1 or b - a <= SHORT_NAME for w in marks)


_YEAR = re.compile(r"(?:19|20)\d{2}")


def _starts_clause(low: str, a: int) -> bool:
    return a == 0 or not (low[a - 1].isalnum() or "\u3400" <= low[a - 1] <= "\u9fff")


def _cuts_a_word(low: str, a: int, b: int) -> bool:
    """Does a dictionary word of the tokenizer (两江, 西南地区; not a guessed run such as 佛三在) run across
    either end of ``low[a:b]``?"""
    return any((start < a < end or start < b < end) and retrieval.in_dictionary(word)
               for word, start, end in retrieval.words_at(low))


def _starts_inside_a_word(low: str, at: int) -> bool:
    """Does a dictionary word of the tokenizer start before ``at`` and run past it (城市 over 市 in "几个城市在")?"""
    return any(start < at < end and retrieval.in_dictionary(word) for word, start, end in retrieval.words_at(low))


def _inside_common_word(low: str, at: int) -> bool:
    """Does a common word (:func:`_common_words`) of the tokenizer's start before ``at`` and run past it,
    or a word of three or more characters end in its first character ("平均分|从2018": 分从 is no name)?"""
    return any(start < at < end and (word in _common_words() or end == at + 1 and len(word) >= 3)
               for word, start, end in retrieval.words_at(low))


@functools.lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    """Words whose part of speech no place name has (lexicon ``common_word_tags``): 一起, 存在…"""
    return retrieval.words_tagged(frozenset(str(t) for t in lexicon()["common_word_tags"]))


@functools.lru_cache(maxsize=4)
def _measure_names(cat: Catalogue) -> str:
    """Every indicator's and dimension's Chinese name, in one text to look a word up in."""
    dims = (zh for e in cat.editions.values() for zh, _, _ in e.dimension_names.values())
    return "|".join([*(zh for zh, _, _ in cat.indicator_names.values()), *cat.indicator_names, *dims])


@functools.lru_cache(maxsize=1)
def _context_words() -> frozenset[str]:
    lex = lexicon()
    return frozenset(str(w) for key in ("name_followers", "name_preceders", "not_name_words_zh") for w in lex[key])


def residue_mentions(t, low: str, cat: Catalogue, taken: list[bool]) -> list[Mention]:
    """Mentions found by fuzzy, pinyin and name-slot matching where the exact pass found nothing."""
    out = _latin(t, low, cat, taken)
    for m in out:
        taken[m.start:m.end] = [True] * (m.end - m.start)
    out += _cjk(low, cat, taken)
    return out

