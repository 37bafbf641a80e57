"""ASGI middleware: body limits, CORS in the API's error shape, security headers.

Order (outermost first, see :func:`service.app.create_app`): security headers, CORS, the request
boundary (:mod:`service.errors`), the body limit. So a 413 passes through CORS and carries its
headers, and every response carries the security headers.
"""
from __future__ import annotations

import base64
import hashlib
import json
import re

from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.requests import ClientDisconnect

from .errors import error_body, http_error


class BodyLimitMiddleware:
    """Reject bodies over ``max_bytes`` with 413 (by Content-Length, or while reading a chunked body).

    Hand-written because Starlette's ``RequestBodyLimitMiddleware`` answers in plain text, not
    in the API's error shape, and only exists from Starlette 1.x."""

    def __init__(self, app, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or self.max_bytes <= 0:
            return await self.app(scope, receive, send)
        length = None
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    length = -1
        if length is not None and (length < 0 or length > self.max_bytes):
            return await self._reject(send)
        seen = 0
        rejected = False

        async def limited():
            nonlocal seen, rejected
            if rejected:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    rejected = True
                    await self._reject(send)
                    return {"type": "http.disconnect"}  # the app stops reading; its reply is dropped
            return message

        async def guarded_send(message):
            if not rejected:
                await send(message)

        try:
            return await self.app(scope, limited, guarded_send)
        except ClientDisconnect:
            if rejected:  # the app stopped reading because we cut the body off: already answered 413
                return None
            raise

    async def _reject(self, send):
        body = json.dumps(http_error(413, f"The request body exceeds {self.max_bytes} bytes")).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})  # the rest of the body is not read
        await send({"type": "http.response.body", "body": body})


class ShapedCORSMiddleware(CORSMiddleware):
    """Starlette's CORS, with a rejected preflight answered in the API's error shape (not plain text)."""

    def preflight_response(self, request_headers: Headers):
        response = super().preflight_response(request_headers)
        if response.status_code != 400:
            return response
        what = response.body.decode().removeprefix("Disallowed CORS ")
        headers = {k: v for k, v in response.headers.items() if k.lower().startswith("access-control-")}
        return JSONResponse(error_body(
            "cors_rejected", f"Cross-origin request refused: {what} not allowed",
            "Allowed origins are set by the operator (HARDTECH_CORS_ORIGINS); methods GET, POST; "
            "headers Content-Type, X-API-Key, Authorization."), status_code=400, headers=headers)


PAGES = ("/", "/explore")  # HTML pages: they get the strict CSP
_PAGE_CSP = (b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
             b"connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.S)


def docs_csp(html: bytes) -> bytes:
    """A CSP for the Swagger UI page: its vendored files, and its one inline script by hash
    (so no 'unsafe-inline' for scripts), never framed."""
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(s).digest()).decode()}'"
                      for s in _INLINE_SCRIPT.findall(html))
    return (f"default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'").encode()


class SecurityHeadersMiddleware:
    """nosniff and referrer policy everywhere; a strict CSP and no framing on the chat page,
    its assets and the API docs. (A few fixed headers: not worth a dependency.)"""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        page = path in PAGES or path.startswith("/static/")
        docs = path == "/docs"
        held: dict | None = None

        async def send_with_headers(message):
            nonlocal held
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]
                if page:
                    headers += [(b"content-security-policy", _PAGE_CSP), (b"x-frame-options", b"DENY")]
                message = {**message, "headers": headers}
                if docs:  # the CSP needs the page's inline script: hold the start until the body is here
                    held = message
                    return
            elif docs and held is not None and message["type"] == "http.response.body":
                body = message.get("body", b"")
                held["headers"] += [(b"content-security-policy", docs_csp(body)), (b"x-frame-options", b"DENY")]
                await send(held)
                held = None
            await send(message)

        return await self.app(scope, receive, send_with_headers)


class HeadMiddleware:
    """HEAD is GET without the body (RFC 9110), for every GET route: probes and link checkers use it."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") != "HEAD":
            return await self.app(scope, receive, send)

        async def headers_only(message):
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b""}
            await send(message)

        return await self.app({**scope, "method": "GET"}, receive, headers_only)
