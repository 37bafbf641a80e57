"""Public API: errors, streaming events, envelope shape, offline guarantees, CLI."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest


from assistant import AssistantError, ask, ask_stream  # noqa: E402
from assistant.tools import TOOLS, ToolRunner, langchain_tools  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def test_empty_and_too_long_questions_are_rejected():
    with pytest.raises(AssistantError):
        ask("   ")
    with pytest.raises(AssistantError) as e:
        ask("深" * 2001)
    assert "2000" in str(e.value)
    ev = list(ask_stream(""))
    assert ev[0][0] == "error" and set(ev[0][1]) == {"code", "message", "hint"}


def test_bad_history_is_rejected():
    with pytest.raises(AssistantError):
        ask("And its rank?", [{"who": "me"}])


def test_envelope_shape_and_offline_mode(monkeypatch):
    monkeypatch.delenv("HARDTECH_LLM", raising=False)
    env = ask("深圳2019年排名第几？")
    d = env.model_dump(mode="json")
    assert d["mode"] == "offline" and d["language"] == "zh"
    assert set(d) >= {"answer", "language", "mode", "numbers", "citations", "tool_calls", "chart", "warnings"}
    assert all("result" not in t for t in d["tool_calls"])
    assert d["tool_calls"][0] == {"id": "t1", "name": "scores", "args": {"edition": "hardtech-2019", "entity": "深圳"}}
    assert {"value": 50.99, "source": "t1"}.items() <= next(n for n in d["numbers"] if n["label"] == "composite").items()
    assert d["citations"][0]["lines"] == [1942, 1942]
    json.dumps(d, ensure_ascii=False)


def test_stream_events_in_order():
    events = list(ask_stream("Top 3 cities in the 2020 hard-tech index"))
    kinds = [k for k, _ in events]
    assert kinds[0] == "tool" and kinds[-1] == "done"
    assert "token" in kinds and "citation" in kinds and "chart" in kinds
    assert kinds.index("tool") < kinds.index("token") < kinds.index("citation") < kinds.index("done")
    text = "".join(d["text"] for k, d in events if k == "token")
    assert text == events[-1][1]["answer"]
    assert events[0][1] == {"id": "t1", "name": "ranking", "args": {"edition": "hardtech-2020", "top": 3, "bottom": False}}


def test_tools_are_read_only_and_have_bilingual_schemas():
    for name, (fn, schema, desc) in TOOLS.items():
        assert any("\u4e00" <= ch <= "\u9fff" for ch in desc), name
        assert all(f not in schema.model_fields for f in ("path", "file", "output")), name
    r = ToolRunner()
    cid, res = r.call("scores", edition="hardtech-2025", entity="深圳")
    assert cid == "t1" and res["error"]["code"] == "invalid_arguments"
    cid, res = r.call("write_file", path="/tmp/x")
    assert res["error"]["code"] == "unknown_tool"
    assert len(langchain_tools(r)) == len(TOOLS)


def _cli(*args, stdin=None):
    env = dict(os.environ)
    env.pop("HARDTECH_LLM", None)
    return subprocess.run([sys.executable, "-c", "from hardtech.cli import app; app()", *args],
                          input=stdin, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)


def test_cli_ask_json_and_history():
    r = _cli("ask", "And its rank?", "--history", "What is Shenzhen's innovation base score in 2019?", "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    # the follow-up keeps the subject: Shenzhen's 2019 innovation-base rank, 34 of 36 (line 1942)
    assert d["mode"] == "offline" and d["language"] == "en"
    assert re.search(r"(?<![\d.])34(?:th)?(?![\d.])", d["answer"]) and "Shenzhen" in d["answer"]
    assert any(n["value"] == 34 for n in d["numbers"]), d["numbers"]
    assert d["tool_calls"][0]["args"] == {"edition": "hardtech-2019", "entity": "深圳"}


def test_cli_ask_rejects_empty_question():
    r = _cli("ask", " ")
    assert r.returncode == 2


def test_cli_chat_piped_stdin_exits_on_eof():
    r = _cli("chat", stdin="深圳2020年排名第几？\n/sources\n那杭州呢？\n/json\n")
    assert r.returncode == 0, r.stderr
    assert "42.92" in r.stdout and "32.99" in r.stdout and '"mode": "offline"' in r.stdout
