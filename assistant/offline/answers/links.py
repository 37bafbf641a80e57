"""Names the question used that were not linked, or linked only by a fuzzy match.

An unresolved entity gets "did you mean …" (the linker's suggestions) or "not covered" with
the editions that exist; it is never replaced by a different question's answer. A fuzzy
or romanised match is answered, with a note saying how the name was read."""
from __future__ import annotations

from ...tools import ToolRunner
from ..frame import Frame
from . import editions
from .blocks import Aside, Dim, Ed, Ent, Join, Line, P, Warn
from .scores import count, count_cite, covered
from .vocab import rules

# Operations whose answer is about the named entity: with no entity left, nothing else is answered.
ENTITY_CENTRED = {"lookup", "compare", "gap", "why", "breakdown", "change", "rank", "leader", "count", "tier",
                  "whatif", "sensitivity"}
# Operations that would rank by another measure if the named one were dropped ("bottom 3 by X" is not "bottom 10").
MEASURE_CENTRED = {"rank", "leader", "count"}


def _suggestion(kind: str, target: str, frame: Frame):
    if kind == "entity" and editions.known_entity(target):
        return Ent(target)
    if kind == "dimension":  # by its name in the edition asked, else in the edition that has it (never the key)
        eid = next((e for e in (editions.pick(frame), *editions.ids()) if target in editions.dimension_keys(e)), None)
        if eid:
            return Dim(eid, target)
    return target


def unresolved(frame: Frame, tools: ToolRunner) -> tuple[list, bool]:
    """Blocks for the mentions that could not be linked, and whether to stop there."""
    out: list = []
    missing_entity = missing_measure = False
    if frame.operation in ("out_of_scope", "definition", "concept", "narrative"):
        return out, False  # about no entity's figures: a word that looked like a name changes nothing
    elsewhere = {str(p.value) for p in frame.premises if p.kind == "dimension"}  # said by the premise check
    for link in frame.unresolved:
        if link.kind not in ("entity", "dimension", "indicator", "edition", "concept"):
            continue
        if link.kind == "dimension" and elsewhere & set(link.suggestions):
            continue
        if link.suggestions and (link.kind != "entity" or link.score >= rules()["did_you_mean_min_score"]):
            options = Join([_suggestion(link.kind, s, frame) for s in link.suggestions[:3]], "sep.or")
            out.append(Line(P("links.did_you_mean", surface=link.surface, options=options)))
        elif link.kind == "entity":
            out.append(Line(P("links.not_covered", surface=link.surface)))
            if frame.editions and frame.edition_source not in (None, "default", "inherited"):
                # the edition the question named, with the report's own count of what it covers ("it covers 38 cities")
                out.append(Line(P("lookup.not_in_edition", entity=link.surface, edition=Ed(frame.editions[0]),
                                  covers=covered(frame.editions[0]))))
            if link.suggestions:  # a weaker likeness (深川 ~ 深圳): offered, not assumed
                options = Join([_suggestion(link.kind, s, frame) for s in link.suggestions[:3]], "sep.or")
                out.append(Line(P("links.maybe", options=options)))
            out += _editions_list(tools)
        else:
            out.append(Line(P("links.unknown", surface=link.surface)))
        out.append(Warn(f"unknown {link.kind}: {link.surface}"))
        missing_entity = missing_entity or link.kind == "entity"
        missing_measure = missing_measure or link.kind in ("dimension", "indicator")
    stop = (missing_entity and not frame.entities and frame.operation in ENTITY_CENTRED) or \
        (missing_measure and not frame.dimension and not frame.indicator and frame.operation in MEASURE_CENTRED)
    return out, stop


def edition_items(res: dict | None, cid: str) -> list[P]:
    """One phrase per edition of an ``editions`` tool result: its name and how many entities it covers."""
    return [P("links.edition_item", edition=Ed(e["id"]), n=count(e["entities"], "entities in edition", cid, edition=e["id"]),
              kind=P(f"kind.{e['entity_kind']}"), cite=count_cite(e["id"]))
            for e in (res or {}).get("editions", []) if e.get("entities")]


def _editions_list(tools: ToolRunner) -> list:
    cid, res = tools.ok("editions")
    items = edition_items(res, cid)
    return [Line(P("links.editions", items=Join(items, "sep.semi")))] if items else []


def fuzzy_notes(frame: Frame) -> list:
    """How fuzzily linked names were read ("Shenzen" as Shenzhen)."""
    out = []
    for link in frame.links:
        # names only: an indicator or a title read loosely is named in full by the answer itself
        if link.target and link.kind in ("entity", "dimension") and link.method in ("fuzzy", "pinyin") and \
                link.surface != link.target:
            out.append(Aside(P("links.read_as", surface=link.surface, target=_suggestion(link.kind, link.target, frame))))
    return out
