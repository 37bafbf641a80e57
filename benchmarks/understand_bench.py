"""Offline understanding: warm latency of ``understand()`` per question, and the cost of a
cold process, each beside a trivial reference from the same run (interleaved, medians).

    python benchmarks/understand_bench.py [--rounds 5]

References: a regular-expression match over the question (warm), ``python -c pass`` (cold).
"""
from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
_BASELINE = re.compile(r"(?i)(?:why|为什么|compare|对比|top|前\d+|rank|排名|score|得分)")


def _questions() -> list[tuple[str, list | None]]:
    out = [(e["question"], e.get("history")) for e in
           yaml.safe_load((ROOT / "assistant/offline/frame_examples.yaml").read_text(encoding="utf-8"))["examples"]]
    for path in ("assistant/golden.yaml", "assistant/evaluation/golden_extra.yaml"):
        data = yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))
        out += [(it["question"], it.get("history")) for it in (data["items"] if isinstance(data, dict) else data)]
    return out


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def warm(rounds: int) -> None:
    from assistant.offline.understand import classifier, understand
    from assistant.offline.understand.features import features
    from assistant.offline.understand.linking import link
    from assistant.offline.understand.normalise import normalise

    questions = _questions()
    for q, h in questions:  # warm every cache once
        understand(q, h)
    product, baseline, model = [], [], []
    for _ in range(rounds):
        for q, h in questions:
            t0 = time.perf_counter()
            _BASELINE.search(q)
            t1 = time.perf_counter()
            understand(q, h)
            t2 = time.perf_counter()
            feats = features(q, link(normalise(q)))
            t3 = time.perf_counter()
            classifier.load().probabilities(feats)
            t4 = time.perf_counter()
            baseline.append((t1 - t0) * 1e3)
            product.append((t2 - t1) * 1e3)
            model.append((t4 - t3) * 1e3)
    n = len(product)
    print(f"warm, {n} questions x turns (history included), ms:")
    print(f"  understand()           p50 {_pct(product, .5):7.3f}  p95 {_pct(product, .95):7.3f}  max {max(product):7.3f}")
    print(f"  classifier inference   p50 {_pct(model, .5):7.3f}  p95 {_pct(model, .95):7.3f}")
    print(f"  reference: regex match p50 {_pct(baseline, .5):7.3f}  p95 {_pct(baseline, .95):7.3f}")


def cold(rounds: int) -> None:
    code = "from assistant.offline.understand import understand; understand('深圳2019年综合得分是多少？')"
    times: dict[str, list[float]] = {"understand (cold process)": [], "reference: python -c pass": []}
    for _ in range(rounds):
        for name, c in (("reference: python -c pass", "pass"), ("understand (cold process)", code)):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", c], check=True, cwd=ROOT)
            times[name].append(time.perf_counter() - t0)
    print("cold process, median s:")
    for name, values in times.items():
        print(f"  {name:28} {statistics.median(values):6.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    warm(args.rounds)
    cold(max(3, args.rounds // 2))


if __name__ == "__main__":
    main()
