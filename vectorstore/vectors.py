"""Embeddings and BM25 tokens of the bundled corpus, shipped as package data (``vectorstore/vectors/``).

The bundled reports and the bundled default encoder are fixed inputs, so their
embeddings are derived data: ``scripts/embed_corpus.py`` writes them, and
``index build`` reuses them instead of embedding 700+ chunks on first start.

A shipped file is keyed, as a whole, by the corpus fingerprint, the model id and
the chunker version (:class:`VectorKey`); each vector inside is keyed by a hash of
the exact text that was embedded (:func:`text_key`). A vector is reused only when
the model id matches and its text is unchanged, so a stale file can cost time (the
changed chunks are embedded again) but never correctness. The BM25 tokens of each chunk
ship the same way (``bm25-tokens.json.gz``, keyed by :func:`vectorstore.lexical.tokenizer_key`,
written by ``scripts/build_tokenizer_dictionary.py``).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from .chunking import CHUNKER_VERSION
from .config import SHIPPED_VECTORS_DIR
from .documents import corpus_fingerprint

log = logging.getLogger("vectorstore")


@dataclass(frozen=True)
class VectorKey:
    """What a shipped vector file was computed from."""

    corpus: str  # corpus_fingerprint() of the bundled reports and manifest
    model_id: str  # embeddings.model_id() of the encoder
    chunker: int  # chunking.CHUNKER_VERSION


def current_key(model_id: str) -> VectorKey:
    return VectorKey(corpus_fingerprint(), model_id, CHUNKER_VERSION)


def text_key(text: str) -> str:
    """The key of one embedded text (16 hex digits of its SHA-1)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def shipped_path(model_id: str) -> Path:
    """Where the vectors for ``model_id`` ship (one file per model, versions inside)."""
    slug = model_id.split("@", 1)[0].replace(":", "-").replace("/", "-")
    return SHIPPED_VECTORS_DIR / f"{slug}.npz"


def read_shipped(model_id: str) -> tuple[VectorKey, dict[str, np.ndarray]] | None:
    """``(key, {text_key: vector})`` shipped for ``model_id``, or None when there are none
    for this model (another backend, or another version of the encoder)."""
    path = shipped_path(model_id)
    if not path.exists():
        return None
    with np.load(path, allow_pickle=False) as z:
        key = VectorKey(**json.loads(str(z["key"])))
        if key.model_id != model_id:
            log.info("Shipped vectors are for %s, not %s: embedding the corpus", key.model_id, model_id)
            return None
        keys, vectors = z["text_keys"], z["vectors"]
    if key != current_key(model_id):
        log.info("Shipped vectors were made for another corpus or chunker (%s); reusing those whose text is unchanged",
                 key)
    return key, dict(zip(keys.tolist(), vectors))


def write_shipped(texts: list[str], vectors: np.ndarray, model_id: str) -> Path:
    """Write the vectors of ``texts`` (row i embeds texts[i]) as the shipped file for ``model_id``."""
    if len(texts) != len(vectors):
        raise ValueError(f"{len(texts)} texts but {len(vectors)} vectors")
    path = shipped_path(model_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    key = json.dumps(asdict(current_key(model_id)), sort_keys=True)
    tmp = path.with_suffix(".tmp.npz")
    np.savez_compressed(tmp, key=np.array(key), text_keys=np.array([text_key(t) for t in texts]),
                        vectors=np.asarray(vectors, dtype=np.float32))
    tmp.replace(path)
    return path


SHIPPED_TOKENS_PATH = SHIPPED_VECTORS_DIR / "bm25-tokens.json.gz"


def read_shipped_tokens(tokenizer_key: str) -> dict[str, list[str]]:
    """``{text_key: tokens}`` shipped for this tokenizer, or {} (absent, or another tokenizer)."""
    if not SHIPPED_TOKENS_PATH.exists():
        return {}
    data = json.loads(gzip.decompress(SHIPPED_TOKENS_PATH.read_bytes()))
    if data.get("tokenizer") != tokenizer_key:
        log.info("Shipped BM25 tokens were made by another tokenizer (%s): tokenizing the corpus", data.get("tokenizer"))
        return {}
    return data["tokens"]


def write_shipped_tokens(texts: list[str], tokens: list[list[str]], tokenizer_key: str) -> Path:
    data = {"tokenizer": tokenizer_key, "tokens": {text_key(t): tk for t, tk in zip(texts, tokens)}}
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    tmp = SHIPPED_TOKENS_PATH.with_suffix(".tmp")
    tmp.write_bytes(gzip.compress(raw, mtime=0))
    tmp.replace(SHIPPED_TOKENS_PATH)
    return SHIPPED_TOKENS_PATH
