"""Readiness as a list of components: ``/readyz`` runs each :class:`ReadinessCheck` and tells the truth.

A component reports ``ok``, ``degraded`` (it works partly, or a fault will bite on restart),
``error`` (it does not work) or ``off`` (not configured), with ``error`` and ``hint`` saying what
is wrong and how to fix it. The service is

* ``ready`` (200) when every component is ``ok`` or ``off``;
* ``degraded`` (200: it still serves, so a load balancer keeps it) when only optional components
  fail: the feedback store (a full or read-only disk), the retrieval index, the LLM;
* ``not_ready`` (503) when a required one fails: the editions, without which nothing works.

A new component is one more entry in ``ServiceState.readiness``; the route does not change.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from assistant import retrieval
from index_core import api
from index_core.errors import HardtechError

from .backends import Backend
from .store import Store

log = logging.getLogger("hardtech.service")

PROBE_QUERY = "硬科技"  # any query the reports answer: the probe needs one passage back
FAILING = ("error", "degraded")


@dataclass
class ReadinessCheck:
    """One component. ``check()`` returns its report (``status`` defaults to ``ok``) or raises one
    of ``failures`` (reported as ``error``); anything else is a bug and propagates. A result is
    reused for ``ttl`` seconds (the probes of retrieval and of the LLM cost a query)."""

    name: str
    check: Callable[[], dict]
    failures: tuple[type[BaseException], ...] = ()
    required: bool = True
    ttl: float = 0.0
    _cached: tuple[float, dict] | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def run(self) -> dict:
        with self._lock:  # one probe at a time; concurrent callers reuse its result
            now = time.monotonic()
            if self._cached and now - self._cached[0] < self.ttl:
                return self._cached[1]
            try:
                report = {"status": "ok", **self.check()}
            except self.failures as exc:
                log.warning("readiness: %s failed: %s", self.name, exc)
                report = {"status": "error", "error": f"{type(exc).__name__}: {exc}"[:300]}
            if not self.required:
                report["required"] = False
            self._cached = (now, report)
            return report


def _editions() -> dict:
    """Every shipped edition loads and evaluates."""
    eds = api.list_editions()
    for e in eds:
        api.result(e["id"])
    return {"count": len(eds), "ids": [e["id"] for e in eds]}


class RetrievalHealth:
    """The retrieval index as users meet it: one probe search through the serving searcher, and
    the integrity of the files on disk (checked again whenever they change).

    ``error``: search fails (it answers 503 with the fix). ``degraded``: search works from the copy
    this worker loaded, but the index on disk is broken, so a restart or a new worker would fail."""

    def __init__(self, backend: Backend):
        self.backend = backend
        self._signature: dict | None = None
        self._disk: dict = {}

    def __call__(self) -> dict:
        state = retrieval.index_state()
        if state == "missing":  # never build from a serving worker: `serve` builds before workers start
            return {"status": "error", "error": "the retrieval index is not built",
                    "hint": "Run `hardtech index build` (or restart `hardtech serve`, which builds it)."}
        report: dict[str, Any] = {"status": "ok", "index": state}
        if state != "chroma":
            signature = retrieval.integrity.signature()
            if signature != self._signature or self._disk.get("chroma") == "being written":  # its writer may die
                self._disk, self._signature = retrieval.integrity.verify(probe=False).to_dict(), signature
            report["build_id"] = self._disk.get("build_id")
            if self._disk.get("chroma") == "being written":  # searches need only vectors.npy; the store follows
                report["chroma"] = "being written"
        try:
            hits = self.backend.search(PROBE_QUERY, 1, None, None)["results"]
        except HardtechError as exc:
            d = exc.to_dict()
            return {**report, "status": "error", "error": d["message"], "hint": d.get("hint")}
        if not hits:
            return {**report, "status": "error", "error": "a probe search found no passage",
                    "hint": "Rebuild the index: hardtech index build --force"}
        if self._disk.get("status") == "error":
            works = "from the index's own vectors" if self._disk.get("chroma") == "damaged" else "from the copy this worker loaded"
            return {**report, "status": "degraded", "error": f"the index on disk is broken: {self._disk['error']} "
                    f"(search still works {works})", "hint": self._disk.get("hint")}
        return report


def _llm() -> dict:
    from assistant.llm import health

    return health()


def default_checks(store: Store, backend: Backend) -> list[ReadinessCheck]:
    """Editions are required; the feedback store, retrieval and the LLM are optional."""
    return [
        ReadinessCheck("editions", _editions, (HardtechError, OSError)),
        ReadinessCheck("store", store.check, required=False),
        ReadinessCheck("retrieval", RetrievalHealth(backend), required=False, ttl=2.0),
        ReadinessCheck("llm", _llm, required=False, ttl=10.0),
    ]


def readiness(checks: list[ReadinessCheck]) -> tuple[int, dict]:
    """(HTTP status, ``{"status": "ready"|"degraded"|"not_ready", "checks": {name: report}}``)."""
    report = {c.name: c.run() for c in checks}
    down = [c for c in checks if report[c.name]["status"] in FAILING]
    if any(c.required for c in down):
        return 503, {"status": "not_ready", "checks": report}
    return 200, {"status": "degraded" if down else "ready", "checks": report}


def component(checks: list[ReadinessCheck], name: str) -> dict:
    """The (cached) report of one component, e.g. whether retrieval works right now."""
    return next(c for c in checks if c.name == name).run()
