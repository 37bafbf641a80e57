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
   separator) that is *not* directly followed by a unit of quantity
   (分 名 位 % 家 个 所 件 人 项 亿 万 元 points pts);
5. figure/table labels (``表2``, ``图 14``, ``Table 2``) and markdown list numbering
   at the start of a line (``1. ``, ``2) ``).

Every remaining number is a claim, read with its format normalised:
``50.99分`` -> 50.99, ``第3名`` / ``3rd`` / ``rank 3`` -> 3, ``15%`` -> 15 (percent),
``2,506`` -> 2506, ``第二梯队`` / ``second tier`` -> 2, ``第三十四位`` -> 34.
Chinese numerals count only in ordinal form (``第…名/位/梯队/类``) because a bare 一
is a word, not a number.

A claim *matches* an allowed value v when they agree at the claim's printed
precision: ``|claim - v| <= 0.5 * 10**-decimals`` (so 50.99 matches 50.9865 and 51
matches 50.99). A percent claim also matches v*100 (weights 0.15 print as 15%).
Allowed values are every number in the tool results (numbers, and numbers inside
strings), the tool-call arguments, and the text of the cited passages.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from .evaluation.matcher import parse_chinese_number

__all__ = ["Claim", "Report", "extract_claims", "allowed_values", "verify", "remove_claims",
           "normalise_number", "mask", "cn_to_int"]

_EN_ORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
           "eighth": 8, "ninth": 9, "tenth": 10}


def cn_to_int(s: str) -> int | None:
    """Chinese numeral to int (三十六 -> 36, 十 -> 10), with the evaluation matcher's parser so both agree."""
    v = parse_chinese_number(s)
    return int(v) if v is not None and v == int(v) else None


_MASKS = [
    re.compile(r"\[(?:[ct]?\d+)(?:\s*[,，]\s*[ct]?\d+)*\]"),
    re.compile(r"\b\d{3}_[0-9a-f]{16}\.txt\b"),
    re.compile(r"(?i)\b(?:lines?|l)\s*\d+(?:\s*[-–—~]\s*\d+)?"),
    re.compile(r"第?\s*\d+(?:\s*[-–—~]\s*\d+)?\s*行"),
    re.compile(r"(?i)\b[a-z]+-\d{4}(?:q\d)?\b"),
    re.compile(r"(?i)(?<![A-Za-z0-9])q[1-4](?![0-9])"),
    re.compile(r"第\s*[1-4一二三四]\s*季度"),
    re.compile(r"(?i)(?:[表图]|table|figure|fig\.)\s*\d+"),
    re.compile(r"(?m)^\s*(?:[-*]\s*)?\d+[.)、](?=\s)"),
]
_UNIT_AFTER = r"(?:\s*(?:分|名|位|%|％|家|个|所|件|人|项|亿|万|元|points?\b|pts\b))"
_YEAR = re.compile(r"(?<![\d.,])(?:19|20)\d{2}(?![\d.,]|" + _UNIT_AFTER + r")")


def mask(text: str) -> str:
    """``text`` with every non-claim span blanked (same length, so offsets still hold)."""
    out = text
    for rx in _MASKS + [_YEAR]:
        out = rx.sub(lambda m: " " * len(m.group(0)), out)
    return out


@dataclass(frozen=True)
class Claim:
    text: str
    value: float
    start: int
    end: int
    decimals: int
    percent: bool = False
    kind: str = "number"  # number | ordinal


_CN_ORD = re.compile(r"第\s*([〇零一二两三四五六七八九十百]+)\s*(?=名|位|梯队|类|档)")
_EN_ORD_WORD = re.compile(r"(?i)\b(" + "|".join(_EN_ORD) + r")\s+(?=tier|place|class)")
_NUM = re.compile(r"(?<![A-Za-z0-9_.])[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s*[%％])?(?:st|nd|rd|th)?(?![A-Za-z0-9_])")


def _parse_token(tok: str) -> tuple[float, int, bool] | None:
    t = tok.strip()
    percent = t.endswith("%") or t.endswith("％")
    t = re.sub(r"(?:st|nd|rd|th)$", "", t.rstrip("%％").strip())
    t = t.replace(",", "")
    try:
        v = float(t)
    except ValueError:
        return None
    dec = len(t.split(".", 1)[1]) if "." in t else 0
    return v, dec, percent


def normalise_number(text: str) -> float | None:
    """One number as written, normalised: '50.99分' 50.99, '第3名' 3, '3rd' 3, '15%' 15,
    '0.15' 0.15, '第二梯队' 2, '2,506家' 2506, 'second tier' 2, '三十六' 36."""
    s = text.strip()
    m = re.search(r"第\s*([〇零一二两三四五六七八九十百]+)", s)
    if m:
        return float(cn_to_int(m.group(1)))
    m = _EN_ORD_WORD.search(s + " tier") if s.lower() in _EN_ORD else _EN_ORD_WORD.search(s)
    if m:
        return float(_EN_ORD[m.group(1).lower()])
    n = cn_to_int(s)
    if n is not None:
        return float(n)
    m = re.search(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?", s)
    if not m:
        return None
    p = _parse_token(m.group(0))
    return p[0] if p else None


def extract_claims(text: str) -> list[Claim]:
    """Every numeric claim in ``text`` (see the module docstring for the rules)."""
    masked = mask(text)
    claims: list[Claim] = []
    taken = [False] * len(masked)
    for m in _CN_ORD.finditer(masked):
        v = cn_to_int(m.group(1))
        if v is not None:
            claims.append(Claim(text[m.start():m.end()], float(v), m.start(), m.end(), 0, False, "ordinal"))
            for i in range(m.start(), m.end()):
                taken[i] = True
    for m in _EN_ORD_WORD.finditer(masked):
        claims.append(Claim(text[m.start():m.end()].strip(), float(_EN_ORD[m.group(1).lower()]), m.start(), m.end(), 0, False, "ordinal"))
        for i in range(m.start(), m.end()):
            taken[i] = True
    for m in _NUM.finditer(masked):
        if any(taken[m.start():m.end()]):
            continue
        p = _parse_token(m.group(0))
        if p is None:
            continue
        v, dec, pct = p
        claims.append(Claim(text[m.start():m.end()], v, m.start(), m.end(), dec, pct))
    claims.sort(key=lambda c: c.start)
    return claims


# A number inside a string. A sign counts only where it is not a range dash between two
# numbers: "Class 3 (50-70)", "50—70", "70–80分" and "5th-95th" are ranges (50 and 70),
# while "-6.51" and "(−6.51)" are negative.
_STR_NUM = re.compile(r"(?:(?<![\d.%])(?<![\d.%][a-z]{2})[-+])?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")


def _numbers_in(obj: Any, out: list[float]) -> None:
    if isinstance(obj, bool) or obj is None:
        return
    if isinstance(obj, (int, float)):
        if not (isinstance(obj, float) and (math.isnan(obj) or math.isinf(obj))):
            out.append(float(obj))
    elif isinstance(obj, str):
        for m in _STR_NUM.finditer(obj):
            p = _parse_token(m.group(0))
            if p:
                out.append(p[0])
                if p[0] < 0:  # "−6.51" also allows "fell by 6.51"
                    out.append(-p[0])
        for m in re.finditer(r"[〇零一二两三四五六七八九十百]+", obj):
            v = cn_to_int(m.group(0))
            if v is not None:
                out.append(float(v))
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
    tol = 0.5 * 10 ** (-c.decimals) + 1e-9
    if abs(c.value - v) <= tol or abs(abs(c.value) - abs(v)) <= tol and c.text.lstrip().startswith(("-", "+")):
        return True
    if c.percent and abs(c.value - v * 100) <= tol:
        return True
    return False


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
    allowed = allowed_values(sources)
    rep = Report(claims=extract_claims(answer))
    for i, c in enumerate(rep.claims):
        hit = next((sid for v, sid in allowed if _matches(c, v)), None)
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
