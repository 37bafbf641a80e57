"""Helpers for the test-suite."""

from __future__ import annotations

import functools
from pathlib import Path


@functools.lru_cache(maxsize=1)
def shared_home() -> Path:
    """The run's HARDTECH_HOME (set by tests/conftest.py), with the default index built in it once."""
    from .config import data_dir
    from .store import build_index

    build_index()  # incremental: a no-op when the index is already there
    return data_dir()
