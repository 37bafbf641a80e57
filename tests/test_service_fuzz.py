"""Property-based fuzz of the OpenAPI schema (schemathesis 4): no 500s, one error shape.

Bounded: a few dozen examples per operation. The assistant endpoints (ask, ask/stream,
chat completions) are excluded; they are covered by test_service_api.py. Every other route is
fuzzed, search included: the app starts on a home with the retrieval index built.
"""
from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings

from hardtech.settings import Settings
from service.app import create_app
from tests.conftest import shared_home
from tests.doubles import FakeBackend

schema = schemathesis.openapi.from_asgi(
    "/openapi.json", create_app(Settings(home=shared_home(), rate_limit=0), backend=FakeBackend()))
schema = schema.exclude(path_regex=r"^/(api/v1/ask|v1/chat/completions)")


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case):
    response = case.call()
    assert response.status_code < 500, (case.method, case.formatted_path, case.query, case.body, response.text[:500])
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"} and {"code", "message", "hint"} <= set(body["error"]), body
        assert "Traceback" not in response.text


def test_the_fuzz_covers_every_non_assistant_route():
    fuzzed = {op.path for op in (result.ok() for result in schema.get_all_operations())}
    assert {"/api/v1/search", "/api/v1/passages", "/api/v1/editions/{edition}/scores", "/api/v1/whatif",
            "/api/v1/feedback", "/healthz", "/readyz"} <= fuzzed
