"""Text out of a user's document: ``.txt``, ``.md``, ``.pdf`` (its text layer) and ``.docx``.

Pure reading: returns the text as extracted (newlines normalised to ``\\n``, nothing
else changed) and the lines that are headings, so the stored text can be cited line
by line. A PDF without a text layer is an error that says so: there is no OCR here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import VectorStoreError

SUFFIXES = (".txt", ".md", ".pdf", ".docx")
#: Fewer non-blank characters than this per page means the PDF is a scan.
MIN_CHARS_PER_PAGE = 20

_NUMBERED_HEADING = re.compile(
    r"^(第[一二三四五六七八九十]+[部分章节]|[一二三四五六七八九十]{1,2}、|（[一二三四五六七八九十]{1,2}）|\d{1,2}(\.\d{1,2}){0,2}[.、]?\s)\S")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(\S.*?)\s*#*\s*$")


class DocumentError(VectorStoreError):
    """A document that cannot be added: unsupported, unreadable, or without text."""

    code = "invalid_document"


@dataclass(frozen=True)
class Heading:
    line: int  # 1-based line of the stored text
    level: int  # 1 = top
    title: str


@dataclass(frozen=True)
class Extracted:
    text: str  # UTF-8 text, lines separated by "\n", ending with one
    kind: str  # txt | md | pdf | docx
    title: str | None = None  # from the document's metadata, when it has one
    headings: tuple[Heading, ...] = field(default_factory=tuple)


def extract(path: Path) -> Extracted:
    """Read ``path`` by its suffix. Raises :class:`DocumentError` with what to do instead."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise DocumentError(f"No such file: {path}", hint="Check the path.")
    if suffix not in SUFFIXES:
        raise DocumentError(f"Cannot read {path.name}: {suffix or 'no suffix'} is not a supported format",
                            hint=f"Add one of {', '.join(SUFFIXES)} (save other formats as PDF, Word .docx or plain text).")
    if suffix == ".pdf":
        text, title = _pdf(path)
    elif suffix == ".docx":
        return _docx(path)
    else:
        text, title = _plain(path), None
    text = _normalise(text)
    kind = suffix[1:]
    return Extracted(text, kind, title, _headings(text, markdown=kind == "md"))


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").replace("\f", "\n")
    return text.rstrip("\n") + "\n"


def _plain(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # Chinese plain text is often GB-encoded
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentError(f"{path.name} is neither UTF-8 nor GB18030 text", hint="Save it as UTF-8 and add it again.")


def _pdf(path: Path) -> tuple[str, str | None]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(f"{path.name} is encrypted", hint="Save an unprotected copy of the PDF and add that.")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = (reader.metadata or {}).get("/Title") if reader.metadata else None
    except PdfReadError as exc:
        raise DocumentError(f"{path.name} is not a readable PDF ({exc})", hint="Check the file, or export it again as PDF.") from None
    chars = sum(len(re.sub(r"\s", "", p)) for p in pages)
    if chars < MIN_CHARS_PER_PAGE * max(1, len(pages)):
        raise DocumentError(
            f"{path.name} has no text layer ({len(pages)} page(s), {chars} characters of text): it looks like a scan or images",
            hint="hardtech does not run OCR. Run OCR with another tool and add its .txt, or add a PDF exported with its text.")
    return "\n".join(p.rstrip("\n") for p in pages), (str(title).strip() or None) if title else None


def _docx(path: Path) -> Extracted:
    """Paragraphs and table rows (cells joined by tabs), in document order; Heading/Title styles are headings."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise DocumentError(f"{path.name} is not a readable Word document ({exc})", hint="Save it again as .docx.") from None
    lines: list[str] = []
    headings: list[Heading] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines += ["\t".join(cell.text.strip() for cell in row.cells) for row in block.rows]
            continue
        assert isinstance(block, Paragraph)
        text = block.text.replace("\n", " ").strip()
        style = (block.style.name if block.style is not None else "") or ""
        level = 1 if style == "Title" else int(style[-1]) if re.fullmatch(r"Heading \d", style) else 0
        if level and text:
            headings.append(Heading(len(lines) + 1, level, text))
        lines.append(text)
    text = _normalise("\n".join(lines))
    return Extracted(text, "docx", (document.core_properties.title or "").strip() or None, tuple(headings))


def _headings(text: str, markdown: bool) -> tuple[Heading, ...]:
    out = []
    for no, line in enumerate(text.split("\n"), start=1):
        s = line.strip()
        m = _MD_HEADING.match(s) if markdown else None
        if m:
            out.append(Heading(no, len(m.group(1)), m.group(2)))
        elif not markdown and len(s) <= 40 and _NUMBERED_HEADING.match(s) and not s.endswith(("。", "；", ".", ";")):
            out.append(Heading(no, 1 if "、" in s[:4] or s.startswith("第") else 2, s))
    return tuple(out)
