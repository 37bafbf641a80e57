"""The running service follows the editions: `POST /api/v1/admin/reload` (API key required), and
every worker noticing on its next request that a user edition was added or removed (issue 14).

The edition is added and removed by the CLI in another process, as an operator would."""
from __future__ import annotations

import pytest

from tests.editions_home import EXAMPLE, cli, leave_home, use_home
from tests.test_editions_add import hand_computed
from tests.test_service_api import make_client

KEY = "admin-key-0123456789"
AUTH = {"X-API-Key": KEY}
HEFEI_Q = "2025年示例城市硬科技指数中，合肥的综合得分是多少？"


@pytest.fixture()
def home(tmp_path, monkeypatch):
    use_home(monkeypatch, tmp_path)
    yield tmp_path
    monkeypatch.undo()
    leave_home()


def edition_ids(client) -> set[str]:
    r = client.get("/api/v1/editions", headers=AUTH)
    assert r.status_code == 200, r.text
    return {e["id"] for e in r.json()["editions"]}


def test_a_worker_follows_an_edition_added_and_removed_by_another_process(home):
    client = make_client(home, api_keys=(KEY,))
    assert "example-2025" not in edition_ids(client)
    before = client.post("/api/v1/ask", json={"question": HEFEI_Q}, headers=AUTH).json()  # remembered by the answer cache
    assert "example-2025" not in {n.get("edition") for n in before["numbers"]}

    cli(home, "edition", "add", str(EXAMPLE))
    assert "example-2025" in edition_ids(client)
    hefei = hand_computed()["合肥"]
    r = client.get("/api/v1/editions/example-2025/entities/合肥", headers=AUTH)
    assert r.status_code == 200 and r.json()["rank"] == hefei["rank"], r.text
    after = client.post("/api/v1/ask", json={"question": HEFEI_Q}, headers=AUTH).json()
    assert f"{round(hefei['composite'], 2):.2f}" in after["answer"], "the cached answer from before is forgotten"

    cli(home, "edition", "remove", "example-2025")
    r = client.get("/api/v1/editions/example-2025/entities/合肥", headers=AUTH)
    assert r.status_code == 404 and "example-2025" in r.json()["error"]["message"]


def test_admin_reload_answers_with_the_editions_now_served(home):
    client = make_client(home, api_keys=(KEY,))
    r = client.post("/api/v1/admin/reload", headers=AUTH)
    assert r.status_code == 200 and "hardtech-2019" in r.json()["editions"], r.text
    assert client.post("/api/v1/admin/reload", headers={"X-API-Key": "wrong-key-0123456789"}).status_code == 401


def test_admin_reload_is_refused_when_the_service_has_no_keys(home):
    r = make_client(home).post("/api/v1/admin/reload")
    assert r.status_code == 403
    error = r.json()["error"]
    assert error["code"] == "admin_needs_api_key" and "HARDTECH_API_KEYS" in error["hint"]
