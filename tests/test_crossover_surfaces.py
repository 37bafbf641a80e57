"""The crossover weight (index_core.api.crossover, worked by hand in tests/test_core_crossover.py) through
the CLI and the HTTP API: the same figures, and clear errors for an edition without weights or an
unknown name."""
from __future__ import annotations

import json

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from hardtech.cli import app
from hardtech.settings import Settings
from service.app import create_app


def test_cli_gives_each_dimensions_tie_weight():
    res = CliRunner().invoke(app, ["crossover", "--edition", "hardtech-2020", "--city", "西安", "--other", "广州", "--json"])
    assert res.exit_code == 0, res.output
    dims = {d["dimension"]: d for d in json.loads(res.output)["dimensions"]}
    assert dims["hightech_output"]["weight"] == 0.3337 and dims["hightech_output"]["leader_above"] == "西安"
    assert dims["research_talent"]["weight"] is None


def test_cli_says_what_is_wrong_with_an_edition_without_weights():
    res = CliRunner().invoke(app, ["crossover", "--edition", "chongqing-2018q3", "--city", "渝北区", "--other", "江北区"])
    assert res.exit_code != 0 and "weighted dimension scores" in res.output


def test_http_route_returns_the_same_and_maps_errors(tmp_path):
    client = TestClient(create_app(Settings(home=tmp_path, rate_limit=0)), raise_server_exceptions=False)
    r = client.get("/api/v1/crossover", params={"edition": "hardtech-2019", "entity": "西安", "other": "广州"})
    assert r.status_code == 200, r.text
    base = next(d for d in r.json()["dimensions"] if d["dimension"] == "innovation_base")
    assert base["weight"] == 0.5818 and base["leader_above"] == "广州"
    bad = client.get("/api/v1/crossover", params={"edition": "hardtech-2019", "entity": "西按", "other": "广州"})
    assert bad.status_code in (404, 422) and "西安" in json.dumps(bad.json(), ensure_ascii=False)   # did you mean
