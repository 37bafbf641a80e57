"""unanswerable: refuse only what nothing supports. The corpus is searched first; a passage
that answers hands over to the narrative answer. Otherwise say what the reports do not give
(never an invented number) and what the index does say about the entity."""
from __future__ import annotations

from ...tools import ToolRunner
from ..frame import Frame
from . import editions, passages
from .blocks import Ed, Ent, Fallback, Line, P, Warn
from .scores import composite, count, measure_cite, rank


def handle(frame: Frame, tools: ToolRunner):
    if frame.reason != "unknown_measure":
        hits = passages.search(tools, frame.topic or frame.question, k=5,
                               entity=frame.entities[0] if frame.entities else None)
        if passages.supported(passages.best(hits, frame.question, k=1, extra=tuple(frame.entities))):
            return Fallback("narrative", "a passage answers it")
    what = frame.topic or ""
    key = "unanswerable.measure_entity" if frame.entities and what else "unanswerable.measure" if what else \
        "unanswerable.none_entity" if frame.entities else "unanswerable.none"
    out: list = [Line(P(key, entity=Ent(frame.entities[0]) if frame.entities else "", measure=what)),
                 Warn(f"unanswerable: {frame.reason or 'no support'}")]
    if frame.entities:
        ent = frame.entities[0]
        eid = frame.editions[0] if frame.editions and ent in editions.members(frame.editions[0]) else editions.default_for((ent,))
        if ent in editions.members(eid):
            cid, res = tools.ok("scores", edition=eid, entity=ent)
            if res and (res.get("composite") is not None or res.get("published_composite") is not None):
                out.append(Line(P("unanswerable.index_says", entity=Ent(ent), edition=Ed(eid), composite=composite(res, cid),
                                  rank=rank(res["rank"], "rank", cid, entity=ent, edition=eid) if res.get("rank") else "",
                                  of=count(res["of"], "entities in edition", cid, edition=eid),
                                  cite=measure_cite(res, "composite", "rank") or "")))
    return out
