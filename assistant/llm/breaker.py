"""A circuit breaker per model endpoint: after ``llm_breaker_failures`` consecutive failed
requests it opens, and requests fail at once (the caller answers offline) until
``llm_breaker_cooldown`` seconds pass; then one trial request decides (half-open).

So one outage costs the first few users a timeout, not every user. State is per process.
"""
from __future__ import annotations

import threading
import time
from typing import Callable

from hardtech.settings import get_settings

from .errors import LLMFailure


class Breaker:
    def __init__(self, failures: int, cooldown: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.threshold, self.cooldown, self.clock = failures, cooldown, clock
        self.failures = 0
        self.opened_at: float | None = None
        self.trial = False  # a half-open trial request is in flight
        self.last: LLMFailure | None = None
        self._lock = threading.Lock()

    @property
    def state(self) -> str:
        if self.opened_at is None:
            return "closed"
        return "half_open" if self.clock() - self.opened_at >= self.cooldown else "open"

    def check(self) -> None:
        """Raise ``LLMFailure('breaker_open')`` unless a request may go out now."""
        with self._lock:
            state = self.state
            if state == "closed":
                return
            if state == "half_open" and not self.trial:
                self.trial = True
                return
            wait = max(0.0, self.cooldown - (self.clock() - (self.opened_at or 0.0)))
            last = self.last.describe() if self.last else "failures"
            raise LLMFailure("breaker_open", f"after {self.failures} failed requests, last: {last}; "
                                             f"next try in {wait:.0f} s")

    def success(self) -> None:
        with self._lock:
            self.failures, self.opened_at, self.trial, self.last = 0, None, False, None

    def failure(self, failure: LLMFailure) -> None:
        if not failure.counts:
            return
        with self._lock:
            self.failures += 1
            self.last = failure
            if self.trial or self.failures >= self.threshold:
                self.opened_at, self.trial = self.clock(), False

    def status(self) -> dict:
        return {"state": self.state, "consecutive_failures": self.failures,
                "last_failure": self.last.to_dict() if self.last else None}


_breakers: dict[str, Breaker] = {}
_registry_lock = threading.Lock()


def breaker_for(key: str) -> Breaker:
    """The process's breaker for one endpoint (provider, base URL and model)."""
    with _registry_lock:
        if key not in _breakers:
            s = get_settings()
            _breakers[key] = Breaker(s.llm_breaker_failures, s.llm_breaker_cooldown)
        return _breakers[key]


def reset_breakers() -> None:
    """Forget every breaker (tests; after reconfiguring the endpoint)."""
    with _registry_lock:
        _breakers.clear()
