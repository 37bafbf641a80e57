"""Operator actions: ``POST /api/v1/admin/reload`` (pick up editions added or removed with
``hardtech edition add|remove`` without a restart)."""
from __future__ import annotations

from fastapi import APIRouter

from ..deps import StateDep
from ..errors import ServiceError

router = APIRouter(prefix="/admin", tags=["admin"])


@router.post("/reload", summary="Reload the editions (API key required)",
             responses={403: {"description": "No API keys are configured, so no one may call admin routes."}})
def reload(state: StateDep) -> dict:
    """Forget every cached table and answer and read the editions again. Returns the edition ids
    now served. Other workers follow on their next request (they watch the user editions folder)."""
    if not state.settings.api_keys:  # the guard let the caller in only because no keys exist
        raise ServiceError(403, "admin_needs_api_key", "Admin routes need an API key, and the service has none",
                           hint="Start the service with HARDTECH_API_KEYS=<a key of 16+ characters> and send it as X-API-Key; "
                                "or restart the service to pick up new editions.")
    return state.follow_data(force=True)
