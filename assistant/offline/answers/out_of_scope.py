"""out_of_scope: not about the indices or the reports (weather, poems), or a request to change
data or rules. Declined in one sentence that says what can be answered; a request to assert
something false about an entity gets the report's actual figure."""
from __future__ import annotations

from ...tools import ToolRunner
from ..frame import Frame
from . import editions
from .blocks import Ed, Ent, Line, P, Warn
from .scores import composite, count, measure_cite, rank

REFUSED = ("write_request", "injection")


def handle(frame: Frame, tools: ToolRunner):
    refused = frame.reason in REFUSED
    out: list = [Line(P("out_of_scope.refuse" if refused else "out_of_scope.off_topic")), Warn(f"declined: {frame.reason}")]
    if refused and frame.entities:
        ent = frame.entities[0]
        eid = editions.pick(frame) if frame.editions else editions.default_for((ent,))
        if ent in editions.members(eid):
            cid, res = tools.ok("scores", edition=eid, entity=ent)
            if res and res.get("rank") is not None:
                out.append(Line(P("out_of_scope.record", entity=Ent(ent), edition=Ed(eid), composite=composite(res, cid) or "",
                                  rank=rank(res["rank"], "rank", cid, entity=ent, edition=eid),
                                  of=count(res["of"], "entities in edition", cid, edition=eid),
                                  cite=measure_cite(res, "composite", "rank") or "")))
    return out
