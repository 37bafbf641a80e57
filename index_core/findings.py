"""A finding of the consistency pass (:mod:`index_core.consistency`) and how printed
precision is read: a number printed with two decimals may be up to half a hundredth away from
its exact value."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

__all__ = ["EPS", "Finding", "agrees", "half_unit"]

EPS = 1e-9


@dataclass(frozen=True)
class Finding:
    """One disagreement between printed numbers. ``printed`` maps a label to the value as
    printed (strings, so "2,73" stays "2,73"); ``implied`` says what the arithmetic gives."""

    check: str
    edition: str
    source_file: str
    line: int
    entity: str | None
    measure: str | None
    printed: dict[str, str]
    implied: str
    lines: tuple[int, ...] = ()
    implied_value: float | None = None

    @property
    def key(self) -> str:
        """Stable id a note uses to say it reviewed this finding."""
        return f"{self.check}:{self.edition}:{self.line}:{self.entity or '-'}:{self.measure or '-'}"

    def to_dict(self) -> dict:
        return {"key": self.key, **asdict(self), "lines": sorted(set(self.lines) | {self.line})}


def decimals(printed: str) -> int:
    m = re.search(r"[.,](\d+)%?$", printed.strip())
    return len(m.group(1)) if m else 0


def half_unit(printed: str) -> float:
    """Half a unit of the last printed digit: how far a printed number may be from its exact value."""
    return 0.5 * 10 ** (-decimals(printed))


def agrees(printed_value: float, printed: str, low: float, high: float) -> bool:
    """Whether a printed number fits an interval the arithmetic allows, at its printed precision."""
    tol = half_unit(printed) + EPS
    return low - tol <= printed_value <= high + tol
