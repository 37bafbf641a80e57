"""Hybrid search: dense (chromadb) + BM25 (jieba), fused with reciprocal rank fusion.

Use the module-level :func:`search`; it keeps one cached :class:`Searcher` per
process (index + embedder + BM25 loaded once), so warm queries are fast.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from dataclasses import asdict, dataclass, field
from typing import Literal

import numpy as np

from . import store
from .config import index_dir
from .corpus import document_by_key, load_manifest
from .embeddings import get_embedder
from .errors import IndexMissingError, UnknownDocumentError, UnknownEditionError
from .knowledge import known_editions
from .lexical import BM25, tokenize
from .query import analyse, resolve_entity, validate_query

log = logging.getLogger("vectorstore")

Mode = Literal["fused", "dense", "bm25"]
RRF_K = 100
CANDIDATES = 60
ENTITY_BOOST = 0.006
DIMENSION_BOOST = 0.004
DOCUMENT_BOOST = 0.006


@dataclass
class SearchResult:
    """One retrieved passage, with where it comes from and why it ranked."""

    text: str
    source_file: str
    lines: list[int]
    section: str
    doc_title: str
    score: float
    scores: dict[str, float]
    chunk_id: str
    doc_id: str
    kind: str
    entities: list[str] = field(default_factory=list)
    dimensions: list[str] = field(default_factory=list)
    editions: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class SearchResponse:
    query: str
    results: list[SearchResult]
    filters: dict[str, str | None]
    expansions: list[str]
    detected_entities: list[str]
    detected_dimensions: list[str]
    detected_documents: list[str]
    embedding_model: str
    mode: str

    def to_dict(self) -> dict:
        d = asdict(self)
        return d


# ------------------------------------------------------------------------ searcher
class Searcher:
    """Loaded index + embedder + BM25; thread-safe for concurrent searches."""

    def __init__(self, embedding: str | None = None, auto_build: bool = True, path: Path | None = None):
        self.path = path or index_dir()
        self.generation = store.generation()
        if not store.index_exists(self.path):
            if not auto_build:
                raise IndexMissingError(str(self.path))
            log.warning("No retrieval index at %s: building it now (one-off)", self.path)
            store.build_index(embedding, path=self.path)
        self.index = store.load_index(self.path)
        meta = self.index.meta
        self.embedder = get_embedder(meta["embedding"])
        if self.embedder.model_id != meta["embedding_model"]:
            log.warning("Index was built with %s but %s is loaded", meta["embedding_model"], self.embedder.model_id)
        self.chunks = self.index.chunks
        self.bm25 = BM25(self.index.tokens)
        self._id_pos = {c.chunk_id: i for i, c in enumerate(self.chunks)}

    # -- filters
    def _mask(self, edition, entity, document, section) -> np.ndarray:
        m = np.ones(len(self.chunks), dtype=bool)
        if edition:
            if edition not in known_editions():
                raise UnknownEditionError(edition, known_editions())
            m &= np.array([edition in c.editions for c in self.chunks])
        if entity:
            canon = resolve_entity(entity)
            m &= np.array([canon in c.entities for c in self.chunks])
        if document:
            doc = document_by_key(document)
            if doc is None:
                docs = load_manifest()
                raise UnknownDocumentError(document, [d.id for d in docs] + [d.source_file for d in docs])
            m &= np.array([c.doc_id == doc.id for c in self.chunks])
        if section:
            s = section.strip().lower()
            m &= np.array([s in c.section.lower() for c in self.chunks])
        return m

    def _where(self, edition, entity, document) -> dict | None:
        conds = []
        if edition:
            conds.append({f"ed__{edition}": True})
        if entity:
            conds.append({f"ent__{resolve_entity(entity)}": True})
        if document:
            conds.append({"doc_id": document_by_key(document).id})
        if not conds:
            return None
        return conds[0] if len(conds) == 1 else {"$and": conds}

    # -- retrieval
    def dense_scores(self, query: str, mask: np.ndarray, where: dict | None, n: int) -> dict[int, float]:
        qv = self.embedder.embed_query(query)
        allowed = int(mask.sum())
        if allowed == 0:
            return {}
        n_results = min(max(n, CANDIDATES), allowed)
        res = self.index.collection.query(query_embeddings=[qv.tolist()], n_results=n_results, where=where,
                                          include=["distances"])
        out: dict[int, float] = {}
        for cid, dist in zip(res["ids"][0], res["distances"][0]):
            i = self._id_pos.get(cid)
            if i is not None and mask[i]:
                out[i] = 1.0 - float(dist)
        return out

    def bm25_scores(self, query: str, expansions: list[str], mask: np.ndarray) -> np.ndarray:
        """BM25 over the query's tokens and those of its glossary expansions."""
        toks = tokenize(query)
        for term in expansions:
            toks.extend(tokenize(term))
        s = self.bm25.scores(toks)
        s[~mask] = 0.0
        return s

    def search(self, query: str, k: int = 5, edition: str | None = None, entity: str | None = None,
               document: str | None = None, section: str | None = None, mode: Mode = "fused",
               expand: bool = True) -> SearchResponse:
        a = analyse(query, expand)
        q, expansions, ents, dims, docs = a.text, a.expansions, a.entities, a.dimensions, a.documents
        k = max(1, min(int(k), 100))
        mask = self._mask(edition, entity, document, section)
        where = self._where(edition, entity, document)

        dense: dict[int, float] = {}
        bm: np.ndarray = np.zeros(len(self.chunks), dtype=np.float32)
        if mode in ("fused", "dense"):
            dense = self.dense_scores(q, mask, where, CANDIDATES)
        if mode in ("fused", "bm25"):
            bm = self.bm25_scores(q, expansions, mask)

        rrf: dict[int, float] = {}
        dense_rank = sorted(dense, key=lambda i: -dense[i])
        for r, i in enumerate(dense_rank[:CANDIDATES]):
            rrf[i] = rrf.get(i, 0.0) + 1.0 / (RRF_K + r + 1)
        bm_pos = [int(i) for i in np.argsort(-bm)[:CANDIDATES] if bm[i] > 0]
        for r, i in enumerate(bm_pos):
            rrf[i] = rrf.get(i, 0.0) + 1.0 / (RRF_K + r + 1)

        scored = []
        for i, base in rrf.items():
            c = self.chunks[i]
            boost = 0.0
            if mode == "fused":
                boost += ENTITY_BOOST * sum(1 for e in ents if e in c.entities)
                boost += DIMENSION_BOOST * sum(1 for d in dims if d in c.dimensions)
                if c.doc_id in docs:
                    boost += DOCUMENT_BOOST
            if mode == "dense":
                primary = dense.get(i, 0.0)
            elif mode == "bm25":
                primary = float(bm[i])
            else:
                primary = base + boost
            scored.append((primary, i, base, boost))
        scored.sort(key=lambda t: (-t[0], t[1]))

        results = []
        for primary, i, base, boost in scored[:k]:
            c = self.chunks[i]
            results.append(SearchResult(
                text=c.text, source_file=c.source_file, lines=list(c.lines), section=c.section,
                doc_title=c.doc_title, score=round(float(primary), 6),
                scores={"dense": round(float(dense.get(i, 0.0)), 6), "bm25": round(float(bm[i]), 6),
                        "rrf": round(float(base), 6), "boost": round(float(boost), 6)},
                chunk_id=c.chunk_id, doc_id=c.doc_id, kind=c.kind, entities=list(c.entities),
                dimensions=list(c.dimensions), editions=list(c.editions),
            ))
        return SearchResponse(
            query=q, results=results,
            filters={"edition": edition, "entity": entity, "document": document, "section": section},
            expansions=expansions, detected_entities=ents, detected_dimensions=dims, detected_documents=docs,
            embedding_model=self.embedder.model_id, mode=mode,
        )


_SEARCHER: Searcher | None = None
_SEARCHER_LOCK = threading.RLock()


def get_searcher() -> Searcher:
    """The process-level cached searcher (loaded on first use, and again after this process
    rebuilt the index or ``HARDTECH_HOME`` changed)."""
    global _SEARCHER
    with _SEARCHER_LOCK:
        s = _SEARCHER
        if s is None or s.path != index_dir() or s.generation != store.generation():
            _SEARCHER = s = Searcher()
        return s


def reset_searcher() -> None:
    """Forget the cached searcher (tests; a rebuild or a new home is noticed anyway)."""
    global _SEARCHER
    with _SEARCHER_LOCK:
        _SEARCHER = None


def search(query: str, k: int = 5, edition: str | None = None, entity: str | None = None,
           document: str | None = None, section: str | None = None, *, mode: Mode = "fused",
           expand: bool = True) -> SearchResponse:
    """Search the source reports.

    Args:
        query: question or keywords, Chinese or English (1 to ``HARDTECH_MAX_QUESTION_CHARS`` characters).
        k: number of results (1-100).
        edition: only chunks backing this edition (``hardtech-2019``, ``hardtech-2020``,
            ``gtii-2019``, ``chongqing-2018q3``).
        entity: only chunks mentioning this city/district (any alias: ``深圳``, ``深圳市``, ``Shenzhen``).
        document: only this document (``001``, or its file name).
        section: only chunks whose section path contains this text (case-insensitive).
        mode: ``fused`` (default), ``dense`` or ``bm25``.
        expand: expand English queries with Chinese glossary terms for BM25.

    Raises:
        InvalidQueryError, UnknownEditionError, UnknownEntityFilterError, UnknownDocumentError,
        IndexCorruptError, ChromaUnreachableError (all :class:`~vectorstore.errors.VectorStoreError`).
    """
    q = validate_query(query)  # fail fast, before loading anything
    return get_searcher().search(q, k=k, edition=edition, entity=entity, document=document,
                                 section=section, mode=mode, expand=expand)
