"""Aggregate scored items into the ``hardtech eval`` summary, dev and held-out apart.

Two splits (issue 9, "held-out discipline"): **dev** suites (``numeric``, ``golden``)
are what the assistant is tuned on; the **held-out** suite (``heldout``) is written apart
and never tuned on. Held-out results are reported only as aggregate and per-category
metrics; their questions, answers and failures are left out of the summary unless
``reveal_heldout`` is set (after development is frozen). The top-level figures
(``total``, ``passed``, ``numeric_accuracy``, ``citation_hit_rate``, ``routing_accuracy``,
``latency_ms``) are the dev split's; ``splits`` gives both; ``unverified_numbers`` counts
every answer, because an untraceable number is a defect in either split.
"""
from __future__ import annotations

from typing import Any

DEFAULT_GATES = {"min_numeric": 1.0, "min_golden": 0.90, "max_unverified": 0}
HELDOUT_SUITES = ("heldout",)


def split_of(suite: str) -> str:
    """``heldout`` for held-out suites, ``dev`` for everything else."""
    return "heldout" if suite in HELDOUT_SUITES else "dev"


def _rate(passed: int, total: int) -> float | None:
    return round(passed / total, 4) if total else None


def _pct(values: list[float], p: float) -> float | None:
    if not values:
        return None
    s = sorted(values)
    k = (len(s) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return round(s[lo] + (s[hi] - s[lo]) * (k - lo), 1)


def metrics(results: list[dict]) -> dict:
    """Aggregate scores of item results: pass rate; numeric accuracy (share of items with
    expected numbers whose numbers all matched); citation hit rate and routing accuracy
    (over the items that check them); unverified numbers (count). Rates in [0, 1] or None."""
    with_numbers = [r for r in results if r["checks"]["numbers"]]
    cit = [r for r in results if r["checks"]["citation_ok"] is not None]
    rout = [r for r in results if r["checks"]["routing_ok"] is not None]
    passed = sum(r["passed"] for r in results)
    return {
        "total": len(results), "passed": passed, "pass_rate": _rate(passed, len(results)),
        "numeric_accuracy": _rate(sum(r["checks"]["numbers_ok"] for r in with_numbers), len(with_numbers)),
        "citation_hit_rate": _rate(sum(bool(r["checks"]["citation_ok"]) for r in cit), len(cit)),
        "routing_accuracy": _rate(sum(bool(r["checks"]["routing_ok"]) for r in rout), len(rout)),
        "unverified_numbers": sum(len(r["checks"]["unverified"]) for r in results),
    }


def _grouped(results: list[dict], key: str) -> dict[str, dict]:
    groups: dict[str, list[dict]] = {}
    for r in results:
        groups.setdefault(str(r[key]), []).append(r)
    return {k: metrics(v) for k, v in sorted(groups.items())}


def suite_summary(results: list[dict], suite: str = "golden") -> dict:
    """One suite's metrics, by category and by language, marked with its split. Never
    lists items, so it is safe for the held-out suite."""
    return {**metrics(results), "split": split_of(suite),
            "by_category": _grouped(results, "category"), "by_lang": _grouped(results, "lang")}


def summarise(qa: dict[str, list[dict]], retrieval: dict | None = None, target: str = "in-process",
              gates: dict | None = None, meta: dict | None = None, reveal_heldout: bool = False,
              modes: dict[str, dict[str, list[dict]]] | None = None) -> dict:
    """The ``--json`` document. ``qa`` maps suite name (numeric, golden, heldout) to item
    results of the primary mode; ``modes`` adds the same suites run in other modes (e.g.
    ``llm:openai:qwen``), reported side by side and not gated."""
    dev = [r for suite, rs in qa.items() if split_of(suite) == "dev" for r in rs]
    held = [r for suite, rs in qa.items() if split_of(suite) == "heldout" for r in rs]
    by_suite: dict[str, Any] = {name: suite_summary(rs, name) for name, rs in qa.items()}
    if retrieval is not None:
        by_suite["retrieval"] = retrieval
    numeric = by_suite.get("numeric")
    dev_metrics = metrics(dev)
    lat = [r["latency_ms"] for r in dev + held if r["error"] is None]
    out = {
        "total": dev_metrics["total"],
        "passed": dev_metrics["passed"],
        # the generated suite's pass rate; without it, the share of dev items with numbers whose numbers all matched
        "numeric_accuracy": numeric["pass_rate"] if numeric else dev_metrics["numeric_accuracy"],
        "citation_hit_rate": dev_metrics["citation_hit_rate"],
        "routing_accuracy": dev_metrics["routing_accuracy"],
        "unverified_numbers": dev_metrics["unverified_numbers"] + sum(len(r["checks"]["unverified"]) for r in held),
        "latency_ms": {"p50": _pct(lat, 0.5), "p95": _pct(lat, 0.95)},
        "splits": {name: metrics(rs) for name, rs in (("dev", dev), ("heldout", held)) if rs},
        "by_suite": by_suite,
        "failures": _failures(dev, held, reveal_heldout),
        "reveal_heldout": reveal_heldout,
        "heldout_hidden": 0 if reveal_heldout else sum(not r["passed"] for r in held),
        "target": target,
    }
    if modes:
        out["modes"] = _modes(qa, modes)
        for label, runs in modes.items():
            mode_dev = [r for s, rs in runs.items() if split_of(s) == "dev" for r in rs]
            mode_held = [r for s, rs in runs.items() if split_of(s) == "heldout" for r in rs]
            out["failures"] += [{**f, "mode": label} for f in _failures(mode_dev, mode_held, reveal_heldout)]
            out["heldout_hidden"] += 0 if reveal_heldout else sum(not r["passed"] for r in mode_held)
    if meta:
        out["run"] = meta
    out["gates"] = check_gates(out, gates or DEFAULT_GATES)
    return out


def _failures(dev: list[dict], held: list[dict], reveal_heldout: bool) -> list[dict]:
    return [r for r in dev + (held if reveal_heldout else []) if not r["passed"]]


def _modes(primary: dict[str, list[dict]], others: dict[str, dict[str, list[dict]]]) -> dict:
    """``{suite: {mode: metrics}}`` with the primary (offline) mode first, for a side-by-side table."""
    table: dict[str, dict[str, dict]] = {}
    for label, runs in [("offline", primary), *others.items()]:
        for suite, rs in runs.items():
            table.setdefault(suite, {})[label] = {**metrics(rs), "split": split_of(suite)}
    return table


def check_gates(summary: dict, gates: dict) -> dict:
    """Each configured gate with its measured value and whether it holds (suites not run are skipped)."""
    bs = summary["by_suite"]
    out: dict[str, dict] = {}
    for gate, suite in (("min_numeric", "numeric"), ("min_golden", "golden"), ("min_heldout", "heldout")):
        if gates.get(gate) is not None and suite in bs:
            v = bs[suite]["pass_rate"] or 0.0
            out[gate] = {"limit": gates[gate], "value": v, "ok": v >= gates[gate] - 1e-12}
    if gates.get("max_unverified") is not None and any(k in bs for k in ("numeric", "golden", "heldout")):
        v = summary["unverified_numbers"]
        out["max_unverified"] = {"limit": gates["max_unverified"], "value": v, "ok": v <= gates["max_unverified"]}
    if gates.get("min_retrieval_hit5") is not None and isinstance(bs.get("retrieval"), dict) and "overall" in bs["retrieval"]:
        v = bs["retrieval"]["overall"].get("hit@5") or 0.0
        out["min_retrieval_hit5"] = {"limit": gates["min_retrieval_hit5"], "value": v, "ok": v >= gates["min_retrieval_hit5"]}
    return {"ok": all(g["ok"] for g in out.values()), "checks": out}
