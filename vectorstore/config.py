"""Paths and environment settings for the retrieval layer."""

from __future__ import annotations

import os
from pathlib import Path

from hardtech.settings import get_settings

PACKAGE_DIR = Path(__file__).resolve().parent
CORPUS_DIR = PACKAGE_DIR / "corpus"
MANIFEST_PATH = CORPUS_DIR / "manifest.yaml"
GLOSSARY_PATH = PACKAGE_DIR / "glossary.yaml"
DEFAULT_GOLDEN_PATH = PACKAGE_DIR / "eval" / "retrieval_golden.yaml"

DEFAULT_EMBEDDING = "use-multilingual"
MAX_QUERY_CHARS = get_settings().max_question_chars  # HARDTECH_MAX_QUESTION_CHARS
COLLECTION_PREFIX = "hardtech_chunks"


def data_dir() -> Path:
    """``$HARDTECH_HOME`` or ``~/.cache/hardtech``."""
    env = os.environ.get("HARDTECH_HOME")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "hardtech"


def index_dir() -> Path:
    """Where the active index lives (a directory swapped in atomically)."""
    return data_dir() / "index"


def chroma_url() -> str | None:
    """``$HARDTECH_CHROMA_URL`` (e.g. ``http://127.0.0.1:8000``) or None for the local store."""
    url = os.environ.get("HARDTECH_CHROMA_URL", "").strip()
    return url or None
