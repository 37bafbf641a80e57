"""A user's own documents: ``$HARDTECH_HOME/corpus/`` (``hardtech corpus add|list|remove``).

Each document is stored as the UTF-8 text extracted from it (``<name>-<hash>.txt``,
lines exactly as extracted, so a citation's lines can be opened in any editor), and
described in ``manifest.yaml`` in the bundled manifest's format plus: the original
file's name and sha256, the stored text's sha256, the edition(s) it backs, and its
sections (``{name, lines: [first, last]}``, from its headings). Sections become the
chunker's hard boundaries and section paths. :func:`vectorstore.corpus.all_documents`
adds these documents to the bundled ones; the index build then embeds only their
chunks (the bundled chunks' vectors are reused).

Writes are atomic (the text first, then the manifest) and serialised by a lock file,
so a crash leaves the manifest naming only complete documents.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import re
import time
from pathlib import Path
from typing import Iterator

import yaml

from .documents import _manifest_path, corpus_dir, entries, load_manifest, text_path, user_documents  # noqa: F401 (re-exported)
from .errors import UnknownDocumentError
from .extract import DocumentError, Extracted, extract


@contextlib.contextmanager
def _locked() -> Iterator[None]:
    corpus_dir().mkdir(parents=True, exist_ok=True)
    with open(corpus_dir() / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _write_manifest(docs: list[dict]) -> None:
    from index_core.io import write_atomic

    header = "# Documents added with `hardtech corpus add` (written by hardtech; `hardtech corpus remove` deletes one).\n"
    write_atomic(_manifest_path(), header + yaml.safe_dump({"documents": docs}, allow_unicode=True, sort_keys=False))


def _sections(extracted: Extracted, n_lines: int) -> list[dict]:
    """One section per heading, up to the next heading; named by its heading path."""
    heads = sorted(extracted.headings, key=lambda h: h.line)
    out, path = [], {}
    for i, h in enumerate(heads):
        path = {lvl: t for lvl, t in path.items() if lvl < h.level} | {h.level: h.title}
        last = heads[i + 1].line - 1 if i + 1 < len(heads) else n_lines
        out.append({"name": " › ".join(path[k] for k in sorted(path)), "lines": [h.line, last]})
    return out


def add(path: Path | str, editions: list[str] | tuple[str, ...] = (), title: str | None = None) -> dict:
    """Extract, store and describe a document; returns its manifest entry.

    ``editions`` ties the document to editions (they must exist: shipped or installed),
    so ``hardtech search --edition`` finds it. Raises :class:`DocumentError`."""
    from index_core import io as core_io

    path = Path(path).expanduser()
    for eid in editions:
        core_io.load_edition(eid)  # raises UnknownEditionError with close matches
    extracted = extract(path)
    text = extracted.text
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    slug = re.sub(r"[^\w\-]+", "-", path.stem).strip("-")[:40] or "document"
    doc_id = f"{slug}-{digest[:8]}"
    n_lines = text.count("\n")
    name = title or extracted.title or next((h.title for h in extracted.headings), None) or path.stem
    entry = {
        "id": doc_id, "source_file": f"{doc_id}.txt", "sha256": digest, "title_zh": name, "title_en": name,
        "year": None, "publisher": "", "editions": list(dict.fromkeys(editions)),
        "layout": "wrapped" if extracted.kind == "pdf" else "paragraph",
        "original_file": path.name, "original_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "kind": extracted.kind, "lines": n_lines, "added_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "sections": _sections(extracted, n_lines),
    }
    with _locked():
        docs = list(entries())
        same = next((d for d in docs if d["sha256"] == digest), None)
        if same is not None:
            raise DocumentError(f"{path.name} is already in the corpus as {same['id']} (same text)",
                                hint=f"`hardtech corpus remove {same['id']}` first to add it again with other options.")
        from index_core.io import write_atomic

        write_atomic(text_path(entry["source_file"]), text)
        _write_manifest(docs + [entry])
    return entry


def remove(key: str) -> dict:
    """Remove a user document (by id or stored file name); returns its entry."""
    with _locked():
        docs = list(entries())
        entry = next((d for d in docs if key in (d["id"], d["source_file"], d["original_file"])), None)
        if entry is None:
            if any(key in (d.id, d.source_file, Path(d.source_file).stem) for d in load_manifest()):
                raise DocumentError(f"{key} is a report shipped with hardtech and cannot be removed",
                                    hint="`hardtech corpus list` shows which documents are yours.")
            raise UnknownDocumentError(key, [d["id"] for d in docs])
        _write_manifest([d for d in docs if d is not entry])
        text_path(entry["source_file"]).unlink(missing_ok=True)
    return entry


def listing() -> list[dict]:
    """Every document: the bundled reports and the user's, with where their text is."""
    bundled = [{"id": d.id, "origin": "shipped", "title": d.title_zh, "source_file": d.source_file,
                "editions": list(d.editions), "path": str(d.path)} for d in load_manifest()]
    mine = [{"id": e["id"], "origin": "user", "title": e["title_zh"], "source_file": e["source_file"],
             "editions": e["editions"], "path": str(text_path(e["source_file"])), "original_file": e["original_file"],
             "kind": e["kind"], "lines": e["lines"], "sections": len(e.get("sections") or [])} for e in entries()]
    return bundled + mine
