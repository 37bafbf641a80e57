"""Real Chinese places the indices do not cover (``data/places.yaml``): "Xianyang", "芜湖",
"Kunshan" are cities of their own, so a question about one is told that no edition covers it
instead of being offered a covered city that is spelt alike ("did you mean Xining?")."""
from __future__ import annotations

import functools
from pathlib import Path

import yaml

from . import pinyin
from .catalogue import Catalogue, fold

PLACES = Path(__file__).with_name("data") / "places.yaml"


@functools.lru_cache(maxsize=1)
def _names() -> tuple[frozenset[str], frozenset[str]]:
    """(Chinese names, folded pinyin forms) of the listed places."""
    zh = [str(n) for names in yaml.safe_load(PLACES.read_text(encoding="utf-8")).values() for n in names]
    return frozenset(zh), frozenset(fold(pinyin.romanise(n)) for n in zh)


def uncovered(surface: str, cat: Catalogue) -> bool:
    """Is ``surface`` (Chinese, or pinyin in any spacing and case) a listed place that no edition
    ranks under that name?"""
    zh, latin = _names()
    if surface.isascii():
        key = fold(surface)
        return key in latin and key not in cat.entity_latin
    name = surface[:-1] if surface.endswith("市") else surface
    return name in zh and not cat.targets(name)
