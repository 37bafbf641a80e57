"""Issue 15, the service's side of LLM mode, against the scripted OpenAI-compatible server
(``tests/llm_server``): streamed tokens and the verification event relayed unchanged, a replaced
answer made visible in the OpenAI stream, the LLM as an optional ``/readyz`` component, and no
cached envelopes while an LLM is configured.
"""
from __future__ import annotations

import json

from fastapi.testclient import TestClient

from hardtech.settings import Settings
from service.app import create_app
from service.backends import RealBackend
from tests.conftest import free_port
from tests.llm_server import llm_config, scripted_server, transcript  # noqa: F401 (fixtures)

INVENTED = "answer_invented_number_en"  # the model adds "12.5%": verification replaces the streamed text


def client(tmp_path, backend=None) -> TestClient:
    return TestClient(create_app(Settings(home=tmp_path, rate_limit=0), backend=backend), raise_server_exceptions=False)


def sse(text: str) -> list[tuple[str, dict | str]]:
    out, kind = [], None
    for line in text.splitlines():
        if line.startswith("event:"):
            kind = line.split(":", 1)[1].strip()
        elif line.startswith("data:"):
            data = line[5:].strip()
            out.append((kind or "message", json.loads(data) if data.startswith("{") else data))
            kind = None
    return out


def test_the_stream_relays_tokens_then_verification_then_citations_chart_done(tmp_path, scripted_server, llm_config):
    t = transcript(INVENTED)
    llm_config()
    scripted_server.play(t["replies"])
    events = sse(client(tmp_path).post("/api/v1/ask/stream", json={"question": t["question"]}).text)
    kinds = [k for k, _ in events]
    assert kinds[0] == "tool" and kinds[-1] == "done" and "token" in kinds, kinds
    v = kinds.index("verification")
    assert all(k == "token" for k in kinds[kinds.index("token"):v]) and set(kinds[v + 1:-1]) <= {"citation", "chart"}
    streamed = "".join(d["text"] for k, d in events if k == "token")
    verification, done = events[v][1], events[-1][1]
    assert "12.5%" in streamed  # the model's tokens, as produced
    assert verification["status"] == "replaced" and verification["notice"] and "12.5" not in verification["answer"]
    assert done["answer"] == verification["answer"] and "42.92" in done["answer"]


def test_the_openai_stream_shows_a_replaced_answer_under_a_rule_and_ends_with_the_verified_envelope(
        tmp_path, scripted_server, llm_config):
    t = transcript(INVENTED)
    llm_config()
    scripted_server.play(t["replies"])
    r = client(tmp_path).post("/v1/chat/completions", json={"messages": [{"role": "user", "content": t["question"]}],
                                                           "stream": True})
    chunks = [d for _, d in sse(r.text) if isinstance(d, dict)]
    content = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    final = chunks[-1]["hardtech"]  # the envelope: always the verified answer
    streamed, rule, after = content.partition("\n\n---\n")
    assert "12.5%" in streamed and rule  # streamed tokens cannot be taken back, so the verified answer follows a rule
    notice, _, answer = after.partition("\n\n")
    assert notice.startswith("The answer was checked against the data and corrected"), after[:300]
    assert answer.startswith(final["answer"]) and "42.92" in final["answer"] and "12.5" not in final["answer"]
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"


def test_readyz_reports_the_llm_as_optional_and_caches_the_probe(tmp_path, scripted_server, llm_config):
    llm_config()
    scripted_server.play([])
    c = client(tmp_path)
    first, second = c.get("/readyz"), c.get("/readyz")
    assert first.status_code == 200 and first.json()["checks"]["llm"]["status"] == "ok"
    assert first.json()["checks"]["llm"]["required"] is False
    assert len([r for r in scripted_server.requests if r.method == "GET"]) == 1  # the second one reused the probe

    llm_config(base_url=f"http://127.0.0.1:{free_port()}/v1")  # nothing listens there
    r = client(tmp_path).get("/readyz")
    assert r.status_code == 200 and r.json()["status"] == "degraded", r.json()  # answers stay available offline
    llm = r.json()["checks"]["llm"]
    assert llm["status"] == "degraded" and llm["error"] and llm["hint"]


def test_no_envelope_is_cached_while_an_llm_is_configured_even_an_offline_fallback(tmp_path, scripted_server, llm_config):
    llm_config()
    scripted_server.play([])  # nothing queued: every model request gets HTTP 500, so the answers are offline fallbacks
    c = client(tmp_path, backend=RealBackend())  # no spec given: the settings say there is an LLM
    q = {"question": "深圳2019年创新基础得分是多少？"}
    first, second = c.post("/api/v1/ask", json=q), c.post("/api/v1/ask", json=q)
    assert first.json()["mode"] == "offline" and "3.93" in first.json()["answer"]
    assert first.headers["x-answer-cache"] == second.headers["x-answer-cache"] == "off"
    assert RealBackend().deterministic() is False
