"""``python -m service serve ...``: the same command as ``hardtech serve``."""
import typer

from .cli import register

app = typer.Typer(add_completion=False, no_args_is_help=True)
register(app)


@app.callback()
def _root() -> None:
    """hardtech service."""


if __name__ == "__main__":
    app()
