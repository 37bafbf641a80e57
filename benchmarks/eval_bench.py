"""Time the evaluation pipeline: suite generation, matching throughput, and an offline
run of N sampled numeric questions. Writes benchmarks/results/eval.json (atomically).

    python benchmarks/eval_bench.py [--sample 200]
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from assistant.evaluation import generator, runner
from assistant.evaluation.matcher import extract_numbers
from assistant.evaluation.report import write_atomic


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sample", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    t = time.perf_counter()
    items = generator.generate()
    gen_s = time.perf_counter() - t
    text = "深圳2019年综合得分50.99分，排名第3，属于第二梯队；创新投入权重35%。Shenzhen ranks 3rd, tier 2. " * 20
    t = time.perf_counter()
    for _ in range(500):
        extract_numbers(text)
    match_ms = (time.perf_counter() - t) / 500 * 1000
    sample = generator.sample(items, args.sample, args.seed)
    t = time.perf_counter()
    res = runner.run_items(sample, runner.InProcessTarget(), progress=False)
    run_s = time.perf_counter() - t
    s = runner.summarise({"numeric": res})
    out = {
        "generated_items": len(items), "generate_s": round(gen_s, 3),
        "extract_numbers_ms_per_2kchars": round(match_ms, 3),
        "offline_sample": len(sample), "offline_run_s": round(run_s, 2),
        "numeric_accuracy": s["numeric_accuracy"], "unverified_numbers": s["unverified_numbers"],
        "latency_ms": s["latency_ms"],
    }
    path = Path(__file__).resolve().parent / "results" / "eval.json"
    write_atomic(path, json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
