"""Toneless pinyin of Chinese characters, for homophone typos (深证 -> 深圳, 杭洲 -> 杭州)
and romanised names (chong qing, Yubei).

The table (``data/pinyin.txt``) is generated from ``pypinyin`` by the training script
(``python -m assistant.offline.understand.train``): importing pypinyin itself costs
about half a second, too much for a CLI answer, while the table loads in milliseconds.
"""
from __future__ import annotations

import functools
from pathlib import Path

TABLE_PATH = Path(__file__).resolve().parent / "data" / "pinyin.txt"


@functools.lru_cache(maxsize=1)
def table() -> dict[str, tuple[str, ...]]:
    """Character -> its toneless readings (the most common first)."""
    out: dict[str, tuple[str, ...]] = {}
    for line in TABLE_PATH.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            char, readings = line.split("\t")
            out[char] = tuple(readings.split(","))
    return out


@functools.lru_cache(maxsize=1)
def syllable_set() -> frozenset[str]:
    """Every toneless syllable the table knows ("nan", "jing", "ne")."""
    return frozenset(r for readings in table().values() for reading in readings for r in reading.split(" "))


def syllables(text: str) -> list[str]:
    """Toneless syllables: a name's own reading when the table has it (重庆 -> chong qing),
    else the first reading of each character (non-Chinese characters are kept)."""
    t = table()
    if len(text) > 1 and text in t:
        return t[text][0].split(" ")
    return [t[c][0] if c in t else c.lower() for c in text if not c.isspace()]


def romanise(text: str) -> str:
    """``渝北区`` -> ``yubeiqu``."""
    return "".join(syllables(text))


def readings(text: str, limit: int = 16) -> list[str]:
    """Every romanised reading of ``text`` from its characters' readings (佛三 -> fusan, fosan),
    the most common first; at most ``limit``."""
    t = table()
    out = [""]
    for c in text:
        if not c.isspace():
            out = [o + r.replace(" ", "") for o in out for r in t.get(c, (c.lower(),))[:3]][:limit]
    return out


def homophones(a: str, b: str) -> bool:
    """Same length and every character shares a reading (杭洲 ~ 杭州)."""
    t = table()
    return len(a) == len(b) and all(x == y or set(t.get(x, (x,))) & set(t.get(y, (y,))) for x, y in zip(a, b))


def build_table(names: list[str]) -> str:
    """The table's text: every GB2312 character, then the reading of each of ``names``
    as a phrase (needs ``pypinyin``)."""
    from pypinyin import Style, lazy_pinyin, pinyin

    chars: list[str] = []
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.append(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    chars += [c for name in names for c in name if "\u3400" <= c <= "\u9fff"]
    lines = ["# character<TAB>toneless readings, generated from pypinyin by assistant.offline.understand.train"]
    for c in sorted(set(chars)):
        readings = pinyin(c, style=Style.NORMAL, heteronym=True)[0]
        readings = [r for r in dict.fromkeys(r.replace("ü", "v") for r in readings) if r.isascii() and r.isalpha()]
        if readings:
            lines.append(f"{c}\t{','.join(readings)}")
    for name in sorted(set(names)):
        if len(name) > 1:
            lines.append(f"{name}\t{' '.join(s.replace('ü', 'v') for s in lazy_pinyin(name))}")
    return "\n".join(lines) + "\n"
