"""What a question asserts, to be checked before it is answered (not checked here).

"Why did Shenzhen come first?" asserts rank 1; "why did X drop out of the top 10"
that X is outside the top 10; "2020年上海比深圳高多少分" that 上海 is ahead of 深圳;
"the 2024 edition" that a 2024 edition exists. Patterns are in ``lexicon.yaml``.
"""
from __future__ import annotations

from .editions import EditionChoice
from .lexicon import patterns, to_number
from .mention import Mention

INDEX_OPERATIONS = {"lookup", "compare", "gap", "rank", "leader", "count", "tier", "why", "breakdown", "change",
                    "method", "whatif", "sensitivity", "coverage"}
_VALUED = ("rank", "outside_top", "in_top", "tier", "class")


def _marked(text: str, mentions: list[Mention], entities: list[str]) -> tuple[str, list[tuple[int, str]]]:
    """``text`` with entity mentions as ``§E<i>`` and edition names as ``§X0``, and where
    each entity marker starts."""
    out, last, where = [], 0, []
    for m in sorted(mentions, key=lambda m: m.start):
        if m.start < last or m.kind not in ("entity", "edition") or m.kind == "entity" and not m.resolved:
            continue
        out.append(text[last:m.start])
        if m.kind == "entity":
            name = m.targets[0].target
            where.append((sum(len(x) for x in out), name))
            out.append(f"§E{entities.index(name)}")
        else:
            out.append("§X0")
        last = m.end
    out.append(text[last:])
    return "".join(out), where


def extract(text: str, mentions: list[Mention], entities: list[str], operation: str, choice: EditionChoice,
            dimension: str | None) -> list[dict]:
    """Premises as dicts of :class:`~assistant.offline.frame.Premise` fields."""
    if operation not in INDEX_OPERATIONS:
        return []
    edition = choice.editions[0] if choice.editions and choice.source != "default" else None
    out: list[dict] = []
    if choice.missing_year:
        out.append({"kind": "edition_year", "value": choice.missing_year, "edition": choice.named})
    marked, where = _marked(text, mentions, entities)
    for kind in ("ordering", "membership"):
        for rx in patterns("premise_patterns", kind):
            for m in rx.finditer(marked):
                a = entities[int(m.group("a")[2:])]
                b = entities[int(m.group("b")[2:])] if "b" in m.groupdict() and m.group("b") else None
                out.append({"kind": kind, "entity": a, "other": b, "edition": edition,
                            "dimension": dimension if kind == "ordering" else None})
    if not entities:
        return _unique(out)
    for kind in ("outside_top", "in_top", "rank", "tier", "class", "leader", "last"):
        for rx in patterns("premise_patterns", kind):
            for m in rx.finditer(marked):
                before = [name for pos, name in where if pos <= m.start()]
                entity = before[-1] if before else entities[0]
                value = None
                if kind in _VALUED:
                    value = to_number(m.group("v") or m.groupdict().get("w") or "")
                    if not value or value < 1:
                        continue
                if any(p["kind"] in ("outside_top", "in_top") for p in out) and kind == "rank":
                    continue  # "out of the top 10" is not a claim of rank 10
                if kind == "leader" and any(p["kind"] == "rank" and p["value"] == 1 and p["entity"] == entity
                                            and p["dimension"] == dimension for p in out):
                    continue  # "排名第一" is one claim, whether read as rank 1 or as the leader
                out.append({"kind": kind, "entity": entity, "value": value, "edition": edition,
                            "dimension": dimension if kind not in ("tier", "class") else None})
    return _unique(out)


def _unique(premises: list[dict]) -> list[dict]:
    seen, out = set(), []
    for p in premises:
        key = tuple(sorted((k, str(v)) for k, v in p.items()))
        if key not in seen:
            seen.add(key)
            out.append({k: v for k, v in p.items() if v is not None})
    return out
