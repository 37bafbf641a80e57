"""The service's performance machinery: answer cache, bounded answering, warm-up,
worker environment and per-worker listening sockets."""
from __future__ import annotations

import socket
import sys

import pytest
from fastapi.testclient import TestClient

from hardtech.settings import Settings
from index_core import io
from service.app import create_app
from service.backends import RealBackend
from service.cache import ResponseCache
from service.cli import worker_environment
from service.warmup import PLAN, warm_up
from tests.doubles import FakeBackend


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
    return TestClient(create_app(Settings(home=tmp_path, rate_limit=0, **kw), backend=backend))


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


def test_answer_cache_is_bounded_and_least_recently_used_goes_first():
    cache = ResponseCache(2)
    cache.put(("a",), b"a")
    cache.put(("b",), b"b")
    assert cache.get(("a",)) == b"a"  # a is now the most recently used
    cache.put(("c",), b"c")
    assert len(cache) == 2 and cache.get(("b",)) is None and cache.get(("a",)) == b"a" and cache.get(("c",)) == b"c"
    assert (cache.hits, cache.misses) == (3, 1)


def test_a_failed_computation_is_not_kept():
    cache = ResponseCache(4)

    def fail():
        raise ValueError("bad edition")

    with pytest.raises(ValueError):
        cache.compute(("x",), fail)
    assert len(cache) == 0 and cache.compute(("x",), lambda: b"ok") == b"ok" and len(cache) == 1


def test_worker_environment_caps_math_threads(monkeypatch):
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.setenv("MKL_NUM_THREADS", "3")
    env = worker_environment(4, cpus=2)
    assert env["OMP_NUM_THREADS"] == env["OPENBLAS_NUM_THREADS"] == "1"
    assert "HARDTECH_EMBED_THREADS" not in env  # the encoder's own default (one thread) is the fastest
    assert "MKL_NUM_THREADS" not in env  # the operator's value is kept
    assert env["HARDTECH_WARMUP"] == "1"
    assert worker_environment(1, cpus=8)["OMP_NUM_THREADS"] == "8"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SO_REUSEPORT groups are Linux")
def test_reuseport_sockets_share_a_port_but_refuse_a_taken_one():
    from service.workers import PortTaken, bind_port, reuseport_socket

    def check_port(host: str, port: int) -> None:
        bind_port(host, port).close()

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    check_port("127.0.0.1", port)
    socks = [reuseport_socket("127.0.0.1", port) for _ in range(3)]
    try:
        assert {x.getsockname()[1] for x in socks} == {port}
        for x in socks:
            x.listen(8)
        with pytest.raises(PortTaken, match=f"127.0.0.1:{port}"):  # a second server on the same port fails loudly
            check_port("127.0.0.1", port)
    finally:
        for x in socks:
            x.close()


def test_warm_up_renders_every_score_table_and_asks_every_question(tmp_path):
    class Warmed(FakeBackend):
        searched: list[str] = []

        def search(self, query, k, edition, entity):
            self.searched.append(query)
            return {"results": []}

    backend = Warmed()
    app = create_app(Settings(home=tmp_path, rate_limit=0), backend=backend)
    state = app.state.service
    info = warm_up(state)
    assert info["failed"] == 0
    for edition in io.edition_ids():
        for fmt in ("json", "csv"):
            assert ("table", edition, fmt) in state.tables
    plan = io.load_yaml(PLAN.read_text(encoding="utf-8"))
    assert [q for q, _ in backend.calls] == plan["questions"] and backend.searched == [plan["search"]]
    # the tables it rendered are what the endpoint serves, without computing again
    misses = state.tables.misses
    body = TestClient(app).get("/api/v1/editions/hardtech-2019/scores").json()
    assert body["of"] == 36 and state.tables.misses == misses
