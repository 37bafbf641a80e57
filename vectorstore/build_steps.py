"""The timed steps of an index build, and the one long step (embedding) with its progress.

Every step is logged with its duration (``vectorstore`` logger, INFO), so nothing
that takes seconds runs silently. Embedding shows a tqdm bar on a terminal and a log
line per batch otherwise (CI logs, ``hardtech serve`` output).
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time

import numpy as np

from .documents import Chunk
from .vectors import text_key

log = logging.getLogger("vectorstore")

EMBED_BATCH = 64


class Steps:
    """Named, timed steps: ``with steps("embed"): ...``; ``seconds`` maps name -> seconds."""

    def __init__(self) -> None:
        self.t0 = time.perf_counter()
        self.seconds: dict[str, float] = {}

    @contextlib.contextmanager
    def __call__(self, name: str):
        t = time.perf_counter()
        try:
            yield
        finally:
            dt = time.perf_counter() - t
            self.seconds[name] = round(dt, 3)
            log.info("index build: %s (%.2f s)", name, dt)

    def total(self) -> float:
        return round(time.perf_counter() - self.t0, 3)


def embed_missing(spec: str, chunks: list[Chunk], reusable: dict[str, np.ndarray]) -> tuple[np.ndarray, int]:
    """Vectors for ``chunks`` (row i = chunks[i]): from ``reusable`` (by text key) where
    present, embedded with the ``spec`` backend otherwise. Returns (vectors, how many were
    embedded). The embedding model is loaded only when something is missing."""
    keys = [text_key(c.index_text) for c in chunks]
    todo = [i for i, k in enumerate(keys) if k not in reusable]
    if not todo:
        dim = len(next(iter(reusable.values()))) if reusable else 0
        return np.array([reusable[k] for k in keys], dtype=np.float32).reshape(len(chunks), dim), 0
    from .embeddings import get_embedder

    embedder = get_embedder(spec)
    vectors = np.zeros((len(chunks), embedder.dim), dtype=np.float32)
    for i, k in enumerate(keys):
        if k in reusable:
            vectors[i] = reusable[k]
    log.info("Embedding %d of %d chunks with %s", len(todo), len(chunks), embedder.model_id)
    with _progress(len(todo), f"Embedding ({embedder.model_id})") as advance:
        for s in range(0, len(todo), EMBED_BATCH):
            idx = todo[s:s + EMBED_BATCH]
            vectors[idx] = embedder.embed_passages([chunks[i].index_text for i in idx])
            advance(len(idx))
    return vectors, len(todo)


@contextlib.contextmanager
def _progress(total: int, desc: str):
    """Yield ``advance(n)``: a tqdm bar on a terminal, a log line per call otherwise."""
    if sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=total, desc=desc, unit="chunk", file=sys.stderr, leave=False)
        try:
            yield bar.update
        finally:
            bar.close()
        return
    done = 0
    t0 = time.perf_counter()

    def advance(n: int) -> None:
        nonlocal done
        done += n
        log.info("%s: %d/%d chunks (%.1f s)", desc, done, total, time.perf_counter() - t0)

    yield advance
