"""Probes: liveness (``/healthz``) and readiness (``/readyz``, one entry per component; see :mod:`service.health`)."""
from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from ..deps import StateDep
from ..health import readiness

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Liveness")
async def healthz() -> dict:
    return {"status": "ok"}


@router.get("/readyz", summary="Readiness: ready, degraded (an optional component fails; still serving) or not_ready (503)",
            responses={503: {"description": "A required component (the editions) fails."}})
def readyz(state: StateDep) -> JSONResponse:
    status, report = readiness(state.readiness)
    return JSONResponse(report, status_code=status)
