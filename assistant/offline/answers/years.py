"""A year (or a report) that no index edition covers: answer from the passages of the reports
published that year, then show the entity in the editions that do exist, each labelled with
its own year — never another year's figures in silence. The router uses it before any handler
that would otherwise answer from a default edition."""
from __future__ import annotations

from ... import retrieval
from ...tools import ToolRunner
from ..frame import Frame
from . import editions, passages
from .blocks import Bullets, Ed, Ent, Line, P, Quote, Verbatim
from .entity import edition_line
from .scores import row_cite, score

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
    if not frame.entities and frame.operation in ("rank", "leader"):
        out += _nearest(frame, tools)
    for ent in frame.entities[:3]:
        cid, res = tools.ok("entity_editions", entity=ent)
        eds = (res or {}).get("editions", [])
        if eds:
            out.append(Line(P("years.other_years", entity=Ent(ent))))
            out.append(Bullets(edition_line(tools, ent, e, cid) for e in eds))
    return out


def _nearest(frame: Frame, tools: ToolRunner) -> list:
    """"2021 ranking of cities? who was #1": the city edition nearest that year (the newer on a tie),
    named as such, and its first place."""
    city = [e for e in editions.ids() if editions.kind(e) == "city"]
    if not city:
        return []
    eid = min(city, key=lambda e: (abs(editions.year(e) - frame.year), -editions.year(e)))
    cid, res = tools.ok("ranking", edition=eid, top=1)
    rows = (res or {}).get("entities") or []
    if not rows or rows[0].get("score") is None:
        return []
    lead = rows[0]
    return [Line(P("years.nearest", year=str(frame.year), edition=Ed(eid), entity=Ent(lead["name"]),
                   score=score(lead["score"], "composite", cid, entity=lead["name"], edition=eid),
                   cite=row_cite(tools, eid, lead)))]
