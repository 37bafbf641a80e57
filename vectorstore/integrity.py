"""Is the retrieval index whole, and what to do when it is not.

* :func:`verify`: the integrity check ``serve`` runs at start-up and ``/readyz`` repeats when the
  files change: ``meta.json`` readable, built from the shipped corpus (manifest fingerprint),
  chunk counts that agree (``meta.json``, ``chunks.json``, ``vectors.npy``, the chroma
  store's SQLite, read immutably), and one probe query (the stored vector of the first chunk
  must find that chunk).
* :func:`readonly_copy`: chromadb writes to its store even to answer a query (``chroma.sqlite3``
  and the HNSW ``length.bin`` change), so readers open a private copy of it, never the index.
* :func:`remove_leftovers`: ``index.old-*`` left by a crash mid-swap, ``index.tmp-*`` of builds
  whose builder is dead (or older than any build takes), private copies of dead processes.
* :func:`disk_errors`: a full or read-only disk during ``index build`` is an
  :class:`IndexWriteError` saying so, not a traceback; :func:`store_errors`: a chroma store that
  chromadb cannot even open is an :class:`~vectorstore.errors.IndexCorruptError` with the fix.

It never imports :mod:`vectorstore.store` (which calls the hooks here), so there is no cycle.
"""
from __future__ import annotations

import atexit
import errno
import functools
import json
import logging
import os
import re
import shutil
import socket
import sqlite3
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, TypeVar

from .config import index_dir
from .errors import REBUILD_HINT, IndexCorruptError, VectorStoreError

log = logging.getLogger("vectorstore")

MAX_BUILD_SECONDS = 15 * 60  # no build takes this long (the slowest, a first embedding on 2 shared cores, takes ~3 min)
BUILDER_FILE = ".builder"  # in index.tmp-*: "pid host" of the process writing it
COPIES = Path(tempfile.gettempdir()) / "hardtech-chroma"  # private read-only copies, one folder per process and build
SQLITE_MAGIC = b"SQLite format 3\x00"


class IndexWriteError(VectorStoreError):
    """The index could not be written: the disk is full, read-only or not ours."""

    code = "index_write_failed"


# ------------------------------------------------------------------------- the check
@dataclass
class Integrity:
    """The outcome of :func:`verify`: ``ok``, or ``problem`` (what is wrong) and ``hint`` (the fix)."""

    path: str
    ok: bool
    problem: str | None = None
    hint: str | None = None
    count: int | None = None
    build_id: str | None = None
    chroma: str | None = None  # the local chroma store: "checked", "written" (not probed), "being written" or "damaged"
    files: dict[str, Any] = field(default_factory=dict)  # the signature the check saw (see signature())

    def to_dict(self) -> dict:
        d = {"status": "ok" if self.ok else "error", "path": self.path, "count": self.count, "build_id": self.build_id,
             "chroma": self.chroma}
        if not self.ok:
            d.update(error=self.problem, hint=self.hint)
        return d


class _Broken(Exception):
    def __init__(self, problem: str, hint: str = REBUILD_HINT):
        super().__init__(problem)
        self.problem, self.hint = problem, hint


def signature(path: Path | None = None) -> dict[str, Any]:
    """Size and modification time of every file of the index: a cheap way to see that it changed."""
    path = path or index_dir()
    out: dict[str, Any] = {}
    if path.is_dir():
        for f in sorted(path.rglob("*")):
            if f.is_file():
                st = f.stat()
                out[str(f.relative_to(path))] = (st.st_size, st.st_mtime_ns)
    return out


def verify(path: Path | None = None, *, probe: bool = True, corpus: str | None = None) -> Integrity:
    """Check the index at ``path`` (default: ``$HARDTECH_HOME/index``) without writing to it.

    Always: meta.json, the corpus fingerprint, the chunk counts of every file, and the chroma
    store's SQLite (opened read-only and immutable: ``quick_check`` and its count). With
    ``probe`` (about a second: chromadb opens a fresh private copy), one query as well.
    ``corpus`` is the shipped corpus fingerprint (default: computed). For a Chroma-server index
    (``HARDTECH_CHROMA_URL``) only the local files are checked; search probes the server."""
    path = path or index_dir()
    files = signature(path)
    try:
        meta = _meta(path)
        count = _check_counts(path, meta)
        if corpus is None:
            from .corpus import corpus_fingerprint

            corpus = corpus_fingerprint()
        if meta.get("corpus") != corpus:
            raise _Broken("the index was built from other reports than the ones shipped (corpus fingerprint differs)",
                          "Bring it up to date with: hardtech index build")
        chroma = None
        if chroma_pending(path, meta):
            chroma = "being written"
        elif not meta.get("chroma_url"):
            store = path / str(meta.get("chroma_dir"))
            try:
                _check_sqlite(store, meta["collection"], count)
                chroma = "written"
                if probe:
                    _probe(store, meta["collection"], path, count)
                    chroma = "checked"
            except _Broken as broken:  # searches read vectors.npy: they work; the persisted store needs a rebuild
                return Integrity(str(path), False, f"the chroma store is damaged: {broken.problem}", broken.hint,
                                 count=count, build_id=meta.get("build_id"), chroma="damaged", files=files)
    except _Broken as broken:
        return Integrity(str(path), False, broken.problem, broken.hint, files=files)
    return Integrity(str(path), True, count=count, build_id=meta.get("build_id"), chroma=chroma, files=files)


def chroma_pending(path: Path, meta: dict) -> bool:
    """Whether the index at ``path`` is complete but for its chroma store, which a live process is
    writing (see :mod:`vectorstore.chroma_jobs`): searches work, the store follows in seconds. Once
    that writer has died the store is simply missing (an error with the rebuild hint)."""
    if not meta.get("chroma_deferred") or meta.get("chroma_url") or (path / str(meta.get("chroma_dir"))).exists():
        return False
    staging = path.parent / f"{path.name}.tmp-chroma-{meta.get('build_id')}"
    return staging.is_dir() and not _build_is_dead(staging, time.time())


def _meta(path: Path) -> dict:
    if not (path / "meta.json").exists():
        raise _Broken(f"no index at {path}", "Build it with: hardtech index build")
    try:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _Broken(f"meta.json is unreadable ({exc})") from None
    if not isinstance(meta, dict) or not isinstance(meta.get("count"), int):
        raise _Broken("meta.json has no chunk count")
    return meta


def without_tokens(pairs: list[tuple[str, Any]]) -> dict:
    """``json.loads`` hook for chunks.json: a record without its BM25 tokens, dropped as each
    record is parsed (so their strings are freed and reused at once: holding all 140,000, or
    allocating them all before freeing, leaves a process 14 MB larger)."""
    d = dict(pairs)
    if "chunk" in d:
        d.pop("tokens", None)
    return d


def _check_counts(path: Path, meta: dict) -> int:
    import numpy as np

    count = meta["count"]
    try:
        records = json.loads((path / "chunks.json").read_text(encoding="utf-8"), object_pairs_hook=without_tokens)
        vectors = np.load(path / "vectors.npy", mmap_mode="r")
    except (OSError, ValueError) as exc:
        raise _Broken(f"chunks.json or vectors.npy is unreadable ({type(exc).__name__}: {exc})") from None
    if len(records) != count or vectors.shape[0] != count:
        raise _Broken(f"meta.json says {count} chunks, chunks.json holds {len(records)} and vectors.npy {vectors.shape[0]}")
    return count


COUNT_SQL = ("SELECT count(*) FROM embeddings e JOIN segments s ON e.segment_id = s.id "
             "JOIN collections c ON s.collection = c.id WHERE c.name = ?")


def _check_sqlite(store: Path, collection: str, count: int) -> None:
    """The chroma store's database, read-only and immutable (SQLite then writes nothing, not even a lock)."""
    db = store / "chroma.sqlite3"
    name = f"{store.name}/chroma.sqlite3"
    try:
        with db.open("rb") as fh:
            magic = fh.read(len(SQLITE_MAGIC))
    except OSError:
        raise _Broken(f"{name} is missing") from None
    if magic != SQLITE_MAGIC:
        raise _Broken(f"{name} is not an SQLite database (overwritten?)")
    try:
        conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            held = conn.execute(COUNT_SQL, (collection,)).fetchone()[0] if check == "ok" else None
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise _Broken(f"{name} cannot be read ({exc})") from None
    if check != "ok":
        raise _Broken(f"{name} is damaged (SQLite quick_check: {check})")
    if held != count:
        raise _Broken(f"{name} holds {held} chunks of collection {collection}, meta.json says {count}")


def _probe(store: Path, collection: str, path: Path, count: int) -> None:
    """Query a fresh private copy of the chroma store with the first chunk's stored vector: the
    nearest chunk must be that chunk (no embedding model is loaded)."""
    import numpy as np

    first_id = json.loads((path / "chunks.json").read_text(encoding="utf-8"),
                          object_pairs_hook=without_tokens)[0]["chunk"]["chunk_id"]
    first = np.asarray(np.load(path / "vectors.npy", mmap_mode="r")[0], dtype=float).tolist()
    COPIES.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-probe-", dir=COPIES))
    client = None
    try:
        shutil.copytree(store, scratch / "store")
        import chromadb
        from chromadb.config import Settings

        client = chromadb.PersistentClient(path=str(scratch / "store"), settings=Settings(anonymized_telemetry=False))
        col = client.get_collection(collection)
        held = col.count()
        hit = col.query(query_embeddings=[first], n_results=1, include=[])["ids"][0]
    except OSError as exc:
        raise _Broken(f"the chroma store could not be copied for the probe ({exc})", "Free space in the temporary directory.") from None
    except Exception as exc:  # noqa: BLE001 - chromadb raises many types for a damaged store; each means "broken"
        raise _Broken(f"the chroma store cannot be queried ({type(exc).__name__}: {str(exc)[:200]})") from None
    finally:
        if client is not None:
            client.close()
        shutil.rmtree(scratch, ignore_errors=True)
    if held != count:
        raise _Broken(f"the chroma store holds {held} vectors, meta.json says {count}")
    if hit != [first_id]:
        raise _Broken("the probe query did not find the chunk it was made from (the vector index is damaged)")


# ----------------------------------------------------------------- read-only opening
def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def readonly_copy(store: Path) -> Path:
    """A private copy of the chroma store ``store`` for this process to open, so that reading
    never writes the index (several processes may read it; the disk may be read-only).

    One copy per process and per build (the store's folder name holds the build id), in the
    temporary directory, removed when the process exits. Where no copy can be made, ``store``
    itself is returned (the old behaviour) and a warning logged."""
    dest = COPIES / f"{os.getpid()}-{store.parent.name}-{store.name}"
    if dest.is_dir():
        return dest
    _remove_dead_copies()
    staging = dest.with_name(dest.name + ".partial")
    try:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(store, staging)
        staging.rename(dest)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        log.warning("Could not copy the retrieval store to %s (%s); opening it in place", COPIES, exc)
        return store
    _remove_at_exit(dest)
    return dest


_OWN_COPIES: list[Path] = []


def _remove_at_exit(dest: Path) -> None:
    if not _OWN_COPIES:
        atexit.register(lambda: [shutil.rmtree(p, ignore_errors=True) for p in _OWN_COPIES])
    _OWN_COPIES.append(dest)


def _remove_dead_copies() -> list[Path]:
    removed = []
    for d in COPIES.glob("*") if COPIES.is_dir() else ():
        pid = d.name.split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(d, ignore_errors=True)
            removed.append(d)
    return removed


# ------------------------------------------------------------------------- leftovers
def mark_builder(tmp: Path) -> None:
    """Record in a build's ``index.tmp-*`` which process writes it (so a dead build is known at once)."""
    (tmp / BUILDER_FILE).write_text(f"{os.getpid()} {socket.gethostname()}\n", encoding="utf-8")


def _build_is_dead(tmp: Path, now: float) -> bool:
    try:
        pid, host = (tmp / BUILDER_FILE).read_text(encoding="utf-8").split()
    except (OSError, ValueError):
        pid, host = "", ""
    if pid.isdigit() and host == socket.gethostname():
        return not _alive(int(pid))
    try:
        return now - tmp.stat().st_mtime > MAX_BUILD_SECONDS
    except OSError:
        return False


def remove_leftovers(target: Path | None = None) -> list[str]:
    """Remove what crashed or killed builds left beside the index ``target`` (the paths removed),
    and private copies of dead processes. Safe while other processes build or read: a live
    build's folder and a live process's copy are kept, and ``index.old-*`` only goes once the
    index itself is complete (until then it is the recovery)."""
    target = target or index_dir()
    now, removed = time.time(), []
    if (target / "meta.json").exists():
        removed += [old for old in target.parent.glob(target.name + ".old-*") if old.is_dir()]
    removed += [tmp for tmp in target.parent.glob(target.name + ".tmp-*") if tmp.is_dir() and _build_is_dead(tmp, now)]
    for p in removed:
        shutil.rmtree(p, ignore_errors=True)
    _remove_dead_copies()
    if removed:
        log.info("Removed leftovers of earlier builds: %s", ", ".join(p.name for p in removed))
    return [str(p) for p in removed]


# ----------------------------------------------------------------- full or read-only disk
_DISK_ERRNOS = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is exceeded",
                errno.EROFS: "the file system is read-only", errno.EACCES: "permission denied"}
_SHORT_WRITE = re.compile(r"\d+ requested and \d+ written")
_DISK_MESSAGES = {"database or disk is full": "the disk is full", "disk i/o error": "the disk failed to write",
                  "readonly database": "the file system is read-only"}


def disk_problem(exc: BaseException) -> str | None:
    """Why a write failed, if ``exc`` (or what caused it) is a full, read-only or forbidden disk."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in _DISK_ERRNOS:
            return _DISK_ERRNOS[exc.errno]
        if isinstance(exc, OSError) and exc.errno is None and _SHORT_WRITE.search(str(exc)):
            return "the disk is full"  # numpy's short write ("279936 requested and 132064 written") has no errno
        text = str(exc).lower()
        if isinstance(exc, sqlite3.Error) or "sqlite" in type(exc).__module__ or "chroma" in type(exc).__module__:
            for needle, why in _DISK_MESSAGES.items():
                if needle in text:
                    return why
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return None


F = TypeVar("F", bound=Callable[..., Any])


def disk_errors(build: F) -> F:
    """Decorate an index build: a write that fails because of the disk becomes an
    :class:`IndexWriteError` naming the place, the cause, the free space and the fix."""
    @functools.wraps(build)
    def wrapper(*args, **kwargs):
        try:
            return build(*args, **kwargs)
        except IndexWriteError:
            raise
        except Exception as exc:
            why = disk_problem(exc)
            if why is None:
                raise
            where = Path(kwargs.get("path") or index_dir()).parent
            raise IndexWriteError(
                f"Could not write the retrieval index under {where}: {why}{_free(where)}. Nothing was changed; "
                "the previous index, if any, is still in place.",
                hint="Free some space there (an index needs about 20 MB), or set HARDTECH_HOME to a writable "
                     "directory, then run: hardtech index build") from exc
    return wrapper  # type: ignore[return-value]


def _free(where: Path) -> str:
    try:
        return f" ({shutil.disk_usage(where).free / 1e6:.1f} MB free)"
    except OSError:
        return ""


def store_errors(load: F) -> F:
    """Decorate opening the index: chromadb failing on a damaged store (``file is not a database``
    raised while the client starts, before any query) becomes :class:`IndexCorruptError`, which
    says how to rebuild, instead of an unexpected error."""
    @functools.wraps(load)
    def wrapper(*args, **kwargs):
        try:
            return load(*args, **kwargs)
        except VectorStoreError:
            raise
        except Exception as exc:
            if not (isinstance(exc, sqlite3.Error) or _raised_in_chromadb(exc)):
                raise
            path = Path(kwargs.get("path") or (args[0] if args else None) or index_dir())
            found = verify(path, probe=False)  # says what is wrong better than chromadb's errors (after a first one)
            detail = found.problem or f"the chroma store cannot be opened: {str(exc)[:200]}"
            raise IndexCorruptError(str(path), detail) from exc
    return wrapper  # type: ignore[return-value]


def _raised_in_chromadb(exc: BaseException) -> bool:
    """Whether chromadb raised ``exc`` (whatever its type: after a failed start it raises
    ValueError and AttributeError from its own clean-up)."""
    tb = exc.__traceback__
    while tb is not None:
        if str(tb.tb_frame.f_globals.get("__name__", "")).startswith("chromadb"):
            return True
        tb = tb.tb_next
    return False
