"""Does a question the classifier read as a figure question (a count, a ranking, a coverage list…)
really ask about the reports' text? The router's check before an index handler runs, beside
:func:`narrative.answers_instead`.

A question that names an index, a place or "how many" is not always about an edition's figures:
"where do the 2020 index's statistics come from", "GTII-City的全称是啥", "what are the four quadrants
GTII sorts cities into", "广东有多少个专业镇". What it asks about is what is left once the names it
links (the index, places, years), the question words and the words that ask for an edition's
figures or members (``text_asked.yaml``: cities, top, rank, score, how many…) are taken out. When
that rest is not empty and

- a reviewed entry about the named edition (or its report) that states what an index *is or how
  it is made* (definition, framework, origin, method) says it, or
- a sentence of the reports holds a rare word of it and answers the question,

the question is narrative. Nouns and cue words are data; nothing here names a phrasing."""
from __future__ import annotations

import functools
import re
from pathlib import Path

from ... import aggregates, concept_index, retrieval
from ...tools import ToolRunner
from ..frame import Frame
from ..understand.lexicon import lexicon
from . import editions, passages
from index_core.io import read_yaml

NAMED = ("entity", "edition", "year", "period")  # link kinds whose surfaces are names, not what is asked
# Operations an entry about the edition may answer instead (a tier, a change or a what-if is the
# index's own computation), and those a sentence of the text may (a count, a figure, a list).
ENTRY_OPERATIONS = frozenset({"count", "compare", "lookup", "rank", "leader", "coverage", "method"})
SENTENCE_OPERATIONS = frozenset({"count", "compare", "lookup", "rank", "leader", "coverage"})
_CJK = re.compile(r"[\u3400-\u9fff]+")
SAYS_ALONE = 2.0  # what is left of a question naming this many times ``left_shared`` of an entry's names needs no more


@functools.lru_cache(maxsize=1)
def vocabulary() -> dict:
    return read_yaml(Path(__file__).with_name("text_asked.yaml"))


@functools.lru_cache(maxsize=1)
def _figure_words() -> re.Pattern:
    v = vocabulary()["figure_words"]
    index_words = [str(w) for w in concept_index.vocabulary().get("index_words") or ()]  # 硬科技指数, score...
    zh = sorted({*map(str, v["zh"]), *(w for w in index_words if not w.isascii())}, key=len, reverse=True)
    en = sorted({*map(str, v["en"]), *(w for w in index_words if w.isascii())}, key=len, reverse=True)
    patterns = [str(p) for p in vocabulary().get("figure_patterns") or ()]
    return re.compile("|".join([*patterns, rf"(?<![A-Za-z])(?:{'|'.join(map(re.escape, en))})(?![A-Za-z])", *map(re.escape, zh)]), re.IGNORECASE)


def _suffixes() -> str:
    return str(passages.sentence_vocabulary()["place_suffixes"])


def left(frame: Frame) -> str:
    """What the question asks about: the question without the names it links, without the words
    that ask for an edition's figures or members, and without question words (left to the matchers)."""
    return re.sub(r"\s+", " ", _figure_words().sub(" ", _unlinked(frame))).strip()


def _unlinked(frame: Frame) -> str:
    """The question without the names it links."""
    text = frame.question
    for link in sorted(frame.links, key=lambda x: -len(x.surface)):
        if link.kind in NAMED and link.surface and link.target:  # an unknown name ("Amazon Echo") may be the subject
            text = text.replace(link.surface, " ")
    return text


def _asks_figures(frame: Frame) -> bool:
    """A dimension or indicator the question names (misspelt too): the edition's figures."""
    named = any(link.kind in ("dimension", "indicator") and link.target for link in frame.links)  # typos too
    return named or bool(frame.indicator) or bool(frame.dimension)


def _index_word_unsaid(question: str, entry: dict) -> bool:
    """Does the question say an index word (score, rank…) that the entry's names and statements do not?
    ("which university ranking": the QS ranking the entry states, not the edition's)."""
    own = concept_index.text_of(entry).casefold()
    q = question.casefold()
    naming = {str(w).casefold() for w in vocabulary()["naming_words"]}
    for w in concept_index.vocabulary().get("index_words") or ():
        w = str(w).casefold()
        if w not in naming and (re.search(rf"\b{re.escape(w)}\b", q) if w.isascii() else w in q) and w not in own:
            return True
    return False


def entry(frame: Frame) -> dict | None:
    """The reviewed entry about the question's edition (or that edition's report) that states what
    is left of it: of a kind in ``text_kinds``, surely named by the whole question
    (:func:`concept_index.states`), and naming at least ``left_shared`` of what is left."""
    # a tier question of an edition that defines none ("the four quadrants GTII sorts cities into")
    # asks what its text groups them by, not for a ranking in place of tiers
    tierless = frame.operation == "tier" and bool(frame.editions) and not editions.has_tiers(frame.editions[0])
    if frame.operation == "method" and frame.aspect in vocabulary()["computed_facets"]:
        return None  # "how are the five dimensions weighted?": the weights themselves, from the spec, cited
    return stated(frame) if (frame.operation in ENTRY_OPERATIONS or tierless) and not _elliptical(frame) else None


def _elliptical(frame: Frame) -> bool:
    """A follow-up that asks the last question again of another subject ("那倒数三名呢", "分别是哪些")."""
    return bool({"operation", "entities"} & set(frame.inherited))


def stated(frame: Frame) -> dict | None:
    """:func:`entry`, whatever the frame's operation (the narrative handler, after the router took it)."""
    if frame.entities or not frame.editions or _asks_figures(frame):
        return None
    rest = left(frame)
    if not rest:
        return None
    eid = frame.editions[0]
    spec = editions.spec(eid)
    report = spec.source.file
    # words that name the index (a user's own edition may give no names: then its year and title)
    naming = " ".join([spec.title.zh, spec.title.en, *spec.edition_names("zh"), *spec.edition_names("en")])
    kinds = set(vocabulary()["text_kinds"])
    least = float(vocabulary()["left_shared"])
    best, key = None, (0.0,)
    for e in concept_index.entries():
        if e.get("kind") not in kinds or not (e.get("edition") == eid or e.get("edition") is None and e.get("report") == report):
            continue
        said = concept_index.names_said(e, rest, naming)
        if said < least or (said,) <= key or _index_word_unsaid(frame.question, e):
            continue
        st = concept_index.strength(e, None, frame.question)
        # named by the whole question, or what is left of it says much of the entry's names by itself
        sure = st["named"] or st["shared"] >= concept_index.STATES_SHARED and st["share"] >= concept_index.STATES_SHARE
        if sure or said >= SAYS_ALONE * least:
            best, key = e, (said,)
    return best


def pieces(frame: Frame) -> tuple[str, ...]:
    """The rare words of what is left of the question (its Chinese words, as the retrieval layer cuts
    them; for English, the glossary's Chinese terms), without the places it names or filters on."""
    places = [*frame.entities, *(f.value for f in frame.filters or () if f.field in ("region", "country"))]
    if any(f.field == "region" for f in frame.filters or ()):  # "东中西部各占多少", "分布在哪些区域": no zone is a topic
        places += [*aggregates.zones(), *(w for g in (*lexicon()["region_groups"], *lexicon()["regions"])
                                          for lang in ("zh", "en") for w in g.get(lang, ()))]

    def unplaced(text: str) -> str:
        for p in sorted(places, key=len, reverse=True):  # "in the south" before "south"
            text = re.sub(re.escape(p), " ", text, flags=re.IGNORECASE).replace(p.rstrip(_suffixes()), " ")
        return text

    rest, whole = unplaced(left(frame)), unplaced(_unlinked(frame))
    found = [w for w in retrieval.words(rest) if _CJK.fullmatch(w) and len(w) >= 2]
    if re.search(r"[A-Za-z]", rest):
        # an index word may be part of a term's name ("the Nature Index": 自然指数), not alone ("overall": 综合)
        alone = set(retrieval.glossary_terms(" ; ".join(_figure_words().findall(whole))))
        terms = retrieval.glossary_terms(rest) + [g for g in retrieval.glossary_terms(whole) if g not in alone]
        found += [g for g in terms if not g.isascii() and len(g) >= 2]
    rare = float(vocabulary()["rare_piece"])
    return tuple(dict.fromkeys(p for p in found if not any(p in x or x in p for x in places if x) and
                               passages.idf(p) >= rare))


@functools.lru_cache(maxsize=1)
def _index_names() -> tuple[re.Pattern, ...]:
    """The names of reviewed entries about no edition that hold an index word ("Nature Index", 自然指数)."""
    names = {n for e in concept_index.entries() if not e.get("edition") for n in concept_index.names(e)[1:]
             if concept_index.says_index_word(n)}
    return tuple(re.compile(re.escape(n), re.IGNORECASE) for n in sorted(names, key=len, reverse=True))


def _without_index_names(question: str) -> str:
    for rx in _index_names():
        question = rx.sub(" ", question)
    return question


def figure_in_text(frame: Frame, tools: ToolRunner) -> str | None:
    """Why a sentence of the reports, not an edition, answers a count or figure question about
    something no edition ranks ("广东有多少个专业镇", "what share of China's service robots are
    imported"): it holds a rare word of what the question asks about and answers it."""
    if frame.operation not in SENTENCE_OPERATIONS or _elliptical(frame) or _asks_figures(frame):
        return None
    # an index word that is part of the name of what it asks about ("the Nature Index top 10") is that thing's
    asked = frame.question if any(link.kind == "edition" for link in frame.links) else _without_index_names(frame.question)
    if concept_index.says_index_word(asked):
        return None
    if frame.operation == "count" and any(f.field in ("tier", "class") for f in frame.filters or ()):
        return None  # "第三和第四梯队里东部占几个": the edition's own members, counted (a zone word is no rare topic)
    # a common word ("不同", "哪些": an adjective, a pronoun) names no topic of the text
    common = retrieval.words_tagged(frozenset(str(t) for t in lexicon()["common_word_tags"]))
    rare = [p for p in pieces(frame) if p not in common]
    if not rare:
        return None
    hits = passages.search(tools, frame.question, k=6)
    found = passages.best(hits, frame.question, k=1, extra=tuple(frame.entities))
    if not passages.supported(found):
        return None
    text = found[0].text
    named = all(e in text or e.rstrip(_suffixes()) in text for e in frame.entities)
    held = [p for p in rare if p in text]
    if named and held:
        return f"the reports' text states it ({held[0]}), which no edition ranks"
    return None


def says_more(question: str, text: str, other: str) -> bool:
    """Does ``text`` hold a rare word of the question (``rare_piece``) that ``other`` does not? The
    question's words include the reports' words for its English ones (份额 for "share")."""
    rare = float(vocabulary()["rare_piece"])
    flat, against = (re.sub(r"\s+", "", x).lower() for x in (text, other))
    said = set(retrieval.words(question)) | set(passages.terms(question))
    return any(w in flat and w not in against for w in said
               if (_CJK.fullmatch(w) and len(w) >= 2 or w.isascii() and w.isalpha() and len(w) >= 4)
               and passages.idf(w) >= rare)
