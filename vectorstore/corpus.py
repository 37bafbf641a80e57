"""The corpus as the rest of the product sees it: the shipped reports, their original
lines (for citations) and their chunks.

Everything here reads the shipped files only; the chunks of a built index (with the
entities each mentions) come from :func:`vectorstore.store.indexed_chunks`.
"""

from __future__ import annotations

import functools

from .chunking import chunk_document
from .documents import Chunk, Document, all_documents, corpus_fingerprint, document_by_key, load_manifest, read_lines
from .errors import UnknownDocumentError

__all__ = ["Chunk", "Document", "all_documents", "build_chunks", "corpus_fingerprint", "document_by_key", "get_passage",
           "load_manifest", "read_lines"]


@functools.lru_cache(maxsize=None)
def _chunks_of(doc: Document) -> tuple[Chunk, ...]:
    return tuple(chunk_document(doc))


def build_chunks() -> list[Chunk]:
    """All chunks of every document (:func:`all_documents`: bundled, then the user's), in document
    order (deterministic). This re-reads and re-chunks (about a second the first time): to look
    chunks up, read a built index."""
    return [c for d in all_documents() for c in _chunks_of(d)]


def get_passage(source_file: str, first: int, last: int, context: int = 3) -> dict:
    """Original lines ``first-context .. last+context`` of a shipped file, for citation panels.

    Returns ``{"source_file", "first", "last", "lines": [{"no", "text", "cited"}]}``.
    Raises :class:`~vectorstore.errors.UnknownDocumentError` for an unknown file
    and :class:`ValueError` for an impossible range.
    """
    doc = document_by_key(source_file)
    if doc is None:
        raise UnknownDocumentError(source_file, [d.source_file for d in all_documents()])
    lines = read_lines(doc.source_file)
    if first < 1 or last < first or first > len(lines):
        raise ValueError(f"Invalid line range [{first}, {last}] for {doc.source_file} ({len(lines)} lines)")
    last = min(last, len(lines))
    lo, hi = max(1, first - max(0, context)), min(len(lines), last + max(0, context))
    return {
        "source_file": doc.source_file,
        "doc_title": doc.title_zh,
        "first": first,
        "last": last,
        "lines": [{"no": n, "text": lines[n - 1], "cited": first <= n <= last} for n in range(lo, hi + 1)],
    }
