"""Validation of user-supplied raw indicator tables against a spec (pure).

Every problem names the file, the spreadsheet row (header = row 1), the column,
the value, what was expected and how to fix it. All problems are collected
before raising, so one run shows everything wrong.
"""
from __future__ import annotations

import math

import pandas as pd

from .errors import DataValidationError, Problem
from .spec import Spec

ENTITY_COLUMNS = ("entity", "name", "city", "城市", "区县")


def _column_aliases(spec: Spec) -> dict[str, str]:
    out: dict[str, str] = {}
    for ind in spec.indicators:
        for alias in (ind.column, str(ind.no), f"i{ind.no}", ind.zh, ind.key or ""):
            if alias:
                out[alias] = ind.column
    return out


def raw_table(df: pd.DataFrame, spec: Spec, where: str, allow_missing: bool = False) -> pd.DataFrame:
    """Return a float frame indexed by entity with the spec's indicator columns."""
    problems: list[Problem] = []
    entity_col = next((c for c in df.columns if str(c).strip() in ENTITY_COLUMNS), None)
    if entity_col is None:
        raise DataValidationError([Problem(where, 1, None, list(df.columns)[:5], "an 'entity' column", "name the column holding city names 'entity'")])
    aliases = _column_aliases(spec)
    mapping: dict[str, str] = {}
    for c in df.columns:
        if c == entity_col:
            continue
        target = aliases.get(str(c).strip())
        if target is None:
            problems.append(Problem(where, 1, str(c), str(c), "an indicator of the spec (key, number, i<no> or Chinese name)",
                                    "rename the column or remove it; the spec lists its indicators"))
        elif target in mapping.values():
            problems.append(Problem(where, 1, str(c), str(c), "each indicator once", "remove the duplicate column"))
        else:
            mapping[c] = target
    for ind in spec.indicators:
        if ind.column not in mapping.values():
            problems.append(Problem(where, 1, ind.column, None, f"a column for indicator {ind.no} {ind.zh}", f"add a column named {ind.column!r}"))
    names = df[entity_col].astype(str).str.strip()
    seen: dict[str, int] = {}
    for i, name in enumerate(names, start=2):
        if not name:
            problems.append(Problem(where, i, str(entity_col), name, "an entity name", "fill in the name or delete the row"))
        elif name in seen:
            problems.append(Problem(where, i, str(entity_col), name, f"a unique entity (already on row {seen[name]})", "merge or remove the duplicate row"))
        else:
            seen[name] = i
    values = pd.DataFrame(index=names)
    for src, target in mapping.items():
        col = []
        for i, cell in enumerate(df[src], start=2):
            text = str(cell).strip().replace(",", "")
            if text == "" or text.lower() in ("nan", "na", "-"):
                if not allow_missing:
                    problems.append(Problem(where, i, str(src), cell, "a number",
                                            "fill the value, or compute with --missing reweight to re-weight over the indicators present"))
                col.append(math.nan)
                continue
            try:
                v = float(text.rstrip("%"))
            except ValueError:
                problems.append(Problem(where, i, str(src), cell, "a number", "remove text and units from the cell"))
                v = math.nan
            if math.isinf(v):
                problems.append(Problem(where, i, str(src), cell, "a finite number", "enter a finite value"))
            col.append(v)
        values[target] = col
    if len(names) < 2:
        problems.append(Problem(where, None, None, len(names), "at least 2 entities", "min-max scores need two or more entities"))
    if problems:
        raise DataValidationError(problems)
    return values[[i.column for i in spec.indicators]]
