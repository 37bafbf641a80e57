"""A place's figure against its edition's average or median ("is that above average?",
"高于平均水平吗"): which side it is on, with the statistic over every entity the edition
ranks, both from tool results."""
from __future__ import annotations

from ...tools import ToolRunner
from ..frame import Frame
from .blocks import Dim, Ed, Ent, Line, P
from .scores import count, of_kind, score

STATISTICS = {"versus_mean": "mean", "versus_median": "median"}


def versus(frame: Frame, tools: ToolRunner, eid: str, ent: str, res: dict, cid: str) -> Line | None:
    """``Line`` saying whether the entity's score (from the ``scores`` result ``res`` of call ``cid``) (its composite, or the dimension asked) is above,
    at or below the statistic the frame asks for; ``None`` when not asked or not computable."""
    stat = STATISTICS.get(frame.aspect or "")
    dim = frame.dimension if frame.dimension in res.get("dimensions", {}) else None
    value = (res["dimensions"][dim].get("score") if dim else
             res.get("published_composite") if res.get("published_composite") is not None else res.get("composite"))
    if stat is None or value is None:
        return None
    scid, sres = tools.ok("stats", edition=eid, by=dim)
    if not sres or sres.get(stat) is None:
        return None
    level = sres[stat]
    side = "above" if value > level else "below" if value < level else "at"
    return Line(P(f"average.{side}_{stat}", entity=Ent(ent), edition=Ed(eid), n=count(sres["n"], "entities averaged", scid),
                  kind=of_kind(eid), measure=Dim(eid, dim) if dim else P("average.composite"),
                  value=score(value, f"{dim or 'composite'} score", cid, entity=ent, edition=eid, dimension=dim),
                  level=score(level, stat, scid, edition=eid)))
