"""concept: what a report says a term or framework consists of, where it comes from, which
year's data an index uses — from the reviewed concept data, answer sentence first."""
from __future__ import annotations

from ...tools import ToolRunner
from ..frame import Frame
from . import concepts


def handle(frame: Frame, tools: ToolRunner):
    return concepts.answer(frame, tools, frame.aspect)
