"""Warm a worker before it accepts requests: load everything that loads lazily (editions, jieba,
the embedding model, the chunk index) once, in one thread, and render every edition's scores.
The questions are data: ``warmup.yaml``."""
from __future__ import annotations

import time
from pathlib import Path

from index_core import io
from index_core.errors import HardtechError

from .cache import data_version
from .deps import ServiceState
from .routers.editions import render_editions, render_scores

PLAN = Path(__file__).resolve().parent / "warmup.yaml"


def warm_up(state: ServiceState) -> dict:
    """``{"seconds", "failed"}``: how long it took, and how many warm-up calls the product refused
    (a refusal is reported, not fatal: the endpoints report real errors)."""
    plan = io.load_yaml(PLAN.read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    for edition in io.edition_ids():
        for fmt in ("json", "csv"):
            state.tables.compute(("table", edition, fmt), render_scores, edition, fmt)
    state.tables.compute(("editions",), render_editions)
    failed = 0
    try:
        state.backend.search(plan["search"], 3, None, None)
    except HardtechError:
        failed += 1
    for question in plan["questions"]:
        try:
            state.backend.ask(question, None)
        except HardtechError:
            failed += 1
    data_version()
    return {"seconds": round(time.perf_counter() - t0, 2), "failed": failed}
