"""The service's performance machinery: answer cache, bounded answering, rate-limit fast path,
worker environment and per-worker listening sockets."""
from __future__ import annotations

import socket
import sqlite3
import sys

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from service.app import AnswerCache, create_app  # noqa: E402
from service.backends import RealBackend  # noqa: E402
from service.cli import worker_environment  # noqa: E402
from service.config import Settings  # noqa: E402
from service.store import Store  # noqa: E402


class CountingBackend(RealBackend):
    """Deterministic answers that count how often they are computed."""

    def __init__(self, mode: str = "offline"):
        super().__init__()
        self.mode, self.n = mode, 0

    def deterministic(self) -> bool:
        return True

    def ask(self, question, history):
        self.n += 1
        return {"answer": f"{question} ({len(history or [])})", "language": "en", "mode": self.mode, "numbers": [],
                "citations": [], "tool_calls": [], "chart": None, "warnings": []}


def _client(tmp_path, backend, **kw):
    return TestClient(create_app(Settings(home=tmp_path, rate_limit_per_minute=0, **kw), backend=backend))


def test_offline_answers_are_cached_per_question_and_history(tmp_path):
    b = CountingBackend()
    c = _client(tmp_path, b)
    r1 = c.post("/api/v1/ask", json={"question": "q1"})
    r2 = c.post("/api/v1/ask", json={"question": "q1"})
    assert r1.status_code == r2.status_code == 200 and r1.json() == r2.json()
    assert (r1.headers["x-answer-cache"], r2.headers["x-answer-cache"]) == ("miss", "hit")
    assert b.n == 1
    c.post("/api/v1/ask", json={"question": "q1", "history": [{"role": "user", "content": "earlier"}]})
    c.post("/api/v1/ask", json={"question": "q2"})
    assert b.n == 3  # another history or question is another answer


def test_llm_answers_and_disabled_cache_are_not_stored(tmp_path):
    b = CountingBackend(mode="llm")
    c = _client(tmp_path, b)
    for _ in range(2):
        assert c.post("/api/v1/ask", json={"question": "q"}).status_code == 200
    assert b.n == 2
    b2 = CountingBackend()
    c2 = _client(tmp_path, b2, answer_cache=0)
    for _ in range(2):
        assert c2.post("/api/v1/ask", json={"question": "q"}).headers["x-answer-cache"] == "off"
    assert b2.n == 2


def test_answer_cache_is_bounded():
    cache = AnswerCache(2)
    for k in ("a", "b", "c"):
        cache.put((k,), k.encode())
    assert len(cache) == 2 and cache.get(("a",)) is None and cache.get(("c",)) == b"c"


def test_rate_limit_fast_path_never_waits_for_the_lock(tmp_path):
    store = Store(tmp_path / "s.sqlite3")
    assert store.try_hit("c", 5)[:2] == (True, 4)
    assert store.try_hit("c", 5)[:2] == (True, 3)
    other = sqlite3.connect(tmp_path / "s.sqlite3", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another worker holds the write lock
    try:
        assert store.try_hit("c", 5) is None
    finally:
        other.execute("ROLLBACK")
    allowed, remaining, _ = store.hit("c", 5)
    assert allowed and remaining == 2  # three hits counted (the refused one not at all)


def test_worker_environment_caps_math_threads(monkeypatch):
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.setenv("MKL_NUM_THREADS", "3")
    env = worker_environment(4, cpus=2)
    assert env["OMP_NUM_THREADS"] == env["OPENBLAS_NUM_THREADS"] == env["HARDTECH_EMBED_THREADS"] == "1"
    assert "MKL_NUM_THREADS" not in env  # the operator's value is kept
    assert env["HARDTECH_WARMUP"] == "1"
    assert worker_environment(1, cpus=8)["OMP_NUM_THREADS"] == "8"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SO_REUSEPORT groups are Linux")
def test_reuseport_sockets_share_a_port_but_refuse_a_taken_one():
    from service.workers import bind_reuseport_sockets

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    socks = bind_reuseport_sockets("127.0.0.1", port, 3)
    try:
        assert {x.getsockname()[1] for x in socks} == {port}
        for x in socks:
            x.listen(8)
        with pytest.raises(SystemExit):  # a second server on the same port fails loudly
            bind_reuseport_sockets("127.0.0.1", port, 2)
    finally:
        for x in socks:
            x.close()


def test_warm_up_renders_score_tables(tmp_path):
    from service.app import _READY, warm_up
    from tests.doubles import FakeBackend

    info = warm_up(FakeBackend())
    assert ("table", "hardtech-2019", "json") in _READY and info["seconds"] >= 0
