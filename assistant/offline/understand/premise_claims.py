"""Premises beyond one place or tier: a band of places ("ranked in the 20s", "二十名开外",
"倒数五名里"), how many a count comes to ("前15名里中国城市只有6个"), and a city set against
one of its own districts ("重庆市和渝北区哪个分高": two indices, not one ranking).

Cues are data (``lexicon.yaml``: ``premise_patterns_more``, ``compare_asked``); the claims are
checked by ``answers/premise_checks.py``.
"""
from __future__ import annotations

import re

from .catalogue import Catalogue
from .lexicon import lexicon, patterns, to_number, words
from .mention import Mention

# questions whose answer is a set the count is taken of ("only 2 US cities in the top 15?" reads as a list)
TALLY_OPERATIONS = ("count", "rank", "coverage")
_WITHIN = re.compile(r"(?:\b(?:in|within|of|across)\s+(?:the\s+)?|在|于|全)\s*$", re.IGNORECASE)  # "in Chongqing": the index's place
_NEGATED = re.compile(r"(?:不是|并非|不在|没有|没|不|未|\b(?:not|isn'?t|wasn'?t|never)\s+(?:\S+\s+)?)\s*$", re.IGNORECASE)


def rx(kind: str) -> tuple[re.Pattern, ...]:
    """The patterns of a premise kind: ``premise_patterns`` and ``premise_patterns_more``."""
    base = patterns("premise_patterns", kind) if kind in lexicon()["premise_patterns"] else ()
    more = patterns("premise_patterns_more", kind) if kind in lexicon().get("premise_patterns_more", {}) else ()
    return base + more


def _band(m: re.Match) -> str | None:
    """``"lo-hi"`` (hi may be empty: past the 20th), ``"b<N>"`` (the bottom N), ``"h+"`` / ``"h-"``
    (the top / bottom half) or ``"r<N>"`` (the Nth from the bottom)."""
    got = m.groupdict()
    if got.get("half"):
        return "h-" if any(w in got["half"].lower() for w in ("后", "下", "bottom", "lower")) else "h+"
    if got.get("r"):
        n = to_number(got["r"])
        return f"r{n}" if n and n > 1 else None
    if got.get("b"):
        n = to_number(got["b"])
        return f"b{n}" if n and n > 1 else None
    lo = to_number(got.get("lo") or "")
    if not lo:
        return None
    after = m.group(0)
    if re.search(r"开外|以外|之外|以后|往后", after):  # "二十名开外": past the 20th place
        return f"{lo + 1}-"
    return f"{lo}-{lo + 9}"


def ranges(marked: str, where: list[tuple[int, str | None]], entities: list[str], edition: str | None,
           dimension_by) -> list[dict]:
    """"Beijing's innovation environment (ranked in the 20s)": the entity named before the band
    (or the first), on the dimension when one is named in the same clause."""
    out = []
    for pattern in rx("rank_range"):
        for m in pattern.finditer(marked):
            if _NEGATED.search(marked[max(0, m.start() - 8):m.start()]):
                continue  # "为什么不在倒数五名里" asserts the opposite
            value = _band(m)
            if value is None:
                continue
            before = [name for pos, name in where if pos <= m.start() and name]
            out.append({"kind": "rank_range", "entity": before[-1] if before else entities[0], "value": value,
                        "edition": edition, "dimension": dimension_by(m.end())})
    return out


def tally(marked: str, operation: str, edition: str | None, found: list[dict]) -> list[dict]:
    """"前15名里中国城市我记得只有6个": the number a count question says it comes to (only in
    count or list questions, and not the edition's size, which ``count`` premises hold)."""
    if operation not in TALLY_OPERATIONS or any(p["kind"] == "count" for p in found):
        return []
    for pattern in rx("tally"):
        for m in pattern.finditer(marked):
            value = to_number(m.group("v"))
            if value is not None and value >= 0:
                return [{"kind": "tally", "value": value, "edition": edition}]
    return []


def weight(text: str, mentions: list[Mention], edition: str | None) -> list[dict]:
    """"硬科技投入权重也是35%吧", "so innovation input weighs 35%?": the share (percent) a dimension
    named just before the weight word (or within its phrase) is said to weigh."""
    low = text.lower()
    dims = [(m.start, m.end, t.target) for m in mentions if m.kind == "dimension" for t in m.targets if t.edition == edition]
    for pattern in rx("weight"):
        for m in pattern.finditer(low):
            named = [k for a, b, k in dims if 0 <= m.start() - b <= 12 or m.start() <= a < m.end()]
            value = float(m.group("v"))
            if named and 0 < value <= 100:
                return [{"kind": "weight", "dimension": named[-1], "value": value, "edition": edition}]
    return []


def indicator_value(text: str, mentions: list[Mention], entities: list[str], edition: str | None) -> list[dict]:
    """"Beijing had only 38 state key labs", "深圳2017年有2000家高新技术企业吗": the figure the question
    gives, within a few characters of an indicator it names, for the one place it names (a year, a
    number glued to letters such as "10k" or "3x", and a place in a ranking are not such figures)."""
    if len(entities) != 1:
        return []
    for m in (m for m in mentions if m.kind == "indicator" and m.resolved):
        start = max(0, m.start - NEAR_INDICATOR)
        for figure in FIGURE.finditer(text[start:m.end + NEAR_INDICATOR]):
            if not YEARISH.match(text, start + figure.start()):
                return [{"kind": "indicator_value", "entity": entities[0], "value": float(figure.group("v")),
                         "indicator": m.targets[0].target, "edition": edition}]
    return []


NEAR_INDICATOR = 12  # characters either side of an indicator's name that its stated figure may stand
FIGURE = re.compile(r"(?<![\d.A-Za-z第前])(?P<v>\d+(?:\.\d+)?)(?![\d.A-Za-z名位强])")
YEARISH = re.compile(r"(?:19|20)\d\d(?=年|[^\u3400-\u9fff]|$)")  # a year, not a count ("2000家")


def city_against_district(text: str, mentions: list[Mention], entities: list[str], cat: Catalogue) -> list[dict]:
    """"重庆市和渝北区哪个分高", "Is Chongqing's score higher than Yubei's?": the city (read as the
    name of its districts' index) compared with one of its districts, which only that index ranks."""
    if not words("compare_asked")(text.lower()):
        return []
    for m in mentions:
        if m.kind == "entity" and m.targets and m.targets[0].target in cat.district_editions_of:
            # "重庆市和渝北区": said beside one of its districts, the city stays a subject of its own
            city = m.targets[0].target
            parts = [e for e in entities if e != city and cat.entity_region.get(e) == city]
            if len(parts) == 1 and len(entities) == 2:
                return [{"kind": "cross_index", "entity": city, "other": parts[0]}]
            continue
        if m.kind != "edition":
            continue
        city = next((t.target for form in (m.surface, m.surface.rstrip("市")) for t in cat.targets(form)
                     if t.kind == "entity" and t.target in cat.district_editions_of), None)
        if city is None or not any(t.target in cat.district_editions_of[city] for t in m.targets):
            continue
        parts = [e for e in entities if cat.entity_region.get(e) == city]
        # one district against the city itself, not "Yubei or Jiangbei, which does better in Chongqing"
        after = next((x for x in mentions if x.kind == "entity" and x.start >= m.end), None)
        qualifies = after is not None and not text[m.end:after.start].strip(" 's’的市")  # "重庆渝北区": one place
        if len(parts) == 1 and len(entities) == 1 and not qualifies and \
                not _WITHIN.search(text[max(0, m.start - 8):m.start]) and not words("kinds", "district")(text[m.end:m.end + 6].lower()):
            return [{"kind": "cross_index", "entity": city, "other": parts[0]}]
    return []
