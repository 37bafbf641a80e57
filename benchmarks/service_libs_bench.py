"""The service's libraries against the hand-written parts they replaced, in one run.

* rate limiting: ``limits`` (async fixed window, memory storage) vs the SQLite fixed-window
  counter the service used to write on every request (WAL, ``synchronous=NORMAL``);
* Server-Sent Events: ``sse-starlette`` (``EventSourceResponse``) vs a hand-formatted
  ``StreamingResponse``, a whole answer stream through the ASGI app, and one event's encoding;
* the answer cache: ``cachetools.LRUCache`` vs the hand-written ``OrderedDict`` LRU, both
  behind a lock.

Contenders are interleaved round by round and each figure is the median over rounds (the
machine is shared and noisy). Prints a table and writes ``benchmarks/results/service_libs.json``.

    python benchmarks/service_libs_bench.py [--rounds 15]
"""
from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import sqlite3
import statistics
import tempfile
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Callable

import httpx
from fastapi import FastAPI
from fastapi.responses import StreamingResponse
from limits import RateLimitItemPerMinute
from limits.aio.strategies import FixedWindowRateLimiter
from limits.storage import storage_from_string
from sse_starlette import EventSourceResponse, ServerSentEvent

from service.cache import ResponseCache

RESULTS = Path(__file__).resolve().parent / "results" / "service_libs.json"
CLIENTS = [hashlib.sha256(str(i).encode()).hexdigest()[:24] for i in range(50)]


# ----------------------------------------------------------------------------- the hand-written parts (as they were)
class SqliteLimiter:
    """The service's former limiter: one upsert per request into a WAL database."""

    def __init__(self, path: Path):
        self.conn = sqlite3.connect(path, timeout=0.0, isolation_level=None, check_same_thread=False)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("CREATE TABLE IF NOT EXISTS rate_limit (client TEXT NOT NULL, window INTEGER NOT NULL, "
                          "count INTEGER NOT NULL, PRIMARY KEY (client, window)) WITHOUT ROWID")

    def hit(self, client: str, limit: int, period: int = 60) -> bool:
        now = time.time()
        window = int(now // period)
        count = self.conn.execute(
            "INSERT INTO rate_limit (client, window, count) VALUES (?, ?, 1) "
            "ON CONFLICT (client, window) DO UPDATE SET count = count + 1 RETURNING count", (client, window)).fetchone()[0]
        if count == 1:
            self.conn.execute("DELETE FROM rate_limit WHERE client = ? AND window < ?", (client, window))
        return count <= limit


class OrderedDictLRU:
    """The service's former answer cache."""

    def __init__(self, maxsize: int):
        self.maxsize, self._d, self._lock = maxsize, OrderedDict(), threading.Lock()

    def get(self, key):
        with self._lock:
            body = self._d.get(key)
            if body is not None:
                self._d.move_to_end(key)
            return body

    def put(self, key, body) -> None:
        with self._lock:
            self._d[key] = body
            self._d.move_to_end(key)
            while len(self._d) > self.maxsize:
                self._d.popitem(last=False)


def hand_sse(event: str, data: dict, event_id: int) -> str:
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"id: {event_id}\nevent: {event}\n" + "\n".join(f"data: {p}" for p in payload.split("\n")) + "\n\n"


def lib_sse(event: str, data: dict, event_id: int) -> ServerSentEvent:
    return ServerSentEvent(json.dumps(data, ensure_ascii=False, separators=(",", ":")), event=event, id=str(event_id), sep="\n")


# ----------------------------------------------------------------------------- workloads
HITS = 2000


def bench_rate_limit(rounds: int) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="hardtech-bench-rl-"))
    sqlite_limiter = SqliteLimiter(tmp / "service.sqlite3")
    item = RateLimitItemPerMinute(10**9)
    lib = FixedWindowRateLimiter(storage_from_string("async+memory://"))
    loop = asyncio.new_event_loop()

    def run_sqlite() -> float:
        t0 = time.perf_counter()
        for i in range(HITS):
            sqlite_limiter.hit(CLIENTS[i % len(CLIENTS)], 10**9)
        return (time.perf_counter() - t0) / HITS

    def run_lib() -> float:
        async def go() -> float:
            t0 = time.perf_counter()
            for i in range(HITS):
                await lib.hit(item, CLIENTS[i % len(CLIENTS)])
            return (time.perf_counter() - t0) / HITS
        return loop.run_until_complete(go())

    out = interleave(rounds, {"limits (memory)": run_lib, "hand-written SQLite": run_sqlite})
    loop.close()
    return {k: {"us_per_hit": round(v * 1e6, 2)} for k, v in out.items()}


EVENTS = [("tool", {"id": "t1", "name": "explain", "args": {"edition": "e", "entity": "深圳"}})] + [
    ("token", {"text": f"第{i}段：深圳创新基础得分 3.93，排名第 34 位。"}) for i in range(60)] + [
    ("citation", {"id": "c1", "source_file": "001.txt", "lines": [1862, 1862], "quote": "深圳市 3.93 34"}),
    ("done", {"answer": "…" * 400, "citations": [], "numbers": [], "tool_calls": []})]


def _stream_app() -> FastAPI:
    app = FastAPI()

    @app.get("/hand")
    def hand():
        def gen():
            for n, (kind, data) in enumerate(EVENTS, 1):
                yield hand_sse(kind, data, n)
        return StreamingResponse(gen(), media_type="text/event-stream", headers={"Cache-Control": "no-cache"})

    @app.get("/lib")
    def lib():
        def gen():
            for n, (kind, data) in enumerate(EVENTS, 1):
                yield lib_sse(kind, data, n)
        return EventSourceResponse(gen(), sep="\n", ping=15, headers={"Cache-Control": "no-cache"})

    return app


def bench_sse(rounds: int) -> dict:
    loop = asyncio.new_event_loop()
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=_stream_app()), base_url="http://bench")
    streams = 20

    def stream(path: str) -> Callable[[], float]:
        def run() -> float:
            async def go() -> float:
                t0 = time.perf_counter()
                for _ in range(streams):
                    r = await client.get(path)
                    assert r.text.count("\n\n") >= len(EVENTS)
                return (time.perf_counter() - t0) / streams
            return loop.run_until_complete(go())
        return run

    def encode(fn) -> Callable[[], float]:
        def run() -> float:
            t0 = time.perf_counter()
            for _ in range(20):
                for n, (kind, data) in enumerate(EVENTS, 1):
                    x = fn(kind, data, n)
                    if isinstance(x, ServerSentEvent):
                        x.encode()
            return (time.perf_counter() - t0) / (20 * len(EVENTS))
        return run

    whole = interleave(rounds, {"sse-starlette": stream("/lib"), "hand-written": stream("/hand")})
    one = interleave(rounds, {"sse-starlette": encode(lib_sse), "hand-written": encode(hand_sse)})
    loop.run_until_complete(client.aclose())
    pending = asyncio.all_tasks(loop)  # sse-starlette's shutdown watcher lives as long as the loop
    for task in pending:
        task.cancel()
    loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    loop.close()
    return {k: {"ms_per_stream": round(whole[k] * 1e3, 3), "us_per_event_encoded": round(one[k] * 1e6, 2),
                "events_per_stream": len(EVENTS)} for k in whole}


def bench_cache(rounds: int) -> dict:
    keys = [("v", f"question {i}", ()) for i in range(3000)]  # 3000 keys into 1024 entries: hits, misses, evictions
    body = b"x" * 2000

    def workload(cache) -> Callable[[], float]:
        def run() -> float:
            t0 = time.perf_counter()
            for i in range(20000):
                k = keys[(i * 7919) % len(keys)]
                if cache.get(k) is None:
                    cache.put(k, body)
            return (time.perf_counter() - t0) / 20000
        return run

    out = interleave(rounds, {"cachetools (ResponseCache)": workload(ResponseCache(1024)),
                              "hand-written OrderedDict": workload(OrderedDictLRU(1024))})
    return {k: {"us_per_lookup": round(v * 1e6, 3)} for k, v in out.items()}


def interleave(rounds: int, contenders: dict[str, Callable[[], float]]) -> dict[str, float]:
    """Median of each contender's figure over ``rounds``, taking turns (order alternates per round)."""
    seen: dict[str, list[float]] = {k: [] for k in contenders}
    names = list(contenders)
    for r in range(rounds):
        for name in (names if r % 2 == 0 else names[::-1]):
            seen[name].append(contenders[name]())
    return {k: statistics.median(v) for k, v in seen.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=15)
    args = ap.parse_args()
    results = {"rounds": args.rounds, "rate_limit": bench_rate_limit(args.rounds), "sse": bench_sse(args.rounds),
               "answer_cache": bench_cache(args.rounds)}
    print(f"{'part':<14} {'contender':<28} figure (median of {args.rounds} interleaved rounds)")
    for part, rows in (("rate limit", results["rate_limit"]), ("SSE", results["sse"]), ("answer cache", results["answer_cache"])):
        for name, figures in rows.items():
            shown = ", ".join(f"{k} {v}" for k, v in figures.items())
            print(f"{part:<14} {name:<28} {shown}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
