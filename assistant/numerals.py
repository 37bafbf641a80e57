"""The one number grammar: what counts as a number in text, and what it is worth.

Both the assistant's verifier (:mod:`assistant.verify`) and the evaluation matcher
(:mod:`assistant.evaluation.matcher`) read numbers through this module, so an answer the
verifier accepts is read the same way by the evaluation that scores it.

- **Width.** Full-width digits and signs (``３．９３``, ``１５％``, ``－``) and the minus
  sign ``−`` are folded to ASCII one character for one (:func:`fold`), so spans found
  in the folded text are spans of the original.
- **Arabic numbers** (:data:`NUMBER`): ``3``, ``50.99``, ``2,506`` (a comma followed by
  exactly three digits groups thousands; ``2,73`` is two numbers, as printed).
- **Signs** (:data:`SIGN`): ``-``/``+`` is a sign unless it follows a letter, digit, ``.``,
  ``%`` or ``_``: then it joins (``hardtech-2019``, ``COVID-19``) or is a range dash
  (``50-70``, ``5th-95th``, ``15%-20%``).
- **Percent** (:data:`PERCENT`): ``%``, ``percent``, ``per cent``, ``个百分点`` after a number.
- **Ordinals**: ``34th`` (suffix), ``第三十四`` (Chinese numerals), ``thirty-fourth``
  (:data:`ORDINAL_WORDS`, first to fiftieth).
- **Chinese numerals** (:func:`parse_chinese_number`): ``三十六`` 36, ``一百零五`` 105,
  ``五十点九九`` 50.99, ``二〇一九`` 2019 (digit by digit when there is no unit), ``三万五千``.

The Chinese-numeral parser is hand-written rather than ``cn2an``: measured in one run,
``cn2an.cn2an`` took 51 µs a call against 11 µs here and adds 0.35-0.7 s to every process
that imports it; the tests check this parser against ``cn2an`` on every integer they draw.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

__all__ = [
    "fold", "NUMBER", "SIGN", "PERCENT", "ORDINAL_SUFFIX", "Number", "numbers_in", "standalone_numbers", "falls_in",
    "parse_number", "CN_CHARS", "CN_SMALL", "CN_NUMERAL", "parse_chinese_number", "chinese_int", "ORDINAL_WORDS",
]

# ---------------------------------------------------------------------------- width

_FOLD = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)},
                       "．": ".", "％": "%", "＋": "+", "－": "-", "\u2212": "-", "\u2013": "-"})


def fold(text: str) -> str:
    """``text`` with full-width digits, ``．``, ``％``, ``＋``, ``－`` and the minus sign ``−``
    (and the en dash) as ASCII; same length, so offsets still hold. The full-width comma
    ``，`` is left alone: in Chinese it separates clauses, never thousands."""
    return text.translate(_FOLD)


# ---------------------------------------------------------------------------- arabic numbers

NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
SIGN = r"(?:(?<![A-Za-z0-9_.%])[-+])?"
PERCENT = r"(?:\s*(?:%|percent\b|per cent\b|个百分点))"
ORDINAL_SUFFIX = r"(?:st|nd|rd|th)"

# any number a string holds (a tool result, a passage): L1942 holds 1942
_ANY = re.compile(rf"{SIGN}{NUMBER}{PERCENT}?", re.I)
# a number standing on its own: not glued to a Latin word or identifier (5G, TOP15, c1)
_STANDALONE = re.compile(rf"(?<![A-Za-z0-9_.]){SIGN}{NUMBER}{PERCENT}?{ORDINAL_SUFFIX}?(?![A-Za-z0-9_])", re.I)


@dataclass(frozen=True)
class Number:
    """A number as written. ``value`` is signed and in the printed unit (``15%`` is 15,
    with ``percent``); ``decimals`` is the printed precision; ``start``/``end`` is the span."""

    text: str
    value: float
    decimals: int
    percent: bool
    start: int
    end: int

    @property
    def signed(self) -> bool:
        """Written with an explicit ``+`` or ``-``."""
        return self.text[:1] in "+-"


def parse_number(token: str) -> tuple[float, int, bool] | None:
    """``(value, decimals, percent)`` of one token: ``'2,506'`` (2506, 0, False),
    ``'-6.51'`` (-6.51, 2, False), ``'2.73%'`` (2.73, 2, True), ``'34th'`` (34, 0, False)."""
    t = fold(token).strip()
    m = re.fullmatch(rf"([-+]?{NUMBER})({PERCENT})?{ORDINAL_SUFFIX}?", t, re.I)
    if not m:
        return None
    digits = m.group(1).replace(",", "")
    decimals = len(digits.split(".", 1)[1]) if "." in digits else 0
    return float(digits), decimals, m.group(2) is not None


def _scan(rx: re.Pattern, text: str) -> list[Number]:
    out = []
    for m in rx.finditer(fold(text)):
        value, decimals, percent = parse_number(m.group(0))
        out.append(Number(text[m.start():m.end()], value, decimals, percent, m.start(), m.end()))
    return out


def numbers_in(text: str) -> list[Number]:
    """Every arabic number ``text`` holds, wherever it stands (for tool results and passages)."""
    return _scan(_ANY, text)


def standalone_numbers(text: str) -> list[Number]:
    """Arabic numbers standing on their own, with their ``%`` and ordinal suffix (``34th``);
    digits glued to a Latin word or identifier (``5G``, ``TOP15``, ``c1``) are names."""
    return _scan(_STANDALONE, text)


@lru_cache(maxsize=1)
def _fall_rx() -> re.Pattern:
    words = yaml.safe_load((Path(__file__).with_name("numerals.yaml")).read_text(encoding="utf-8"))["fall_words"]
    alternatives = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    return re.compile(rf"(?:{alternatives})\s*(?:了|为|by|of|to)?\s*(?={NUMBER})", re.I)


def falls_in(text: str) -> list[Number]:
    """Numbers ``text`` tells as a fall (``降低了 6.51 分``, ``fell by 6.51``): the word right
    before the number gives its sign, so 6.51 there is a change of -6.51."""
    folded = fold(text)
    starts = {m.end() for m in _fall_rx().finditer(folded)}
    return [n for n in numbers_in(text) if n.start in starts]


# ---------------------------------------------------------------------------- Chinese numerals

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "两": 2, "贰": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
              "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}
_CN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
CN_CHARS = "".join(_CN_DIGITS) + "".join(_CN_UNITS) + "".join(_CN_BIG)
#: numerals that count, rank and order (no 千/万/亿, which are mostly units of quantity in prose)
CN_SMALL = "〇零一二两三四五六七八九十百"
CN_NUMERAL = f"[{CN_CHARS}]+(?:点[{''.join(_CN_DIGITS)}]+)?"


def parse_chinese_number(text: str) -> float | None:
    """三十六 -> 36, 一百零五 -> 105, 五十点九九 -> 50.99, 二〇一九 -> 2019 (digit by digit when
    there is no unit), 三万五千 -> 35000. ``None`` if ``text`` is not a numeral (use without 第)."""
    text = text.strip()
    if not text:
        return None
    if "点" in text:
        whole, _, frac = text.partition("点")
        w = parse_chinese_number(whole) if whole else 0
        if w is None or not frac or any(c not in _CN_DIGITS for c in frac):
            return None
        return float(f"{int(w)}." + "".join(str(_CN_DIGITS[c]) for c in frac))
    if any(c not in _CN_DIGITS and c not in _CN_UNITS and c not in _CN_BIG for c in text):
        return None
    if len(text) > 1 and all(c in _CN_DIGITS for c in text):  # 二〇一九
        return float("".join(str(_CN_DIGITS[c]) for c in text))
    total, section, digit = 0, 0, None
    for c in text:
        if c in _CN_DIGITS:
            digit = _CN_DIGITS[c]
        elif c in _CN_UNITS:
            section += (1 if digit is None else digit) * _CN_UNITS[c]
            digit = None
        elif c == "亿":  # scales everything before it: 一万亿 is 10**12
            total = (total + section + (digit or 0) or 1) * _CN_BIG[c]
            section, digit = 0, None
        else:  # 万 scales its own section: 三亿五千万 is 350,000,000
            total += (section + (digit or 0) or 1) * _CN_BIG[c]
            section, digit = 0, None
    return float(total + section + (digit or 0))


def chinese_int(text: str) -> int | None:
    """A Chinese numeral that is a whole number (三十四 -> 34), else ``None``."""
    v = parse_chinese_number(text)
    return int(v) if v is not None and v == int(v) else None


# ---------------------------------------------------------------------------- English ordinals

_ONES = ["zero", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
         "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth",
         "nineteenth"]
_TENS = {20: ("twenty", "twentieth"), 30: ("thirty", "thirtieth"), 40: ("forty", "fortieth"), 50: ("fifty", "fiftieth")}


def _ordinal_words() -> dict[str, int]:
    out = {w: i for i, w in enumerate(_ONES) if i}
    for tens, (cardinal, ordinal) in _TENS.items():
        out[ordinal] = tens
        if tens < 50:
            for i in range(1, 10):
                out[f"{cardinal}-{_ONES[i]}"] = out[f"{cardinal} {_ONES[i]}"] = tens + i
    return out


#: first .. fiftieth, with "thirty-fourth" and "thirty fourth" spellings
ORDINAL_WORDS: dict[str, int] = _ordinal_words()
