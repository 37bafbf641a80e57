"""Hybrid search: dense (chromadb) + BM25 (jieba), fused with reciprocal rank fusion.

Use the module-level :func:`search`; it keeps one cached :class:`Searcher` per
process (index + embedder + BM25 loaded once), so warm queries are fast.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import asdict, dataclass, field
from typing import Literal

import numpy as np

from .config import MAX_QUERY_CHARS, index_dir
from .errors import (
    IndexMissingError,
    InvalidQueryError,
    UnknownDocumentError,
    UnknownEditionError,
    UnknownEntityFilterError,
)

log = logging.getLogger("vectorstore")

Mode = Literal["fused", "dense", "bm25"]
RRF_K = 100
CANDIDATES = 60
ENTITY_BOOST = 0.006
DIMENSION_BOOST = 0.004
DOCUMENT_BOOST = 0.006
EXPANSION_WEIGHT = 1.0


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


# ------------------------------------------------------------------------- helpers
def validate_query(query: str) -> str:
    if not isinstance(query, str):
        raise InvalidQueryError("The query must be a string.")
    q = query.strip()
    if not q:
        raise InvalidQueryError("The query is empty: ask a question or give keywords.")
    if len(q) > MAX_QUERY_CHARS:
        raise InvalidQueryError(f"The query is {len(q)} characters long; the limit is {MAX_QUERY_CHARS}.")
    return q


def resolve_entity(name: str) -> str:
    """Canonical entity name for a filter value (any alias, any case)."""
    from .knowledge import alias_map, load_entities

    amap = alias_map()
    key = name.strip()
    hit = amap.get(key) or amap.get(key.lower())
    if hit:
        return hit
    try:  # the team lead's resolver, when it exists, knows more spellings
        from index_core.entities import load_registry  # type: ignore

        return load_registry().resolve(key).name
    except Exception:
        pass
    choices = [e.name for e in load_entities()] + [e.name_en for e in load_entities()]
    raise UnknownEntityFilterError(name, choices)


def detect_entities(text: str) -> list[str]:
    from .knowledge import alias_map

    found = []
    low = text.lower()
    for alias, canon in alias_map().items():
        if alias.isascii():
            if len(alias) >= 3 and re.search(r"(?<![a-z])" + re.escape(alias.lower()) + r"(?![a-z])", low):
                found.append(canon)
        elif alias in text:
            found.append(canon)
    return list(dict.fromkeys(found))


def detect_dimensions(text: str, expansions: list[str]) -> list[str]:
    from .knowledge import dimension_names

    hay = re.sub(r"\s+", "", text) + "|" + "|".join(expansions)
    return [d for d in dimension_names() if d in hay]


_REPORTISH = r"(?:白皮书|white ?paper|报告|report|指数|index|edition|版|排名|ranking)"


def detect_documents(text: str) -> list[str]:
    """Documents a query names: by title/alias, or by '<year> … white paper/index'."""
    from .corpus import load_manifest

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


# ------------------------------------------------------------------------ searcher
class Searcher:
    """Loaded index + embedder + BM25; thread-safe for concurrent searches."""

    def __init__(self, embedding: str | None = None, auto_build: bool = True):
        from .embeddings import get_embedder
        from .lexical import BM25
        from .store import build_index, index_exists, load_index

        path = index_dir()
        if not index_exists(path):
            if not auto_build:
                raise IndexMissingError(str(path))
            log.warning("No retrieval index at %s: building it now (one-off)", path)
            build_index(embedding)
        self.index = load_index(path)
        meta = self.index.meta
        self.embedder = get_embedder(meta["embedding"])
        if self.embedder.model_id != meta["embedding_model"]:
            log.warning("Index was built with %s but %s is loaded", meta["embedding_model"], self.embedder.model_id)
        self.chunks = self.index.chunks
        self.bm25 = BM25(self.index.tokens)
        self.vectors = self.index.vectors
        self._id_pos = {c.chunk_id: i for i, c in enumerate(self.chunks)}
        self._lock = threading.Lock()

    # -- filters
    def _mask(self, edition, entity, document, section) -> np.ndarray:
        from .corpus import document_by_key, load_manifest
        from .knowledge import known_editions

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
        from .corpus import document_by_key

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
        from .lexical import tokenize

        toks = tokenize(query)
        weights: dict[str, float] = {}
        for term in expansions:
            for t in tokenize(term):
                if t not in toks:
                    weights.setdefault(t, EXPANSION_WEIGHT)
                    toks.append(t)
        s = self.bm25.scores(toks, weights)
        s[~mask] = 0.0
        return s

    def search(self, query: str, k: int = 5, edition: str | None = None, entity: str | None = None,
               document: str | None = None, section: str | None = None, mode: Mode = "fused",
               expand: bool = True) -> SearchResponse:
        from .knowledge import expand_query

        q = validate_query(query)
        k = max(1, min(int(k), 100))
        mask = self._mask(edition, entity, document, section)
        where = self._where(edition, entity, document)
        expansions = expand_query(q) if expand else []
        ents = detect_entities(q)
        for e in detect_entities(" ".join(expansions)):
            if e not in ents:
                ents.append(e)
        dims = detect_dimensions(q, expansions)
        docs = detect_documents(q)

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
    """The process-level cached searcher (built on first use)."""
    global _SEARCHER
    with _SEARCHER_LOCK:
        if _SEARCHER is None:
            _SEARCHER = Searcher()
        return _SEARCHER


def reset_searcher() -> None:
    """Forget the cached searcher (after a rebuild, or when HARDTECH_HOME changes)."""
    global _SEARCHER
    with _SEARCHER_LOCK:
        _SEARCHER = None


def search(query: str, k: int = 5, edition: str | None = None, entity: str | None = None,
           document: str | None = None, section: str | None = None, *, mode: Mode = "fused",
           expand: bool = True) -> SearchResponse:
    """Search the source reports.

    Args:
        query: question or keywords, Chinese or English (1-2,000 characters).
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
