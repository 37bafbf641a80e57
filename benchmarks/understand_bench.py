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
    product, baseline, model, textual, cpu = [], [], [], [], []
    text_ops = {"narrative", "concept", "definition"}  # these also cut words with the retrieval tokenizer
    is_text = [understand(q, h).operation in text_ops for q, h in questions]
    for _ in range(rounds):
        for (q, h), text_op in zip(questions, is_text):
            t0 = time.perf_counter()
            _BASELINE.search(q)
            t1 = time.perf_counter()
            c1 = time.process_time()
            understand(q, h)
            t2 = time.perf_counter()
            cpu.append((time.process_time() - c1) * 1e3)
            feats = features(q, link(normalise(q)))
            t3 = time.perf_counter()
            classifier.load().probabilities(feats)
            t4 = time.perf_counter()
            baseline.append((t1 - t0) * 1e3)
            (textual if text_op else product).append((t2 - t1) * 1e3)
            model.append((t4 - t3) * 1e3)
    print(f"warm, {len(questions)} questions x {rounds} rounds (history included), ms:")
    print(f"  understand(), index questions  p50 {_pct(product, .5):7.3f}  p95 {_pct(product, .95):7.3f}  max {max(product):7.3f}")
    print(f"  understand(), text questions   p50 {_pct(textual, .5):7.3f}  p95 {_pct(textual, .95):7.3f}  max {max(textual):7.3f}")
    both = product + textual
    print(f"  understand(), all              p50 {_pct(both, .5):7.3f}  p95 {_pct(both, .95):7.3f}")
    print(f"  understand(), all, CPU time    p50 {_pct(cpu, .5):7.3f}  p95 {_pct(cpu, .95):7.3f}  (not inflated by waiting for a core)")
    print(f"  classifier inference   p50 {_pct(model, .5):7.3f}  p95 {_pct(model, .95):7.3f}")
    print(f"  reference: regex match p50 {_pct(baseline, .5):7.3f}  p95 {_pct(baseline, .95):7.3f}")


def cold(rounds: int) -> None:
    code = "from assistant.offline.understand import understand; understand('深圳2019年综合得分是多少？')"
    editions = "from index_core import io; [io.load_edition(e) for e in io.edition_ids()]; io.load_registry()"
    contenders = (("reference: python -c pass", "pass"), ("reference: load the editions", editions),
                  ("understand (cold process)", code))
    times: dict[str, list[float]] = {name: [] for name, _ in contenders}
    for _ in range(rounds):
        for name, c in contenders:
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
