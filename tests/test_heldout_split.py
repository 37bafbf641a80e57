"""``hardtech eval`` reports dev and held-out apart, and keeps held-out items hidden
unless development is frozen (``--reveal-heldout``); ``--llm`` runs golden and held-out
a second time through a model and reports both modes side by side.

The assistant is replaced by scripted answers (fast, deterministic); ``--llm`` is tested
at the level of argument plumbing with a monkeypatched ``assistant.ask``: no LLM (and no
scripted OpenAI-compatible server) is used here.
"""
from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from assistant.evaluation import cli, golden, report, runner
from assistant.evaluation.items import EvalItem
from assistant.evaluation.matcher import ExpectedNumber

SECRET = "HELDOUT-ONLY question about Xiamen 厦门"


def _item(i, q, suite, category, value):
    return EvalItem(id=i, question=q, suite=suite, category=category, numbers=[ExpectedNumber(value, "score")],
                    citations=[{"source_file": "001_2d381f25c7fc5f5d.txt", "lines": [2183, 2183]}])


DEV = [_item("d1", "深圳2019年得分？", "golden", "lookup", 50.99), _item("d2", "杭州2019年得分？", "golden", "lookup", 35.84)]
HELD = [_item("h1", SECRET, "heldout", "false_premise", 24.11), _item("h2", "Which city is 13th?", "heldout", "lookup", 24.11)]
CITE = {"id": "c1", "source_file": "001_2d381f25c7fc5f5d.txt", "lines": [2183, 2183], "quote": "厦门市……24.11"}
ANSWERS = {  # d2 and h1 are wrong
    "深圳2019年得分？": "深圳50.99分。", "杭州2019年得分？": "杭州99.99分。",
    SECRET: "厦门 24.10 分。", "Which city is 13th?": "Xiamen, 24.11 [1].",
}


class Scripted:
    name = "scripted"
    concurrency = 1

    def __init__(self, llm=None):
        self.llm = llm

    def ask(self, it: EvalItem) -> runner.Reply:
        return runner.Reply({"answer": ANSWERS[it.question], "citations": [CITE]}, 5.0)


def _results():
    t = Scripted()
    return {"golden": runner.run_items(DEV, t, progress=False), "heldout": runner.run_items(HELD, t, progress=False)}


def test_dev_and_heldout_are_scored_apart():
    s = runner.summarise(_results(), gates={"min_golden": 0.4, "max_unverified": 0})
    assert s["splits"]["dev"]["total"] == 2 and s["splits"]["dev"]["passed"] == 1
    assert s["splits"]["heldout"]["total"] == 2 and s["splits"]["heldout"]["passed"] == 1
    assert s["splits"]["heldout"]["numeric_accuracy"] == 0.5 and s["splits"]["heldout"]["citation_hit_rate"] == 1.0
    # the top-level figures are the dev split's; both suites say which split they are
    assert (s["total"], s["passed"]) == (2, 1)
    assert s["by_suite"]["golden"]["split"] == "dev" and s["by_suite"]["heldout"]["split"] == "heldout"
    assert s["by_suite"]["heldout"]["by_category"]["false_premise"]["pass_rate"] == 0.0
    assert s["by_suite"]["heldout"]["by_category"]["lookup"]["pass_rate"] == 1.0


def test_heldout_items_are_hidden_by_default_and_shown_when_revealed():
    hidden = runner.summarise(_results())
    assert [f["id"] for f in hidden["failures"]] == ["d2"] and hidden["heldout_hidden"] == 1
    text = report.to_json(hidden)
    assert SECRET not in text and '"h1"' not in text and '"h2"' not in text
    shown = runner.summarise(_results(), reveal_heldout=True)
    assert [f["id"] for f in shown["failures"]] == ["d2", "h1"] and shown["heldout_hidden"] == 0


def test_heldout_gate_is_off_by_default_and_can_be_set():
    assert "min_heldout" not in runner.summarise(_results())["gates"]["checks"]
    s = runner.summarise(_results(), gates={"min_heldout": 0.9})
    assert s["gates"]["checks"]["min_heldout"] == {"limit": 0.9, "value": 0.5, "ok": False}


def test_html_report_marks_the_splits_and_hides_heldout_items(tmp_path):
    html = report.write_report(runner.summarise(_results()), tmp_path)["html"].read_text(encoding="utf-8")
    assert "dev (tuned on)" in html and "held-out (never tuned on)" in html
    assert "heldout · false_premise" in html           # per-category aggregates are shown
    assert SECRET not in html and "杭州2019年得分？" in html
    assert "--reveal-heldout" in html
    revealed = report.render_html(runner.summarise(_results(), reveal_heldout=True))
    assert SECRET in revealed


@pytest.fixture
def app(monkeypatch):
    monkeypatch.setattr(golden, "load_golden", lambda paths=None: DEV)
    monkeypatch.setattr(golden, "load_heldout", lambda paths=None: HELD)
    monkeypatch.setattr(runner, "InProcessTarget", Scripted)
    a = typer.Typer()
    a.command("noop")(lambda: None)
    cli.register(a)
    return a


def _eval(app, *args):
    return CliRunner().invoke(app, ["eval", *args, "--no-progress"])


def test_cli_heldout_suite_prints_aggregates_only(app, tmp_path):
    r = _eval(app, "heldout", "--json", "--report", str(tmp_path))
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert set(data["by_suite"]) == {"heldout"} and data["splits"]["heldout"]["pass_rate"] == 0.5
    assert SECRET not in r.stdout and SECRET not in (tmp_path / "report.html").read_text(encoding="utf-8")
    human = _eval(app, "heldout")
    assert SECRET not in human.output and "held-out failures not shown" in human.output
    assert "false_premise" in human.output             # the per-category table
    assert SECRET in _eval(app, "heldout", "--reveal-heldout").output


def test_cli_all_reports_dev_and_heldout_side_by_side(app, monkeypatch):
    monkeypatch.setattr(cli, "_load_items", lambda want, g, sample, seed, run: {
        k: v for k, v in (("golden", DEV), ("heldout", HELD)) if k in want})
    monkeypatch.setattr(runner, "run_retrieval", lambda **kw: {"overall": {"n": 1, "hit@1": 1.0, "hit@5": 1.0, "mrr": 1.0}})
    r = _eval(app, "all", "--json", "--min-golden", "0.4")
    data = json.loads(r.stdout)
    assert set(data["splits"]) == {"dev", "heldout"} and data["total"] == 2


def test_reveal_flag_help_says_it_is_for_after_development_is_frozen(app):
    r = CliRunner().invoke(app, ["eval", "--help"], env={"COLUMNS": "200"})
    text = " ".join(w for w in r.output.split() if w not in "│╭╮╰╯─")   # rich wraps help text in a box
    assert "--reveal-heldout" in text and "after development is frozen" in text
    assert "--llm SPEC" in text and "side by side with offline mode" in text


# ---------------------------------------------------------------------------- --llm (plumbing only)


@pytest.fixture
def fake_ask(monkeypatch):
    """``assistant.ask`` replaced: records the model spec of every call; the "LLM" gets d2 right."""
    import assistant

    calls = []

    def ask(question, history=None, *, llm=None):
        calls.append((question, llm))
        answer = ANSWERS[question]
        if llm and question == "杭州2019年得分？":
            answer = "杭州35.84分。"
        return {"answer": answer, "citations": [CITE]}

    monkeypatch.setattr(assistant, "ask", ask)
    monkeypatch.setattr(golden, "load_golden", lambda paths=None: DEV)
    monkeypatch.setattr(golden, "load_heldout", lambda paths=None: HELD)
    return calls


@pytest.fixture
def real_target_app():
    a = typer.Typer()
    a.command("noop")(lambda: None)
    cli.register(a)
    return a


def test_llm_runs_golden_and_heldout_again_and_reports_both_modes(fake_ask, real_target_app):
    r = _eval(real_target_app, "golden", "--llm", "openai:fake-model", "--json", "--min-golden", "0", "--max-unverified", "1000")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    # offline first (an empty spec forces offline), then the same questions through the model
    assert [llm for _, llm in fake_ask] == [runner.OFFLINE] * 2 + ["openai:fake-model"] * 2
    modes = data["modes"]["golden"]
    assert list(modes) == ["offline", "llm:openai:fake-model"]
    assert modes["offline"]["pass_rate"] == 0.5 and modes["llm:openai:fake-model"]["pass_rate"] == 1.0
    assert data["run"]["compare"] == "llm:openai:fake-model" and data["target"] == "in-process (offline)"
    assert data["by_suite"]["golden"]["pass_rate"] == 0.5      # gates and top-level figures stay offline


def test_llm_mode_keeps_heldout_items_hidden(fake_ask, real_target_app):
    r = _eval(real_target_app, "heldout", "--llm", "ollama:fake", "--json", "--max-unverified", "1000")
    data = json.loads(r.stdout)
    assert set(data["modes"]["heldout"]) == {"offline", "llm:ollama:fake"}
    assert SECRET not in r.stdout and data["heldout_hidden"] == 2   # one hidden failure per mode


@pytest.mark.parametrize("args,message", [
    (["golden", "--llm", "openai:x", "--url", "http://127.0.0.1:9"], "cannot be combined with --url"),
    (["numeric", "--llm", "openai:x"], "has neither"),
    (["golden", "--llm", " "], "needs a model spec"),
])
def test_llm_bad_combinations_exit_2(real_target_app, args, message):
    r = _eval(real_target_app, *args)
    assert r.exit_code == 2 and message in r.output


def test_no_heldout_file_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(golden, "HERE", tmp_path)
    with pytest.raises(golden.GoldenError, match="no held-out file"):
        golden.load_heldout()


def test_offline_mode_stays_offline_when_a_model_is_configured(monkeypatch):
    """The real assistant: with HARDTECH_LLM pointing at a model nobody serves, the eval's
    offline target still answers (offline), so "offline" in a comparison means offline."""
    from hardtech.settings import reload_settings

    monkeypatch.setenv("HARDTECH_LLM", "openai:nobody-serves-this")
    monkeypatch.setenv("HARDTECH_LLM_BASE_URL", "http://127.0.0.1:9")
    reload_settings()
    try:
        target = runner.InProcessTarget()
        reply = target.ask(EvalItem(id="x", question="深圳2019年城市产业创新综合能力指数得分是多少？"))
    finally:
        monkeypatch.undo()
        reload_settings()
    assert reply.error is None and "50.99" in reply.envelope["answer"]
    assert target.name == "in-process (offline)"
