"""chromadb plumbing: clients, the collection of chunk vectors, and chromadb's errors.

chromadb is imported here only, and only when a collection is written or searched:
``import vectorstore`` and structured questions never load it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from .documents import Chunk
from .errors import ChromaUnreachableError

HNSW = {"hnsw:space": "cosine", "hnsw:construction_ef": 200, "hnsw:search_ef": 200, "hnsw:M": 32}
ADD_BATCH = 500


def chroma_errors() -> tuple[type[BaseException], ...]:
    """What chromadb raises for a store it cannot read or a server it cannot reach."""
    import httpx
    from chromadb.errors import ChromaError

    return (ChromaError, httpx.HTTPError, OSError, ValueError, KeyError)


class NoEmbeddingFunction:
    """Vectors are always computed by :mod:`vectorstore.embeddings` and passed in, so chromadb
    never embeds (its default function would download a model). Kept as a named embedding
    function so that chromadb records it with the collection."""

    def __init__(self, spec: str | None = None):
        self.spec = spec

    def __call__(self, input):  # noqa: A002 - chromadb's protocol name
        raise TypeError("hardtech passes precomputed vectors to chromadb; it never embeds through it")

    @staticmethod
    def name() -> str:
        return "hardtech-embedding"

    def get_config(self) -> dict:
        return {"spec": self.spec}

    @staticmethod
    def build_from_config(config: dict) -> "NoEmbeddingFunction":
        return NoEmbeddingFunction(config.get("spec"))

    def is_legacy(self) -> bool:
        return False

    @staticmethod
    def supported_spaces() -> list[str]:
        return ["cosine", "l2", "ip"]

    @staticmethod
    def default_space() -> str:
        return "cosine"


def client(local_path: Path | None, url: str | None):
    """A PersistentClient at ``local_path``, or an HttpClient for ``url`` (checked with a heartbeat)."""
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False, allow_reset=False)
    if url:
        u = urlparse(url if "://" in url else f"http://{url}")
        try:
            c = chromadb.HttpClient(host=u.hostname or "localhost", port=u.port or 8000,
                                    ssl=u.scheme == "https", settings=settings)
            c.heartbeat()
        except chroma_errors() as exc:
            raise ChromaUnreachableError(url, type(exc).__name__ + ": " + str(exc)[:200]) from exc
        return c
    if local_path is None:
        raise ValueError("a local chroma store needs a path")
    return chromadb.PersistentClient(path=str(local_path), settings=settings)


def forget_clients() -> None:
    """Drop chromadb's process-wide client cache (after a build, so its files can be swapped)."""
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()


def metadata(c: Chunk) -> dict[str, Any]:
    """A chunk's chroma metadata: flat keys, one boolean per edition and entity (for ``where``)."""
    md: dict[str, Any] = {
        "doc_id": c.doc_id, "source_file": c.source_file, "line_first": c.lines[0], "line_last": c.lines[1],
        "section": c.section, "kind": c.kind,
    }
    for e in c.editions:
        md[f"ed__{e}"] = True
    for e in c.entities:
        md[f"ent__{e}"] = True
    return md


def create_collection(cl, name: str, spec: str, model_id: str, chunks: list[Chunk], vectors: np.ndarray):
    """A new collection holding ``chunks`` with their ``vectors`` (row i = chunks[i])."""
    col = cl.create_collection(name, embedding_function=NoEmbeddingFunction(spec),
                               metadata={**HNSW, "model_id": model_id})
    for s in range(0, len(chunks), ADD_BATCH):
        part = chunks[s:s + ADD_BATCH]
        col.add(ids=[c.chunk_id for c in part], embeddings=vectors[s:s + ADD_BATCH],
                metadatas=[metadata(c) for c in part], documents=[c.text for c in part])
    return col


def open_collection(cl, name: str, spec: str):
    return cl.get_collection(name, embedding_function=NoEmbeddingFunction(spec))
