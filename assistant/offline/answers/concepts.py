"""The reviewed concept data (``assistant/offline/concepts/*.yaml``, one file per report):
definitions, frameworks and their parts, origin stories, index methods, each with its
answer sentence (zh, en), verbatim quote and source lines."""
from __future__ import annotations

import re

from .. import concepts as concept_data
from .blocks import Cite, Fallback, Join, Line, Local, P, Quote, Verbatim
from .vocab import rules



def load() -> tuple[dict, ...]:
    """Every concept entry (``assistant/offline/concepts/*.yaml``), with ``report`` and ``title`` of its file added."""
    return concept_data.entries()


def _fold(text: str) -> str:
    return re.sub(r"[\s\-_'’\"“”《》「」]", "", str(text)).casefold()


def names(entry: dict) -> list[str]:
    n = entry.get("names") or {}
    return [entry["id"], *(n.get("zh") or []), *(n.get("en") or [])]


def _bigrams(text: str) -> set[str]:
    t = _fold(text)
    return {t[i:i + 2] for i in range(len(t) - 1)} if not t.isascii() else set(re.findall(r"[a-z0-9&]+", text.lower()))


def _likeness(entry: dict, question: str) -> float:
    """How much of one of the entry's names the question says (0..1): Chinese by character
    pairs, English by words ("who coined hard tech" in "Who coined the term hard tech?")."""
    q = _bigrams(question) | set(re.findall(r"[a-z0-9&]+", question.lower()))
    best = 0.0
    for name in names(entry)[1:]:
        b = _bigrams(name)
        if b:
            best = max(best, len(b & q) / len(b))
    return best


def ranked(topic: str | None, aspect: str | None = None, question: str = "") -> list[tuple[tuple, dict]]:
    """The entries that could answer ``topic`` (a concept id or name) for ``aspect``, best first,
    each with its sort key.

    Match: the id (3), a name equal to the topic (2), a name containing the topic (1.5: 硬科技
    in 硬科技的由来), a name contained in the topic or the question (1). When an aspect is
    asked, the kinds it prefers (``rules.yaml``) come first; then the match, then how much of
    the entry's names the question says, then the report order of ``concept_reports``."""
    entries = load()
    if not entries or not (topic or question):
        return []
    t, q = _fold(topic or ""), _fold(question)
    kinds = rules()["concept_aspects"].get(aspect) or rules()["concept_aspects"][None]
    reports = rules()["concept_reports"]
    out = []
    for e in entries:
        forms = [_fold(x) for x in names(e) if x]
        if t and t == _fold(e["id"]):
            match = 3.0
        elif t and t in forms:
            match = 2.0
        elif len(t) >= 2 and any(t in f for f in forms):
            match = 1.5
        elif any(f and len(f) >= 2 and (f in t or f in q) for f in forms):
            match = 1.0
        else:
            continue
        kind_rank = kinds.index(e.get("kind")) if e.get("kind") in kinds else len(kinds)
        order = reports.index(e["report"]) if e.get("report") in reports else len(reports)
        like = round(_likeness(e, question or topic or ""), 2)
        key = (kind_rank >= len(kinds), kind_rank, -match, -like, order) if aspect else \
            (kind_rank >= len(kinds), -match, -like, kind_rank, order)
        out.append((key, e))
    out.sort(key=lambda x: x[0])
    return out


def find(topic: str | None, aspect: str | None = None, question: str = "") -> dict | None:
    """The entry that answers ``topic`` for ``aspect`` best (:func:`ranked`); ``None`` if none does."""
    found = ranked(topic, aspect, question)
    return found[0][1] if found else None


def alike(topic: str | None, aspect: str | None = None, question: str = "") -> list[dict]:
    """The best entry's equals from other reports (the same kind, as good a match): another
    report's definition of the same term."""
    found = ranked(topic, aspect, question)
    if not found:
        return []
    key, best = found[0]
    return [e for k, e in found[1:] if k[:-1] == key[:-1] and e.get("kind") == best.get("kind")
            and e.get("report") != best.get("report")]


def answer(frame, tools, aspect: str | None):
    """Blocks for a concept question: the entry's answer sentence first, its parts, then the
    verbatim quote with its citation; a :class:`Fallback` to the passages when no entry fits."""
    _, res = tools.ok("concept", topic=frame.topic or frame.question, question=frame.question,
                      **({"aspect": aspect} if aspect else {}))
    entry = (res or {}).get("concept")
    if entry is None:
        return Fallback("narrative", "no reviewed concept entry: the reports' passages answer",
                        {"topic": frame.topic or frame.question, "aspect": aspect})
    cite, text = _cited(entry, frame.language)
    out: list = [Line(P("concept.answer", answer=Verbatim(text, cite), cite=cite))]
    parts = [Local(p.get("zh", ""), p.get("en") or p.get("zh", "")) for p in entry.get("parts") or []]
    if parts and aspect in (None, "parts", "fields", "definition"):
        out.append(Line(P("concept.parts", parts=Join(parts, "sep.list"))))
    out.append(Quote(cite, "quote.source"))
    for other in (res or {}).get("also") or []:
        other_cite, other_text = _cited(other, frame.language)
        title = other.get("title") or {}
        out.append(Line(P("concept.also", title=Local(title.get("zh", ""), title.get("en") or title.get("zh", "")),
                          answer=Verbatim(other_text, other_cite), cite=other_cite)))
    return out


def _cited(entry: dict, language: str) -> tuple[Cite, str]:
    src = entry["source"]
    first, last = (src["lines"] + src["lines"])[:2] if isinstance(src.get("lines"), list) else (src["line"], src["line"])
    answer = entry.get("answer") or {}
    return Cite(src["file"], int(first), int(last), quote=entry.get("quote")), answer.get(language) or answer.get("zh", "")
