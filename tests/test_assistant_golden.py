"""Offline mode end to end on the golden questions (assistant/golden.yaml).

Each item asserts the answer's language, the planner's intent, the expected numbers
(in the text and in envelope.numbers), the tool calls, a citation overlapping the
expected line range, must/must-not strings, and that every number in the answer
passes the number verifier (offline answers pass by construction).
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml


from assistant import ask  # noqa: E402
from assistant.planner import plan  # noqa: E402
from assistant.verify import extract_claims, verify  # noqa: E402

GOLDEN = Path(__file__).resolve().parent.parent / "assistant" / "golden.yaml"
ITEMS = yaml.safe_load(GOLDEN.read_text(encoding="utf-8"))["items"]


def _history(item):
    out = []
    for h in item.get("history") or []:
        out.append({"role": "user", "content": h} if isinstance(h, str) else h)
    return out


def check_item(item) -> list[str]:
    """Problems with the offline answer to one golden item (empty list = pass). Reusable by the eval suite."""
    problems: list[str] = []
    hist = _history(item)
    env = ask(item["question"], hist)
    p = plan(item["question"], hist)
    if env.language != item["lang"]:
        problems.append(f"language {env.language} != {item['lang']}")
    if p.intent != item["intent"]:
        problems.append(f"intent {p.intent} != {item['intent']}")
    claims = extract_claims(env.answer)
    for exp in item.get("expected_numbers") or []:
        tol = exp.get("tol", 0.005)
        if not any(abs(c.value - exp["value"]) <= tol for c in claims):
            problems.append(f"number {exp['value']} not in answer")
        if not any(abs(n.value - exp["value"]) <= tol for n in env.numbers):
            problems.append(f"number {exp['value']} not in envelope.numbers")
    names = [t.name for t in env.tool_calls]
    for t in item.get("expected_tools") or []:
        if t not in names:
            problems.append(f"tool {t} not called (called {names})")
    if item.get("expected_tools") == [] and names:
        problems.append(f"expected no tool calls, got {names}")
    ec = item.get("expected_citation")
    if ec:
        a, b = ec["lines"]
        if not any(c.source_file == ec["source_file"] and c.lines[0] <= b and a <= c.lines[1] for c in env.citations):
            problems.append(f"no citation overlapping {ec['source_file']} {a}-{b}: {[(c.source_file[:3], c.lines) for c in env.citations]}")
    for s in item.get("must_contain") or []:
        if s not in env.answer:
            problems.append(f"missing {s!r}")
    for s in item.get("must_not_contain") or []:
        if s in env.answer:
            problems.append(f"contains {s!r}")
    rep = verify(env.answer, env.tool_calls, [{"id": c.id, "quote": c.quote, "text": [c.doc_title, c.section]} for c in env.citations])
    if not rep.ok:
        problems.append(f"unverified numbers: {rep.describe()}")
    if any(w.startswith("unverified") for w in env.warnings):
        problems.append(f"warnings: {env.warnings}")
    for n in env.numbers:
        if n.source not in {t.id for t in env.tool_calls} | {c.id for c in env.citations}:
            problems.append(f"number {n.value} has unknown source {n.source}")
    return problems


def test_golden_file_is_well_formed():
    ids = [i["id"] for i in ITEMS]
    assert len(ids) == len(set(ids)), "duplicate ids"
    assert len(ITEMS) >= 80
    assert {i["lang"] for i in ITEMS} == {"zh", "en"}
    intents = {i["intent"] for i in ITEMS}
    for needed in ("value", "rank", "compare", "topn", "why", "how", "definition", "method", "whatif", "trend", "out_of_scope"):
        assert needed in intents, needed
    editions = " ".join(str(i) for i in ITEMS)
    for eid in ("001_", "000_", "004_", "002_"):
        assert eid in editions
    assert any(i.get("history") for i in ITEMS)
    for i in ITEMS:
        assert set(i) <= {"id", "question", "history", "lang", "intent", "expected_numbers", "expected_tools",
                          "expected_citation", "must_contain", "must_not_contain"}, i["id"]


@pytest.mark.parametrize("item", ITEMS, ids=[i["id"] for i in ITEMS])
def test_golden(item):
    problems = check_item(item)
    assert not problems, f"{item['id']}: " + "; ".join(problems)
