"""Offline assistant latency over the golden questions (warm), p50/p95.

    python benchmarks/assistant_bench.py [--rounds 3]

Writes benchmarks/results/assistant.json. Goal: p95 < 300 ms.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.pop("HARDTECH_LLM", None)

import yaml  # noqa: E402

from assistant import ask  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    items = yaml.safe_load((ROOT / "assistant" / "golden.yaml").read_text(encoding="utf-8"))["items"]

    def run(item):
        hist = [{"role": "user", "content": h} if isinstance(h, str) else h for h in item.get("history") or []]
        return ask(item["question"], hist)

    t0 = time.perf_counter()
    for item in items:  # warm-up: loads data, jieba, chunks
        run(item)
    warmup = time.perf_counter() - t0
    times: list[float] = []
    per: dict[str, list[float]] = {}
    for _ in range(args.rounds):
        for item in items:
            t = time.perf_counter()
            run(item)
            dt = (time.perf_counter() - t) * 1000
            times.append(dt)
            per.setdefault(item["id"], []).append(dt)
    times.sort()
    q = statistics.quantiles(times, n=100)
    slow = sorted(((statistics.median(v), k) for k, v in per.items()), reverse=True)[:5]
    out = {
        "benchmark": "assistant offline answer latency (warm)",
        "questions": len(items), "rounds": args.rounds, "samples": len(times),
        "p50_ms": round(statistics.median(times), 2), "p95_ms": round(q[94], 2), "max_ms": round(times[-1], 2),
        "mean_ms": round(statistics.fmean(times), 2), "warmup_s": round(warmup, 2),
        "goal_p95_ms": 300, "meets_goal": q[94] < 300,
        "slowest_median_ms": [{"id": k, "ms": round(v, 2)} for v, k in slow],
        "python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
    }
    dest = ROOT / "benchmarks" / "results" / "assistant.json"
    tmp = dest.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(dest)
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
