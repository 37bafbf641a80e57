"""Retrieval: hybrid search over the source reports, and a cited passage with its surrounding lines."""
from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Query

from index_core.errors import HardtechError
from index_core.inputs import SEARCH_K

from ..deps import BackendDep, SettingsDep
from ..errors import ServiceError

router = APIRouter(tags=["retrieval"])


@router.get("/search", summary="Hybrid search over the source reports")
def search(backend: BackendDep, settings: SettingsDep, q: str = Query(..., min_length=1, description="Limit: HARDTECH_MAX_QUESTION_CHARS."),
           k: int = Query(5, description=f"Passages, {SEARCH_K.low} to {SEARCH_K.high} (checked as `hardtech search --k` is).",
                          json_schema_extra={"minimum": SEARCH_K.low, "maximum": SEARCH_K.high}), edition: Optional[str] = Query(None, max_length=100),
           city: Optional[str] = Query(None, max_length=100)) -> dict:
    if not q.strip():
        raise ServiceError(422, "invalid_request", "The query is empty", hint="Pass ?q=..., e.g. ?q=深圳 创新基础")
    if len(q) > settings.max_question_chars:
        raise ServiceError(422, "invalid_request", f"The query has {len(q)} characters; the limit is {settings.max_question_chars}",
                           hint="Shorten the query (limit: HARDTECH_MAX_QUESTION_CHARS).")
    return backend.search(q, SEARCH_K.check(k), edition or None, city or None)


@router.get("/passages", summary="A cited passage with its surrounding lines")
def passages(backend: BackendDep, source_file: str = Query(..., min_length=1, max_length=300),
             first: int = Query(..., ge=1, le=10_000_000), last: int = Query(..., ge=1, le=10_000_000),
             context: int = Query(3, ge=0, le=50)) -> dict:
    if last < first:
        raise ServiceError(422, "invalid_range", f"last ({last}) is before first ({first})", hint="Pass first <= last.")
    try:
        return backend.passage(source_file, first, last, context)
    except HardtechError:  # an unknown document: mapped by the error table
        raise
    except ValueError as exc:  # the range is outside the file
        raise ServiceError(422, "invalid_range", str(exc)[:300], hint="Use a line range inside the file.") from None
