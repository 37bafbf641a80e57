"""Upstream failures, classified once: every exception a model client can raise maps to one
:class:`LLMFailure` kind, by HTTP status where there is one and by exception class otherwise
(a table, as httpx maps transport errors). Callers decide on the kind, never on a vendor's
exception type.
"""
from __future__ import annotations

import email.utils
import time
from dataclasses import dataclass

import httpx
from langchain_core import exceptions as lc

# kind -> (what the user is told, how to fix it, retry once?, counts against the endpoint's breaker?)
KINDS: dict[str, tuple[str, str, bool, bool]] = {
    "unreachable": ("cannot connect to the model endpoint",
                    "start the model server, or fix HARDTECH_LLM_BASE_URL", True, True),
    "timeout": ("the model endpoint did not answer in time",
                "raise HARDTECH_LLM_TIMEOUT, or use a smaller or less busy model", False, True),
    "auth": ("the model endpoint rejected the API key (HTTP 401)", "set HARDTECH_LLM_API_KEY to a valid key", False, True),
    "forbidden": ("the API key may not use this model (HTTP 403)",
                  "use a key with access to the model, or another model", False, True),
    "model_not_found": ("the endpoint does not serve this model (HTTP 404)",
                        "`hardtech llm check` lists the models it serves; set HARDTECH_LLM to one", False, True),
    "rate_limited": ("the model endpoint is rate-limiting requests (HTTP 429)",
                     "wait, or raise the endpoint's rate limit", True, True),
    "server_error": ("the model endpoint failed (HTTP 5xx)", "check the model server's logs", True, True),
    "context_too_long": ("the conversation is longer than the model's context window",
                         "start a new conversation, or serve the model with a longer context (vLLM --max-model-len)",
                         False, False),
    "bad_request": ("the model endpoint rejected the request (HTTP 400)",
                    "`hardtech llm check` shows which feature the server lacks", False, False),
    "empty": ("the model returned an empty response", "check the model server's logs", True, True),
    "truncated": ("the model's response stream broke off", "check the model server's logs and network", True, True),
    "cut_off": ("the model's answer hit its token limit", "raise the server's max tokens", False, False),
    "bad_response": ("the model endpoint sent a response that could not be read",
                     "check that HARDTECH_LLM names the right provider (openai: or ollama:)", False, True),
    "malformed_call": ("the model wrote a tool call that could not be parsed",
                       "the model is asked again with the tools' schemas", False, False),
    "breaker_open": ("the model endpoint failed repeatedly and is paused",
                     "fix the endpoint; `hardtech llm check` says what fails", False, False),
}


@dataclass
class LLMFailure(Exception):
    """A model request that failed, with what to tell the user and whether to retry."""

    kind: str
    detail: str = ""
    retry_after: float | None = None  # seconds the server asked us to wait (429)

    def __post_init__(self) -> None:
        super().__init__(self.describe())

    @property
    def retryable(self) -> bool:
        return KINDS[self.kind][2]

    @property
    def counts(self) -> bool:
        """Whether this failure says something about the endpoint (and so counts for its breaker)."""
        return KINDS[self.kind][3]

    @property
    def hint(self) -> str:
        return KINDS[self.kind][1]

    def describe(self) -> str:
        text = KINDS[self.kind][0]
        return f"{text} ({self.detail})" if self.detail else text

    def to_dict(self) -> dict:
        return {"kind": self.kind, "message": self.describe(), "hint": self.hint}


_CONTEXT_WORDS = ("context length", "context_length", "context window", "maximum context", "prompt is too long",
                  "too many tokens", "input tokens exceed")


def kind_for_status(status: int, message: str) -> str:
    low = message.lower()
    if any(w in low for w in _CONTEXT_WORDS):
        return "context_too_long"
    if status == 401:
        return "auth"
    if status == 403:
        return "forbidden"
    if status == 404:
        return "model_not_found"
    if status == 408:
        return "timeout"
    if status == 429:
        return "rate_limited"
    if status >= 500:
        return "server_error"
    return "bad_request"


# exception class -> kind, first match wins (subclasses before their bases). Covers LangChain's
# provider-neutral errors (langchain-openai raises these), httpx (Ollama's client streams through
# it), and the built-in ConnectionError Ollama's client raises when nothing listens.
_BY_CLASS: list[tuple[type[BaseException], str]] = [
    (lc.ContextOverflowError, "context_too_long"),
    (lc.ModelTimeoutError, "timeout"),
    (httpx.TimeoutException, "timeout"),
    (TimeoutError, "timeout"),
    (lc.ModelConnectionError, "unreachable"),
    (httpx.RemoteProtocolError, "truncated"),
    (httpx.TransportError, "unreachable"),
    (ConnectionError, "unreachable"),
    (lc.ModelAuthenticationError, "auth"),
    (lc.ModelPermissionDeniedError, "forbidden"),
    (lc.ModelNotFoundError, "model_not_found"),
    (lc.ModelRateLimitError, "rate_limited"),
    (lc.ModelAPIError, "server_error"),
]


def _retry_after(exc: BaseException) -> float | None:
    response = getattr(exc, "response", None)
    value = getattr(response, "headers", {}).get("retry-after") if response is not None else None
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time()) if when else None


def classify(exc: BaseException, *, received: bool = False) -> LLMFailure | None:
    """The failure ``exc`` stands for, or None when it is not an upstream failure (a bug).

    ``received``: some of the response had arrived, so a dropped connection is a broken
    stream rather than an unreachable endpoint."""
    if isinstance(exc, LLMFailure):
        return exc
    status = getattr(exc, "status_code", None)
    message = str(getattr(exc, "message", None) or getattr(exc, "error", None) or exc)
    if isinstance(status, int) and status >= 400:
        kind = kind_for_status(status, message)
        return LLMFailure(kind, f"HTTP {status}: {message[:200]}", retry_after=_retry_after(exc) if kind == "rate_limited" else None)
    if isinstance(exc, lc.OutputParserException):  # e.g. Ollama's client on a tool call with broken JSON
        return LLMFailure("malformed_call", message[:300])
    if isinstance(exc, ValueError) and "No generation chunks" in str(exc):
        return LLMFailure("empty")
    for cls, kind in _BY_CLASS:
        if isinstance(exc, cls):
            if kind == "unreachable" and received:
                kind = "truncated"
            return LLMFailure(kind, f"{type(exc).__name__}: {message[:200]}")
    if isinstance(exc, (KeyError, IndexError, TypeError, ValueError)):
        # the client could not read what the server sent (LangChain raises these on malformed payloads)
        return LLMFailure("bad_response", f"{type(exc).__name__}: {message[:200]}")
    return None
