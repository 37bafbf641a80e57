"""``hardtech llm check``: a thin skin over :func:`assistant.llm.check.check`."""
from __future__ import annotations

import json
import sys
from typing import Optional

import typer
from rich.console import Console

_MARK = {True: "[green]✓[/]", False: "[red]✗[/]", None: "[dim]-[/]"}


def register(app: typer.Typer) -> None:
    """Add the ``llm`` command group to the root ``hardtech`` CLI."""
    group = typer.Typer(help="The optional language model (HARDTECH_LLM).", no_args_is_help=True)

    @group.command("check")
    def check_command(
        llm: Optional[str] = typer.Option(None, "--llm", help="Check this model instead of $HARDTECH_LLM, e.g. ollama:qwen2.5:7b."),
        as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    ) -> None:
        """Check the model endpoint: it answers, serves the model, makes a tool call, returns structured output.
        Exit status 0 when everything works, 1 otherwise."""
        from .check import check

        report = check(llm)
        if as_json:
            sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
        else:
            console = Console()
            for c in report["checks"]:
                console.print(f"{_MARK[c['ok']]} [bold]{c['name']}[/]: ", end="")
                console.print(c["detail"], markup=False, highlight=False)
                if c["fix"]:
                    console.print("    fix: " if c["ok"] is False else "    note: ", end="", style="yellow")
                    console.print(c["fix"], markup=False, highlight=False)
            console.print("[green]The model is ready.[/]" if report["ok"] else "[red]The model is not usable; answers stay offline.[/]")
        raise typer.Exit(0 if report["ok"] else 1)

    app.add_typer(group, name="llm")
