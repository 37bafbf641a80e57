"""Warm retrieval latency in one process: the product's fused search beside BM25 alone
(bm25s, what the product uses) and the hand-written BM25 it replaced, on the same tokens.
Fused search is also reported per question language: an English question is embedded by
USE, a Chinese one by e5-small and USE (vectorstore/fusion.yaml).

    python benchmarks/retrieval_latency.py [--rounds 3]

Every dev-set question is asked ``rounds`` times; within each question the contenders
run back to back in rotating order. Reports p50/p95 in ms. Goal: fused p95 < 50 ms.
Builds the index in a private HARDTECH_HOME. Writes benchmarks/results/retrieval_latency.json.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
GOAL_P95_MS = 50.0


class HandWrittenBM25:
    """The hand-written Okapi BM25 (k1=1.5, b=0.75) the product used before bm25s: the reference."""

    def __init__(self, docs: list[list[str]], k1: float = 1.5, b: float = 0.75):
        self.k1, self.b = k1, b
        self.n = len(docs)
        self.doc_len = np.array([len(d) for d in docs], dtype=np.float32)
        self.avgdl = float(self.doc_len.mean()) if self.n else 0.0
        df: Counter = Counter()
        self.postings: dict[str, list[tuple[int, int]]] = {}
        for i, c in enumerate(Counter(d) for d in docs):
            for term, f in c.items():
                df[term] += 1
                self.postings.setdefault(term, []).append((i, f))
        self.idf = {t: float(np.log(1 + (self.n - n + 0.5) / (n + 0.5))) for t, n in df.items()}

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        s = np.zeros(self.n, dtype=np.float32)
        norm = self.k1 * (1 - self.b + self.b * self.doc_len / max(self.avgdl, 1e-9))
        for term in dict.fromkeys(query_tokens):
            post = self.postings.get(term)
            if not post:
                continue
            idx = np.fromiter((p[0] for p in post), dtype=np.int64, count=len(post))
            f = np.fromiter((p[1] for p in post), dtype=np.float32, count=len(post))
            s[idx] += self.idf[term] * f * (self.k1 + 1) / (f + norm[idx])
        return s


def pct(values: list[float], p: float) -> float:
    v = sorted(values)
    return round(v[min(len(v) - 1, int(p * len(v)))], 2)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "retrieval_latency.json"))
    args = ap.parse_args()
    os.environ["HARDTECH_HOME"] = tempfile.mkdtemp(prefix="hardtech-bench-latency-")
    os.environ.pop("HARDTECH_CHROMA_URL", None)

    from vectorstore.evaluate import load_golden
    from vectorstore.lexical import tokenize
    from vectorstore.query import query_language
    from vectorstore.retrieval import get_searcher
    from vectorstore.store import build_index

    build_index()
    s = get_searcher()
    hand = HandWrittenBM25(s.index.tokens)
    questions = [it["question"] for it in load_golden()]
    for q in ("深圳创新基础为什么弱", "Why is Shenzhen weak on innovation base?"):
        s.search(q)  # warm: both encoders, chroma, tokenizer
    agree = all(np.array_equal(np.argsort(-hand.scores(tokenize(q)), kind="stable")[:10],
                               np.argsort(-s.bm25.scores(tokenize(q)), kind="stable")[:10]) for q in questions)
    contenders = {
        "fused search": lambda q: s.search(q, k=5),
        "bm25s (tokenize + score)": lambda q: s.bm25.scores(tokenize(q)),
        "hand-written BM25 (tokenize + score)": lambda q: hand.scores(tokenize(q)),
    }
    names = list(contenders)
    times: dict[str, list[float]] = {n: [] for n in names}
    by_lang: dict[str, list[float]] = {"fused search, English questions": [], "fused search, Chinese questions": []}
    for r in range(args.rounds):
        for i, q in enumerate(questions):
            k = (r + i) % len(names)
            for n in names[k:] + names[:k]:
                t = time.perf_counter()
                contenders[n](q)
                times[n].append((time.perf_counter() - t) * 1000)
                if n == "fused search":
                    lang = "English" if query_language(q) == "en" else "Chinese"
                    by_lang[f"fused search, {lang} questions"].append(times[n][-1])
    times.update(by_lang)
    names += list(by_lang)
    report = {n: {"p50": pct(v, 0.5), "p95": pct(v, 0.95), "mean": round(statistics.fmean(v), 2), "n": len(v)}
              for n, v in times.items()}
    report["bm25_top10_identical"] = agree
    report["goal_fused_p95_ms"] = GOAL_P95_MS
    report["load_average"] = os.getloadavg()
    Path(args.out).write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(f"{'':<40} {'p50 ms':>8} {'p95 ms':>8}")
    for n in names:
        print(f"{n:<40} {report[n]['p50']:>8} {report[n]['p95']:>8}")
    print(f"hand-written and bm25s top-10 identical on every question: {agree}; goal: fused p95 < {GOAL_P95_MS} ms")


if __name__ == "__main__":
    main()
