"""The report's own statement of a tier or class ("第一类：双创指数得分在80分以上的区县有 / 1个，
为渝北区。"), as a citation: a count of a tier's members, or of the entities above or below a
score that is a class boundary, is what that statement says, so the answer cites it rather than
the score table or an entity's profile."""
from __future__ import annotations

from ...tools import ToolRunner
from . import filters
from .blocks import Cite
from .scores import tier_cite


def for_filters(tools: ToolRunner, eid: str, args: dict) -> list[Cite]:
    """Statements a count's filters rest on: the tier(s) asked for, or the class whose boundary is the
    score threshold asked for (≥ its threshold: that class; below it: the class under it)."""
    wanted = filters.tiers_kept(args)
    if "min_score" not in args and "max_score" not in args and not wanted:
        return []
    _, res = tools.ok("tiers", edition=eid)
    rules = sorted((res or {}).get("tiers", []), key=lambda t: t["tier"])
    bounds = [t.get("threshold") for t in rules]
    for i, t in enumerate(rules):
        if args.get("min_score") is not None and bounds[i] == args["min_score"]:
            wanted.append(t["tier"])
        if args.get("max_score") is not None and i > 0 and bounds[i - 1] == args["max_score"]:
            wanted.append(t["tier"])
    return [c for c in (tier_cite(t, eid) for t in rules if t["tier"] in wanted) if c]
