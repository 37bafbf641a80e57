"""Every surface gives the answer ``assistant.ask`` gives: ``POST /api/v1/ask``, the streamed
``/api/v1/ask/stream`` the chat page reads, the OpenAI-compatible ``/v1/chat/completions`` (plain
and streamed) and ``hardtech ask --json``. A sample of the dev golden questions, spread over the
set (every operation, both languages, follow-ups with their history), goes through each surface;
the answer text, its numbers and its citations must be the in-process ones, and pass the item.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import assistant
from hardtech.settings import Settings
from service.app import create_app
from tests.test_assistant_golden import ITEMS, problems_with

STEP = 9  # every ninth golden item: about 15 questions across the file's sections
SAMPLE = ITEMS[::STEP]
EXTRA = yaml.safe_load((Path(__file__).resolve().parent.parent / "assistant/evaluation/golden_extra.yaml")
                       .read_text(encoding="utf-8"))
FOLLOW_UPS = [i for i in EXTRA if i.get("history")][:3]  # with assistant turns in the history


def _history(item) -> list[dict]:
    return [{"role": "user", "content": h} if isinstance(h, str) else h for h in item.get("history") or []]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    settings = Settings(home=tmp_path_factory.mktemp("surfaces"), rate_limit=0, answer_cache=0)
    return TestClient(create_app(settings), raise_server_exceptions=False)


def _same(env: dict, reference: assistant.Envelope) -> None:
    assert env["answer"] == reference.answer
    assert [round(n["value"], 4) for n in env["numbers"]] == [round(n.value, 4) for n in reference.numbers]
    assert [(c["source_file"], tuple(c["lines"])) for c in env["citations"]] == \
        [(c.source_file, tuple(c.lines)) for c in reference.citations]


def _events(text: str) -> list[tuple[str, dict]]:
    out, kind = [], None
    for line in text.splitlines():
        if line.startswith("event:"):
            kind = line.split(":", 1)[1].strip()
        elif line.startswith("data:") and kind:
            out.append((kind, json.loads(line.split(":", 1)[1])))
    return out


@pytest.mark.parametrize("item", SAMPLE + FOLLOW_UPS, ids=[i["id"] for i in SAMPLE + FOLLOW_UPS])
def test_the_http_surfaces_answer_as_the_assistant(client, item):
    history = _history(item)
    reference = assistant.ask(item["question"], history)
    if "lang" in item and "expected_numbers" in item:  # golden.yaml items: the reference itself passes
        assert not problems_with(item, reference), item["id"]

    r = client.post("/api/v1/ask", json={"question": item["question"], "history": history})
    assert r.status_code == 200, r.text
    _same(r.json(), reference)

    r = client.post("/api/v1/ask/stream", json={"question": item["question"], "history": history})
    assert r.status_code == 200, r.text
    events = _events(r.text)
    done = [d for k, d in events if k == "done"]
    assert done, events[-3:]
    _same(done[0], reference)  # the chat page renders the streamed tokens, then this envelope
    assert "".join(d["text"] for k, d in events if k == "token") == reference.answer

    messages = history + [{"role": "user", "content": item["question"]}]
    r = client.post("/v1/chat/completions", json={"model": "hardtech", "messages": messages})
    assert r.status_code == 200, r.text
    body = r.json()
    _same(body["hardtech"], reference)
    assert body["choices"][0]["message"]["content"].startswith(reference.answer)

    r = client.post("/v1/chat/completions", json={"model": "hardtech", "messages": messages, "stream": True})
    assert r.status_code == 200, r.text
    chunks = [json.loads(line[5:]) for line in r.text.splitlines() if line.startswith("data:") and line[5:].strip() != "[DONE]"]
    assert "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks).startswith(reference.answer)


@pytest.mark.parametrize("item", [i for i in SAMPLE if all(isinstance(h, str) or h.get("role") == "user"
                                                             for h in i.get("history") or [])],
                         ids=lambda i: i["id"])
def test_the_cli_answers_as_the_assistant(item):
    from hardtech.cli import app

    history = _history(item)
    args = ["ask", item["question"], "--json"] + [a for h in history for a in ("--history", h["content"])]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    _same(json.loads(res.stdout), assistant.ask(item["question"], history))
