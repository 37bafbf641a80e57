"""Service settings, read from the environment once per process.

=============================  =========================================================
``HARDTECH_HOME``              state directory (default ``~/.cache/hardtech``); the
                               service keeps ``service.sqlite3`` (WAL) there
``HARDTECH_API_KEYS``          comma-separated keys; when set, ``/api/*`` and ``/v1/*``
                               need ``X-API-Key: KEY`` (or ``Authorization: Bearer KEY``)
``HARDTECH_CORS_ORIGINS``      comma-separated allowed origins (``*`` for any); unset =
                               same-origin only
``HARDTECH_RATE_LIMIT``        requests per minute per API key (or per client address
                               without keys); ``0`` disables; default 120
``HARDTECH_MAX_BODY_BYTES``    largest request body accepted (default 65536) -> 413
``HARDTECH_MAX_QUESTION_CHARS`` longest question accepted (default 2000) -> 422
``HARDTECH_MAX_HISTORY``       most history turns accepted (default 40) -> 422
``HARDTECH_LLM``               passed to the assistant as ``llm=`` (unset = its default)
``HARDTECH_ASK_CONCURRENCY``   answers computed at once per worker (default: 1 offline,
                               where an answer is CPU-bound, 16 with an LLM); the rest queue
``HARDTECH_ANSWER_CACHE``      offline answers remembered per worker (LRU, default 1024;
                               ``0`` disables); offline answers are deterministic
``HARDTECH_GIL_SWITCH_MS``     the interpreter's thread switch interval in a worker (default:
                               Python's 5 ms; ``hardtech serve`` sets 1), so the event loop
                               waits less for the GIL while a thread computes an answer
``HARDTECH_WARMUP``            ``1``: load the models and render the score tables before
                               a worker accepts requests (``hardtech serve`` sets it)
=============================  =========================================================
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, got {raw!r}") from None


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a number, got {raw!r}") from None


def _list(name: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in os.environ.get(name, "").split(",") if x.strip())


def home_dir() -> Path:
    env = os.environ.get("HARDTECH_HOME", "").strip()
    return Path(env).expanduser() if env else Path.home() / ".cache" / "hardtech"


@dataclass(frozen=True)
class Settings:
    api_keys: tuple[str, ...] = ()
    cors_origins: tuple[str, ...] = ()
    rate_limit_per_minute: int = 120
    max_body_bytes: int = 65536
    max_question_chars: int = 2000
    max_history: int = 40
    max_history_chars: int = 8000
    llm: str | None = None
    ask_concurrency: int = 0  # 0 = automatic (1 offline, 16 with an LLM)
    answer_cache: int = 1024
    warmup: bool = False
    gil_switch_ms: float = 0.0  # 0 = leave Python's default
    home: Path = field(default_factory=home_dir)

    @property
    def db_path(self) -> Path:
        return self.home / "service.sqlite3"

    @classmethod
    def from_env(cls) -> "Settings":
        return cls(
            api_keys=_list("HARDTECH_API_KEYS"),
            cors_origins=_list("HARDTECH_CORS_ORIGINS"),
            rate_limit_per_minute=_int("HARDTECH_RATE_LIMIT", 120),
            max_body_bytes=_int("HARDTECH_MAX_BODY_BYTES", 65536),
            max_question_chars=_int("HARDTECH_MAX_QUESTION_CHARS", 2000),
            max_history=_int("HARDTECH_MAX_HISTORY", 40),
            llm=os.environ.get("HARDTECH_LLM", "").strip() or None,
            ask_concurrency=max(0, _int("HARDTECH_ASK_CONCURRENCY", 0)),
            answer_cache=max(0, _int("HARDTECH_ANSWER_CACHE", 1024)),
            warmup=_int("HARDTECH_WARMUP", 0) > 0,
            gil_switch_ms=max(0.0, _float("HARDTECH_GIL_SWITCH_MS", 0.0)),
            home=home_dir(),
        )
