"""Bilingual retrieval over the hard-tech source reports.

Public API (all lazy: importing ``vectorstore`` loads neither chromadb, jieba, torch nor
sentence-transformers; only a configured ``sentence-transformers:`` backend ever loads
torch, and chromadb loads when passages are searched)::

    from vectorstore import search, build_index, index_info, get_passage
    resp = search("深圳创新基础为什么弱", k=5, edition="hardtech-2019")
    for r in resp.results:
        print(r.source_file, r.lines, r.section, r.score, r.scores)

* :func:`search` -> :class:`SearchResponse` (results with text, source_file,
  lines, section, doc_title, score, scores {dense, bm25, rrf, boost}, chunk_id,
  entities).
* :func:`build_index` (``embedding=None, force=False``) -> summary dict.
* :func:`index_info` -> dict.
* :func:`get_passage` (``source_file, first, last, context=3``) -> original lines.
* :func:`section_at` (``source_file, line``) -> the section path around a line, and
  :func:`indexed_chunks` -> every chunk with its metadata, both read from the built index.
* :func:`tokenize` (``text``) -> the product's one tokenizer (jieba, search mode, with
  the project's user dictionary; stop words dropped).

Errors live in :mod:`vectorstore.errors`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import (  # light: no heavy imports
    ChromaUnreachableError,
    EmbeddingBackendError,
    IndexCorruptError,
    IndexMissingError,
    InvalidQueryError,
    UnknownDocumentError,
    UnknownEditionError,
    UnknownEntityFilterError,
    UnknownFilterError,
    VectorStoreError,
)

if TYPE_CHECKING:  # pragma: no cover
    from .retrieval import SearchResponse, SearchResult


def search(query: str, k: int = 5, edition: str | None = None, entity: str | None = None,
           document: str | None = None, section: str | None = None, **kwargs: Any) -> "SearchResponse":
    """Hybrid search over the source reports; see :func:`vectorstore.retrieval.search`."""
    from .retrieval import search as _search

    return _search(query, k=k, edition=edition, entity=entity, document=document, section=section, **kwargs)


def build_index(embedding: str | None = None, force: bool = False, defer_chroma: bool = False) -> dict:
    """Build or update the index (idempotent, incremental, atomic); see :func:`vectorstore.store.build_index`."""
    from .store import build_index as _build

    return _build(embedding=embedding, force=force, defer_chroma=defer_chroma)


def index_info() -> dict:
    """Where the index is, which model built it, how many chunks per document."""
    from .store import index_info as _info

    return _info()


def get_passage(source_file: str, first: int, last: int, context: int = 3) -> dict:
    """Original lines [first-context, last+context] of a shipped report, for citation panels."""
    from .corpus import get_passage as _gp

    return _gp(source_file, first, last, context)


def section_at(source_file: str, line: int) -> str | None:
    """The section path (headings) around ``line`` of a shipped report, from the built index."""
    from .store import section_at as _section_at

    return _section_at(source_file, line)


def indexed_chunks() -> tuple:
    """Every chunk of the built index (text, file, lines, section, entities, editions)."""
    from .store import indexed_chunks as _chunks

    return _chunks()


def tokenize(text: str) -> list[str]:
    """The product's one tokenizer; see :func:`vectorstore.lexical.tokenize`."""
    from .lexical import tokenize as _tokenize

    return _tokenize(text)


def __getattr__(name: str):
    if name in ("SearchResponse", "SearchResult", "Searcher"):
        from . import retrieval as _s

        return getattr(_s, name)
    raise AttributeError(name)


__all__ = [
    "search", "build_index", "index_info", "get_passage", "section_at", "indexed_chunks", "tokenize",
    "SearchResponse", "SearchResult",
    "VectorStoreError", "InvalidQueryError", "UnknownFilterError", "UnknownEditionError",
    "UnknownEntityFilterError", "UnknownDocumentError", "IndexMissingError", "IndexCorruptError",
    "ChromaUnreachableError", "EmbeddingBackendError",
]
