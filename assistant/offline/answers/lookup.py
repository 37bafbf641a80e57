"""lookup: an entity's score, rank, tier or indicator value in an edition, answered first,
then its other figures, the chart against the edition's median and leader, and (when the
question named no edition) its standing in the other editions."""
from __future__ import annotations

from ...tools import ToolRunner
from ..frame import Frame
from . import editions, fact_pairs, facts
from .blocks import Fallback
from .entity import entity_answer
from .scores import edition_note

MAX_ENTITIES = 3  # more than this read better as a comparison


def handle(frame: Frame, tools: ToolRunner):
    if not frame.entities:
        return Fallback("rank", "no entity named: the ranking answers", {"direction": frame.direction or "top"})
    if frame.period and any(editions.period(e) for e in frame.editions):
        return Fallback("change", "another period: what the report states against it")
    if len(frame.entities) == 2 and (stated := fact_pairs.between(frame, tools)) is not None:
        return stated  # "which had more patents per 10k, Hangzhou or Wuhan?": the two side by side
    if frame.aspect == "indicator" or (frame.indicator and not frame.dimension):
        return facts.indicator_answer(frame, tools)
    if len(frame.entities) > MAX_ENTITIES:
        return Fallback("compare", "several entities: side by side")
    eid = editions.pick(frame)
    out = edition_note(frame, eid)
    # "分别排名第几" in two named editions: each of them answers, in the order named
    asked = frame.editions if frame.edition_source == "explicit" and len(frame.editions) > 1 else (eid,)
    for edition in asked:
        for ent in frame.entities:
            out += entity_answer(frame, tools, edition, ent, lead=True)
    return out
