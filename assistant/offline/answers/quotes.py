"""Quote text from report lines: whole sentences, never a word cut without an ellipsis,
and never a flattened table row whose digits run into the next row ("21.28 114 广州").

Lines that look like table rows (mostly numbers) are kept one per line, so each row
reads as printed; prose lines are joined and split into sentences."""
from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?<=[。！？；;!?])")
_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?%?")
_CJK = re.compile(r"[\u3400-\u9fff]")
LIMIT = 360


def is_table_row(text: str) -> bool:
    """A flattened table row: at least three numbers and little prose between them."""
    t = text.strip()
    if not t:
        return False
    if t.count("\t") >= 2:  # a tab-separated row
        return True
    numbers = _NUMBER.findall(t)
    if len(numbers) < 3:
        return False
    rest = _NUMBER.sub("", t)
    return len(_CJK.findall(rest)) <= 12 and not re.search(r"[。，；]", rest)


def sentences(text: str) -> list[str]:
    t = re.sub(r"\s+", " ", text).strip()
    return [s.strip() for s in _SENTENCE_END.split(t) if s.strip()]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _cut(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a clause or word boundary, marked with an ellipsis."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    for marks in ("。！？；;", "，,、：:", " "):
        i = max(head.rfind(m) for m in marks)
        if i >= limit // 2:
            return head[: i + 1].rstrip() + "…"
    # a run of CJK without punctuation: a character boundary is a word boundary only for CJK
    while head and head[-1].isascii() and head[-1].isalnum():
        head = head[:-1]
    return head.rstrip() + "…"


def excerpt(lines: list[str], needles: tuple[str, ...] = (), limit: int = LIMIT) -> str:
    """The quote for a cited line range: table rows that hold a needle (one per line), else
    the sentences that hold one, else the opening sentences; at most ``limit`` characters."""
    rows = [ln.strip() for ln in lines if is_table_row(ln)]
    prose = " ".join(ln.strip() for ln in lines if ln.strip() and not is_table_row(ln))
    wanted = [n for n in needles if n]
    if rows:
        hit = [r for r in rows if any(_squash(n) in _squash(r) for n in wanted)] or (rows if not prose else [])
        if hit:
            return "\n".join(_cut(r, limit) for r in hit[:4])
    sents = sentences(prose)
    if not sents:
        return ""
    picked = [s for s in sents if any(_squash(n) in _squash(s) for n in wanted)] if wanted else []
    out = ""
    for s in picked or sents:
        if out and len(out) + len(s) > limit:
            if not picked:
                out += "…"
            break
        out += s
    return _cut(out or sents[0], limit)
