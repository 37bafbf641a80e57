"""``hardtech corpus add|list|remove``: a user's own reports, searchable and citable by line.

Mounted by :func:`register`. Adding or removing a document brings the index up to
date at once; only the new document's chunks are embedded.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

corpus_app = typer.Typer(help="Add, list and remove your own reports (.txt, .md, .pdf, .docx).", no_args_is_help=True)
JsonOpt = typer.Option(False, "--json", help="Print stable JSON instead of text.")


def _run(fn, as_json: bool, done: str | None = None):
    """Call ``fn``; a product error becomes a clear message (or JSON) and exit status 2.

    ``done`` says what already happened when ``fn`` fails (the document is stored, the index is not)."""
    from index_core.errors import HardtechError

    try:
        return fn()
    except HardtechError as exc:
        if as_json:
            typer.echo(json.dumps({"error": exc.to_dict(), "done": done}, ensure_ascii=False, indent=2))
        else:
            typer.echo((f"{done}\n" if done else "") + f"Error: {exc}", err=True)
        raise typer.Exit(2) from None


def _reindex() -> dict:
    from .store import build_index

    return build_index()


@corpus_app.command("add")
def add_command(
    file: Path = typer.Argument(..., help="A .txt, .md, .pdf (with a text layer) or .docx file."),
    edition: Optional[list[str]] = typer.Option(None, "--edition", "-e", help="Tie it to an edition (repeatable); see `hardtech editions`."),
    title: Optional[str] = typer.Option(None, "--title", help="Title to cite it by (default: its metadata, first heading or file name)."),
    as_json: bool = JsonOpt,
) -> None:
    """Store a document's text under $HARDTECH_HOME/corpus/ and index it."""
    from .user_corpus import add, text_path

    entry = _run(lambda: add(file, editions=edition or (), title=title), as_json)
    index = _run(_reindex, as_json, done=f"Stored {entry['id']}, but could not index it; `hardtech index build` retries.")
    if as_json:
        typer.echo(json.dumps({"document": entry, "index": index}, ensure_ascii=False, indent=2))
        return
    typer.echo(f"Added {entry['id']}: {entry['title_zh']} ({entry['kind']}, {entry['lines']} lines, "
               f"{len(entry['sections'])} sections) -> {text_path(entry['source_file'])}")
    if entry["editions"]:
        typer.echo(f"Tied to edition(s): {', '.join(entry['editions'])}")
    typer.echo(f"Index: {index['embedded']} chunks embedded, {index['reused']} reused ({index['count']} in all)")


@corpus_app.command("list")
def list_command(as_json: bool = JsonOpt) -> None:
    """Every document, the bundled reports and yours."""
    from .user_corpus import listing

    docs = listing()
    if as_json:
        typer.echo(json.dumps({"documents": docs}, ensure_ascii=False, indent=2))
        return
    for d in docs:
        eds = f" [{', '.join(d['editions'])}]" if d["editions"] else ""
        typer.echo(f"{d['id']:<28} {d['origin']:<8} {d['title']}{eds}\n{'':<37} {d['path']}")


@corpus_app.command("remove")
def remove_command(
    key: str = typer.Argument(..., metavar="ID", help="A document id from `hardtech corpus list` (yours only)."),
    as_json: bool = JsonOpt,
) -> None:
    """Remove one of your documents and drop its passages from the index."""
    from .user_corpus import remove

    entry = _run(lambda: remove(key), as_json)
    index = _run(_reindex, as_json, done=f"Removed {entry['id']}, but the index still holds it; `hardtech index build` retries.")
    if as_json:
        typer.echo(json.dumps({"removed": entry["id"], "index": index}, ensure_ascii=False, indent=2))
        return
    typer.echo(f"Removed {entry['id']} ({entry['original_file']}); the index now holds {index['count']} chunks")


def register(app: typer.Typer) -> None:
    """Add ``hardtech corpus ...`` to the root app."""
    app.add_typer(corpus_app, name="corpus")
