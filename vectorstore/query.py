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
from .knowledge import dimension_names, expand_query, load_entities

_REPORTISH = r"(?:白皮书|white ?paper|报告|report|指数|index|edition|版|排名|ranking)"


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
        if d.year and re.search(rf"{d.year}\s*年?.{{0,30}}?{_REPORTISH}", low):
            found.append(d.id)
    return found


@dataclass(frozen=True)
class QueryAnalysis:
    """A validated query and what it names (recorded in the search response)."""

    text: str
    expansions: list[str]
    entities: list[str]
    dimensions: list[str]
    documents: list[str]


def analyse(query: str, expand: bool = True) -> QueryAnalysis:
    q = validate_query(query)
    expansions = expand_query(q) if expand else []
    ents = detect_entities(q)
    ents += [e for e in detect_entities(" ".join(expansions)) if e not in ents]
    return QueryAnalysis(q, expansions, ents, detect_dimensions(q, expansions), detect_documents(q))
