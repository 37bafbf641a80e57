"""A dimension's Chinese name with one slip that the exact pass read as a shorter word inside it
("硬科技企亚指数": 硬科技 the concept, but 硬科技企业 the dimension). Beside :mod:`.fuzzy`, which
reads what the exact pass left; this mends what it took."""
from __future__ import annotations

from rapidfuzz import fuzz

from . import pinyin
from .catalogue import Catalogue
from .mention import Mention


def mend(low: str, mentions: list[Mention], cat: Catalogue, taken: list[bool]) -> list[Mention]:
    """A dimension's Chinese name with one slip that an exact pass read as a shorter word inside it
    ("硬科技企亚指数": 硬科技 the concept, but 硬科技企业 the dimension): the exact mention is replaced by
    the dimension, linked fuzzily (same length, one character different, or a homophone)."""
    out = []
    for m in mentions:
        hit = None
        if m.kind not in ("dimension", "entity", "year", "period") and not m.surface.isascii():
            for form, targets in cat.dimension_cjk.items():
                window = low[m.start:m.start + len(form)]
                if len(form) >= 4 and len(form) > m.end - m.start and len(window) == len(form) and window != form \
                        and form.startswith(low[m.start:m.end]) and not any(taken[m.end:m.start + len(form)]) \
                        and (pinyin.homophones(window, form) or sum(a == b for a, b in zip(window, form)) == len(form) - 1):
                    hit = Mention(m.start, m.start + len(form), window, "dimension", tuple(targets), "fuzzy",
                                  round(fuzz.ratio(window, form), 1), (form,))
                    break
        if hit:
            taken[hit.start:hit.end] = [True] * (hit.end - hit.start)
        out.append(hit or m)
    return out
