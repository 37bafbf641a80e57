"""Entities named by their place in a ranking: "第五名的得分是多少？", "Who is second?",
"Why is the first one so far ahead?". The place is read with the lexicon's
``position_patterns``; the entity is whoever holds that place in the edition (by the
dimension asked, else by composite), so the rest of the question is answered about it.
"""
from __future__ import annotations

from index_core import api

from .lexicon import patterns, to_number


def place(text: str) -> int | None:
    """The place a question names (1 = first; -1 = last, -2 = second to last), or ``None``."""
    for rx in patterns("position_from_end_patterns"):
        m = rx.search(text)
        if m and (value := to_number(m.group("p"))):
            return -abs(value)
    for rx in patterns("position_patterns"):
        m = rx.search(text)
        if m and (value := to_number(m.group("p"))):
            return value
    return None


def holder(edition: str, position: int, dimension: str | None = None) -> str | None:
    """Who holds ``position`` (-1 = the last place, -2 the one before) in ``edition``, by ``dimension`` or composite."""
    res = api.ranking(edition, by=dimension)
    rows = res["entities"]
    if position == -1:
        return rows[-1]["name"] if rows else None
    if position < 0:  # from the end, when the report prints the ranking that far
        place = res["of"] + position + 1
        return next((r["name"] for r in rows if r["rank"] == place), None)
    return next((r["name"] for r in rows if r["rank"] == position), None)
