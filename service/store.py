"""Feedback, in SQLite (WAL): ``$HARDTECH_HOME/service.sqlite3``, shared by every worker.

It is separate from the retrieval index: the service never writes user input into the index.
Only a feedback post writes to disk; rate-limit counters live in the ``limits`` storage. When the
disk is full or read-only, reads go on and a feedback post gets a 503 saying why: nothing is
half-written, and the client knows its feedback was not kept.
"""
from __future__ import annotations

import errno
import json
import logging
import os
import shutil
import sqlite3
import threading
import time
import uuid
from pathlib import Path

from .errors import ServiceError

log = logging.getLogger("hardtech.service")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id TEXT PRIMARY KEY,
    created REAL NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT,
    question TEXT,
    answer TEXT,
    message_id TEXT,
    envelope TEXT,
    client TEXT
);
"""

LOW_SPACE_BYTES = 1_000_000  # below this the disk is as good as full: SQLite needs room for its journal


def disk_state(path: Path) -> str | None:
    """Why ``path``'s file system cannot take writes now (``"read-only"``, ``"full"``), or None."""
    probe = path if path.exists() else path.parent
    try:
        st = os.statvfs(probe)
    except OSError as exc:
        return f"not accessible ({exc.strerror})"
    if st.f_flag & os.ST_RDONLY:
        return "read-only"
    if st.f_bavail * st.f_frsize < LOW_SPACE_BYTES:
        return "full"
    return None


def _why(exc: BaseException, path: Path) -> str:
    text = str(exc).lower()
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC or "disk is full" in text:
        return "full"
    if isinstance(exc, OSError) and exc.errno == errno.EROFS or "readonly" in text or "read-only" in text:
        return "read-only"
    return disk_state(path.parent) or f"unusable ({str(exc)[:120]})"


class StoreUnavailable(ServiceError):
    """Feedback cannot be stored now (503); the message says why and the hint how to fix it."""

    def __init__(self, path: Path, why: str):
        free = ""
        try:
            free = f"; {shutil.disk_usage(path.parent).free / 1e6:.1f} MB free"
        except OSError:
            pass
        super().__init__(503, "feedback_unavailable",
                         f"Feedback cannot be stored: the disk under {path.parent} is {why}{free}. Nothing was stored.",
                         hint="Retry later; the operators must free space or make HARDTECH_HOME writable. "
                              "Reading scores and asking questions are not affected.")


class Store:
    """One SQLite connection per thread; the schema is created on first use. A connection that
    failed is dropped, so the store recovers by itself once the disk is fixed."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._local = threading.local()
        self._init_lock = threading.Lock()
        self._ready = False
        self.failure: str | None = None  # why the last write failed, until one succeeds
        self._warned = False

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=10.0, isolation_level=None, check_same_thread=False)
            try:
                conn.execute("PRAGMA busy_timeout=10000")
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                with self._init_lock:
                    if not self._ready:
                        conn.executescript(_SCHEMA)
                        self._ready = True
            except sqlite3.Error:
                conn.close()
                raise
            self._local.conn = conn
        return conn

    def close(self) -> None:
        """Close this thread's connection (a later call opens a new one)."""
        conn = getattr(self._local, "conn", None)
        self._local.conn = None
        if conn is not None:
            conn.close()

    def check(self) -> dict:
        """What readiness reports: ``{"status": "ok"}``, or ``degraded`` with the reason and the fix
        (the disk is read-only or full, or the last write failed). Never raises for a disk problem."""
        why = disk_state(self.path.parent)
        if why is None:  # the disk looks fine again: the next write will tell; the database must open
            self.failure = None
            try:
                self._conn().execute("SELECT count(*) FROM feedback").fetchone()
            except (sqlite3.Error, OSError) as exc:
                self.close()
                why = _why(exc, self.path)
        if why is None:
            return {"status": "ok", "path": str(self.path)}
        return {"status": "degraded", "path": str(self.path), "error": f"feedback cannot be stored: the disk is {why}",
                "hint": "Free space under HARDTECH_HOME or make it writable; reads are not affected."}

    def add_feedback(self, *, rating: str, comment: str | None, question: str | None, answer: str | None,
                     message_id: str | None, envelope: dict | None, client: str | None) -> dict:
        """Store one feedback row, or raise :class:`StoreUnavailable` (the disk is full, read-only ...)."""
        fid = uuid.uuid4().hex
        created = time.time()
        try:
            self._conn().execute(
                "INSERT INTO feedback (id, created, rating, comment, question, answer, message_id, envelope, client) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (fid, created, rating, comment, question, answer, message_id,
                 json.dumps(envelope, ensure_ascii=False) if envelope is not None else None, client),
            )
        except (sqlite3.Error, OSError) as exc:
            self.close()
            self.failure = _why(exc, self.path)
            if not self._warned:  # once per worker, not once per request
                self._warned = True
                log.warning("feedback cannot be stored in %s: the disk is %s (%s); feedback posts get 503 until it is fixed",
                            self.path, self.failure, exc)
            raise StoreUnavailable(self.path, self.failure) from None
        if self.failure is not None:
            log.warning("feedback is stored again in %s", self.path)
            self.failure, self._warned = None, False
        return {"id": fid, "created": created}
