"""Line classification of a shipped report: furniture, debris, headings, tables, prose.

Per document: classify each line as blank, running header/footer (``drop_patterns``),
bare page number, chart-label debris (runs of short label lines, labels repeated
across charts, number-only lines), heading (with its level and label), table row,
or text. :mod:`vectorstore.chunking` turns the result into chunks.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .documents import Document, read_lines

CJK = r"\u3400-\u9fff"
_CN_NUM = "一二三四五六七八九十"

_RE_PAGE = re.compile(r"^\d{1,3}$")
_RE_PART = re.compile(r"^第[一二三四五六七八九十]+部分\s*\S{2,8}$")
RE_CHAPTER = re.compile(rf"^([{_CN_NUM}]{{1,2}})\1?、+\s*(\S.{{1,34}})$")
RE_SECTION = re.compile(r"^(\d{1,2}\.\d{1,2})(?:\s+(\S.{1,48})|([" + CJK + r"“].{1,40}))$")
_RE_SUBSECTION = re.compile(r"^(\d{1,2}\.\d{1,2}\.\d{1,2})\s*(\S.{1,40})$")
_RE_NUMBERED = re.compile(r"^(\d{1,2})\.\s+(\S.{1,30})$")
_RE_PAREN = re.compile(rf"^（([{_CN_NUM}]{{1,2}})）\S.{{1,30}}$")
_RE_TIER_CITY = re.compile(r"^第[一二三四五]梯队——(\S{2,6})$")
RE_CITY_PROFILE = re.compile(r"^(\S{2,5}?)市产业创新综合能力水平指数为")
_PUA = re.compile("[\ue000-\uf8ff]")
_RE_NUM_TOKEN = re.compile(r"^[-+]?\d+(?:[.,]\d+)?%?$")


def is_table_row(s: str) -> bool:
    if s.count("\t") >= 2:
        return True
    toks = s.split()
    if len(toks) < 5:
        return False
    if "。" in s or "，" in s or len(s) > 200:
        return False
    nums = sum(1 for t in toks if _RE_NUM_TOKEN.match(t))
    cjk = any(re.search(f"[{CJK}]", t) for t in toks)
    return nums >= 4 and nums * 2 >= len(toks) and cjk


def _numeric_share(s: str) -> float:
    s2 = re.sub(r"\s", "", s)
    if not s2:
        return 0.0
    return sum(ch.isdigit() or ch in ".%-," for ch in s2) / len(s2)


def _label_like(s: str, width: int) -> bool:
    """A short line that reads like a chart label rather than prose."""
    if len(s) > min(16, max(6, int(width * 0.45))):
        return False
    if any(p in s for p in "。，；！？"):
        return False
    return True


@dataclass
class Line:
    no: int
    text: str
    cls: str  # text | heading | table | skip
    level: int = -1
    label: str = ""
    #: a heading printed under the text it names (the 2020 report's "第一梯队——北京" city
    #: captions close their profile), so it labels the prose before it, not after it
    trailing: bool = False


def cn_number(s: str) -> int:
    vals = {c: i + 1 for i, c in enumerate(_CN_NUM)}
    if len(s) == 1:
        return vals.get(s, -1)
    if len(s) == 2 and s[0] == "十":
        return 10 + vals.get(s[1], -100)
    return -1


def _heading(s: str, layout: str, width: int) -> tuple[int, str] | None:
    """(level, label) if ``s`` is a heading line."""
    if s.endswith("。") or s.endswith("；"):
        return None
    s = re.sub(r"^(.)\1(、)\2", r"\1\2", s)  # PDF bold artifact: 一一、、 -> 一、
    if _RE_PART.match(s):
        return 0, re.sub(r"\s+", " ", s)
    if re.match(r"^附录[：:]\S{2,30}$", s):
        return 1, s
    m = RE_CHAPTER.match(s)
    if m and "，" not in s and len(s) <= 36:
        return 1, re.sub(r"、\s+", "、", s)
    m = _RE_SUBSECTION.match(s)
    if m and "，" not in s:
        return 3, s
    m = RE_SECTION.match(s)
    if m:
        spaced = m.group(2) is not None
        if not m.group(1).startswith("0") and (spaced or (layout == "paragraph" and "，" not in s)):
            if not re.match(r"^\d{1,2}\.\d{1,2}[%％万亿千百个倍]", s):
                return 2, s
    m = _RE_TIER_CITY.match(s)
    if m:
        return 3, m.group(1)
    if layout == "paragraph":
        m = _RE_NUMBERED.match(s)
        if m:
            return 3, s
    m = _RE_PAREN.match(s)
    if m and len(s) <= max(width, 24):
        return 4, s
    return None


def classify(doc: Document, lines: tuple[str, ...]) -> tuple[list[Line], int]:
    raw = doc.raw
    drop_res = [re.compile(p) for p in raw.get("drop_patterns") or []]
    keep = raw.get("keep_lines")
    toc = raw.get("toc_lines")
    title_lines: set[int] = set()
    for a in raw.get("articles") or []:
        title_lines.update(a.get("title_lines") or [])
    stripped = [_PUA.sub("", ln).strip() for ln in lines]
    lens = sorted(len(s) for s in stripped if s)
    width = lens[int(len(lens) * 0.9)] if lens else 40
    counts = Counter(s for s in stripped if s)

    out: list[Line] = []
    for i, s in enumerate(stripped):
        no = i + 1
        if not s:
            continue
        cls = "text"
        if keep and not (keep[0] <= no <= keep[1]):
            cls = "skip"
        elif toc and toc[0] <= no <= toc[1]:
            cls = "skip"
        elif no in title_lines:
            cls = "skip"
        elif any(r.search(s) for r in drop_res):
            cls = "skip"
        elif _RE_PAGE.match(s):
            cls = "skip"
        elif is_table_row(lines[i].strip(" \u3000")):
            cls = "table"
        elif _numeric_share(s) > 0.6 and len(s) < 60 and not re.search(f"[{CJK}。，；]", s):
            cls = "skip"  # axis ticks, lone values
        elif counts[s] >= 3 and len(s) <= 30 and not any(p in s for p in "。；"):
            cls = "skip"  # chart labels repeated in every city profile
        out.append(Line(no, s, cls))

    # headings
    for ln in out:
        if ln.cls != "text":
            continue
        h = _heading(ln.text, doc.layout, width)
        if h:
            ln.cls, ln.level, ln.label = "heading", h[0], h[1]
            ln.trailing = bool(_RE_TIER_CITY.match(ln.text))

    # runs of >= 3 label-like lines are chart debris (wrapped layouts only: in a
    # paragraph layout short lines are captions and list items).
    if doc.layout == "wrapped":
        run: list[Line] = []
        for ln in out + [Line(10**9, "", "end")]:
            if ln.cls == "text" and _label_like(ln.text, width):
                run.append(ln)
                continue
            if ln.cls == "skip":
                continue  # skipped furniture does not break a run of labels
            if len(run) >= 3:
                for r in run:
                    r.cls = "debris"
            run = []

    # a heading that fills the line continues on the next short line
    for i, ln in enumerate(out[:-1]):
        if ln.cls == "heading" and doc.layout == "wrapped" and len(ln.text) >= width * 0.8:
            nxt = out[i + 1]
            if nxt.cls == "text" and len(nxt.text) <= width // 2 and not nxt.text.endswith("。"):
                ln.label = ln.label + nxt.text
                ln.text = ln.text + nxt.text
                nxt.cls = "skip"
    return out, width


def clean_lines(doc: Document) -> list[tuple[int, str]]:
    """The (line_no, text) lines the pipeline keeps as prose, headings or table rows."""
    classified, _ = classify(doc, read_lines(doc.source_file))
    return [(ln.no, ln.text) for ln in classified if ln.cls in ("text", "heading", "table")]

