"""A deterministic stand-in for the assistant, for the service's own tests.

It answers two kinds of question from the real core and the real report lines
(tier membership, and why an entity is weak/strong), emitting the same event
types as ``assistant.ask_stream``. It is never used by ``hardtech serve``.
"""
from __future__ import annotations

import re
import time
from typing import Iterator

from service.backends import RealBackend


class FakeBackend(RealBackend):
    """Assistant calls answered here; search and passages go to the real retrieval layer."""

    def __init__(self, delay: float = 0.0):
        super().__init__()
        self.delay = delay
        self.calls: list[tuple[str, list | None]] = []

    def deterministic(self) -> bool:
        return False  # tests count the calls it gets

    def _line(self, edition: str, entity: str, measure: str) -> tuple[str, int]:
        from index_core import io

        pub = io.load_edition(edition).published
        row = pub[(pub["entity"] == entity) & (pub["measure"] == measure)].iloc[0]
        return row["source_file"], int(row["line"])

    def _quote(self, source_file: str, line: int) -> str:
        from vectorstore.corpus import read_lines

        return read_lines(source_file)[line - 1].strip()

    def ask(self, question: str, history: list[dict] | None) -> dict:
        from index_core import api

        self.calls.append((question, history))
        zh = bool(re.search(r"[\u4e00-\u9fff]", question))
        if "梯队" in question or "tier" in question.lower():
            t = api.tiers("hardtech-2020")
            tier2 = next(x for x in t["tiers"] if x["tier"] == 2)
            members = tier2["members"]
            answer = (f"2020年第二梯队有：{'、'.join(members)}。" if zh else f"Tier 2 in 2020: {', '.join(members)}.")
            return {"answer": answer, "language": "zh" if zh else "en", "mode": "offline", "numbers": [], "citations": [],
                    "tool_calls": [{"id": "t1", "name": "tiers", "args": {"edition": "hardtech-2020"}}],
                    "chart": None, "warnings": []}
        e = api.explain("hardtech-2019", "深圳")
        d = e["dimensions"]
        src, line = self._line("hardtech-2019", "深圳", "innovation_base.score")
        answer = (
            f"Shenzhen's **innovation base** score is **{d['innovation_base']['score']}** "
            f"(rank {d['innovation_base']['rank']} of {e['of']}) in hardtech-2019 [1], its weakest dimension, "
            f"while its composite is {round(e['composite'], 2)} (rank {e['rank']}).\n\n"
            f"- innovation input: {d['innovation_input']['score']} (rank {d['innovation_input']['rank']})\n"
            f"- innovation output: {d['innovation_output']['score']} (rank {d['innovation_output']['rank']})"
        )
        labels = list(d)
        return {
            "answer": answer, "language": "zh" if zh else "en", "mode": "offline",
            "numbers": [{"value": d["innovation_base"]["score"], "unit": "points", "label": "innovation_base score",
                         "entity": "深圳", "edition": "hardtech-2019", "dimension": "innovation_base", "source": "t1"}],
            "citations": [{"id": "c1", "source_file": src, "lines": [line, line], "doc_title": "2019 中国硬科技发展白皮书",
                           "section": "表2", "quote": self._quote(src, line)}],
            "tool_calls": [{"id": "t1", "name": "explain", "args": {"edition": "hardtech-2019", "entity": "深圳"}},
                           {"id": "t2", "name": "search", "args": {"query": question}}],
            "chart": {"type": "bar", "title": "深圳 · hardtech-2019", "labels": labels,
                      "series": [{"name": "深圳", "values": [d[k]["score"] for k in labels]}]},
            "warnings": [],
        }

    def ask_stream(self, question: str, history: list[dict] | None) -> Iterator[tuple[str, dict]]:
        if "boom" in question:
            yield "tool", {"id": "t1", "name": "explain", "args": {}}
            raise RuntimeError("secret internal detail")
        env = self.ask(question, history)
        for call in env["tool_calls"]:
            yield "tool", call
        for piece in re.findall(r"\S+\s*", env["answer"]):
            if self.delay:
                time.sleep(self.delay)
            yield "token", {"text": piece}
        for c in env["citations"]:
            yield "citation", c
        if env["chart"]:
            yield "chart", env["chart"]
        yield "done", env
