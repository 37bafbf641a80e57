"""The limits on what a caller may ask for, shared by the CLI, the HTTP API and the assistant's tools.

One check per input, so the command line and the API accept and refuse the same values with the
same message. A refused value raises :class:`InvalidInputError` (exit status 2 in the CLI, 422 in
the API). The limits are documented in the README ("Limits").
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping

from .errors import HardtechError


class InvalidInputError(HardtechError):
    """A value outside what the product accepts; the message names the input and the limit."""

    code = "invalid_input"


@dataclass(frozen=True)
class Bounded:
    """A whole number in ``[low, high]``, e.g. ``--k`` / ``?k=``."""

    name: str
    low: int
    high: int
    hint: str  # how to pass a good value, and why the cap

    def check(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or isinstance(value, float) and not value.is_integer():
            raise InvalidInputError(f"{self.name} must be a whole number, got {value!r}", hint=self.hint)
        if not self.low <= value <= self.high:
            raise InvalidInputError(f"{self.name} must be from {self.low} to {self.high}, got {int(value)}", hint=self.hint)
        return int(value)


SEARCH_K = Bounded("k", 1, 50, "Pass k from 1 to 50 (passages per search), e.g. --k 5 or ?k=5.")
DRAWS = Bounded("draws", 1, 20_000, "Pass draws from 1 to 20000 (each draw re-ranks every entity; 20000 take about a second).")
TOP = Bounded("top", 1, 1000, "Pass top from 1 to 1000, e.g. --top 10.")
COMPARE_NAMES = Bounded("The number of names to compare", 2, 50,
                        "Compare from 2 to 50 entities at once, e.g. names=深圳,上海 (one column per entity).")

MAX_WEIGHT = 1e6  # weights are normalised to sum 1, so only their ratios matter; beyond 1e6 is a typo


def weights(raw: Mapping[str, Any]) -> dict[str, float]:
    """Dimension weights a what-if can use: finite numbers in ``[0, MAX_WEIGHT]``, at least one above 0.

    Strings are read as numbers ("0.25"); ``nan``, ``inf``, ``1e999`` and all-zero weights are refused,
    never replaced by equal weights."""
    if not raw:
        raise InvalidInputError("No weights given", hint="Example: innovation_base=1,innovation_input=1")
    out: dict[str, float] = {}
    bad: list[str] = []
    for key, value in raw.items():
        try:
            number = float(value)
        except (TypeError, ValueError):
            bad.append(f"{key}={value!r} is not a number")
            continue
        if not math.isfinite(number):
            bad.append(f"{key}={value!r} is not a finite number")
        elif not 0 <= number <= MAX_WEIGHT:
            bad.append(f"{key}={number:g} is outside [0, {MAX_WEIGHT:g}]")
        else:
            out[str(key)] = number
    if bad:
        raise InvalidInputError("Unusable weights: " + "; ".join(bad),
                                hint=f"Use numbers from 0 to {MAX_WEIGHT:g}, e.g. innovation_base=1,innovation_input=2 "
                                     "(they are normalised to sum 1).")
    if not any(out.values()):
        raise InvalidInputError("The weights are all 0, so no composite can be formed",
                                hint="Give at least one dimension a weight above 0, e.g. innovation_base=1.")
    return out


def spread(value: Any) -> float:
    """A sensitivity spread: each weight is multiplied by U(1-spread, 1+spread); in [0, 1)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not (math.isfinite(number) and 0 <= number < 1):
        raise InvalidInputError(f"spread must be a number in [0, 1), got {value!r}", hint="Example: --spread 0.25")
    return number
