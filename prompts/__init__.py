"""Prompt templates for the assistant's LLM mode, kept as files so they are reviewed like code."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def load(name: str) -> str:
    """The text of ``prompts/<name>.md``."""
    return (DIR / f"{name}.md").read_text(encoding="utf-8")
