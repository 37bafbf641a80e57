"""Render a handler's blocks as the answer, in the frame's language, from ``phrases.yaml``.

The writer is the only place where answer text is made. It records every number it
prints (:class:`~assistant.envelope.Number`, with the tool call or citation it comes
from), numbers the citations ``[1]``, ``[2]``… and writes one compact sources footer,
keeps the chart, and returns the :class:`~assistant.envelope.Envelope`.
"""
from __future__ import annotations

import functools
import math
import re
from pathlib import Path
from typing import Any, Iterable

from index_core import io

from .. import retrieval
from ..envelope import Citation, Envelope, Number
from ..tools import ToolRunner
from ..verify import extract_claims
from .answers import editions, quotes
from .answers.blocks import (Aside, Bullets, Chart, Cite, Dim, Ed, Ent, Join, Line, Local, Num, P, Quote, Table,
                             Verbatim, Warn)

PHRASES = Path(__file__).with_name("phrases.yaml")
_FIELD = re.compile(r"\{(\w+)\}")


@functools.lru_cache(maxsize=1)
def phrases() -> dict[str, dict[str, str]]:
    """``key -> {"zh": ..., "en": ...}``; nested groups in the file become dotted keys."""
    def flat(node: dict, prefix: str = "") -> Iterable[tuple[str, dict]]:
        for k, v in node.items():
            key = f"{prefix}{k}"
            if isinstance(v, dict) and set(v) == {"zh", "en"} and all(isinstance(x, str) for x in v.values()):
                yield key, v
            elif isinstance(v, dict):
                yield from flat(v, key + ".")
            else:
                raise ValueError(f"{PHRASES.name}: {key} must be a {{zh, en}} pair or a group of them")
    return dict(flat(io.load_yaml(PHRASES.read_text(encoding="utf-8"))))


def placeholders(template: str) -> set[str]:
    return set(_FIELD.findall(template))


def _decimals(n: Num) -> int:
    if n.decimals is not None:
        return n.decimals
    if n.kind == "score":
        return 2
    v = float(n.value)
    if n.kind in ("rank", "count", "tier", "year") or v == int(v):
        return 0
    return min(4, len(repr(v).split(".")[1]))


class Writer:
    def __init__(self, language: str, runner: ToolRunner) -> None:
        self.lang = language
        self.runner = runner
        self.numbers: list[Number] = []
        self.citations: list[Citation] = []
        self.cited_text: dict[str, str] = {}
        self.chart: dict | None = None
        self.warnings: list[str] = []

    # ------------------------------------------------------------------ values
    def phrase(self, key: str) -> str:
        try:
            return phrases()[key][self.lang]
        except KeyError:
            raise KeyError(f"no phrase {key!r} in {PHRASES.name}") from None

    def text(self, value: Any) -> str:
        if isinstance(value, str):
            return value
        if isinstance(value, P):
            return _FIELD.sub(lambda m: self._slot(value, m.group(1)), self.phrase(value.key))
        if isinstance(value, Num):
            return self.number(value)
        if isinstance(value, Cite):
            return self._markers([value])
        if isinstance(value, Ent):
            return self.text(P("label.entity", name=editions.entity_label(value.name, self.lang), original=self._original(value.name)))
        if isinstance(value, Dim):
            zh = editions.dimension_label(value.edition, value.key, "zh")
            name = zh if self.lang == "zh" else editions.dimension_label(value.edition, value.key, "en").lower()
            return self.text(P("label.dimension", name=name, original=self._original(zh)))
        if isinstance(value, Ed):
            return self.edition(value.edition)
        if isinstance(value, Local):
            text = value.zh if self.lang == "zh" else value.en
            for claim in extract_claims(text) if value.source else ():
                self.numbers.append(Number(value=claim.value, label="quoted", source=value.source))
            return text
        if isinstance(value, Verbatim):
            cid = self.cite(value.cite).id
            for claim in extract_claims(value.text):
                self.numbers.append(Number(value=claim.value, label="quoted", source=cid))
            return value.text
        if isinstance(value, Join):
            if value.items and all(isinstance(v, Cite) for v in value.items):  # two facts on one line: one marker each
                return self._markers(value.items)
            return self.phrase(value.sep).join(self.text(v) for v in value.items)
        if value is None:
            return ""
        raise TypeError(f"a block holds a bare {type(value).__name__} ({value!r}); numbers must be Num with a source")

    def _markers(self, cites) -> str:
        """``[1] [2]``: one marker per passage cited, a figure's other printings (``Cite.also``)
        included; a space between them, because the chat page reads ``[1][`` as a markdown reference."""
        every = (c2 for c in cites for c2 in (c, *(Cite(c.source_file, line, needles=c.needles) for line in c.also)))
        return " ".join(dict.fromkeys(f"[{self.cite(c).id[1:]}]" for c in every))

    def _original(self, zh: str) -> str:
        """The Chinese original shown beside a translated name (empty in a Chinese answer)."""
        return "" if self.lang == "zh" else zh

    def _slot(self, phrase: P, name: str) -> str:
        if name not in phrase.slots:
            raise KeyError(f"phrase {phrase.key!r} needs {{{name}}}")
        return self.text(phrase.slots[name])

    def label(self, value: Any) -> str:
        """Plain chart label in the answer's language (no parenthesised original)."""
        if isinstance(value, Ent):
            return editions.entity_label(value.name, self.lang)
        if isinstance(value, Dim):
            return editions.dimension_label(value.edition, value.key, self.lang)
        if isinstance(value, Ed):
            s = editions.spec(value.edition)
            return self.text(P("label.edition_short", year=str(s.period or s.edition_year),
                               title=s.title.zh if self.lang == "zh" else s.title.en))
        return self.text(value)

    def edition(self, eid: str) -> str:
        s = editions.spec(eid)
        key = "label.edition_period" if s.period else "label.edition"
        return self.text(P(key, year=str(s.edition_year), title=s.title.zh if self.lang == "zh" else s.title.en,
                           original=self._original(s.title.zh), id=eid))

    def number(self, n: Num) -> str:
        d = _decimals(n)
        v = float(n.value)
        source = n.source if isinstance(n.source, str) else self.cite(n.source).id
        unit = {"score": self.phrase("unit.score"), "rank": "rank", "tier": "tier", "percent": "%"}.get(n.kind, n.unit)
        self.numbers.append(Number(value=round(v, d), unit=unit, label=n.label, entity=n.entity, edition=n.edition,
                                   dimension=n.dimension, source=source))
        return "" if n.silent else f"{v:.{d}f}"

    def cite(self, c: Cite) -> Citation:
        for i, known in enumerate(self.citations):
            if known.source_file == c.source_file and known.lines[0] <= c.first and c.end <= known.lines[1]:
                if c.quote and c.quote not in known.quote:  # a second statement inside the same lines: quoted too
                    known = self.citations[i] = known.model_copy(update={"quote": f"{known.quote}…{c.quote}"})
                return known
        raw = retrieval.lines(c.source_file, c.first, c.end)
        quote = c.quote or quotes.excerpt(raw, c.needles)
        cid = f"c{len(self.citations) + 1}"
        citation = Citation(id=cid, source_file=c.source_file, lines=(c.first, c.end), quote=quote,
                            doc_title=retrieval.doc_title(c.source_file), section=retrieval.section_at(c.source_file, c.first))
        self.citations.append(citation)
        self.cited_text[cid] = "".join(x.strip() for x in raw)
        return citation

    # ------------------------------------------------------------------ blocks
    def block(self, b: Any) -> str | None:
        if isinstance(b, Line):
            return self.text(b.phrase)
        if isinstance(b, Bullets):
            return "\n".join("- " + self.text(p) for p in b.items) or None
        if isinstance(b, Table):
            head = "| " + " | ".join(self.text(h) for h in b.head) + " |"
            rows = ["| " + " | ".join(self.text(c) for c in r) + " |" for r in b.rows]
            return "\n".join([head, "|---" * len(b.head) + "|", *rows])
        if isinstance(b, Quote):
            citation = self.cite(b.cite)
            out = self.text(P(b.phrase, quote=Verbatim(citation.quote, b.cite), cite=b.cite))
            return out.replace("\n", "\n> ") if out.startswith(">") else out
        if isinstance(b, Chart):
            if self.chart is None:
                self.chart = {"type": b.kind, "title": self.text(b.title), "labels": [self.label(x) for x in b.labels],
                              "series": [{"name": self.label(name), "values": [None if v is None or (isinstance(v, float) and math.isnan(v))
                                                                                  else v for v in values]}
                                         for name, values in b.series]}
            return None
        if isinstance(b, Warn):
            self.warnings.append(b.text)
            return None
        raise TypeError(f"unknown block {type(b).__name__}")

    def footer(self) -> str:
        rows = []
        for c in self.citations:
            first, last = c.lines
            key = "sources.line" if first == last else "sources.lines"
            where = self.text(P(key, first=str(first), last=str(last)))
            rows.append(self.text(P("sources.item", n=c.id[1:], title=c.doc_title,
                                    section=P("sources.section", section=c.section) if c.section else "", where=where)))
        return self.phrase("sources.head") + "\n" + "\n".join(rows)

    def envelope(self, blocks: Iterable[Any], frame_info: dict) -> Envelope:
        blocks = list(blocks)
        asides = [b for b in blocks if isinstance(b, Aside)]  # after the answer, whatever the handler's order
        # a block two parts both state ("its composite is 35.83…" after each of two dimensions) is said once
        parts = list(dict.fromkeys(t for t in (self.block(b) for b in blocks if not isinstance(b, Aside)) if t))
        parts += [self.text(a.phrase) for a in asides]
        answer = "\n\n".join(parts)
        if self.citations:
            answer += "\n\n" + self.footer()
        return Envelope(answer=answer, language=self.lang, mode="offline", numbers=self.numbers,
                        citations=self.citations, tool_calls=self.runner.calls, chart=self.chart,
                        warnings=self.warnings, frame=frame_info)
