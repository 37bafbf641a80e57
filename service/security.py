"""API keys, per-key rate limits (SQLite, shared by all workers), body limits, headers."""
from __future__ import annotations

import hmac
import json

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from .config import Settings
from .errors import ServiceError, error_body
from .store import Store, client_id


def _presented_key(request: Request) -> str | None:
    key = request.headers.get("x-api-key")
    if key:
        return key.strip()
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip()
    return None


def guard_factory(settings: Settings, store: Store):
    """A dependency: check the API key (when keys are configured), then count the request.

    It is ``async``: it runs on the event loop, so a cheap read never waits for a
    threadpool slot (or the GIL) behind CPU-bound answers. The SQLite hit is tried
    without waiting; only when another worker holds the write lock does it move to a thread.
    """
    keys = [k.encode("utf-8") for k in settings.api_keys]

    async def guard(request: Request) -> None:
        if keys:
            presented = _presented_key(request)
            if not presented:
                raise ServiceError(401, "unauthorized", "An API key is required",
                                   hint="Send it as `X-API-Key: KEY` or `Authorization: Bearer KEY`.",
                                   headers={"WWW-Authenticate": 'Bearer realm="hardtech"'})
            p = presented.encode("utf-8")
            if not any(hmac.compare_digest(p, k) for k in keys):
                raise ServiceError(401, "unauthorized", "The API key is not valid",
                                   hint="Check the key; keys are set by the operator in HARDTECH_API_KEYS.",
                                   headers={"WWW-Authenticate": 'Bearer realm="hardtech"'})
            who = "key:" + client_id(presented)
        else:
            who = "addr:" + client_id(request.client.host if request.client else "unknown")
        request.state.client_id = who
        limit = settings.rate_limit_per_minute
        if limit > 0:
            counted = store.try_hit(who, limit)
            if counted is None:  # locked by another worker: wait for it off the event loop
                counted = await run_in_threadpool(store.hit, who, limit)
            allowed, _remaining, reset = counted
            if not allowed:
                raise ServiceError(429, "rate_limited", f"More than {limit} requests in a minute",
                                   hint=f"Retry after {reset} s (limit: HARDTECH_RATE_LIMIT per minute per key).",
                                   headers={"Retry-After": str(reset)})

    return guard


class BodyLimitMiddleware:
    """Reject bodies over ``max_bytes`` with 413 (by Content-Length, or while reading a chunked body)."""

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
        except Exception:
            if rejected:  # the app failed because we cut the body off: already answered 413
                return None
            raise

    async def _reject(self, send):
        body = json.dumps(error_body("payload_too_large", f"The request body exceeds {self.max_bytes} bytes",
                                     "Send less (limit: HARDTECH_MAX_BODY_BYTES).")).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


_PAGE_CSP = (b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
             b"connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")


class SecurityHeadersMiddleware:
    """nosniff and referrer policy everywhere; a strict CSP on the chat page."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-content-type-options", b"nosniff"))
                headers.append((b"referrer-policy", b"no-referrer"))
                if path == "/" or path.startswith("/static/"):
                    headers.append((b"content-security-policy", _PAGE_CSP))
                    headers.append((b"x-frame-options", b"DENY"))
                message = {**message, "headers": headers}
            await send(message)

        return await self.app(scope, receive, send_with_headers)
