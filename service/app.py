"""The FastAPI application: :func:`create_app` wires settings, backend, middleware and the routers.

uvicorn runs ``service.app:create_app`` as a factory in every worker. Feedback is in SQLite
(:mod:`service.store`), shared by the workers; rate-limit counters are in the ``limits``
storage (per worker in memory, or shared in Redis); rendered tables and offline answers are
kept per worker (:mod:`service.cache`).
"""
from __future__ import annotations

import contextlib
import logging
import sys

import anyio
from fastapi import APIRouter, Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from hardtech.settings import Settings, get_settings

from . import errors
from .backends import Backend, RealBackend
from .cache import ResponseCache
from .deps import AnswerSlots, ServiceState, guard
from .health import default_checks
from .middleware import BodyLimitMiddleware, HeadMiddleware, SecurityHeadersMiddleware, ShapedCORSMiddleware
from .responses import SafeJSONResponse
from .routers import admin, analysis, assistant, editions, explore, health, openai, pages, retrieval
from .routers.pages import STATIC_DIR
from .security import Guard
from .store import Store
from .warmup import warm_up

log = logging.getLogger("hardtech.service")

API_VERSION = "1"
TABLES_MAX = 20_000  # rendered read responses per worker; keys are real editions and names, so the data bounds them

DESCRIPTION = (
    "Errors always have the shape `{\"error\": {\"code\", \"message\", \"hint\"}}` (plus `suggestions` where there are any). "
    "When `HARDTECH_API_KEYS` is set, `/api/*` and `/v1/*` need `X-API-Key: KEY` or `Authorization: Bearer KEY`. "
    "`/readyz` says `ready`, `degraded` (still serving; a component such as the feedback store or the retrieval "
    "index fails, with the error and the fix) or `not_ready` (503)."
)


def create_app(settings: Settings | None = None, backend: Backend | None = None) -> FastAPI:
    """The application for ``settings`` (default: the environment's) answering with ``backend``
    (default: the real assistant)."""
    settings = settings or get_settings()
    backend = backend or RealBackend(llm=settings.llm)
    guard_ = Guard(settings)  # first: a bad key setting stops here, before anything loads
    deterministic = backend.deterministic()
    store = Store(settings.home / "service.sqlite3")
    state = ServiceState(
        settings=settings, backend=backend, store=store, guard=guard_,
        slots=AnswerSlots(settings.ask_concurrency or (1 if deterministic else 16)),  # 1: an offline answer is CPU-bound
        tables=ResponseCache(TABLES_MAX),
        answers=ResponseCache(settings.answer_cache) if settings.answer_cache > 0 and deterministic else None,
        readiness=default_checks(store, backend),
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        if settings.gil_switch_ms > 0:  # process-wide: only set in a server worker (hardtech serve)
            sys.setswitchinterval(settings.gil_switch_ms / 1000)
        if settings.warmup:
            info = await anyio.to_thread.run_sync(warm_up, state)
            log.info("worker warmed up in %s s (%s warm-up calls refused)", info["seconds"], info["failed"])
        yield

    app = FastAPI(title="hardtech", version=f"{API_VERSION}.0", description=DESCRIPTION,
                  summary="Chinese city hard-tech (硬科技) innovation indices: scores, ranks, tiers, explanations, search and cited Q&A.",
                  docs_url=None, redoc_url=None, default_response_class=SafeJSONResponse, lifespan=lifespan)
    app.state.service = state
    errors.install(app)

    # Outermost last: headers on every response, HEAD as GET, CORS (so a 413 carries its headers),
    # the request boundary, then the body limit.
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(errors.RequestBoundaryMiddleware)
    if settings.cors_origins:
        app.add_middleware(
            ShapedCORSMiddleware, allow_origins=list(settings.cors_origins), allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Content-Type", "X-API-Key", "Authorization"], allow_credentials=False, max_age=600,
        )
    app.add_middleware(HeadMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)

    api_v1 = APIRouter(prefix=f"/api/v{API_VERSION}", dependencies=[Depends(guard)])
    for resource in (editions, analysis, retrieval, assistant, admin):
        api_v1.include_router(resource.router)
    app.include_router(api_v1)
    app.include_router(openai.router, dependencies=[Depends(guard)])
    app.include_router(health.router)
    app.include_router(pages.router)
    app.include_router(explore.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
