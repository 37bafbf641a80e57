"""One settings object: every knob from ``hardtech.settings``, shown by ``hardtech config``, and
``HARDTECH_MAX_QUESTION_CHARS`` honoured by the API, the CLI and the assistant alike."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import assistant
from hardtech.cli import app
from hardtech.settings import Settings, SettingsError, reload_settings
from service.app import create_app
from tests.conftest import ROOT, shared_home

# A real question with a long preamble, as people paste it: 2,512 characters.
LONG_Q = ("以下是我们部门的背景材料，请先仔细阅读并结合报告回答。" + "我们关注城市硬科技发展的长期趋势与政策环境。" * 112
          + "问题是：深圳2019年创新基础得分是多少？")
assert len(LONG_Q) == 2512

runner = CliRunner()


@pytest.fixture()
def env(monkeypatch):
    """Set HARDTECH_* variables for one test; the settings are read again before and after."""
    def set_(**values: str) -> None:
        for k, v in values.items():
            monkeypatch.setenv(k, v)
        reload_settings()

    yield set_
    monkeypatch.undo()
    reload_settings()


def test_the_default_limit_refuses_the_long_question_everywhere(tmp_path):
    assert Settings().max_question_chars == 2000
    with pytest.raises(assistant.AssistantError, match="limit is 2000"):
        assistant.ask(LONG_Q)
    client = TestClient(create_app(Settings(home=tmp_path, rate_limit=0)), raise_server_exceptions=False)
    r = client.post("/api/v1/ask", json={"question": LONG_Q})
    assert r.status_code == 422 and r.json()["error"]["code"] == "question_too_long"
    assert "limit is 2000" in r.json()["error"]["message"]
    r = client.get("/api/v1/search", params={"q": LONG_Q})
    assert r.status_code == 422 and "limit is 2000" in r.json()["error"]["message"]
    result = runner.invoke(app, ["ask", LONG_Q, "--json"])
    assert result.exit_code == 2 and "limit is 2000" in result.stdout


_ACCEPTS = """
import json, sys
from fastapi.testclient import TestClient
import assistant
from service.app import create_app
q = sys.argv[1]
env = assistant.ask(q)
client = TestClient(create_app(), raise_server_exceptions=False)
ask = client.post("/api/v1/ask", json={"question": q})
search = client.get("/api/v1/search", params={"q": q, "k": 2})
print(json.dumps({"assistant": [env.mode, env.answer], "api": [ask.status_code, ask.json().get("answer")],
                  "search": [search.status_code, len(search.json().get("results", []))]}, ensure_ascii=False))
"""


def test_a_raised_limit_accepts_the_long_question_in_api_cli_and_assistant():
    home = shared_home()  # the retrieval index is built: answering searches it
    child = {**os.environ, "HARDTECH_HOME": str(home), "HARDTECH_MAX_QUESTION_CHARS": "4000", "HARDTECH_RATE_LIMIT": "0"}
    out = subprocess.run([sys.executable, "-c", _ACCEPTS, LONG_Q], cwd=ROOT, env=child, capture_output=True, text=True,
                         timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    # accepted and answered (how well the answerer reads a long preamble is not this test's business)
    assert got["assistant"][0] == "offline" and "深圳" in got["assistant"][1]
    assert got["api"] == [200, got["assistant"][1]]
    assert got["search"] == [200, 2]
    cli = subprocess.run([sys.executable, "-c", "from hardtech.cli import app; app()", "ask", LONG_Q, "--json"],
                         cwd=ROOT, env=child, capture_output=True, text=True, timeout=600)
    assert cli.returncode == 0, cli.stderr[-2000:]
    assert json.loads(cli.stdout)["answer"] == got["assistant"][1]


def test_config_lists_every_setting_with_its_variable_and_masks_secrets(env):
    env(HARDTECH_API_KEYS="k-one,k-two", HARDTECH_MAX_QUESTION_CHARS="4000",
        HARDTECH_RATE_LIMIT_STORAGE="redis://user:hunter2@cache.internal:6379/0")
    result = runner.invoke(app, ["config", "--json"])
    assert result.exit_code == 0, result.output
    rows = {r["name"]: r for r in json.loads(result.stdout)["settings"]}
    assert set(rows) == set(Settings.model_fields)
    for name, r in rows.items():
        assert r["env"] == f"HARDTECH_{name.upper()}" and r["description"]
    assert rows["max_question_chars"]["value"] == 4000 and rows["max_question_chars"]["default"] == 2000
    assert rows["api_keys"]["value"] == ["****", "****"]
    assert rows["rate_limit_storage"]["value"] == "redis://user:****@cache.internal:6379/0"
    human = runner.invoke(app, ["config"])
    assert human.exit_code == 0
    assert "HARDTECH_MAX_QUESTION_CHARS = 4000" in human.stdout and "HARDTECH_RATE_LIMIT = 120  (default)" in human.stdout
    for secret in ("k-one", "k-two", "hunter2"):
        assert secret not in result.stdout + human.stdout


@pytest.mark.parametrize("variable,value", [("HARDTECH_RATE_LIMIT", "lots"), ("HARDTECH_MAX_QUESTION_CHARS", "0"),
                                            ("HARDTECH_WARMUP", "maybe")])
def test_a_bad_value_is_one_clear_error_naming_the_variable(env, variable, value):
    with pytest.raises(SettingsError, match=variable):
        env(**{variable: value})
    result = runner.invoke(app, ["editions"])
    assert result.exit_code == 2
    assert f"{variable}={value!r}" in result.output and "Traceback" not in result.output


def test_create_app_takes_explicit_settings(tmp_path, env):
    env(HARDTECH_MAX_QUESTION_CHARS="10")  # the environment says 10 ...
    client = TestClient(create_app(Settings(home=tmp_path, rate_limit=0, max_question_chars=50)), raise_server_exceptions=False)
    r = client.post("/api/v1/ask", json={"question": "x" * 60})  # ... the app was given 50
    assert r.status_code == 422 and "limit is 50" in r.json()["error"]["message"]
