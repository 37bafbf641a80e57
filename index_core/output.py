"""How every ``hardtech`` command prints data: a table that fits the terminal, JSON, or CSV.

``--format table`` (the default) is for people: :func:`print_table` tries the full column
headers, then short keys explained in a legend, then compact cells, and takes the first
layout as wide as the terminal (``COLUMNS``, else the terminal's width); one entity is
printed as a two-column record (:func:`print_record`) instead of one very wide row.
``--format json`` prints the command's whole result, stable and indented; ``--json`` is
its alias. ``--format csv`` prints one row per item with nested fields flattened to
dotted names (``dimensions.innovation_base.score``), for spreadsheets.

Lower layers than the CLIs that use it (``index_core``, ``vectorstore``, ``assistant``)
import only typer and rich here, so ``hardtech --help`` stays fast.
"""
from __future__ import annotations

import contextlib
import csv
import json
import sys
from dataclasses import dataclass
from enum import Enum
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence, Union

import typer
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


FormatOpt = typer.Option(Format.table, "--format", "-f", case_sensitive=False,
                         help="table (for people, fits the terminal), json (the whole result) or csv (one row per item).")
JsonOpt = typer.Option(False, "--json", help="Same as --format json.")


def chosen(fmt: Format | str, as_json: bool = False) -> Format:
    """The format asked for; ``--json`` wins, as it always did."""
    return Format.json if as_json else Format(fmt)


def console(stderr: bool = False) -> Console:
    """A console made now, so it reads ``COLUMNS`` as the command runs (not at import)."""
    return Console(stderr=stderr, highlight=False)


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def flatten(record: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"a": {"b": 1}, "c": [1, 2]}`` -> ``{"a.b": 1, "c": "1|2"}``."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(flatten(value, name + "."))
        elif isinstance(value, (list, tuple)):
            out[name] = "|".join("" if v is None else json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else str(v)
                                 for v in value)
        else:
            out[name] = value
    return out


def emit_csv(records: Iterable[Mapping[str, Any]]) -> None:
    """One row per record; the columns are the union of the flattened keys, in first-seen order."""
    rows = [flatten(r) for r in records]
    fields: dict[str, None] = {}
    for r in rows:
        fields.update(dict.fromkeys(r))
    w = csv.DictWriter(sys.stdout, fieldnames=list(fields), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)


def emit_data(data: Any, fmt: Format, records: Iterable[Mapping[str, Any]] | None = None) -> bool:
    """Print ``data`` as JSON, or ``records`` (default: ``data`` itself) as CSV; False for a table."""
    if fmt is Format.json:
        emit_json(data)
    elif fmt is Format.csv:
        emit_csv(records if records is not None else [data])
    else:
        return False
    return True


@dataclass(frozen=True)
class Column:
    """A table column: ``header`` in full, ``short`` when the full headers do not fit;
    ``legend`` says what it holds, under the table (for a short key, when it is shown).
    Numbers are right-aligned."""

    header: str
    short: str | None = None
    legend: str | None = None
    numeric: bool = False


Cell = Union[str, Text, tuple]  # a str, or its forms from the fullest to the most compact


def _cell(cell: Cell, level: int) -> str | Text:
    if isinstance(cell, tuple):
        return cell[min(level, len(cell) - 1)]
    return cell


def _table(columns: Sequence[Column], rows: Sequence[Sequence[Cell]], short: bool, level: int) -> Table:
    t = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0))
    for c in columns:
        head = (c.short or c.header) if short else c.header
        t.add_column(head, justify="right" if c.numeric else "left", overflow="fold", min_width=Text(head).cell_len)
    for row in rows:
        t.add_row(*(_cell(x, level) for x in row))
    return t


def print_table(title: str, columns: Sequence[Column], rows: Sequence[Sequence[Cell]], notes: Sequence[str] = (),
                out: Console | None = None) -> None:
    """The richest layout as wide as the console: full headers, then short headers with a
    legend, then ever more compact cells. Headers are never cut; cells wrap only when even
    the most compact layout is too wide. Then the legend and ``notes``."""
    out = out or console()
    rows = list(rows)
    levels = max((len(x) for r in rows for x in r if isinstance(x, tuple)), default=1)
    layouts = [(False, 0)] + [(True, level) for level in range(levels)] if any(c.short for c in columns) \
        else [(False, level) for level in range(levels)]
    for short, level in layouts:
        table = _table(columns, rows, short, level)
        if out.measure(table, options=out.options.update(max_width=10_000)).maximum <= out.width:
            break
    if title:  # above the table, not in it: a title as wide as a narrow table would wrap
        out.print(Text(title, style="bold"), overflow="fold")
    out.print(table)
    # a short key is explained when it is shown; a column without one, always
    legend = [f"{c.short or c.header}: {c.legend}" for c in columns if c.legend and (short or not c.short)]
    for line in [*legend, *notes]:
        out.print(Text(line, style="dim"), soft_wrap=False, overflow="fold")


def print_record(title: str, fields: Sequence[tuple], out: Console | None = None) -> None:
    """One entity as ``field  value  [note]`` lines: readable at any width, however many fields."""
    out = out or console()
    if title:
        out.print(Text(title, style="bold"), overflow="fold")
    t = Table(box=None, show_header=False, pad_edge=False, padding=(0, 2, 0, 0))
    t.add_column("field", style="bold", no_wrap=True)
    t.add_column("value", no_wrap=True)
    t.add_column("note", style="dim", overflow="fold")
    for name, value, *note in fields:
        t.add_row(name, value, *note)
    out.print(t)


def fmt_num(v: Any, digits: int = 2) -> str:
    """A number for a table cell: 2 decimals for floats, "–" for missing."""
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


def short_keys(keys: Sequence[str], width: int = 6) -> dict[str, str]:
    """Unique short names for column keys: the last word, cut to ``width``
    (``innovation_environment`` -> ``enviro``); numbered where two would be the same."""
    out: dict[str, str] = {}
    for k in keys:
        s = k.replace("-", "_").split("_")[-1] or k
        cut, n = s[:width], 1
        while cut in out.values():
            n += 1
            cut = s[: width - len(str(n))] + str(n)
        out[k] = cut
    return out


@contextlib.contextmanager
def progress(total: int, description: str, enabled: bool = True) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr for long work (count, elapsed, time left); yields
    ``advance(n)``, safe to call from worker threads. Silent when disabled."""
    if not enabled or total <= 0:
        yield lambda n=1: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(),
                  console=console(stderr=True)) as bar:
        task = bar.add_task(description, total=total)
        yield lambda n=1: bar.advance(task, n)
