"""The core's commands (``hardtech editions``, ``scores``, ``rank`` ...): a thin adapter over
:mod:`index_core.api`, added to the root ``hardtech`` app by :func:`register`.

Every command prints a Rich table for people, or stable JSON with ``--json``.
Errors print what is wrong, where, and how to fix it, and exit with status 2.
The core imports nothing above it: the root CLI (:mod:`hardtech.cli`) mounts this.
"""
from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Any, Callable, Optional

import typer
from rich.console import Console
from rich.table import Table

from . import api
from .errors import HardtechError

out = Console()
err = Console(stderr=True, soft_wrap=True)  # error messages carry paths: never wrap them

JsonOpt = typer.Option(False, "--json", help="Print stable JSON instead of a table.")
EditionOpt = typer.Option(..., "--edition", "-e", help="Edition id (`hardtech editions` lists them).")


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def handles_errors(fn: Callable) -> Callable:
    """Turn HardtechError into a clear message (or JSON error) and exit status 2."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except HardtechError as exc:
            if kwargs.get("as_json"):
                emit_json({"error": exc.to_dict()})
            else:
                err.print(f"[bold red]Error:[/] {exc}", highlight=False, markup=True)
            raise typer.Exit(2) from None

    return wrapper


def print_table(title: str, columns, rows) -> None:
    """A Rich table for people: one header, rows of already-formatted cells."""
    t = Table(title=title or None)
    for col in columns:
        t.add_column(col)
    for row in rows:
        t.add_row(*row)
    out.print(t)


def _fmt(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.2f}"
    return str(v)


@handles_errors
def editions(as_json: bool = JsonOpt) -> None:
    """List the shipped editions."""
    data = api.list_editions()
    if as_json:
        return emit_json({"editions": data})
    print_table("Editions", ("id", "title", "year", "entities", "data level", "dimensions"), ((e["id"], f"{e['title_zh']}\n{e['title_en']}", str(e["edition_year"]), str(e["entities"]), e["data_level"], ", ".join(e["dimensions"])) for e in data))


@handles_errors
def scores(
    edition: str = EditionOpt,
    city: Optional[str] = typer.Option(None, "--city", "-c", help="One city or district (any alias: 深圳, 深圳市, Shenzhen)."),
    as_json: bool = JsonOpt,
) -> None:
    """Composite, rank, tier and dimension scores."""
    data = api.scores(edition, city)
    if as_json:
        return emit_json(data)
    dims = list(data["entities"][0]["dimensions"]) if data["entities"] else []
    print_table(
        f"{edition} ({data['of']} entities)",
        ["rank", "name", "composite", "printed", "tier", *dims],
        (
            (_fmt(e["rank"]), f"{e['name']} {e['name_en']}", _fmt(e["composite"]), _fmt(e["published_composite"]),
             f"{e['tier_label']} ({e['tier_status']})" if e["tier"] else "–",
             *[f"{_fmt(e['dimensions'][d]['score'])} (#{_fmt(e['dimensions'][d]['rank'])})" for d in dims])
            for e in data["entities"]
        ),
    )


@handles_errors
def rank_cmd(
    edition: str = EditionOpt,
    by: Optional[str] = typer.Option(None, "--by", help="Dimension key or Chinese name; default: the composite."),
    top: Optional[int] = typer.Option(None, "--top", help="Show only the first N."),
    bottom: bool = typer.Option(False, "--bottom", help="Start from the lowest."),
    as_json: bool = JsonOpt,
) -> None:
    """Rank entities by composite or by one dimension."""
    data = api.ranking(edition, by=by, top=top, bottom=bottom)
    if as_json:
        return emit_json(data)
    print_table(f"{edition}: {data['by']} ({data['order']}, of {data['of']})", ("rank", "name", "score"), ((_fmt(e["rank"]), f"{e['name']} {e['name_en']}", _fmt(e["score"])) for e in data["entities"]))


@handles_errors
def explain(
    edition: str = EditionOpt,
    city: str = typer.Option(..., "--city", "-c", help="City or district."),
    as_json: bool = JsonOpt,
) -> None:
    """Why an entity scores what it does: contributions, weakest dimension, gaps, peers."""
    data = api.explain(edition, city)
    if as_json:
        return emit_json(data)
    out.print(f"[bold]{data['entity']} {data['name_en']}[/] in {edition}: composite {_fmt(data['composite'])}, "
              f"rank {data['rank']} of {data['of']}, {data['tier_label'] or 'no tier'}")
    print_table("", ("dimension", "score", "rank", "weight", "contribution"), ((k, _fmt(d["score"]), _fmt(d["rank"]), _fmt(d["weight"]), _fmt(data.get("contributions_rounded", {}).get(k))) for k, d in data["dimensions"].items()))
    if data.get("weakest_dimension"):
        out.print(f"Weakest dimension: {data['weakest_dimension']}; strongest: {data['strongest_dimension']}")
    if data.get("gap_to_next_rank") is not None:
        out.print(f"Gap to next rank ({data['next_rank_entity']}): {data['gap_to_next_rank']:.2f} points")
    if data.get("gap_to_next_tier") is not None:
        out.print(f"Gap to tier {data['next_tier']} (threshold {data['next_tier_threshold']:g}, {data['next_tier_threshold_status']}): {data['gap_to_next_tier']:.2f} points")
    for d in data.get("discrepancies", []):
        out.print(f"[yellow]Note:[/] {d['measure']}: printed {d['published']}, computed {d['computed']} — {d['note']}")


@handles_errors
def tiers(edition: str = EditionOpt, as_json: bool = JsonOpt) -> None:
    """Tier thresholds (stated or assumed) and members."""
    data = api.tiers(edition)
    if as_json:
        return emit_json(data)
    print_table(f"{edition} tiers", ("tier", "label", "threshold", "status", "members"), ((str(x["tier"]), f"{x['label_zh']} / {x['label_en']}", _fmt(x["threshold"]), x["status"], "、".join(x["members"])) for x in data["tiers"]))


def _parse_weights(text: str) -> dict[str, str]:
    """``key=value`` pairs as written; the values are checked by :func:`index_core.inputs.weights`."""
    weights: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = part.partition("=")
        if not sep:
            from .errors import DataValidationError, Problem

            raise DataValidationError([Problem("--weights", None, key.strip() or part, part, "key=number", "write e.g. innovation_base=0.25,innovation_input=0.25")])
        weights[key.strip()] = value.strip()
    return weights


@handles_errors
def whatif(
    edition: str = EditionOpt,
    weights: str = typer.Option(..., "--weights", "-w", help="Dimension weights, e.g. innovation_base=1,innovation_input=1,... (normalised to sum 1)."),
    as_json: bool = JsonOpt,
) -> None:
    """Re-weight the dimensions: new composites, ranks and rank changes."""
    data = api.whatif(edition, _parse_weights(weights))
    if as_json:
        return emit_json(data)
    def change(ch: int | None) -> str:
        return f"[green]+{ch}[/]" if ch and ch > 0 else (f"[red]{ch}[/]" if ch else "0")

    print_table(
        f"{edition} what-if: {data['weights']}",
        ("rank", "name", "composite", "was", "change"),
        ((_fmt(e["rank"]), e["name"], _fmt(e["composite"]), f"{_fmt(e['baseline_composite'])} (#{e['baseline_rank']})",
          change(e["rank_change"])) for e in data["entities"]),
    )


@handles_errors
def sensitivity(
    edition: str = EditionOpt,
    draws: int = typer.Option(1000, "--draws", help="Monte Carlo draws."),
    spread: float = typer.Option(0.25, "--spread", help="Each weight is multiplied by U(1-spread, 1+spread)."),
    seed: int = typer.Option(0, "--seed", help="Random seed (results are deterministic per seed)."),
    as_json: bool = JsonOpt,
) -> None:
    """Rank stability under perturbed weights."""
    data = api.sensitivity(edition, draws=draws, spread=spread, seed=seed)
    if as_json:
        return emit_json(data)
    print_table(f"{edition}: {draws} draws, weights ±{spread:.0%}, seed {seed}", ("rank", "name", "median", "5–95%", "P(same tier)"), ((_fmt(e["baseline_rank"]), e["name"], f"{e['median_rank']:g}", f"{e['rank_interval'][0]}–{e['rank_interval'][1]}",
                  f"{e['p_same_tier']:.0%}" if "p_same_tier" in e else "–") for e in data["entities"]))


@handles_errors
def facts(
    edition: Optional[str] = typer.Option(None, "--edition", "-e", help="Edition id (default: all)."),
    city: Optional[str] = typer.Option(None, "--city", "-c"),
    indicator: Optional[str] = typer.Option(None, "--indicator", "-i", help="Indicator number or part of its name."),
    as_json: bool = JsonOpt,
) -> None:
    """Raw indicator values stated in the reports, with file and line."""
    data = api.facts(edition, city, indicator)
    if as_json:
        return emit_json(data)
    print_table("Facts", ("edition", "entity", "indicator", "value", "rank", "source"), ((f["edition"], f["entity"], f"{f['indicator_no'] or ''} {f['indicator_zh']}", f"{f['printed']} {f['unit'] or ''}",
                  _fmt(f["stated_rank"]), f"{f['source_file']}:{f['line']}") for f in data["facts"]))


@handles_errors
def method(edition: str = EditionOpt, as_json: bool = JsonOpt) -> None:
    """The methodology spec: dimensions, weights, indicators, tiers, with sources."""
    data = api.methodology(edition)
    if as_json:
        return emit_json(data)
    out.print(f"[bold]{data['title']['zh']}[/] / {data['title']['en']} ({data['id']}), data level: {data['data_level']}")
    print_table(
        "Dimensions",
        ("key", "zh", "en", "weight", "source"),
        ((d["key"], d["zh"], d["en"], _fmt(d["weight"]), f"{(d.get('source') or {}).get('file', '')}:{(d.get('source') or {}).get('line', '')}")
         for d in data["dimensions"]),
    )
    for step in data["steps"]:
        out.print(f"• {step}")


@handles_errors
def compute(
    spec: Path = typer.Option(..., "--spec", help="Methodology spec (YAML) with data_level: raw."),
    data: Path = typer.Option(..., "--data", help="Raw indicators (CSV or Excel): an entity column and one column per indicator."),
    missing: str = typer.Option("error", "--missing", help="error (default) or reweight (re-weight over the indicators present)."),
    min_coverage: float = typer.Option(0.75, "--min-coverage", help="With --missing reweight: minimum share of a dimension's weight that must be present."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Also write the results (.csv or .json), atomically."),
    as_json: bool = JsonOpt,
) -> None:
    """Compute your own edition from raw indicator values."""
    if missing not in ("error", "reweight"):
        from .errors import DataValidationError, Problem

        raise DataValidationError([Problem("--missing", None, None, missing, "error or reweight", "pass --missing reweight or leave it out")])
    result, payload = api.compute(spec, data, missing=missing, min_coverage=min_coverage)
    if output is not None:
        from . import io

        if output.suffix.lower() == ".json":
            io.write_atomic(output, json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            io.write_atomic(output, io.frame_to_csv(result.table.reset_index()))
    if as_json:
        return emit_json(payload)
    dims = list(payload["entities"][0]["dimensions"])
    print_table(
        f"{payload['edition']} ({payload['of']} entities)",
        ["rank", "name", "composite", "tier", *dims],
        ((_fmt(e["rank"]), e["name"], _fmt(e["composite"]), e["tier_label"] or "–", *[_fmt(e["dimensions"][d]["score"]) for d in dims])
         for e in sorted(payload["entities"], key=lambda e: e["rank"] or 10**9)),
    )


@handles_errors
def check_cmd(
    edition: Optional[str] = typer.Option(None, "--edition", "-e", help="One edition (default: all)."),
    as_json: bool = JsonOpt,
) -> None:
    """Find where the reports' printed numbers disagree with each other (exit 1 if any is unreviewed)."""
    data = api.consistency(edition)
    if as_json:
        emit_json(data)
    else:  # one finding per line: file:line first, so editors and terminals can jump to it
        for f in data["findings"]:
            printed = ", ".join(f"{k} {v}" for k, v in f["printed"].items())
            status = "reviewed" if f["reviewed"] else "NOT REVIEWED (add a notes.yaml entry)"
            out.print(f"{f['source_file']}:{f['line']} [{f['edition']} {f['check']}] {f['entity'] or ''} "
                      f"printed {printed}: {f['implied']} ({status})", markup=False, highlight=False, soft_wrap=True)
        out.print(f"{data['count']} findings, {data['unreviewed']} not reviewed", markup=False, highlight=False)
    if data["unreviewed"]:
        raise typer.Exit(1)


COMMANDS: tuple[tuple[str, Callable], ...] = (
    ("editions", editions), ("scores", scores), ("rank", rank_cmd), ("explain", explain), ("tiers", tiers),
    ("whatif", whatif), ("sensitivity", sensitivity), ("facts", facts), ("method", method), ("compute", compute), ("check", check_cmd),
)


def register(app: typer.Typer) -> None:
    """Add the core's commands to the root ``hardtech`` app."""
    for name, command in COMMANDS:
        app.command(name)(command)
