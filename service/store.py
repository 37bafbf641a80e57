"""Cross-process state in SQLite (WAL): feedback and rate-limit counters.

Nothing lives in process memory, so any number of uvicorn workers share it. The
database is ``$HARDTECH_HOME/service.sqlite3``, separate from the retrieval index:
the service never writes user input into the index.
"""
from __future__ import annotations

import hashlib
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
CREATE TABLE IF NOT EXISTS rate_limit (
    client TEXT NOT NULL,
    window INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (client, window)
) WITHOUT ROWID;
"""


def client_id(raw: str) -> str:
    """A stable, non-reversible id for an API key or address (raw keys are never stored)."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:24]


class Store:
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

    def _fast_conn(self) -> sqlite3.Connection:
        """A second connection for this thread that never waits for a lock (busy timeout 0)."""
        conn = getattr(self._local, "fast", None)
        if conn is None:
            self._conn()  # schema and WAL mode first
            conn = sqlite3.connect(self.path, timeout=0.0, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA busy_timeout=0")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.fast = conn
        return conn

    def check(self) -> None:
        self._conn().execute("SELECT 1").fetchone()

    # ------------------------------------------------------------ rate limiting
    def try_hit(self, client: str, limit: int, period: int = 60, now: float | None = None) -> tuple[bool, int, int] | None:
        """:meth:`hit` without ever waiting: ``None`` when another process holds the write lock.

        For the event loop: an uncontended hit costs ~15 µs, but waiting for SQLite's lock
        (its busy handler sleeps) would stall every request of the worker; callers then
        retry with :meth:`hit` in a thread.
        """
        try:
            return self._hit(self._fast_conn(), client, limit, period, now)
        except sqlite3.OperationalError as exc:
            msg = str(exc).lower()
            if "locked" in msg or "busy" in msg:
                return None
            raise

    def hit(self, client: str, limit: int, period: int = 60, now: float | None = None) -> tuple[bool, int, int]:
        """Count one request in the current fixed window: (allowed, remaining, seconds to reset)."""
        return self._hit(self._conn(), client, limit, period, now)

    @staticmethod
    def _hit(conn: sqlite3.Connection, client: str, limit: int, period: int, now: float | None) -> tuple[bool, int, int]:
        now = time.time() if now is None else now
        window = int(now // period)
        count = conn.execute(
            "INSERT INTO rate_limit (client, window, count) VALUES (?, ?, 1) "
            "ON CONFLICT (client, window) DO UPDATE SET count = count + 1 RETURNING count",
            (client, window),
        ).fetchone()[0]
        if count == 1:  # first hit of a window: forget old windows of this client (best effort: the count is in)
            try:
                conn.execute("DELETE FROM rate_limit WHERE client = ? AND window < ?", (client, window))
            except sqlite3.OperationalError:
                pass  # locked: the next window's first hit cleans up
        reset = int((window + 1) * period - now) + 1
        return count <= limit, max(0, limit - count), reset

    # ------------------------------------------------------------ feedback
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

    def feedback(self, limit: int = 100) -> list[dict]:
        rows = self._conn().execute(
            "SELECT id, created, rating, comment, question, answer, message_id FROM feedback ORDER BY created DESC LIMIT ?",
            (limit,),
        ).fetchall()
        keys = ("id", "created", "rating", "comment", "question", "answer", "message_id")
        return [dict(zip(keys, r)) for r in rows]
