"""One error shape for every failure: ``{"error": {"code", "message", "hint", ...}}``.

Status codes (``index_core.errors`` → HTTP):

====================================================  ======  ==================================
``UnknownEntityError``, ``UnknownEditionError``        404     with ``suggestions``
``NotAvailableError`` for an entity not in an edition  404     ``not_available`` (the resource
                                                               is not there), with ``suggestions``
``NotAvailableError`` otherwise                        409     the edition exists but its data
                                                               cannot answer this (e.g. tiers of
                                                               an edition without tiers)
``DataValidationError``, ``SpecError``,                422
``UnknownDimensionError``, request validation
unknown document / bad line range (passages)           404/422
body too large                                         413
missing or wrong API key                               401
rate limit                                             429     with ``Retry-After``
assistant or retrieval not installed/built             503
anything else                                          500     ``internal_error``, no details
====================================================  ======  ==================================
"""
from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger("hardtech.service")


class ServiceError(Exception):
    """An error the service raises itself, with its HTTP status."""

    def __init__(self, status: int, code: str, message: str, *, hint: str | None = None,
                 suggestions: list[str] | None = None, headers: dict[str, str] | None = None, **extra: Any):
        super().__init__(message)
        self.status, self.code, self.message, self.hint = status, code, message, hint
        self.suggestions = suggestions or []
        self.headers = headers
        self.extra = extra

    def to_dict(self) -> dict:
        d = {"code": self.code, "message": self.message, "hint": self.hint}
        if self.suggestions:
            d["suggestions"] = self.suggestions
        d.update(self.extra)
        return d


def error_body(code: str, message: str, hint: str | None = None, **extra: Any) -> dict:
    return {"error": {"code": code, "message": message, "hint": hint, **{k: v for k, v in extra.items() if v not in (None, [])}}}


def status_for(exc: BaseException) -> int:
    """HTTP status for a product error (see the module docstring)."""
    from index_core import errors as E

    if isinstance(exc, ServiceError):
        return exc.status
    if isinstance(exc, (E.UnknownEntityError, E.UnknownEditionError)):
        return 404
    if isinstance(exc, E.NotAvailableError):
        return 404 if getattr(exc, "entity_scope", False) else 409
    if isinstance(exc, (E.DataValidationError, E.SpecError, E.UnknownDimensionError)):
        return 422
    try:  # the retrieval layer's errors
        from vectorstore import errors as V

        if isinstance(exc, V.UnknownDocumentError):
            return 404
        if isinstance(exc, V.UnknownFilterError):
            return 404 if getattr(exc, "kind", "") in ("edition", "entity", "document") else 422
        if isinstance(exc, V.InvalidQueryError):
            return 422
        if isinstance(exc, (V.IndexMissingError, V.IndexCorruptError, V.ChromaUnreachableError, V.EmbeddingBackendError)):
            return 503
    except Exception:  # noqa: BLE001 - retrieval layer absent
        pass
    if isinstance(exc, E.HardtechError):
        return 422
    return 500


def product_error_dict(exc: BaseException) -> dict:
    """The ``error`` object for a product exception: code, message, hint, suggestions, where."""
    if isinstance(exc, ServiceError):
        return exc.to_dict()
    d: dict[str, Any]
    if hasattr(exc, "to_dict"):
        raw = exc.to_dict()
        d = {"code": raw.get("code"), "message": raw.get("message") or str(exc), "hint": raw.get("hint")}
        for k in ("suggestions", "where", "problems"):
            if raw.get(k):
                d[k] = raw[k]
    else:
        d = {"code": getattr(exc, "code", "invalid_request"), "message": str(exc), "hint": getattr(exc, "hint", None)}
        if getattr(exc, "suggestions", None):
            d["suggestions"] = list(exc.suggestions)
    kind = getattr(exc, "kind", None)  # the retrieval layer's filter errors: unknown_edition/entity/document
    if isinstance(kind, str) and kind in ("edition", "entity", "document"):
        d["code"] = f"unknown_{kind}"
        if not d.get("hint"):
            d["hint"] = {"edition": "GET /api/v1/editions lists the editions.",
                         "entity": "Use a Chinese or English city name, e.g. 深圳 or Shenzhen.",
                         "document": "Use a source_file from a citation or a search result."}.get(kind)
    if d.get("code") in (None, "hardtech_error"):
        d["code"] = _snake(type(exc).__name__)
    if "problems" in d:
        d["problems"] = [{k: (v if isinstance(v, (str, int, float, bool, type(None))) else str(v)) for k, v in p.items()}
                         for p in d["problems"]]
    return d


def _snake(name: str) -> str:
    out = "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")
    return out.removesuffix("_error") or "error"


def error_response(exc: BaseException) -> JSONResponse:
    status = status_for(exc)
    if status >= 500 and status != 503:
        return internal_error_response()
    headers = getattr(exc, "headers", None) if isinstance(exc, ServiceError) else None
    return JSONResponse({"error": product_error_dict(exc)}, status_code=status, headers=headers)


def internal_error_response() -> JSONResponse:
    return JSONResponse(error_body("internal_error", "The server hit an unexpected error; it has been logged.",
                                   "Retry; if it persists, report the request to the operators."), status_code=500)


def _validation_message(errors: list[dict]) -> tuple[str, list[dict]]:
    details = []
    for e in errors:
        loc = [str(x) for x in e.get("loc", ())]
        details.append({"loc": loc, "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))})
    first = details[0] if details else {"loc": [], "msg": "invalid request"}
    where = ".".join(x for x in first["loc"] if x not in ("body",)) or "request"
    more = f" (and {len(details) - 1} more)" if len(details) > 1 else ""
    return f"Invalid {where}: {first['msg']}{more}", details


def install(app: FastAPI) -> None:
    from index_core.errors import HardtechError

    @app.exception_handler(ServiceError)
    async def _service(request: Request, exc: ServiceError):
        return error_response(exc)

    @app.exception_handler(HardtechError)
    async def _product(request: Request, exc: HardtechError):
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        msg, details = _validation_message(list(exc.errors()))
        return JSONResponse(error_body("invalid_request", msg, "Check the parameters against /docs.", details=details),
                            status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        codes = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized", 413: "payload_too_large",
                 429: "rate_limited"}
        code = codes.get(exc.status_code, f"http_{exc.status_code}")
        msg = exc.detail if isinstance(exc.detail, str) else "Request failed"
        hint = "See /docs for the API." if exc.status_code in (404, 405) else None
        return JSONResponse(error_body(code, msg, hint), status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _any(request: Request, exc: Exception):
        if status_for(exc) not in (500,):
            return error_response(exc)
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return internal_error_response()
