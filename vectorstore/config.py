"""Where the retrieval layer's files are, and its knobs (read from ``hardtech.settings``)."""

from __future__ import annotations

from pathlib import Path

import yaml

from hardtech.settings import get_settings
from index_core import parse_cache

PACKAGE_DIR = Path(__file__).resolve().parent
CORPUS_DIR = PACKAGE_DIR / "corpus"
MANIFEST_PATH = CORPUS_DIR / "manifest.yaml"
GLOSSARY_PATH = PACKAGE_DIR / "glossary.yaml"
STOPWORDS_PATH = PACKAGE_DIR / "stopwords.txt"
SHIPPED_VECTORS_DIR = PACKAGE_DIR / "vectors"
EVAL_DIR = PACKAGE_DIR / "eval"
DEV_SET_PATH = EVAL_DIR / "retrieval_golden.yaml"
HELDOUT_SET_PATH = EVAL_DIR / "retrieval_heldout.yaml"

DEFAULT_EMBEDDING = "use-multilingual"
COLLECTION_PREFIX = "hardtech_chunks"


def data_dir() -> Path:
    """The state directory (``HARDTECH_HOME``, default ``~/.cache/hardtech``)."""
    return get_settings().home


def index_dir() -> Path:
    """Where the active index lives (a directory swapped in atomically)."""
    return data_dir() / "index"


def cache_dir() -> Path:
    """Derived files that are safe to delete (the tokenizer's dictionary cache)."""
    return data_dir() / "cache"


def chroma_url() -> str | None:
    """``HARDTECH_CHROMA_URL`` (e.g. ``http://127.0.0.1:8000``), or None for the local store."""
    return get_settings().chroma_url


def embedding_spec() -> str:
    """The configured embedding backend (``HARDTECH_EMBEDDING``)."""
    return get_settings().embedding


def embed_threads() -> int:
    """BLAS threads per embedding call (``HARDTECH_EMBED_THREADS``; 0 = automatic)."""
    return get_settings().embed_threads


def max_query_chars() -> int:
    """Longest query accepted (``HARDTECH_MAX_QUESTION_CHARS``, characters)."""
    return get_settings().max_question_chars


def read_yaml(path: Path):
    """``yaml.safe_load`` of a file with libyaml's parser when installed (the same results; the
    glossary and the manifest parse in 30 ms instead of 300 ms), or from the on-disk cache of
    parsed texts (:mod:`index_core.parse_cache`)."""
    return parse_cache.parsed(path.read_text(encoding="utf-8"), "yaml-safe", _safe_load)


def _safe_load(text: str):
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
