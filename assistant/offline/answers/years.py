"""A year (or a report) that no index edition covers: answer from the passages of the reports
published that year, then show the entity in the editions that do exist, each labelled with
its own year — never another year's figures in silence. The router uses it before any handler
that would otherwise answer from a default edition."""
from __future__ import annotations

from ... import retrieval
from ...tools import ToolRunner
from ..frame import Frame
from . import editions, passages
from .blocks import Bullets, Ent, Line, P, Quote, Verbatim
from .entity import edition_line

# Operations whose answer comes from an edition's figures: for an uncovered year they get this answer instead.
FIGURES = {"lookup", "compare", "gap", "rank", "leader", "count", "tier", "why", "breakdown", "change", "whatif",
           "sensitivity", "coverage"}


def uncovered(frame: Frame) -> bool:
    return bool(frame.year) and not frame.editions and not editions.by_year(frame.year)


def documents_of(year: int) -> list[dict]:
    return [d for d in retrieval.documents() if d["year"] == year]


def answer(frame: Frame, tools: ToolRunner) -> list:
    year = str(frame.year)
    docs = documents_of(frame.year)
    query = " ".join(x for x in (*frame.entities, frame.topic, frame.question) if x)
    found: list[passages.Sentence] = []
    for d in docs:  # a report published that year covers it
        found += passages.best(passages.search(tools, query, k=4, document=d["id"]), frame.question, k=3,
                               extra=tuple(frame.entities))
    if not docs:
        found = passages.best(passages.search(tools, f"{query} {year}", k=6), frame.question, k=3,
                              extra=tuple(frame.entities), must=(year,))
    named = [s for s in found if any(e in s.text for e in frame.entities)]
    found = sorted(named or found, key=lambda s: -s.score)[:2]
    out: list = []
    if found:
        s = found[0]
        out.append(Line(P("years.passage", year=year, title=s.doc_title, sentence=Verbatim(s.text, s.cite()), cite=s.cite())))
        out += [Quote(x.cite()) for x in found[1:]]
    else:
        out.append(Line(P("years.no_passage", year=year)))
    for ent in frame.entities[:3]:
        cid, res = tools.ok("entity_editions", entity=ent)
        eds = (res or {}).get("editions", [])
        if eds:
            out.append(Line(P("years.other_years", entity=Ent(ent))))
            out.append(Bullets(edition_line(tools, ent, e, cid) for e in eds))
    return out
