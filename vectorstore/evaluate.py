"""Retrieval evaluation: the dev set (``vectorstore/eval/retrieval_golden.yaml``, tuned on)
and the held-out set (``retrieval_heldout.yaml``, written separately and never tuned on).

A hit is a result whose line range overlaps a relevant range in the same file. The
held-out set is reported as aggregate and per-language figures only: its per-item
results are never returned or printed, so nobody tunes on them by accident.
"""

from __future__ import annotations

import time
from collections import defaultdict
from pathlib import Path

import yaml

from .config import DEV_SET_PATH, HELDOUT_SET_PATH


def load_golden(path: str | Path | None = None) -> list[dict]:
    data = yaml.safe_load(Path(path or DEV_SET_PATH).read_text(encoding="utf-8"))
    items = data["questions"] if isinstance(data, dict) else data
    return list(items)


def _is_hit(result, relevant: list[dict]) -> bool:
    a, b = result.lines
    for r in relevant:
        if r["source_file"] == result.source_file:
            lo, hi = r["lines"]
            if a <= hi and lo <= b:
                return True
    return False


def _summary(rows: list[dict]) -> dict:
    n = len(rows)
    if not n:
        return {"n": 0, "hit@1": None, "hit@5": None, "mrr": None}
    return {
        "n": n,
        "hit@1": round(sum(r["rank"] == 1 for r in rows) / n, 4),
        "hit@5": round(sum(0 < r["rank"] <= 5 for r in rows) / n, 4),
        "mrr": round(sum((1 / r["rank"]) if r["rank"] else 0 for r in rows) / n, 4),
    }


def evaluate_retrieval(golden_path: str | Path | None = None, embedding: str | None = None,
                       mode: str = "fused", expand: bool = True, k: int = 10) -> dict:
    """hit@1, hit@5 and MRR (within top ``k``) overall, by language and by document.

    ``embedding`` selects the backend; the index for it is built if needed (in the
    current ``HARDTECH_HOME``). Returns ``{"overall", "by_lang", "by_doc", "misses",
    "latency_ms", ...}``.
    """
    from .retrieval import Searcher, get_searcher, reset_searcher
    from .store import build_index

    items = load_golden(golden_path)
    if embedding is not None:
        info = build_index(embedding)
        reset_searcher()
        searcher = Searcher()
        if searcher.index.meta["embedding_model"] != info["embedding"]:
            raise RuntimeError("index/embedding mismatch")
    else:
        searcher = get_searcher()
    rows = []
    lat = []
    for it in items:
        t = time.perf_counter()
        resp = searcher.search(it["question"], k=k, mode=mode, expand=expand)
        lat.append((time.perf_counter() - t) * 1000)
        rank = 0
        for i, r in enumerate(resp.results, 1):
            if _is_hit(r, it["relevant"]):
                rank = i
                break
        rows.append({"id": it["id"], "lang": it.get("lang", "?"), "doc": str(it.get("doc", "?")), "rank": rank,
                     "question": it["question"],
                     "top": [f"{r.source_file[:3]}:{r.lines[0]}-{r.lines[1]}" for r in resp.results[:3]]})
    by_lang: dict[str, list] = defaultdict(list)
    by_doc: dict[str, list] = defaultdict(list)
    for r in rows:
        by_lang[r["lang"]].append(r)
        by_doc[r["doc"]].append(r)
    lat_sorted = sorted(lat)

    def pct(p):
        return round(lat_sorted[min(len(lat_sorted) - 1, int(p * len(lat_sorted)))], 2) if lat_sorted else None

    return {
        "mode": mode, "expand": expand, "embedding": searcher.embedder.model_id, "n": len(rows),
        "overall": _summary(rows),
        "by_lang": {k: _summary(v) for k, v in sorted(by_lang.items())},
        "by_doc": {k: _summary(v) for k, v in sorted(by_doc.items())},
        "latency_ms": {"p50": pct(0.5), "p95": pct(0.95)},
        "misses": [r for r in rows if not (0 < r["rank"] <= 5)],
    }


def evaluate_heldout(path: str | Path | None = None, mode: str = "fused", expand: bool = True) -> dict:
    """Aggregate and per-language hit@1/hit@5/MRR on the held-out set, nothing per item.

    Returns ``{"n", "overall", "by_lang", "latency_ms"}``, or ``{"missing": path}`` when the
    set is not there."""
    path = Path(path or HELDOUT_SET_PATH)
    if not path.exists():
        return {"missing": str(path)}
    full = evaluate_retrieval(path, mode=mode, expand=expand)
    return {k: full[k] for k in ("n", "overall", "by_lang", "latency_ms")}


def main(argv: list[str] | None = None) -> None:  # pragma: no cover - a developer's tool
    """``python -m vectorstore.evaluate [fused|dense|companion|bm25]``: dev figures and misses, held-out aggregates."""
    import json
    import sys

    args = sys.argv[1:] if argv is None else argv
    mode = args[0] if args else "fused"
    dev = evaluate_retrieval(mode=mode)
    print("dev", json.dumps({k: v for k, v in dev.items() if k != "misses"}, ensure_ascii=False, indent=1))
    for m in dev["misses"]:
        print("MISS", m["id"], m["lang"], m["rank"], m["question"][:70], m["top"])
    print("held-out", json.dumps(evaluate_heldout(mode=mode), ensure_ascii=False, indent=1))


if __name__ == "__main__":  # pragma: no cover
    main()
