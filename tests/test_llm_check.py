"""``hardtech llm check`` and ``assistant.llm.health()`` against the scripted server, and the
CLI (``hardtech ask``) degrading the same way as the Python API."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant import ask
from hardtech.cli import app as hardtech_app
from assistant.llm import health, reset_breakers
from tests.conftest import free_port
from tests.llm_server import llm_config, scripted_server, transcript  # noqa: F401 (fixtures)

TOOL_CALL = {"message": {"content": "", "tool_calls": [{"name": "scores", "arguments": {"edition": "hardtech-2019", "entity": "深圳"}}]}}
FRAME = {"message": {"content": json.dumps({"language": "zh", "operation": "lookup", "entities": ["深圳"],
                                            "editions": ["hardtech-2019"], "edition_source": "year", "aspect": "score"},
                                           ensure_ascii=False)}}
HARDTECH = Path(sys.executable).with_name("hardtech")


def run_check(*args: str) -> tuple[int, dict]:
    result = CliRunner().invoke(hardtech_app, ["llm", "check", "--json", *args])
    return result.exit_code, json.loads(result.stdout)


def by_name(report: dict) -> dict:
    return {c["name"]: c for c in report["checks"]}


def test_check_passes_on_a_working_endpoint(scripted_server, llm_config):
    llm_config()
    scripted_server.play([TOOL_CALL, FRAME])
    code, report = run_check()
    assert code == 0 and report["ok"] is True
    checks = by_name(report)
    assert list(checks) == ["configured", "endpoint", "model", "tool_call", "structured_output"]
    assert "scores" in checks["tool_call"]["detail"] and checks["tool_call"]["fix"] is None
    assert checks["structured_output"]["detail"] == "read the question as lookup of 深圳"
    assert [r.path for r in scripted_server.requests] == ["/v1/models", "/v1/chat/completions", "/v1/chat/completions"]


def test_check_notes_calls_that_arrive_as_text(scripted_server, llm_config):
    llm_config()
    hermes = {"message": {"content": '<tool_call>\n{"name": "scores", "arguments": {"edition": "hardtech-2019", "entity": "深圳"}}\n</tool_call>'}}
    scripted_server.play([hermes, FRAME])
    code, report = run_check()
    assert code == 0 and "hermes format" in by_name(report)["tool_call"]["detail"]
    assert "--tool-call-parser" in by_name(report)["tool_call"]["fix"]


def test_check_says_which_models_the_server_has(scripted_server, llm_config):
    llm_config(model="qwen2.5-7b")
    scripted_server.play([], models=["qwen2.5-7b-instruct", "llama-3.1-8b-instruct"])
    code, report = run_check()
    checks = by_name(report)
    assert code == 1 and checks["model"]["ok"] is False
    assert checks["model"]["fix"] == "set HARDTECH_LLM=openai:qwen2.5-7b-instruct"
    assert checks["tool_call"]["ok"] is None and checks["structured_output"]["ok"] is None


def test_check_reports_an_unreachable_endpoint_and_a_bad_key(scripted_server, llm_config):
    llm_config(base_url=f"http://127.0.0.1:{free_port()}/v1")
    code, report = run_check()
    assert code == 1 and by_name(report)["endpoint"]["fix"].startswith("start the model server")
    llm_config(llm_api_key="wrong")
    scripted_server.play([], api_key="right")
    code, report = run_check()
    assert code == 1 and "HARDTECH_LLM_API_KEY" in by_name(report)["endpoint"]["fix"]


def test_check_fails_a_model_that_cannot_call_tools_or_fill_the_frame(scripted_server, llm_config):
    llm_config()
    scripted_server.play([{"message": {"content": "深圳2019年综合得分约为 50 分。"}},
                          {"message": {"content": "这是一个关于深圳的问题。"}}])
    code, report = run_check()
    checks = by_name(report)
    assert code == 1 and checks["tool_call"]["detail"] == "the model answered without calling a tool"
    assert checks["structured_output"]["ok"] is False and "HARDTECH_LLM_MODE=agent" in checks["structured_output"]["fix"]


def test_check_on_ollama(scripted_server, llm_config):
    llm_config("ollama", "qwen2.5:7b")
    scripted_server.play([TOOL_CALL, FRAME], models=["qwen2.5:7b"])
    code, report = run_check()
    assert code == 0, report
    assert [r.path for r in scripted_server.requests] == ["/api/tags", "/api/chat", "/api/chat"]


def test_check_without_a_model_configured(monkeypatch):
    from hardtech.settings import reload_settings

    monkeypatch.delenv("HARDTECH_LLM", raising=False)
    reload_settings()
    code, report = run_check()
    assert code == 1 and report["checks"][0]["fix"].startswith("set HARDTECH_LLM=")
    text = CliRunner().invoke(hardtech_app, ["llm", "check"]).stdout
    assert "✗ configured" in text and "fix: set HARDTECH_LLM=" in text


def test_health_for_readyz(scripted_server, llm_config, monkeypatch):
    from hardtech.settings import reload_settings

    monkeypatch.delenv("HARDTECH_LLM", raising=False)
    reload_settings()
    assert health() == {"status": "off", "required": False, "configured": False}
    llm_config(mode="parser")
    scripted_server.play([])
    ok = health()
    assert ok["status"] == "ok" and ok["reachable"] and ok["model_found"] and ok["breaker"] == "closed"
    assert ok["mode"] == "parser" and [r.path for r in scripted_server.requests] == ["/v1/models"]  # cheap: no generation
    llm_config(base_url=f"http://127.0.0.1:{free_port()}/v1")
    down = health()
    assert down["status"] == "degraded" and down["reachable"] is False and down["required"] is False
    assert down["hint"].startswith("start the model server")
    json.dumps(down)  # JSON-ready


@pytest.mark.parametrize("name", ["dialect_hermes_zh", "fail_500_twice_zh"])
def test_cli_and_python_api_give_the_same_envelope(scripted_server, llm_config, name):
    t = transcript(name)
    llm_config()
    scripted_server.play(t["replies"])
    from_api = ask(t["question"]).model_dump(mode="json")
    reset_breakers()  # the endpoint's failures above would otherwise pause it for the second run
    scripted_server.play(t["replies"])
    result = CliRunner().invoke(hardtech_app, ["ask", t["question"], "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout) == from_api


@pytest.mark.skipif(not HARDTECH.exists(), reason="the hardtech console script is not installed in this environment")
def test_cli_commands_degrade_without_a_traceback(scripted_server, llm_config):
    """The issue's third failure through the real CLI: HTTP 500 twice -> the offline answer, a note, exit 0."""
    t = transcript("fail_500_twice_zh")
    llm_config()
    scripted_server.play(t["replies"])
    out = subprocess.run([str(HARDTECH), "ask", t["question"]], capture_output=True, text=True, env=dict(os.environ), timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "Traceback" not in out.stdout + out.stderr and "3.93" in out.stdout
    assert "offline answer" in out.stdout and "[?]" not in out.stdout
    scripted_server.play([TOOL_CALL, FRAME])
    out = subprocess.run([str(HARDTECH), "llm", "check", "--json"], capture_output=True, text=True, env=dict(os.environ), timeout=600)
    assert out.returncode == 0 and json.loads(out.stdout)["ok"] is True, out.stdout + out.stderr[-2000:]
