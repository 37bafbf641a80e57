"""Retrieval quality, dev and held-out, from one run: hit@1 / hit@5 / MRR for each ranked
list alone (the default encoder USE, the companion encoder e5-small, BM25 with the
question's Chinese expansions) and the product's fused ranking.

    python benchmarks/retrieval_quality.py [--heldout PATH]

The dev set (vectorstore/eval/retrieval_golden.yaml) is what retrieval is tuned on, and
is reported in full (by language, by document, misses in the JSON). The held-out set
(vectorstore/eval/retrieval_heldout.yaml, written by someone else) is reported as
aggregate and per-language figures only. Goals (fused, held-out): hit@5 >= 0.97,
MRR >= 0.90, and in each language fused at least as good as the best single retriever.
Builds the index in a private HARDTECH_HOME. Writes benchmarks/results/retrieval_quality.json.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
MODES = ("dense", "companion", "bm25", "fused")
SINGLES = ("dense", "companion", "bm25")
GOALS = {"hit@5": 0.97, "mrr": 0.90}


def _row(name: str, r: dict) -> str:
    o, bl = r["overall"], r["by_lang"]
    lang = "  ".join(f"{k} {bl[k]['hit@5']:.3f}/{bl[k]['mrr']:.3f}" for k in sorted(bl))
    return f"{name:<20} {r['n']:>4} {o['hit@1']:>6.3f} {o['hit@5']:>6.3f} {o['mrr']:>6.3f}   {lang}"


def goals(sets: dict) -> dict:
    fused = sets["fused"]
    out = {"hit@5": fused["overall"]["hit@5"] >= GOALS["hit@5"], "mrr": fused["overall"]["mrr"] >= GOALS["mrr"]}
    for lang in fused["by_lang"]:
        best = max(sets[m]["by_lang"][lang]["hit@5"] for m in SINGLES)
        out[f"{lang}_not_below_best_single"] = fused["by_lang"][lang]["hit@5"] >= best
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--heldout", default=None, help="held-out set (default: vectorstore/eval/retrieval_heldout.yaml)")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "retrieval_quality.json"))
    args = ap.parse_args()
    os.environ["HARDTECH_HOME"] = tempfile.mkdtemp(prefix="hardtech-bench-quality-")
    os.environ.pop("HARDTECH_CHROMA_URL", None)

    from vectorstore.evaluate import evaluate_heldout, evaluate_retrieval
    from vectorstore.store import build_index

    build_index()
    dev = {m: evaluate_retrieval(mode=m) for m in MODES}
    held = {m: evaluate_heldout(args.heldout, mode=m) for m in MODES}
    report = {
        "dev": {m: {k: r[k] for k in ("n", "overall", "by_lang", "by_doc")} | {"misses": [x["id"] for x in r["misses"]]}
                for m, r in dev.items()},
        "heldout": held,
        "goals": {"dev": goals(dev), "heldout": goals(held) if "missing" not in held["fused"] else None},
    }
    Path(args.out).write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{'set / mode':<20} {'n':>4} {'hit@1':>6} {'hit@5':>6} {'MRR':>6}   per language hit@5/MRR")
    for name, sets in (("dev", dev), ("held-out", held)):
        for m in MODES:
            if "missing" in sets[m]:
                print(f"{name} {m}: the set is missing ({sets[m]['missing']})")
                continue
            print(_row(f"{name} {m}", sets[m]))
    print("goals:", json.dumps(report["goals"]))


if __name__ == "__main__":
    main()
