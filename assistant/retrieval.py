"""The one adapter between the assistant and :mod:`vectorstore`.

Everything the assistant knows about passages goes through this module, so a
change in the retrieval layer's API is a one-file fix. Search is always the
product's hybrid retrieval (dense + BM25, fused): what is tested is what ships.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import vectorstore
from vectorstore import chroma_jobs, corpus, errors, integrity, knowledge  # re-exported for the service:
# errors (mapped to HTTP statuses), integrity (the index check /readyz runs, leftovers, IndexWriteError),
# chroma_jobs (serve's start: the probe and a deferred chroma store, in subprocesses)

__all__ = ["Passage", "search", "get_passage", "line_text", "doc_title", "section_at", "glossary_terms",
           "user_dictionary_words", "words", "search_results", "index_state", "build_index", "prefetch_encoder", "errors",
           "lines", "report_files", "documents",
           "integrity", "chroma_jobs"]


@dataclass
class Passage:
    text: str
    source_file: str
    lines: tuple[int, int]
    section: str | None
    doc_title: str
    score: float
    chunk_id: str
    entities: tuple[str, ...] = ()
    editions: tuple[str, ...] = ()
    scores: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text, "source_file": self.source_file, "lines": list(self.lines),
            "section": self.section, "doc_title": self.doc_title, "score": round(float(self.score), 4),
            "chunk_id": self.chunk_id, "entities": list(self.entities), "editions": list(self.editions),
        }


def search(query: str, k: int = 5, edition: str | None = None, entity: str | None = None,
           document: str | None = None, section: str | None = None) -> list[Passage]:
    """Best passages for ``query``; filters are exact (edition id, canonical entity,
    document id or file name, section substring). The passages are shared: read, don't modify."""
    return list(_search(query, k, edition, entity, document, section))


@functools.lru_cache(maxsize=2048)
def _search(query: str, k: int, edition: str | None, entity: str | None, document: str | None,
            section: str | None) -> tuple[Passage, ...]:
    # retrieval is deterministic over the shipped corpus, so a repeated query (a warm service,
    # a follow-up, the same question from another user) costs no second embedding
    resp = vectorstore.search(query, k=k, edition=edition, entity=entity, document=document, section=section)
    return tuple([
        Passage(text=r.text, source_file=r.source_file, lines=(int(r.lines[0]), int(r.lines[-1])), section=r.section,
                doc_title=r.doc_title, score=float(r.score), chunk_id=r.chunk_id, entities=tuple(r.entities),
                editions=tuple(r.editions), scores=dict(r.scores))
        for r in resp.results
    ])


def get_passage(source_file: str, first: int, last: int, context: int = 0) -> dict:
    """Original lines of a shipped report: ``{"source_file", "doc_title", "first", "last", "lines": [{"no","text","cited"}]}``."""
    return vectorstore.get_passage(source_file, first, last, context=context)


@functools.lru_cache(maxsize=None)
def line_text(source_file: str, line: int) -> str:
    lines = corpus.read_lines(source_file)
    return lines[line - 1] if 1 <= line <= len(lines) else ""


@functools.lru_cache(maxsize=None)
def doc_title(source_file: str) -> str:
    d = corpus.document_by_key(source_file)
    return d.title_zh if d else source_file


def section_at(source_file: str, line: int) -> str | None:
    """The section path of the report around ``line`` (from the built index), or ``None``."""
    return vectorstore.section_at(source_file, line)


def glossary_terms(text: str) -> list[str]:
    """Chinese terms for English words in ``text`` (the retrieval layer's bilingual glossary)."""
    return knowledge.expand_query(text)


def search_terms(text: str) -> list[str]:
    """Every Chinese search term for an English ``text``: the glossary's, those of the concept
    names it says, dictionary translations of its other words (looser than the glossary's)."""
    from vectorstore import query

    return query.expansions_for(text)[1]


def words(text: str) -> list[str]:
    """``text`` cut into words by the retrieval layer's one tokenizer (lower-cased, stop words
    dropped, search mode: a long word and its parts)."""
    from vectorstore import lexical

    return lexical.tokenize(text)


@functools.lru_cache(maxsize=4)
def words_tagged(tags: frozenset[str], longest: int = 6) -> frozenset[str]:
    """The words of the tokenizer's general dictionary (jieba's ``dict.txt``) of 2 to ``longest``
    characters whose part of speech is one of ``tags`` (``m`` a numeral, ``v`` a verb…). Only those
    are kept: the whole dictionary as a table would hold 350k words (~66 MB) to answer this."""
    import jieba

    out = set()
    with Path(jieba.__file__).with_name("dict.txt").open(encoding="utf-8") as f:
        for line in f:
            head, _, tag = line.rstrip("\n").rpartition(" ")
            if tag in tags:
                word = head.rpartition(" ")[0]
                if 2 <= len(word) <= longest:
                    out.add(word)
    return frozenset(out)


def in_dictionary(word: str) -> bool:
    """Is ``word`` a word of the tokenizer's dictionaries (not one it guessed for an unknown run, 佛三在)?"""
    from vectorstore import lexical

    return bool(lexical.tokenizer().FREQ.get(word))


@functools.lru_cache(maxsize=512)
def words_at(text: str) -> tuple[tuple[str, int, int], ...]:
    """The tokenizer's words of ``text`` with their character offsets, (word, start, end)."""
    from vectorstore import lexical

    return tuple(lexical.tokenizer().tokenize(text))


def user_dictionary_words() -> list[str]:
    return knowledge.user_dictionary_words()


# -- for the HTTP service and `hardtech serve`, which reach the retrieval layer only through here
def search_results(query: str, k: int = 5, edition: str | None = None, entity: str | None = None) -> list[dict]:
    """Every field the retrieval layer returns per result (text, source_file, lines, section, doc_title,
    score, scores, chunk_id, doc_id, kind, entities, dimensions, editions), as JSON-ready dicts."""
    return [r.to_dict() for r in vectorstore.search(query, k=k, edition=edition, entity=entity).results]


def index_state() -> str:
    """``"chroma"`` (a `chroma run` server holds the vectors), ``"ready"`` (built locally) or ``"missing"``."""
    from vectorstore.config import chroma_url
    from vectorstore.store import index_exists

    return "chroma" if chroma_url() else "ready" if index_exists() else "missing"


def prefetch_encoder():
    """Start writing the default encoder's on-disk cache in the background if it is missing (the
    process, or None); see :func:`vectorstore.embeddings.prefetch`."""
    from vectorstore import embeddings

    return embeddings.prefetch()


def build_index(defer_chroma: bool = False) -> dict:
    """Build or update the local index (incremental, atomic); a summary of what was done. With
    ``defer_chroma`` the chroma store is left to a writer process (``chroma_jobs.spawn``)."""
    return vectorstore.build_index(defer_chroma=defer_chroma)


def report_files() -> list[str]:
    """The shipped reports' file names."""
    return [d.source_file for d in corpus.load_manifest()]


def documents() -> list[dict]:
    """The shipped reports: ``{"id", "source_file", "title", "year"}`` (year of publication, or None)."""
    return [{"id": d.id, "source_file": d.source_file, "title": d.title_zh, "year": d.year} for d in corpus.load_manifest()]


def lines(source_file: str, first: int, last: int) -> list[str]:
    """The report's raw lines ``first``..``last`` (1-based, inclusive)."""
    text = corpus.read_lines(source_file)
    return list(text[max(first, 1) - 1:min(last, len(text))])


def evaluate_retrieval(**kwargs: Any) -> dict:
    """The retrieval layer's dev-set evaluation (hit@k, MRR by language and report), for ``hardtech eval``."""
    from vectorstore.evaluate import evaluate_retrieval as evaluate

    return evaluate(**kwargs)
