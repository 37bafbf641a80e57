"""Issue 12, items 3 and 4, with two workers: a worker SIGKILLed under traffic, SIGTERM during
streams, and workers that never write to the retrieval index.

One server for the whole module (two workers take a while to start on a shared machine); the
SIGTERM test runs last and stops it.
"""
from __future__ import annotations

import json
import os
import signal
import threading
import time

import httpx
import pytest

from .conftest import Served, copy_index, fingerprint

QUESTIONS = ["2020年第二梯队有哪些城市？", "深圳2019年创新基础得分是多少？", "What is Shanghai's rank in 2020?",
             "北京2020年综合得分是多少？"]


@pytest.fixture(scope="module")
def two_workers(built_index, tmp_path_factory):
    home = tmp_path_factory.mktemp("two-workers")
    index = copy_index(built_index, home)
    server = Served(home, workers=2)
    server.index_before = fingerprint(index)
    server.start()
    yield server
    server.stop()


def test_serving_workers_never_write_to_the_index(two_workers):
    for _ in range(8):  # new connections: both workers get some, and each loads the index
        with httpx.Client(timeout=60) as c:
            assert c.get(two_workers.base + "/api/v1/search", params={"q": "深圳 创新基础", "k": 2}).status_code == 200
    assert fingerprint(two_workers.home / "index") == two_workers.index_before


def test_a_killed_worker_makes_no_new_connection_wait(two_workers):
    stop, failures, served = threading.Event(), [], []

    def traffic() -> None:  # keeps running across the kill: the fault happens under load
        while not stop.is_set():
            try:
                served.append(httpx.get(two_workers.base + "/api/v1/editions", timeout=5).status_code)
            except httpx.HTTPError as exc:
                failures.append(exc)

    load = threading.Thread(target=traffic)
    load.start()
    time.sleep(1)
    victim = two_workers.workers_pids()[0]
    os.kill(victim, signal.SIGKILL)
    waited = []
    for _ in range(40):  # new connections right after the kill, each on its own socket
        t0 = time.monotonic()
        r = two_workers.get("/healthz", timeout=3)
        waited.append(time.monotonic() - t0)
        assert r.status_code == 200, f"a new connection failed after the kill: {r.text}"
    stop.set()
    load.join()
    assert len(failures) <= 1, failures  # at most the one request in flight on the killed worker
    assert served and all(code == 200 for code in served)
    deadline = time.monotonic() + 120
    while victim in two_workers.workers_pids() or len(two_workers.workers_pids()) < 2:  # the worker is replaced
        assert time.monotonic() < deadline, two_workers.output()
        time.sleep(0.5)
    assert two_workers.said(f"Worker [{victim}] died"), two_workers.output()


def test_sigterm_lets_every_open_stream_finish(two_workers):
    """Four streams at once on two warm workers (offline answers are CPU-bound: most are still
    being computed); SIGTERM when the first event arrives; every stream still ends with ``done``."""
    results: dict[int, list[str]] = {}
    first_event = threading.Event()

    def stream(n: int, question: str) -> None:
        events: list[str] = []
        results[n] = events
        try:
            with httpx.stream("POST", two_workers.base + "/api/v1/ask/stream", json={"question": question},
                              timeout=120) as r:
                for line in r.iter_lines():
                    if line.startswith("event:"):
                        events.append(line.split(":", 1)[1].strip())
                        first_event.set()
        except httpx.HTTPError as exc:
            events.append(f"failed: {exc!r}")

    for n in range(8):  # both workers answer a question first (the replacement of the killed one starts cold)
        with httpx.Client(timeout=120) as c:
            assert c.post(two_workers.base + "/api/v1/ask", json={"question": QUESTIONS[n % 4]}).status_code == 200
    questions = [f"{q}（第{n}次）" for n, q in enumerate(QUESTIONS)]
    threads = [threading.Thread(target=stream, args=(n, q)) for n, q in enumerate(questions)]
    for t in threads:
        t.start()
    assert first_event.wait(120)
    unfinished = sum("done" not in events for events in results.values())
    two_workers.proc.send_signal(signal.SIGTERM)
    for t in threads:
        t.join(60)
    assert unfinished >= 1  # the signal came while streams were still open
    assert all(events and events[-1] == "done" for events in results.values()), results
    assert two_workers.proc.wait(60) == 0
