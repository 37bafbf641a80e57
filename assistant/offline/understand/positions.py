"""Entities named by their place in a ranking: "第五名的得分是多少？", "Who is second?",
"Why is the first one so far ahead?". The place is read with the lexicon's
``position_patterns``; the entity is whoever holds that place in the edition (by the
dimension asked, else by composite), so the rest of the question is answered about it.
"""
from __future__ import annotations

import functools
import re

from index_core import api, io

from . import slots
from .lexicon import Words, lexicon, patterns, to_number, words


def place(text: str) -> int | None:
    """The place a question names (1 = first; -1 = last, -2 = second to last), or ``None``."""
    for rx in patterns("position_from_end_patterns"):
        m = rx.search(text)
        if m and (value := to_number(m.group("p"))):
            return -abs(value)
    for rx in patterns("position_patterns"):
        m = rx.search(text)
        if m and (value := to_number(m.group("p"))):
            return -abs(value) if m.groupdict().get("b") else value
    return None


def asked_under(operation: str, text: str) -> tuple[int, int] | None:
    """Rows ``(n, offset)`` of the places a what-if asks about ("第9名和第10名会是谁", "who'd be
    second?"): places in the re-weighted order, not the holders of those places today."""
    if operation != "whatif":
        return None
    spots = sorted({v for rx in patterns("position_patterns") for m in rx.finditer(text)
                    if not m.groupdict().get("b") and (v := to_number(m.group("p")))})
    return (spots[-1] - spots[0] + 1, spots[0] - 1) if spots and spots[-1] - spots[0] < 10 else None


def tier_place(text: str, tier: int | None, operation: str, entities: list[str], editions: tuple[str, ...],
               dimension: str | None) -> str | None:
    """"第二梯队垫底的城市离北京差多少分", "the last city of the second tier vs the leader": in a gap, the
    first or last member of a named tier is a subject beside any entity the question names."""
    if operation != "gap" or tier is None or not editions:
        return None
    spot = tier_end(text)
    held = holder(editions[0], spot, dimension, tier) if spot else None
    return held if held not in entities else None


def tier_end(text: str) -> int | None:
    """The end of a tier the text names: 1 its first member ("第四梯队排第一的"), -1 its last ("the last city of
    the second tier"), else ``None``."""
    return next((end for end, key in ((-1, "last"), (1, "first")) if any(rx.search(text) for rx in patterns("tier_end_patterns", key))),
                None)


def holder(edition: str, position: int, dimension: str | None = None, tier: int | None = None) -> str | None:
    """Who holds ``position`` (-1 = the last place, -2 the one before) in ``edition``, by ``dimension`` or
    composite; within tier (class) ``tier`` when one is given ("第三梯队垫底的是谁")."""
    if tier is not None:
        names = ranked(edition, dimension, tier)
        return names[position - 1 if position > 0 else position] if 0 < abs(position) <= len(names) else None
    res = api.ranking(edition, by=dimension)
    rows = res["entities"]
    if position == -1:
        return rows[-1]["name"] if rows else None
    if position < 0:  # from the end, when the report prints the ranking that far
        place = res["of"] + position + 1
        return next((r["name"] for r in rows if r["rank"] == place), None)
    return next((r["name"] for r in rows if r["rank"] == position), None)


@functools.lru_cache(maxsize=64)
def ranked(edition: str, dimension: str | None = None, tier: int | None = None) -> list[str]:
    """The entities of ``edition`` in rank order, by ``dimension`` or composite (those the report ranks),
    of tier (class) ``tier`` only when one is given."""
    names = [r["name"] for r in sorted(api.ranking(edition, by=dimension)["entities"], key=lambda r: r["rank"])]
    if tier is None or not io.load_edition(edition).spec.tiers:
        return names
    members = {m for t in api.tiers(edition)["tiers"] if t["tier"] == tier for m in t["members"]}
    return [n for n in names if n in members]


@functools.lru_cache(maxsize=1)
def _aliases() -> tuple[tuple[str, int, str], ...]:
    """(lower-cased alias, tier, edition) for every tier the specs give another name
    (2019's 领跑者 / Leaders, 挑战者 / Challengers, ...), longest first."""
    out = []
    for e in api.list_editions():
        tiers = io.load_edition(e["id"]).spec.tiers
        for rule in tiers.rules if tiers else ():
            out += [(a.lower(), rule.tier, e["id"]) for a in (rule.alias_zh, rule.alias_en) if a]
    return tuple(sorted(out, key=lambda x: -len(x[0])))


def tier_aliases(text: str) -> list[tuple[int, int, str]]:
    """(where, tier, edition) of each tier named by its alias ("2019年的挑战者城市")."""
    low, out = text.lower(), []
    for alias, tier, edition in _aliases():
        rx = re.compile(rf"(?<![a-z]){re.escape(alias)}(?![a-z])" if alias.isascii() else re.escape(alias))
        out += [(m.start(), tier, edition) for m in rx.finditer(low)]
    return out


def tier_asked(text: str, operation: str, entities: list[str], editions: tuple[str, ...], source: str | None,
               tier: int | None) -> tuple[str, int | None, tuple[str, ...]]:
    """A question about tiers as the tier operation: (operation, tier, editions).

    A tier named by its alias ("who are the Challengers?") is that tier of the edition that
    names it; a question about how the tiers are made up ("每个梯队各有几个城市") lists every
    tier. Questions about one entity keep their operation (the premise is checked instead)."""
    if entities:
        return operation, tier, editions
    named = tier_aliases(text)
    if named:
        _, number, edition = named[0]
        # "who are the leaders in 2020?": the asked edition's tier of that number (its own name for it),
        # or its own answer that it has no tiers (the GTII)
        keep = editions if source not in (None, "default") and editions else (edition,)
        # "那几个梯队分别叫什么？就是领跑者那种叫法": the names of them all, the alias an example
        return "tier", None if words("tier_names_asked")(text.lower()) else number, keep
    if tier is None and operation in ("count", "coverage") and Words.of(lexicon()["tier_words"])(text.lower()) and \
            not slots.tiers_listed(text.lower()):  # "the first four tiers together": counted (slots.counted_range)
        return "tier", None, editions
    if tier is not None and operation in ("count", "coverage") and words("aspects", "method", "thresholds")(text.lower()):
        return "tier", tier, editions  # "which cities are in the fourth tier, and what's the cut-off?": its line and members
    if tier is not None and operation == "coverage":
        return "count", tier, editions  # "how many districts are in class three?": that class's members, counted
    if tier is not None and operation in ("tier", "rank", "lookup") and \
            (Words.of(lexicon()["superlative"])(text.lower()) and not slots.number(text.lower()) or tier_end(text)):
        return "leader", tier, editions  # "第三梯队里分数最低的是谁", "第四梯队排第一的城市": that end of the tier, not its list
    if len(slots.tiers_listed(text.lower())) > 1 and operation in ("gap", "compare", "lookup", "method", "leader"):
        return "tier", None, editions  # "the difference between the first and second tier": both, side by side
    if tier is not None and operation in ("method", "lookup"):
        # "第三梯队的分数线": that tier, with its threshold and members; "name every city in the third tier
        # with scores" (a lookup with no one to look up): its members and their scores
        return "tier", tier, editions
    return operation, tier, editions
