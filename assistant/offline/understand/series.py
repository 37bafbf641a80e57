"""Editions in one series: the closest dimension of another edition, judged by shared indicators
(``answers/crosswalk.yaml``, read by understanding and by the answers), and the edition before or
after one ("上一版呢", "and the year before?")."""
from __future__ import annotations

import functools
from pathlib import Path

from index_core import io

from .catalogue import Catalogue
from .lexicon import first_category

CROSSWALK = Path(__file__).resolve().parent.parent / "answers" / "crosswalk.yaml"


@functools.lru_cache(maxsize=1)
def crosswalk() -> dict:
    """edition -> dimension key -> other edition -> its closest dimension (with the shared indicators)."""
    return io.load_yaml(CROSSWALK.read_text(encoding="utf-8")) or {}


def relative_edition(edition: str, text: str, cat: Catalogue) -> str | None:
    """The edition before or after ``edition`` in its series (the editions ``crosswalk.yaml`` pairs
    it with), when the turn asks for one ("上一版呢", "and the year before?"); ``edition`` itself for "that report"."""
    direction = first_category(text.lower(), "relative_edition")
    if direction in (None, "same"):
        return edition if direction else None
    year = cat.editions[edition].year
    series = {other for dims in (crosswalk().get(edition) or {}).values() for other in dims if other in cat.editions}
    before = direction == "previous"
    candidates = [e for e in series if (cat.editions[e].year < year if before else cat.editions[e].year > year)]
    return max(candidates, key=lambda e: cat.editions[e].year if before else -cat.editions[e].year, default=None)
