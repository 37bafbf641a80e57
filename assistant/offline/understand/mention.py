"""A span of the question and what it names (or why it names nothing)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .catalogue import Target


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    surface: str
    kind: str                          # entity | dimension | indicator | edition | year | period | concept
    targets: tuple[Target, ...] = ()   # candidates; empty = unresolved
    method: str = "exact"              # exact | alias | fuzzy | pinyin
    score: float = 100.0
    suggestions: tuple[str, ...] = ()
    value: Any = None                  # year (int) or period label ("2018Q3")

    @property
    def resolved(self) -> bool:
        return bool(self.targets)
