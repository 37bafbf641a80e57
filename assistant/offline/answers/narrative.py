"""narrative: anything else the reports' text answers. The best-answering sentence inside the
retrieved passages is stated first, with its citation; the next best follow as quotes.

:func:`answers_instead` is the router's check before an index handler runs: a question about a
figure the editions do not measure (a city's R&D spending in a journal article, a market size in
the 2024 white paper's news) is answered from the text instead of refused or met with a score."""
from __future__ import annotations

from ... import concept_index
from ...tools import ToolRunner
from ..frame import Frame
from . import concepts, editions, passages, years
from .blocks import Line, P, Quote, Verbatim, Warn

K = 6
# Operations answered from an edition's figures, which a reviewed entry of the reports' text may answer instead.
FIGURE_OPERATIONS = {"lookup", "compare", "gap", "rank", "leader", "count", "tier", "change", "breakdown", "method",
                     "coverage"}
TAKE_SHARED = 10.0  # weight of a name's words the question must share (concept_index._weights)
SURE_LINK = 90
TAKEN = "reports_text"  # frame.reason of a figure question the router handed to the text (answers_instead)  # a dimension or indicator linked at least this surely is what the question asks about


def answers_instead(frame: Frame) -> str | None:
    """Why a reviewed entry of the reports' text, about no edition, answers ``frame`` rather than
    the index (``None``: the index does). The question names no index measure surely and no
    index word (score, rank, tier, weight…), and the entry surely states what it asks."""
    if frame.operation not in FIGURE_OPERATIONS or frame.reason in ("unknown_measure",):
        return None
    if frame.indicator and any(editions.has_fact(e, frame.indicator) for e in frame.entities):
        return None  # the facts tables answer, with the line the report prints it on
    found = concept_index.ranked(frame.question, None, frame.question)
    entry = found[0][1] if found else None
    if entry is None or entry.get("edition") or concept_index.says_index_word(frame.question, entry):
        return None
    if frame.entities and not any(concept_index.mentions(entry, name) for name in frame.entities) and \
            editions.entities_in(concept_index.text_of(entry)):
        return None  # the text answers about someone else (Chongqing's survey is no answer about Chengdu)
    measured = [link for link in frame.links if link.kind in ("dimension", "indicator") and link.target]
    sure = any(link.score >= SURE_LINK and link.method not in ("fuzzy", "pinyin") for link in measured)
    # a measure the index surely has is the index's, unless the question names the entry or says all of a long name
    strength = concept_index.strength(entry, "", frame.question)
    whole = strength["named"] or strength["share"] >= 1.0 and strength["shared"] >= 2 * TAKE_SHARED
    if _answers(entry, frame.question) and (whole or not sure):
        return f"the reports' text answers it ({entry['id']}), not an edition's figures"
    return None


def _answers(entry: dict | None, question: str) -> bool:
    """An entry about no edition that the question names, or most of one of whose names it says
    (a looser bar than :func:`concept_index.states`: such an entry has no edition to compete with)."""
    if not entry or entry.get("edition"):
        return False
    strength = concept_index.strength(entry, question, question)
    return strength["named"] or strength["shared"] >= TAKE_SHARED and strength["share"] >= concept_index.LIKE


def handle(frame: Frame, tools: ToolRunner):
    # a reviewed concept entry that surely states the answer comes before a search of the text
    _, res = tools.ok("concept", topic=frame.topic or frame.question, question=frame.question,
                      **({"edition": frame.editions[0]} if frame.editions and frame.edition_source == "explicit" else {}))
    if concepts.states(res) or frame.reason == TAKEN and _answers((res or {}).get("concept"), frame.question):
        entry = res["concept"]
        return _no_report(frame, entry.get("quote") or "") + concepts.blocks(res, frame.language, frame.aspect) + \
            concepts.supporting(frame, tools, entry)
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
    out: list = _no_report(frame, best.text) + [Line(P("narrative.lead", title=best.doc_title or "", sentence=Verbatim(best.text, best.cite()),
                        cite=best.cite()))]
    more = [s for s in more if s.score >= passages.SUPPORT]
    if more:
        out.append(Line(P("narrative.more")))
        out += [Quote(s.cite()) for s in more]
    return out


def _no_report(frame: Frame, said: str) -> list:
    """A year the question names that no report and no edition has, and the answer's text does not
    mention either ("the 2023 white paper"): said first, so the nearest text is not taken for it."""
    if years.uncovered(frame) and not years.documents_of(frame.year) and str(frame.year) not in said:
        return [Line(P("years.no_report", year=str(frame.year)))]
    return []
