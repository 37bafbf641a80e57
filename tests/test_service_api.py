"""The HTTP API (service/): every endpoint, auth on and off, every error path, real numbers."""
from __future__ import annotations

import csv
import io
import json
import re
import sqlite3

import pytest
from fastapi.testclient import TestClient

from assistant import retrieval
from hardtech.settings import Settings, SettingsError
from service.app import create_app
from tests.conftest import shared_home
from tests.doubles import FakeBackend

SZ_Q = "why is Shenzhen weak on innovation base?"
TIER_Q = "2020年第二梯队有哪些城市？"
REPORT_2019 = "001_2d381f25c7fc5f5d.txt"  # 2019 中国硬科技发展白皮书


@pytest.fixture(scope="session")
def retrieval_index():
    """Build the retrieval index once, in the main thread, before any search."""
    return shared_home()


def make_client(tmp_path, backend=None, **settings) -> TestClient:
    s = Settings(home=tmp_path, **{"rate_limit": 0, **settings})
    return TestClient(create_app(s, backend=backend), raise_server_exceptions=False)


def squash(text: str) -> str:
    """Text without whitespace: report lines and passages are compared this way (tables are tab-separated)."""
    return re.sub(r"\s+", "", text)


@pytest.fixture()
def client(tmp_path):
    return make_client(tmp_path)


@pytest.fixture()
def fake_client(tmp_path):
    return make_client(tmp_path, backend=FakeBackend())


def assert_error(r, status: int, code: str | None = None):
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"}
    err = body["error"]
    assert {"code", "message", "hint"} <= set(err)
    assert isinstance(err["message"], str) and err["message"]
    assert "Traceback" not in r.text and 'File "' not in r.text
    if code:
        assert err["code"] == code, err
    return err


def sse_events(text: str) -> list[tuple[str, dict]]:
    out = []
    for block in text.strip().split("\n\n"):
        event, data = None, []
        for line in block.split("\n"):
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                data.append(line[6:])
        if event:
            out.append((event, json.loads("\n".join(data))))
    return out


# ------------------------------------------------------------------ probes, page, docs
def test_health_and_ready(retrieval_index, client):
    assert client.get("/healthz").json() == {"status": "ok"}
    r = client.get("/readyz")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ready"
    assert body["checks"]["editions"]["count"] == 4
    assert body["checks"]["store"]["status"] == "ok"


def test_page_and_vendored_assets(client):
    r = client.get("/")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    assert "script-src 'self'" in r.headers["content-security-policy"]
    html = r.text
    assert "http://" not in html and "https://" not in html  # nothing from a CDN
    for asset in ("/static/app.js", "/static/app.css", "/static/vendor/echarts.min.js",
                  "/static/vendor/marked.umd.js", "/static/vendor/purify.min.js"):
        assert asset in html
        a = client.get(asset)
        assert a.status_code == 200 and len(a.content) > 1000, asset
    js = client.get("/static/strings.js").text  # the pages' labels and example questions
    for example in (SZ_Q[0].upper() + SZ_Q[1:], TIER_Q):
        assert example in js


def test_openapi_and_offline_docs(client):
    spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    for p in ("/api/v1/editions", "/api/v1/editions/{edition}", "/api/v1/editions/{edition}/scores",
              "/api/v1/editions/{edition}/entities/{name}", "/api/v1/editions/{edition}/rankings", "/api/v1/compare",
              "/api/v1/editions/{edition}/entities/{name}/explain", "/api/v1/whatif", "/api/v1/sensitivity",
              "/api/v1/search", "/api/v1/passages", "/api/v1/ask", "/api/v1/ask/stream", "/api/v1/feedback",
              "/v1/chat/completions", "/healthz", "/readyz"):
        assert p in paths, p
    docs = client.get("/docs").text
    assert "/static/vendor/swagger-ui-bundle.js" in docs and "cdn.jsdelivr" not in docs


# ------------------------------------------------------------------ editions and scores
def test_editions(client):
    eds = client.get("/api/v1/editions").json()["editions"]
    assert {e["id"] for e in eds} == {"hardtech-2019", "hardtech-2020", "gtii-2019", "chongqing-2018q3"}


def test_edition_detail_has_weights_and_tier_flags(client):
    d = client.get("/api/v1/editions/hardtech-2019").json()
    assert d["weights"] == pytest.approx({"innovation_base": 0.15, "innovation_input": 0.35,
                                          "innovation_output": 0.35, "innovation_environment": 0.15})
    assert d["dimensions"] == ["innovation_base", "innovation_input", "innovation_output", "innovation_environment"]
    statuses = {t["tier"]: t["status"] for t in d["tiers"]["tiers"]}
    assert statuses[1] == "assumed" and statuses[2] == "assumed"
    assert "stated" in statuses.values()
    assert any(x["entity"] == "西安" for x in d["discrepancies"])
    assert client.get("/api/v1/editions/gtii-2019").json()["tiers"] is None


def test_entity_shenzhen_2019_real_numbers(client):
    for alias in ("Shenzhen", "深圳", "shenzhen", "深圳市"):
        r = client.get(f"/api/v1/editions/hardtech-2019/entities/{alias}")
        assert r.status_code == 200, (alias, r.text)
        e = r.json()
        assert e["name"] == "深圳"
        assert e["composite"] == 50.99 and e["rank"] == 3
        assert e["dimensions"]["innovation_base"] == {"score": 3.93, "rank": 34}


def test_scores_json_and_csv(client):
    data = client.get("/api/v1/editions/hardtech-2019/scores").json()
    assert data["of"] == 36 and len(data["entities"]) == 36
    r = client.get("/api/v1/editions/hardtech-2019/scores?format=csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == 36
    sz = next(x for x in rows if x["name"] == "深圳")
    assert sz["composite"] == "50.99" and sz["rank"] == "3" and sz["innovation_base.score"] == "3.93"
    assert sz["innovation_base.rank"] == "34"


def test_tiers_2020(client):
    t = client.get("/api/v1/editions/hardtech-2020/tiers").json()
    tier2 = next(x for x in t["tiers"] if x["tier"] == 2)
    assert tier2["members"] == ["上海", "深圳"]


# The 2019 report's printed numbers: composites on line 1821, 表2's innovation-base column on lines 1839-1869.
RANKINGS_2019 = [
    ({"top": 3}, [("北京", 86.59, 1), ("上海", 51.86, 2), ("深圳", 50.99, 3)], {1821}),
    ({"by": "innovation_base", "top": 3}, [("北京", 89.31, 1), ("武汉", 25.70, 2), ("南京", 25.61, 3)], {1839, 1859, 1849}),
    ({"by": "创新基础", "bottom": True, "top": 2}, [("拉萨", 2.94, 36), ("宁波", 3.24, 35)], {1869, 1851}),
]


@pytest.mark.parametrize("params,expected,lines", RANKINGS_2019)
def test_rankings_match_the_report(client, seed_lines, params, expected, lines):
    r = client.get("/api/v1/editions/hardtech-2019/rankings", params=params)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["of"] == 36 and body["order"] == ("bottom" if params.get("bottom") else "top")
    assert body["by"] == ("composite" if "by" not in params else "innovation_base")
    assert [(e["name"], e["score"], e["rank"]) for e in body["entities"]] == expected
    printed = "".join(seed_lines(REPORT_2019)[n - 1] for n in lines)
    for name, score, _ in expected:  # the expected values are the report's, not the code's
        assert name in printed and f"{score:.2f}" in printed


def test_compare(client):
    r = client.get("/api/v1/compare", params={"edition": "hardtech-2020", "names": "上海,Shenzhen，北京"})
    assert r.status_code == 200
    names = [e["name"] for e in r.json()["entities"]]
    assert names == ["上海", "深圳", "北京"]


def test_explain(client):
    e = client.get("/api/v1/editions/hardtech-2019/entities/Shenzhen/explain").json()
    assert e["weakest_dimension"] == "innovation_base"
    assert e["dimensions"]["innovation_base"]["score"] == 3.93


def test_whatif_and_sensitivity(client):
    w = {"innovation_base": 1, "innovation_input": 1, "innovation_output": 1, "innovation_environment": 1}
    r = client.post("/api/v1/whatif", json={"edition": "hardtech-2019", "weights": w})
    assert r.status_code == 200
    sz = next(e for e in r.json()["entities"] if e["name"] == "深圳")
    assert sz["baseline_rank"] == 3 and sz["baseline_composite"] == 50.99
    assert sz["composite"] == pytest.approx((3.93 + 61.26 + 55.44 + 63.68) / 4, abs=0.01)
    r = client.post("/api/v1/sensitivity", json={"edition": "hardtech-2020", "draws": 200, "seed": 7})
    assert r.status_code == 200
    bj = next(e for e in r.json()["entities"] if e["name"] == "北京")
    assert bj["baseline_rank"] == 1 and r.json()["draws"] == 200


# ------------------------------------------------------------------ error paths
@pytest.mark.parametrize("url,status,code", [
    ("/api/v1/editions/hardtech-2019/entities/Atlantis", 404, "unknown_entity"),
    ("/api/v1/editions/hardtech-2019/entities/Atlantis/explain", 404, "unknown_entity"),
    ("/api/v1/editions/nope", 404, "unknown_edition"),
    ("/api/v1/editions/nope/scores", 404, "unknown_edition"),
    ("/api/v1/editions/nope/entities/深圳", 404, "unknown_edition"),
    ("/api/v1/editions/gtii-2019/entities/合肥", 404, "not_available"),
    ("/api/v1/editions/gtii-2019/tiers", 409, "not_available"),
    ("/api/v1/editions/hardtech-2019/rankings?by=nonsense", 422, "unknown_dimension"),
    ("/api/v1/editions/hardtech-2019/rankings?top=0", 422, "invalid_input"),  # index_core.inputs, as the CLI
    ("/api/v1/editions/hardtech-2019/rankings?top=abc", 422, "invalid_request"),
    ("/api/v1/editions/hardtech-2019/scores?format=xml", 422, "invalid_request"),
    ("/api/v1/compare?edition=hardtech-2019&names=深圳", 422, "invalid_input"),
    ("/api/v1/compare?edition=hardtech-2019", 422, "invalid_request"),
    ("/api/v1/compare?edition=hardtech-2019&names=深圳,Atlantis", 404, "unknown_entity"),
    ("/api/v1/nope", 404, "not_found"),
    ("/api/v1/passages?source_file=001_2d381f25c7fc5f5d.txt&first=9&last=2", 422, "invalid_range"),
    ("/api/v1/passages?source_file=001_2d381f25c7fc5f5d.txt&first=0&last=2", 422, "invalid_request"),
    ("/api/v1/search?q=", 422, "invalid_request"),
])
def test_get_errors(client, url, status, code):
    assert_error(client.get(url), status, code)


def test_unknown_entity_has_suggestions(client):
    err = assert_error(client.get("/api/v1/editions/hardtech-2019/entities/Shenzen"), 404, "unknown_entity")
    assert "深圳" in err["suggestions"]


@pytest.mark.parametrize("path,body,status,code", [
    ("/api/v1/whatif", {"edition": "hardtech-2019", "weights": {"innovation_base": -1}}, 422, "invalid_input"),
    ("/api/v1/whatif", {"edition": "hardtech-2019", "weights": {"innovation_base": 0}}, 422, "invalid_input"),
    ("/api/v1/whatif", {"edition": "hardtech-2019", "weights": {"bogus": 1}}, 422, "unknown_dimension"),
    ("/api/v1/whatif", {"edition": "nope", "weights": {"x": 1}}, 404, "unknown_edition"),
    ("/api/v1/whatif", {"edition": "hardtech-2019"}, 422, "invalid_request"),
    ("/api/v1/whatif", {"edition": "hardtech-2019", "weights": {}}, 422, "invalid_request"),
    ("/api/v1/sensitivity", {"edition": "hardtech-2019", "draws": 0}, 422, "invalid_input"),
    ("/api/v1/sensitivity", {"edition": "hardtech-2019", "draws": 10_000_000}, 422, "invalid_input"),
    ("/api/v1/sensitivity", {"edition": "gtii-2019", "draws": 10}, 409, "not_available"),
    ("/api/v1/ask", {"question": ""}, 422, "invalid_request"),
    ("/api/v1/ask", {"question": "   "}, 422, "invalid_request"),
    ("/api/v1/ask", {"question": "x" * 2001}, 422, "question_too_long"),
    ("/api/v1/ask", {"question": "hi", "history": [{"role": "robot", "content": "x"}]}, 422, "invalid_request"),
    ("/api/v1/ask", {"question": "hi", "history": [{"role": "user", "content": "x"}] * 41}, 422, "history_too_long"),
    ("/api/v1/ask/stream", {"question": "x" * 2001}, 422, "question_too_long"),
    ("/api/v1/feedback", {"rating": "meh"}, 422, "invalid_request"),
    ("/v1/chat/completions", {"messages": []}, 422, "invalid_request"),
    ("/v1/chat/completions", {"messages": [{"role": "assistant", "content": "hi"}]}, 422, "invalid_request"),
])
def test_post_errors(client, path, body, status, code):
    assert_error(client.post(path, json=body), status, code)


def test_malformed_json_and_method(client):
    r = client.post("/api/v1/whatif", content=b"{not json", headers={"content-type": "application/json"})
    assert_error(r, 422, "invalid_request")
    assert_error(client.get("/api/v1/whatif"), 405, "method_not_allowed")


def test_body_limit(tmp_path):
    c = make_client(tmp_path, max_body_bytes=1024)
    assert_error(c.post("/api/v1/ask", json={"question": "x" * 5000}), 413, "payload_too_large")

    def chunks():  # no Content-Length: counted while reading
        for _ in range(10):
            yield b" " * 500

    r = c.post("/api/v1/ask", content=chunks(), headers={"content-type": "application/json"})
    assert_error(r, 413, "payload_too_large")


def test_internal_errors_have_no_trace(tmp_path):
    class Broken(FakeBackend):
        def ask(self, question, history):
            raise RuntimeError("secret internal detail /etc/passwd")

    c = make_client(tmp_path, backend=Broken())
    err = assert_error(c.post("/api/v1/ask", json={"question": "hi"}), 500, "internal_error")
    assert "secret" not in json.dumps(err)


def test_missing_retrieval_index_is_503_with_the_fix(tmp_path):
    class NoIndex(FakeBackend):
        def search(self, query, k, edition, entity):
            raise retrieval.errors.IndexMissingError(str(tmp_path / "index"))

    err = assert_error(make_client(tmp_path, backend=NoIndex()).get("/api/v1/search", params={"q": "深圳"}), 503)
    assert "hardtech index build" in err["hint"]


def test_unexpected_error_is_logged_once_with_its_traceback(tmp_path, caplog):
    class Broken(FakeBackend):
        def ask(self, question, history):
            raise RuntimeError("secret internal detail")

    with caplog.at_level("ERROR"):
        assert_error(make_client(tmp_path, backend=Broken()).post("/api/v1/ask", json={"question": "hi"}), 500, "internal_error")
    logged = [r for r in caplog.records if r.exc_info]
    assert len(logged) == 1 and "RuntimeError" in caplog.text and "/api/v1/ask" in logged[0].getMessage()


# ------------------------------------------------------------------ auth, CORS, rate limit
def test_auth_on(tmp_path):
    k1, k2 = "key-one-0123456789", "key-two-0123456789"
    c = make_client(tmp_path, api_keys=(k1, k2))
    assert_error(c.get("/api/v1/editions"), 401, "unauthorized")
    assert_error(c.get("/api/v1/editions", headers={"X-API-Key": "wrong"}), 401, "unauthorized")
    assert c.get("/api/v1/editions", headers={"X-API-Key": k2}).status_code == 200
    assert c.get("/api/v1/editions", headers={"Authorization": f"Bearer {k1}"}).status_code == 200
    assert_error(c.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "hi"}]}), 401, "unauthorized")
    assert c.get("/v1/models", headers={"Authorization": f"Bearer {k1}"}).status_code == 200
    # probes, page and docs stay open
    for url in ("/healthz", "/readyz", "/", "/openapi.json", "/docs"):
        assert c.get(url).status_code == 200, url


def test_auth_off(client):
    assert client.get("/api/v1/editions").status_code == 200
    assert client.get("/api/v1/editions", headers={"X-API-Key": "anything"}).status_code == 200


def test_cors(tmp_path):
    c = make_client(tmp_path, cors_origins=("https://portal.example",))
    r = c.options("/api/v1/editions", headers={"Origin": "https://portal.example", "Access-Control-Request-Method": "GET"})
    assert r.headers.get("access-control-allow-origin") == "https://portal.example"
    r = c.get("/api/v1/editions", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers
    r = make_client(tmp_path).get("/api/v1/editions", headers={"Origin": "https://portal.example"})
    assert "access-control-allow-origin" not in r.headers


def test_rate_limit_is_per_key(tmp_path):
    a = make_client(tmp_path, api_keys=("key-a-0123456789ab", "key-b-0123456789ab"), rate_limit=3)
    ka, kb = {"X-API-Key": "key-a-0123456789ab"}, {"X-API-Key": "key-b-0123456789ab"}
    for _ in range(3):
        assert a.get("/api/v1/editions", headers=ka).status_code == 200
    r = a.get("/api/v1/editions", headers=ka)
    err = assert_error(r, 429, "rate_limited")
    assert 1 <= int(r.headers["retry-after"]) <= 60 and "3 requests" in err["message"]
    assert a.get("/api/v1/editions", headers=kb).status_code == 200  # another key is unaffected
    assert a.get("/healthz").status_code == 200  # probes are not limited
    assert not (tmp_path / "service.sqlite3").exists()  # counting a request writes nothing to disk


def test_memory_rate_limits_are_per_worker(tmp_path):
    """The default storage (memory://) counts in each worker process; README says so."""
    a, b = (make_client(tmp_path, rate_limit=2) for _ in range(2))
    assert [a.get("/api/v1/editions").status_code for _ in range(3)] == [200, 200, 429]
    assert b.get("/api/v1/editions").status_code == 200


def test_bad_rate_limit_storage_names_the_variable(tmp_path):
    with pytest.raises(SettingsError, match="HARDTECH_RATE_LIMIT_STORAGE"):
        make_client(tmp_path, rate_limit=5, rate_limit_storage="nosuchstore://x")


# ------------------------------------------------------------------ retrieval
def test_search(client, retrieval_index, seed_lines):
    r = client.get("/api/v1/search", params={"q": "深圳 创新基础", "k": 3, "edition": "hardtech-2019", "city": "深圳"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["query"], body["k"], body["edition"], body["city"]) == ("深圳 创新基础", 3, "hardtech-2019", "深圳")
    res = body["results"]
    assert 1 <= len(res) <= 3
    for x in res:  # every passage is the 2019 report's own lines, about Shenzhen
        assert x["source_file"] == REPORT_2019 and x["doc_title"] == "2019 中国硬科技发展白皮书"
        assert "hardtech-2019" in x["editions"] and "深圳" in x["entities"]
        first, last = x["lines"]
        cited = [squash(line) for line in seed_lines(REPORT_2019)[first - 1:last] if len(squash(line)) >= 8]
        assert cited and any(line in squash(x["text"]) for line in cited), (x["lines"], x["text"][:200])
    assert [x["score"] for x in res] == sorted((x["score"] for x in res), reverse=True)
    # Shenzhen's printed innovation-base score, 3.93 (rank 34), is in what comes back: line 1862 (表2) or 1942
    assert any("3.93" in x["text"] and (x["lines"][0] <= 1862 <= x["lines"][1] or x["lines"][0] <= 1942 <= x["lines"][1])
               for x in res)
    assert_error(client.get("/api/v1/search", params={"q": "x", "edition": "nope"}), 404, "unknown_edition")
    err = assert_error(client.get("/api/v1/search", params={"q": "x", "city": "Atlantis"}), 404, "unknown_entity")
    assert err["hint"]
    assert_error(client.get("/api/v1/search", params={"q": "x", "k": 0}), 422, "invalid_input")


def test_passages(client):
    r = client.get("/api/v1/passages", params={"source_file": "001_2d381f25c7fc5f5d.txt", "first": 1862, "last": 1862, "context": 2})
    assert r.status_code == 200
    p = r.json()
    assert [ln["no"] for ln in p["lines"]] == [1860, 1861, 1862, 1863, 1864]
    cited = [ln for ln in p["lines"] if ln["cited"]]
    assert len(cited) == 1 and "3.93" in cited[0]["text"]
    assert p["doc_title"]
    assert_error(client.get("/api/v1/passages", params={"source_file": "nope.txt", "first": 1, "last": 1}), 404, "unknown_document")
    assert_error(client.get("/api/v1/passages", params={"source_file": "001_2d381f25c7fc5f5d.txt", "first": 99999, "last": 99999}),
                 422, "invalid_range")


# ------------------------------------------------------------------ feedback
def test_feedback_stored_in_sqlite(client, tmp_path):
    r = client.post("/api/v1/feedback", json={"rating": "down", "comment": "missing the 2020 view", "question": SZ_Q,
                                               "answer": "…", "message_id": "m1"})
    assert r.status_code == 201 and r.json()["status"] == "stored"
    with sqlite3.connect(tmp_path / "service.sqlite3") as db:
        row = db.execute("SELECT rating, comment, question FROM feedback").fetchone()
    assert row == ("down", "missing the 2020 view", SZ_Q)


# ------------------------------------------------------------------ ask (fake backend: the wire formats)
def test_ask_stream_wire_format(fake_client):
    r = fake_client.post("/api/v1/ask/stream", json={"question": SZ_Q, "history": [{"role": "user", "content": "hi"}]})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    events = sse_events(r.text)
    kinds = [k for k, _ in events]
    assert kinds[0] == "tool" and kinds[-1] == "done"
    assert {"token", "citation", "chart"} <= set(kinds)
    text = "".join(d["text"] for k, d in events if k == "token")
    assert text == events[-1][1]["answer"] and "3.93" in text


def test_ask_stream_keeps_the_connection_alive_while_answering(tmp_path, monkeypatch):
    import service.responses

    monkeypatch.setattr(service.responses, "PING_SECONDS", 0.05)
    c = make_client(tmp_path, backend=FakeBackend(delay=0.03))  # each token takes 30 ms
    r = c.post("/api/v1/ask/stream", json={"question": SZ_Q})
    assert r.status_code == 200 and r.headers["cache-control"] == "no-cache"
    assert re.search(r"^: ping", r.text, re.M)  # comment lines, which SSE clients ignore
    events = sse_events(r.text)
    assert events[-1][0] == "done" and "".join(d["text"] for k, d in events if k == "token") == events[-1][1]["answer"]


def test_ask_stream_passes_new_event_types_through(tmp_path):
    class Newer(FakeBackend):
        def ask_stream(self, question, history):
            yield "model_token", {"text": "深圳"}
            yield from super().ask_stream(question, history)

    events = sse_events(make_client(tmp_path, backend=Newer()).post("/api/v1/ask/stream", json={"question": SZ_Q}).text)
    assert events[0] == ("model_token", {"text": "深圳"}) and events[-1][0] == "done"
    assert [k for k, _ in events[:2]] == ["model_token", "tool"]


def test_ask_stream_error_event_without_trace(fake_client):
    r = fake_client.post("/api/v1/ask/stream", json={"question": "boom"})
    events = sse_events(r.text)
    assert events[-1][0] == "error"
    assert events[-1][1]["code"] == "internal_error" and "secret" not in r.text


def test_openai_compat_with_fake(fake_client):
    body = {"model": "hardtech", "messages": [{"role": "system", "content": "be brief"},
                                              {"role": "user", "content": [{"type": "text", "text": SZ_Q}]}]}
    r = fake_client.post("/v1/chat/completions", json=body)
    assert r.status_code == 200
    d = r.json()
    assert d["object"] == "chat.completion"
    content = d["choices"][0]["message"]["content"]
    assert "3.93" in content and "\n[1] " in content  # numbered footnote
    assert d["citations"][0]["source_file"] == "001_2d381f25c7fc5f5d.txt"
    r = fake_client.post("/v1/chat/completions", json={**body, "stream": True})
    lines = [ln[6:] for ln in r.text.split("\n") if ln.startswith("data: ")]
    assert lines[-1] == "[DONE]"
    chunks = [json.loads(x) for x in lines[:-1]]
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    streamed = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert "3.93" in streamed and "[1] " in streamed
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop" and chunks[-1]["citations"]


# ------------------------------------------------------------------ ask (the real assistant)
def test_ask_real_shenzhen(client, retrieval_index, seed_lines):
    r = client.post("/api/v1/ask", json={"question": SZ_Q})
    assert r.status_code == 200, r.text
    env = r.json()
    # the one warning is the reviewed note on a figure the answer uses (the report's "2,73%"), not a fault
    assert (env["language"], env["mode"]) == ("en", "offline")
    assert [w for w in env["warnings"] if not w.startswith("report note:")] == []
    assert "3.93" in env["answer"] and any(n["value"] == 3.93 for n in env["numbers"])
    assert any(call["name"] for call in env["tool_calls"]) and env["citations"]
    for c in env["citations"]:  # each quote is on its cited lines of the report
        first, last = c["lines"]
        assert squash(c["quote"])[:40] in squash("".join(seed_lines(c["source_file"])[first - 1:last])), c
    c = env["citations"][0]
    p = client.get("/api/v1/passages", params={"source_file": c["source_file"], "first": c["lines"][0], "last": c["lines"][1]})
    assert p.status_code == 200 and [ln["no"] for ln in p.json()["lines"] if ln["cited"]] == list(range(c["lines"][0], c["lines"][1] + 1))


def test_ask_real_tier2(client, retrieval_index):
    env = client.post("/api/v1/ask", json={"question": TIER_Q, "history": [{"role": "user", "content": "你好"},
                                                                          {"role": "assistant", "content": "你好！"}]}).json()
    assert "上海" in env["answer"] and "深圳" in env["answer"]


def test_ask_stream_real(client, retrieval_index):
    r = client.post("/api/v1/ask/stream", json={"question": SZ_Q})
    events = sse_events(r.text)
    assert events[-1][0] == "done"
    assert "3.93" in "".join(d["text"] for k, d in events if k == "token")
    assert any(k == "citation" for k, _ in events) and any(k == "tool" for k, _ in events)


def test_openai_compat_real(client, retrieval_index):
    r = client.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": TIER_Q}]})
    assert r.status_code == 200
    d = r.json()
    assert "上海" in d["choices"][0]["message"]["content"] and d["citations"]


# ------------------------------------------------------------------ every edition through every read endpoint
@pytest.mark.parametrize("edition", ["hardtech-2019", "hardtech-2020", "gtii-2019", "chongqing-2018q3"])
def test_every_edition_reads_as_strict_json(client, edition):
    first = client.get(f"/api/v1/editions/{edition}/scores").json()["entities"][0]["name"]
    urls = [f"/api/v1/editions/{edition}", f"/api/v1/editions/{edition}/scores", f"/api/v1/editions/{edition}/scores?format=csv",
            f"/api/v1/editions/{edition}/entities/{first}", f"/api/v1/editions/{edition}/entities/{first}/explain",
            f"/api/v1/editions/{edition}/rankings?top=5"]
    for url in urls:
        r = client.get(url)
        assert r.status_code == 200, (url, r.text[:300])
        if "csv" not in url:
            json.loads(r.text, parse_constant=lambda c: pytest.fail(f"{url}: non-JSON constant {c}"))
