"""``hardtech edition add|check|list|remove``: a user's own editions, as data.

A thin adapter over :mod:`index_core.install`, mounted by :func:`register`. It prints
and fails like the other core commands (:mod:`index_core.cli`), which it imports when a
command runs: that module mounts this one, so importing it at load time would be circular.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Callable

import typer

edition_app = typer.Typer(help="Add, check, list and remove your own editions (a folder: spec.yaml plus data).",
                          no_args_is_help=True)
JsonOpt = typer.Option(False, "--json", help="Print stable JSON instead of text.")


def _handles_errors(fn: Callable) -> Callable:
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from .cli import handles_errors

        return handles_errors(fn)(*args, **kwargs)

    return wrapper


def _say(text: str) -> None:
    from .cli import out

    out.print(text, markup=False, highlight=False, soft_wrap=True)


@edition_app.command("add")
@_handles_errors
def add_command(
    folder: Path = typer.Argument(..., help="Edition folder: spec.yaml plus raw.csv/raw.xlsx or published.csv."),
    as_json: bool = JsonOpt,
) -> None:
    """Validate an edition folder and install it under $HARDTECH_HOME/editions/<id>/."""
    from .cli import emit_json
    from .install import add

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
    from .cli import emit_json, err
    from .errors import Problem
    from .install import check

    report = check(folder)
    if as_json:
        emit_json(report)
    elif report["ok"]:
        _say(f"{folder}: edition {report['id']} is valid")
    else:
        err.print(f"{len(report['problems'])} problem(s) in {folder}:", markup=False, highlight=False)
        for p in report["problems"]:
            err.print(f"  - {Problem(**p)}", markup=False, highlight=False)
    if not report["ok"]:
        raise typer.Exit(2)


@edition_app.command("list")
@_handles_errors
def list_command(as_json: bool = JsonOpt) -> None:
    """Every edition, shipped and yours, with where it lives."""
    from . import api
    from .cli import emit_json, print_table
    from .install import installed

    where = {e["id"]: e["path"] for e in installed()}
    rows = [{**e, "path": where.get(e["id"])} for e in api.list_editions()]
    if as_json:
        return emit_json({"editions": rows})
    print_table("Editions", ("id", "origin", "title", "entities", "data level", "path"),
                ((e["id"], e["origin"], f"{e['title_zh']}\n{e['title_en']}", str(e["entities"]), e["data_level"],
                  e["path"] if e["origin"] == "user" else "(package)") for e in rows))


@edition_app.command("remove")
@_handles_errors
def remove_command(
    edition_id: str = typer.Argument(..., metavar="ID", help="A user edition's id (see `hardtech edition list`)."),
    as_json: bool = JsonOpt,
) -> None:
    """Remove one of your editions (shipped editions stay)."""
    from .cli import emit_json
    from .install import remove

    info = remove(edition_id)
    if as_json:
        return emit_json(info)
    _say(f"Removed edition {info['id']} ({info['removed']})")


def register(app: typer.Typer) -> None:
    """Add ``hardtech edition ...`` to the root app."""
    app.add_typer(edition_app, name="edition")
