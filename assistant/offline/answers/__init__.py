"""Answering: one handler per :data:`~assistant.offline.frame.Operation` (``<operation>.py``),
and the router that runs them.

A handler is ``handle(frame, tools) -> list[Block] | Fallback``. It never calls another
handler: when it cannot answer it declares a :class:`~.blocks.Fallback`, and the router
runs that operation instead and records the route (LlamaIndex's router: a selector over
declared candidates, the route kept in the response). Around every handler the router
puts the checks that apply to every question: unlinked names first, then false premises,
and after the answer the reviewed notes on any figure it used and how fuzzy names were read.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Callable

from ...tools import ToolRunner
from ..frame import OPERATIONS, Frame
from . import links, narrative, notes, premises, year_before, years
from .blocks import Fallback, Warn

Handler = Callable[[Frame, ToolRunner], Any]

HANDLERS: dict[str, Handler] = {op: importlib.import_module(f"{__name__}.{op}").handle for op in OPERATIONS}


@dataclass
class Routed:
    blocks: list
    route: str
    frame: Frame
    fallbacks: list[dict] = field(default_factory=list)

    def info(self) -> dict:
        return {"frame": self.frame.summary(), "route": self.route,
                "fallback": self.fallbacks[-1] if self.fallbacks else None,
                **({"fallbacks": self.fallbacks} if len(self.fallbacks) > 1 else {})}


def route(frame: Frame, tools: ToolRunner) -> Routed:
    taken = []
    if reason := narrative.answers_instead(frame) or narrative.text_measure(frame, tools):  # the reports' text answers what no edition measures
        taken.append({"from": frame.operation, "to": "narrative", "reason": reason})
        frame = frame.model_copy(update={"operation": "narrative", "reason": narrative.TAKEN})
    blocks, stop = links.unresolved(frame, tools)
    if stop:
        return Routed(blocks, "links", frame)
    if year_before.answers(frame) and (before := year_before.handle(frame, tools)):
        return Routed(before, "year_before", frame)  # the report prints the year before: no "no such edition"
    checked = premises.check(frame, tools)
    blocks += checked
    if frame.polarity and any(isinstance(b, Warn) and b.text.startswith("false premise") for b in checked):
        # "why is Beijing in the third tier?": the reasons are for where it really stands
        frame = frame.model_copy(update={"polarity": None})
    doubted, alone = notes.lead(frame, tools)  # "is there an error in…": the reviewed notes first
    blocks += doubted
    if alone:
        return Routed(blocks + links.fuzzy_notes(frame), "notes", frame)
    if years.uncovered(frame) and frame.operation in years.FIGURES:
        blocks += years.answer(frame, tools)
        return Routed(blocks + notes.for_blocks(blocks, tools, frame) + links.fuzzy_notes(frame), "years", frame)
    op, fallbacks = frame.operation, taken
    out = HANDLERS[op](frame, tools)
    visited = {op}
    while isinstance(out, Fallback):
        # a chain may pass several handlers (compare -> lookup -> rank -> tier); coming back to one is a loop
        if out.operation in visited or out.operation not in HANDLERS:
            raise RuntimeError(f"fallback loop: {fallbacks} then {out}")
        visited.add(out.operation)
        fallbacks.append({"from": op, "to": out.operation, "reason": out.reason})
        blocks += list(out.keep)
        frame = frame.model_copy(update={**out.update, "operation": out.operation})
        op = out.operation
        out = HANDLERS[op](frame, tools)
    blocks += list(out)
    blocks += notes.for_blocks(blocks, tools, frame)
    blocks = notes.settle(blocks, frame, tools)
    blocks += links.fuzzy_notes(frame)
    return Routed(blocks, op, frame, fallbacks)
