"""The published figures a hypothetical starts from: before a what-if or a sensitivity run
says what would change, it states what the report prints for the entity (composite, rank,
tier), with the line that prints it."""
from __future__ import annotations

from ...tools import ToolRunner
from . import editions
from .blocks import Cite, Ed, Ent, Join, Line, P
from .scores import composite, count, measure_cite, of_kind, rank, tier_phrase


def published_line(tools: ToolRunner, eid: str, ent: str) -> Line | None:
    """``In the <edition>, <entity>'s composite score is S, rank R of N <kind>, <tier>. [cite]``,
    or ``None`` when the edition prints no composite for it (a class-only district)."""
    cid, res = tools.ok("scores", edition=eid, entity=ent)
    if not res or res.get("rank") is None:
        return None
    comp = composite(res, cid)
    if comp is None:
        return None
    return Line(P("lookup.score", edition=Ed(eid), entity=Ent(ent), composite=comp,
                  rank=rank(res["rank"], "composite rank", cid, entity=ent, edition=eid),
                  of=count(res["of"], "entities in edition", cid, edition=eid), kind=of_kind(eid),
                  tier=tier_phrase(res, cid) or "", cite=Join([c for c in (
                      measure_cite(res, "composite", "rank", any_score=True),
                      # the dimension scores a hypothetical re-weights (the table row)
                      measure_cite(res, *(f"{k}.score" for k in res.get("dimensions") or ()))) if c], "sep.space")))


def weights_cite(eid: str) -> Cite | str:
    """The report's statement of the edition's dimension weights (what a what-if or a sensitivity
    run departs from), or ``""`` when none is printed."""
    src = next((d.source for d in editions.spec(eid).dimensions if d.source), None)
    return Cite(src.file, int(src.line)) if src else ""
