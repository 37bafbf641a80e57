"""Statistics of an edition that prints few scores and ranks the rest by class (the Chongqing
district index prints one composite of 38): a median, average or spread of all its scores cannot
be computed, so the first sentence says so, with the scores it does print, and where the classes
put the statistic (the class holding the middle places for a median, the largest class otherwise)."""
from __future__ import annotations

from ...tools import ToolRunner
from . import editions
from .blocks import Ed, Join, Line, P
from .scores import count, tier_name, tier_threshold


def by_class(tools: ToolRunner, eid: str, statistic: str, of: int, printed: int, scores) -> tuple:
    """The lead line (empty when the edition's classes do not hold all ``of`` entities). ``printed``
    scores of the ``of`` entities are printed; ``scores`` is their phrase ("渝北区 87.89 分")."""
    cid, res = tools.ok("tiers", edition=eid)
    tiers = sorted((res or {}).get("tiers", []), key=lambda t: t["tier"])
    if not tiers or sum(t["count"] for t in tiers) != of:
        return ()
    kind = P(f"kind.{editions.kind(eid)}")
    if statistic == "median":  # the class of the middle place(s), counted from the top class down
        places, seen, held = {(of + 1) // 2, of // 2 + 1}, 0, []
        for t in tiers:
            if any(seen < p <= seen + t["count"] for p in places):
                held.append(t)
            seen += t["count"]
        where = P("classes.median_in", label=Join([tier_name(t, cid) for t in held], "sep.or"),
                  threshold=Join([tier_threshold(t, cid, eid) for t in held], "sep.or"))
    else:
        t = max(tiers, key=lambda x: x["count"])
        where = P("classes.most_in", n=count(t["count"], "members", cid), of=count(of, "entities in edition", cid, edition=eid),
                  kind=kind, label=tier_name(t, cid), threshold=tier_threshold(t, cid, eid))
    return (Line(P("classes.statistic", edition=Ed(eid), statistic=P(f"classes.{statistic}"),
                   printed=count(printed, "entities ranked", cid), of=count(of, "entities in edition", cid, edition=eid),
                   kind=kind, scores=scores, where=where)),)
