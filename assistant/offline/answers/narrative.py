"""narrative: anything else the reports' text answers. The best-answering sentence inside the
retrieved passages is stated first, with its citation; the next best follow as quotes."""
from __future__ import annotations

from ...tools import ToolRunner
from ..frame import Frame
from . import concepts, passages, years
from .blocks import Line, P, Quote, Verbatim, Warn

K = 6


def handle(frame: Frame, tools: ToolRunner):
    # a reviewed concept entry that surely states the answer comes before a search of the text
    _, res = tools.ok("concept", topic=frame.topic or frame.question, question=frame.question,
                      **({"edition": frame.editions[0]} if frame.editions and frame.edition_source == "explicit" else {}))
    if concepts.states(res):
        return concepts.blocks(res, frame.language, frame.aspect) + concepts.supporting(frame, tools, res["concept"])
    # a facet asked (origin, parts…): the topic and the facet's cue words find it best; else topic and question
    focus = passages.cues(frame.aspect) if frame.topic else ()
    parts = (frame.topic, *frame.entities, *focus) if focus else (frame.topic, *frame.entities, frame.question)
    query = " ".join(dict.fromkeys(x for x in parts if x))
    docs = years.documents_of(frame.year) if years.uncovered(frame) else []
    filters = {"edition": frame.editions[0] if frame.editions and frame.edition_source == "explicit" else None,
               "entity": frame.entities[0] if frame.entities else None, "document": docs[0]["id"] if docs else None}
    hits = passages.search(tools, query, k=K, **filters)
    question = f"{frame.question} {frame.topic or ''}"
    found = passages.best(hits, question, k=3, extra=tuple(frame.entities), aspect=frame.aspect, subject=frame.topic)
    if not passages.supported(found) and any(filters.values()):
        hits = passages.search(tools, f"{query} {frame.question}", k=K)
        found = passages.best(hits, question, k=3, extra=tuple(frame.entities), aspect=frame.aspect)
    if not passages.supported(found):
        return [Line(P("narrative.nothing")), Warn("no passage answers the question")]
    best, *more = found
    out: list = [Line(P("narrative.lead", title=best.doc_title or "", sentence=Verbatim(best.text, best.cite()),
                        cite=best.cite()))]
    more = [s for s in more if s.score >= passages.SUPPORT]
    if more:
        out.append(Line(P("narrative.more")))
        out += [Quote(s.cite()) for s in more]
    return out
