"""Section-aware chunking of the shipped reports.

Per document (after :func:`vectorstore.cleaning.classify`):

1. track headings into a section path (part › chapter › x.y › city …; for the
   journal issue 004, the article title is the root and articles are hard
   boundaries);
2. rejoin PDF-wrapped lines into a character stream with per-character line
   provenance and split it into sentences (。！？； keeping closing quotes);
3. pack sentences into ~200-600 character chunks with a one-sentence overlap,
   never across a section/article/document boundary; tables become their own
   chunks (whole rows, with the caption/header lines as context).

Bump :data:`CHUNKER_VERSION` whenever a change here changes any chunk: the shipped
vectors (``vectorstore/vectors/``) are keyed by it.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass

from . import knowledge
from .cleaning import RE_CHAPTER, RE_CITY_PROFILE, RE_SECTION, Line, classify, cn_number, is_table_row
from .documents import Chunk, Document, read_lines

CHUNKER_VERSION = 2
CHUNK_MIN = 200
CHUNK_TARGET = 450
CHUNK_MAX = 600
OVERLAP_MAX = 160  # the last sentence is repeated in the next chunk if at most this long
SENTENCE_MAX = 300

_SENT_END = "。！？；!?"
_CLOSERS = "”’」』）)】\"'"

# ------------------------------------------------------------------------ sentences
@dataclass
class _Sentence:
    text: str
    first: int
    last: int


def _sentences(pieces: list[tuple[int, str, bool]]) -> list[_Sentence]:
    """Split a stream of (line_no, text, hard_break_after) into sentences with line spans."""
    out: list[_Sentence] = []
    buf = ""
    first = last = None

    def emit():
        nonlocal buf, first, last
        t = buf.strip()
        if t and first is not None:
            out.append(_Sentence(t, first, last))
        buf, first, last = "", None, None

    for no, text, hard in pieces:
        i = 0
        if buf and text and buf[-1].isascii() and buf[-1].isalnum() and text[0].isascii() and text[0].isalnum():
            buf += " "
        while i < len(text):
            ch = text[i]
            if first is None:
                first = no
            buf += ch
            last = no
            i += 1
            if ch in _SENT_END or (ch == "，" and len(buf) >= SENTENCE_MAX):
                while i < len(text) and text[i] in _CLOSERS:
                    buf += text[i]
                    i += 1
                emit()
        if hard:
            emit()
    emit()
    return out


# --------------------------------------------------------------------------- chunks
def _chunk_id(doc_id: str, first: int, last: int, text: str) -> str:
    return hashlib.sha1(f"{doc_id}|{first}|{last}|{text}".encode("utf-8")).hexdigest()[:16]


def _pack(sents: list[_Sentence]) -> list[tuple[str, int, int]]:
    chunks: list[list[_Sentence]] = []
    cur: list[_Sentence] = []
    size = 0
    for s in sents:
        if cur and (size + len(s.text) > CHUNK_MAX or size >= CHUNK_TARGET):
            chunks.append(cur)
            tail = cur[-1]
            cur = [tail] if len(tail.text) <= OVERLAP_MAX and len(tail.text) + len(s.text) <= CHUNK_MAX else []
            size = sum(len(x.text) for x in cur)
        cur.append(s)
        size += len(s.text)
    if cur:
        # a short tail is merged into the previous chunk when that stays reasonable
        if chunks and size < CHUNK_MIN // 2:
            prev = chunks[-1]
            merged = prev + [x for x in cur if x not in prev]
            if sum(len(x.text) for x in merged) <= CHUNK_MAX + CHUNK_MIN // 2:
                chunks[-1] = merged
                cur = []
        if cur and not (chunks and all(x in chunks[-1] for x in cur)):
            chunks.append(cur)
    out = []
    for c in chunks:
        text = "".join(x.text if i == 0 else _sep(c[i - 1].text, x.text) for i, x in enumerate(c))
        out.append((text, min(x.first for x in c), max(x.last for x in c)))
    return out


def _sep(prev: str, nxt: str) -> str:
    if prev and prev.rstrip(_CLOSERS)[-1:] not in _SENT_END:
        return "\n" + nxt  # a hard break (heading-like line, caption, list item)
    return (" " + nxt) if (prev[-1:].isascii() and nxt[:1].isascii()) else nxt


def _section_path(levels: dict[int, str], root: str | None) -> str:
    parts = [root] if root else []
    for lvl in sorted(levels):
        if lvl == 1 and 2 in levels:
            continue  # "1.3 …" already implies its chapter
        parts.append(levels[lvl])
    return " › ".join(parts)


def _editions_for(doc: Document, section: str, article: dict | None) -> tuple[str, ...]:
    if article is not None:
        return tuple(article.get("editions") or ())
    mapping = doc.raw.get("edition_sections")
    if mapping:
        for prefix, eds in mapping.items():
            if section.startswith(prefix):
                return tuple(eds)
        return ()
    return doc.editions


def chunk_document(doc: Document) -> list[Chunk]:
    lines = read_lines(doc.source_file)
    classified, width = classify(doc, lines)
    nonblank = [ln.no for ln in classified]
    articles = doc.raw.get("articles") or []

    def article_of(no: int) -> dict | None:
        for a in articles:
            if a["lines"][0] <= no <= a["lines"][1]:
                return a
        return None

    # group classified lines into segments: (article, section path, [lines])
    segments: list[tuple[dict | None, str, list[Line]]] = []
    levels: dict[int, str] = {}
    cur_article: dict | None = None
    cur: list[Line] = []
    cur_section = ""

    def flush():
        nonlocal cur
        if cur:
            segments.append((cur_article, cur_section, cur))
        cur = []

    root = None
    chapter_no = 0
    for ln in classified:
        art = article_of(ln.no) if articles else None
        if articles and art is not cur_article:
            flush()
            cur_article = art
            levels = {}
            root = art["title_zh"] if art else None
            chapter_no = 0
            cur_section = _section_path(levels, root)
        if ln.cls == "heading" and ln.level == 0:
            chapter_no = 0
        if ln.cls == "heading" and ln.level == 1:
            n = cn_number(ln.label.split("、")[0])
            if ln.label.startswith("附录"):
                n = chapter_no + 1
            if n != chapter_no + 1:
                ln.cls = "text"  # a numbered list item, not the next chapter
            else:
                chapter_no = n
        if ln.cls == "heading":
            flush()
            levels = {k: v for k, v in levels.items() if k < ln.level}
            levels[ln.level] = ln.label
            cur_section = _section_path(levels, root)
            if ln.trailing:
                _relabel_tail(segments, cur_section)
            continue
        if ln.cls == "text" and doc.layout == "paragraph":
            m = RE_CITY_PROFILE.match(ln.text)
            if m and 2 in levels:
                flush()
                levels = {k: v for k, v in levels.items() if k < 3}
                levels[3] = m.group(1)
                cur_section = _section_path(levels, root)
        cur.append(ln)
    flush()

    doc_title = doc.title_zh
    chunks: list[Chunk] = []
    for art, section, seg in segments:
        title = f"{doc_title} · {art['title_zh']}" if art else doc_title
        eds = _editions_for(doc, section, art)
        blocks = _blocks(seg)
        for kind, items in blocks:
            if kind == "table":
                for text, first, last in _table_chunks(items, lines):
                    chunks.append(_make_chunk(doc, title, section, "table", text, first, last, eds, art))
            else:
                pieces = []
                for j, ln in enumerate(items):
                    hard = doc.layout == "paragraph" or len(ln.text) < width * 0.7
                    if not hard and j + 1 < len(items):
                        # something non-blank was dropped in between (chart debris, a
                        # header): never glue text across it
                        lo = bisect.bisect_right(nonblank, ln.no)
                        hard = lo < len(nonblank) and nonblank[lo] < items[j + 1].no
                    pieces.append((ln.no, ln.text, hard))
                for text, first, last in _pack(_sentences(pieces)):
                    if len(re.sub(r"\s", "", text)) < 8:
                        continue
                    chunks.append(_make_chunk(doc, title, section, "text", text, first, last, eds, art))
    return chunks


def _relabel_tail(segments: list[tuple[dict | None, str, list[Line]]], section: str) -> None:
    """Give the prose that ends at a trailing heading (the last segment with text, after its
    last table row) that heading's section."""
    for k in range(len(segments) - 1, -1, -1):
        art, old, seg = segments[k]
        if not any(ln.cls == "text" for ln in seg):
            continue
        cut = max((j + 1 for j, ln in enumerate(seg) if ln.cls == "table"), default=0)
        segments[k:k + 1] = [x for x in ((art, old, seg[:cut]), (art, section, seg[cut:])) if x[2]]
        return


def _blocks(seg: list[Line]) -> list[tuple[str, list[Line]]]:
    """Split a segment into text runs and table runs (>= 3 rows)."""
    blocks: list[tuple[str, list[Line]]] = []
    i = 0
    text_run: list[Line] = []
    while i < len(seg):
        if seg[i].cls == "table":
            j = i
            rows = []
            while j < len(seg) and seg[j].cls in ("table",):
                rows.append(seg[j])
                j += 1
            if len(rows) >= 3:
                if text_run:
                    blocks.append(("text", text_run))
                    text_run = []
                blocks.append(("table", rows))
            else:
                text_run.extend(r for r in rows)
            i = j
            continue
        if seg[i].cls == "text":
            text_run.append(seg[i])
        i += 1
    if text_run:
        blocks.append(("text", text_run))
    return blocks


def _table_header(rows: list[Line], lines: tuple[str, ...]) -> tuple[str, int]:
    """Caption + column header lines just above a table (from the original file)."""
    first = rows[0].no
    hdr: list[tuple[int, str]] = []
    no = first - 1
    while no >= 1 and len(hdr) < 40:
        s = lines[no - 1].strip()
        if s:
            if s[-1] in "。；：" or is_table_row(s):
                break
            hdr.append((no, s))
            if re.match(r"^表\s*\d", s) or RE_SECTION.match(s) or RE_CHAPTER.match(s):
                break
        no -= 1
    hdr.reverse()
    if not hdr:
        return "", first
    short = sum(len(s) for _, s in hdr) / len(hdr) < 8
    text = ("" if short else " ").join(s if "\t" not in s else re.sub(r"\t+", " ", s) for _, s in hdr)
    return text, hdr[0][0]


def _table_chunks(rows: list[Line], lines: tuple[str, ...]) -> list[tuple[str, int, int]]:
    header, hfirst = _table_header(rows, lines)
    # leading rows without numbers are column headers: keep them with every part
    k = 0
    while k < len(rows) - 1 and not re.search(r"\d", rows[k].text):
        k += 1
    if k:
        cols = " / ".join(re.sub(r"\s+", " ", r.text).strip() for r in rows[:k])
        header = f"{header}\n{cols}" if header else cols
        hfirst = min(hfirst, rows[0].no)
        rows = rows[k:]
    out = []
    group: list[Line] = []
    size = len(header)

    def emit():
        body = "\n".join(re.sub(r"\t+", " ", r.text).strip() for r in group)
        text = f"{header}\n{body}" if header else body
        first = hfirst if not out else group[0].no
        out.append((text, first, group[-1].no))

    for idx, r in enumerate(rows):
        if group and size + len(r.text) > CHUNK_MAX and len(rows) - idx >= 3:
            emit()
            group, size = [], len(header)
        group.append(r)
        size += len(r.text) + 1
    if group:
        emit()
    return out


def _make_chunk(doc, title, section, kind, text, first, last, eds, art) -> Chunk:
    ents, dims, inds = knowledge.mentions(section + "\n" + text)
    return Chunk(
        chunk_id=_chunk_id(doc.id, first, last, text), doc_id=doc.id, source_file=doc.source_file,
        lines=(first, last), section=section, doc_title=title, kind=kind, text=text, editions=eds,
        entities=ents, dimensions=dims, indicators=inds, article=(art["num"] if art else None),
    )
