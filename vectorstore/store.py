"""The on-disk index: build (idempotent, incremental, atomic), load, and read its chunks.

Layout of ``$HARDTECH_HOME/index`` (one directory, swapped in atomically)::

    meta.json        written last: its presence marks a complete index
    chunks.json      chunk records + BM25 tokens
    vectors.npy      float32 embeddings, row i = chunks[i]: what local searches read (mmap)
    bm25.npz         every (term, chunk) BM25 score, computed once here (see vectorstore.lexical.BM25)
    chroma-<build>/  chromadb PersistentClient store (local mode only)

With ``HARDTECH_CHROMA_URL`` set, vectors go to a collection
``hardtech_chunks_<build>`` on that server instead, and meta.json names it.

chromadb is the store the build writes and persists (and, with a server, the one searches
query). A local search does not open it: the exact cosine over ``vectors.npy`` (a few
thousand rows, memory-mapped, so every worker shares one copy in the page cache) takes
well under a millisecond, and keeping chromadb out of a worker saves about 70 MB and 1.3 s
of start per process. :attr:`LoadedIndex.collection` opens it on first use, and the
integrity check (:mod:`vectorstore.integrity`) keeps verifying it.

A build takes each chunk's vector from the current index or from the vectors
shipped with the package (:mod:`vectorstore.vectors`) when the same model embedded
the same text, and embeds only the rest; it writes everything into
``index.tmp-*`` next to the target, then renames it into place. The previous index
is removed only after the swap, so a crash at any point leaves either the old or
the new index readable.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np

from . import chroma, chroma_jobs, dense
from . import integrity  # hooks (issue 12): read-only opening, leftovers, full disk; marked `integrity hook`
from .build_steps import Steps, embed_missing
from .config import COLLECTION_PREFIX, chroma_url, data_dir, index_dir
from .corpus import build_chunks
from .documents import Chunk, corpus_fingerprint
from .embeddings import model_id, normalise_spec
from .errors import ChromaUnreachableError, IndexCorruptError, IndexMissingError
from .vectors import read_shipped, read_shipped_tokens, text_key

log = logging.getLogger("vectorstore")

SCHEMA_VERSION = 1
_generation = 0  # bumped by every build in this process; a cached searcher compares it


def generation() -> int:
    """How many indexes this process has built (a searcher built before the last one is stale)."""
    return _generation


@dataclass
class LoadedIndex:
    path: Path
    meta: dict
    chunks: list[Chunk]
    vectors: np.ndarray  # (count, dim) float32, row i = chunks[i]; read-only, memory-mapped
    _collection: Any = None
    _tokens: list[list[str]] | None = None

    @property
    def tokens(self) -> list[list[str]]:
        """Each chunk's BM25 tokens, read from chunks.json on first use: searches read the scores
        the build saved (bm25.npz), and 140,000 token strings held cost a worker 14 MB."""
        if self._tokens is None:
            self._tokens = [r["tokens"] for r in _read_records(self.path, self.meta)]
        return self._tokens

    @property
    def collection(self):
        """The chromadb collection (opened on first use: local searches read :attr:`vectors`)."""
        if self._collection is None:
            self._collection = _open_collection(self.path, self.meta, len(self.chunks))
        return self._collection


def _read_meta(path: Path) -> dict | None:
    try:
        return json.loads((path / "meta.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise IndexCorruptError(str(path), f"meta.json unreadable: {exc}") from exc


def _read_records(path: Path, meta: dict, *, tokens: bool = True) -> list[dict]:
    try:
        text = (path / "chunks.json").read_text(encoding="utf-8")
        records = json.loads(text) if tokens else json.loads(text, object_pairs_hook=integrity.without_tokens)
    except (OSError, ValueError) as exc:
        raise IndexCorruptError(str(path), f"chunks.json unreadable: {type(exc).__name__}: {exc}") from exc
    if meta.get("schema") != SCHEMA_VERSION or len(records) != meta.get("count"):
        raise IndexCorruptError(str(path), "chunks.json does not match meta.json")
    return records


def _recover(target: Path) -> None:
    """Finish a swap that was interrupted between its two renames."""
    if target.exists():
        return
    olds = sorted(target.parent.glob(target.name + ".old-*"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in olds:
        if (old / "meta.json").exists():
            old.rename(target)
            log.warning("Recovered the previous index from %s", old)
            return


def index_exists(path: Path | None = None) -> bool:
    path = path or index_dir()
    _recover(path)
    return (path / "meta.json").exists()


def load_index(path: Path | None = None, *, collection: bool = False) -> LoadedIndex:
    """Open the index for searching (raises IndexMissingError / IndexCorruptError / ChromaUnreachableError).

    Reads meta.json, chunks.json and vectors.npy (memory-mapped); the chroma collection is
    opened now only with ``collection`` or a Chroma server (whose searches query it)."""
    path = path or index_dir()
    _recover(path)
    meta = _read_meta(path)
    if meta is None:
        raise IndexMissingError(str(path))
    records = _read_records(path, meta, tokens=False)
    chunks = [Chunk.from_dict(r["chunk"]) for r in records]
    try:
        vectors = np.load(path / "vectors.npy", mmap_mode="r")
    except (OSError, ValueError) as exc:
        raise IndexCorruptError(str(path), f"vectors.npy unreadable: {type(exc).__name__}: {exc}") from exc
    if vectors.ndim != 2 or vectors.shape[0] != len(chunks) or vectors.shape[1] != meta.get("dim", vectors.shape[1]):
        raise IndexCorruptError(str(path), f"vectors.npy holds {vectors.shape} for {len(chunks)} chunks")
    index = LoadedIndex(path, meta, chunks, vectors)
    if collection or meta.get("chroma_url"):
        index.collection  # noqa: B018 - opened (and checked) now
    return index


@integrity.store_errors  # integrity hook: a store chromadb cannot open is IndexCorruptError, not a 500
def _open_collection(path: Path, meta: dict, count: int):
    url = meta.get("chroma_url")
    if url:
        current = chroma_url()
        if current and current.rstrip("/") != url.rstrip("/"):
            raise IndexCorruptError(str(path), f"index was built for Chroma at {url}, but HARDTECH_CHROMA_URL is {current}")
        client = chroma.client(None, url)
    else:
        cdir = path / meta["chroma_dir"]
        if not cdir.is_dir():
            raise IndexCorruptError(str(path), f"missing {meta['chroma_dir']}")
        client = chroma.client(integrity.readonly_copy(cdir), None)  # integrity hook: never write the index
    try:
        col = chroma.open_collection(client, meta["collection"], meta["embedding"])
        n = col.count()
    except chroma.chroma_errors() as exc:
        if url:
            raise ChromaUnreachableError(url, f"collection {meta['collection']!r}: {exc}") from exc
        raise IndexCorruptError(str(path), f"chroma collection unreadable: {exc}") from exc
    if n != count:
        raise IndexCorruptError(str(path), f"chroma holds {n} vectors, expected {count}")
    return col


@functools.lru_cache(maxsize=4)
def _indexed_chunks(path: Path, build_id: str) -> tuple[Chunk, ...]:
    meta = _read_meta(path) or {}
    return tuple(Chunk.from_dict(r["chunk"]) for r in _read_records(path, meta, tokens=False))


def indexed_chunks(path: Path | None = None) -> tuple[Chunk, ...]:
    """The chunks of the built index (with the entities, dimensions and editions each backs),
    read from its chunks.json: no chromadb, no embedding model, no re-chunking. Where no
    index is built yet, the bundled corpus is chunked in memory instead (about a second,
    once per process); nothing is written."""
    path = path or index_dir()
    if not index_exists(path):
        log.debug("No index at %s: chunking the bundled corpus in memory", path)
        return tuple(build_chunks())
    meta = _read_meta(path) or {}
    return _indexed_chunks(path, meta.get("build_id", ""))


def section_at(source_file: str, line: int) -> str | None:
    """The section path (the chunker's headings) of the first chunk holding ``line`` of
    ``source_file``; None when no chunk holds it or the chunk has no section."""
    for c in indexed_chunks():
        if c.source_file == source_file and c.lines[0] <= line <= c.lines[1]:
            return c.section or None
    return None


def _reusable_vectors(target: Path, old_meta: dict | None, mid: str) -> dict[str, np.ndarray]:
    """Vectors by text key: the shipped ones for this model, then the current index's."""
    found: dict[str, np.ndarray] = {}
    shipped = read_shipped(mid)
    if shipped:
        found.update(shipped[1])
    if old_meta and old_meta.get("embedding_model") == mid:
        try:
            records = _read_records(target, old_meta)
            vecs = np.load(target / "vectors.npy", mmap_mode="r")
        except (IndexCorruptError, OSError, ValueError) as exc:
            log.warning("Not reusing vectors of the current index: %s", exc)
        else:
            if len(vecs) == len(records):
                found.update((text_key(Chunk.from_dict(r["chunk"]).index_text), np.asarray(v))
                             for r, v in zip(records, vecs))
    return found


def _up_to_date(target: Path, old_meta: dict | None, fingerprint: str, url: str | None) -> bool:
    if not (old_meta and old_meta.get("fingerprint") == fingerprint and (old_meta.get("chroma_url") or None) == url):
        return False
    if integrity.chroma_pending(target, old_meta):  # being written by a live process: not ours to redo
        return True
    try:
        load_index(target, collection=True)
        return True
    except (IndexCorruptError, IndexMissingError, ChromaUnreachableError) as exc:
        log.warning("Existing index unusable (%s); rebuilding", exc)
        return False


@integrity.disk_errors  # integrity hook: a full or read-only disk is a clear error
def build_index(
    embedding: str | None = None,
    force: bool = False,
    *,
    path: Path | None = None,
    chunks: list[Chunk] | None = None,
    defer_chroma: bool = False,
    _fail_after_embedding: Callable[[], None] | None = None,
) -> dict:
    """Build (or bring up to date) the index. Returns a summary dict with per-step seconds.

    Idempotent: if the corpus, chunking and model are unchanged and the index is
    healthy, nothing is done (``status: "up-to-date"``). Incremental: a chunk whose
    text the same model already embedded (in the current index or the shipped
    vectors) is not embedded again. ``force`` re-embeds everything. Atomic: the new
    index is written next to the target and renamed into place.
    """
    global _generation
    from .lexical import BM25, tokenize, tokenizer_key

    steps = Steps()
    target = path or index_dir()
    target.parent.mkdir(parents=True, exist_ok=True)
    _recover(target)
    integrity.remove_leftovers(target)  # integrity hook: free the space of dead builds first
    spec = normalise_spec(embedding)
    mid = model_id(spec)
    url = chroma_url()
    with steps("chunk the corpus"):
        chunks = chunks if chunks is not None else build_chunks()
    fingerprint = f"{corpus_fingerprint()}:{mid}+{dense.companion_id()}:{len(chunks)}:{_ids_digest(chunks)}"
    try:
        old_meta = _read_meta(target)
    except IndexCorruptError:
        old_meta = None
    if not force and _up_to_date(target, old_meta, fingerprint, url):
        return {"status": "up-to-date", "path": str(target), "count": old_meta["count"], "embedded": 0,
                "reused": old_meta["count"], "embedding": mid, "seconds": steps.total()}

    with steps("find reusable vectors"):
        reusable = {} if force else _reusable_vectors(target, old_meta, mid)
    with steps("embed new chunks"):
        vectors, embedded = embed_missing(spec, chunks, reusable)
    with steps("companion vectors"):
        companion = dense.build(chunks, target, old_meta, force)
    if _fail_after_embedding:
        _fail_after_embedding()
    with steps("tokenize for BM25"):
        shipped = read_shipped_tokens(tokenizer_key())
        records = [{"chunk": c.to_dict(), "tokens": shipped.get(text_key(c.index_text)) or tokenize(c.index_text)}
                   for c in chunks]
        bm25 = BM25.build([r["tokens"] for r in records])

    build_id = uuid.uuid4().hex[:12]
    tmp = target.parent / f"{target.name}.tmp-{build_id}"
    collection_name = f"{COLLECTION_PREFIX}_{build_id}"
    client = None
    try:
        tmp.mkdir(parents=True)
        integrity.mark_builder(tmp)  # integrity hook: a dead builder's folder is removed at once
        chroma_dir = f"chroma-{build_id}"
        defer_chroma = defer_chroma and not url
        if defer_chroma:
            chroma_jobs.reserve(target, build_id)
        else:
            with steps("write the chroma collection"):
                client = chroma.client(None if url else tmp / chroma_dir, url)
                chroma.create_collection(client, collection_name, spec, mid, chunks, vectors)
        with steps("write chunks, vectors and meta"):
            (tmp / "chunks.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
            np.save(tmp / "vectors.npy", vectors)
            bm25.save(tmp)
            if companion:
                np.save(tmp / dense.VECTORS_FILE, companion[1])
            meta = {
                "schema": SCHEMA_VERSION, "build_id": build_id, "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "embedding": spec, "embedding_model": mid, "dim": int(vectors.shape[1]),
                "count": len(chunks), "fingerprint": fingerprint, "corpus": corpus_fingerprint(),
                "collection": collection_name, "chroma_dir": None if url else chroma_dir, "chroma_url": url,
                "chroma_deferred": defer_chroma,
                "embedded": embedded, "reused": len(chunks) - embedded,
                "companion_model": companion[0] if companion else None,
            }
            (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if defer_chroma:
            shutil.rmtree(chroma_jobs.staging(target, build_id), ignore_errors=True)
        if url and client is not None:
            _delete_collection(url, collection_name)
        raise
    finally:
        if client is not None:
            client = None
            chroma.forget_clients()

    _swap(tmp, target)
    if url and old_meta and old_meta.get("chroma_url") == url and old_meta.get("collection") != collection_name:
        _delete_collection(url, old_meta["collection"])
    _generation += 1
    return {"status": "built", "path": str(target), "count": len(chunks), "embedded": embedded,
            "reused": len(chunks) - embedded, "chroma": "deferred" if defer_chroma else "written", "embedding": mid, "steps": steps.seconds, "seconds": steps.total()}


def _delete_collection(url: str, name: str) -> None:
    """Best effort: an orphaned collection on the server is garbage, not a failure."""
    try:
        chroma.client(None, url).delete_collection(name)
    except (ChromaUnreachableError, *chroma.chroma_errors()) as exc:
        log.warning("Could not delete collection %s on %s: %s", name, url, exc)


def _ids_digest(chunks: list[Chunk]) -> str:
    h = hashlib.sha1()
    for c in chunks:
        h.update(c.chunk_id.encode())
    return h.hexdigest()[:12]


def _swap(tmp: Path, target: Path) -> None:
    old = None
    if target.exists():
        old = target.parent / f"{target.name}.old-{uuid.uuid4().hex[:8]}"
        target.rename(old)
    try:
        tmp.rename(target)
    except BaseException:
        if old is not None and not target.exists():
            old.rename(target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    integrity.remove_leftovers(target)  # integrity hook: leftovers of killed builds (not ours: ours was just renamed)


def index_info(path: Path | None = None) -> dict:
    """What the index holds: model, counts per document, build time, location."""
    path = path or index_dir()
    info: dict[str, Any] = {"path": str(path), "data_dir": str(data_dir()), "chroma_url": chroma_url(),
                            "exists": index_exists(path)}
    if not info["exists"]:
        info["hint"] = "No index yet. Build it with: hardtech index build"
        return info
    try:
        meta = _read_meta(path) or {}
        info.update({k: meta.get(k) for k in ("embedding", "embedding_model", "dim", "count", "built_at",
                                              "collection", "embedded", "reused", "corpus")})
        per_doc: dict[str, int] = {}
        for r in _read_records(path, meta):
            per_doc[r["chunk"]["source_file"]] = per_doc.get(r["chunk"]["source_file"], 0) + 1
        info["chunks_per_document"] = per_doc
        info["up_to_date"] = meta.get("corpus") == corpus_fingerprint()
    except IndexCorruptError as exc:
        info["error"] = str(exc)
    return info
