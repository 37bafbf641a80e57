"""What an answer says while a part of the service is down.

The answerer treats a failed passage search like an empty one, so with a broken retrieval index
it would say "the reports say nothing about this": untrue. When the answer searched the reports
while the retrieval component is down (its readiness report, cached a few seconds), the answer
says that retrieval is unavailable instead (or adds it, when the answer has other cited
content), and ``warnings`` gives the cause and the fix. The sentences are data: ``notices.yaml``.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Callable, Iterable, Iterator

import yaml

from .deps import ServiceState
from .health import component

SEARCH_TOOLS = ("search_passages",)


@functools.lru_cache(maxsize=1)
def notices() -> dict:
    return yaml.safe_load((Path(__file__).with_name("notices.yaml")).read_text(encoding="utf-8"))


def searched(envelope: dict) -> bool:
    """Did this answer search the reports? (While retrieval is down, every search fails; the
    envelope does not carry tool results, so the retrieval component says whether it was down.)"""
    return any(c.get("name") in SEARCH_TOOLS for c in envelope.get("tool_calls") or ())


def about_retrieval(envelope: dict, status: dict) -> tuple[dict, str | None]:
    """``envelope`` made truthful about a retrieval outage (``status``: the retrieval readiness
    report), and the notice shown to the user; ``(envelope, None)`` when nothing needs saying."""
    if status.get("status") != "error" or not searched(envelope):
        return envelope, None
    text = notices()["retrieval_unavailable"]
    notice = text["answer"]["zh" if envelope.get("language") == "zh" else "en"]
    answer = notice if not envelope.get("citations") else f"{envelope.get('answer') or ''}\n\n{notice}".strip()
    warning = text["warning"].format(error=status.get("error") or "", hint=status.get("hint") or "")
    return {**envelope, "answer": answer, "warnings": [warning, *(envelope.get("warnings") or [])]}, notice


def retrieval_status(state: ServiceState) -> Callable[[], dict]:
    """The retrieval component's readiness report (cached a few seconds), fetched only when needed."""
    return lambda: component(state.readiness, "retrieval")


def truthful(envelope: dict, retrieval_status: Callable[[], dict]) -> tuple[dict, str | None]:
    """:func:`about_retrieval`, asking for the retrieval status only when the answer searched."""
    if not searched(envelope):
        return envelope, None
    return about_retrieval(envelope, retrieval_status())


def truthful_events(events: Iterable[tuple[str, dict]], retrieval_status: Callable[[], dict]) -> Iterator[tuple[str, dict]]:
    """The assistant's events unchanged, unless the answer must be made truthful: then the
    ``verification`` event (held back with what follows it until ``done``, which comes at once)
    says ``replaced``, with the truthful answer and the notice, and ``done`` carries that answer.
    Tokens already sent cannot be taken back; ``verification`` is how the protocol replaces them."""
    held: list[tuple[str, dict]] = []
    for kind, data in events:
        if kind == "done":
            envelope, notice = truthful(data, retrieval_status)
            if notice is not None:
                replaced = {"status": "replaced", "answer": envelope["answer"], "notice": notice}
                if not any(k == "verification" for k, _ in held):
                    held.insert(0, ("verification", replaced))
                held = [(k, replaced if k == "verification" else d) for k, d in held]
            yield from held
            yield kind, envelope
            return
        if held or kind == "verification":
            held.append((kind, data))
        else:
            yield kind, data
    yield from held
