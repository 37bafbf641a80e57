"""Errors that say what is wrong, where, and how to fix it.

Every error the product raises on bad input is a :class:`HardtechError`. The
CLI prints ``str(error)``; the HTTP API serialises :meth:`HardtechError.to_dict`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence


class HardtechError(Exception):
    """Base class: a message, where the problem is, and a hint on fixing it."""

    code = "hardtech_error"

    def __init__(
        self,
        message: str,
        *,
        where: str | None = None,
        hint: str | None = None,
        suggestions: Sequence[str] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint
        self.suggestions = list(suggestions)

    def __str__(self) -> str:
        parts = [self.message]
        if self.where:
            parts.append(f"(at {self.where})")
        text = " ".join(parts)
        if self.suggestions:
            text += f". Did you mean: {', '.join(self.suggestions)}?"
        if self.hint:
            text += f"\nHint: {self.hint}"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "where": self.where,
            "hint": self.hint,
            "suggestions": self.suggestions,
        }


class UnknownEntityError(HardtechError):
    code = "unknown_entity"


class UnknownEditionError(HardtechError):
    code = "unknown_edition"


class UnknownDimensionError(HardtechError):
    code = "unknown_dimension"


class SpecError(HardtechError):
    """A methodology spec is malformed (weights, keys, tiers...)."""

    code = "invalid_spec"


class NotAvailableError(HardtechError):
    """The report does not publish what was asked (e.g. a chart-only score)."""

    code = "not_available"


class EntityNotInEditionError(NotAvailableError):
    """A known entity that the edition does not cover (the HTTP API answers 404, not 409)."""


@dataclass(frozen=True)
class Problem:
    """One bad cell or row in an input file. ``row`` is 1-based as in a spreadsheet, header = row 1."""

    file: str
    row: int | None
    column: str | None
    value: Any
    expected: str
    hint: str

    def __str__(self) -> str:
        at = self.file
        if self.row is not None:
            at += f", row {self.row}"
        if self.column is not None:
            at += f", column {self.column!r}"
        return f"{at}: got {self.value!r}, expected {self.expected}. Fix: {self.hint}"


class DataValidationError(HardtechError):
    """Input data failed validation. Nothing was computed or written."""

    code = "invalid_data"

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        shown = "\n".join(f"  - {p}" for p in self.problems[:20])
        more = f"\n  ... and {len(self.problems) - 20} more" if len(self.problems) > 20 else ""
        super().__init__(
            f"{len(self.problems)} problem(s) in the input; nothing was written:\n{shown}{more}",
            where=self.problems[0].file if self.problems else None,
            hint=self.problems[0].hint if self.problems else None,
        )

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        d["problems"] = [p.__dict__ for p in self.problems]
        return d
