"""The on-disk index: build (idempotent, incremental, atomic) and load.

Layout of ``$HARDTECH_HOME/index`` (one directory, swapped in atomically)::

    meta.json        written last: its presence marks a complete index
    chunks.json      chunk records + BM25 tokens
    vectors.npy      float32 embeddings, row i = chunks[i] (the incremental cache)
    chroma-<build>/  chromadb PersistentClient store (local mode only)

With ``HARDTECH_CHROMA_URL`` set, vectors go to a collection
``hardtech_chunks_<build>`` on that server instead, and meta.json names it.

A build embeds only chunks whose (content hash, model id) is not in the current
index, writes everything into ``index.tmp-*`` next to the target, then renames
it into place; the previous index is removed only after the swap, and a crash
at any point leaves either the old or the new index readable.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np

from . import integrity  # hooks (issue 12): read-only opening, leftovers, full disk; marked `integrity hook`
from .config import COLLECTION_PREFIX, chroma_url, data_dir, index_dir
from .corpus import Chunk, build_chunks, corpus_fingerprint
from .embeddings import get_embedder, normalise_spec
from .errors import ChromaUnreachableError, IndexCorruptError, IndexMissingError

log = logging.getLogger("vectorstore")

SCHEMA_VERSION = 1
EF_NAME = "hardtech-embedding"


# ------------------------------------------------------------------ chroma plumbing
class ChromaEmbeddingFunction:
    """Our embedder as a chromadb embedding function (chroma's default would download a model)."""

    def __init__(self, spec: str | None = None):
        self.spec = normalise_spec(spec)

    def __call__(self, input):  # noqa: A002 - chromadb's protocol name
        emb = get_embedder(self.spec)
        return [v for v in emb.embed_passages(list(input))]

    def embed_query(self, input):  # noqa: A002
        emb = get_embedder(self.spec)
        return [emb.embed_query(t) for t in input]

    @staticmethod
    def name() -> str:
        return EF_NAME

    def get_config(self) -> dict:
        return {"spec": self.spec}

    @staticmethod
    def build_from_config(config: dict) -> "ChromaEmbeddingFunction":
        return ChromaEmbeddingFunction(config.get("spec"))

    def is_legacy(self) -> bool:
        return False

    @staticmethod
    def supported_spaces() -> list[str]:
        return ["cosine", "l2", "ip"]

    @staticmethod
    def default_space() -> str:
        return "cosine"


def _settings():
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False, allow_reset=False)


def chroma_client(local_path: Path | None, url: str | None):
    """PersistentClient at ``local_path``, or HttpClient for ``url``."""
    import chromadb

    if url:
        from urllib.parse import urlparse

        u = urlparse(url if "://" in url else f"http://{url}")
        try:
            client = chromadb.HttpClient(host=u.hostname or "localhost", port=u.port or 8000,
                                         ssl=u.scheme == "https", settings=_settings())
            client.heartbeat()
        except Exception as exc:
            raise ChromaUnreachableError(url, type(exc).__name__ + ": " + str(exc)[:200]) from exc
        return client
    assert local_path is not None
    return chromadb.PersistentClient(path=str(local_path), settings=_settings())


def _clear_chroma_cache() -> None:
    try:
        from chromadb.api.client import SharedSystemClient

        SharedSystemClient.clear_system_cache()
    except Exception:  # pragma: no cover
        pass


def _metadata(c: Chunk) -> dict[str, Any]:
    md: dict[str, Any] = {
        "doc_id": c.doc_id, "source_file": c.source_file, "line_first": c.lines[0], "line_last": c.lines[1],
        "section": c.section, "kind": c.kind,
    }
    for e in c.editions:
        md[f"ed__{e}"] = True
    for e in c.entities:
        md[f"ent__{e}"] = True
    return md


# ------------------------------------------------------------------------ the index
@dataclass
class LoadedIndex:
    path: Path
    meta: dict
    chunks: list[Chunk]
    tokens: list[list[str]]
    vectors: np.ndarray
    collection: Any  # chromadb Collection


def _read_meta(path: Path) -> dict | None:
    try:
        return json.loads((path / "meta.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except Exception as exc:
        raise IndexCorruptError(str(path), f"meta.json unreadable: {exc}") from exc


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


@integrity.store_errors  # integrity hook: a store chromadb cannot open is IndexCorruptError, not a 500
def load_index(path: Path | None = None) -> LoadedIndex:
    """Open the index for searching (raises IndexMissingError / IndexCorruptError / ChromaUnreachableError)."""
    path = path or index_dir()
    _recover(path)
    meta = _read_meta(path)
    if meta is None:
        raise IndexMissingError(str(path))
    try:
        records = json.loads((path / "chunks.json").read_text(encoding="utf-8"))
        vectors = np.load(path / "vectors.npy")
    except Exception as exc:
        raise IndexCorruptError(str(path), f"{type(exc).__name__}: {exc}") from exc
    if meta.get("schema") != SCHEMA_VERSION or len(records) != meta.get("count") or vectors.shape[0] != len(records):
        raise IndexCorruptError(str(path), "chunk/vector counts do not match meta.json")
    chunks = [Chunk.from_dict(r["chunk"]) for r in records]
    tokens = [r["tokens"] for r in records]
    url = meta.get("chroma_url")
    if url:
        current = chroma_url()
        if current and current.rstrip("/") != url.rstrip("/"):
            raise IndexCorruptError(str(path), f"index was built for Chroma at {url}, but HARDTECH_CHROMA_URL is {current}")
        client = chroma_client(None, url)
    else:
        cdir = path / meta["chroma_dir"]
        if not cdir.is_dir():
            raise IndexCorruptError(str(path), f"missing {meta['chroma_dir']}")
        client = chroma_client(integrity.readonly_copy(cdir), None)  # integrity hook: never write the index
    try:
        col = client.get_collection(meta["collection"], embedding_function=ChromaEmbeddingFunction(meta["embedding"]))
        n = col.count()
    except ChromaUnreachableError:
        raise
    except Exception as exc:
        if url:
            raise ChromaUnreachableError(url, f"collection {meta['collection']!r}: {exc}") from exc
        raise IndexCorruptError(str(path), f"chroma collection unreadable: {exc}") from exc
    if n != len(chunks):
        raise IndexCorruptError(str(path), f"chroma holds {n} vectors, expected {len(chunks)}")
    return LoadedIndex(path, meta, chunks, tokens, vectors, col)


def _progress(total: int, desc: str):
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="chunk", file=sys.stderr, disable=total == 0 or None, leave=False)


@integrity.disk_errors  # integrity hook: a full or read-only disk is a clear error
def build_index(
    embedding: str | None = None,
    force: bool = False,
    *,
    path: Path | None = None,
    chunks: list[Chunk] | None = None,
    _fail_after_embedding: Callable[[], None] | None = None,
) -> dict:
    """Build (or bring up to date) the index. Returns a summary dict.

    Idempotent: if the corpus, chunking and model are unchanged and the index is
    healthy, nothing is done (``status: "up-to-date"``). Incremental: vectors of
    unchanged chunks (same chunk id = content hash, same model id) are reused;
    only new chunks are embedded. ``force`` re-embeds everything.
    Atomic: the new index is written next to the target and renamed into place.
    """
    from .lexical import tokenize

    t0 = time.perf_counter()
    target = path or index_dir()
    target.parent.mkdir(parents=True, exist_ok=True)
    _recover(target)
    integrity.remove_leftovers(target)  # integrity hook: free the space of dead builds first
    spec = normalise_spec(embedding)
    url = chroma_url()
    chunks = chunks if chunks is not None else build_chunks()
    embedder = get_embedder(spec)
    fingerprint = f"{corpus_fingerprint()}:{embedder.model_id}:{len(chunks)}:{_ids_digest(chunks)}"

    old_meta = None
    try:
        old_meta = _read_meta(target)
    except IndexCorruptError:
        old_meta = None
    if not force and old_meta and old_meta.get("fingerprint") == fingerprint and \
            (old_meta.get("chroma_url") or None) == url:
        try:
            load_index(target)
            return {"status": "up-to-date", "path": str(target), "count": old_meta["count"], "embedded": 0,
                    "reused": old_meta["count"], "embedding": old_meta["embedding_model"], "seconds": time.perf_counter() - t0}
        except Exception as exc:  # unhealthy: rebuild below
            log.warning("Existing index unusable (%s); rebuilding", exc)

    # vectors we can reuse
    cache: dict[str, np.ndarray] = {}
    if not force and old_meta and old_meta.get("embedding_model") == embedder.model_id:
        try:
            recs = json.loads((target / "chunks.json").read_text(encoding="utf-8"))
            vecs = np.load(target / "vectors.npy")
            cache = {r["chunk"]["chunk_id"]: vecs[i] for i, r in enumerate(recs)}
        except Exception:
            cache = {}

    todo = [i for i, c in enumerate(chunks) if c.chunk_id not in cache]
    vectors = np.zeros((len(chunks), embedder.dim), dtype=np.float32)
    for i, c in enumerate(chunks):
        if c.chunk_id in cache:
            vectors[i] = cache[c.chunk_id]
    te = time.perf_counter()
    if todo:
        bar = _progress(len(todo), f"Embedding ({embedder.model_id})")
        step = 64
        for s in range(0, len(todo), step):
            idx = todo[s:s + step]
            vectors[idx] = embedder.embed_passages([chunks[i].index_text for i in idx])
            bar.update(len(idx))
        bar.close()
    embed_seconds = time.perf_counter() - te
    if _fail_after_embedding:
        _fail_after_embedding()

    build_id = uuid.uuid4().hex[:12]
    tmp = target.parent / f"{target.name}.tmp-{build_id}"
    collection_name = f"{COLLECTION_PREFIX}_{build_id}"
    client = None
    try:
        tmp.mkdir(parents=True)
        integrity.mark_builder(tmp)  # integrity hook: a dead builder's folder is removed at once
        chroma_dir = f"chroma-{build_id}"
        client = chroma_client(None if url else tmp / chroma_dir, url)
        col = client.create_collection(
            collection_name, embedding_function=ChromaEmbeddingFunction(spec),
            metadata={"hnsw:space": "cosine", "hnsw:construction_ef": 200, "hnsw:search_ef": 200,
                      "hnsw:M": 32, "model_id": embedder.model_id},
        )
        step = 500
        for s in range(0, len(chunks), step):
            part = chunks[s:s + step]
            col.add(ids=[c.chunk_id for c in part], embeddings=vectors[s:s + step],
                    metadatas=[_metadata(c) for c in part], documents=[c.text for c in part])
        records = [{"chunk": c.to_dict(), "tokens": tokenize(c.index_text)} for c in chunks]
        (tmp / "chunks.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
        np.save(tmp / "vectors.npy", vectors)
        meta = {
            "schema": SCHEMA_VERSION, "build_id": build_id, "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "embedding": spec, "embedding_model": embedder.model_id, "dim": int(embedder.dim),
            "count": len(chunks), "fingerprint": fingerprint, "corpus": corpus_fingerprint(),
            "collection": collection_name, "chroma_dir": None if url else chroma_dir, "chroma_url": url,
            "embedded": len(todo), "reused": len(chunks) - len(todo),
        }
        (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        del col
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if url and client is not None:
            try:
                client.delete_collection(collection_name)
            except Exception:
                pass
        raise
    finally:
        client = None
        _clear_chroma_cache()

    _swap(tmp, target)
    if url and old_meta and old_meta.get("chroma_url") == url and old_meta.get("collection") != collection_name:
        try:
            chroma_client(None, url).delete_collection(old_meta["collection"])
        except Exception as exc:  # the old collection is garbage, not a failure
            log.warning("Could not delete old collection %s: %s", old_meta.get("collection"), exc)
    _reset_searcher()
    return {"status": "built", "path": str(target), "count": len(chunks), "embedded": len(todo),
            "reused": len(chunks) - len(todo), "embedding": embedder.model_id,
            "embed_seconds": round(embed_seconds, 3), "seconds": round(time.perf_counter() - t0, 3)}


def _ids_digest(chunks: list[Chunk]) -> str:
    import hashlib

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


def _reset_searcher() -> None:
    try:
        from . import retrieval as _s

        _s.reset_searcher()
    except Exception:  # pragma: no cover
        pass


def index_info(path: Path | None = None) -> dict:
    """What the index holds: model, counts per document, build time, location."""
    path = path or index_dir()
    info: dict[str, Any] = {"path": str(path), "data_dir": str(data_dir()), "chroma_url": chroma_url(),
                            "exists": index_exists(path)}
    if not info["exists"]:
        info["hint"] = "No index yet. Build it with: hardtech index build"
        return info
    meta = _read_meta(path) or {}
    info.update({k: meta.get(k) for k in ("embedding", "embedding_model", "dim", "count", "built_at",
                                          "collection", "embedded", "reused", "corpus")})
    try:
        recs = json.loads((path / "chunks.json").read_text(encoding="utf-8"))
        per_doc: dict[str, int] = {}
        for r in recs:
            per_doc[r["chunk"]["source_file"]] = per_doc.get(r["chunk"]["source_file"], 0) + 1
        info["chunks_per_document"] = per_doc
        info["up_to_date"] = meta.get("corpus") == corpus_fingerprint()
    except Exception as exc:
        info["error"] = str(exc)
    return info


def default_home_note() -> str:
    return os.environ.get("HARDTECH_HOME", "~/.cache/hardtech")
