"""The ``hardtech`` command: the product's one entry point.

Each package owns its commands and adds them with ``register(app)``; this module
only mounts them, in the order ``hardtech --help`` lists them, and adds
``hardtech config``. Every package's CLI module imports only typer and rich at
load time, so ``hardtech --help`` stays fast; heavy libraries load when a
command runs.
"""
from __future__ import annotations

import typer

from assistant.cli import register as register_assistant
from assistant.evaluation.cli import register as register_eval
from index_core.cli import register as register_core
from index_core.edition_cli import register as register_editions
from index_core.output import Format, FormatOpt, JsonOpt, chosen, emit_data
from service.cli import register as register_service
from vectorstore.cli import index_app, search_command
from vectorstore.corpus_cli import register as register_corpus

from .settings import SettingsError, describe, get_settings

app = typer.Typer(
    name="hardtech",
    help="Chinese city hard-tech (硬科技) innovation indices: scores, ranks, tiers, explanations, search and Q&A.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
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


register_core(app)
register_editions(app)
# vectorstore.cli exposes its command group and search command rather than a register(app)
app.add_typer(index_app, name="index", help="Build and inspect the passage index.")
app.command("search")(search_command)
register_corpus(app)
register_assistant(app)
register_eval(app)
register_service(app)
app.command("config")(config_command)
