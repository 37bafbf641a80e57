"""Number verifier: every number claimed in an answer must come from a tool result
or a cited passage. Reusable by the evaluation suite (pure functions, no I/O).

What counts as a claim (defined precisely)
------------------------------------------
The answer text is first *masked*: these spans are provenance or labels, not claims,
and are blanked before numbers are read.

1. citation markers: ``[1]``, ``[1, 2]``, ``[c1]``, ``[t3]``;
2. source file names (``001_2d381f25c7fc5f5d.txt``) and line references
   (``lines 1942–1966``, ``line 1786``, ``L1942``, ``第1942–1966行``, ``1786行``);
3. edition ids (``hardtech-2019``, ``chongqing-2018q3``) and quarters (``Q3``, ``第3季度``);
4. years: a bare 4-digit integer from 1900 to 2099 (no decimals, no thousands
   separator, no ordinal suffix) that is *not* directly followed by a unit of quantity
   (分 名 位 % 家 个 所 件 人 项 亿 万 元 points pts);
5. figure/table labels (``表2``, ``图 14``, ``Table 2``; an integer with no unit after it,
   and not the end of a word such as 代表 or 地图) and markdown list numbering at the
   start of a line with the item after it (``1. 深圳``, ``2) Shanghai``, ``3、北京``).

Each mask reads the text as written (full-width digits folded), so masks never combine
into a wider one, and none covers a decimal or a number with a unit next to it.

Every remaining number is a claim, read with the one number grammar
(:mod:`assistant.numerals`, shared with the evaluation matcher):
``50.99分`` -> 50.99, ``第3名`` / ``3rd`` / ``rank 3`` -> 3, ``15%`` -> 15 (percent),
``2,506`` -> 2506, ``第二梯队`` / ``second tier`` -> 2, ``第三十四位`` -> 34. Digits glued to a
Latin word or identifier (``5G``, ``TOP15``) are names, not claims.
Chinese numerals count only in ordinal form (``第…名/位/梯队/类``) because a bare 一
is a word, not a number.

A claim *matches* an allowed value v when they agree at the claim's printed
precision: ``|claim - v| <= 0.5 * 10**-decimals`` (so 50.99 matches 50.9865 and 51
matches 50.99). A percent claim also matches v*100 (weights 0.15 print as 15%).
Allowed values are every number in the tool results (numbers, and numbers inside
strings), the tool-call arguments, and the text of the cited passages. A sign is part of
a claim: ``-6.51`` needs a negative value, or a number the text tells as a fall
(``降低了 6.51``; words in ``numerals.yaml``); an unsigned ``6.51`` also matches −6.51.
"""
from __future__ import annotations

import bisect
import functools

import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from .numerals import CN_SMALL, ORDINAL_WORDS, chinese_int, falls_in, fold, numbers_in, standalone_numbers

__all__ = ["Claim", "Report", "extract_claims", "allowed_values", "verify", "remove_claims",
           "normalise_number", "mask"]

# what may follow a number that makes it a quantity, not a year or a label: 2019家, 表3个
_UNIT_AFTER = r"\s*(?:分|名|位|%|％|家|个|所|件|人|项|亿|万|元|points?\b|pts\b)"
# a label or year ends where its integer ends: not before more digits or a decimal part
_INT_END = r"(?!\d|[.,]\d)"
_MASKS = [
    re.compile(r"\[(?:[ct]?\d+)(?:\s*[,，]\s*[ct]?\d+)*\]"),
    re.compile(r"\b\d{3}_[0-9a-f]{16}\.txt\b"),
    re.compile(rf"(?i)\b(?:lines?|l)\s*\d+(?:\s*[-–—~]\s*\d+)?{_INT_END}"),
    re.compile(r"(?:第\s*)?(?<![\d.,])\d+(?:\s*[-–—~]\s*\d+)?\s*行(?!业)"),
    re.compile(r"(?i)\b[a-z]+-(?:19|20)\d{2}(?:q[1-4])?\b"),
    re.compile(r"(?i)(?<![A-Za-z0-9])q[1-4](?![0-9])"),
    re.compile(r"第\s*[1-4一二三四]\s*季度"),
    # 表/图 end words too: 代表 (represent), 发表 (publish), 地图 (map), 试图/企图/力图 (try)
    re.compile(rf"(?i)(?:(?<![代发])表|(?<![地试企力意])图|\btable|\bfigure|\bfig\.)\s*\d+{_INT_END}(?!{_UNIT_AFTER})"),
    # an item follows on its line: "1. 深圳", "2) Shanghai", and "3、北京" with no space
    re.compile(r"(?m)^[ \t]*(?:[-*][ \t]*)?\d+(?:[.)][ \t]+(?=\S)|、[ \t]*(?=\S))"),
]
_YEAR = re.compile(rf"(?<![\d.,])(?:19|20)\d{{2}}{_INT_END}(?![A-Za-z])(?!{_UNIT_AFTER})")


def mask(text: str) -> str:
    """``text`` with every non-claim span blanked (same length, so offsets still hold).

    Each mask reads the text as written, not as earlier masks left it: a blanked line
    reference must not turn the claim after it into list numbering."""
    folded = fold(text)
    out = list(folded)
    for rx in _MASKS + [_YEAR]:
        for m in rx.finditer(folded):
            out[m.start():m.end()] = " " * (m.end() - m.start())
    return "".join(out)


@dataclass(frozen=True)
class Claim:
    text: str
    value: float
    start: int
    end: int
    decimals: int
    percent: bool = False
    kind: str = "number"  # number | ordinal

    @property
    def signed(self) -> bool:
        """Written with an explicit sign: ``-6.51`` claims a negative value, ``+6.51`` a positive one."""
        return self.text[:1] in "+-"


_CN_ORD = re.compile(rf"第\s*([{CN_SMALL}]+)\s*(?=名|位|梯队|类|档)")
_ORDINAL_WORD_RX = "|".join(sorted(map(re.escape, ORDINAL_WORDS), key=len, reverse=True))
_EN_ORD_WORD = re.compile(rf"(?i)\b({_ORDINAL_WORD_RX})[\s-]+(?=tier|place|class)")


def normalise_number(text: str) -> float | None:
    """One number as written, normalised: '50.99分' 50.99, '第3名' 3, '3rd' 3, '15%' 15,
    '0.15' 0.15, '第二梯队' 2, '2,506家' 2506, 'second tier' 2, '三十六' 36."""
    s = text.strip()
    m = re.search(rf"第\s*([{CN_SMALL}]+)", s)
    n = chinese_int(m.group(1)) if m else chinese_int(s)
    if n is not None:
        return float(n)
    m = _EN_ORD_WORD.search(s + " tier")
    if m:
        return float(ORDINAL_WORDS[m.group(1).lower()])
    found = numbers_in(s)
    return found[0].value if found else None


def extract_claims(text: str) -> list[Claim]:
    """Every numeric claim in ``text`` (see the module docstring for the rules)."""
    masked = mask(text)
    claims: list[Claim] = []
    for rx, value in ((_CN_ORD, chinese_int), (_EN_ORD_WORD, lambda w: ORDINAL_WORDS[w.lower()])):
        for m in rx.finditer(masked):
            v = value(m.group(1))
            if v is not None:
                claims.append(Claim(text[m.start():m.end()].strip(), float(v), m.start(), m.end(), 0, False, "ordinal"))
    taken = [(c.start, c.end) for c in claims]
    for n in standalone_numbers(masked):
        if not any(a < n.end and n.start < b for a, b in taken):
            claims.append(Claim(text[n.start:n.end], n.value, n.start, n.end, n.decimals, n.percent))
    claims.sort(key=lambda c: c.start)
    return claims


@functools.lru_cache(maxsize=65536)  # the same tool results and passages are read for answer after answer
def _text_numbers(text: str) -> tuple[float, ...]:
    """Every number a text states: figures, falls told in words (降低了 6.51 backs "−6.51") and
    small Chinese numerals."""
    out = [n.value for n in numbers_in(text)]
    out.extend(-abs(n.value) for n in falls_in(text))
    for m in re.finditer(f"[{CN_SMALL}]+", text):
        v = chinese_int(m.group(0))
        if v is not None:
            out.append(float(v))
    return tuple(out)


def _numbers_in(obj: Any, out: list[float]) -> None:
    if isinstance(obj, bool) or obj is None:
        return
    if isinstance(obj, (int, float)):
        if not (isinstance(obj, float) and (math.isnan(obj) or math.isinf(obj))):
            out.append(float(obj))
    elif isinstance(obj, str):
        out.extend(_text_numbers(obj))
    elif isinstance(obj, dict):
        for v in obj.values():
            _numbers_in(v, out)
    elif isinstance(obj, (list, tuple, set)):
        for v in obj:
            _numbers_in(v, out)


def allowed_values(sources: Iterable[tuple[str, Any]]) -> list[tuple[float, str]]:
    """(value, source id) for every number in each (id, data) source."""
    out: list[tuple[float, str]] = []
    for sid, data in sources:
        vals: list[float] = []
        _numbers_in(data, vals)
        out.extend((v, sid) for v in vals)
    return out


def _matches(c: Claim, v: float) -> bool:
    """``c`` agrees with ``v`` at its printed precision; a percent claim also with ``v`` as a
    ratio (15% and 0.15). A bare number never matches a ratio (15 is not 0.15). An unsigned
    claim also matches a negative value's magnitude, a change told in words (−6.51 allows
    "fell by 6.51"); a signed claim only a value of its sign (-6.51 is not 6.51, +6.51 not −6.51)."""
    tol = 0.5 * 10 ** (-c.decimals) + 1e-9
    if abs(c.value - v) <= tol or (not c.signed and v < 0 and abs(c.value + v) <= tol):
        return True
    return c.percent and abs(c.value - v * 100) <= tol


def _first_source(allowed: list[tuple[float, str]]) -> Callable[[Claim], str | None]:
    """``claim -> the source id of the first allowed value it matches (None)``, looking only at the
    values near the claim's (a sorted table: a ranking's tool result holds hundreds of numbers)."""
    order = sorted(range(len(allowed)), key=lambda i: allowed[i][0])
    values = [allowed[i][0] for i in order]

    def first(c: Claim) -> str | None:
        reach = 2 * (0.5 * 10 ** (-c.decimals) + 1e-9)  # wider than _matches' tolerance; _matches decides
        near: set[int] = set()
        for centre, width in ((c.value, reach), (-c.value, reach if not c.signed else -1),
                              (c.value / 100, reach / 100 if c.percent else -1)):
            if width >= 0:
                near.update(order[bisect.bisect_left(values, centre - width):bisect.bisect_right(values, centre + width)])
        return next((allowed[i][1] for i in sorted(near) if _matches(c, allowed[i][0])), None)
    return first


@dataclass
class Report:
    claims: list[Claim] = field(default_factory=list)
    matched: dict[int, str] = field(default_factory=dict)  # claim index -> source id
    unmatched: list[Claim] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.unmatched

    def describe(self) -> str:
        return ", ".join(f"{c.text!r}" for c in self.unmatched)


def verify(answer: str, tool_calls: Iterable[Any] = (), citations: Iterable[Any] = (),
           extra: Iterable[tuple[str, Any]] = ()) -> Report:
    """Check every claim in ``answer`` against tool results/args and cited passages.

    ``tool_calls`` are :class:`assistant.envelope.ToolCall` (or dicts with id, args,
    result); ``citations`` are :class:`assistant.envelope.Citation` (or dicts with id,
    quote and optionally ``text``, the full passage)."""
    sources: list[tuple[str, Any]] = []
    for tc in tool_calls:
        g = tc.get if isinstance(tc, dict) else (lambda k, d=None, _tc=tc: getattr(_tc, k, d))
        sources.append((g("id"), [g("result"), g("args")]))
    for c in citations:
        g = c.get if isinstance(c, dict) else (lambda k, d=None, _c=c: getattr(_c, k, d))
        # the quote, the full passage, and the citation's own title and section path (provenance
        # the **Sources** footer prints, e.g. "3.2 中国城市硬科技创新排名", "2018年第6期")
        sources.append((g("id"), [g("quote"), g("text", None), g("doc_title", None), g("section", None)]))
    sources.extend(extra)
    first = _first_source(allowed_values(sources))
    rep = Report(claims=extract_claims(answer))
    for i, c in enumerate(rep.claims):
        hit = first(c)
        if hit is None:
            rep.unmatched.append(c)
        else:
            rep.matched[i] = hit
    return rep


def remove_claims(answer: str, claims: Iterable[Claim], placeholder: str = "[?]") -> str:
    """``answer`` with each claim's text replaced by ``placeholder`` (right to left)."""
    out = answer
    for c in sorted(claims, key=lambda c: c.start, reverse=True):
        out = out[:c.start] + placeholder + out[c.end:]
    return out
