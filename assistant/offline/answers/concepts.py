"""The reviewed concept data (``assistant/offline/concepts/*.yaml``, one file per report):
definitions, frameworks and their parts, origin stories, index methods, each with its
answer sentence (zh, en), verbatim quote and source lines."""
from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml

from .blocks import Cite, Fallback, Join, Line, Local, P, Quote, Verbatim
from .vocab import rules

CONCEPTS_DIR = Path(__file__).resolve().parent.parent / "concepts"


def load() -> tuple[dict, ...]:
    """Every concept entry (``CONCEPTS_DIR/*.yaml``), with ``report`` and ``title`` of its file added."""
    return _load(str(CONCEPTS_DIR))


@functools.lru_cache(maxsize=4)
def _load(folder: str) -> tuple[dict, ...]:
    out: list[dict] = []
    for path in sorted(Path(folder).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for c in data.get("concepts") or []:
            out.append({**c, "report": data.get("report"), "title": data.get("title")})
    return tuple(out)


def _fold(text: str) -> str:
    return re.sub(r"[\s\-_'’\"“”《》「」]", "", str(text)).casefold()


def names(entry: dict) -> list[str]:
    n = entry.get("names") or {}
    return [entry["id"], *(n.get("zh") or []), *(n.get("en") or [])]


def find(topic: str | None, aspect: str | None = None, question: str = "") -> dict | None:
    """The entry that answers ``topic`` (a concept id or name) for ``aspect``; ``None`` if none does.

    Match: the id, then a name equal to the topic, then a name contained in the topic or the
    question; among matches, kinds the aspect prefers come first (``rules.yaml``)."""
    entries = load()
    if not entries or not (topic or question):
        return None
    t, q = _fold(topic or ""), _fold(question)
    kinds = rules()["concept_aspects"].get(aspect) or rules()["concept_aspects"][None]
    best, best_key = None, None
    for e in entries:
        forms = [_fold(x) for x in names(e) if x]
        if t and t == _fold(e["id"]):
            match = 3
        elif t and t in forms:
            match = 2
        else:
            hits = [f for f in forms if f and len(f) >= 2 and (f in t or f in q)]
            match = 1 if hits else 0
            if match:
                match += min(0.9, max(len(f) for f in hits) / 20)
        if not match:
            continue
        kind_rank = kinds.index(e.get("kind")) if e.get("kind") in kinds else len(kinds)
        key = (kind_rank > len(kinds) - 1, -match, kind_rank)
        if best_key is None or key < best_key:
            best, best_key = e, key
    return best


def answer(frame, tools, aspect: str | None):
    """Blocks for a concept question: the entry's answer sentence first, its parts, then the
    verbatim quote with its citation; a :class:`Fallback` to the passages when no entry fits."""
    _, res = tools.ok("concept", topic=frame.topic or frame.question, question=frame.question,
                      **({"aspect": aspect} if aspect else {}))
    entry = (res or {}).get("concept")
    if entry is None:
        return Fallback("narrative", "no reviewed concept entry: the reports' passages answer",
                        {"topic": frame.topic or frame.question, "aspect": aspect})
    src = entry["source"]
    first, last = (src["lines"] + src["lines"])[:2] if isinstance(src.get("lines"), list) else (src["line"], src["line"])
    cite = Cite(src["file"], int(first), int(last), quote=entry.get("quote"))
    text = (entry.get("answer") or {}).get(frame.language) or (entry.get("answer") or {}).get("zh", "")
    out: list = [Line(P("concept.answer", answer=Verbatim(text, cite), cite=cite))]
    parts = [Local(p.get("zh", ""), p.get("en") or p.get("zh", "")) for p in entry.get("parts") or []]
    if parts and aspect in (None, "parts", "fields", "definition"):
        out.append(Line(P("concept.parts", parts=Join(parts, "sep.list"))))
    out.append(Quote(cite, "quote.source"))
    return out
