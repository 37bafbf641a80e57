"""A part of a question that asks more of the passage the part before it was answered from, folded
into that part: "重庆科研机构R&D经费支出多少，同比增长多少？", "中关村有多少家独角兽企业？在全球排第几？",
"how many high-tech enterprises…, what share of the national total, and where did it rank?". The
passage that answers the first answers the rest; answered apart, "在全球排第几" would be read as a
question about an index's ranking. Read by :func:`assistant.offline.parts.frames_of`."""
from __future__ import annotations

from .. import concept_index
from .cuts import width
from .frame import Frame

SHORT_ASK = 16         # width of a part that only asks for more ("同比增长多少？")
SAME_FIGURE_ASK = 32   # width of a part naming nothing that asks more of a figure ("what share of the national total")
# figure questions the router may hand to the text ("中关村有多少家独角兽企业"): a part after one that was asks
# more of the same passage ("在全球排第几？")
FIGURES_IN_TEXT = {"lookup", "count", "rank", "gap", "compare", "change"}


def into(before: Frame, frame: Frame, part: str, text_answered: bool) -> Frame | None:
    """``before`` with ``part`` added to its question when the part asks more of what answered it
    (``text_answered``: the reports' text did); ``None`` when the part is a question of its own."""
    if frame.links:
        return None
    wide = width(part) <= SAME_FIGURE_ASK
    passage = before.operation in ("narrative", "concept") or before.indicator
    if not (passage and (width(part) <= SHORT_ASK or wide and _of_the_same(frame)) or
            text_answered and before.operation in FIGURES_IN_TEXT and wide and _of_the_text(frame)):
        return None
    # the text answered the first: it answers both (an index word added, "在全球排第几", must not re-route it)
    routed = {"operation": "narrative", "reason": "reports_text"} \
        if text_answered and before.operation != "concept" and concept_index.says_index_word(part) else {}
    return before.model_copy(update={"question": f"{before.question} {part}", **routed})


def _of_the_same(frame: Frame) -> bool:
    """A part that asks nothing of an index of its own (no tier, filter, N or count: "what share of the
    national total", not "第四梯队一共几个城市"), so it can ask more of the figure before it."""
    return frame.operation not in ("count", "tier", "coverage", "compare", "gap", "whatif", "sensitivity") and \
        frame.tier is None and not frame.filters and frame.n is None


def _of_the_text(frame: Frame) -> bool:
    """A part that asks more of the passage a figure question was answered from ("日本的占多少？",
    "在全球排第几？"): no tier, filter or N of an index's, and not what a term means."""
    return frame.operation not in ("concept", "definition", "whatif", "sensitivity") and \
        frame.tier is None and not frame.filters and frame.n is None
