"""The one settings object: every limit and knob of the product, read from the
environment once per process (``HARDTECH_*``), documented here and shown by
``hardtech config``.

Code reads ``get_settings().<field>``; tests that change the environment call
``reload_settings()``. Nothing else in the product reads ``os.environ`` for a
``HARDTECH_*`` name.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

CommaList = Annotated[tuple[str, ...], NoDecode]
SECRET = {"secret": True}  # `hardtech config` masks these values


def _default_home() -> Path:
    return Path.home() / ".cache" / "hardtech"


class Settings(BaseSettings):
    """Every field is read from ``HARDTECH_<FIELD>`` (upper case)."""

    model_config = SettingsConfigDict(env_prefix="HARDTECH_", frozen=True, extra="ignore")

    # -- state
    home: Path = Field(default_factory=_default_home,
                       description="State directory: the retrieval index, user editions and corpus, service.sqlite3.")
    # -- questions (the assistant, the retrieval layer and the service all apply these)
    max_question_chars: int = Field(2000, ge=1, le=1_000_000, description="Longest question or search query accepted (characters).")
    max_history: int = Field(40, ge=0, le=10_000, description="Most earlier turns accepted with a question.")
    max_history_chars: int = Field(8000, ge=0, description="Most characters of history kept for a question.")
    # -- LLM (optional)
    llm: str | None = Field(None, description="openai:<model> or ollama:<model>; unset = offline answers.")
    llm_base_url: str | None = Field(None, description="Base URL of the OpenAI-compatible or Ollama endpoint.")
    llm_api_key: str | None = Field(None, description="API key for the LLM endpoint.", json_schema_extra=SECRET)
    llm_mode: Literal["parser", "agent"] = Field(
        "parser", description="parser: the model fills the question frame and the deterministic answerer writes the answer; "
                              "agent: the model calls the tools and writes the answer, which is then verified.")
    llm_timeout: float = Field(60.0, gt=0, le=3600, description="Seconds to wait for one model request (connect + generation).")
    llm_retry_backoff: float = Field(0.5, ge=0, le=60, description="Seconds before the one retry of a failed model request.")
    llm_retry_after_max: float = Field(10.0, ge=0, le=600,
                                       description="Longest Retry-After (s) honoured on HTTP 429; longer waits fall back at once.")
    llm_breaker_failures: int = Field(3, ge=1, le=1000,
                                      description="Consecutive failed model requests that open the circuit breaker.")
    llm_breaker_cooldown: float = Field(30.0, ge=0, le=86400,
                                        description="Seconds the breaker stays open (offline answers) before one trial request.")
    # -- retrieval
    embedding: str = Field("use-multilingual", description="Embedding backend: use-multilingual or sentence-transformers:<path>.")
    embed_threads: int = Field(0, ge=0, le=256, description="BLAS threads per embedding call; 0 = automatic.")
    chroma_url: str | None = Field(None, description="A `chroma run` server to use instead of the local index.")
    # -- service
    api_keys: CommaList = Field((), description="Comma-separated keys; when set, /api/* and /v1/* need one.", json_schema_extra=SECRET)
    cors_origins: CommaList = Field((), description="Comma-separated allowed origins (* for any); unset = same origin only.")
    rate_limit: int = Field(120, ge=0, description="Requests per minute per API key (or client address); 0 disables.")
    rate_limit_storage: str = Field("memory://", min_length=1, description=(
        "Where rate-limit counters live (a `limits` storage URI). memory:// counts per worker process; "
        "redis://host:6379 shares the limit between workers and machines."))
    max_body_bytes: int = Field(65536, ge=1024, description="Largest request body accepted (bytes) -> 413.")
    request_timeout: float = Field(15.0, gt=0, le=3600, description=(
        "Seconds a client has to send a whole request (head and body) from its first byte, and to start one on a "
        "new connection; slower clients get 408 and are disconnected."))
    auth_failures: int = Field(10, ge=1, description=(
        "Failed API-key attempts per minute per client address before it gets 429 (when HARDTECH_API_KEYS is set)."))
    ask_concurrency: int = Field(0, ge=0, le=1024, description="Answers computed at once per worker; 0 = 1 offline, 16 with an LLM.")
    answer_cache: int = Field(1024, ge=0, description="Offline answers remembered per worker (LRU entries); 0 disables.")
    warmup: bool = Field(False, description="Load models and render tables before a worker accepts requests.")
    gil_switch_ms: float = Field(0.0, ge=0, description="Interpreter thread switch interval in a worker (ms); 0 = Python's default.")
    # -- evaluation
    eval_api_key: str | None = Field(None, description="API key `hardtech eval --url` sends.", json_schema_extra=SECRET)

    @field_validator("api_keys", "cors_origins", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(x.strip() for x in value.split(",") if x.strip())
        return value

    @field_validator("llm", "llm_base_url", "llm_api_key", "chroma_url", "eval_api_key", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("home", mode="after")
    @classmethod
    def _expand_home(cls, value: Path) -> Path:
        return value.expanduser()

    @classmethod
    def env_var(cls, field: str) -> str:
        """The environment variable a field is read from, e.g. ``HARDTECH_RATE_LIMIT``."""
        return f"{cls.model_config['env_prefix']}{field}".upper()


class SettingsError(ValueError):
    """An environment variable has a value the product cannot use; the message names it."""


def _explain(exc: ValidationError) -> SettingsError:
    lines = []
    for e in exc.errors():
        field = str(e["loc"][0]) if e.get("loc") else "?"
        lines.append(f"{Settings.env_var(field)}={e.get('input')!r}: {e['msg']}")
    return SettingsError("Bad setting(s) in the environment:\n  " + "\n  ".join(lines)
                         + "\nFix or unset the variable(s); `hardtech config` lists every setting with its description.")


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once. Raises :class:`SettingsError` naming the bad variable."""
    try:
        return Settings()
    except ValidationError as exc:
        raise _explain(exc) from None


def reload_settings() -> Settings:
    """Read the environment again (tests, or after ``os.environ`` changed)."""
    get_settings.cache_clear()
    return get_settings()


_URL_PASSWORD = re.compile(r"(?<=://)([^:/@\s]*):[^@/\s]+@")


def _shown(value: object, secret: bool) -> object:
    """A value as `hardtech config` shows it: JSON-ready, secrets and URL passwords masked."""
    if isinstance(value, tuple):
        return [_shown(v, secret) for v in value]
    if value is None or isinstance(value, (bool, int, float)):
        return value
    text = str(value)
    return "****" if secret else _URL_PASSWORD.sub(r"\1:****@", text)


def describe(settings: Settings) -> list[dict]:
    """Every setting as ``{"name", "env", "value", "default", "description"}`` (secrets masked), in declaration order."""
    rows = []
    for name, field in Settings.model_fields.items():
        secret = bool((field.json_schema_extra or {}).get("secret"))  # type: ignore[union-attr]
        default = field.get_default(call_default_factory=True)
        rows.append({"name": name, "env": Settings.env_var(name), "value": _shown(getattr(settings, name), secret),
                     "default": _shown(default, secret), "description": field.description or ""})
    return rows
