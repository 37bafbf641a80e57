"""Probes: liveness (``/healthz``) and readiness (``/readyz``, one entry per component)."""
from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from ..deps import StateDep
from ..health import readiness

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Liveness")
async def healthz() -> dict:
    return {"status": "ok"}


@router.get("/readyz", summary="Readiness: every required component works (editions evaluate, the store opens)")
def readyz(state: StateDep) -> JSONResponse:
    ok, report = readiness(state.readiness)
    return JSONResponse(report, status_code=200 if ok else 503)
