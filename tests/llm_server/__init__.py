"""The scripted model server and its pytest fixtures.

``scripted_server`` (session) is one :class:`~tests.llm_server.server.ScriptedServer`;
``llm_config`` points the product at it (``HARDTECH_LLM*`` settings, fresh circuit breakers)
and undoes that after the test. Transcripts live in ``transcripts/*.json`` (see its README).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from .server import ScriptedServer

TRANSCRIPTS = Path(__file__).with_name("transcripts")


def transcript(name: str) -> dict:
    return json.loads((TRANSCRIPTS / f"{name}.json").read_text(encoding="utf-8"))


def transcripts(prefix: str = "") -> list[str]:
    return sorted(p.stem for p in TRANSCRIPTS.glob(f"{prefix}*.json"))


@pytest.fixture(scope="session")
def scripted_server():
    server = ScriptedServer()
    yield server
    server.close()


@pytest.fixture
def llm_config(scripted_server, monkeypatch):
    """``llm_config(provider="openai", model=..., mode="agent", **settings)`` -> the environment it set."""
    from assistant.llm import reset_breakers
    from hardtech.settings import reload_settings

    def configure(provider: str = "openai", model: str = "qwen2.5-7b-instruct", mode: str = "agent",
                  base_url: str | None = None, **settings: str) -> dict:
        url = base_url or (scripted_server.url + "/v1" if provider == "openai" else scripted_server.url)
        env = {"HARDTECH_LLM": f"{provider}:{model}", "HARDTECH_LLM_BASE_URL": url, "HARDTECH_LLM_MODE": mode,
               "HARDTECH_LLM_RETRY_BACKOFF": "0.05", "HARDTECH_LLM_TIMEOUT": "20",
               **{f"HARDTECH_{k.upper()}": str(v) for k, v in settings.items()}}
        for k, v in env.items():
            monkeypatch.setenv(k, v)
        reload_settings()
        reset_breakers()
        return env

    yield configure
    monkeypatch.undo()
    reload_settings()
    reset_breakers()
