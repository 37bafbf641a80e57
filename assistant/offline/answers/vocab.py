"""The handlers' vocabulary (``rules.yaml`` beside this module)."""
from __future__ import annotations

import functools
from pathlib import Path

from index_core.io import read_yaml


@functools.lru_cache(maxsize=1)
def rules() -> dict:
    """YAML 1.2 (``no``, ``on`` stay words)."""
    return read_yaml(Path(__file__).with_name("rules.yaml"))


def words(name: str) -> list[str]:
    return list(rules()[name])
