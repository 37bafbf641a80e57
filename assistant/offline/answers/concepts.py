"""Answers from the reviewed concept data (found by :mod:`assistant.concept_index`): the
entry's answer sentence first, its parts, its verbatim quote and source lines, the other
reports' statements of the same thing, and a related passage."""
from __future__ import annotations

import re

from ... import concept_index
from ...concept_index import entries, long_name, published, states
from . import editions, passages
from .blocks import Cite, Fallback, Join, Line, Local, Num, P, Quote, Verbatim


def answer(frame, tools, aspect: str | None):
    """Blocks for a concept question: the entry's answer sentence first, its parts, then the
    verbatim quote with its citation; a :class:`Fallback` to the passages when no entry fits."""
    named = frame.editions[0] if frame.editions and frame.edition_source == "explicit" else None
    _, res = tools.ok("concept", topic=frame.topic or frame.question, question=frame.question,
                      **({"aspect": aspect} if aspect else {}), **({"edition": named} if named else {}))
    res = _linked(frame, res, aspect)
    res = _publisher(frame, res, aspect)
    entry = (res or {}).get("concept")
    linked = any(link.kind == "concept" and link.target for link in frame.links)
    if entry is None or not (linked or states(res)):  # a loose likeness is no answer: the text is searched
        return Fallback("narrative", "no reviewed concept entry: the reports' passages answer",
                        {"topic": frame.topic or frame.question, "aspect": aspect})
    return blocks(clauses(frame, res), frame.language, aspect) + supporting(frame, tools, entry)


CLAUSE_SHARED = 2.5  # weight of an entry's name words (concept_index.names_said) a clause must say to name it


def clauses(frame, res: dict | None) -> dict | None:
    """``res`` with, after its entry, the entries of the same report that another clause of the
    question names ("which report is it from, and how were its cities picked?": the index, then how
    its cities were chosen), so each part of the question gets its statement."""
    entry = (res or {}).get("concept")
    breaks = re.compile("|".join(str(b) for b in passages.sentence_vocabulary()["clause_breaks"]))
    parts = [c.strip() for c in breaks.split(frame.question) if c and c.strip()]
    if not entry or len(parts) < 2:
        return res
    have = {entry["id"], *(e["id"] for e in res.get("also") or [])}
    more: list[dict] = []
    for part in parts:
        said = [(concept_index.names_said(e, part), e) for _, e in concept_index.ranked(part, None, part, entry.get("edition"))
                if e.get("report") == entry.get("report") and e.get("edition") == entry.get("edition")]
        best = max(said, key=lambda x: x[0], default=(0.0, None))
        mine = concept_index.names_said(entry, part)
        if best[1] is not None and best[1]["id"] not in have and best[0] >= CLAUSE_SHARED and best[0] > mine:
            more.append(best[1])
            have.add(best[1]["id"])
    return {**res, "also": [*(res.get("also") or []), *more]} if more else res


def _linked(frame, res: dict | None, aspect: str | None = None) -> dict | None:
    """The entry a long, specific name in the question was linked to ("德国高科技战略"), over the
    facet's preferred kind: "how many fields does Germany's strategy have" is about the strategy."""
    found = (res or {}).get("concept") or {}
    topic = (frame.topic or "").casefold()
    named = frame.editions[0] if frame.editions and frame.edition_source == "explicit" else None
    for link in frame.links:
        if link.kind == "concept" and link.target and found.get("id") != link.target:
            entry = next((e for e in entries() if e["id"] == link.target), None)
            if entry and named and entry.get("edition") not in (None, named):
                continue  # "GTII的数据来源": not the 2020 index's sources, which the name 数据来源 links to
            if entry and entry.get("byline") and aspect != "publisher" and (inside := _in_document(frame, entry, aspect)):
                return inside  # "the 8 fields listed in the 硬科技改变世界 chapter": the document narrows, its entry answers
            # ...or, asked what it is, the topic is that entry's own name and not the found one's
            # ("what's the technology pyramid": the pyramid, not the definition of hard tech)
            own = aspect == "definition" and topic and topic in _names(entry) and topic not in _names(found)
            # a found entry whose own names say the linked name too is named by more of the question
            # ("智能硬件五大产品": the five products, not the definition 智能硬件 links to)
            inside = any(link.surface.casefold() in n for n in _names(found))
            if entry and not inside and (long_name(link.surface) or own):
                return {"concept": entry, "strength": {"named": True, "shared": 0.0, "share": 0.0},
                        "also": _also_named(frame, entry)}
    return res


def _in_document(frame, document: dict, aspect: str | None) -> dict | None:
    """The best entry of the named ``document``'s report on what the question asks beside its name, as
    a ``concept`` result; ``None`` when the question asks nothing of it but the document itself."""
    best = next((e for _, e in concept_index.ranked(frame.topic or frame.question, aspect, frame.question, None)
                 if e.get("report") == document.get("report") and e["id"] != document["id"] and
                 concept_index.names_said(e, frame.question) > 0), None)
    return {"concept": best, "strength": {"named": True, "shared": 0.0, "share": 0.0}, "also": []} if best else None


def _also_named(frame, entry: dict) -> list[dict]:
    """The other entries the question names by a long name ("'Key & Core' or 'Hard & Core'?"): each
    is stated after the first, so both readings are given with their reports."""
    ids = dict.fromkeys(link.target for link in frame.links if link.kind == "concept" and link.target and
                        link.target != entry["id"] and long_name(link.surface))
    return [e for e in entries() if e["id"] in ids]


def _publisher(frame, res: dict | None, aspect: str | None) -> dict | None:
    """Who publishes or wrote what the question is about: for an edition this turn names, the entry
    about it or its report that says who publishes or compiles it ("who puts out the 2020 index",
    "2019年的白皮书是谁出的"); else the entry found when it says so ("硬科技白皮书从哪年开始发布"); else
    the byline of the article or chapter the topic is from ("who wrote it?" after the institutes' R&D
    article: 曾琼, 李军锋, 万立志); else the entry about an edition the turn carries from before."""
    if aspect != "publisher":
        return res
    found = (res or {}).get("concept")
    own = frame.edition_source in ("explicit", "year", "dimension")
    if not own and concept_index.publisher_said(found):  # asked who made it, an entry that says so answers
        return {**res, "strength": {**res["strength"], "named": True}}
    linked = [e for link in frame.links if link.kind == "concept" and link.target
              for e in entries() if e["id"] == link.target]
    entry = None if own else next(filter(None, map(concept_index.authored, [*linked, found])), None)
    if entry is None and frame.editions:
        entry = published(frame.editions[0], editions.spec(frame.editions[0]).source.file)
    return res if entry is None else {"concept": entry, "strength": {"named": True, "shared": 0.0, "share": 0.0}, "also": []}


def _names(entry: dict | None) -> set[str]:
    n = (entry or {}).get("names") or {}
    return {x.casefold() for x in (*(n.get("zh") or []), *(n.get("en") or []))}


def blocks(res: dict, language: str, aspect: str | None) -> list:
    """The entry of a ``concept`` tool result: its answer sentence, parts, quote, and the
    other reports' statements of the same thing."""
    entry = res["concept"]
    cite, text = _cited(entry, language)
    out: list = [Line(P("concept.answer", answer=Verbatim(text, cite), cite=cite))]
    if aspect == "publisher" and entry.get("byline"):  # "who wrote it?": the authors first, then what they wrote
        out.insert(0, Line(P("concept.byline", people=Join(entry["people"], "sep.list"), cite=cite)))
    parts = [Local(p.get("zh", ""), p.get("en") or p.get("zh", "")) for p in entry.get("parts") or []]
    if parts and aspect in (None, "parts", "fields", "definition"):
        out.append(Line(P("concept.parts", parts=Join(parts, "sep.list"),
                          n=Num(value=len(parts), label="parts", source=cite, kind="count"))))
    out.append(Quote(cite, "quote.source"))
    for other in res.get("also") or []:
        other_cite, other_text = _cited(other, language)
        out.append(Line(P("concept.also", title=_title(other), answer=Verbatim(other_text, other_cite), cite=other_cite)))
        differ = _differing(entry.get("quote") or "", other.get("quote") or "")
        if differ:
            out.append(Line(P("concept_figures.differ", first=Verbatim(differ[0], cite), first_title=_title(entry),
                              second=Verbatim(differ[1], other_cite), second_title=_title(other))))
    return out


def _title(entry: dict) -> Local:
    title = entry.get("title") or {}
    return Local(title.get("zh", ""), title.get("en") or title.get("zh", ""))




def _differing(quote: str, other: str) -> tuple[str, str] | None:
    """The first figure two statements of the same thing print differently: the same unit followed by
    the same word ("7000 万科研人员" / "9000万科技人力资源"), a different number. ``None`` if none."""
    figure = re.compile(str(passages.sentence_vocabulary()["figure_pattern"]))
    printed = {(m.group(2), m.group(3)): m for m in figure.finditer(quote)}
    for m in figure.finditer(other):
        mine = printed.get((m.group(2), m.group(3)))
        if mine and float(mine.group(1)) != float(m.group(1)):
            return re.sub(r"\s+", "", mine.group(0)), re.sub(r"\s+", "", m.group(0))
    return None


def _cited(entry: dict, language: str) -> tuple[Cite, str]:
    src = entry["source"]
    first, last = (src["lines"] + src["lines"])[:2] if isinstance(src.get("lines"), list) else (src["line"], src["line"])
    answer = entry.get("answer") or {}
    return Cite(src["file"], int(first), int(last), quote=entry.get("quote")), answer.get(language) or answer.get("zh", "")


def supporting(frame, tools, entry: dict) -> list:
    """A passage of the reports, found by a search for the question, that says more than the
    entry's own quote (another place, another report): quoted after the answer."""
    hits = passages.search(tools, " ".join(x for x in (frame.topic, frame.question) if x), k=4)
    src = entry["source"]
    first, last = src["lines"][0], src["lines"][-1]
    for s in passages.best(hits, frame.question, k=3, extra=tuple(frame.entities), aspect=frame.aspect, subject=frame.topic):
        if s.score >= passages.SUPPORT and not (s.source_file == src["file"] and s.first <= last and first <= s.last):
            return [Quote(s.cite(), "quote.also")]
    return []
