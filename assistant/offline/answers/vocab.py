"""The handlers' vocabulary (``rules.yaml`` beside this module)."""
from __future__ import annotations

import functools
import re
from pathlib import Path

from index_core.io import read_yaml


@functools.lru_cache(maxsize=1)
def rules() -> dict:
    """YAML 1.2 (``no``, ``on`` stay words)."""
    return read_yaml(Path(__file__).with_name("rules.yaml"))


def words(name: str) -> list[str]:
    return list(rules()[name])


def asks_weight_needed(question: str) -> bool:
    """Does the question ask what weight it would take ("权重要加到多少", "how heavily would X have to
    weigh", rules.yaml ``weight_needed``)? The crossover (sensitivity.py) answers it."""
    return re.search(rules()["weight_needed"], question, re.IGNORECASE) is not None

