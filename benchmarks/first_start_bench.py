"""First start on an empty HARDTECH_HOME: ``hardtech serve`` until ``/healthz`` answers, and
``hardtech index build`` alone with its step timings.

    python benchmarks/first_start_bench.py [--rounds 2]

Each round uses a new empty home. ``serve`` builds the retrieval index, starts one worker
and warms it up (editions, index, embedding model, a few answers) before it answers.
Reference: ``python -c pass`` (the interpreter's own start). Goal: under 5 s, no step over
2 s left silent. Writes benchmarks/results/first_start.json.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from serve_common import HARDTECH, ROOT, free_port, server, wait_for

GOAL_S = 5.0


def index_build(env: dict) -> dict:
    t = time.perf_counter()
    p = subprocess.run([*HARDTECH, "index", "build", "--json"], cwd=ROOT, env=env, capture_output=True, text=True,
                       check=True)
    wall = time.perf_counter() - t
    info = json.loads(p.stdout[p.stdout.index("{"):])
    return {"wall_s": round(wall, 2), "steps": info.get("steps"), "embedded": info.get("embedded"),
            "log": [ln for ln in p.stderr.splitlines() if ln.strip()][:20]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "first_start.json"))
    args = ap.parse_args()
    base = {**os.environ, "PYTHONPATH": str(ROOT), "HARDTECH_RATE_LIMIT": "0"}
    for var in ("HARDTECH_LLM", "HARDTECH_CHROMA_URL"):
        base.pop(var, None)
    serve_s, build, python_s = [], [], []
    for _ in range(args.rounds):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        python_s.append(time.perf_counter() - t)
        env = {**base, "HARDTECH_HOME": tempfile.mkdtemp(prefix="hardtech-bench-first-")}
        port = free_port()
        log = Path(env["HARDTECH_HOME"]) / "serve.log"
        t = time.perf_counter()
        with server([*HARDTECH, "serve", "--port", str(port), "--log-level", "info"], env, log) as proc:
            wait_for(f"http://127.0.0.1:{port}/healthz", proc, args.timeout)
            serve_s.append(time.perf_counter() - t)
        build.append(index_build({**base, "HARDTECH_HOME": tempfile.mkdtemp(prefix="hardtech-bench-build-")}))
    report = {
        "rounds": args.rounds, "load_average": os.getloadavg(),
        "serve_to_healthz_s": {"median": round(statistics.median(serve_s), 2), "all": [round(x, 2) for x in serve_s]},
        "index_build_s": {"median": round(statistics.median(b["wall_s"] for b in build), 2), "last": build[-1]},
        "python_pass_s": round(statistics.median(python_s), 3), "goal_s": GOAL_S,
        "serve_log_tail": log.read_text(errors="replace").splitlines()[-15:],
    }
    Path(args.out).write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"first start, serve to /healthz: {report['serve_to_healthz_s']['median']} s (median of {args.rounds}); goal < {GOAL_S} s")
    print(f"hardtech index build alone:    {report['index_build_s']['median']} s; steps {build[-1]['steps']}")
    print(f"python -c pass:                {report['python_pass_s']} s")


if __name__ == "__main__":
    main()
