"""The score it took to enter a top list ("进入生物技术领域TOP10的门槛", "the cut-off for the TOP15"): the
score of the list's last place (the N asked, else the last place the report prints) and the report's own
sentence about that 门槛, which also gives the year before's. An edition with tiers answers the
question of its tiers' lines instead (method.py)."""
from __future__ import annotations

from ...tool_args import RANKING_MAX
from ...tools import ToolRunner
from ..frame import Frame
from . import editions, passages
from .blocks import Cite, Dim, Ed, Ent, Line, P, Verbatim
from .scores import count, rank, score
from .vocab import rules


def answers(frame: Frame) -> bool:
    """Is ``frame`` a question of a top list's cut-off in an edition without tiers (method.py routes it here)?"""
    return frame.operation == "method" and frame.aspect == "thresholds" and bool(frame.editions) and \
        not editions.has_tiers(frame.editions[0])


def handle(frame: Frame, tools: ToolRunner, eid: str) -> list:
    """Lines on the entry score of ``eid``'s top list (on ``frame.dimension`` if it is one of the
    edition's), or ``[]`` when no place is printed with its score."""
    dim = frame.dimension if frame.dimension in editions.dimension_keys(eid) else None
    cid, res = tools.ok("ranking", edition=eid, top=RANKING_MAX, **({"by": dim} if dim else {}))
    rows = [r for r in (res or {}).get("entities", []) if r.get("score") is not None]
    if not rows:
        return []
    n = frame.n if frame.n and frame.n <= len(rows) else len(rows)
    last = rows[n - 1]
    src = last.get("source") or {}
    cite = Cite(src["source_file"], int(src["line"]), needles=(str(src.get("printed") or ""),)) if src.get("source_file") else ""
    by = Dim(eid, dim) if dim else P("compare.composite")
    out = [Line(P("entry.lead", edition=Ed(eid), by=by, n=count(n, "top N", cid, edition=eid),
                  score=score(last["score"], "entry score", cid, entity=last["name"], edition=eid, dimension=dim),
                  entity=Ent(last["name"]), rank=rank(last["rank"], "rank", cid, entity=last["name"], edition=eid,
                                                      dimension=dim), cite=cite))]
    said = _said(tools, eid, dim) if dim else None  # the report states a 门槛 of its fields' lists only
    if said is not None:
        out.append(Line(P("entry.said", sentence=Verbatim(said.text, said.cite()), cite=said.cite())))
    return out


def _said(tools: ToolRunner, eid: str, dim: str | None):
    """The report's sentence on the 门槛 of this list, found in the list's own section (the section
    title names the field; the sentence may name another by a slip, as 001:2582 does)."""
    words = rules()["entry_words"]
    name = editions.dimension_label(eid, dim, "zh") if dim else ""
    hits = passages.search(tools, f"{name} {' '.join(words)}", k=8, edition=eid)
    mine = [h for h in hits if not name or name in (h.get("section") or "")]
    found = passages.best(mine, f"{name} {' '.join(words)}", k=1, must=tuple(words[:1]))
    return found[0] if found else None
