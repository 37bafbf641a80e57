"""The ONE adapter between the assistant and :mod:`vectorstore`.

Everything the assistant knows about passage retrieval goes through
:func:`search` and :func:`get_passage` here, so a change in the retrieval layer's
signature is a one-file fix.

Backends (``HARDTECH_RETRIEVAL``):

* ``auto`` (default): ``vectorstore.search`` when it is importable and its index
  is already built (the assistant never triggers a one-off index build), else the
  lexical scorer below;
* ``native``: ``vectorstore.search`` only (errors propagate);
* ``lexical``: a BM25 scorer over ``vectorstore.corpus`` chunks (CJK bigrams,
  Latin words, glossary expansion of English queries). Deterministic, no model,
  a few milliseconds per query once the chunks are built.

Both return :class:`Passage` items with the same fields.
"""
from __future__ import annotations

import functools
import importlib
import math
import os
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable

__all__ = ["Passage", "search", "get_passage", "backend_name", "glossary_terms"]


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


# ----------------------------------------------------------------------------- backends
_native_state: dict[str, Any] = {"fn": None, "checked": False, "broken": False}
_lock = threading.Lock()


def _native_search() -> Callable | None:
    if _native_state["checked"]:
        return None if _native_state["broken"] else _native_state["fn"]
    fn = None
    try:
        vs = importlib.import_module("vectorstore")
        fn = getattr(vs, "search", None)
        if fn is not None and not callable(fn):  # a submodule named search
            fn = getattr(fn, "search", None)
        if fn is None:
            mod = importlib.import_module("vectorstore.search")
            fn = getattr(mod, "search", None)
    except Exception:
        fn = None
    _native_state.update(fn=fn if callable(fn) else None, checked=True)
    return _native_state["fn"]


def backend_name() -> str:
    mode = os.environ.get("HARDTECH_RETRIEVAL", "auto").strip().lower() or "auto"
    if mode == "lexical":
        return "lexical"
    if mode == "native":
        return "native"
    if _native_search() is None or _native_state["broken"]:
        return "lexical"
    return "native" if _index_built() else "lexical"


def _index_built() -> bool:
    try:
        from vectorstore.config import index_dir
        from vectorstore.store import index_exists

        return bool(index_exists(index_dir()))
    except Exception:
        return False


def search(query: str, k: int = 5, edition: str | None = None, entity: str | None = None,
           document: str | None = None, section: str | None = None) -> list[Passage]:
    """Best passages for ``query`` (filters are exact: edition id, canonical entity,
    document id or file name, section substring)."""
    if backend_name() == "native":
        try:
            return _search_native(query, k, edition, entity, document, section)
        except Exception:
            if os.environ.get("HARDTECH_RETRIEVAL", "auto").strip().lower() == "native":
                raise
            _native_state["broken"] = True  # e.g. no index built yet: use the lexical scorer from now on
    return _search_lexical(query, k, edition, entity, document, section)


def _search_native(query, k, edition, entity, document, section) -> list[Passage]:
    fn = _native_search()
    resp = fn(query, k=k, edition=edition, entity=entity, document=document, section=section)
    items = getattr(resp, "results", resp)
    out = []
    for it in items:
        g = (lambda name, default=None: it.get(name, default)) if isinstance(it, dict) else (lambda name, default=None: getattr(it, name, default))
        lines = tuple(g("lines") or (0, 0))
        out.append(Passage(
            text=g("text", ""), source_file=g("source_file", ""), lines=(int(lines[0]), int(lines[-1])),
            section=g("section"), doc_title=g("doc_title", ""), score=float(g("score", 0.0) or 0.0),
            chunk_id=str(g("chunk_id", "")), entities=tuple(g("entities") or ()), editions=tuple(g("editions") or ()),
            scores=dict(g("scores") or {}),
        ))
    return out


def get_passage(source_file: str, first: int, last: int, context: int = 0) -> dict:
    """Original lines of a shipped report: ``{"source_file", "doc_title", "first", "last", "lines": [{"no","text","cited"}]}``."""
    fn = None
    try:
        vs = importlib.import_module("vectorstore")
        fn = getattr(vs, "get_passage", None)
    except Exception:
        fn = None
    if not callable(fn):
        from vectorstore.corpus import get_passage as fn  # type: ignore[no-redef]
    return fn(source_file, first, last, context=context)


@functools.lru_cache(maxsize=None)
def line_text(source_file: str, line: int) -> str:
    from vectorstore.corpus import read_lines

    lines = read_lines(source_file)
    return lines[line - 1] if 1 <= line <= len(lines) else ""


@functools.lru_cache(maxsize=None)
def doc_title(source_file: str) -> str:
    from vectorstore.corpus import document_by_key

    d = document_by_key(source_file)
    return d.title_zh if d else source_file


def glossary_terms(text: str) -> list[str]:
    """Chinese terms for English words in ``text`` (the retrieval layer's bilingual glossary)."""
    try:
        from vectorstore.knowledge import expand_query
    except Exception:  # pragma: no cover
        return []
    return expand_query(text)


def user_dictionary_words() -> list[str]:
    try:
        from vectorstore.knowledge import user_dictionary_words as words
    except Exception:  # pragma: no cover
        return []
    return words()


# ----------------------------------------------------------------------------- lexical
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_LATIN = re.compile(r"[A-Za-z][A-Za-z&\-]+|\d+(?:\.\d+)?")


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    for run in _CJK_RUN.findall(text):
        if len(run) == 1:
            out.append(run)
        out.extend(run[i:i + 2] for i in range(len(run) - 1))
    out.extend(t.lower() for t in _LATIN.findall(text))
    return out


class _Lexical:
    def __init__(self) -> None:
        from vectorstore.corpus import build_chunks

        self.chunks = build_chunks()
        self.tf = [Counter(_tokens(c.index_text)) for c in self.chunks]
        self.len = [sum(t.values()) for t in self.tf]
        self.avg = sum(self.len) / max(1, len(self.len))
        df: Counter = Counter()
        for t in self.tf:
            df.update(t.keys())
        n = len(self.chunks)
        self.idf = {w: math.log(1 + (n - d + 0.5) / (d + 0.5)) for w, d in df.items()}

    def search(self, query, k, edition, entity, document, section) -> list[Passage]:
        q = query
        extra = glossary_terms(query)
        if extra:
            q = q + " " + " ".join(extra)
        qtok = Counter(_tokens(q))
        k1, b = 1.4, 0.6
        scored = []
        for i, c in enumerate(self.chunks):
            if edition and edition not in c.editions:
                continue
            if entity and entity not in c.entities:
                continue
            if document and document not in (c.doc_id, c.source_file, c.source_file.rsplit(".", 1)[0]):
                continue
            if section and section not in (c.section or ""):
                continue
            tf = self.tf[i]
            s = 0.0
            for w, qn in qtok.items():
                f = tf.get(w)
                if f:
                    s += self.idf.get(w, 0.0) * (f * (k1 + 1)) / (f + k1 * (1 - b + b * self.len[i] / self.avg)) * (1 + 0.2 * (qn - 1))
            if s > 0:
                scored.append((s, i))
        scored.sort(key=lambda x: (-x[0], x[1]))
        out = []
        for s, i in scored[:k]:
            c = self.chunks[i]
            out.append(Passage(text=c.text, source_file=c.source_file, lines=tuple(c.lines), section=c.section,
                               doc_title=c.doc_title, score=round(s, 4), chunk_id=c.chunk_id,
                               entities=tuple(c.entities), editions=tuple(c.editions), scores={"bm25": round(s, 4)}))
        return out


_lexical: _Lexical | None = None


def _search_lexical(query, k, edition, entity, document, section) -> list[Passage]:
    global _lexical
    if _lexical is None:
        with _lock:
            if _lexical is None:
                _lexical = _Lexical()
    return _lexical.search(query, k, edition, entity, document, section)


def warm() -> None:
    """Build whatever the default backend needs (chunks, idf)."""
    search("硬科技", k=1)
