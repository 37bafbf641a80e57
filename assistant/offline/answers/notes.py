"""The reviewed notes on the reports' own inconsistencies (``notes.yaml`` per edition, served by
the core's ``notes`` tool), in answers.

Two places use them:

* :func:`lead`, before the handler: a question that doubts the figures ("is there an error in…",
  "数据有矛盾吗", "why is X above Y although its score is lower?") gets the notes on what it names
  first; with nothing named, every note of the editions it names (or of all editions); and when
  no note concerns what it names, the sentence that the consistency check found none.
* :func:`for_blocks`, after the handler: any answer that states a figure a note concerns (the
  entity's figure in that edition, a cited line the note covers, or a question that names what
  the note's ``cues`` list) carries the note.

A note is shown with the figure as printed (quoted) and its reading. The cue words are data
(``consistency_cues.yaml`` beside this module)."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from index_core import io
from index_core.io import read_yaml

from ...tools import ToolRunner
from ..frame import Frame
from . import editions, entry
from .blocks import Aside, Bullets, Cite, Dim, Ed, Ent, Join, Line, Local, Num, P, Quote, Table, Verbatim, Warn

KINDS = ("contradiction", "arithmetic", "rank_order", "count", "typo", "rounding")
# operations whose own answer would not be about a figure: the notes are the answer
_NOTES_ANSWER = frozenset({"out_of_scope", "unanswerable", "narrative", "concept", "definition", "method"})
# operations whose answer states no printed figure to vouch for (the method's weights answer "do they add up?")
_NOT_FIGURES = _NOTES_ANSWER | {"whatif", "sensitivity"}


@lru_cache(maxsize=1)
def cues() -> dict[str, tuple[str, ...]]:
    data = read_yaml(Path(__file__).with_name("consistency_cues.yaml"))
    return {k: tuple(str(w).lower() for w in data.get(k, [])) for k in ("strong", "weak", "check")}


def _norm(text: str) -> str:
    return "".join(text.lower().split())


def doubt(question: str) -> str | None:
    """``"strong"`` when the question asks about an error or inconsistency, ``"weak"`` when it only
    doubts a figure ("对吗", "although its score is lower"), else None."""
    q = _norm(question)
    for level in ("strong", "weak"):
        if any(w in q for w in cues()[level]):
            return level
    return None


# --- what a note concerns ---------------------------------------------------------------------

def _keys(note: dict) -> Iterator[list[str]]:
    """Finding keys ``<check>:<edition>:<line>:<entity>:<measure>`` split into their fields."""
    for f in note.get("findings") or []:
        parts = f.split(":", 4)
        if len(parts) == 5:
            yield parts


def _measures(note: dict) -> set[str]:
    """What a note's findings concern: ``composite``, a dimension key or a stated quantity."""
    return {p[4].split(".")[0] for p in _keys(note)}


def _involved(note: dict) -> set[str]:
    """Entities a note concerns: its own, and those its findings name."""
    return ({note["entity"]} if note.get("entity") else set()) | {p[3] for p in _keys(note) if p[3] != "-"}


_FIGURE = re.compile(r"\d+[.,]\d+")


def _quotes_printed(note: dict, question: str) -> bool:
    """Whether the question quotes a figure with a decimal mark exactly as the note's passage
    prints it ("2,73%", "51.44", "8.51分"): the user is asking about that printed figure."""
    printed = str(note.get("printed") or "")
    return any(re.search(rf"(?<![\d.,]){re.escape(f)}(?![\d])", printed) for f in _FIGURE.findall(question))


def _cued(note: dict, question: str) -> bool:
    """Whether the question names what the note is about: a term from every group of its
    ``cues``, or a figure quoted as the note's passage prints it."""
    groups = note.get("cues") or []
    q = _norm(question)
    return bool(groups) and all(any(_norm(str(t)) in q for t in g) for g in groups) or _quotes_printed(note, question)


# a citation this many lines long or more spans a table or a chapter, not the passage a note is on
WIDE_CITE = 12


def _overlaps(note: dict, cites: list[Cite], narrow: bool = False) -> bool:
    """Does a citation cover the note's lines (with ``narrow``, one shorter than ``WIDE_CITE``)?"""
    first, last = note["lines"]
    return any(c.source_file == note["source_file"] and c.first <= last and first <= c.end
               and not (narrow and c.end - c.first >= WIDE_CITE) for c in cites)


def _cited_editions(cites: list[Cite]) -> set[str]:
    """Editions with a reviewed note on a cited passage (read from the shipped notes, so the
    notes tool is called only for an edition that has one)."""
    files = {c.source_file for c in cites}
    return {eid for eid in editions.ids() if editions.spec(eid).source.file in files
            and any(_overlaps(n, cites) for n in io.load_edition(eid).notes)}


def _notes(tools: ToolRunner, eids: list[str]) -> list[tuple[str, dict]]:
    """(edition, note) pairs; each note carries the id of the tool call that served it (``_call``)."""
    out = []
    for eid in eids:
        cid, res = tools.ok("notes", edition=eid)
        out += [(eid, {**n, "_call": cid}) for n in (res or {}).get("notes", [])]
    return out


# --- how a note is shown ------------------------------------------------------------------------

def _key(note: dict) -> tuple:
    return (note["source_file"], *note["lines"])


def caution(note: dict) -> list:
    """The note as a caution: what to say, the figure as printed and its reading, cited."""
    first, last = note["lines"]
    cite = Cite(note["source_file"], first, last)
    other = note.get("corroboration") or {}
    # the other place the report prints the figure (a conflicting value, the table a sum comes from)
    cites = Join([cite, Cite(other["source_file"], *other["lines"])], "sep.space") if other.get("lines") else cite
    text = Local(note["zh"], note["en"], note.get("_call"))
    reading = note.get("reading") or {}
    if note.get("printed") and reading.get("zh") and reading.get("en"):
        kind = note.get("kind") if note.get("kind") in KINDS else "other"
        phrase = P("notes.caution_read", text=text, kind=P(f"notes.kind.{kind}"),
                   printed=Verbatim(str(note["printed"]), cite), reading=Local(reading["zh"], reading["en"], note.get("_call")),
                   cite=cites)
    else:
        phrase = P("notes.caution", text=text, cite=cites)
    return [Line(phrase), Warn(f"report note: {note.get('kind')} ({note['source_file']} {first}-{last})")]


def _shown(blocks: list) -> set[tuple]:
    """Notes already in the answer (by the warning each caution carries)."""
    out = set()
    for b in blocks:
        if isinstance(b, Warn) and b.text.startswith("report note:"):
            where = b.text.rsplit("(", 1)[-1].rstrip(")")
            source_file, _, span = where.partition(" ")
            first, _, last = span.partition("-")
            if first.isdigit() and last.isdigit():
                out.add((source_file, int(first), int(last)))
    return out


# --- the figures an answer states ---------------------------------------------------------------

def _values(node: Any) -> Iterator[Any]:
    if isinstance(node, (Line, Aside)):
        yield from _values(node.phrase)
    elif isinstance(node, P):
        for v in node.slots.values():
            yield from _values(v)
    elif isinstance(node, (Join, Bullets)):
        for v in node.items:
            yield from _values(v)
    elif isinstance(node, Table):
        for row in (node.head, *node.rows):
            for v in row:
                yield from _values(v)
    elif isinstance(node, Num):
        yield node
        if isinstance(node.source, Cite):
            yield node.source
    elif isinstance(node, (Cite, Ent)):
        yield node
    elif isinstance(node, (Verbatim, Quote)):
        yield node.cite


def used(blocks: list) -> tuple[dict[tuple[str, str], set[str]], list[Cite], set[str]]:
    """(edition, entity) pairs whose figures the blocks state, with the measures stated
    (``composite``, dimension keys, indicator labels); the passages they cite; and every
    edition a stated number comes from."""
    pairs: dict[tuple[str, str], set[str]] = {}
    cites: list[Cite] = []
    stated: set[str] = set()
    for b in blocks:
        for v in _values(b):
            if isinstance(v, Num) and v.edition:
                stated.add(v.edition)
                if v.entity:
                    measure = v.dimension or ("composite" if v.unit is None else v.label)
                    pairs.setdefault((v.edition, v.entity), set()).add(measure)
            elif isinstance(v, Cite):
                cites.append(v)
    return pairs, cites, stated


def for_blocks(blocks: list, tools: ToolRunner, frame: Frame | None = None) -> list:
    """Cautions for every reviewed note on a figure the blocks state, on a passage they cite,
    or on what the question names (the note's ``cues``), each once."""
    pairs, cites, stated = used(blocks)
    question = frame.question if frame is not None else ""
    wanted = stated | (set(frame.editions[:1]) if frame is not None else set())
    # a question may name what a note of another edition drawn from the same report is about
    # (one white paper may hold a national and a global index)
    reports = {editions.spec(e).source.file for e in wanted if e in editions.ids()}
    same_report = {e for e in editions.ids() if editions.spec(e).source.file in reports}
    # a cited passage may carry a note of any edition drawn from its report
    candidates = sorted(wanted | _cited_editions(cites) | same_report)
    out: list = []
    shown = _shown(blocks)
    entities = {e for _, e in pairs} | set(frame.entities if frame is not None else ())
    for edition, n in _notes(tools, candidates):
        figures = pairs.get((edition, n.get("entity")))
        about = figures is not None and (not _measures(n) or bool(_measures(n) & figures))
        # a passage about another entity may sit inside a note's lines: the entity must be in the answer;
        # an answer naming no entity takes the note only from a citation of its own passage, not of a
        # whole table that happens to hold the row (a method answer citing the tier statements)
        overlaps = ((not _involved(n) or bool(_involved(n) & entities)) and _overlaps(n, cites)) or \
            (not entities and _overlaps(n, cites, narrow=True))
        named = edition in wanted | same_report and _cued(n, question)
        if (about or overlaps or named) and _key(n) not in shown:
            shown.add(_key(n))
            out += caution(n)
    return out


# --- questions that doubt the figures -----------------------------------------------------------

def _picked(frame: Frame, notes: list[tuple[str, dict]], strong: bool) -> list[tuple[str, dict]]:
    """The notes on what the question names: its entities (and dimension, when the note says
    which), its dimension, or the note's cues; with nothing named, every note if ``strong``.
    A weak doubt ("although", "对吗") names a note only through its dimension or two of its
    entities (an ordering), so that "why is X third although…" does not bring up X's typo."""
    ents, dim = set(frame.entities), frame.dimension
    out = []
    for eid, n in notes:
        involved, measures = _involved(n), _measures(n)
        on_dim = dim is not None and eid in frame.editions[:1] and dim in measures
        if ents and strong:
            hit = bool(ents & involved) and (dim is None or not measures or dim in measures)
        elif ents:
            hit = bool(ents & involved) and (on_dim or len(ents & involved) >= 2)
        else:
            hit = on_dim
        if hit or _cued(n, frame.question):
            out.append((eid, n))
    if strong and not out and not ents and dim is None:
        return notes
    return out


def _cued_answer(frame: Frame, tools: ToolRunner) -> list:
    """A question about what a note's cues name (the materials threshold, the US cities of the
    China-US comparison) that no figure handler answers: the note is the answer."""
    if frame.operation not in _NOTES_ANSWER or not frame.editions:
        return []
    out: list = []
    for _, n in _notes(tools, list(frame.editions[:1])):
        if _cued(n, frame.question):
            out += caution(n)
    return out


def lead(frame: Frame, tools: ToolRunner) -> tuple[list, bool]:
    """Blocks that answer a doubt about the figures first, and whether they are the whole answer
    (the handler's own answer would not be about a figure)."""
    level = doubt(frame.question)
    if level is None:  # a cut-off the entry answer states is its own answer; its line's note follows it
        cued = [] if entry.answers(frame) else _cued_answer(frame, tools)
        return cued, bool(cued)
    named = bool(frame.entities) or frame.dimension is not None
    explicit = frame.edition_source in ("explicit", "year", "dimension", "inherited") and frame.editions
    where = list(frame.editions[:1]) if explicit else list(editions.ids())
    notes = _notes(tools, where)
    picked = _picked(frame, notes, strong=level == "strong")
    alone = not named or frame.operation in _NOTES_ANSWER
    if picked:
        if not named and len(picked) == len(notes):
            head = P("notes.lead_all", where=Join([Ed(e) for e in where], "sep.semi"))
        else:
            head = P("notes.lead_found" if level == "strong" else "notes.lead_related")
        out = [Line(head)]
        for _, n in picked:
            out += caution(n)
        return out, alone
    if level == "strong" and named:
        what = [Ent(e) for e in frame.entities] or [Dim(frame.editions[0], frame.dimension)]
        return [Line(P("notes.lead_none", where=Join([Ed(e) for e in where], "sep.semi"),
                       what=Join(what))), Warn("consistency check: no note")], False
    return [], False


def settle(blocks: list, frame: Frame, tools: ToolRunner) -> list:
    """A question that asks outright whether figures are right ("排得对不对", "is the table
    consistent?") and got no reviewed note on a figure stated: the notes on the entities the
    answer names (a tier's members, a list) come first; with none, the sentence that the check
    found none in what it states (the entities named, else the dimension, else the figures listed)."""
    q = _norm(frame.question)
    asked = doubt(frame.question) == "strong" or any(w in q for w in cues()["check"])
    # "…只有6个，对吗？" doubts the question's own premise, which the answer has corrected first
    if not asked or frame.operation in _NOT_FIGURES or _shown(blocks) or \
            any(isinstance(b, Warn) and b.text.startswith(("consistency check", "false premise")) for b in blocks):
        return blocks
    _, _, stated = used(blocks)
    where = [e for e in frame.editions if e in stated][:1] or sorted(stated)[:1]
    if not where:
        return blocks
    named = {v.name for b in blocks for v in _values(b) if isinstance(v, Ent)} | set(frame.entities)
    measure = frame.dimension or "composite"
    hits = [n for _, n in _notes(tools, where) if _involved(n) & named and (not _measures(n) or measure in _measures(n))]
    if hits:
        return [Line(P("notes.lead_found")), *[c for n in hits for c in caution(n)], *blocks]
    what = [Ent(e) for e in frame.entities] or ([Dim(where[0], frame.dimension)] if frame.dimension else [])
    head = P("notes.lead_none", where=Ed(where[0]), what=Join(what)) if what else P("notes.lead_none_listed", where=Ed(where[0]))
    return [Line(head), Warn("consistency check: no note"), *blocks]
