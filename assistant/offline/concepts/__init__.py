"""Concept knowledge from the source reports, as reviewed data with provenance.

One YAML file per report, ``<report file stem>.yaml`` beside this module (the schema
is in HELPERS.md, "Shared contract: concept data"). Each entry says what a report
says about one thing (a definition, a framework and its parts, an origin story, an
index's method, a journal article, a figure, a claim) in one sentence per language,
with the verbatim ``quote`` it rests on and the file and lines it is printed on.

Readers link user questions to entries by ``names`` and state ``answer`` first, then
quote ``quote`` and cite ``source``. Every number in an answer is in its quote (a
test checks it), so an answer built from an entry never states an unverified number.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from index_core.io import load_yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

__all__ = ["Concept", "ConceptFile", "Names", "Source", "Text", "Kind", "CONCEPTS_DIR", "load_files", "all_concepts"]

CONCEPTS_DIR = Path(__file__).resolve().parent

Kind = Literal["definition", "framework", "origin", "method", "index", "article", "figure", "claim"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Text(_Frozen):
    """The same statement in both languages."""

    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Names(_Frozen):
    """What users call the thing, for linking questions to the entry (several aliases each)."""

    zh: tuple[str, ...] = Field(min_length=1)
    en: tuple[str, ...] = Field(min_length=1)


class Source(_Frozen):
    """Where the quote is printed: a seed file and its first and last line (1-based, inclusive)."""

    file: str = Field(pattern=r"^\d{3}_[0-9a-f]{16}\.txt$")
    lines: tuple[int, int]

    @model_validator(mode="after")
    def _ordered(self) -> "Source":
        first, last = self.lines
        if not 1 <= first <= last:
            raise ValueError(f"lines must be [first, last] with 1 <= first <= last, got {list(self.lines)}")
        return self


class Concept(_Frozen):
    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # unique across all files
    kind: Kind
    names: Names
    edition: str | None = None          # an index edition id when the entry is about one
    answer: Text                        # one sentence; every number in it is in ``quote``
    parts: tuple[Text, ...] = ()        # elements of a framework or list (or an article's key figures), in order
    people: tuple[str, ...] = ()        # people named (origin stories, authors)
    byline: bool = False                # ``people`` wrote the text ``source`` spans (an article's authors)
    dates: tuple[str, ...] = ()         # as printed
    quote: str = Field(min_length=1)    # verbatim; "…" marks an omission between verbatim segments
    source: Source


class ConceptFile(_Frozen):
    report: str = Field(pattern=r"^\d{3}_[0-9a-f]{16}\.txt$")
    title: Text
    concepts: tuple[Concept, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _own_report(self) -> "ConceptFile":
        foreign = [c.id for c in self.concepts if c.source.file != self.report]
        if foreign:
            raise ValueError(f"entries cite another report than {self.report}: {foreign}")
        return self


def load_files(directory: Path | None = None) -> tuple[ConceptFile, ...]:
    """Every concept file in ``directory`` (default: the shipped ones), validated, in file order.

    Raises ``ValueError`` naming the file and what is wrong in it."""
    out = []
    for path in sorted((directory or CONCEPTS_DIR).glob("*.yaml")):
        try:
            out.append(ConceptFile.model_validate(load_yaml(path.read_text(encoding="utf-8"))))
        except (yaml.YAMLError, ValidationError) as exc:
            raise ValueError(f"{path}: {exc}") from None
    return tuple(out)


@lru_cache(maxsize=1)
def all_concepts() -> dict[str, Concept]:
    """All shipped entries by id (ids are unique across files; a duplicate raises ``ValueError``)."""
    found: dict[str, Concept] = {}
    for f in load_files():
        for c in f.concepts:
            if c.id in found:
                raise ValueError(f"duplicate concept id {c.id!r} in {f.report}")
            found[c.id] = c
    return found
