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
            home=home_dir(),
        )
