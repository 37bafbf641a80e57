"""Surface the reviewed notes on the reports' own inconsistencies (``notes.yaml``, served by
the core's notes API) whenever an answer uses a figure they concern: the entity's figures
from that edition, or a cited line the note covers."""
from __future__ import annotations

from typing import Any, Iterator

from ...tools import ToolRunner
from .blocks import Bullets, Cite, Join, Line, Local, Num, P, Table, Verbatim, Warn


def _values(node: Any) -> Iterator[Any]:
    if isinstance(node, (Line,)):
        yield from _values(node.phrase)
    elif isinstance(node, P):
        for v in node.slots.values():
            yield from _values(v)
    elif isinstance(node, Join):
        for v in node.items:
            yield from _values(v)
    elif isinstance(node, Bullets):
        for v in node.items:
            yield from _values(v)
    elif isinstance(node, Table):
        for row in (node.head, *node.rows):
            for v in row:
                yield from _values(v)
    elif isinstance(node, Verbatim):
        yield node.cite
    elif isinstance(node, Num):
        yield node
        if isinstance(node.source, Cite):
            yield node.source
    elif isinstance(node, Cite):
        yield node
    elif hasattr(node, "cite") and isinstance(getattr(node, "cite"), Cite):
        yield node.cite


def used(blocks: list) -> tuple[dict[tuple[str, str], set[str]], list[Cite]]:
    """(edition, entity) pairs whose figures the blocks state, with the measures stated
    (``composite``, dimension keys, indicator labels), and the passages they cite."""
    pairs: dict[tuple[str, str], set[str]] = {}
    cites: list[Cite] = []
    for b in blocks:
        for v in _values(b):
            if isinstance(v, Num) and v.edition and v.entity:
                measure = v.dimension or ("composite" if v.unit is None else v.label)
                pairs.setdefault((v.edition, v.entity), set()).add(measure)
            elif isinstance(v, Cite):
                cites.append(v)
    return pairs, cites


def _measures(note: dict) -> set[str]:
    """What a note's findings concern: ``composite``, a dimension key or an indicator name
    (``<check>:<edition>:<line>:<entity>:<measure>``); empty when the note lists none."""
    return {f.split(":", 4)[4].split(".")[0] for f in note.get("findings") or [] if f.count(":") >= 4}


def for_blocks(blocks: list, tools: ToolRunner) -> list:
    pairs, cites = used(blocks)
    out: list = []
    shown: set[tuple] = set()
    for edition in sorted({e for e, _ in pairs}):
        _, res = tools.ok("notes", edition=edition)
        for n in (res or {}).get("notes", []):
            first, last = n["lines"]
            stated = pairs.get((edition, n.get("entity")))
            # about a figure the answer states: the entity's, and (when the note says) the same measure
            about = stated is not None and (not _measures(n) or bool(_measures(n) & stated))
            overlaps = any(c.source_file == n["source_file"] and c.first <= last and first <= c.end for c in cites)
            key = (n["source_file"], first, last)
            if (about or overlaps) and key not in shown:
                shown.add(key)
                out.append(Line(P("notes.caution", text=Local(n["zh"], n["en"]), cite=Cite(n["source_file"], first, last))))
                out.append(Warn(f"report note: {n.get('kind')} ({n['source_file']} {first}-{last})"))
    return out
