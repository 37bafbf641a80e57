"""Request bodies and path parameters, and the question limits every route that takes a question applies."""
from __future__ import annotations

import functools
from typing import Any, Literal, Optional

from fastapi import Path as PathParam
from pydantic import BaseModel, ConfigDict, Field

from hardtech.settings import Settings
from index_core import api
from index_core.inputs import DRAWS, MAX_WEIGHT

from .errors import ServiceError

EditionId = PathParam(..., description="Edition id (GET /api/v1/editions lists them).", max_length=100)
EntityName = PathParam(..., description="Any name or alias: 深圳, Shenzhen, shenzhen ...", max_length=100)


@functools.lru_cache(maxsize=1)
def example_edition() -> dict:
    """The first shipped edition with dimension scores, for the OpenAPI examples (data, not a literal)."""
    editions = api.list_editions()
    return next((e for e in editions if e["data_level"] == "dimension"), editions[0])


def _examples(make):
    """A ``json_schema_extra`` that fills ``examples`` when the schema is rendered (not at import)."""
    def extra(schema: dict[str, Any], model: type) -> None:
        schema["examples"] = [make(example_edition())]
    return extra


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Literal["user", "assistant"]
    content: str = Field(..., description="Cut to HARDTECH_MAX_HISTORY_CHARS characters.")


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"question": "why is Shenzhen weak on innovation base?", "history": []}]})
    question: str = Field(..., min_length=1, description="The question (limit: HARDTECH_MAX_QUESTION_CHARS characters).")
    history: list[Turn] = Field(default_factory=list, description="Earlier turns, oldest first (limit: HARDTECH_MAX_HISTORY).")


class WhatIfRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra=_examples(
        lambda e: {"edition": e["id"], "weights": {d: 1 for d in e["dimensions"]}}))
    edition: str = Field(..., max_length=100)
    weights: dict[str, float] = Field(..., min_length=1, max_length=50, description=(
        f"Dimension key (or Chinese name) -> weight in [0, {MAX_WEIGHT:g}], not all 0; normalised to sum 1."))


class SensitivityRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra=_examples(
        lambda e: {"edition": e["id"], "draws": 1000, "seed": 7}))
    edition: str = Field(..., max_length=100)
    # Bounds are checked by index_core.inputs (the CLI's checks too); the schema documents them.
    draws: int = Field(1000, description=f"Monte Carlo draws, {DRAWS.low} to {DRAWS.high}.",
                       json_schema_extra={"minimum": DRAWS.low, "maximum": DRAWS.high})
    spread: float = Field(0.25, description="Each weight is multiplied by U(1-spread, 1+spread); 0 <= spread < 1.",
                          json_schema_extra={"minimum": 0, "exclusiveMaximum": 1})
    seed: int = Field(0, ge=0, le=2**32 - 1)


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rating: Literal["up", "down"]
    comment: Optional[str] = Field(None, max_length=2000)
    question: Optional[str] = Field(None, max_length=4000)
    answer: Optional[str] = Field(None, max_length=20000)
    message_id: Optional[str] = Field(None, max_length=100)


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        """The message's text; of a list of parts, the text parts joined."""
        if isinstance(self.content, list):
            return "".join(str(p.get("text", "")) for p in self.content if p.get("type") in ("text", "input_text"))
        return self.content or ""


class ChatCompletionRequest(BaseModel):
    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [{
        "model": "hardtech", "messages": [{"role": "user", "content": "2020年第二梯队有哪些城市？"}], "stream": False}]})
    model: str = Field("hardtech", max_length=200)
    messages: list[ChatMessage] = Field(..., min_length=1, max_length=500)
    stream: bool = False


def check_question(settings: Settings, question: str, history: list[Turn], *, trim: bool = False) -> list[dict]:
    """Apply the question limits; the history as the assistant takes it (each turn cut to
    ``max_history_chars``). With ``trim``, too long a history keeps its latest turns instead of failing."""
    if not question.strip():
        raise ServiceError(422, "invalid_request", "The question is empty", hint="Ask something, e.g. “2020年第二梯队有哪些城市？”")
    if len(question) > settings.max_question_chars:
        raise ServiceError(422, "question_too_long",
                           f"The question has {len(question)} characters; the limit is {settings.max_question_chars}",
                           hint="Shorten the question (limit: HARDTECH_MAX_QUESTION_CHARS).")
    turns = [{"role": t.role, "content": t.content[: settings.max_history_chars]} for t in history]
    if len(turns) > settings.max_history:
        if not trim:
            raise ServiceError(422, "history_too_long", f"The history has {len(turns)} turns; the limit is {settings.max_history}",
                               hint="Send only the most recent turns (limit: HARDTECH_MAX_HISTORY).")
        turns = turns[-settings.max_history:]
    return turns
