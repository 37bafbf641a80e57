"""Helpers for the answering tests: build a Frame, answer it, check the verifier."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.offline import answer
from assistant.offline.answers import concepts
from assistant.offline.frame import Frame
from assistant.verify import verify

FIXTURE_CONCEPTS = Path(__file__).resolve().parent / "fixtures" / "concepts"


@pytest.fixture
def concept_data_or_fixture(monkeypatch):
    """Until the concepts helper's data lands in assistant/offline/concepts/, read the test fixture
    (same format, verbatim quotes)."""
    if not any(concepts.CONCEPTS_DIR.glob("*.yaml")):
        monkeypatch.setattr(concepts, "CONCEPTS_DIR", FIXTURE_CONCEPTS)


def ask(**slots):
    """Answer a frame given as keyword slots (question/language default); every number must verify."""
    slots.setdefault("question", "(test frame)")
    slots.setdefault("language", "en")
    env = answer(Frame.model_validate(slots))
    cites = [{"id": c.id, "quote": c.quote, "text": [c.doc_title, c.section]} for c in env.citations]
    rep = verify(env.answer, env.tool_calls, cites)
    assert rep.ok, f"unverified numbers: {rep.describe()}\n{env.answer}"
    assert not [w for w in env.warnings if w.startswith("unverified")]
    sources = {t.id for t in env.tool_calls} | {c.id for c in env.citations}
    assert all(n.source in sources for n in env.numbers)
    return env


def understood(question: str, history: list[dict] | None = None) -> Frame:
    """The frame for a question: ``assistant.offline.understand`` once it lands, until then the
    TEMPORARY bridge from the old planner (tests/temporary_plan_bridge.py)."""
    try:
        from assistant.offline.understand import understand
    except ImportError:
        from tests.temporary_plan_bridge import frame_from_plan as understand
    return understand(question, history or [])


def ask_question(question: str, *turns: tuple[str, str]):
    """Answer a question (with earlier ``(role, content)`` turns) end to end; every number must verify."""
    frame = understood(question, [{"role": r, "content": c} for r, c in turns])
    return ask(**frame.model_dump())


def first(env) -> str:
    """The answer's first paragraph."""
    return env.answer.split("\n\n")[0]


def tools(env) -> list[str]:
    return [t.name for t in env.tool_calls]
