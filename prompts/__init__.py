"""Prompt templates for the assistant's LLM mode, kept as files so they are reviewed like code.

``{name}`` in a template is a placeholder that :func:`render` fills; any other brace is literal
(the templates show JSON to the model)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def load(name: str) -> str:
    """The text of ``prompts/<name>.md``."""
    return (DIR / f"{name}.md").read_text(encoding="utf-8")


def render(name: str, **values: object) -> str:
    """``prompts/<name>.md`` with each ``{key}`` replaced by ``str(values[key])``."""
    text = load(name)
    for key, value in values.items():
        text = text.replace("{" + key + "}", str(value))
    return text
