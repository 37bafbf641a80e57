"""Soak: a live ``hardtech serve`` (2 workers) under a steady mixed load for a while, beside a
bare FastAPI app under the same load, from one run.

    python benchmarks/soak.py [--duration 60] [--clients 8] [--workers 2] [--index-from HOME]

The mix, per client, closed loop: score tables (40 %), new offline questions (25 %), passage
search (15 %), hostile input that must get a 4xx (15 %: bad JSON, an unknown edition, an
over-long question, a wrong type), feedback rows (5 %). Every 5 s the workers' RSS and PSS are
read from /proc. Reported: requests and status classes (a 5xx is a failure), p50/p95 per kind,
each worker's memory at the first sample after warm-up, at the end and at its peak, and the
feedback rows stored. The reference is a minimal FastAPI app (one JSON route) under the same
clients: its memory drift is what "flat" looks like on this machine.
Writes benchmarks/results/soak.json.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve_common import HARDTECH, children, cmdline, free_port, memory_mb, server, wait_for  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "soak.json"
SAMPLE_EVERY = 5.0
BARE_APP = "from fastapi import FastAPI\napp = FastAPI()\n@app.get('/x')\ndef x():\n    return {'ok': True}\n"
CITIES = ["北京", "上海", "深圳", "广州", "杭州", "南京", "武汉", "成都", "西安", "合肥", "苏州", "天津"]
ASKS = ["{c}{y}年的综合排名是第几？", "What is {c}'s composite score in {y}?", "{c}{y}年哪个维度最弱？",
        "Compare {c} and 北京 in {y}", "{c}{y}年属于第几梯队？"]
HOSTILE = [("POST", "/api/v1/ask", b"{not json"), ("GET", "/api/v1/editions/hardtech-2099/scores", None),
           ("POST", "/api/v1/ask", json.dumps({"question": "深" * 50_000}).encode()),
           ("POST", "/api/v1/ask", json.dumps({"question": 42}).encode())]


def requests_for(product: bool, seed: int):
    """An endless stream of (kind, method, path, body) for one client."""
    i = seed
    while True:
        i += 1
        if not product:
            yield "bare", "GET", "/x", None
            continue
        r = (i * 7919) % 100
        if r < 40:
            yield "scores", "GET", f"/api/v1/editions/hardtech-20{19 + i % 2}/scores", None
        elif r < 65:
            q = ASKS[i % len(ASKS)].format(c=CITIES[(i // 5) % len(CITIES)], y=2019 + (i // 60) % 2)
            yield "ask", "POST", "/api/v1/ask", json.dumps({"question": q + " " * (i % 7)}).encode()  # new text: no cache
        elif r < 80:
            yield "search", "GET", f"/api/v1/search?q={CITIES[i % len(CITIES)]}%20硬科技&k=3", None
        elif r < 95:
            method, path, body = HOSTILE[i % len(HOSTILE)]
            yield "hostile", method, path, body
        else:
            yield "feedback", "POST", "/api/v1/feedback", json.dumps({"rating": "up", "comment": f"soak {i}"}).encode()


def drive(base: str, product: bool, clients: int, duration: float, pids: list[int]) -> dict:
    latencies: dict[str, list[float]] = defaultdict(list)
    statuses: Counter = Counter()
    unexpected: Counter = Counter()
    samples: dict[int, list[dict]] = {p: [] for p in pids}
    stop = time.monotonic() + duration
    lock = threading.Lock()

    def client(n: int) -> None:
        with httpx.Client(base_url=base, timeout=30, headers={"content-type": "application/json"}) as http:
            for kind, method, path, body in requests_for(product, n * 1000):
                if time.monotonic() > stop:
                    return
                t0 = time.perf_counter()
                try:
                    status = http.request(method, path, content=body).status_code
                except httpx.HTTPError:
                    status = 0
                ms = (time.perf_counter() - t0) * 1000
                ok = 400 <= status < 500 if kind == "hostile" else status in (200, 201)
                with lock:
                    latencies[kind].append(ms)
                    statuses[f"{status // 100}xx" if status else "error"] += 1
                    if not ok:
                        unexpected[f"{kind} {status}"] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    while time.monotonic() < stop:
        for p in pids:
            try:
                samples[p].append(memory_mb(p))
            except OSError:
                samples[p].append({"rss": None, "pss": None})
        time.sleep(SAMPLE_EVERY)
    for t in threads:
        t.join()

    def pct(xs: list[float], q: float) -> float:
        return round(statistics.quantiles(xs, n=100)[q - 1], 1) if len(xs) >= 2 else round(xs[0], 1)

    memory = {}
    for p, series in samples.items():
        rss = [s["rss"] for s in series if s.get("rss") is not None]
        if len(rss) >= 2:
            memory[str(p)] = {"first_mb": rss[1], "last_mb": rss[-1], "peak_mb": max(rss), "drift_mb": round(rss[-1] - rss[1], 1)}
    total = sum(statuses.values())
    return {"requests": total, "per_second": round(total / duration, 1), "statuses": dict(statuses),
            "unexpected": dict(unexpected),
            "latency_ms": {k: {"n": len(v), "p50": pct(v, 50), "p95": pct(v, 95)} for k, v in sorted(latencies.items())},
            "memory_after_warmup_sample": memory}


def workers_of(pid: int) -> list[int]:
    """uvicorn's worker processes under ``pid`` (spawned; not multiprocessing's resource tracker),
    else the server process itself (one worker)."""
    return [p for p in children(pid) if "spawn_main" in cmdline(p)] or [pid]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--duration", type=float, default=60.0)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--index-from", type=Path, help="a HARDTECH_HOME whose built index to copy (else serve builds one)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="hardtech-soak-"))
    env = {**os.environ, "HARDTECH_HOME": str(tmp / "home"), "HARDTECH_RATE_LIMIT": "0"}
    if args.index_from and (args.index_from / "index").is_dir():
        shutil.copytree(args.index_from / "index", tmp / "home" / "index")
    out: dict = {"duration_s": args.duration, "clients": args.clients, "workers": args.workers}
    try:
        (tmp / "bare_app.py").write_text(BARE_APP)
        port = free_port()
        cmd = [sys.executable, "-m", "uvicorn", "bare_app:app", "--port", str(port), "--workers", str(args.workers),
               "--log-level", "warning", "--app-dir", str(tmp)]
        with server(cmd, env) as proc:
            wait_for(f"http://127.0.0.1:{port}/x", proc, 60)
            time.sleep(2)
            out["reference"] = drive(f"http://127.0.0.1:{port}", False, args.clients, args.duration, workers_of(proc.pid))
        port = free_port()
        cmd = [*HARDTECH, "serve", "--port", str(port), "--workers", str(args.workers), "--log-level", "warning"]
        with server(cmd, env, tmp / "serve.log") as proc:
            out["start_s"] = round(wait_for(f"http://127.0.0.1:{port}/readyz", proc, 600), 1)
            time.sleep(3)  # workers finish their warm-up
            out["product"] = drive(f"http://127.0.0.1:{port}", True, args.clients, args.duration, workers_of(proc.pid))
        db = tmp / "home" / "service.sqlite3"
        with sqlite3.connect(db) as con:
            out["product"]["feedback_rows_stored"] = con.execute("select count(*) from feedback").fetchone()[0]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(out, ensure_ascii=False, indent=1))
    for name in ("reference", "product"):
        r = out[name]
        mem = "; ".join(f"worker {i + 1}: {m['first_mb']} -> {m['last_mb']} MB (peak {m['peak_mb']})"
                        for i, m in enumerate(r["memory_after_warmup_sample"].values()))
        print(f"{name:9} {r['requests']} requests ({r['per_second']}/s), statuses {r['statuses']}, unexpected {r['unexpected'] or 'none'}")
        print(f"{'':9} latency " + ", ".join(f"{k} p50 {v['p50']} / p95 {v['p95']} ms" for k, v in r["latency_ms"].items()))
        print(f"{'':9} memory  {mem}")
    print(f"feedback rows stored: {out['product']['feedback_rows_stored']}; first start to /readyz {out['start_s']} s")


if __name__ == "__main__":
    main()
