"""The one place the service touches the assistant (and, through its retrieval adapter, the reports).

Routes call a :class:`Backend`; tests swap in another one with ``create_app(backend=...)``.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Iterator, Protocol

import assistant
from assistant import retrieval
from hardtech.settings import get_settings


class Backend(Protocol):
    def ask(self, question: str, history: list[dict] | None) -> dict: ...
    def ask_stream(self, question: str, history: list[dict] | None) -> Iterator[tuple[str, dict]]: ...
    def search(self, query: str, k: int, edition: str | None, entity: str | None) -> dict: ...
    def passage(self, source_file: str, first: int, last: int, context: int) -> dict: ...

    def deterministic(self) -> bool:
        """True when the same question and history always get the same answer (offline mode),
        so the service may remember answers."""
        ...


def to_jsonable(obj: Any) -> Any:
    """Pydantic models, dataclasses, tuples and numpy scalars to plain JSON data."""
    if hasattr(obj, "model_dump"):
        return obj.model_dump(mode="json")
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {k: to_jsonable(v) for k, v in dataclasses.asdict(obj).items()}
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if hasattr(obj, "item") and callable(obj.item):  # a numpy scalar
        return obj.item()
    return obj


class RealBackend:
    """:func:`assistant.ask` / :func:`assistant.ask_stream`, and search and passages through
    :mod:`assistant.retrieval`."""

    def __init__(self, llm: str | None = None):
        self.llm = llm  # None: whatever the settings say (HARDTECH_LLM), as assistant.ask does

    def deterministic(self) -> bool:
        """Offline answers (no LLM configured, here or in the settings) depend only on the question,
        the history and the data. With an LLM configured even its offline fallbacks are not
        remembered: the next call may reach the model."""
        return not (self.llm or get_settings().llm)

    def ask(self, question: str, history: list[dict] | None) -> dict:
        return to_jsonable(assistant.ask(question, history=history, llm=self.llm))

    def ask_stream(self, question: str, history: list[dict] | None) -> Iterator[tuple[str, dict]]:
        for kind, data in assistant.ask_stream(question, history=history, llm=self.llm):
            yield kind, to_jsonable(data)

    def search(self, query: str, k: int, edition: str | None, entity: str | None) -> dict:
        results = retrieval.search_results(query, k=k, edition=edition, entity=entity)
        return {"query": query, "k": k, "edition": edition, "city": entity, "results": results}

    def passage(self, source_file: str, first: int, last: int, context: int) -> dict:
        return to_jsonable(retrieval.get_passage(source_file, first, last, context=context))
