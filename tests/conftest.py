from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "vectorstore" / "corpus"


@pytest.fixture(scope="session")
def seed_lines():
    """Lines of a shipped seed report (byte-identical copies of ../shared/seeds)."""
    cache: dict[str, list[str]] = {}

    def lines(source_file: str) -> list[str]:
        if source_file not in cache:
            cache[source_file] = (CORPUS / source_file).read_text(encoding="utf-8").splitlines()
        return cache[source_file]

    return lines
