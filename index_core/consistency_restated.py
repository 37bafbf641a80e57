"""Figures a report's narrative restates from its own tables (``restated`` in ``stated.yaml``),
compared with the published (table) value: the text and the table must print the same number.
:mod:`index_core.consistency` runs it with the other checks."""
from __future__ import annotations

from .findings import Finding, half_unit
from .io import EditionData


def restated(data: EditionData) -> list[Finding]:
    """Each restated figure whose printed value differs from the published one (compared as
    numbers at the printed precision: "84.04" and "84.040" agree), or that has no published value."""
    pub = data.published.set_index(["entity", "measure"])
    out = []
    for r in data.stated.get("restated", []):
        key = (r["entity"], r["measure"])
        printed = str(r["printed"])
        source_file = r.get("source_file", data.spec.source.file)
        if key not in pub.index:
            out.append(Finding("restated", data.spec.id, source_file, int(r["line"]), r["entity"], r["measure"],
                               {"text": printed}, "the tables print no such figure to compare with"))
            continue
        row = pub.loc[key]
        row = row.iloc[0] if hasattr(row, "iloc") and getattr(row, "ndim", 1) > 1 else row
        tol = max(half_unit(printed), half_unit(str(row["printed"])))
        if abs(float(printed.replace(",", ".")) - float(row["value"])) > tol:
            out.append(Finding(
                "restated", data.spec.id, source_file, int(r["line"]), r["entity"], r["measure"],
                {"text": printed, "table": str(row["printed"])},
                f"the text prints {printed} where line {int(row['line'])} prints {row['printed']}",
                lines=(int(row["line"]),), implied_value=float(row["value"])))
    return out
