"""The one seam to a model server: which endpoint (from the settings), a LangChain chat model
for it, and :meth:`Client.stream`, which streams one model turn under the retry policy and
the endpoint's circuit breaker. Both LLM modes (agent and parser) and ``hardtech llm check``
go through it, so every failure is classified and handled the same way.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any, Generator, Sequence

from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel

from hardtech.settings import get_settings

from .breaker import Breaker, breaker_for
from .errors import LLMFailure, classify

log = logging.getLogger(__name__)

PROVIDERS = ("openai", "ollama")
DEFAULT_URLS = {"openai": "https://api.openai.com/v1", "ollama": "http://127.0.0.1:11434"}


class LLMConfigError(ValueError):
    """``HARDTECH_LLM`` (or ``llm=``) does not name a provider and a model."""

    hint = "Use openai:<model> (any OpenAI-compatible server: vLLM, DeepSeek, Qwen) or ollama:<model>."


@dataclass(frozen=True)
class Endpoint:
    """Where the model is: ``provider:model`` at ``base_url``. The key never appears in reprs."""

    provider: str
    model: str
    base_url: str
    api_key: str | None = field(default=None, repr=False)
    timeout: float = 60.0

    @classmethod
    def from_spec(cls, spec: str) -> "Endpoint":
        """``openai:<model>`` or ``ollama:<model>``, with base URL, key and timeout from the settings."""
        provider, _, model = spec.strip().partition(":")
        if provider not in PROVIDERS or not model:
            raise LLMConfigError(f"Bad LLM spec {spec!r}: expected openai:<model> or ollama:<model>")
        s = get_settings()
        return cls(provider, model, (s.llm_base_url or DEFAULT_URLS[provider]).rstrip("/"), s.llm_api_key, s.llm_timeout)

    @property
    def key(self) -> str:
        return f"{self.provider}:{self.model}@{self.base_url}"

    def describe(self) -> str:
        return f"{self.provider}:{self.model} at {self.base_url}"

    def chat_model(self):
        """A LangChain chat model for this endpoint. Its own retries are off: :class:`Client` retries."""
        if self.provider == "openai":
            from langchain_openai import ChatOpenAI

            return ChatOpenAI(model=self.model, base_url=self.base_url, api_key=self.api_key or "EMPTY",
                              temperature=0, timeout=self.timeout, max_retries=0)
        from langchain_ollama import ChatOllama

        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        return ChatOllama(model=self.model, base_url=self.base_url, temperature=0,
                          client_kwargs={"timeout": self.timeout, "headers": headers})


def content_text(content: Any) -> str:
    """The text of a message's content (a string, or a list of content blocks)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in content)
    return str(content or "")


def conversation(system: str, history: list[dict], question: str) -> list[BaseMessage]:
    """The messages of one request: the system prompt, the earlier turns, the question."""
    msgs: list[BaseMessage] = [SystemMessage(content=system)]
    for turn in history:
        msgs.append(HumanMessage(content=turn["content"]) if turn["role"] == "user" else AIMessage(content=turn["content"]))
    msgs.append(HumanMessage(content=question))
    return msgs


class Client:
    """A chat model behind the retry policy and its endpoint's breaker."""

    def __init__(self, model: Any, *, endpoint: Endpoint | None = None, breaker: Breaker | None = None) -> None:
        self.model, self.endpoint = model, endpoint
        self.breaker: Breaker = breaker or breaker_for(endpoint.key if endpoint else f"object:{id(model)}")

    @classmethod
    def for_spec(cls, spec: Any) -> "Client":
        """From ``openai:<model>`` / ``ollama:<model>``, or a LangChain chat model object as is."""
        if isinstance(spec, str):
            endpoint = Endpoint.from_spec(spec)
            return cls(endpoint.chat_model(), endpoint=endpoint)
        return cls(spec)

    @property
    def provider(self) -> str | None:
        if self.endpoint:
            return self.endpoint.provider
        name = type(self.model).__name__.lower()
        return next((p for p in PROVIDERS if p in name), None)

    def describe(self) -> str:
        return self.endpoint.describe() if self.endpoint else type(self.model).__name__

    def _runnable(self, tools: Sequence[Any] | None, schema: type[BaseModel] | None):
        if tools:
            return self.model.bind_tools(list(tools))
        if schema is not None:
            # the provider's own structured-output parameter; the reply is parsed leniently by the
            # caller, since LangChain's strict parsers reject fenced JSON and <think> blocks
            json_schema = schema.model_json_schema()
            if self.provider == "openai":
                return self.model.bind(response_format={"type": "json_schema",
                                                        "json_schema": {"name": schema.__name__, "schema": json_schema}})
            if self.provider == "ollama":
                return self.model.bind(format=json_schema)
        return self.model

    def stream(self, messages: list[BaseMessage], *, tools: Sequence[Any] | None = None,
               schema: type[BaseModel] | None = None) -> Generator[tuple[str, Any], None, AIMessageChunk]:
        """One model turn. Yields ``("token", text)`` as the model writes and ``("retry", LLMFailure)``
        before the one retry; returns the whole message. Raises :class:`LLMFailure`."""
        runnable = self._runnable(tools, schema)
        attempt = 0
        while True:
            self.breaker.check()
            received = False
            try:
                message: AIMessageChunk | None = None
                for chunk in runnable.stream(messages):
                    received = True
                    message = chunk if message is None else message + chunk
                    text = content_text(chunk.content)
                    if text:
                        yield "token", text
                _check_complete(message)
                self.breaker.success()
                return message  # type: ignore[return-value]
            except Exception as exc:  # every client error is classified; anything else is a bug and re-raised
                failure = classify(exc, received=received)
                if failure is None:
                    raise
                self.breaker.failure(failure)
                delay = self._retry_delay(failure, attempt)
                if delay is None:
                    log.info("model request failed: %s", failure.describe())
                    raise failure from exc
                attempt += 1
                yield "retry", failure
                time.sleep(delay)

    def _retry_delay(self, failure: LLMFailure, attempt: int) -> float | None:
        """Seconds to wait before retrying, or None for no retry: once, for transient failures,
        honouring a 429's Retry-After when it is short enough."""
        if attempt >= 1 or not failure.retryable or self.breaker.state == "open":
            return None
        s = get_settings()
        if failure.kind == "rate_limited" and failure.retry_after is not None:
            return failure.retry_after if failure.retry_after <= s.llm_retry_after_max else None
        return s.llm_retry_backoff

    def complete(self, messages: list[BaseMessage], **kwargs: Any) -> AIMessageChunk:
        """:meth:`stream` without the events."""
        gen = self.stream(messages, **kwargs)
        while True:
            try:
                next(gen)
            except StopIteration as stop:
                return stop.value


def _check_complete(message: AIMessageChunk | None) -> None:
    if message is None:
        raise LLMFailure("empty")
    meta = message.response_metadata or {}
    if (meta.get("finish_reason") or meta.get("done_reason")) == "length":
        raise LLMFailure("cut_off")
    if not content_text(message.content).strip() and not message.tool_call_chunks and not message.tool_calls \
            and not message.invalid_tool_calls:
        raise LLMFailure("empty")
