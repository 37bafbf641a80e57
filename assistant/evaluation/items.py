"""One item format for every suite (generated numeric and hand-written golden).

YAML / dict form (``assistant/golden.yaml`` and ``golden_extra.yaml``)::

    - id: gx001
      question: 深圳在2019年城市产业创新综合能力指数中排名第几？
      lang: zh
      history: [{role: user, content: ...}, {role: assistant, content: ...}]   # optional
      intent: rank                       # what the planner should recognise (free text)
      category: numeric                  # report grouping; defaults to intent
      expected:
        numbers:                         # each with its own tolerance; kind: score|rank|tier|percent|count
          - {value: 3, kind: rank, label: composite rank}
          - {value: 50.99, kind: score, tolerance: 0.005}
        tools: [scores|explain]          # every entry must be called; "a|b" = either; [none] = no tool
        citations:                       # any overlap of (source_file, lines) with any of these
          - {source_file: 001_2d381f25c7fc5f5d.txt, lines: [1942, 1942]}
      must_contain: [深圳, [第二梯队, 挑战者], {any_of: [广州, Guangzhou]}]   # a list (or any_of) = any of
      must_not_contain: [第一梯队]

Flat spellings are accepted too (``expected_numbers``, ``expected_tools``,
``expected_citation`` / ``citation``, ``numbers``, ``tools``, ``citations``), and a
number may be given as ``{value, tolerance}`` or ``{value, unit}`` (unit 名 -> rank,
梯队 -> tier, % -> percent).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .matcher import ExpectedNumber


@dataclass
class EvalItem:
    id: str
    question: str
    lang: str = "zh"
    suite: str = "golden"
    category: str = "numeric"
    intent: str | None = None
    history: list[dict] = field(default_factory=list)
    numbers: list[ExpectedNumber] = field(default_factory=list)
    tools: list[str] = field(default_factory=list)
    citations: list[dict] = field(default_factory=list)
    citation_gates: bool = True          # a citation miss fails the item (generated items: recorded only)
    must_contain: list[Any] = field(default_factory=list)
    must_not_contain: list[str] = field(default_factory=list)
    meta: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: dict, suite: str = "golden", source: str | None = None) -> "EvalItem":
        exp = d.get("expected") or {}
        if not isinstance(exp, dict):
            exp = {}
        nums = _first(exp.get("numbers"), d.get("expected_numbers"), d.get("numbers"), default=[])
        tools = _first(exp.get("tools"), d.get("expected_tools"), d.get("tools"), default=[])
        cits = _first(exp.get("citations"), exp.get("citation"), d.get("expected_citations"), d.get("expected_citation"),
                      d.get("citations"), d.get("citation"), default=[])
        if isinstance(cits, dict):
            cits = [cits]
        if isinstance(tools, str):
            tools = [tools]
        history = d.get("history") or []
        for h in history:
            if not isinstance(h, dict) or "role" not in h or "content" not in h:
                raise ValueError(f"item {d.get('id')}: history entries need role and content, got {h!r}")
        item = cls(
            id=str(d["id"]), question=str(d["question"]), lang=str(d.get("lang") or _guess_lang(d["question"])),
            suite=suite, category=str(d.get("category") or d.get("intent") or "numeric"), intent=d.get("intent"),
            history=list(history),
            numbers=[ExpectedNumber.from_dict(n) for n in (nums or [])],
            tools=[str(t) for t in (tools or [])],
            citations=[_cit(c) for c in (cits or [])],
            citation_gates=bool(d.get("citation_gates", True)),
            must_contain=[_terms(t) for t in (_first(d.get("must_contain"), exp.get("must_contain"), default=[]) or [])],
            must_not_contain=[str(x) for x in (_first(d.get("must_not_contain"), exp.get("must_not_contain"), default=[]) or [])],
            meta={k: v for k, v in d.items() if k in ("notes", "note", "source", "edition", "entity")},
        )
        if source:
            item.meta["file"] = source
        return item

    def to_dict(self) -> dict:
        return {
            "id": self.id, "suite": self.suite, "category": self.category, "intent": self.intent,
            "question": self.question, "lang": self.lang, "history": self.history,
            "expected": {
                "numbers": [n.to_dict() for n in self.numbers], "tools": self.tools, "citations": self.citations,
            },
            "must_contain": self.must_contain, "must_not_contain": self.must_not_contain,
        }


def _terms(t: Any) -> Any:
    """A must_contain entry: a string, or alternatives written as a list or as
    ``{any_of: [...]}`` (a name may be written in Chinese or English). Numbers become text."""
    if isinstance(t, dict):
        if set(t) != {"any_of"} or not isinstance(t["any_of"], (list, tuple)):
            raise ValueError(f"a must_contain mapping must be {{any_of: [...]}}, got {t!r}")
        t = t["any_of"]
    if isinstance(t, (list, tuple)):
        return [str(x) for x in t]
    return str(t)


def _first(*values, default=None):
    for v in values:
        if v is not None:
            return v
    return default


def _cit(c: Any) -> dict:
    if isinstance(c, dict):
        f = c.get("source_file") or c.get("file")
        lines = c.get("lines") or c.get("line_range")
        if lines is None and c.get("line") is not None:
            lines = [c["line"], c["line"]]
        if isinstance(lines, int):
            lines = [lines, lines]
        if not f or not lines:
            raise ValueError(f"citation needs source_file and lines: {c!r}")
        return {"source_file": str(f), "lines": [int(lines[0]), int(lines[-1])]}
    raise ValueError(f"citation must be a mapping: {c!r}")


def _guess_lang(text: str) -> str:
    return "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in str(text)) else "en"
