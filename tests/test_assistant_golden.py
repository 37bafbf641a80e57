"""The dev golden set (assistant/golden.yaml and assistant/golden.d/*.yaml) end to end through the offline answerer:
question (+ history) -> frame -> handler -> envelope.

Each item asserts the answer's language, the expected numbers (in the text and in
envelope.numbers), the tool calls, a citation overlapping the expected line range,
must/must-not strings (a list inside must_contain = any of), that every number passes
the verifier and has a known source, and, for items that give one, the route taken.

Items that carry a ``frame:`` also state how the question must be understood: every slot
they list must come out of ``understand`` as written.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assistant.offline import answer_question
from assistant.offline.frame import OPERATIONS
from assistant.verify import extract_claims, verify
from tests.answer_frames import understood

ASSISTANT = Path(__file__).resolve().parent.parent / "assistant"
GOLDEN_FILES = [ASSISTANT / "golden.yaml", *sorted((ASSISTANT / "golden.d").glob("*.yaml"))]
ITEMS = [item for path in GOLDEN_FILES for item in yaml.safe_load(path.read_text(encoding="utf-8"))["items"]]


def _history(item):
    return [{"role": "user", "content": h} if isinstance(h, str) else h for h in item.get("history") or []]


def envelope(item):
    """The product's offline path: understanding, the parts of a question in several, answering."""
    return answer_question(item["question"], _history(item))


def check_item(item) -> list[str]:
    """Problems with the offline answer to one golden item (empty list = pass)."""
    return problems_with(item, envelope(item))


def problems_with(item, env) -> list[str]:
    """Problems with envelope ``env`` as the answer to golden item ``item``."""
    problems: list[str] = []
    if env.language != item["lang"]:
        problems.append(f"language {env.language} != {item['lang']}")
    route = (env.frame or {}).get("route")
    if item.get("route") and route != item["route"]:
        problems.append(f"route {route} != {item['route']}")
    claims = extract_claims(env.answer)
    for exp in item.get("expected_numbers") or []:
        tol = exp.get("tol", 0.005)
        if not any(abs(c.value - exp["value"]) <= tol for c in claims):
            problems.append(f"number {exp['value']} not in answer")
        if not any(abs(n.value - exp["value"]) <= tol for n in env.numbers):
            problems.append(f"number {exp['value']} not in envelope.numbers")
    names = [t.name for t in env.tool_calls]
    problems += [f"tool {t} not called (called {names})" for t in item.get("expected_tools") or []
                 if not set(t.split("|")) & set(names)]  # "a|b": either
    if item.get("expected_tools") == [] and names:
        problems.append(f"expected no tool calls, got {names}")
    ec = item.get("expected_citation")
    if ec:
        a, b = ec["lines"]
        if not any(c.source_file == ec["source_file"] and c.lines[0] <= b and a <= c.lines[1] for c in env.citations):
            problems.append(f"no citation overlapping {ec['source_file']} {a}-{b}: {[(c.source_file[:3], c.lines) for c in env.citations]}")
    for s in item.get("must_contain") or []:
        alternatives = s if isinstance(s, list) else [s]
        if not any(a in env.answer for a in alternatives):
            problems.append(f"missing {s!r}")
    problems += [f"contains {s!r}" for s in item.get("must_not_contain") or [] if s in env.answer]
    rep = verify(env.answer, env.tool_calls, [{"id": c.id, "quote": c.quote, "text": [c.doc_title, c.section]} for c in env.citations])
    if not rep.ok:
        problems.append(f"unverified numbers: {rep.describe()}")
    problems += [f"warning: {w}" for w in env.warnings if w.startswith("unverified")]
    sources = {t.id for t in env.tool_calls} | {c.id for c in env.citations}
    problems += [f"number {n.value} has unknown source {n.source}" for n in env.numbers if n.source not in sources]
    return problems


def test_golden_file_is_well_formed():
    ids = [i["id"] for i in ITEMS]
    assert len(ids) == len(set(ids)), "duplicate ids"
    assert len(ITEMS) >= 100
    assert {i["lang"] for i in ITEMS} == {"zh", "en"}
    framed = {i["frame"]["operation"] for i in ITEMS if i.get("frame", {}).get("operation")}
    for needed in ("gap", "count", "leader", "compare", "why", "lookup", "concept", "unanswerable"):
        assert needed in framed, needed
    assert framed <= set(OPERATIONS)
    text = " ".join(str(i) for i in ITEMS)
    for report in ("001_", "000_", "004_", "002_", "003_"):
        assert report in text
    assert any(i.get("history") for i in ITEMS)
    for i in ITEMS:
        assert set(i) <= {"id", "question", "history", "lang", "intent", "frame", "route", "expected_numbers",
                          "expected_tools", "expected_citation", "must_contain", "must_not_contain"}, i["id"]
        assert i.get("intent") or i.get("frame"), i["id"]


@pytest.mark.parametrize("item", ITEMS, ids=[i["id"] for i in ITEMS])
def test_golden(item):
    problems = check_item(item)
    assert not problems, f"{item['id']}: " + "; ".join(problems)


FRAMED = [i for i in ITEMS if i.get("frame")]


@pytest.mark.parametrize("item", FRAMED, ids=[i["id"] for i in FRAMED])
def test_golden_frame(item):
    frame = understood(item["question"], _history(item)).model_dump(mode="json")
    wrong = {k: (frame.get(k), v) for k, v in item["frame"].items() if not _matches(frame.get(k), v)}
    assert not wrong, f"{item['id']}: (understood, expected) per slot: {wrong}"


def _matches(got, expected) -> bool:
    """``got`` has what ``expected`` lists: lists item by item, mappings on the keys ``expected`` names."""
    if isinstance(expected, dict):
        return isinstance(got, dict) and all(_matches(got.get(k), v) for k, v in expected.items())
    if isinstance(expected, (list, tuple)):
        return isinstance(got, (list, tuple)) and len(got) == len(expected) and all(map(_matches, got, expected))
    return got == expected
