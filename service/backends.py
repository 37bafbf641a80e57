"""The one place the service touches the assistant and the retrieval layer.

Both are imported lazily, inside the calls, so the service starts (and the
portal API works) even when they are missing or broken; their endpoints then
answer 503 ``unavailable``. Tests swap in another backend with
``create_app(backend=...)``.
"""
from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import os
from typing import Any, Iterator, Protocol

from .errors import ServiceError


class Backend(Protocol):
    def ask(self, question: str, history: list[dict] | None) -> dict: ...
    def ask_stream(self, question: str, history: list[dict] | None) -> Iterator[tuple[str, dict]]: ...
    def search(self, query: str, k: int, edition: str | None, entity: str | None) -> dict: ...
    def passage(self, source_file: str, first: int, last: int, context: int) -> dict: ...
    def status(self) -> dict: ...
    # Optional: ``deterministic() -> bool``: the same question and history always get the same
    # answer (offline mode), so the service may remember answers. Missing means no.


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
    if hasattr(obj, "item") and callable(obj.item):  # numpy scalar
        try:
            return obj.item()
        except Exception:
            return str(obj)
    return obj


def _unavailable(what: str, exc: BaseException) -> ServiceError:
    return ServiceError(
        503, "unavailable", f"The {what} is not available on this server",
        hint=f"{type(exc).__name__}: install or build it (e.g. `hardtech index build` for retrieval).",
    )


class RealBackend:
    """Calls ``assistant.ask``/``ask_stream`` and ``vectorstore.search``/``get_passage``."""

    def __init__(self, llm: str | None = None):
        self.llm = llm

    def deterministic(self) -> bool:
        """Offline answers (no LLM configured) depend only on the question, the history and the data."""
        return not (self.llm or os.environ.get("HARDTECH_LLM", "").strip())

    # --------------------------------------------------------------- assistant
    def _assistant(self):
        try:
            mod = importlib.import_module("assistant")
            getattr(mod, "ask")
            return mod
        except Exception as exc:  # noqa: BLE001 - report, never crash the service
            raise _unavailable("assistant", exc) from None

    def ask(self, question: str, history: list[dict] | None) -> dict:
        env = self._assistant().ask(question, history=history, llm=self.llm)
        return to_jsonable(env)

    def ask_stream(self, question: str, history: list[dict] | None) -> Iterator[tuple[str, dict]]:
        mod = self._assistant()
        stream = getattr(mod, "ask_stream", None)
        if stream is None:  # degrade: one answer, replayed as events
            env = to_jsonable(mod.ask(question, history=history, llm=self.llm))
            yield from envelope_events(env)
            return
        for kind, data in stream(question, history=history, llm=self.llm):
            yield kind, to_jsonable(data)

    # --------------------------------------------------------------- retrieval
    def _vectorstore(self):
        try:
            return importlib.import_module("vectorstore")
        except Exception as exc:  # noqa: BLE001
            raise _unavailable("retrieval layer", exc) from None

    def search(self, query: str, k: int, edition: str | None, entity: str | None) -> dict:
        vs = self._vectorstore()
        fn = getattr(vs, "search", None)
        if fn is None:
            try:
                fn = importlib.import_module("vectorstore.search").search
            except Exception as exc:  # noqa: BLE001
                raise _unavailable("retrieval layer", exc) from None
        res = fn(query, k=k, edition=edition, entity=entity)
        items = getattr(res, "results", res)
        out = {"query": query, "k": k, "edition": edition, "city": entity, "results": [to_jsonable(r) for r in items]}
        for extra in ("expanded", "warnings", "backend"):
            if hasattr(res, extra):
                out[extra] = to_jsonable(getattr(res, extra))
        return out

    def passage(self, source_file: str, first: int, last: int, context: int) -> dict:
        vs = self._vectorstore()
        fn = getattr(vs, "get_passage", None)
        if fn is None:
            try:
                fn = importlib.import_module("vectorstore.corpus").get_passage
            except Exception as exc:  # noqa: BLE001
                raise _unavailable("passage store", exc) from None
        return to_jsonable(fn(source_file, first, last, context=context))

    def status(self) -> dict:
        out = {}
        try:
            mod = importlib.import_module("assistant")
            out["assistant"] = "ok" if hasattr(mod, "ask") else "missing: assistant.ask not defined"
        except Exception as exc:  # noqa: BLE001
            out["assistant"] = f"unavailable: {type(exc).__name__}"
        try:
            vs = importlib.import_module("vectorstore")
            has = hasattr(vs, "search") or importlib.util.find_spec("vectorstore.search") is not None
            out["retrieval"] = "ok" if has else "missing: vectorstore.search not defined"
        except Exception as exc:  # noqa: BLE001
            out["retrieval"] = f"unavailable: {type(exc).__name__}"
        return out


def envelope_events(env: dict) -> Iterator[tuple[str, dict]]:
    """Replay a finished envelope as the typed events of ``ask_stream``."""
    for call in env.get("tool_calls") or []:
        yield "tool", {"id": call.get("id"), "name": call.get("name"), "args": call.get("args", {})}
    text = env.get("answer") or ""
    step = 24
    for i in range(0, len(text), step):
        yield "token", {"text": text[i:i + step]}
    for c in env.get("citations") or []:
        yield "citation", c
    if env.get("chart"):
        yield "chart", env["chart"]
    yield "done", env
