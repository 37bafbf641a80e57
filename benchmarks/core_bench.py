"""Scoring-core benchmark: the product's pipeline beside a minimal numpy version and a plain
pandas version of the same computation, interleaved in one process.

    python benchmarks/core_bench.py [--entities 10000] [--indicators 100] [--repeats 21] [--profile]

1. A raw edition of 10,000 entities x 100 indicators in 5 dimensions (10 of them
   negative): min-max normalise, aggregate to dimensions, composite, competition ranks
   of the composite and of every dimension, tiers. ``index_core.edition.compute_from_raw``
   (which also logs its steps and builds the result table) against the two references.
   The three must agree: values to 1e-9, identical ranks and tiers. Goal: the product
   within 1.2x of the numpy version. ``compute_from_raw`` computes every column as an
   array and builds its frames on first use; "product+table" also asks for the result
   table, to show what the pandas wrapping costs on top.
2. 10,000 Monte Carlo weight draws over the 38 cities of hardtech-2020 (no reference).

Contenders run in a shuffled order within each round, so a noisy neighbour slows all of
them alike; the figures are medians. Writes benchmarks/results/core.json.

BLAS runs on one thread unless OPENBLAS_NUM_THREADS / OMP_NUM_THREADS say otherwise: the
numpy reference's 10,000 x 100 @ 100 x 5 product is 4x slower with OpenBLAS's two threads
on a shared two-core machine (their wake-up and spinning, not the arithmetic), which
swamps the code being compared. ``OPENBLAS_NUM_THREADS=2 python benchmarks/core_bench.py``
shows that figure.
"""
from __future__ import annotations

import os

for _knob in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):  # before numpy loads BLAS
    os.environ.setdefault(_knob, "1")

import argparse  # noqa: E402
import cProfile  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import pstats  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from index_core import analysis, api  # noqa: E402
from index_core.edition import compute_from_raw  # noqa: E402
from index_core.spec import Spec  # noqa: E402

CUTS = (60.0, 40.0, 0.0)  # tier thresholds of the synthetic spec, best first
GOAL_RATIO = 1.2


def synthetic_spec(n_indicators: int = 100, n_dimensions: int = 5) -> Spec:
    dims = [{"key": f"d{k}", "zh": f"维度{k}", "en": f"D{k}", "weight": 1 / n_dimensions} for k in range(n_dimensions)]
    inds = [{"no": i + 1, "zh": f"指标{i + 1}", "en": f"I{i + 1}", "dimension": f"d{i % n_dimensions}",
             "direction": "negative" if i % 10 == 9 else "positive"} for i in range(n_indicators)]
    return Spec.model_validate({
        "id": "bench", "title": {"zh": "基准", "en": "Bench"}, "edition_year": 2025, "source": {"file": "synthetic"},
        "entity_kind": "city", "data_level": "raw", "dimensions": dims, "indicators": inds,
        "tiers": {"rules": [
            {"tier": k + 1, "zh": str(k + 1), "en": str(k + 1), "threshold": cut, "status": "stated"}
            for k, cut in enumerate(CUTS)]},
    })


def _competition_rank(x: np.ndarray) -> np.ndarray:
    """Highest = 1, ties share the best rank, per column: sort, then the start of each run."""
    if x.ndim == 2:
        return np.stack([_competition_rank(x[:, j]) for j in range(x.shape[1])], axis=1)
    order = np.argsort(-x)
    s = x[order]
    first = np.where(np.r_[True, s[1:] != s[:-1]], np.arange(len(x)), 0)
    ranks = np.empty(len(x), dtype=np.int64)
    ranks[order] = np.maximum.accumulate(first) + 1
    return ranks


def numpy_reference(x: np.ndarray, negative: np.ndarray, member: np.ndarray, dim_weights: np.ndarray) -> dict:
    """The computation written directly in numpy, nothing else (no validation, no table, no log)."""
    mn, mx = x.min(axis=0), x.max(axis=0)
    scores = (x - mn) / (mx - mn) * 100.0
    scores[:, negative] = 100.0 - scores[:, negative]
    dims = scores @ (member / member.sum(axis=0))
    composite = dims @ dim_weights
    tiers = np.searchsorted(-np.array(CUTS), -composite, side="left") + 1
    return {"scores": scores, "dims": dims, "composite": composite, "rank": _competition_rank(composite),
            "dim_ranks": _competition_rank(dims), "tier": np.minimum(tiers, len(CUTS) + 1)}


def pandas_version(raw: pd.DataFrame, negative: list[str], groups: dict[str, list[str]], dim_weights: pd.Series) -> dict:
    """The same computation as an analyst would write it in plain pandas."""
    mn, mx = raw.min(), raw.max()
    scores = (raw - mn) / (mx - mn) * 100.0
    scores[negative] = 100.0 - scores[negative]
    dims = pd.DataFrame({d: scores[cols].mean(axis=1) for d, cols in groups.items()})
    composite = (dims * dim_weights).sum(axis=1)
    tier = pd.Series(len(CUTS) + 1, index=raw.index)
    for k, cut in reversed(list(enumerate(CUTS, 1))):
        tier[composite >= cut] = k
    return {"scores": scores, "dims": dims, "composite": composite,
            "rank": composite.rank(method="min", ascending=False).astype(int),
            "dim_ranks": dims.rank(method="min", ascending=False).astype(int), "tier": tier}


def _product_outputs(spec: Spec, raw: pd.DataFrame) -> dict:
    r = compute_from_raw(spec, raw)
    keys = r.dimension_keys
    t = r.table
    return {"scores": r.indicator_scores, "dims": r.dimension_scores(), "composite": t["composite"],
            "rank": t["rank"], "dim_ranks": t[[f"{k}.rank" for k in keys]], "tier": t["tier"]}


def agreement(a: dict, b: dict) -> dict:
    """Largest value difference and whether ranks and tiers are identical."""
    def arr(v):
        return np.asarray(v.to_numpy(dtype=float) if hasattr(v, "to_numpy") else v, dtype=float)

    worst = max(float(np.max(np.abs(arr(a[k]) - arr(b[k])))) for k in ("scores", "dims", "composite"))
    same = all(np.array_equal(arr(a[k]), arr(b[k])) for k in ("rank", "dim_ranks", "tier"))
    return {"max_abs_diff": worst, "ranks_and_tiers_identical": same}


def interleaved(contenders: dict, rounds: int) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Wall and CPU milliseconds per call, each contender once per round in a shuffled order.

    Shuffled, not rotated: a rotation keeps every contender's predecessor fixed, and what
    ran just before matters (the pandas version leaves the allocator and caches cold, and
    whoever always followed it paid ~2 ms more). CPU time (this process, all threads) is
    the steadier figure on a shared machine."""
    names = list(contenders)
    order = random.Random(0)
    for fn in contenders.values():
        fn()  # warm-up
    wall: dict[str, list[float]] = {n: [] for n in names}
    cpu: dict[str, list[float]] = {n: [] for n in names}
    for _ in range(rounds):
        for n in order.sample(names, len(names)):
            c, t = time.process_time(), time.perf_counter()
            contenders[n]()
            wall[n].append((time.perf_counter() - t) * 1000)
            cpu[n].append((time.process_time() - c) * 1000)
    return wall, cpu


def main() -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entities", type=int, default=10_000)
    ap.add_argument("--indicators", type=int, default=100)
    ap.add_argument("--repeats", type=int, default=21)
    ap.add_argument("--profile", action="store_true", help="also print where compute_from_raw spends its time")
    args = ap.parse_args()

    spec = synthetic_spec(args.indicators)
    cols = [i.column for i in spec.indicators]
    rng = np.random.default_rng(0)
    raw = pd.DataFrame(rng.lognormal(3, 1, size=(args.entities, args.indicators)),
                       index=[f"c{i}" for i in range(args.entities)], columns=cols)
    x = raw.to_numpy()
    negative_cols = [i.column for i in spec.indicators if i.direction == "negative"]
    negative = np.array([c in negative_cols for c in cols])
    groups = {d.key: [i.column for i in spec.indicators if i.dimension == d.key] for d in spec.dimensions}
    member = np.array([[float(c in groups[d]) for d in groups] for c in cols])
    dim_weights = np.array([spec.weights[d] for d in groups])

    outputs = {"product": _product_outputs(spec, raw), "numpy": numpy_reference(x, negative, member, dim_weights),
               "pandas": pandas_version(raw, negative_cols, groups, pd.Series(dim_weights, index=list(groups)))}
    agree = {"product_vs_numpy": agreement(outputs["product"], outputs["numpy"]),
             "pandas_vs_numpy": agreement(outputs["pandas"], outputs["numpy"])}
    times, cpu_times = interleaved({
        "product": lambda: compute_from_raw(spec, raw),
        "product+table": lambda: compute_from_raw(spec, raw).table,
        "numpy": lambda: numpy_reference(x, negative, member, dim_weights),
        "pandas": lambda: pandas_version(raw, negative_cols, groups, pd.Series(dim_weights, index=list(groups))),
    }, args.repeats)
    med = {k: statistics.median(v) for k, v in times.items()}
    cpu = {k: statistics.median(v) for k, v in cpu_times.items()}

    r2020 = api.result("hardtech-2020")
    sens = interleaved({"sensitivity": lambda: analysis.sensitivity(r2020, draws=10_000, seed=1)}, 7)[0]["sensitivity"]
    report = {
        "machine": {"python": platform.python_version(), "cpu_count": os.cpu_count(),
                    "blas_threads": os.environ["OPENBLAS_NUM_THREADS"],
                    "load_average": os.getloadavg()},
        "compute_from_raw": {
            "shape": [args.entities, args.indicators], "rounds": args.repeats,
            "median_ms": {k: round(v, 2) for k, v in med.items()},
            "median_cpu_ms": {k: round(v, 2) for k, v in cpu.items()},
            "ratio_product_to_numpy": round(med["product"] / med["numpy"], 2),
            "ratio_product_with_table_to_numpy": round(med["product+table"] / med["numpy"], 2),
            "ratio_product_to_pandas": round(med["product"] / med["pandas"], 2),
            "cpu_ratio_product_to_numpy": round(cpu["product"] / cpu["numpy"], 2),
            "cpu_ratio_product_to_pandas": round(cpu["product"] / cpu["pandas"], 2),
            "goal_ratio_to_numpy": GOAL_RATIO, "agreement": agree,
        },
        "sensitivity_10000_draws_38_cities_ms": {"median": round(statistics.median(sens), 1), "rounds": len(sens)},
    }
    if args.profile:
        prof = cProfile.Profile()
        prof.runcall(lambda: [compute_from_raw(spec, raw) for _ in range(5)])
        pstats.Stats(prof).sort_stats("tottime").print_stats(12)
    out = Path(__file__).parent / "results" / "core.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    c = report["compute_from_raw"]
    print(f"compute_from_raw {args.entities} x {args.indicators}, median of {args.repeats} interleaved rounds:")
    print(f"  (BLAS threads: {report['machine']['blas_threads']}, load average {report['machine']['load_average'][0]:.2f})")
    print(f"  {'':<14} {'wall ms':>9} {'CPU ms':>9}")
    for k in ("product", "product+table", "numpy", "pandas"):
        print(f"  {k:<14} {c['median_ms'][k]:9.2f} {c['median_cpu_ms'][k]:9.2f}")
    print(f"  product / numpy  = {c['ratio_product_to_numpy']} wall, {c['cpu_ratio_product_to_numpy']} CPU"
          f"  (goal <= {GOAL_RATIO}); with the table built: {c['ratio_product_with_table_to_numpy']} wall")
    print(f"  product / pandas = {c['ratio_product_to_pandas']} wall, {c['cpu_ratio_product_to_pandas']} CPU")
    print(f"  agreement: {json.dumps(agree)}")
    print(f"sensitivity, 10,000 draws x 38 cities: {report['sensitivity_10000_draws_38_cities_ms']['median']} ms")
    return report


if __name__ == "__main__":
    main()
