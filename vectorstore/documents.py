"""The records of the corpus: a shipped report (:class:`Document`, from the manifest),
its original lines, and a :class:`Chunk` of it.

The reports under ``vectorstore/corpus/`` are never edited: cleaning and chunking
(:mod:`vectorstore.cleaning`, :mod:`vectorstore.chunking`) happen in code, and every
chunk keeps the 1-based line range of the ORIGINAL file it came from, so citations
point at the shipped text.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import asdict, dataclass, field
from pathlib import Path


from .config import CORPUS_DIR, MANIFEST_PATH, read_yaml


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
    data = read_yaml(MANIFEST_PATH)
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
    return load_manifest() + user_documents()


def _text_path(source_file: str) -> Path:
    bundled = CORPUS_DIR / source_file
    return bundled if bundled.is_file() else text_path(source_file)


def document_by_key(key: str) -> Document | None:
    """Find a document (bundled or the user's) by id (``001``), file name, or file stem."""
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


# --- the user's documents as `hardtech corpus add` stored them (reading side; writing: user_corpus)
def corpus_dir() -> Path:
    from hardtech.settings import get_settings

    return get_settings().home / "corpus"


def text_path(source_file: str) -> Path:
    """Where a user document's text is stored."""
    return corpus_dir() / Path(source_file).name


def _manifest_path() -> Path:
    return corpus_dir() / "manifest.yaml"


@functools.lru_cache(maxsize=8)
def _read_manifest(path: Path, mtime_ns: int) -> tuple[dict, ...]:
    data = read_yaml(path) or {}
    return tuple(data.get("documents") or ())


def entries() -> tuple[dict, ...]:
    """The user documents' manifest entries (cached until the manifest changes)."""
    path = _manifest_path()
    try:
        return _read_manifest(path, path.stat().st_mtime_ns)
    except FileNotFoundError:
        return ()


def user_documents() -> tuple[Document, ...]:
    """The user's documents as :class:`~vectorstore.corpus.Document` (for chunking and citing)."""
    return tuple(_document(e) for e in entries())


def _document(e: dict) -> Document:
    # each section is an "article" to the chunker: a hard boundary whose name roots the section path
    articles = [{"num": i, "lines": s["lines"], "title_zh": s["name"], "title_en": s["name"],
                 "title_lines": [s["lines"][0]], "editions": list(e["editions"])}
                for i, s in enumerate(e.get("sections") or [], start=1)]
    raw = {**e, "articles": articles, "query_aliases": [e["title_zh"]]}
    return Document(id=e["id"], source_file=e["source_file"], sha256=e["sha256"], title_zh=e["title_zh"],
                    title_en=e["title_en"], year=e.get("year"), publisher=e.get("publisher", ""),
                    editions=tuple(e["editions"]), layout=e["layout"], raw=raw)
