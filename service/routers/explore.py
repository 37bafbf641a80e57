"""The index explorer at ``/explore``: a map, a sortable rankings table and city profiles.

The page is static (``service/static/explore.html`` and its modules) and reads only the
``/api/v1`` routes the portal uses; map outlines and city coordinates are vendored data
under ``service/static/`` (see the README beside them), so it works offline.
"""
from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from .pages import STATIC_DIR

router = APIRouter(include_in_schema=False)


@router.get("/explore")
def explore() -> FileResponse:
    return FileResponse(STATIC_DIR / "explore.html", media_type="text/html; charset=utf-8", headers={"Cache-Control": "no-cache"})
