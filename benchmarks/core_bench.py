"""Scoring-core benchmarks (run: python benchmarks/core_bench.py).

1. A raw edition of 10,000 entities x 100 indicators in 5 dimensions: normalise,
   aggregate, rank and tier (no file reading). Goal: median < 200 ms.
2. 10,000 Monte Carlo weight draws over the 38 cities of hardtech-2020. Goal: < 200 ms.
Prints the medians and writes benchmarks/results/core.json.
"""
from __future__ import annotations

import json
import platform
import statistics
import time
from pathlib import Path

import numpy as np
import pandas as pd

from index_core import analysis, api
from index_core.edition import compute_from_raw
from index_core.spec import Spec

REPEATS = 15


def synthetic_spec(n_indicators: int = 100, n_dimensions: int = 5) -> Spec:
    dims = [{"key": f"d{k}", "zh": f"维度{k}", "en": f"D{k}", "weight": 1 / n_dimensions} for k in range(n_dimensions)]
    inds = [{"no": i + 1, "zh": f"指标{i + 1}", "en": f"I{i + 1}", "dimension": f"d{i % n_dimensions}",
             "direction": "negative" if i % 10 == 9 else "positive"} for i in range(n_indicators)]
    return Spec.model_validate({
        "id": "bench", "title": {"zh": "基准", "en": "Bench"}, "edition_year": 2025, "source": {"file": "synthetic"},
        "entity_kind": "city", "data_level": "raw", "dimensions": dims, "indicators": inds,
        "tiers": {"rules": [
            {"tier": 1, "zh": "一", "en": "1", "threshold": 60, "status": "stated"},
            {"tier": 2, "zh": "二", "en": "2", "threshold": 40, "status": "stated"},
            {"tier": 3, "zh": "三", "en": "3", "threshold": 0, "status": "stated"}]},
    })


def timed(fn, repeats: int = REPEATS) -> list[float]:
    fn()  # warm-up
    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def main() -> dict:
    spec = synthetic_spec()
    rng = np.random.default_rng(0)
    raw = pd.DataFrame(rng.lognormal(3, 1, size=(10_000, 100)), index=[f"c{i}" for i in range(10_000)],
                       columns=[i.column for i in spec.indicators])
    compute_ms = timed(lambda: compute_from_raw(spec, raw))
    r2020 = api.result("hardtech-2020")
    sens_ms = timed(lambda: analysis.sensitivity(r2020, draws=10_000, seed=1))
    report = {
        "machine": {"python": platform.python_version(), "cpu_count": __import__("os").cpu_count()},
        "compute_10000x100_ms": {"median": round(statistics.median(compute_ms), 1), "min": round(min(compute_ms), 1),
                                 "max": round(max(compute_ms), 1), "repeats": REPEATS, "goal": 200},
        "sensitivity_10000_draws_38_cities_ms": {"median": round(statistics.median(sens_ms), 1), "min": round(min(sens_ms), 1),
                                                 "max": round(max(sens_ms), 1), "repeats": REPEATS, "goal": 200},
    }
    out = Path(__file__).parent / "results" / "core.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
