"""lookup: an entity's score, rank, tier or indicator value in an edition, answered first,
then its other figures, the chart against the edition's median and leader, and (when the
question named no edition) its standing in the other editions."""
from __future__ import annotations

from ...tools import ToolRunner
from ..frame import Frame
from . import editions, facts, passages
from .blocks import Bullets, Ent, Fallback, Line, P, Quote, Verbatim
from .entity import edition_line, entity_answer
from .scores import edition_note


def handle(frame: Frame, tools: ToolRunner):
    if not frame.entities:
        return Fallback("rank", "no entity named: the ranking answers", {"direction": frame.direction or "top"})
    if frame.year and not frame.editions and not editions.by_year(frame.year):
        return _year_without_edition(frame, tools)
    if frame.aspect == "indicator" or (frame.indicator and not frame.dimension):
        return facts.indicator_answer(frame, tools)
    eid = editions.pick(frame)
    out = edition_note(frame, eid)
    for ent in frame.entities[:3]:
        out += entity_answer(frame, tools, eid, ent, lead=True)
    return out


def _year_without_edition(frame: Frame, tools: ToolRunner) -> list:
    """A year no edition has: what the reports say about that year, then the editions that exist
    for the entity, each labelled with its own year (never silently another year's figures)."""
    year = str(frame.year)
    hits = passages.search(tools, " ".join([*frame.entities, year, frame.topic or ""]).strip(), k=6)
    found = [s for s in passages.best(hits, frame.question, k=4, extra=tuple(frame.entities), must=(year,))
             if not frame.entities or any(e in s.text for e in frame.entities)][:2]
    out: list = []
    if found:
        s = found[0]
        out.append(Line(P("lookup.year_passage", year=year, sentence=Verbatim(s.text, s.cite()), cite=s.cite())))
        for s in found[1:]:
            out.append(Quote(s.cite()))
    else:
        out.append(Line(P("lookup.year_no_passage", year=year)))
    ent = frame.entities[0]
    cid, res = tools.ok("entity_editions", entity=ent)
    eds = (res or {}).get("editions", [])
    if eds:
        out.append(Line(P("lookup.other_years", entity=Ent(ent))))
        out.append(Bullets(edition_line(tools, ent, e, cid) for e in eds))
    return out
