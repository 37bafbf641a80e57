"""The ``hardtech`` command: the product's one entry point.

Each package owns its commands and adds them with ``register(app)``; this module only
mounts them, and adds ``hardtech config``. Mounting is lazy: ``hardtech ask`` imports the
assistant's command module and nothing else (not the core's, the service's, the LLM's or
the evaluation's, whose imports cost up to a second), because the group resolves a command
name through :data:`MOUNTS` before it imports anything. ``hardtech --help`` mounts them all,
in the order of :data:`MOUNTS`.
"""
from __future__ import annotations

import importlib

import typer
from typer.core import TyperGroup
from typer.main import get_group

from index_core.output import Format, FormatOpt, JsonOpt, chosen, emit_data

from .settings import SettingsError, describe, get_settings

#: command (or command group) -> "module:function" whose ``function(app)`` adds it, in the order
#: ``hardtech --help`` lists them. A module registering several names is imported once.
MOUNTS: dict[str, str] = {
    **dict.fromkeys(("editions", "scores", "rank", "explain", "tiers", "whatif", "sensitivity", "crossover", "facts", "method",
                     "compute", "check"), "index_core.cli:register"),
    "edition": "index_core.edition_cli:register",
    "index": "hardtech.cli:register_vectorstore",
    "search": "hardtech.cli:register_vectorstore",
    "corpus": "vectorstore.corpus_cli:register",
    "ask": "assistant.cli:register",
    "chat": "assistant.cli:register",
    "llm": "assistant.llm.cli:register",
    "eval": "assistant.evaluation.cli:register",
    "serve": "service.cli:register",
}


def register_vectorstore(app: typer.Typer) -> None:
    """vectorstore.cli exposes its command group and search command rather than a register(app)."""
    from vectorstore.cli import index_app, search_command

    app.add_typer(index_app, name="index", help="Build and inspect the passage index.")
    app.command("search")(search_command)


class LazyGroup(TyperGroup):
    """The root group: a command's module is imported when the command is looked up."""

    def _mount(self, target: str) -> None:
        mounted: set[str] = self.__dict__.setdefault("_mounted", set())
        if target in mounted:
            return
        mounted.add(target)
        module, function = target.split(":")
        sub = typer.Typer()
        getattr(importlib.import_module(module), function)(sub)
        self.commands.update(get_group(sub).commands)

    def get_command(self, ctx, cmd_name: str):
        if cmd_name not in self.commands and cmd_name in MOUNTS:
            self._mount(MOUNTS[cmd_name])
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx) -> list[str]:
        for target in dict.fromkeys(MOUNTS.values()):
            self._mount(target)
        names = list(MOUNTS) + [n for n in self.commands if n not in MOUNTS]
        return [n for n in names if n in self.commands]


app = typer.Typer(
    name="hardtech",
    help="Chinese city hard-tech (硬科技) innovation indices: scores, ranks, tiers, explanations, search and Q&A.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=LazyGroup,
)


@app.callback()
def _check_settings() -> None:
    """Read the settings before any command runs, so a bad HARDTECH_* value is one clear error."""
    try:
        get_settings()
    except SettingsError as exc:
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(2) from None


def config_command(fmt: Format = FormatOpt, as_json: bool = JsonOpt) -> None:
    """Every setting: its value (secrets masked), its environment variable and what it does."""
    rows = describe(get_settings())
    if emit_data({"settings": rows}, chosen(fmt, as_json), rows):
        return
    for r in rows:
        value = r["value"]
        shown = "(unset)" if value in (None, []) else ",".join(value) if isinstance(value, list) else str(value)
        typer.echo(f"{r['env']} = {shown}{'' if value != r['default'] else '  (default)'}\n    {r['description']}")


app.command("config")(config_command)
