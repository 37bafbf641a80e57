"""The core's commands (``hardtech editions``, ``scores``, ``rank`` ...): a thin adapter over
:mod:`index_core.api`, added to the root ``hardtech`` app by :func:`register`.

Every command prints a table that fits the terminal for people, or stable JSON or CSV with
``--format json|csv`` (``--json`` is the alias of ``--format json``); :mod:`index_core.output`
does the printing. Errors print what is wrong, where, and how to fix it, and exit with status 2.
The core imports nothing above it: the root CLI (:mod:`hardtech.cli`) mounts this.
"""
from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Callable, Optional

import typer
from rich.text import Text

from . import api
from .errors import HardtechError
from .output import Column, Format, FormatOpt, JsonOpt, chosen, console, emit_data, emit_json, fmt_num, print_record, print_table, short_keys

EditionOpt = typer.Option(..., "--edition", "-e", help="Edition id, e.g. hardtech-2019 (see `hardtech editions`).")
_fmt = fmt_num


def handles_errors(fn: Callable) -> Callable:
    """Turn HardtechError into a clear message (or JSON error) and exit status 2."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except HardtechError as exc:
            if chosen(kwargs.get("fmt", Format.table), kwargs.get("as_json", False)) is Format.json:
                emit_json({"error": exc.to_dict()})
            else:
                console(stderr=True).print(f"[bold red]Error:[/] {exc}", markup=True, soft_wrap=True)  # paths: never wrap
            raise typer.Exit(2) from None

    return wrapper


@handles_errors
def editions(fmt: Format = FormatOpt, as_json: bool = JsonOpt) -> None:
    """List the shipped editions."""
    data = api.list_editions()
    if emit_data({"editions": data}, chosen(fmt, as_json), data):
        return
    print_table("Editions", (Column("id"), Column("title"), Column("year", numeric=True), Column("entities", "n", "entities", numeric=True),
                             Column("data level", "level"), Column("dimensions", "dims", "dimensions (keys; their names: hardtech method -e ID)")),
                [(e["id"], (f"{e['title_zh']}\n{e['title_en']}", e["title_zh"]), str(e["edition_year"]), str(e["entities"]), e["data_level"],
                  (", ".join(e["dimensions"]), str(len(e["dimensions"])))) for e in data])


def _dimension_columns(edition: str, keys: list[str]) -> list[Column]:
    names = {d["key"]: d for d in api.methodology(edition)["dimensions"]} if keys else {}
    short = short_keys(keys)
    return [Column(k, short[k], f"{k} {names[k]['zh']} ({names[k]['en']})" if k in names else k, numeric=True) for k in keys]


DIMENSION_NOTE = "Dimension cells: score (#rank); where the terminal is narrow, the score alone (all of it: -c CITY or --format csv)."


def _score_cell(d: dict) -> tuple[str, str, str]:
    if d["score"] is None:
        return ("–",)
    return (f"{_fmt(d['score'])} (#{_fmt(d['rank'])})", f"{_fmt(d['score'])} #{_fmt(d['rank'])}", _fmt(d["score"])) if d["rank"] else (_fmt(d["score"]),)


def _tier_cell(e: dict) -> tuple:
    return (f"{e['tier_label']} ({e['tier_status']})", e["tier_label"], str(e["tier"])) if e["tier"] else ("–",)


def _tier_column(entities: list[dict]) -> Column:
    labels = sorted({(e["tier"], e["tier_label"]) for e in entities if e["tier"]})
    return Column("tier", legend=", ".join(f"{n} {label}" for n, label in labels))


@handles_errors
def scores(
    edition: str = EditionOpt,
    city: Optional[str] = typer.Option(None, "--city", "-c", help="One city or district (any alias: 深圳, 深圳市, Shenzhen)."),
    fmt: Format = FormatOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Composite, rank, tier and dimension scores (a table sorted by rank; one entity as a record)."""
    data = api.scores(edition, city)
    if emit_data(data, chosen(fmt, as_json), data["entities"]):
        return
    dims = list(data["entities"][0]["dimensions"]) if data["entities"] else []
    columns = _dimension_columns(edition, dims)
    if city:
        e = data["entities"][0]
        return print_record(f"{e['name']} {e['name_en']} · {edition} (of {data['of']})", [
            ("rank", _fmt(e["rank"])), ("composite", _fmt(e["composite"])), ("printed composite", _fmt(e["published_composite"])),
            ("tier", _tier_cell(e)[0]),
            *[(c.header, _score_cell(e["dimensions"][c.header])[0], c.legend.split(" ", 1)[1]) for c in columns]])
    rows = sorted(data["entities"], key=lambda e: (e["rank"] is None, e["rank"] or 0))
    has_tiers = any(e["tier"] for e in rows)
    # the printed composite earns a column only where some differ from (or lack) the computed one
    printed = any(e["published_composite"] != e["composite"] for e in rows)
    print_table(
        f"{edition} ({data['of']} entities)",
        [Column("rank", "#", numeric=True), Column("name"), Column("composite", "comp", "composite (computed)", numeric=True),
         *([Column("printed", "prt", "composite as printed in the report (– not printed)", numeric=True)] if printed else []),
         *([_tier_column(rows)] if has_tiers else []), *columns],
        [(_fmt(e["rank"]), (f"{e['name']} {e['name_en']}", e["name"]), _fmt(e["composite"]), *([_fmt(e["published_composite"])] if printed else []),
          *([_tier_cell(e)] if has_tiers else []), *[_score_cell(e["dimensions"][d]) for d in dims]) for e in rows],
        notes=[DIMENSION_NOTE] if dims else [],
    )


@handles_errors
def rank_cmd(
    edition: str = EditionOpt,
    by: Optional[str] = typer.Option(None, "--by", help="Dimension key or Chinese name; default: the composite."),
    top: Optional[int] = typer.Option(None, "--top", help="Show only the first N."),
    bottom: bool = typer.Option(False, "--bottom", help="Start from the lowest."),
    fmt: Format = FormatOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Rank entities by composite or by one dimension."""
    data = api.ranking(edition, by=by, top=top, bottom=bottom)
    if emit_data(data, chosen(fmt, as_json), data["entities"]):
        return
    print_table(f"{edition}: {data['by']} ({data['order']}, of {data['of']})", (Column("rank", numeric=True), Column("name"), Column("score", numeric=True)),
                [(_fmt(e["rank"]), (f"{e['name']} {e['name_en']}", e["name"]), _fmt(e["score"])) for e in data["entities"]])


@handles_errors
def explain(
    edition: str = EditionOpt,
    city: str = typer.Option(..., "--city", "-c", help="City or district."),
    fmt: Format = FormatOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Why an entity scores what it does: contributions, strongest and weakest dimension, gaps, peers."""
    data = api.explain(edition, city)
    if emit_data(data, chosen(fmt, as_json), [{"dimension": k, **d, "contribution": data.get("contributions", {}).get(k)}
                                              for k, d in data["dimensions"].items()]):
        return
    out = console()
    out.print(Text.assemble((f"{data['entity']} {data['name_en']}", "bold"), f" in {edition}: composite {_fmt(data['composite'])}, "
                            f"rank {data['rank']} of {data['of']}, {data['tier_label'] or 'no tier'}"))
    contributions = data.get("contributions_rounded", {})
    print_table("", (Column("dimension"), Column("score", numeric=True), Column("rank", numeric=True), Column("weight", numeric=True),
                     Column("contribution", "contrib", "points of the composite", numeric=True)),
                [(k, _fmt(d["score"]), _fmt(d["rank"]), _fmt(d["weight"]), _fmt(contributions.get(k))) for k, d in data["dimensions"].items()], out=out)
    for line in explain_lines(data):
        out.print(line, markup=False)


def explain_lines(data: dict) -> list[str]:
    """What stands out, each measure named: by rank, by score, by contribution; gaps between which composites."""
    dims, lines = data["dimensions"], []
    if data.get("strongest_by_score"):
        k = data["strongest_by_score"]
        lines.append(f"Strongest by score: {k} {_fmt(dims[k]['score'])} (rank {dims[k]['rank']}).")
    if data.get("largest_contribution"):
        k = data["largest_contribution"]
        lines.append(f"Largest contribution: {k} {_fmt(data['contributions_rounded'][k])} points of the composite "
                     f"(weight {_fmt(dims[k]['weight'])} × score {_fmt(dims[k]['score'])}).")
    if data.get("weakest_dimension"):
        k = data["weakest_dimension"]
        lines.append(f"Weakest by rank: {k} (rank {dims[k]['rank']} of {data['of']}, score {_fmt(dims[k]['score'])}).")
    if data.get("gap_to_next_rank") is not None:
        computed = f"{data['gap_to_next_rank']:.2f} between the computed composites"
        printed = data.get("gap_to_next_rank_printed")
        lines.append(f"Gap to the next rank ({data['next_rank_entity']}): " +
                     (f"{printed:.2f} between the printed composites ({computed})." if printed is not None else f"{computed}."))
    if data.get("gap_to_next_tier") is not None:
        lines.append(f"Gap to tier {data['next_tier']} (threshold {data['next_tier_threshold']:g}, {data['next_tier_threshold_status']}): "
                     f"{data['gap_to_next_tier']:.2f} points of the computed composite.")
    for d in data.get("discrepancies", []):
        lines.append(f"Note: {d['measure']}: printed {d['published']}, computed {d['computed']} — {d['note']}")
    return lines


@handles_errors
def tiers(edition: str = EditionOpt, fmt: Format = FormatOpt, as_json: bool = JsonOpt) -> None:
    """Tier thresholds (stated or assumed) and members."""
    data = api.tiers(edition)
    if emit_data(data, chosen(fmt, as_json), data["tiers"]):
        return
    print_table(f"{edition} tiers", (Column("tier", numeric=True), Column("label"), Column("threshold", "min", "threshold (composite points)", numeric=True),
                                     Column("status"), Column("members")),
                [(str(x["tier"]), (f"{x['label_zh']} / {x['label_en']}", x["label_zh"]), _fmt(x["threshold"]), x["status"], "、".join(x["members"]))
                 for x in data["tiers"]])


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
    fmt: Format = FormatOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Re-weight the dimensions: new composites, ranks and rank changes."""
    data = api.whatif(edition, _parse_weights(weights))
    if emit_data(data, chosen(fmt, as_json), data["entities"]):
        return

    def change(ch: int | None) -> Text:
        return Text(f"+{ch}", "green") if ch and ch > 0 else Text(str(ch), "red") if ch else Text("0")

    print_table(f"{edition} what-if: " + ", ".join(f"{k}={v:.3g}" for k, v in data["weights"].items()),
                (Column("rank", numeric=True), Column("name"), Column("composite", "comp", "composite with the new weights", numeric=True),
                 Column("was", legend="composite (#rank) with the edition's weights", numeric=True), Column("change", "±", "ranks gained", numeric=True)),
                [(_fmt(e["rank"]), e["name"], _fmt(e["composite"]), (f"{_fmt(e['baseline_composite'])} (#{e['baseline_rank']})", _fmt(e["baseline_composite"])),
                  change(e["rank_change"])) for e in data["entities"]])


@handles_errors
def sensitivity(
    edition: str = EditionOpt,
    draws: int = typer.Option(1000, "--draws", help="Monte Carlo draws."),
    spread: float = typer.Option(0.25, "--spread", help="Each weight is multiplied by U(1-spread, 1+spread)."),
    seed: int = typer.Option(0, "--seed", help="Random seed (results are deterministic per seed)."),
    fmt: Format = FormatOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Rank stability under perturbed weights."""
    data = api.sensitivity(edition, draws=draws, spread=spread, seed=seed)
    if emit_data(data, chosen(fmt, as_json), data["entities"]):
        return
    print_table(f"{edition}: {draws} draws, weights ±{spread:.0%}, seed {seed}",
                (Column("rank", numeric=True), Column("name"), Column("median", legend="median rank over the draws", numeric=True),
                 Column("5–95%", legend="ranks between the 5th and 95th percentile", numeric=True),
                 Column("P(same tier)", "P(tier)", "share of draws that keep the tier", numeric=True)),
                [(_fmt(e["baseline_rank"]), e["name"], f"{e['median_rank']:g}", f"{e['rank_interval'][0]}–{e['rank_interval'][1]}",
                  f"{e['p_same_tier']:.0%}" if "p_same_tier" in e else "–") for e in data["entities"]])


@handles_errors
def crossover(
    edition: str = EditionOpt,
    city: str = typer.Option(..., "--city", "-c", help="City or district."),
    other: str = typer.Option(..., "--other", "-o", help="The city or district to set it against."),
    fmt: Format = FormatOpt,
    as_json: bool = JsonOpt,
) -> None:
    """The weight on each dimension (the others sharing the rest equally) at which two entities tie."""
    data = api.crossover(edition, city, other)
    if emit_data(data, chosen(fmt, as_json), data["dimensions"]):
        return
    print_table(f"{edition}: {data['entity']} against {data['other']}, other dimensions sharing the rest equally",
                (Column("dimension"), Column("tie at", legend="weight at which the composites tie", numeric=True),
                 Column("now", legend="the edition's weight", numeric=True), Column("above it", legend="who leads when it weighs more")),
                [(d["dimension"], f"{d['weight']:.2%}" if d["weight"] is not None else "never",
                  f"{d['current_weight']:.0%}" if d["current_weight"] is not None else "–", d["leader_above"] or "–")
                 for d in data["dimensions"]])


@handles_errors
def facts(
    edition: Optional[str] = typer.Option(None, "--edition", "-e", help="Edition id (default: all)."),
    city: Optional[str] = typer.Option(None, "--city", "-c"),
    indicator: Optional[str] = typer.Option(None, "--indicator", "-i", help="Indicator number or part of its name."),
    other: Optional[str] = typer.Option(None, "--other", help="A second city: the two cities' differences, same indicator and year."),
    fmt: Format = FormatOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Raw indicator values stated in the reports, with file and line (with --other: two cities' differences)."""
    data = api.facts(edition, city, indicator, other)
    if emit_data(data, chosen(fmt, as_json), data["differences"] if other else data["facts"]):
        return
    if other:
        print_table(f"{data['entity']} − {data['other']}",
                    (Column("indicator"), Column("year", numeric=True), Column(data["entity"], numeric=True),
                     Column(data["other"], numeric=True), Column("difference", short="diff", numeric=True), Column("lines")),
                    [(d["indicator_zh"], str(d["year"] or ""), f"{d['value']:.10g}", f"{d['other_value']:.10g}",
                      f"{d['difference']:+.10g} {d['unit'] or ''}".strip(), " ".join(x.split(":")[1] for x in d["lines"]))
                     for d in data["differences"]],
                    notes=[f"lines of {data['differences'][0]['lines'][0].split(':')[0]}"] if data["differences"] else
                    ["no indicator is stated for both in the same year"])
        return
    one_edition, one_file = (len({f[k] for f in data["facts"]}) == 1 for k in ("edition", "source_file"))
    print_table("Facts" + (f": {data['facts'][0]['edition']}" if one_edition and data["facts"] else ""),
                (*(() if one_edition else (Column("edition"),)), Column("entity"), Column("indicator"), Column("value", numeric=True),
                 Column("rank", legend="rank stated beside the value", numeric=True), Column("line" if one_file else "source")),
                [(*(() if one_edition else (f["edition"],)), f["entity"], f"{f['indicator_no'] or ''} {f['indicator_zh']}".strip(),
                  f"{f['printed']} {f['unit'] or ''}".strip(), _fmt(f["stated_rank"]), str(f["line"]) if one_file else f"{f['source_file']}:{f['line']}")
                 for f in data["facts"]],
                notes=[f"lines of {data['facts'][0]['source_file']}"] if one_file and data["facts"] else [])


@handles_errors
def method(edition: str = EditionOpt, fmt: Format = FormatOpt, as_json: bool = JsonOpt) -> None:
    """The methodology spec: dimensions, weights, indicators, tiers, with sources."""
    data = api.methodology(edition)
    if emit_data(data, chosen(fmt, as_json), data["dimensions"]):
        return
    out = console()
    out.print(Text.assemble((data["title"]["zh"], "bold"), f" / {data['title']['en']} ({data['id']}), data level: {data['data_level']}"))
    files = {(d.get("source") or {}).get("file") for d in data["dimensions"]}
    print_table("Dimensions", (Column("key"), Column("zh"), Column("en"), Column("weight", numeric=True), Column("line" if len(files) == 1 else "source")),
                [(d["key"], d["zh"], d["en"], _fmt(d["weight"]), f"{'' if len(files) == 1 else (d.get('source') or {}).get('file', '') + ':'}"
                  f"{(d.get('source') or {}).get('line', '')}") for d in data["dimensions"]],
                notes=[f"lines of {files.pop()}"] if len(files) == 1 else [], out=out)
    for step in data["steps"]:
        out.print(f"• {step}", markup=False)


@handles_errors
def compute(
    spec: Path = typer.Option(..., "--spec", help="Methodology spec (YAML) with data_level: raw."),
    data: Path = typer.Option(..., "--data", help="Raw indicators (CSV or Excel): an entity column and one column per indicator."),
    missing: str = typer.Option("error", "--missing", help="error (default) or reweight (re-weight over the indicators present)."),
    min_coverage: float = typer.Option(0.75, "--min-coverage", help="With --missing reweight: minimum share of a dimension's weight that must be present."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Also write the results (.csv or .json), atomically."),
    fmt: Format = FormatOpt,
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
    if emit_data(payload, chosen(fmt, as_json), payload["entities"]):
        return
    dims = list(payload["entities"][0]["dimensions"])
    short = short_keys(dims)
    print_table(
        f"{payload['edition']} ({payload['of']} entities)",
        [Column("rank", "#", numeric=True), Column("name"), Column("composite", "comp", numeric=True), Column("tier"),
         *[Column(d, short[d], d, numeric=True) for d in dims]],
        [(_fmt(e["rank"]), e["name"], _fmt(e["composite"]), e["tier_label"] or "–", *[_fmt(e["dimensions"][d]["score"]) for d in dims])
         for e in sorted(payload["entities"], key=lambda e: e["rank"] or 10**9)],
    )


@handles_errors
def check_cmd(
    edition: Optional[str] = typer.Option(None, "--edition", "-e", help="One edition (default: all)."),
    fmt: Format = FormatOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Find where the reports' printed numbers disagree with each other (exit 1 if any is unreviewed)."""
    data = api.consistency(edition)
    if not emit_data(data, chosen(fmt, as_json), data["findings"]):
        out = console()
        for f in data["findings"]:  # one finding per line: file:line first, so editors and terminals can jump to it
            printed = ", ".join(f"{k} {v}" for k, v in f["printed"].items())
            status = "reviewed" if f["reviewed"] else "NOT REVIEWED (add a notes.yaml entry)"
            out.print(f"{f['source_file']}:{f['line']} [{f['edition']} {f['check']}] {f['entity'] or ''} "
                      f"printed {printed}: {f['implied']} ({status})", markup=False, soft_wrap=True)
        out.print(f"{data['count']} findings, {data['unreviewed']} not reviewed", markup=False)
    if data["unreviewed"]:
        raise typer.Exit(1)


COMMANDS: tuple[tuple[str, Callable], ...] = (
    ("editions", editions), ("scores", scores), ("rank", rank_cmd), ("explain", explain), ("tiers", tiers),
    ("whatif", whatif), ("sensitivity", sensitivity), ("crossover", crossover), ("facts", facts), ("method", method), ("compute", compute), ("check", check_cmd),
)


def register(app: typer.Typer) -> None:
    """Add the core's commands to the root ``hardtech`` app."""
    for name, command in COMMANDS:
        app.command(name)(command)
