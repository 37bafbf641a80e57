"""What a query says before anything is searched: is it valid, which entities, dimensions
and documents it names, and which Chinese terms its English words stand for."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index_core import io as core_io
from index_core.errors import UnknownEntityError

from .config import max_query_chars
from .documents import load_manifest
from .errors import InvalidQueryError, UnknownEntityFilterError
from . import lexicon
from .knowledge import dimension_names, glossary_matches, load_entities

_REPORTISH = r"(?:白皮书|white ?paper|报告|report|指数|index|edition|版|排名|ranking)"
_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def validate_query(query: str) -> str:
    """The stripped query; raises InvalidQueryError when it is empty or too long."""
    if not isinstance(query, str):
        raise InvalidQueryError("The query must be a string.")
    q = query.strip()
    if not q:
        raise InvalidQueryError("The query is empty: ask a question or give keywords.")
    limit = max_query_chars()
    if len(q) > limit:
        raise InvalidQueryError(f"The query is {len(q)} characters long; the limit is {limit}.",
                                hint="Shorten it, or raise HARDTECH_MAX_QUESTION_CHARS.")
    return q


def resolve_entity(name: str) -> str:
    """Canonical entity name for a filter value (any alias, any case)."""
    try:
        return core_io.load_registry().resolve(name).name
    except UnknownEntityError:
        choices = [e.name for e in load_entities()] + [e.name_en for e in load_entities()]
        raise UnknownEntityFilterError(name, choices) from None


def detect_entities(text: str) -> list[str]:
    """Canonical names of the entities ``text`` mentions, in order of first mention."""
    return core_io.load_registry().find_in_text(text)


def detect_dimensions(text: str, expansions: list[str]) -> list[str]:
    hay = re.sub(r"\s+", "", text) + "|" + "|".join(expansions)
    return [d for d in dimension_names() if d in hay]


def detect_documents(text: str) -> list[str]:
    """Documents a query names: by title/alias, or by '<year> … white paper/index'."""
    low = text.lower()
    found = []
    for d in load_manifest():
        names = [d.title_zh, d.title_en, *(d.raw.get("query_aliases") or [])]
        if any(n and n.lower() in low for n in names):
            found.append(d.id)
            continue
        # "<year> … white paper", with no other year in between ("in 2019, says the 2020 white paper")
        if d.year and re.search(rf"{d.year}\s*年?(?:(?!(?:19|20)\d\d).){{0,30}}?{_REPORTISH}", low):
            found.append(d.id)
    return found


def query_language(text: str) -> str:
    """``zh`` when Chinese characters outnumber the Latin words twice over (a Chinese word is
    about two characters), else ``en``: "深圳的GDP" is Chinese, "What does 硬科技 mean?" English."""
    cjk = len(_CJK.findall(text))
    return "zh" if cjk and cjk >= 2 * len(_LATIN_WORD.findall(text)) else "en"


@dataclass(frozen=True)
class QueryAnalysis:
    """A validated query and what it names (recorded in the search response)."""

    text: str
    expansions: list[str]
    entities: list[str]
    dimensions: list[str]
    documents: list[str]
    language: str = "zh"


def expansions_for(query: str) -> tuple[list[str], list[str]]:
    """``(glossary terms, all Chinese search terms)`` for an English query: the glossary's, then
    the concept names it mentions, then dictionary translations of the words no glossary
    phrase covered (:mod:`vectorstore.lexicon`)."""
    glossary, rest = glossary_matches(query)
    if query_language(query) != "en":
        return glossary, glossary
    more = lexicon.concept_terms(query) + lexicon.dictionary_terms(rest)
    return glossary, list(dict.fromkeys(glossary + more))


def analyse(query: str, expand: bool = True) -> QueryAnalysis:
    q = validate_query(query)
    glossary, expansions = expansions_for(q) if expand else ([], [])
    # entities and dimensions only from the glossary: concept names and dictionary words are
    # search terms, too loose to say what the question is about
    ents = detect_entities(q)
    ents += [e for e in detect_entities(" ".join(glossary)) if e not in ents]
    return QueryAnalysis(q, expansions, ents, detect_dimensions(q, glossary), detect_documents(q), query_language(q))
