"""``hardtech ask`` and ``hardtech chat``: the assistant on the command line."""
from __future__ import annotations

import json
import sys
from typing import List, Optional

import typer
from rich.console import Console
from rich.markdown import Markdown

from index_core.errors import HardtechError


def _print_envelope(console: Console, env, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps(env.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n")
        return
    body, _, _ = env.answer.partition("\n\n**Sources**") if "**Sources**" in env.answer else env.answer.partition("\n\n**来源**")
    console.print(Markdown(body))
    if env.citations:
        console.print()
        console.print("[bold]Sources[/]" if env.language == "en" else "[bold]来源[/]")
        for c in env.citations:
            console.print(f"[{c.id[1:]}] {c.doc_title} · {c.source_file}, lines {c.lines[0]}–{c.lines[1]}", markup=False, highlight=False)
    for w in env.warnings:
        console.print(f"[yellow]note:[/] {w}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``ask``, ``chat`` and ``llm check`` to the root ``hardtech`` CLI."""
    from .llm.cli import register as register_llm

    register_llm(app)

    @app.command("ask")
    def ask_command(
        question: str = typer.Argument(..., help="The question, in Chinese or English."),
        history: Optional[List[str]] = typer.Option(None, "--history", help="An earlier user turn (repeatable, oldest first)."),
        as_json: bool = typer.Option(False, "--json", help="Print the answer envelope as JSON."),
        llm: Optional[str] = typer.Option(None, "--llm", help="Use a model, e.g. openai:qwen2.5-7b-instruct or ollama:qwen2.5 (default: offline, or $HARDTECH_LLM)."),
    ) -> None:
        """Answer a question about the indices, with citations."""
        from . import ask

        hist = [{"role": "user", "content": h} for h in (history or [])]
        try:
            env = ask(question, hist, llm=llm)
        except HardtechError as exc:
            if as_json:
                sys.stdout.write(json.dumps({"error": exc.to_dict()}, ensure_ascii=False, indent=2) + "\n")
            else:
                Console(stderr=True).print(f"[bold red]Error:[/] {exc}", highlight=False)
            raise typer.Exit(2) from None
        _print_envelope(Console(), env, as_json)

    @app.command("chat")
    def chat_command(
        llm: Optional[str] = typer.Option(None, "--llm", help="Use a model (default: offline, or $HARDTECH_LLM)."),
    ) -> None:
        """Interactive chat that keeps the conversation. Commands: /sources, /json, /reset, /quit."""
        from . import ask

        console = Console()
        interactive = sys.stdin.isatty()
        if interactive:
            console.print("hardtech chat · ask about scores, ranks, tiers, methods (Chinese or English). /sources /json /reset /quit")
        history: list[dict] = []
        last = None
        while True:
            try:
                line = input("> " if interactive else "")
            except (EOFError, KeyboardInterrupt):
                break
            q = line.strip()
            if not q:
                continue
            if q in ("/quit", "/exit"):
                break
            if q == "/reset":
                history, last = [], None
                continue
            if q == "/sources":
                if last is None or not last.citations:
                    console.print("(no sources yet)")
                for c in (last.citations if last else []):
                    console.print(f"[{c.id[1:]}] {c.source_file}, lines {c.lines[0]}–{c.lines[1]}: {c.quote}", markup=False, highlight=False)
                continue
            if q == "/json":
                if last is None:
                    console.print("(no answer yet)")
                else:
                    sys.stdout.write(json.dumps(last.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n")
                continue
            try:
                last = ask(q, history, llm=llm)
            except HardtechError as exc:
                console.print(f"[bold red]Error:[/] {exc}", highlight=False)
                continue
            _print_envelope(console, last, False)
            history += [{"role": "user", "content": q}, {"role": "assistant", "content": last.answer}]
