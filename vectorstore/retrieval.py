"""Hybrid search: dense (the index's vectors, or the Chinese companion encoder's) + BM25 (jieba), fused
with weighted reciprocal rank fusion and metadata boosts (:mod:`vectorstore.fusion`).

A question is embedded once, by the encoder that serves its language best: English with
the default encoder (USE), Chinese with the companion encoder
(multilingual-e5-small, :mod:`vectorstore.dense`). English questions reach the Chinese
reports' BM25 through their Chinese expansions (glossary, concept names, dictionary).

Use the module-level :func:`search`; it keeps one cached :class:`Searcher` per
process (index + embedder + BM25 loaded once), so warm queries are fast.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

from index_core import catalog as core_catalog

from . import dense as companion_store
from . import store
from .config import index_dir
from .corpus import document_by_key, load_manifest
from .embeddings import get_embedder
from .errors import (
    EmbeddingBackendError,
    IndexMissingError,
    UnknownDocumentError,
    UnknownEditionError,
)
from .fusion import fusion, top
from .knowledge import known_editions
from .lexical import BM25, tokenize
from .query import analyse, resolve_entity, validate_query

log = logging.getLogger("vectorstore")

#: ``fused`` (the product), or one list alone: ``dense`` (the default encoder), ``companion``
#: (the Chinese companion encoder; the default one where the index has none), ``bm25``.
Mode = Literal["fused", "dense", "companion", "bm25"]


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
    embedding_model: str  # the encoder that embedded this question
    mode: str
    language: str = "zh"  # the question's language, which chose the encoder and the weights

    def to_dict(self) -> dict:
        d = asdict(self)
        return d


# ------------------------------------------------------------------------ searcher
QUERY_VECTORS = 512  # query embeddings a searcher keeps (2 KB each at 384 or 512 dimensions)


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
        self.companion = companion_store.load(self.path, meta, len(self.chunks))
        self.bm25 = BM25.load(self.path, len(self.chunks), lambda: self.index.tokens)
        self._id_pos = {c.chunk_id: i for i, c in enumerate(self.chunks)}
        self._query_vectors: dict[tuple[str, str], np.ndarray] = {}  # (model id, query) -> its embedding, oldest first

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
        """Cosine similarity of the default encoder's top ``n`` allowed chunks: exact, over the
        index's memory-mapped vectors (with a Chroma server: its collection)."""
        qv = self._embedded(self.embedder, query)
        allowed = int(mask.sum())
        if allowed == 0:
            return {}
        if not self.index.meta.get("chroma_url"):
            return self._nearest(self.index.vectors, qv, mask, n)
        res = self.index.collection.query(query_embeddings=[qv.tolist()], n_results=min(n, allowed), where=where,
                                          include=["distances"])
        out: dict[int, float] = {}
        for cid, dist in zip(res["ids"][0], res["distances"][0]):
            i = self._id_pos.get(cid)
            if i is not None and mask[i]:
                out[i] = 1.0 - float(dist)
        return out

    def companion_scores(self, query: str, mask: np.ndarray, n: int) -> dict[int, float]:
        """Cosine similarity of the companion encoder's top ``n`` allowed chunks (numpy)."""
        return self._nearest(self.companion, self._embedded(get_embedder(companion_store.COMPANION), query), mask, n)

    def forget_queries(self) -> None:
        """Drop the kept query embeddings (a benchmark timing questions as if each were the first)."""
        self._query_vectors.clear()

    def _embedded(self, embedder, query: str) -> np.ndarray:
        """The query's embedding, kept for the last ``QUERY_VECTORS`` queries: one answer often
        searches the same text twice (with and without a filter), and an embedding is most of a
        search's time (a Chinese question's e5 embedding: 10-60 ms). Read only."""
        key = (embedder.model_id, query)
        vector = self._query_vectors.get(key)
        if vector is None:
            vector = embedder.embed_query(query)
            vector.setflags(write=False)
            while len(self._query_vectors) >= QUERY_VECTORS:
                self._query_vectors.pop(next(iter(self._query_vectors)), None)
            self._query_vectors[key] = vector
        return vector

    @staticmethod
    def _nearest(vectors: np.ndarray, qv: np.ndarray, mask: np.ndarray, n: int) -> dict[int, float]:
        """``{row: cosine}`` of the ``n`` allowed rows nearest ``qv`` (rows and ``qv`` unit length)."""
        s = np.where(mask, np.asarray(vectors @ qv), -np.inf)
        return {i: float(s[i]) for i in top(s, min(n, int(mask.sum())))}

    def bm25_scores(self, query: str, expansions: list[str], mask: np.ndarray) -> np.ndarray:
        """BM25 over the query's tokens and those of its Chinese expansions."""
        toks = tokenize(query)
        for term in expansions:
            toks.extend(tokenize(term))
        s = self.bm25.scores(toks)
        s[~mask] = 0.0
        return s

    def _weights(self, language: str, mode: Mode) -> dict[str, float]:
        if mode == "fused":
            return fusion().weights_for(language, self.companion is not None)
        if mode == "companion" and self.companion is None:
            return {"dense": 1.0}
        return {mode: 1.0}

    def search(self, query: str, k: int = 5, edition: str | None = None, entity: str | None = None,
               document: str | None = None, section: str | None = None, mode: Mode = "fused",
               expand: bool = True) -> SearchResponse:
        a = analyse(query, expand)
        q, ents, dims, docs = a.text, a.entities, a.dimensions, a.documents
        k = max(1, min(int(k), 100))
        mask = self._mask(edition, entity, document, section)
        f = fusion()
        weights = self._weights(a.language, mode)

        # one dense list per encoder the weights name (normally one: the question's language's)
        lists: dict[str, dict[int, float]] = {}
        if "companion" in weights:
            try:
                lists["companion"] = self.companion_scores(q, mask, f.candidates)
            except EmbeddingBackendError as exc:  # vectors in the index, package gone
                log.warning("Companion encoder unavailable (%s); using %s", exc, self.embedder.model_id)
                weights["dense"] = weights.get("dense", 0.0) + weights.pop("companion")
        if "dense" in weights:
            lists["dense"] = self.dense_scores(q, mask, self._where(edition, entity, document), f.candidates)
        dense = next(iter(lists.values()), {})
        encoder = companion_store.companion_id() if "companion" in lists else self.embedder.model_id
        bm: np.ndarray = np.zeros(len(self.chunks), dtype=np.float32)
        if "bm25" in weights:
            bm = self.bm25_scores(q, a.expansions, mask)

        rrf: dict[int, float] = {}
        for name, scores in lists.items():
            f.rrf(sorted(scores, key=lambda i: (-scores[i], i)), weights[name], rrf)
        if "bm25" in weights:
            f.rrf(top(bm, f.candidates, positive_only=True), weights["bm25"], rrf)

        scored = []
        for i, base in rrf.items():
            c = self.chunks[i]
            boost = 0.0
            if mode == "fused":
                boost += f.entity_boost * sum(1 for e in ents if e in c.entities)
                boost += f.dimension_boost * sum(1 for d in dims if d in c.dimensions)
                if c.doc_id in docs:
                    boost += f.document_boost
            if mode in ("dense", "companion"):
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
            expansions=a.expansions, detected_entities=ents, detected_dimensions=dims, detected_documents=docs,
            embedding_model=encoder, mode=mode, language=a.language,
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
    """Forget the cached searcher (tests, :func:`index_core.api.reload`; a rebuild in this
    process or a new home is noticed anyway)."""
    global _SEARCHER
    with _SEARCHER_LOCK:
        _SEARCHER = None


core_catalog.on_reload(reset_searcher)  # a reload also picks up an index rebuilt by another process


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
        mode: ``fused`` (default), or one ranked list alone: ``dense``, ``companion`` or ``bm25``.
        expand: expand English queries with Chinese terms for BM25 (glossary, concept names,
            dictionary: :mod:`vectorstore.lexicon`).

    Raises:
        InvalidQueryError, UnknownEditionError, UnknownEntityFilterError, UnknownDocumentError,
        IndexCorruptError, ChromaUnreachableError (all :class:`~vectorstore.errors.VectorStoreError`).
    """
    q = validate_query(query)  # fail fast, before loading anything
    return get_searcher().search(q, k=k, edition=edition, entity=entity, document=document,
                                 section=section, mode=mode, expand=expand)
