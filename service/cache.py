"""Rendered response bodies kept in memory, per worker: the read endpoints' tables and the offline answers.

Both are legitimate to keep: the shipped editions never change while serving, and an offline
answer is a deterministic function of (data version, question, history). Answers from an LLM
are never stored.
"""
from __future__ import annotations

import functools
import hashlib
import importlib.resources
import threading
from pathlib import Path
from typing import Callable, Hashable

from cachetools import LRUCache
from starlette.concurrency import run_in_threadpool


class ResponseCache:
    """A bounded LRU of rendered bodies (bytes), shared by the event loop and the threadpool.

    A hit is served on the event loop; a miss is computed in the threadpool and then stored,
    so only successful responses are ever kept."""

    def __init__(self, maxsize: int):
        self._lru: LRUCache = LRUCache(maxsize=maxsize)
        self._lock = threading.Lock()  # cachetools caches are not thread-safe
        self.hits = self.misses = 0

    def get(self, key: Hashable) -> bytes | None:
        with self._lock:
            body = self._lru.get(key)
            if body is None:
                self.misses += 1
            else:
                self.hits += 1
            return body

    def put(self, key: Hashable, body: bytes) -> None:
        with self._lock:
            self._lru[key] = body

    def clear(self) -> None:
        """Forget every body (the data changed: ``POST /api/v1/admin/reload``)."""
        with self._lock:
            self._lru.clear()

    def __len__(self) -> int:
        return len(self._lru)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._lru

    def compute(self, key: Hashable, render: Callable[..., bytes], *args) -> bytes:
        """The body for ``key``: from memory, or rendered now (in this thread) and stored."""
        body = self.get(key)
        if body is None:
            body = render(*args)
            self.put(key, body)
        return body

    async def fetch(self, key: Hashable, render: Callable[..., bytes], *args) -> bytes:
        """:meth:`compute` for async endpoints: a miss is rendered in the threadpool."""
        body = self.get(key)
        if body is None:
            body = await run_in_threadpool(render, *args)
            self.put(key, body)
        return body


DATA_PACKAGES = (("index_core", "data"), ("vectorstore", "corpus"), ("assistant", ""), ("prompts", ""))


@functools.lru_cache(maxsize=1)
def data_version() -> str:
    """A digest (16 hex digits) of the shipped data this process answers from: editions, registry,
    report corpus, the assistant's data and prompts. Part of every answer-cache key."""
    h = hashlib.sha256()
    for package, sub in DATA_PACKAGES:
        root = Path(str(importlib.resources.files(package))) / sub
        for f in sorted(root.rglob("*")):
            if f.is_file() and f.suffix in (".csv", ".yaml", ".yml", ".md", ".txt", ".json"):
                st = f.stat()
                h.update(f"{package}/{f.relative_to(root)}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]
