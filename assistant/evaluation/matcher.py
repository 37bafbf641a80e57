"""Matching answers against expectations: numbers (with formats and units), ranks,
tiers, percentages, Chinese numerals, citations (file + line overlap) and routing
(tool names). Faithfulness (numbers traceable to a tool result or a cited quote) is
the assistant's own verifier, :func:`assistant.verify.verify`, which the runner calls.

Everything here is pure text processing (no index_core). What counts as a number, and
what it is worth, is :mod:`assistant.numerals`, the grammar the verifier reads with too.

Kinds of expected number:

``score``   a value in points (or any real number): 50.99 / 50.99分 / 51.0 within the
            item's tolerance.
``rank``    an ordinal position: 第3名 / 排名第三 / 位列第3 / 3rd / rank 3 / No. 3 / #3 /
            "ranks third", or a value in a table column headed 排名/rank.
``tier``    a tier or class: 第二梯队 / 第2梯队 / tier 2 / Tier II / second tier / 2nd-tier /
            第二类 / class 2, or 2019's tier aliases (领跑者 = 1 ... 追赶者 = 4).
``percent`` a share: 15% / 15 % / 0.15 / 百分之十五 / 15 percent (stored as the ratio 0.15).
``count``   a whole number, arabic or Chinese (三十六 = 36).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from ..numerals import CN_CHARS, CN_NUMERAL, ORDINAL_WORDS, fold, parse_chinese_number, standalone_numbers

__all__ = [
    "Found", "ExpectedNumber", "normalise_text", "parse_chinese_number", "extract_numbers",
    "match_number", "implied_tolerance", "contains_term", "citation_overlap", "routing_ok",
    "normalise_tool_name", "ORDINAL_WORDS",
]

_ORD_RX = "|".join(sorted((re.escape(w) for w in ORDINAL_WORDS), key=len, reverse=True))
_CARDINAL_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                   "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6}
TIER_ALIASES = {"领跑者": 1, "挑战者": 2, "建设者": 3, "追赶者": 4}

# ---------------------------------------------------------------------------- extraction


@dataclass(frozen=True)
class Found:
    """A number found in text. ``kind`` is ``number`` (plain), ``percent`` (value is the
    ratio, 15% -> 0.15), ``rank`` or ``tier``. ``decimals`` is the printed precision."""

    value: float
    kind: str
    raw: str
    start: int
    decimals: int = 0


def normalise_text(text: str) -> str:
    """NFKC (full-width digits and ％), drop markdown emphasis and citation markers [1] / 【2】 / [c1]."""
    t = unicodedata.normalize("NFKC", text or "")
    t = re.sub(r"\[(?:c|t)?\d{1,3}\](?!\()", " ", t)       # [1], [c2] (not markdown links [x](y))
    t = re.sub(r"【\d{1,3}】", " ", t)
    t = re.sub(r"\*\*|__|`", "", t)
    return fold(t)


_PCT_CN_RX = re.compile(rf"百分之({CN_NUMERAL})")
_NUM_OR_CN = rf"(\d+|[{CN_CHARS}]+)"
_NOT_RANK_AFTER = r"(?!\s*(?:梯队|类|档|层|批|届|期|部分|章|节|条|季度|个|大|次|产业|篇|款|阶段|级|一级|二级|位数))"
_RANK_ZH = [
    re.compile(rf"(?:排名|排行|名次|位次|排位)\s*(?:为|是|:|：)?\s*(?:全国|全球|第)?\s*{_NUM_OR_CN}\s*(?:名|位)?{_NOT_RANK_AFTER}"),
    re.compile(rf"(?:位列|位居|名列|排在|排|居|列|处于|位于)\s*(?:全国|全球|所有城市|各城市)?\s*(?:的)?\s*第\s*{_NUM_OR_CN}\s*(?:名|位)?{_NOT_RANK_AFTER}"),
    re.compile(rf"(?<![排位名居列在于])第\s*{_NUM_OR_CN}\s*(?:名|位)(?!数)"),
    re.compile(rf"(?<![排位名居列在于])第\s*{_NUM_OR_CN}{_NOT_RANK_AFTER}(?=\s*[，,。；;、)）(（\s|]|\s*$)"),
    re.compile(rf"(?:并列|排名并列)\s*第?\s*{_NUM_OR_CN}"),
]
_RANK_EN = [
    re.compile(r"\brank(?:ed|s|ing)?\s*(?:is|of|at|:|=)?\s*(?:#|no\.?\s*|number\s*)?(\d+)\b(?!\.\d)", re.I),
    re.compile(rf"\brank(?:ed|s|ing)?\s+(?:is\s+|at\s+)?(?:the\s+)?({_ORD_RX})\b", re.I),
    re.compile(r"(?<![A-Za-z0-9_.])(\d+)(?:st|nd|rd|th)\b(?![\s-]*(?:tier|class|quarter|century|edition|percentile))", re.I),
    re.compile(rf"\b({_ORD_RX})\b(?![\s-]*(?:tier|class|quarter|century|edition|dimension|half|largest|level|part|round|time))", re.I),
    re.compile(r"(?<![A-Za-z0-9_#])#\s?(\d+)\b(?!\.\d)"),
    re.compile(r"\bNo\.\s*(\d+)\b(?!\.\d)"),
    re.compile(r"\bplace\s*(\d+)\b", re.I),
]
_TIER_ZH = [
    re.compile(rf"第\s*{_NUM_OR_CN}\s*(?:梯队|类)"),
    re.compile(rf"(?:梯队|类别|分类)\s*(?:为|是|:|：)?\s*{_NUM_OR_CN}\b"),
]
_TIER_EN = [
    re.compile(r"\btier\s*(?:is\s+|of\s+|:\s*)?(\d+|i{1,3}|iv|v|vi)\b", re.I),
    re.compile(rf"\b({_ORD_RX}|\d+(?:st|nd|rd|th))[\s-]+(?:tier|class)\b", re.I),
    re.compile(r"\bclass\s*(\d+|i{1,3}|iv|v)\b", re.I),
]
_RANK_HEADERS = ("排名", "名次", "位次", "rank", "#")
_TIER_HEADERS = ("梯队", "tier", "class", "类别", "分类")


def _to_int(token: str) -> int | None:
    t = token.strip().lower()
    if t.isdigit():
        return int(t)
    m = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", t)
    if m:
        return int(m.group(1))
    if t in ORDINAL_WORDS:
        return ORDINAL_WORDS[t]
    if t in _ROMAN:
        return _ROMAN[t]
    if t in _CARDINAL_WORDS:
        return _CARDINAL_WORDS[t]
    v = parse_chinese_number(token)
    return int(v) if v is not None and v == int(v) else None


def _decimals(raw: str) -> int:
    return len(raw.split(".", 1)[1]) if "." in raw else 0


def _table_columns(text: str) -> list[Found]:
    """Values in markdown-table columns headed 排名/rank (ranks) or 梯队/tier (tiers)."""
    out: list[Found] = []
    lines = text.splitlines()
    pos = 0
    offsets = []
    for ln in lines:
        offsets.append(pos)
        pos += len(ln) + 1
    i = 0
    while i < len(lines):
        row = lines[i].strip()
        if row.startswith("|") and i + 1 < len(lines) and re.fullmatch(r"\|?\s*:?-{2,}.*", lines[i + 1].strip()):
            header = [c.strip().lower() for c in row.strip("|").split("|")]
            kinds = {}
            for j, h in enumerate(header):
                if any(k in h for k in _RANK_HEADERS) and "分" not in h and "score" not in h:
                    kinds[j] = "rank"
                elif any(k in h for k in _TIER_HEADERS):
                    kinds[j] = "tier"
            i += 2
            while i < len(lines) and lines[i].strip().startswith("|"):
                cells = [c.strip() for c in lines[i].strip().strip("|").split("|")]
                for j, kind in kinds.items():
                    if j < len(cells):
                        m = re.search(rf"{_NUM_OR_CN}|\b(i{{1,3}}|iv|v)\b", cells[j], re.I)
                        v = _to_int(m.group(0).lstrip("第")) if m else None
                        if v is not None:
                            out.append(Found(float(v), kind, cells[j], offsets[i]))
                i += 1
            continue
        i += 1
    return out


def extract_numbers(text: str) -> list[Found]:
    """Every number in ``text``, typed where the wording says what it is.

    A plain number is always reported as ``number`` (so a 3 written as 第3名 is
    both a ``rank`` 3 and a ``number`` 3); percentages as ``percent`` (ratio)."""
    t = normalise_text(text)
    found: list[Found] = []
    for n in standalone_numbers(t):
        found.append(Found(n.value, "number", n.text, n.start, n.decimals))
        if n.percent:
            found.append(Found(n.value / 100, "percent", n.text, n.start, n.decimals + 2))
    for m in _PCT_CN_RX.finditer(t):
        v = parse_chinese_number(m.group(1))
        if v is not None:
            found.append(Found(v / 100, "percent", m.group(0), m.start(), 2))
    for m in re.finditer(rf"(?<![{CN_CHARS}第])({CN_NUMERAL})(?=[个名位座家项分座城市区县年%类档])", t):
        if len(m.group(1)) >= 2 or m.group(1) in "十":
            v = parse_chinese_number(m.group(1))
            if v is not None:
                found.append(Found(v, "number", m.group(0), m.start(), _decimals(str(v)) if v != int(v) else 0))
    for kind, patterns in (("rank", _RANK_ZH + _RANK_EN), ("tier", _TIER_ZH + _TIER_EN)):
        for rx in patterns:
            for m in rx.finditer(t):
                v = _to_int(m.group(1))
                if v is not None and v > 0:
                    found.append(Found(float(v), kind, m.group(0), m.start()))
    for alias, n in TIER_ALIASES.items():
        for m in re.finditer(alias, t):
            found.append(Found(float(n), "tier", alias, m.start()))
    found.extend(_table_columns(t))
    # de-duplicate (several rank patterns can match the same span)
    seen, out = set(), []
    for f in sorted(found, key=lambda f: (f.start, f.kind)):
        key = (f.kind, f.value, f.start)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


# ---------------------------------------------------------------------------- matching


@dataclass
class ExpectedNumber:
    value: float
    kind: str = "score"           # score | rank | tier | percent | count
    tolerance: float | None = None
    label: str = ""
    optional: bool = False        # reported, not required

    @classmethod
    def from_dict(cls, d: Any) -> "ExpectedNumber":
        if isinstance(d, (int, float)):
            return cls(value=float(d))
        kind = str(d.get("kind") or d.get("type") or _kind_from_unit(d.get("unit")) or "score")
        tol = d.get("tolerance", d.get("tol"))
        return cls(value=float(d["value"]), kind=kind, tolerance=None if tol is None else float(tol),
                   label=str(d.get("label") or d.get("what") or ""), optional=bool(d.get("optional", False)))

    def effective_tolerance(self) -> float:
        if self.tolerance is not None:
            return float(self.tolerance)
        if self.kind in ("rank", "tier", "count"):
            return 0.0
        if self.kind == "percent":
            return 0.0005
        return 0.005

    def to_dict(self) -> dict:
        return {"value": self.value, "kind": self.kind, "tolerance": self.effective_tolerance(), "label": self.label}


def _kind_from_unit(unit: Any) -> str | None:
    if not unit:
        return None
    u = str(unit).strip().lower()
    return {"名": "rank", "rank": "rank", "梯队": "tier", "tier": "tier", "类": "tier", "class": "tier",
            "%": "percent", "percent": "percent", "分": "score", "points": "score", "个": "count"}.get(u)


def match_number(expected: ExpectedNumber, found: Sequence[Found]) -> Found | None:
    """The first found number that satisfies ``expected`` (kind and tolerance), or None."""
    tol = expected.effective_tolerance() + 1e-9
    for f in found:
        if expected.kind == "rank":
            ok = f.kind == "rank" and f.value == expected.value
        elif expected.kind == "tier":
            ok = f.kind == "tier" and f.value == expected.value
        elif expected.kind == "percent":
            # 15% is the ratio 0.15; a bare 0.15 counts too (but a bare 15 does not)
            ok = f.kind in ("percent", "number") and abs(f.value - expected.value) <= tol
        elif expected.kind == "count":
            ok = f.kind == "number" and abs(f.value - expected.value) <= tol
        else:
            ok = f.kind == "number" and abs(f.value - expected.value) <= tol
        if ok:
            return f
    return None


def implied_tolerance(question: str, value: float, default_decimals: int = 2) -> float:
    """The tolerance a question implies: 保留一位小数 / to one decimal -> 0.05; 取整 /
    whole number / rounded -> 0.5; otherwise half a unit of the value's printed precision
    (two decimals for scores: 0.005)."""
    q = question.lower()
    if re.search(r"保留一位小数|一位小数|one decimal|1 decimal|nearest tenth", q):
        return 0.05
    if re.search(r"取整|整数|四舍五入到个位|whole number|nearest (?:whole|integer|point)|rounded to (?:an )?integer|约多少分|大约|roughly|approximately|about how", q):
        return 0.5
    return 0.5 * 10 ** (-default_decimals)


def contains_term(answer: str, term: Any) -> bool:
    """``term`` is a string (case-insensitive substring) or a list of alternatives (any)."""
    if isinstance(term, (list, tuple)):
        return any(contains_term(answer, t) for t in term)
    a = normalise_text(answer).casefold()
    t = normalise_text(str(term)).casefold()
    if re.fullmatch(r"[a-z0-9' .\-]+", t):  # Latin word: whole-word match ("no " is the word "no")
        t = t.strip()
        return re.search(rf"(?<![a-z0-9'’]){re.escape(t)}(?![a-z0-9'’])", a) is not None
    return t in a


# ---------------------------------------------------------------------------- citations


def _lines(c: Any) -> tuple[str, int, int] | None:
    if c is None:
        return None
    if hasattr(c, "model_dump"):
        c = c.model_dump()
    f = c.get("source_file") or c.get("file")
    lines = c.get("lines") or ([c["line"], c["line"]] if c.get("line") is not None else None)
    if not f or not lines:
        return None
    a, b = int(lines[0]), int(lines[-1])
    return str(f), min(a, b), max(a, b)


def citation_overlap(expected: Iterable[Any], got: Iterable[Any], slack: int = 0) -> bool:
    """True when any got citation shares the file and at least one line with any expected
    range (``slack`` widens the expected ranges)."""
    want = [x for x in (_lines(e) for e in expected) if x]
    have = [x for x in (_lines(g) for g in got) if x]
    for f, a, b in want:
        for gf, ga, gb in have:
            if gf == f and ga <= b + slack and gb >= a - slack:
                return True
    return False


# ---------------------------------------------------------------------------- routing

_TOOL_PREFIXES = ("get_", "hardtech_", "index_", "api_", "api.", "tool_", "core_")
_TOOL_SYNONYMS = {  # canonical names are the assistant's tool names (assistant/tools.py TOOLS)
    "entity_scores": "scores", "score": "scores", "lookup_scores": "scores", "city_scores": "scores",
    "rank": "ranking", "rankings": "ranking", "top": "ranking",
    "tier": "tiers", "explanation": "explain", "why": "explain",
    "fact": "facts", "indicators": "facts", "method": "methodology", "methods": "methodology",
    "search": "search_passages", "retrieve": "search_passages", "search_reports": "search_passages",
    "retrieval": "search_passages", "passages": "search_passages",
    "list_editions": "editions", "edition_info": "editions", "cross_edition": "entity_editions",
    "discrepancy": "discrepancies", "compare_entities": "compare", "what_if": "whatif",
}


def normalise_tool_name(name: str) -> str:
    n = str(name).strip().lower().replace("-", "_")
    for p in _TOOL_PREFIXES:
        if n.startswith(p):
            n = n[len(p):]
    return _TOOL_SYNONYMS.get(n, n)


def routing_ok(expected: Sequence[str], called: Sequence[str]) -> bool:
    """Every expected entry was called. An entry ``"a|b"`` accepts any of its alternatives;
    ``"none"`` means no tool at all may be called."""
    got = {normalise_tool_name(c) for c in called}
    for e in expected:
        alts = [normalise_tool_name(a) for a in str(e).split("|")]
        if alts == ["none"]:
            if got:
                return False
            continue
        if not any(a in got for a in alts):
            return False
    return True
