"""Find what a question names: exact and alias forms from the catalogue, years and
quarters, then (``fuzzy``) typos, homophones, lookalikes and names nobody knows.

A mention is never silently replaced: a fuzzy match records its method and score,
an unknown name stays unresolved with suggestions; a lookalike spelling is read as
the name it folds to, as a fuzzy link the answer names.
"""
from __future__ import annotations

import functools
import re
from dataclasses import replace

from ... import retrieval
from . import dimension_slips, fuzzy, indicators
from .catalogue import Catalogue, Target, catalogue, fold
from .lexicon import lexicon, patterns, words
from .mention import Mention
from .normalise import Text

_TOKEN = re.compile(r"[a-z0-9&]+")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)(?!\s*(?:家|个|所|件|人|项|亿|万|元|%|名|位|座|km|ms))")
# two digits and 年, not after a digit, a decimal point or a word of span ("近20年", "过去10年")
_SHORT_YEAR = re.compile(r"(?<![\d.近前后过去这那几多十])(\d{2})(?=\s*年(?!代|度|均|来|间|内|里|中))")
_JOIN = re.compile(r"^[\s'’.\-]*$")
_QUARTER_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "一": 1, "二": 2, "三": 3, "四": 4}


def _method(surface: str, target: Target) -> str:
    return "exact" if fold(surface) == fold(target.target) or surface == target.target else "alias"


def _periods(low: str, taken: list[bool]) -> list[Mention]:
    out = []
    for rx in patterns("quarter_patterns"):
        for m in rx.finditer(low):
            if any(taken[m.start():m.end()]):
                continue
            q = m.group("q")
            quarter = int(q) if q.isdigit() else _QUARTER_WORDS[q]
            out.append(Mention(m.start(), m.end(), m.group(0), "period", value=f"{m.group('year')}Q{quarter}"))
            taken[m.start():m.end()] = [True] * (m.end() - m.start())
    return out


def _exact(text: str, low: str, cat: Catalogue, taken: list[bool]) -> list[Mention]:
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(low)]
    token_at = {s: k for k, (s, _) in enumerate(tokens)}
    out: list[Mention] = []
    i, n = 0, len(low)
    while i < n:
        if taken[i]:
            i += 1
            continue
        hit: tuple[int, list[Target]] | None = None
        for length in cat.cjk_lengths.get(low[i], ()):
            if i + length <= n and (ts := cat.cjk_forms.get(low[i:i + length])) and not any(taken[i:i + length]):
                hit = (i + length, ts)
                break
        k = token_at.get(i)
        if k is not None and (i == 0 or not low[i - 1].isalnum() or not low[i - 1].isascii()):
            for width in range(min(cat.latin_max_words, len(tokens) - k), 0, -1):
                end = tokens[k + width - 1][1]
                gaps = all(_JOIN.match(low[tokens[j][1]:tokens[j + 1][0]]) for j in range(k, k + width - 1))
                if gaps and hit is None or gaps and hit and end > hit[0]:
                    ts = cat.latin_forms.get(fold(low[i:end]))
                    if ts and not any(taken[i:end]):
                        hit = (end, ts)
                        break
        if hit is None:
            i += 1
            continue
        end, ts = hit
        surface = text[i:end]
        kind = ts[0].kind
        out.append(Mention(i, end, surface, kind, tuple(t for t in ts if t.kind == kind), _method(surface, ts[0])))
        taken[i:end] = [True] * (end - i)
        i = end
    return out


@functools.lru_cache(maxsize=1)
def _lexicon_names() -> tuple[tuple[re.Pattern, tuple[str, ...]], ...]:
    """The lexicon's ``entity_aliases`` and ``entity_groups`` as (pattern, entities), longest form first.
    A Latin form matches as whole words, its spaces and hyphens matching any run of either."""
    lex = lexicon()
    forms = [(form, (name,)) for name, aliases in (lex.get("entity_aliases") or {}).items() for form in aliases]
    forms += [(form, tuple(names)) for form, names in (lex.get("entity_groups") or {}).items()]
    out = []
    for form, names in sorted(forms, key=lambda f: -len(f[0])):
        form = form.lower()
        if form.isascii():
            body = r"[\s\-–—]+".join(re.escape(w) for w in re.split(r"[\s\-–—]+", form))
            out.append((re.compile(rf"(?<![a-z0-9]){body}(?![a-z0-9])"), names))
        else:
            out.append((re.compile(re.escape(form)), names))
    return tuple(out)


def _aliases(low: str, taken: list[bool]) -> list[Mention]:
    """Names from the lexicon: one mention per entity a form names (北上广深: four)."""
    out = []
    for rx, names in _lexicon_names():
        for m in rx.finditer(low):
            if any(taken[m.start():m.end()]):
                continue
            out += [Mention(m.start(), m.end(), m.group(0), "entity", (Target("entity", n),), "alias") for n in names]
            taken[m.start():m.end()] = [True] * (m.end() - m.start())
    return out


_CAPS = re.compile(r"(?<![A-Za-z0-9&])[A-Z]{2}(?![A-Za-z0-9&])")


def _initials(text: str, cat: Catalogue, taken: list[bool]) -> list[Mention]:
    """A city typed as its pinyin initials in capitals ("CD", "WH vs NJ"): linked as a fuzzy match,
    so the answer says how it read them."""
    out = []
    for m in _CAPS.finditer(text):
        name = cat.initials.get(m.group(0))
        if name and not any(taken[m.start():m.end()]):
            out.append(Mention(m.start(), m.end(), m.group(0), "entity", (Target("entity", name),), "fuzzy", 90.0, (name,)))
            taken[m.start():m.end()] = [True] * (m.end() - m.start())
    return out


def _years(low: str, taken: list[bool], cat: Catalogue) -> list[Mention]:
    out = []
    known = {e.year for e in cat.editions.values()}
    for m in _SHORT_YEAR.finditer(low):  # "19年综合前5": an edition's year, written with two digits
        year = 2000 + int(m.group(1))
        if year in known and not any(taken[m.start():m.end()]):
            out.append(Mention(m.start(), m.end(), m.group(1), "year", value=year))
            taken[m.start():m.end() + 1] = [True] * (m.end() + 1 - m.start())
    for m in _YEAR.finditer(low):
        if not any(taken[m.start():m.end()]):
            out.append(Mention(m.start(), m.end(), m.group(1), "year", value=int(m.group(1))))
            end = m.end() + (1 if low[m.end():m.end() + 1] in ("年", "版") else 0)  # "2020年" is not a name's start
            taken[m.start():end] = [True] * (end - m.start())
    return out


def _district_parents(mentions: list[Mention], low: str, cat: Catalogue) -> list[Mention]:
    """"重庆区县双创指数", "Chongqing districts", "Yubei vs Jiangbei in Chongqing": a city whose
    districts an edition ranks names that edition, not the city, when a district word follows it,
    when its own districts are the subjects, or when a district word is about and no other place
    competes. Once the index is named, the city said again with no district word after it is the
    subject ("重庆区县双创指数中重庆排第几": 重庆 is asked about, and is not one of the districts)."""
    district_words = words("kinds", "district")
    has_word = district_words(low)
    ents = [m for m in mentions if m.kind == "entity" and m.targets]
    naming: set[str] = set()  # cities already read as naming their district index
    out = []
    for m in mentions:
        if m.kind == "edition":
            naming.update(c for c, eds in cat.district_editions_of.items() if any(t.target in eds for t in m.targets))
        region_of = cat.district_editions_of.get(m.targets[0].target, ()) if m.kind == "entity" and m.targets else ()
        if not region_of:
            out.append(m)
            continue
        city = m.targets[0].target
        parts = [x for x in ents if x.targets[0].target != city and cat.entity_region.get(x.targets[0].target) == city]
        others = [x for x in ents if x.targets[0].target != city and x not in parts and
                  not cat.district_editions_of.get(x.targets[0].target)]
        # "Chongqing's district index", "重庆区县…": a district word right after the city names the index
        hit = district_words.search(low[m.end:m.end + 12].lstrip(" 's’的市")) if has_word else None
        named = hit is not None and hit.start() == 0
        # "渝中区跟重庆市各自排第几", "Yuzhong and Chongqing": set beside one of its districts, the city is a subject too
        beside = any(re.fullmatch(lexicon()["coordinated"], low[a:b]) for x in parts
                     for a, b in ((x.end, m.start), (m.end, x.start)) if a <= b)
        located = low[:m.start].rstrip().endswith(("在", " in")) and parts  # "渝北区在重庆排第一": inside the city
        if not named and (beside or words("city_itself")(low[max(0, m.start - 8):m.end + 30]) or
                          words("city_index_words")(low) and not located):
            out.append(m)  # "Chongqing itself (the city, not its districts)", "不看区县，重庆市本身": the city is the subject
            continue
        # said again after the index is named, the city is the subject unless a district word follows
        # ("重庆区县双创指数中重庆排第几" asks about 重庆; "…中重庆得分最高的区县" about its districts)
        again = city in naming and not district_words(low[m.end:])
        alone = has_word and not again and not others and not parts and not _measured(low, m.end)
        if named or parts and not others or alone:
            naming.add(city)
            out.append(replace(m, kind="edition", targets=tuple(Target("edition", e) for e in region_of), method="alias"))
        else:
            out.append(m)
    return out


def _measured(low: str, end: int) -> bool:
    """Is the name at ``end`` followed by what is measured of it ("Chongqing's score in the district
    index", "重庆的得分"): then it is the subject, not the index's name."""
    after = low[end:end + 12].lstrip(" 's’的")
    lex = lexicon()
    return any(after.startswith(str(w)) for w in lex["name_followers"] if len(str(w)) > 1 and not str(w).startswith("的")) or \
        (after.split() or [""])[0] in {str(w) for w in lex["name_slot_followers"]} - {"and", "vs", "versus", "compare"}


def _qualifiers(mentions: list[Mention], low: str, cat: Catalogue) -> list[Mention]:
    """Drop a city that only qualifies the entity after it (重庆渝北区, Chongqing's Yubei)."""
    out = []
    for k, m in enumerate(mentions):
        nxt = mentions[k + 1] if k + 1 < len(mentions) else None
        if m.kind == "entity" and m.targets and nxt is not None and nxt.kind == "entity" and nxt.targets and \
                cat.entity_region.get(nxt.targets[0].target) == m.targets[0].target and \
                not low[m.end:nxt.start].strip(" 's’的市"):
            continue
        out.append(m)
    return out


def _dimension_heads(low: str, cat: Catalogue, taken: list[bool]) -> list[Mention]:
    """A weighted dimension shortened to the end of its name ("投入和产出各50%", "人才权重翻倍"),
    read only where the question speaks of weights (lexicon ``weights.head_context``): elsewhere
    "研发投入" is an indicator and "人才" a word."""
    if not re.search(lexicon()["weights"]["head_context"], low):
        return []
    out = []
    for head, targets in cat.dimension_heads.items():
        for m in re.finditer(re.escape(head), low):
            if not any(taken[m.start():m.end()]):
                out.append(Mention(m.start(), m.end(), m.group(0), "dimension", tuple(targets), "alias"))
                taken[m.start():m.end()] = [True] * (m.end() - m.start())
    return out


def _inside_a_longer_word(low: str, m: Mention) -> bool:
    """A concept's Chinese name said inside a longer word of the tokenizer's dictionary (硬科技 in
    硬科技之都, "the capital of hard tech") names that other thing, not the concept."""
    if m.kind != "concept" or not re.search(r"[\u3400-\u9fff]", m.surface or ""):
        return False
    return any(a <= m.start and m.end <= b and b - a > m.end - m.start and retrieval.in_dictionary(word)
               for word, a, b in retrieval.words_at(low))


def link(t: Text, cat: Catalogue | None = None) -> list[Mention]:
    """Every mention in ``t``, in order of position."""
    cat = cat or catalogue()
    low = t.text.lower()
    taken = [False] * len(low)
    mentions = _periods(low, taken)
    mentions += _aliases(low, taken)
    mentions += _exact(t.text, low, cat, taken)
    mentions += _dimension_heads(low, cat, taken)
    mentions = dimension_slips.mend(low, mentions, cat, taken)  # "硬科技企亚": a dimension, not 硬科技
    mentions += _initials(t.text, cat, taken)
    mentions += _years(low, taken, cat)
    mentions = [m for m in _district_parents(mentions, low, cat) if not _inside_a_longer_word(low, m)]
    extra = fuzzy.residue_mentions(t, low, cat, taken)
    extra += indicators.mentions(low, cat, taken)
    extra += indicators.over_concepts(low, cat, mentions, taken)
    # a name read inside a measure's name ("程度" of 知识产权保护程度 sounds like 成都) is no name
    extra = [m for m in extra if m.kind != "entity" or m.method not in ("fuzzy", "pinyin") or not any(
        x.kind in ("indicator", "dimension") and x.start <= m.start and m.end <= x.end for x in extra)]
    # a fuzzy window may swallow an exact alias ("innovaton base" over "base")
    mentions = [m for m in mentions if not any(x.start <= m.start and m.end <= x.end for x in extra)] + extra
    out = []
    for m in _qualifiers(sorted(mentions, key=lambda m: m.start), low, cat):
        m = replace(m, surface=t.surface(m.start, m.end))
        if m.resolved and t.has_lookalike(m.start, m.end) and m.kind in ("entity", "dimension", "edition", "concept"):
            # a name spelt with lookalike letters (Cyrillic е in "Shеnzhen") is read as the name it
            # folds to, never silently: a fuzzy link, so the answer says how it was read
            m = replace(m, method="fuzzy", score=min(m.score, 90.0),
                        suggestions=tuple(dict.fromkeys(x.target for x in m.targets)))
        out.append(m)
    return out


__all__ = ["Mention", "link"]
