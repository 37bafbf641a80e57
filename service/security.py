"""API keys and rate limits (the ``limits`` library): per key (or address) for requests, and per
client address for failed key attempts, so keys cannot be guessed at speed."""
from __future__ import annotations

import hashlib
import hmac
import math
import time

from fastapi import Request
from limits import RateLimitItem, RateLimitItemPerMinute
from limits.aio.strategies import FixedWindowRateLimiter
from limits.errors import ConfigurationError
from limits.storage import storage_from_string

from hardtech.settings import Settings, SettingsError

from .errors import ServiceError


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
MIN_KEY_CHARS = 16


def check_keys(settings: Settings) -> None:
    """Refuse keys too short to be secret (a SettingsError naming the variable, never the key)."""
    short = [k for k in settings.api_keys if len(k) < MIN_KEY_CHARS]
    if short:
        raise SettingsError(
            f"HARDTECH_API_KEYS: {len(short)} of {len(settings.api_keys)} key(s) shorter than {MIN_KEY_CHARS} characters; "
            f"a short key can be guessed. Use random keys of {MIN_KEY_CHARS} or more characters, e.g. from: "
            "python -c 'import secrets; print(secrets.token_urlsafe(24))'")


class Guard:
    """The dependency every ``/api`` and ``/v1`` route runs first: check the API key (when keys
    are configured), then count the request against the caller's limit.

    Failed key attempts are counted per client address (``HARDTECH_AUTH_FAILURES`` a minute);
    past that, the address gets 429 without its key being checked, so guessing is slow.
    With ``memory://`` storage (the default) each worker process counts on its own, so with N
    workers a caller may get up to N times the limits; a shared storage (Redis) makes them exact."""

    def __init__(self, settings: Settings):
        check_keys(settings)
        self.keys = [k.encode("utf-8") for k in settings.api_keys]
        self.limit = RateLimitItemPerMinute(settings.rate_limit) if settings.rate_limit > 0 else None
        self.failures = RateLimitItemPerMinute(settings.auth_failures)
        self.limiter = rate_limiter(settings.rate_limit_storage) if self.limit or self.keys else None

    @staticmethod
    def address(request: Request) -> str:
        return "addr:" + client_id(request.client.host if request.client else "unknown")

    async def _refuse_if_over(self, item: RateLimitItem, who: str, what: str, hint: str) -> None:
        """429 with Retry-After when ``who`` has used up ``item`` (nothing is counted)."""
        if self.limiter is not None and not await self.limiter.test(item, who):
            reset, _ = await self.limiter.get_window_stats(item, who)
            retry = max(1, math.ceil(reset - time.time()))
            raise ServiceError(429, "rate_limited", what, hint=f"Retry after {retry} s ({hint}).",
                               headers={"Retry-After": str(retry)})

    async def caller(self, request: Request) -> str:
        """Who is calling: a hash of the API key, or of the client address when no keys are configured."""
        if not self.keys:
            return self.address(request)
        address = "authfail:" + self.address(request)
        await self._refuse_if_over(self.failures, address, f"More than {self.failures.amount} failed API-key attempts in a minute",
                                   "limit: HARDTECH_AUTH_FAILURES per minute per client address")
        presented = _presented_key(request)
        p = (presented or "").encode("utf-8")
        if not presented or not any(hmac.compare_digest(p, k) for k in self.keys):
            if self.limiter is not None:
                await self.limiter.hit(self.failures, address)
            if not presented:
                raise ServiceError(401, "unauthorized", "An API key is required",
                                   hint="Send it as `X-API-Key: KEY` or `Authorization: Bearer KEY`.", headers=UNAUTHORIZED)
            raise ServiceError(401, "unauthorized", "The API key is not valid",
                               hint="Check the key; keys are set by the operator in HARDTECH_API_KEYS.", headers=UNAUTHORIZED)
        return "key:" + client_id(presented)

    async def __call__(self, request: Request) -> None:
        who = await self.caller(request)
        request.state.client_id = who
        if self.limiter is None or self.limit is None:
            return
        if not await self.limiter.hit(self.limit, who):
            await self._refuse_if_over(self.limit, who, f"More than {self.limit.amount} requests in a minute",
                                       "limit: HARDTECH_RATE_LIMIT per minute per key")
