"""Feedback, in SQLite (WAL): ``$HARDTECH_HOME/service.sqlite3``, shared by every worker.

It is separate from the retrieval index: the service never writes user input into the index.
Only a feedback post writes to disk; rate-limit counters live in the ``limits`` storage.
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from pathlib import Path

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


class Store:
    """One SQLite connection per thread; the schema is created on first use."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._local = threading.local()
        self._init_lock = threading.Lock()
        self._ready = False

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=10.0, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA busy_timeout=10000")
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            with self._init_lock:
                if not self._ready:
                    conn.executescript(_SCHEMA)
                    self._ready = True
            self._local.conn = conn
        return conn

    def check(self) -> None:
        """Raise ``sqlite3.Error`` (or ``OSError``) when the database cannot be opened and read."""
        self._conn().execute("SELECT count(*) FROM feedback").fetchone()

    def add_feedback(self, *, rating: str, comment: str | None, question: str | None, answer: str | None,
                     message_id: str | None, envelope: dict | None, client: str | None) -> dict:
        fid = uuid.uuid4().hex
        created = time.time()
        self._conn().execute(
            "INSERT INTO feedback (id, created, rating, comment, question, answer, message_id, envelope, client) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (fid, created, rating, comment, question, answer, message_id,
             json.dumps(envelope, ensure_ascii=False) if envelope is not None else None, client),
        )
        return {"id": fid, "created": created}
