"""Errors raised by :mod:`vectorstore`.

They subclass ``index_core.errors.HardtechError`` (one base for the product, rendered
with its hint and suggestions by the CLI and the API). Every message says what to do
next (which command rebuilds, which URL failed, which names are close to an unknown one).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from index_core.errors import HardtechError


class VectorStoreError(HardtechError):
    """Base class of every error raised by the retrieval layer."""

    code = "vectorstore_error"

    def __init__(self, message: str, *, hint: str | None = None, suggestions: Iterable[str] = ()):
        super().__init__(message, hint=hint, suggestions=list(suggestions))


class InvalidQueryError(VectorStoreError, ValueError):
    """The query is empty or longer than ``HARDTECH_MAX_QUESTION_CHARS``."""


class UnknownFilterError(VectorStoreError, ValueError):
    """A filter (edition, entity, document) names something that does not exist."""

    code = "unknown_filter"

    def __init__(self, kind: str, value: str, choices: Iterable[str]):
        self.kind = kind
        self.value = value
        super().__init__(f"Unknown {kind} {value!r}", suggestions=suggest(value, choices))


class UnknownEditionError(UnknownFilterError):
    def __init__(self, value: str, choices: Iterable[str]):
        super().__init__("edition", value, choices)


class UnknownEntityFilterError(UnknownFilterError):
    def __init__(self, value: str, choices: Iterable[str]):
        super().__init__("entity", value, choices)


class UnknownDocumentError(UnknownFilterError):
    def __init__(self, value: str, choices: Iterable[str]):
        super().__init__("document", value, choices)


REBUILD_HINT = "Rebuild it with: hardtech index build --force"


class IndexMissingError(VectorStoreError):
    """No index exists at the expected place (and it could not be built)."""

    def __init__(self, path: str, detail: str = ""):
        self.path = path
        msg = f"No retrieval index at {path}."
        if detail:
            msg += f" {detail}"
        super().__init__(msg, hint="Build it with: hardtech index build")


class IndexCorruptError(VectorStoreError):
    """The index exists but cannot be read or is inconsistent."""

    def __init__(self, path: str, detail: str = ""):
        self.path = path
        super().__init__(f"The retrieval index at {path} is corrupt or incomplete ({detail}).", hint=REBUILD_HINT)


class ChromaUnreachableError(VectorStoreError):
    """The Chroma server named by HARDTECH_CHROMA_URL did not answer."""

    def __init__(self, url: str, detail: str = ""):
        self.url = url
        super().__init__(
            f"Cannot reach the Chroma server at {url} ({detail}).",
            hint="Start it (e.g. `chroma run --path DIR`) or unset HARDTECH_CHROMA_URL to use the local index.",
        )


class EmbeddingBackendError(VectorStoreError):
    """An embedding backend spec is unknown or its model cannot be loaded offline."""


def suggest(value: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """Close matches for ``value`` among ``choices`` (case-insensitive)."""
    choices = list(dict.fromkeys(c for c in choices if c))
    lower = {c.lower(): c for c in choices}
    hits = difflib.get_close_matches(value.lower(), list(lower), n=n, cutoff=0.5)
    out = [lower[h] for h in hits]
    if not out:  # substring fallback, useful for short CJK names
        out = [c for c in choices if value and (value in c or c in value)][:n]
    return out


__all__ = [
    "VectorStoreError",
    "InvalidQueryError",
    "UnknownFilterError",
    "UnknownEditionError",
    "UnknownEntityFilterError",
    "UnknownDocumentError",
    "IndexMissingError",
    "IndexCorruptError",
    "ChromaUnreachableError",
    "EmbeddingBackendError",
    "suggest",
]
