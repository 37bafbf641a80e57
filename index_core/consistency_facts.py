"""One figure printed twice with different values: the same indicator of the same entity for the
same year, stated at two lines of a report (``facts.csv``) with values that differ beyond their
printed precision, e.g. Xi'an's national high-tech enterprises added in 2018, 1298 in the 2019 white
paper's case study (001:2259) and 300 in its GTII section (001:2436).
:mod:`index_core.consistency` runs it with the other checks."""
from __future__ import annotations

import math

from .findings import Finding, half_unit
from .io import EditionData


def _year(y) -> str:
    """The year as printed, or "" when the fact has none."""
    if y is None or y == "" or isinstance(y, float) and math.isnan(y):
        return ""
    return str(int(float(y)))


def conflicting_facts(data: EditionData) -> list[Finding]:
    """A finding at the first line that prints the figure, the other lines listed, for each
    (entity, indicator, year) whose stated values disagree."""
    out: list[Finding] = []
    facts = data.facts
    if facts.empty:
        return out
    for (entity, indicator, year), rows in facts.assign(_year=facts["year"].map(_year)).groupby(
            ["entity", "indicator_zh", "_year"], sort=False):
        if len(rows) < 2:
            continue
        rows = rows.sort_values("line", kind="stable")
        first = rows.iloc[0]
        tol = max(half_unit(str(p)) for p in rows["printed"])
        if max(rows["value"]) - min(rows["value"]) <= 2 * tol:
            continue
        printed = {f"line {int(r['line'])}": str(r["printed"]) for _, r in rows.iterrows()}
        out.append(Finding(
            "fact_conflict", data.spec.id, str(first["source_file"]), int(first["line"]), str(entity), str(indicator),
            printed, f"the report prints {indicator} of {entity}"
                     f"{f' for {year}' if year else ''} as {' and '.join(printed.values())}",
            lines=tuple(int(x) for x in rows["line"])))
    return out
