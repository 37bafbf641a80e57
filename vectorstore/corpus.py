"""Corpus loading, cleaning and section-aware chunking.

The source reports under ``vectorstore/corpus/`` are never edited: every
cleaning step happens here, and every chunk keeps the 1-based line range of the
ORIGINAL file it came from, so citations point at the shipped text.

Pipeline per document:

1. classify each line: blank, running header/footer (``drop_patterns``), bare
   page number, chart-label debris (runs of short label lines, labels repeated
   across charts, number-only lines), heading, table row, or text;
2. track headings into a section path (part › chapter › x.y › city …; for the
   journal issue 004, the article title is the root and articles are hard
   boundaries);
3. rejoin PDF-wrapped lines into a character stream with per-character line
   provenance and split it into sentences (。！？； keeping closing quotes);
4. pack sentences into ~200-600 character chunks with a one-sentence overlap,
   never across a section/article/document boundary; tables become their own
   chunks (whole rows, with the caption/header lines as context).
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

from .config import CORPUS_DIR, MANIFEST_PATH

CHUNK_MIN = 200
CHUNK_TARGET = 450
CHUNK_MAX = 600
OVERLAP_MAX = 160  # the last sentence is repeated in the next chunk if at most this long
SENTENCE_MAX = 300

_CJK = r"\u3400-\u9fff"
_SENT_END = "。！？；!?"
_CLOSERS = "”’」』）)】\"'"
_CN_NUM = "一二三四五六七八九十"


# ----------------------------------------------------------------------------- data
@dataclass(frozen=True)
class Document:
    id: str
    source_file: str
    sha256: str
    title_zh: str
    title_en: str
    year: int | None
    publisher: str
    editions: tuple[str, ...]
    layout: str
    raw: dict = field(repr=False, compare=False, hash=False, default_factory=dict)

    @property
    def path(self) -> Path:
        return CORPUS_DIR / self.source_file


@dataclass
class Chunk:
    chunk_id: str
    doc_id: str
    source_file: str
    lines: tuple[int, int]
    section: str
    doc_title: str
    kind: str  # text | table
    text: str
    editions: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    dimensions: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()
    article: int | None = None

    @property
    def index_text(self) -> str:
        """What is embedded and BM25-indexed: section path + text."""
        return f"{self.section}\n{self.text}" if self.section else self.text

    def to_dict(self) -> dict:
        d = asdict(self)
        d["lines"] = list(self.lines)
        for k in ("editions", "entities", "dimensions", "indicators"):
            d[k] = list(d[k])
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Chunk":
        d = dict(d)
        d["lines"] = tuple(d["lines"])
        for k in ("editions", "entities", "dimensions", "indicators"):
            d[k] = tuple(d.get(k) or ())
        return cls(**d)


# ------------------------------------------------------------------------- manifest
@functools.lru_cache(maxsize=1)
def load_manifest() -> tuple[Document, ...]:
    data = yaml.safe_load(MANIFEST_PATH.read_text(encoding="utf-8"))
    docs = []
    for d in data["documents"]:
        docs.append(Document(
            id=str(d["id"]), source_file=d["source_file"], sha256=d["sha256"], title_zh=d["title_zh"],
            title_en=d["title_en"], year=d.get("year"), publisher=d.get("publisher", ""),
            editions=tuple(d.get("editions") or ()), layout=d.get("layout", "paragraph"), raw=d,
        ))
    return tuple(docs)


# --- user documents (hardtech corpus add): the one seam between the bundled corpus and a user's
def all_documents() -> tuple[Document, ...]:
    """Every document to index and cite: the bundled reports, then the user's
    (``$HARDTECH_HOME/corpus``, see :mod:`vectorstore.user_corpus`)."""
    from .user_corpus import user_documents

    return load_manifest() + user_documents()


def _text_path(source_file: str) -> Path:
    from .user_corpus import text_path

    bundled = CORPUS_DIR / source_file
    return bundled if bundled.is_file() else text_path(source_file)
# ---


def document_by_key(key: str) -> Document | None:
    """Find a document by id (``001``), file name, or file stem."""
    for d in all_documents():
        if key in (d.id, d.source_file, Path(d.source_file).stem):
            return d
    return None


@functools.lru_cache(maxsize=None)
def read_lines(source_file: str) -> tuple[str, ...]:
    """Original lines of a shipped or user document (index 0 is line 1)."""
    text = _text_path(source_file).read_text(encoding="utf-8")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return tuple(lines)


def corpus_fingerprint() -> str:
    h = hashlib.sha256()
    for d in load_manifest():
        h.update(d.path.read_bytes())
    h.update(MANIFEST_PATH.read_bytes())
    for d in all_documents()[len(load_manifest()):]:
        h.update(d.sha256.encode())
    return h.hexdigest()[:16]


# ---------------------------------------------------------------------- line classes
_RE_PAGE = re.compile(r"^\d{1,3}$")
_RE_PART = re.compile(r"^第[一二三四五六七八九十]+部分\s*\S{2,8}$")
_RE_CHAPTER = re.compile(rf"^([{_CN_NUM}]{{1,2}})\1?、+\s*(\S.{{1,34}})$")
_RE_SECTION = re.compile(r"^(\d{1,2}\.\d{1,2})(?:\s+(\S.{1,48})|([" + _CJK + r"“].{1,40}))$")
_RE_SUBSECTION = re.compile(r"^(\d{1,2}\.\d{1,2}\.\d{1,2})\s*(\S.{1,40})$")
_RE_NUMBERED = re.compile(r"^(\d{1,2})\.\s+(\S.{1,30})$")
_RE_PAREN = re.compile(rf"^（([{_CN_NUM}]{{1,2}})）\S.{{1,30}}$")
_RE_TIER_CITY = re.compile(r"^第[一二三四五]梯队——(\S{2,6})$")
_RE_CITY_PROFILE = re.compile(r"^(\S{2,5}?)市产业创新综合能力水平指数为")
_PUA = re.compile("[\ue000-\uf8ff]")
_RE_NUM_TOKEN = re.compile(r"^[-+]?\d+(?:[.,]\d+)?%?$")


def _is_table_row(s: str) -> bool:
    if s.count("\t") >= 2:
        return True
    toks = s.split()
    if len(toks) < 5:
        return False
    if "。" in s or "，" in s or len(s) > 200:
        return False
    nums = sum(1 for t in toks if _RE_NUM_TOKEN.match(t))
    cjk = any(re.search(f"[{_CJK}]", t) for t in toks)
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
class _Line:
    no: int
    text: str
    cls: str  # text | heading | table | skip
    level: int = -1
    label: str = ""


def _cn_number(s: str) -> int:
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
    m = _RE_CHAPTER.match(s)
    if m and "，" not in s and len(s) <= 36:
        return 1, re.sub(r"、\s+", "、", s)
    m = _RE_SUBSECTION.match(s)
    if m and "，" not in s:
        return 3, s
    m = _RE_SECTION.match(s)
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


def _classify(doc: Document, lines: tuple[str, ...]) -> tuple[list[_Line], int]:
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

    out: list[_Line] = []
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
        elif _is_table_row(lines[i].strip(" \u3000")):
            cls = "table"
        elif _numeric_share(s) > 0.6 and len(s) < 60 and not re.search(f"[{_CJK}。，；]", s):
            cls = "skip"  # axis ticks, lone values
        elif counts[s] >= 3 and len(s) <= 30 and not any(p in s for p in "。；"):
            cls = "skip"  # chart labels repeated in every city profile
        out.append(_Line(no, s, cls))

    # headings
    for ln in out:
        if ln.cls != "text":
            continue
        h = _heading(ln.text, doc.layout, width)
        if h:
            ln.cls, ln.level, ln.label = "heading", h[0], h[1]

    # runs of >= 3 label-like lines are chart debris (wrapped layouts only: in a
    # paragraph layout short lines are captions and list items).
    if doc.layout == "wrapped":
        run: list[_Line] = []
        for ln in out + [_Line(10**9, "", "end")]:
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


def _mentions(text: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    from .knowledge import alias_map, dimension_names, indicator_names

    compact = re.sub(r"\s+", "", text)
    ents: list[str] = []
    for alias, name in alias_map().items():
        if alias.isascii():
            if re.search(r"(?<![A-Za-z])" + re.escape(alias) + r"(?![A-Za-z])", text):
                ents.append(name)
        elif alias in compact:
            ents.append(name)
    dims = [d for d in dimension_names() if d in compact]
    inds = [i for i in indicator_names() if re.sub(r"\s+", "", i) in compact]
    return tuple(sorted(set(ents))), tuple(dims), tuple(inds)


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
    classified, width = _classify(doc, lines)
    nonblank = [ln.no for ln in classified]
    articles = doc.raw.get("articles") or []

    def article_of(no: int) -> dict | None:
        for a in articles:
            if a["lines"][0] <= no <= a["lines"][1]:
                return a
        return None

    # group classified lines into segments: (article, section path, [lines])
    segments: list[tuple[dict | None, str, list[_Line]]] = []
    levels: dict[int, str] = {}
    cur_article: dict | None = None
    cur: list[_Line] = []
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
            n = _cn_number(ln.label.split("、")[0])
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
            continue
        if ln.cls == "text" and doc.layout == "paragraph":
            m = _RE_CITY_PROFILE.match(ln.text)
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


def _blocks(seg: list[_Line]) -> list[tuple[str, list[_Line]]]:
    """Split a segment into text runs and table runs (>= 3 rows)."""
    blocks: list[tuple[str, list[_Line]]] = []
    i = 0
    text_run: list[_Line] = []
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


def _table_header(rows: list[_Line], lines: tuple[str, ...]) -> tuple[str, int]:
    """Caption + column header lines just above a table (from the original file)."""
    first = rows[0].no
    hdr: list[tuple[int, str]] = []
    no = first - 1
    while no >= 1 and len(hdr) < 40:
        s = lines[no - 1].strip()
        if s:
            if s[-1] in "。；：" or _is_table_row(s):
                break
            hdr.append((no, s))
            if re.match(r"^表\s*\d", s) or _RE_SECTION.match(s) or _RE_CHAPTER.match(s):
                break
        no -= 1
    hdr.reverse()
    if not hdr:
        return "", first
    short = sum(len(s) for _, s in hdr) / len(hdr) < 8
    text = ("" if short else " ").join(s if "\t" not in s else re.sub(r"\t+", " ", s) for _, s in hdr)
    return text, hdr[0][0]


def _table_chunks(rows: list[_Line], lines: tuple[str, ...]) -> list[tuple[str, int, int]]:
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
    group: list[_Line] = []
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
    ents, dims, inds = _mentions(section + "\n" + text)
    return Chunk(
        chunk_id=_chunk_id(doc.id, first, last, text), doc_id=doc.id, source_file=doc.source_file,
        lines=(first, last), section=section, doc_title=title, kind=kind, text=text, editions=eds,
        entities=ents, dimensions=dims, indicators=inds, article=(art["num"] if art else None),
    )


@functools.lru_cache(maxsize=None)
def _chunks_of(doc: Document) -> tuple[Chunk, ...]:
    return tuple(chunk_document(doc))


def build_chunks() -> list[Chunk]:
    """All chunks of every document (:func:`all_documents`), in document order (deterministic)."""
    return [c for d in all_documents() for c in _chunks_of(d)]


def clean_lines(doc: Document) -> list[tuple[int, str]]:
    """The (line_no, text) lines the pipeline keeps as prose, headings or table rows."""
    classified, _ = _classify(doc, read_lines(doc.source_file))
    return [(ln.no, ln.text) for ln in classified if ln.cls in ("text", "heading", "table")]


def get_passage(source_file: str, first: int, last: int, context: int = 3) -> dict:
    """Original lines ``first-context .. last+context`` of a shipped file, for citation panels.

    Returns ``{"source_file", "first", "last", "lines": [{"no", "text", "cited"}]}``.
    Raises :class:`~vectorstore.errors.UnknownDocumentError` for an unknown file
    and :class:`ValueError` for an impossible range.
    """
    from .errors import UnknownDocumentError

    doc = document_by_key(source_file)
    if doc is None:
        raise UnknownDocumentError(source_file, [d.source_file for d in all_documents()])
    lines = read_lines(doc.source_file)
    if first < 1 or last < first or first > len(lines):
        raise ValueError(f"Invalid line range [{first}, {last}] for {doc.source_file} ({len(lines)} lines)")
    last = min(last, len(lines))
    lo, hi = max(1, first - max(0, context)), min(len(lines), last + max(0, context))
    return {
        "source_file": doc.source_file,
        "doc_title": doc.title_zh,
        "first": first,
        "last": last,
        "lines": [{"no": n, "text": lines[n - 1], "cited": first <= n <= last} for n in range(lo, hi + 1)],
    }
