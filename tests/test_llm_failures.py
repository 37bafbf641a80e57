"""Upstream failures: the classification table, the circuit breaker, and over HTTP what the
user sees when the endpoint is down, refuses connections, or keeps failing."""
from __future__ import annotations

import email.utils
import time

import httpx
import ollama
import openai
import pytest
from langchain_core import exceptions as lc

from assistant import ask
from assistant.llm import health
from assistant.llm.breaker import Breaker
from assistant.llm.errors import LLMFailure, classify
from tests.conftest import free_port
from tests.llm_server import llm_config, scripted_server  # noqa: F401 (fixtures)

SERVER_ERROR = {"error": {"status": 500, "body": {"object": "error", "message": "Internal Server Error", "code": 500}}}


def openai_status(status: int, message: str = "x", headers: dict | None = None) -> openai.APIStatusError:
    request = httpx.Request("POST", "http://127.0.0.1/v1/chat/completions")
    response = httpx.Response(status, headers=headers or {}, request=request)
    return openai.APIStatusError(message, response=response, body=None)


@pytest.mark.parametrize("exc,kind", [
    (openai_status(401), "auth"), (openai_status(403), "forbidden"), (openai_status(404), "model_not_found"),
    (openai_status(429), "rate_limited"), (openai_status(500), "server_error"), (openai_status(503), "server_error"),
    (openai_status(400, "This model's maximum context length is 4096 tokens. However, you requested 5210 tokens"),
     "context_too_long"),
    (openai_status(400, "'response_format' is not supported"), "bad_request"),
    (ollama.ResponseError("model 'qwen' not found", 404), "model_not_found"),
    (ollama.ResponseError("llama runner process has terminated", 500), "server_error"),
    (httpx.ConnectError("[Errno 111] Connection refused"), "unreachable"),
    (ConnectionError("Failed to connect to Ollama"), "unreachable"),
    (httpx.ReadTimeout("timed out"), "timeout"),
    (lc.ModelTimeoutError("Request timed out."), "timeout"),
    (httpx.RemoteProtocolError("incomplete chunked read"), "truncated"),
    (lc.OutputParserException("Function scores arguments are not valid JSON"), "malformed_call"),
    (ValueError("No generation chunks were returned"), "empty"),
    (IndexError("list index out of range"), "bad_response"),
])
def test_every_client_error_maps_to_one_kind(exc, kind):
    assert classify(exc).kind == kind


def test_a_dropped_connection_after_data_is_a_broken_stream():
    assert classify(lc.ModelConnectionError("Connection error."), received=False).kind == "unreachable"
    assert classify(lc.ModelConnectionError("Connection error."), received=True).kind == "truncated"
    assert classify(RuntimeError("a bug")) is None  # not an upstream failure: re-raised, never hidden


def test_retry_after_in_seconds_or_as_a_date():
    assert classify(openai_status(429, headers={"Retry-After": "7"})).retry_after == 7
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 <= classify(openai_status(429, headers={"Retry-After": when})).retry_after <= 30
    assert classify(openai_status(429)).retry_after is None


def test_breaker_opens_cools_down_and_tries_once():
    now = [0.0]
    b = Breaker(failures=2, cooldown=30, clock=lambda: now[0])
    boom = LLMFailure("server_error")
    b.failure(LLMFailure("context_too_long"))  # says nothing about the endpoint
    b.failure(boom)
    b.check()
    b.failure(boom)
    assert b.state == "open"
    with pytest.raises(LLMFailure) as exc:
        b.check()
    assert exc.value.kind == "breaker_open" and "next try in 30 s" in str(exc.value)
    now[0] = 31
    b.check()  # the one trial request
    with pytest.raises(LLMFailure):
        b.check()  # no second request while the trial is out
    b.failure(boom)  # the trial failed: open again for a full cool-down
    now[0] = 40
    assert b.state == "open"
    now[0] = 62
    b.check()
    b.success()
    assert b.state == "closed" and b.failures == 0


def test_connection_refused_gives_the_offline_answer(llm_config):
    llm_config(base_url=f"http://127.0.0.1:{free_port()}/v1")
    env = ask("What is Shenzhen's composite score in 2020?")
    assert env.mode == "offline" and "42.92" in env.answer
    assert any("cannot connect" in w for w in env.warnings) and any("retried once" in w for w in env.warnings)


def test_breaker_stops_calling_a_failing_endpoint(scripted_server, llm_config):
    llm_config(llm_breaker_failures="2", llm_breaker_cooldown="3600")
    scripted_server.play([SERVER_ERROR, SERVER_ERROR])
    first = ask("What is Shenzhen's composite score in 2020?")
    assert first.mode == "offline" and len(scripted_server.chat_requests()) == 2
    second = ask("2020年深圳的综合得分是多少？")
    assert second.mode == "offline" and "42.92" in second.answer
    assert len(scripted_server.chat_requests()) == 2  # the endpoint was not called again
    assert any("failed repeatedly and is paused" in w for w in second.warnings)
    status = health()
    assert status["status"] == "degraded" and status["breaker"] == "open" and status["required"] is False


def test_breaker_lets_a_trial_through_after_the_cool_down(scripted_server, llm_config):
    llm_config(llm_breaker_failures="1", llm_breaker_cooldown="0")
    scripted_server.play([SERVER_ERROR, SERVER_ERROR,
                          {"message": {"content": "", "tool_calls": [{"name": "scores", "arguments":
                                                                      {"edition": "hardtech-2020", "entity": "深圳"}}]}},
                          {"message": {"content": "深圳2020年综合得分 42.92。"}}])
    assert ask("2020年深圳的综合得分是多少？").mode == "offline"
    env = ask("2020年深圳的综合得分是多少？")
    assert env.mode == "llm" and "42.92" in env.answer and health()["breaker"] == "closed"
