"""chromadb's work at ``serve`` start, each in a process of its own: write a deferred chroma
store, and check a store with a probe query. The serving process never imports chromadb
(about 70 MB and a second per process).

Searches read ``vectors.npy`` and ``chunks.json`` (see :mod:`vectorstore.store`), so on a first
start ``hardtech serve`` need not wait for chromadb (1.5-2.5 s of writing, plus about a second to
import and probe it). It builds with ``defer_chroma=True`` and starts this module as a subprocess::

    python -m vectorstore.chroma_jobs write INDEX_DIR

The store is written into ``index.tmp-chroma-<build>`` beside the index (a build's staging folder,
so :func:`vectorstore.integrity.remove_leftovers` removes it when its writer dies), marked with
the writer's pid, then renamed to ``INDEX_DIR/chroma-<build>`` only if ``INDEX_DIR`` still holds
that build, and probed. Until then :func:`vectorstore.integrity.verify` reports the store as
``being written`` (not an error while its writer lives; an error with the rebuild hint once it
has died). chromadb is never imported into the serving process.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np

from . import integrity

log = logging.getLogger("vectorstore")


def staging(index: Path, build_id: str) -> Path:
    """Where build ``build_id``'s chroma store is written before it moves into ``index``."""
    return index.parent / f"{index.name}.tmp-chroma-{build_id}"


def reserve(index: Path, build_id: str) -> Path:
    """Create the staging folder, marked as this process's (the builder's) until a writer takes it."""
    folder = staging(index, build_id)
    folder.mkdir(parents=True, exist_ok=True)
    integrity.mark_builder(folder)
    return folder


def spawn(index: Path) -> subprocess.Popen:
    """Start the writer for ``index`` (its log lines go to this process's stderr)."""
    return subprocess.Popen([sys.executable, "-m", "vectorstore.chroma_jobs", "write", str(index)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)


def verify(index: Path) -> integrity.Integrity:
    """:func:`vectorstore.integrity.verify` with its probe query, run in a subprocess (so chromadb
    is not imported here). A subprocess that fails to report is an unverified index, said so."""
    p = subprocess.run([sys.executable, "-m", "vectorstore.chroma_jobs", "verify", str(index)],
                       stdin=subprocess.DEVNULL, capture_output=True, text=True)
    try:
        report = json.loads(p.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return integrity.Integrity(str(index), False, f"the integrity check stopped (exit status {p.returncode}): "
                                   f"{p.stderr.strip()[-300:]}", integrity.REBUILD_HINT,
                                   files=integrity.signature(index))
    return integrity.Integrity(**report, files=integrity.signature(index))


def write(index: Path) -> str:
    """Write the chroma store of the build at ``index`` if it is still pending; what happened.

    Returns ``"written"``, ``"not pending"`` (written already, or not deferred), or
    ``"superseded"`` (another build replaced the index meanwhile: nothing is moved into it)."""
    from . import chroma
    from .documents import Chunk

    meta = json.loads((index / "meta.json").read_text(encoding="utf-8"))
    build_id = meta["build_id"]
    target = index / meta["chroma_dir"]
    if not meta.get("chroma_deferred") or target.exists():
        return "not pending"
    folder = reserve(index, build_id)  # this process is its writer now
    store = folder / "store"
    shutil.rmtree(store, ignore_errors=True)  # a dead writer's half
    chunks = [Chunk.from_dict(r["chunk"]) for r in json.loads((index / "chunks.json").read_text(encoding="utf-8"))]
    vectors = np.load(index / "vectors.npy")
    try:
        client = chroma.client(store, None)
        chroma.create_collection(client, meta["collection"], meta["embedding"], meta["embedding_model"], chunks, vectors)
    finally:
        client = None
        chroma.forget_clients()
    current = json.loads((index / "meta.json").read_text(encoding="utf-8")).get("build_id")
    if current != build_id:
        shutil.rmtree(folder, ignore_errors=True)
        return "superseded"
    store.rename(target)
    shutil.rmtree(folder, ignore_errors=True)
    return "written"


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    job, index = argv[0], Path(argv[1])
    if job == "write":
        os.nice(10)  # background work: the workers warming up meanwhile come first
    if job == "verify":
        found = integrity.verify(index)
        print(json.dumps({k: getattr(found, k) for k in ("path", "ok", "problem", "hint", "count", "build_id", "chroma")}))
        return 0
    from .chroma import chroma_errors

    try:
        outcome = write(index)
    except (*chroma_errors(), OSError, ValueError, KeyError) as exc:  # the index went away or the disk failed: the check reports it
        log.warning("retrieval index: the chroma store was not written (%s: %s); `hardtech index build` writes it",
                    type(exc).__name__, exc)
        return 1
    if outcome == "written":
        found = integrity.verify(index)  # the probe query, here rather than in the server
        log.info("retrieval index: chroma store written and checked (%s)",
                 "ok" if found.ok else f"broken: {found.problem}")
        return 0 if found.ok else 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
