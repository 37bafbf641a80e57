"""First start on an empty HARDTECH_HOME: ``hardtech serve`` until ``/healthz`` answers, and
``hardtech index build`` alone with its step timings.

    python benchmarks/first_start_bench.py [--rounds 3] [--before DIR]

Each round uses a new empty home. ``serve`` builds the retrieval index, starts one worker and
warms it up (editions, index, embedding model, the warm-up questions) before it answers; it
is timed twice, as shipped and with ``HARDTECH_WARMUP=0`` (the worker loads on its first
request instead). ``--before DIR`` times another checkout of the product (e.g. ``git archive
main``) the same way in the same rounds, interleaved. Every line ``serve`` prints is kept with
its time, and the longest silence before ``/healthz`` is reported (goal: no step over 2 s left
silent). Reference: ``python -c pass``. Goal: under 5 s. Writes benchmarks/results/first_start.json.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from serve_common import HARDTECH, ROOT, free_port

GOAL_S = 5.0


def serve_once(root: Path, env: dict, timeout: float) -> dict:
    """Seconds from ``serve`` to the first 200 of /healthz, and each line printed meanwhile (at its second)."""
    port = free_port()
    lines: list[tuple[float, str]] = []
    t0 = time.perf_counter()
    proc = subprocess.Popen([*HARDTECH, "serve", "--port", str(port), "--log-level", "warning"], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)

    def read() -> None:
        for line in proc.stdout:
            lines.append((round(time.perf_counter() - t0, 2), line.rstrip()[:160]))
    threading.Thread(target=read, daemon=True).start()
    try:
        while True:
            if proc.poll() is not None or time.perf_counter() - t0 > timeout:
                raise RuntimeError(f"serve did not answer /healthz: {lines[-5:]}")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        seconds = time.perf_counter() - t0
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)
    stamps = [0.0] + [t for t, _ in lines if t <= seconds] + [seconds]
    return {"s": round(seconds, 2), "longest_silence_s": round(max(b - a for a, b in zip(stamps, stamps[1:])), 2),
            "lines": [f"{t:6.2f} {text}" for t, text in lines]}


def index_build(env: dict) -> dict:
    t = time.perf_counter()
    p = subprocess.run([*HARDTECH, "index", "build", "--json"], cwd=ROOT, env=env, capture_output=True, text=True,
                       check=True)
    wall = time.perf_counter() - t
    info = json.loads(p.stdout[p.stdout.index("{"):])
    return {"wall_s": round(wall, 2), "steps": info.get("steps"), "embedded": info.get("embedded")}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--before", help="another checkout of the product, timed the same way")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "first_start.json"))
    args = ap.parse_args()
    base = {k: v for k, v in os.environ.items() if k not in ("HARDTECH_LLM", "HARDTECH_CHROMA_URL", "HARDTECH_WARMUP")}
    base["HARDTECH_RATE_LIMIT"] = "0"
    contenders = {"serve (warm-up on)": (ROOT, {}), "serve (HARDTECH_WARMUP=0)": (ROOT, {"HARDTECH_WARMUP": "0"})}
    if args.before:
        contenders["before: serve"] = (Path(args.before).resolve(), {})
    runs: dict[str, list[dict]] = {k: [] for k in contenders}
    python_s, build = [], []
    names = list(contenders)
    for r in range(args.rounds):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        python_s.append(time.perf_counter() - t)
        for name in names[r % len(names):] + names[:r % len(names)]:
            root, extra = contenders[name]
            env = {**base, **extra, "PYTHONPATH": str(root), "HARDTECH_HOME": tempfile.mkdtemp(prefix="hardtech-bench-first-")}
            runs[name].append(serve_once(root, env, args.timeout))
        build.append(index_build({**base, "PYTHONPATH": str(ROOT),
                                  "HARDTECH_HOME": tempfile.mkdtemp(prefix="hardtech-bench-build-")}))
    report: dict = {"rounds": args.rounds, "load_average": os.getloadavg(), "goal_s": GOAL_S,
                    "python_pass_s": round(statistics.median(python_s), 3)}
    for name in names:
        report[name] = {"to_healthz_s": {"median": statistics.median(x["s"] for x in runs[name]),
                                         "all": [x["s"] for x in runs[name]]},
                        "longest_silence_s": max(x["longest_silence_s"] for x in runs[name]),
                        "last_log": runs[name][-1]["lines"]}
    report["index_build_s"] = {"median": statistics.median(b["wall_s"] for b in build), "last": build[-1]}
    Path(args.out).write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{'first start, serve to /healthz':<40} {'median s':>9} {'longest silence s':>18}   (rounds: {args.rounds})")
    for name in names:
        print(f"{name:<40} {report[name]['to_healthz_s']['median']:>9} {report[name]['longest_silence_s']:>18}")
    print(f"{'hardtech index build alone':<40} {report['index_build_s']['median']:>9}   steps {build[-1]['steps']}")
    print(f"{'python -c pass':<40} {report['python_pass_s']:>9}   goal < {GOAL_S} s, no silence over 2 s")


if __name__ == "__main__":
    main()
