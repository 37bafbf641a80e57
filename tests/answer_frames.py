"""Helpers for the answering tests: build a Frame, answer it, check the verifier."""
from __future__ import annotations


from assistant.offline import answer
from assistant.offline.frame import Frame
from assistant.verify import verify

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
    """The frame the product understands for a question."""
    from assistant.offline.understand import understand

    return understand(question, history or [])


def ask_question(question: str, *turns: tuple[str, str]):
    """Answer a question (with earlier ``(role, content)`` turns) end to end; every number must verify."""
    frame = understood(question, [{"role": r, "content": c} for r, c in turns])
    return ask(**frame.model_dump())


def ask_after(question: str, *turns: str):
    """Answer ``question`` the way the product does (parts and all) after alternating user/assistant
    ``turns``; no number may go unverified."""
    from assistant.offline import answer_question

    history = [{"role": "user" if i % 2 == 0 else "assistant", "content": t} for i, t in enumerate(turns)]
    env = answer_question(question, history)
    assert not [w for w in env.warnings if "unverified" in w], env.warnings
    return env


def first(env) -> str:
    """The answer's first paragraph."""
    return env.answer.split("\n\n")[0]


def tools(env) -> list[str]:
    return [t.name for t in env.tool_calls]
