"""Runner, summary, gates, report and CLI, against a scripted fake target (fast, no assistant)."""
from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from assistant.evaluation import cli, report, runner
from assistant.evaluation.items import EvalItem
from assistant.evaluation.matcher import ExpectedNumber


def item(i: str, q: str, nums=(), tools=(), cites=(), must=(), suite="golden", category="numeric", gates=True):
    return EvalItem(id=i, question=q, suite=suite, category=category, numbers=list(nums), tools=list(tools),
                    citations=list(cites), must_contain=list(must), citation_gates=gates)


class Scripted:
    name = "scripted"
    concurrency = 2

    def __init__(self, answers: dict[str, dict]):
        self.answers = answers

    def ask(self, it: EvalItem) -> runner.Reply:
        env = self.answers[it.id]
        from assistant.verify import verify

        rep = verify(env["answer"], env.get("tool_calls", []), env.get("citations", []))
        return runner.Reply(env, 12.0, None, None, [c.text for c in rep.unmatched])


CITE = {"id": "c1", "source_file": "001_2d381f25c7fc5f5d.txt", "lines": [1942, 1942], "doc_title": "2019",
        "quote": "深圳市产业创新综合能力水平指数为 50.99，居所有主要城市第 3 位。"}
ITEMS = [
    item("a", "深圳2019年得分？", [ExpectedNumber(50.99, "score", 0.005)], ["scores"],
         [{"source_file": "001_2d381f25c7fc5f5d.txt", "lines": [1940, 1945]}], ["深圳"]),
    item("b", "深圳2019年排名？", [ExpectedNumber(3, "rank")], ["scores|explain"], category="rank"),
    item("c", "深圳2019年排名？(wrong)", [ExpectedNumber(3, "rank")], ["ranking"], category="rank"),
]
ANSWERS = {
    "a": {"answer": "深圳2019年综合得分50.99分[1]。", "citations": [CITE], "tool_calls": [{"id": "t1", "name": "scores"}]},
    "b": {"answer": "深圳排名第3[1]。", "citations": [CITE], "tool_calls": [{"id": "t1", "name": "explain"}]},
    "c": {"answer": "深圳排名第4，得分88.8。", "citations": [], "tool_calls": [{"id": "t1", "name": "scores"}]},
}


def test_score_and_summary():
    res = runner.run_items(ITEMS, Scripted(ANSWERS), progress=False)
    assert [r["passed"] for r in res] == [True, True, False]
    assert "numbers not found: rank 3±0" in res[2]["reasons"][0]
    assert res[2]["checks"]["unverified"] == ["4", "88.8"]
    s = runner.summarise({"golden": res}, None, gates={"min_golden": 0.95, "max_unverified": 0})
    assert s["total"] == 3 and s["passed"] == 2
    assert s["citation_hit_rate"] == 1.0 and s["routing_accuracy"] == pytest.approx(2 / 3, abs=1e-3)
    assert s["unverified_numbers"] == 2
    assert s["latency_ms"] == {"p50": 12.0, "p95": 12.0}
    assert {k: s["by_suite"]["golden"]["by_category"]["rank"][k] for k in ("total", "passed", "pass_rate")} == \
        {"total": 2, "passed": 1, "pass_rate": 0.5}
    assert [f["id"] for f in s["failures"]] == ["c"]
    assert not s["gates"]["ok"]
    assert set(s) >= {"total", "passed", "numeric_accuracy", "citation_hit_rate", "routing_accuracy",
                      "unverified_numbers", "latency_ms", "by_suite", "failures"}


def test_generated_citation_miss_is_recorded_not_gating():
    it = item("g", "深圳2019年得分？", [ExpectedNumber(50.99, "score", 0.005)], cites=[{"source_file": "x.txt", "lines": [1, 1]}],
              suite="numeric", gates=False)
    r = runner.score_item(it, runner.Reply({"answer": "50.99", "citations": []}, 1.0))
    assert r["passed"] and r["checks"]["citation_ok"] is False


def test_unknown_tools_do_not_count_against_routing():
    it = item("r", "q", tools=["scores"])
    r = runner.score_item(it, runner.Reply({"answer": "ok"}, 1.0, tools_known=False))
    assert r["checks"]["routing_ok"] is None and r["passed"]


def test_report_files_are_self_contained(tmp_path):
    res = runner.run_items(ITEMS, Scripted(ANSWERS), progress=False)
    s = runner.summarise({"golden": res}, {"overall": {"n": 2, "hit@1": 0.5, "hit@5": 1.0, "mrr": 0.75}, "by_lang": {}, "by_doc": {}})
    paths = report.write_report(s, tmp_path / "out")
    html = paths["html"].read_text(encoding="utf-8")
    assert json.loads(paths["json"].read_text(encoding="utf-8"))["passed"] == 2
    assert "<svg" in html and "<style>" in html
    for needle in ("http://", "https://", "<script", "<link"):
        assert needle not in html.replace('xmlns="http://www.w3.org/2000/svg"', ""), needle
    assert "深圳2019年排名？(wrong)" in html and "numbers not found" in html and "Envelope" in html
    assert "golden · rank" in html and "retrieval · hit@5" in html
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.endswith(".tmp")]


def test_atomic_write_keeps_old_file_on_failure(tmp_path, monkeypatch):
    p = tmp_path / "x.json"
    report.write_atomic(p, "old")

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(report.os, "replace", boom)
    with pytest.raises(OSError):
        report.write_atomic(p, "new")
    assert p.read_text() == "old" and len(list(tmp_path.iterdir())) == 1


@pytest.fixture
def app(monkeypatch):
    """The CLI with the in-process target replaced by the scripted one, the golden set by ITEMS."""
    monkeypatch.setattr(runner, "InProcessTarget", lambda llm=None: Scripted(ANSWERS))
    from assistant.evaluation import golden

    monkeypatch.setattr(golden, "load_golden", lambda paths=None: ITEMS[:2])
    a = typer.Typer()
    a.command("noop")(lambda: None)
    cli.register(a)
    return a


def test_cli_json_and_exit_codes(app, tmp_path):
    r = CliRunner().invoke(app, ["eval", "golden", "--json", "--no-progress", "--report", str(tmp_path)])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["passed"] == 2 and data["gates"]["ok"]
    assert (tmp_path / "report.html").is_file() and (tmp_path / "summary.json").is_file()
    # --suite works the same as the positional suite
    r2 = CliRunner().invoke(app, ["eval", "--suite", "golden", "--json", "--no-progress"])
    assert r2.exit_code == 0 and json.loads(r2.stdout)["total"] == 2
    # a gate that cannot hold exits 1
    r3 = CliRunner().invoke(app, ["eval", "golden", "--json", "--no-progress", "--min-golden", "1.01"])
    assert r3.exit_code == 1


@pytest.mark.parametrize("args,message", [
    (["eval", "bogus"], "unknown suite"),
    (["eval", "golden", "--suite", "numeric"], "given twice"),
    (["eval", "--openai"], "--openai needs --url"),
])
def test_cli_bad_input_exits_2(app, args, message):
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 2 and message in r.output
