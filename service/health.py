"""Readiness as a list of components: ``/readyz`` runs each :class:`ReadinessCheck` and is ready
when every required one passes. A new component (disk space, index integrity ...) is one more
entry in ``ServiceState.readiness``; the route does not change."""
from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from typing import Callable

from index_core import api
from index_core.errors import HardtechError

from .backends import Backend
from .store import Store

log = logging.getLogger("hardtech.service")

@dataclass(frozen=True)
class ReadinessCheck:
    """One component. ``check()`` returns details for the report, or raises one of ``failures``
    (reported as ``{"status": "error", "error": <type>}``); anything else is a bug and propagates."""

    name: str
    check: Callable[[], dict]
    failures: tuple[type[BaseException], ...]
    required: bool = True

    def run(self) -> tuple[bool, dict]:
        try:
            return True, {"status": "ok", **self.check()}
        except self.failures as exc:
            log.warning("readiness: %s failed", self.name, exc_info=True)
            return False, {"status": "error", "error": type(exc).__name__}


def _editions() -> dict:
    """Every shipped edition loads and evaluates."""
    eds = api.list_editions()
    for e in eds:
        api.result(e["id"])
    return {"count": len(eds), "ids": [e["id"] for e in eds]}


def default_checks(store: Store, backend: Backend) -> list[ReadinessCheck]:
    """Editions and the feedback store are required; the backend's components are informative."""
    def component(name: str) -> ReadinessCheck:
        return ReadinessCheck(name, lambda: {"status": backend.status().get(name, "unknown")}, (), required=False)

    return [
        ReadinessCheck("editions", _editions, (HardtechError, OSError)),
        ReadinessCheck("store", lambda: store.check() or {}, (sqlite3.Error, OSError)),
        component("assistant"),
        component("retrieval"),
    ]


def readiness(checks: list[ReadinessCheck]) -> tuple[bool, dict]:
    """(ready, ``{"status": "ready"|"not_ready", "checks": {name: details}}``)."""
    ok, report = True, {}
    for c in checks:
        passed, report[c.name] = c.run()
        ok = ok and (passed or not c.required)
    return ok, {"status": "ready" if ok else "not_ready", "checks": report}
