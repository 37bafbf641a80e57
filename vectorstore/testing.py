"""Helpers for the test-suite (shared, once-per-process index builds)."""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
from pathlib import Path


@functools.lru_cache(maxsize=1)
def shared_home() -> Path:
    """A HARDTECH_HOME with a full default index, built once per test process."""
    from .store import build_index

    home = Path(tempfile.mkdtemp(prefix="hardtech-test-home-"))
    atexit.register(shutil.rmtree, home, True)
    old = os.environ.get("HARDTECH_HOME")
    os.environ["HARDTECH_HOME"] = str(home)
    try:
        build_index()
    finally:
        if old is None:
            os.environ.pop("HARDTECH_HOME", None)
        else:
            os.environ["HARDTECH_HOME"] = old
    return home
