"""``hardtech edition add|check|list|remove``: a user's own editions, as data.

A thin adapter over :mod:`index_core.install`, mounted by the root CLI through :func:`register`.
It prints (:mod:`index_core.output`) and fails (:func:`index_core.cli.handles_errors`) like the
other core commands.
"""
from __future__ import annotations

from pathlib import Path

import typer

from . import api
from .cli import handles_errors
from .errors import Problem
from .install import add, check, installed, remove
from .output import Column, console, emit_json, print_table

edition_app = typer.Typer(help="Add, check, list and remove your own editions (a folder: spec.yaml plus data).",
                          no_args_is_help=True)
JsonOpt = typer.Option(False, "--json", help="Print stable JSON instead of text.")


def _say(text: str) -> None:
    console().print(text, markup=False, highlight=False, soft_wrap=True)


@edition_app.command("add")
@handles_errors
def add_command(
    folder: Path = typer.Argument(..., help="Edition folder: spec.yaml plus raw.csv/raw.xlsx or published.csv."),
    as_json: bool = JsonOpt,
) -> None:
    """Validate an edition folder and install it under $HARDTECH_HOME/editions/<id>/."""
    info = add(folder)
    if as_json:
        return emit_json(info)
    _say(f"Installed edition {info['id']} ({info['entities']} entities, data level {info['data_level']}) at {info['path']}")
    if info["ignored"]:
        _say(f"Not copied (not edition files): {', '.join(info['ignored'])}")
    _say(f"Try: hardtech scores --edition {info['id']}")


@edition_app.command("check")
def check_command(
    folder: Path = typer.Argument(..., help="Edition folder to validate (nothing is installed)."),
    as_json: bool = JsonOpt,
) -> None:
    """Validate an edition folder without installing it (exit 2 if it has problems)."""
    report = check(folder)
    if as_json:
        emit_json(report)
    elif report["ok"]:
        _say(f"{folder}: edition {report['id']} is valid")
    else:
        err = console(stderr=True)
        err.print(f"{len(report['problems'])} problem(s) in {folder}:", markup=False, highlight=False)
        for p in report["problems"]:
            err.print(f"  - {Problem(**p)}", markup=False, highlight=False)
    if not report["ok"]:
        raise typer.Exit(2)


@edition_app.command("list")
@handles_errors
def list_command(as_json: bool = JsonOpt) -> None:
    """Every edition, shipped and yours, with where it lives."""
    where = {e["id"]: e["path"] for e in installed()}
    rows = [{**e, "path": where.get(e["id"])} for e in api.list_editions()]
    if as_json:
        return emit_json({"editions": rows})
    print_table("Editions", (Column("id"), Column("origin"), Column("title"), Column("entities", "n", "entities", numeric=True),
                             Column("data level", "level"), Column("path")),
                [(e["id"], e["origin"], (f"{e['title_zh']}\n{e['title_en']}", e["title_zh"]), str(e["entities"]), e["data_level"],
                  e["path"] if e["origin"] == "user" else "(package)") for e in rows])


@edition_app.command("remove")
@handles_errors
def remove_command(
    edition_id: str = typer.Argument(..., metavar="ID", help="A user edition's id (see `hardtech edition list`)."),
    as_json: bool = JsonOpt,
) -> None:
    """Remove one of your editions (shipped editions stay)."""
    info = remove(edition_id)
    if as_json:
        return emit_json(info)
    _say(f"Removed edition {info['id']} ({info['removed']})")


def register(app: typer.Typer) -> None:
    """Add ``hardtech edition ...`` to the root app."""
    app.add_typer(edition_app, name="edition")
