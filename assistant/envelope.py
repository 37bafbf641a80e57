"""The answer envelope: what every way of answering returns (offline or LLM mode).

The HTTP service, the CLI, the chat page and the evaluation suite all read this
one shape, so change it only compatibly.
"""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class Number(BaseModel):
    """A number stated in the answer, with where it came from.

    ``source`` is a tool-call id (``t1``) or a citation id (``c1``)."""

    value: float
    unit: str | None = None  # "分" / "points", "名" / "rank", "%", "梯队" / "tier", indicator unit ...
    label: str  # what it is, e.g. "innovation_base score"
    entity: str | None = None
    edition: str | None = None
    dimension: str | None = None
    source: str


class Citation(BaseModel):
    """A quoted passage: the report's own file and 1-based line range."""

    id: str  # "c1", "c2", ... referenced in the answer as [1], [2]
    source_file: str
    lines: tuple[int, int]
    doc_title: str
    section: str | None = None
    quote: str


class ToolCall(BaseModel):
    id: str  # "t1", "t2", ...
    name: str
    args: dict[str, Any] = Field(default_factory=dict)
    result: Any = Field(default=None, exclude=True)  # kept in process for the verifier; not serialised


class Envelope(BaseModel):
    answer: str  # markdown
    language: Literal["zh", "en"]
    mode: Literal["offline", "llm"]
    numbers: list[Number] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    tool_calls: list[ToolCall] = Field(default_factory=list)
    chart: dict[str, Any] | None = None  # {"type": "bar"|"radar"|"ranking"|"compare", "title": ..., "labels": [...], "series": [{"name", "values"}]}
    warnings: list[str] = Field(default_factory=list)
    # How the question was understood and answered (offline frames): {"frame": the frame's summary,
    # "route": the handler that answered, "fallback": {"from", "to", "reason"} or None}. None in agent mode.
    frame: dict[str, Any] | None = None
