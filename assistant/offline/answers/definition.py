"""definition: what a term means, from the reviewed concept data (its definition entry first)."""
from __future__ import annotations

from ...tools import ToolRunner
from ..frame import Frame
from . import concepts


def handle(frame: Frame, tools: ToolRunner):
    return concepts.answer(frame, tools, frame.aspect or "definition")
