"""Who is highest or lowest on a measure the report ranks only in charts (the Chongqing
sub-indices): its reviewed statement ("双创活力最低的为彭水县，15.58") answers, shared by the
leader and rank answers."""
from __future__ import annotations

from ..frame import Frame
from . import editions
from .blocks import Fallback
from .vocab import rules


def statement(frame: Frame, eid: str, bottom: bool) -> Fallback:
    """Hand over to the concept answer on "<measure>最高/最低" (``extremes`` in rules.yaml); on the
    composite of an edition with classes, to its last (first) class."""
    if frame.dimension is None and editions.has_tiers(eid):
        # no statement names the lowest (highest) total: the last (first) class is who is known to be there
        numbers = [r.tier for r in editions.spec(eid).tiers.rules]
        return Fallback("tier", "no printed score at this end: its class answers",
                        {"tier": max(numbers) if bottom else min(numbers)})
    if bottom and editions.printed_from_top(eid, frame.dimension):
        # "who came last in the GTII": only its top is printed; the ranking says so and lists the lowest printed
        return Fallback("rank", "the last places are not printed: the lowest printed", {"n": frame.n or 3})
    return Fallback("concept", "no printed ranking: the report's statement names the leader",
                    {"topic": topic(eid, frame.dimension, bottom) if frame.dimension else frame.topic or frame.question,
                     "aspect": aspect(bottom)})


def topic(eid: str, dimension: str, bottom: bool) -> str:
    """The name of the reviewed statement of a dimension's highest (lowest) place: "双创活力最低"."""
    return f"{editions.dimension_label(eid, dimension, 'zh')}{rules()['extremes']['bottom' if bottom else 'top']}"


def aspect(bottom: bool) -> str:
    return "lowest" if bottom else "highest"
