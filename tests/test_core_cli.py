"""The CLI: stable JSON, clear errors, atomic output."""
from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from hardtech.cli import app

runner = CliRunner()
TOY = Path(__file__).resolve().parents[1] / "examples" / "toy"


def run_json(*args: str) -> dict:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_scores_json_shape():
    data = run_json("scores", "--edition", "hardtech-2019", "--city", "深圳市")
    assert data["edition"] == "hardtech-2019"
    e = data["entities"][0]
    assert {k: e[k] for k in ("name", "name_en", "composite", "published_composite", "rank", "tier", "tier_label")} == {
        "name": "深圳", "name_en": "Shenzhen", "composite": 50.99, "published_composite": 50.99,
        "rank": 3, "tier": 2, "tier_label": "第二梯队"}
    assert e["dimensions"]["innovation_base"] == {"score": 3.93, "rank": 34}


def test_rank_by_dimension_top_and_bottom():
    top = run_json("rank", "--edition", "hardtech-2020", "--by", "科研人才", "--top", "3")
    assert [(e["name"], e["score"]) for e in top["entities"]] == [("北京", 80.8), ("广州", 41.41), ("武汉", 40.97)]
    bottom = run_json("rank", "--edition", "hardtech-2019", "--by", "innovation_base", "--bottom", "--top", "3")
    assert [e["name"] for e in bottom["entities"]] == ["拉萨", "宁波", "深圳"]


def test_explain_json_has_the_documented_keys():
    data = run_json("explain", "--edition", "hardtech-2019", "--city", "Shenzhen")
    assert data["weakest_dimension"] == "innovation_base"
    assert set(data["contributions"]) == {"innovation_base", "innovation_input", "innovation_output", "innovation_environment"}
    assert data["gap_to_next_rank"] == 0.875


def test_editions_tiers_method_facts():
    eds = run_json("editions")["editions"]
    assert [e["id"] for e in eds] == ["chongqing-2018q3", "gtii-2019", "hardtech-2019", "hardtech-2020"]
    tiers = run_json("tiers", "--edition", "hardtech-2019")["tiers"]
    assert tiers[1]["members"] == ["上海", "深圳"]
    method = run_json("method", "--edition", "hardtech-2019")
    assert [d["weight"] for d in method["dimensions"]] == [0.15, 0.35, 0.35, 0.15]
    facts = run_json("facts", "--edition", "hardtech-2019", "--city", "深圳", "--indicator", "2")["facts"]
    assert any(f["value"] == 64.34 and f["stated_rank"] == 36 and f["source_file"] == "001_2d381f25c7fc5f5d.txt" for f in facts)


def test_facts_of_two_cities_give_their_differences():
    # 001:1957 深圳 10973 and 001:2017 广州 8678 国家高新技术企业 in 2017: 2295 more
    d = run_json("facts", "--city", "深圳", "--other", "广州", "--indicator", "国家高新技术企业数")["differences"]
    assert [(x["year"], x["difference"]) for x in d] == [(2017, 2295), (2012, 1189)]
    table = runner.invoke(app, ["facts", "--city", "深圳", "--other", "广州", "--indicator", "国家高新技术企业数"])
    assert table.exit_code == 0 and "+2295 家" in table.stdout
    r = runner.invoke(app, ["facts", "--other", "广州"])
    assert r.exit_code == 2 and "--city 深圳 --other 广州" in r.stderr


def test_whatif_and_sensitivity_json():
    w = run_json("whatif", "--edition", "hardtech-2019", "--weights",
                 "innovation_base=1,innovation_input=1,innovation_output=1,innovation_environment=1")
    assert w["weights"]["innovation_base"] == 0.25
    s1 = run_json("sensitivity", "--edition", "hardtech-2020", "--draws", "200", "--seed", "9")
    s2 = run_json("sensitivity", "--edition", "hardtech-2020", "--draws", "200", "--seed", "9")
    assert s1 == s2 and s1["draws"] == 200


def test_errors_exit_2_with_what_where_and_how():
    r = runner.invoke(app, ["scores", "--edition", "hardtech-2019", "--city", "深证"])
    assert r.exit_code == 2 and "深圳" in r.stderr and "Hint" in r.stderr
    r = runner.invoke(app, ["scores", "--edition", "hardtech-2025", "--json"])
    assert r.exit_code == 2 and json.loads(r.stdout)["error"]["code"] == "unknown_edition"
    r = runner.invoke(app, ["whatif", "--edition", "hardtech-2019", "--weights", "innovation_base"])
    assert r.exit_code == 2 and "key=number" in r.stderr


def test_compute_writes_atomically_and_not_at_all_on_bad_input(tmp_path):
    out = tmp_path / "result.json"
    ok = runner.invoke(app, ["compute", "--spec", str(TOY / "spec.yaml"), "--data", str(TOY / "raw.csv"), "--output", str(out)])
    assert ok.exit_code == 0, ok.output
    assert {e["name"]: e["composite"] for e in json.loads(out.read_text())["entities"]}["C"] == 50.0
    before = out.read_text()
    bad = tmp_path / "bad.csv"
    bad.write_text("entity,researchers,cost,patents,firms\nA,x,5,100,2\nB,20,1,0,4\n")
    r = runner.invoke(app, ["compute", "--spec", str(TOY / "spec.yaml"), "--data", str(bad), "--output", str(out)])
    assert r.exit_code == 2 and "row 2, column 'researchers'" in r.stderr
    assert out.read_text() == before  # untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "result.json"]  # no temp files left
