"""One error shape for every failure: ``{"error": {"code", "message", "hint", ...}}``.

Statuses come from :data:`ERRORS`, a table keyed by exception class: an exception takes the
entry of the nearest class in its MRO (as httpx maps httpcore's exceptions), so a subclass
refines its parent. The service's own :class:`ServiceError` carries its status. Anything not
in the table is a 500 ``internal_error``: logged once, with its traceback, by
:class:`RequestBoundaryMiddleware`, and never shown to the client.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from assistant.retrieval import errors as retrieval_errors
from assistant.retrieval import integrity as retrieval_integrity
from index_core import errors as core

log = logging.getLogger("hardtech.service")


class ServiceError(Exception):
    """An error the service raises itself, with its HTTP status."""

    def __init__(self, status: int, code: str, message: str, *, hint: str | None = None,
                 suggestions: list[str] | None = None, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.hint = status, code, message, hint
        self.suggestions = suggestions or []
        self.headers = headers

    def to_dict(self) -> dict:
        d = {"code": self.code, "message": self.message, "hint": self.hint}
        if self.suggestions:
            d["suggestions"] = self.suggestions
        return d


@dataclass(frozen=True)
class Mapped:
    """How the API reports one exception class: its status, and a code and hint when the class has none."""

    status: int
    code: str | None = None
    hint: str | None = None


ERRORS: dict[type[BaseException], Mapped] = {
    core.HardtechError: Mapped(422),  # bad input, in general
    core.UnknownEntityError: Mapped(404),
    core.UnknownEditionError: Mapped(404),
    core.EntityNotInEditionError: Mapped(404),  # the resource is not there
    core.NotAvailableError: Mapped(409),  # the edition exists, but its data cannot answer this
    retrieval_errors.InvalidQueryError: Mapped(422),
    retrieval_errors.UnknownFilterError: Mapped(422),
    retrieval_errors.UnknownEditionError: Mapped(404, "unknown_edition", "GET /api/v1/editions lists the editions."),
    retrieval_errors.UnknownEntityFilterError: Mapped(404, "unknown_entity", "Use a Chinese or English city name, e.g. 深圳 or Shenzhen."),
    retrieval_errors.UnknownDocumentError: Mapped(404, "unknown_document", "Use a source_file from a citation or a search result."),
    # The server cannot search now; the request is fine (the messages say what broke, the hints how to fix it).
    retrieval_errors.IndexMissingError: Mapped(503, "retrieval_unavailable"),
    retrieval_errors.IndexCorruptError: Mapped(503, "retrieval_unavailable"),
    retrieval_errors.ChromaUnreachableError: Mapped(503, "retrieval_unavailable"),
    retrieval_errors.EmbeddingBackendError: Mapped(503, "retrieval_unavailable"),
    retrieval_integrity.IndexWriteError: Mapped(503, "retrieval_unavailable"),  # a worker could not build a missing index
}

INTERNAL = Mapped(500, "internal_error")


def mapped(exc: BaseException) -> Mapped:
    if isinstance(exc, ServiceError):
        return Mapped(exc.status, exc.code, exc.hint)
    return next((ERRORS[cls] for cls in type(exc).__mro__ if cls in ERRORS), INTERNAL)


def status_for(exc: BaseException) -> int:
    """HTTP status for an exception (see :data:`ERRORS`)."""
    return mapped(exc).status


def error_body(code: str, message: str, hint: str | None = None, **extra: Any) -> dict:
    return {"error": {"code": code, "message": message, "hint": hint, **{k: v for k, v in extra.items() if v not in (None, [])}}}


def _snake(name: str) -> str:
    out = "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")
    return out.removesuffix("_error") or "error"


def error_dict(exc: ServiceError | core.HardtechError) -> dict:
    """The ``error`` object of a mapped exception: code, message, hint, and suggestions, where, problems."""
    if isinstance(exc, ServiceError):
        return exc.to_dict()
    entry, raw = mapped(exc), exc.to_dict()
    d: dict[str, Any] = {"code": entry.code or raw["code"], "message": raw["message"] or str(exc),
                         "hint": raw.get("hint") or entry.hint}
    if d["code"] == core.HardtechError.code:  # a class without its own code
        d["code"] = _snake(type(exc).__name__)
    for key in ("suggestions", "where", "problems"):
        if raw.get(key):
            d[key] = raw[key]
    if "problems" in d:
        d["problems"] = [{k: (v if isinstance(v, (str, int, float, bool, type(None))) else str(v)) for k, v in p.items()}
                         for p in d["problems"]]
    return d


INTERNAL_ERROR = error_body("internal_error", "The server hit an unexpected error; it has been logged.",
                            "Retry; if it persists, report the request to the operators.")


def error_response(exc: ServiceError | core.HardtechError) -> JSONResponse:
    headers = exc.headers if isinstance(exc, ServiceError) else None
    return JSONResponse({"error": error_dict(exc)}, status_code=status_for(exc), headers=headers)


def _validation_message(errors: list[dict]) -> tuple[str, list[dict]]:
    details = [{"loc": [str(x) for x in e.get("loc", ())], "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
               for e in errors]
    first = details[0] if details else {"loc": [], "msg": "invalid request"}
    where = ".".join(x for x in first["loc"] if x != "body") or "request"
    more = f" (and {len(details) - 1} more)" if len(details) > 1 else ""
    return f"Invalid {where}: {first['msg']}{more}", details


HTTP_ERRORS: dict[int, tuple[str, str]] = {  # status -> (code, hint) for errors raised by the framework, not by us
    400: ("bad_request", "Send a UTF-8 JSON body (nested at most a few hundred levels) as /docs shows, "
                         "with Content-Type: application/json."),
    401: ("unauthorized", "Send an API key as `X-API-Key: KEY` or `Authorization: Bearer KEY`."),
    403: ("forbidden", "This resource is not available to this client."),
    404: ("not_found", "See /docs for the API."),
    405: ("method_not_allowed", "See /docs for the methods each path takes."),
    408: ("request_timeout", "Send the whole request promptly (limit: HARDTECH_REQUEST_TIMEOUT seconds)."),
    413: ("payload_too_large", "Send less (limit: HARDTECH_MAX_BODY_BYTES)."),
    415: ("unsupported_media_type", "Send Content-Type: application/json."),
    429: ("rate_limited", "Slow down; see the Retry-After header."),
}


def http_error(status: int, message: str) -> dict:
    """The error body for a framework-level status (see :data:`HTTP_ERRORS`)."""
    code, hint = HTTP_ERRORS.get(status, (f"http_{status}", "See /docs for the API."))
    return error_body(code, message, hint)


def install(app: FastAPI) -> None:
    """The exception handlers (the app adds :class:`RequestBoundaryMiddleware` with its other middleware)."""

    async def mapped_error(request: Request, exc: Exception) -> JSONResponse:
        return error_response(exc)  # type: ignore[arg-type]

    app.add_exception_handler(ServiceError, mapped_error)
    app.add_exception_handler(core.HardtechError, mapped_error)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        msg, details = _validation_message(list(exc.errors()))
        return JSONResponse(error_body("invalid_request", msg, "Check the parameters against /docs.", details=details),
                            status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        msg = exc.detail if isinstance(exc.detail, str) else "Request failed"
        if exc.status_code == 400 and msg == "There was an error parsing the body":  # FastAPI's words for all of these
            msg = "The request body could not be read: it is not UTF-8 JSON, or it nests too deeply"
        return JSONResponse(http_error(exc.status_code, msg), status_code=exc.status_code, headers=getattr(exc, "headers", None))


class RequestBoundaryMiddleware:
    """The request boundary: an exception no handler maps is logged here, once, with its traceback,
    and answered with a 500 ``internal_error`` that shows nothing of it. It does not propagate,
    so the server does not log it a second time. (Hand-written because Starlette's own
    ``ServerErrorMiddleware`` re-raises after its handler, and uvicorn then logs the error again.)"""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def tracking_send(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except ClientDisconnect:  # the client went away mid-request: nobody to answer, nothing to log
            log.info("client disconnected during %s %s", scope.get("method"), scope.get("path"))
        except Exception:  # noqa: BLE001 - the request boundary
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if started:  # a streamed response was under way: it ends here
                return
            body = json.dumps(INTERNAL_ERROR).encode()
            await send({"type": "http.response.start", "status": 500,
                        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
