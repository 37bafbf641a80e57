"""Validation of user-supplied raw indicator tables against a spec (pure).

Every problem names the file, the spreadsheet row (header = row 1), the column,
the value, what was expected and how to fix it. All problems are collected
before raising, so one run shows everything wrong.
"""
from __future__ import annotations

import math
import re
from typing import Iterable

import pandas as pd

from .entities import Registry
from .errors import DataValidationError, Problem
from .spec import Spec

ENTITY_COLUMNS = ("entity", "name", "city", "城市", "区县")
#: A first data row with one of these in the entity column states each column's unit.
UNIT_ROW_LABELS = ("unit", "units", "单位")


def _column_aliases(spec: Spec) -> dict[str, str]:
    out: dict[str, str] = {}
    for ind in spec.indicators:
        for alias in (ind.column, str(ind.no), f"i{ind.no}", ind.zh, ind.key or ""):
            if alias:
                out[alias] = ind.column
    return out


def _unit_key(unit: str | None) -> str:
    """Units compared as written, ignoring spaces and full-width/half-width forms: '人/万人' = '人 / 万人'."""
    text = (unit or "").replace("（", "(").replace("）", ")").replace("／", "/").replace("％", "%")
    return re.sub(r"\s+", "", text).casefold()


def _unit_problems(units: pd.Series, mapping: dict[str, str], spec: Spec, where: str) -> list[Problem]:
    """The unit row (spreadsheet row 2) against the spec's indicator units."""
    declared = {i.column: i for i in spec.indicators}
    problems = []
    for src, target in mapping.items():
        ind = declared[target]
        got = str(units[src]).strip()
        if _unit_key(got) != _unit_key(ind.unit):
            problems.append(Problem(where, 2, str(src), got, f"the unit {ind.unit or '(none)'} that spec.yaml gives indicator {ind.no} {ind.zh}",
                                    f"convert the column to {ind.unit or 'the spec unit'}, or correct the unit in the spec if the data is right"))
    return problems


def unknown_entities(names: Iterable[str], where: str, registry: Registry, allow: Iterable[str] = (), rows: bool = True,
                     first_row: int = 2, column: str = "entity", kind: str | None = None) -> list[Problem]:
    """A problem for each name the registry does not know, with close matches (of ``kind``,
    e.g. the edition's ``city``, when given) as the fix."""
    problems = []
    among = [e.name for e in registry.entities if e.kind == kind] if kind else None
    for i, name in enumerate(names, start=first_row):
        if not name or name in allow or name in registry:
            continue
        close = registry.suggest(name, among)
        hint = (f"did you mean {' or '.join(close)}? " if close else "") + \
            "Use a name from the registry, or add the entity to the edition's entities.csv (name,name_en,kind,region,aliases)"
        problems.append(Problem(where, i if rows else None, column, name, "a known city or district", hint))
    return problems


def raw_table(df: pd.DataFrame, spec: Spec, where: str, allow_missing: bool = False,
              registry: Registry | None = None) -> pd.DataFrame:
    """Return a float frame indexed by entity with the spec's indicator columns.

    A first data row labelled ``unit`` (or 单位) states each column's unit; it must match
    the spec. With ``registry``, entity names may be any alias and come back canonical."""
    problems: list[Problem] = []
    entity_col = next((c for c in df.columns if str(c).strip() in ENTITY_COLUMNS), None)
    if entity_col is None:
        raise DataValidationError([Problem(where, 1, None, list(df.columns)[:5], "an 'entity' column", "name the column holding city names 'entity'")])
    units = None
    if len(df) and str(df[entity_col].iloc[0]).strip().lower() in UNIT_ROW_LABELS:
        units, df = df.iloc[0], df.iloc[1:]
    first = 3 if units is not None else 2
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
    if units is not None:
        problems += _unit_problems(units, mapping, spec, where)
    names = df[entity_col].astype(str).str.strip()
    if registry is not None:
        problems += unknown_entities(list(names), where, registry, first_row=first, column=str(entity_col), kind=spec.entity_kind)
        names = pd.Series([registry.lookup(n).name if n in registry else n for n in names], index=names.index)
    seen: dict[str, int] = {}
    for i, name in enumerate(names, start=first):
        if not name:
            problems.append(Problem(where, i, str(entity_col), name, "an entity name", "fill in the name or delete the row"))
        elif name in seen:
            problems.append(Problem(where, i, str(entity_col), name, f"a unique entity (already on row {seen[name]})", "merge or remove the duplicate row"))
        else:
            seen[name] = i
    values = pd.DataFrame(index=pd.Index(names, name="entity"))
    for src, target in mapping.items():
        col = []
        for i, cell in enumerate(df[src], start=first):
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
