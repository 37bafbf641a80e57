"""What one app instance holds (:class:`ServiceState`), and the typed dependencies routes declare.

Routes never reach for module globals: they ask for ``SettingsDep``, ``BackendDep``,
``StateDep``; every ``/api`` and ``/v1`` route runs :func:`guard` first.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any, Callable

import anyio
from fastapi import Depends, Request

from hardtech.settings import Settings
from index_core import api, catalog

from .backends import Backend
from .cache import ResponseCache
from .health import ReadinessCheck
from .security import Guard
from .store import Store


class AnswerSlots:
    """At most ``n`` answers computed at once per worker. The rest wait here (no thread, no GIL)
    instead of crowding the threadpool that the cheap endpoints use."""

    def __init__(self, n: int):
        self.n = n
        self._limiter: anyio.CapacityLimiter | None = None  # made on first use, inside the worker's event loop

    async def run(self, fn: Callable[[], Any]) -> Any:
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(self.n)
        return await anyio.to_thread.run_sync(fn, limiter=self._limiter)


@dataclass
class ServiceState:
    settings: Settings
    backend: Backend
    store: Store
    guard: Guard
    slots: AnswerSlots
    tables: ResponseCache  # rendered responses of the read endpoints; bounded by the data
    answers: ResponseCache | None  # offline answers; None when off or when answers are not deterministic
    readiness: list[ReadinessCheck] = field(default_factory=list)
    data_stamp: int = field(default_factory=catalog.stamp)  # the user editions this worker has loaded

    def follow_data(self, force: bool = False) -> dict | None:
        """Reload the editions (and forget every cached table and answer) when a user edition was
        added or removed since this worker last looked, or when ``force``d; else ``None``.

        One ``stat`` per request: that is how every worker of ``hardtech serve`` follows a
        ``hardtech edition add`` or an admin reload that reached another worker."""
        now = catalog.stamp()
        if not force and now == self.data_stamp:
            return None
        result = api.reload()  # also runs the assistant's and retrieval's reload hooks
        self.tables.clear()
        if self.answers is not None:
            self.answers.clear()
        self.data_stamp = now
        return result


def _state(request: Request) -> ServiceState:
    return request.app.state.service


def _settings(request: Request) -> Settings:
    return request.app.state.service.settings


def _backend(request: Request) -> Backend:
    return request.app.state.service.backend


StateDep = Annotated[ServiceState, Depends(_state)]
SettingsDep = Annotated[Settings, Depends(_settings)]
BackendDep = Annotated[Backend, Depends(_backend)]


async def guard(request: Request) -> None:
    """API key and rate limit (see :class:`service.security.Guard`), then editions up to date."""
    state: ServiceState = request.app.state.service
    await state.guard(request)
    state.follow_data()
