"""API keys, per-key rate limits (the ``limits`` library), body limits, security headers."""
from __future__ import annotations

import hashlib
import hmac
import json
import math
import time

from fastapi import Request
from starlette.requests import ClientDisconnect
from limits import RateLimitItemPerMinute
from limits.aio.strategies import FixedWindowRateLimiter
from limits.errors import ConfigurationError
from limits.storage import storage_from_string

from hardtech.settings import Settings, SettingsError

from .errors import ServiceError, error_body


def client_id(raw: str) -> str:
    """A stable, non-reversible id for an API key or address (raw keys are never stored)."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:24]


def _presented_key(request: Request) -> str | None:
    key = request.headers.get("x-api-key")
    if key:
        return key.strip()
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip()
    return None


def rate_limiter(uri: str) -> FixedWindowRateLimiter:
    """A fixed-window limiter over the storage ``uri`` names (``memory://``, ``redis://host:6379`` ...).

    The async variant of the storage, so that a networked store never blocks the event loop."""
    try:
        return FixedWindowRateLimiter(storage_from_string(uri if uri.startswith("async+") else f"async+{uri}"))
    except ConfigurationError as exc:
        raise SettingsError(f"HARDTECH_RATE_LIMIT_STORAGE={uri!r}: {exc}. Use memory:// (per worker) or e.g. "
                            "redis://host:6379 (shared; needs `pip install 'limits[async-redis]'`).") from None


UNAUTHORIZED = {"WWW-Authenticate": 'Bearer realm="hardtech"'}


class Guard:
    """The dependency every ``/api`` and ``/v1`` route runs first: check the API key (when keys
    are configured), then count the request against the caller's limit.

    With ``memory://`` storage (the default) each worker process counts on its own, so with N
    workers a caller may get up to N times the limit; a shared storage (Redis) makes it exact."""

    def __init__(self, settings: Settings):
        self.keys = [k.encode("utf-8") for k in settings.api_keys]
        self.limit = RateLimitItemPerMinute(settings.rate_limit) if settings.rate_limit > 0 else None
        self.limiter = rate_limiter(settings.rate_limit_storage) if self.limit else None

    def caller(self, request: Request) -> str:
        """Who is calling: a hash of the API key, or of the client address when no keys are configured."""
        if not self.keys:
            return "addr:" + client_id(request.client.host if request.client else "unknown")
        presented = _presented_key(request)
        if not presented:
            raise ServiceError(401, "unauthorized", "An API key is required",
                               hint="Send it as `X-API-Key: KEY` or `Authorization: Bearer KEY`.", headers=UNAUTHORIZED)
        p = presented.encode("utf-8")
        if not any(hmac.compare_digest(p, k) for k in self.keys):
            raise ServiceError(401, "unauthorized", "The API key is not valid",
                               hint="Check the key; keys are set by the operator in HARDTECH_API_KEYS.", headers=UNAUTHORIZED)
        return "key:" + client_id(presented)

    async def __call__(self, request: Request) -> None:
        who = self.caller(request)
        request.state.client_id = who
        if self.limiter is None or self.limit is None:
            return
        if not await self.limiter.hit(self.limit, who):
            reset, _ = await self.limiter.get_window_stats(self.limit, who)
            retry = max(1, math.ceil(reset - time.time()))
            raise ServiceError(429, "rate_limited", f"More than {self.limit.amount} requests in a minute",
                               hint=f"Retry after {retry} s (limit: HARDTECH_RATE_LIMIT per minute per key).",
                               headers={"Retry-After": str(retry)})


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
        body = json.dumps(error_body("payload_too_large", f"The request body exceeds {self.max_bytes} bytes",
                                     "Send less (limit: HARDTECH_MAX_BODY_BYTES).")).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


PAGES = ("/", "/explore")  # HTML pages: they get the strict CSP
_PAGE_CSP = (b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
             b"connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")


class SecurityHeadersMiddleware:
    """nosniff and referrer policy everywhere; a strict CSP on the chat page.
    (Four fixed headers: not worth a dependency.)"""

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
                if path in PAGES or path.startswith("/static/"):
                    headers.append((b"content-security-policy", _PAGE_CSP))
                    headers.append((b"x-frame-options", b"DENY"))
                message = {**message, "headers": headers}
            await send(message)

        return await self.app(scope, receive, send_with_headers)
