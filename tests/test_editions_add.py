"""A new edition as data: `hardtech edition add examples/example-2025` on a fresh HARDTECH_HOME,
then scores, questions and the generated evaluation follow with no code change.

The composites are computed here by hand from raw.csv (min-max per indicator, lowest rent
best, indicators equally weighted within a dimension, dimensions 40/35/25), not by the core."""
from __future__ import annotations

import csv

import pytest

from tests.editions_home import EXAMPLE, cli, cli_json, leave_home, use_home

WEIGHTS = {"talent_input": 0.40, "tech_output": 0.35, "environment": 0.25}
MEMBERS = {"talent_input": ["rd_intensity", "researchers"], "tech_output": ["invention_patents", "hightech_firms"],
           "environment": ["vc_investment", "office_rent"]}
LOWER_IS_BETTER = {"office_rent"}


def hand_computed() -> dict[str, dict]:
    with (EXAMPLE / "raw.csv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["entity"] != "unit"]
    out = {r["entity"]: {"dimensions": {}} for r in rows}
    for dim, columns in MEMBERS.items():
        for r in rows:
            scores = []
            for c in columns:
                values = [float(x[c]) for x in rows]
                lo, hi, v = min(values), max(values), float(r[c])
                scores.append(100 * ((hi - v) if c in LOWER_IS_BETTER else (v - lo)) / (hi - lo))
            out[r["entity"]]["dimensions"][dim] = sum(scores) / len(scores)
    for e in out.values():
        e["composite"] = sum(WEIGHTS[d] * s for d, s in e["dimensions"].items())
        e["tier"] = 1 if e["composite"] >= 60 else 2 if e["composite"] >= 35 else 3
    order = sorted(out, key=lambda n: -out[n]["composite"])
    for rank, name in enumerate(order, start=1):
        out[name]["rank"] = rank
    return out


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    installed = cli_json(home, "edition", "add", str(EXAMPLE))
    assert installed["id"] == "example-2025" and installed["entities"] == 13
    return home


def test_worked_example_for_beijing():
    """One city by hand, on paper: Beijing has the top value of the four talent and output
    indicators (100 each) and the top venture investment (100); its rent 290 against a
    range of 45..300 scores (300-290)/255 = 3.92. Composite 0.4*100 + 0.35*100 + 0.25*51.96."""
    beijing = hand_computed()["北京"]
    assert beijing["dimensions"]["environment"] == pytest.approx((100 + 1000 / 255) / 2)
    assert round(beijing["composite"], 2) == 87.99


def test_scores_reproduce_hand_computed_composites(home):
    data = cli_json(home, "scores", "--edition", "example-2025")
    expected = hand_computed()
    assert data["of"] == 13 and {e["name"] for e in data["entities"]} == set(expected)
    for e in data["entities"]:
        want = expected[e["name"]]
        assert e["composite_exact"] == pytest.approx(want["composite"], abs=1e-9), e["name"]
        assert e["composite"] == round(want["composite"], 2)
        assert (e["rank"], e["tier"]) == (want["rank"], want["tier"]), e["name"]
        for dim, score in want["dimensions"].items():
            assert e["dimensions"][dim]["score"] == round(score, 2), (e["name"], dim)
    # 洛阳 is new to the registry: the edition's entities.csv brings it, with its English name
    luoyang = cli_json(home, "scores", "--edition", "example-2025", "--city", "Luoyang")["entities"][0]
    assert (luoyang["name"], luoyang["name_en"], luoyang["rank"]) == ("洛阳", "Luoyang", 13)


def test_the_edition_is_listed_as_the_users(home):
    listed = {e["id"]: e for e in cli_json(home, "edition", "list")["editions"]}
    assert listed["example-2025"]["origin"] == "user"
    assert listed["example-2025"]["path"] == str(home / "editions" / "example-2025")
    assert listed["hardtech-2019"]["origin"] == "shipped"
    assert "example-2025" in {e["id"] for e in cli_json(home, "editions")["editions"]}


@pytest.mark.parametrize("question", ["2025年示例城市硬科技指数中，合肥的综合得分是多少？",
                                      "What is Hefei's composite score in the 2025 Example City Hard-Tech Index?"])
def test_ask_answers_from_the_new_edition(home, question):
    env = cli_json(home, "ask", question)
    hefei = round(hand_computed()["合肥"]["composite"], 2)
    assert f"{hefei:.2f}" in env["answer"]
    composite = [n for n in env["numbers"] if n["label"] == "composite"]
    assert composite and composite[0]["value"] == hefei and composite[0]["edition"] == "example-2025"
    call = next(c for c in env["tool_calls"] if c["id"] == composite[0]["source"])
    assert call["args"]["edition"] == "example-2025"
    assert ("示例城市硬科技指数" if question.startswith("2025") else "Example City Hard-Tech Index") in env["answer"]


def test_remove_then_the_edition_is_gone(tmp_path):
    cli(tmp_path, "edition", "add", str(EXAMPLE))
    assert cli_json(tmp_path, "edition", "remove", "example-2025")["id"] == "example-2025"
    assert not (tmp_path / "editions" / "example-2025").exists()
    gone = cli(tmp_path, "scores", "--edition", "example-2025", check=False)
    assert gone.returncode == 2 and "Unknown edition 'example-2025'" in gone.stderr
    shipped = cli(tmp_path, "edition", "remove", "hardtech-2019", check=False)
    assert shipped.returncode == 2 and "shipped" in shipped.stderr


def test_reload_picks_up_an_edition_in_a_running_process(tmp_path, monkeypatch):
    from index_core import api, catalog, install

    use_home(monkeypatch, tmp_path)
    calls = []
    hook = catalog.on_reload(lambda: calls.append(1))
    try:
        assert "example-2025" not in api.reload()["editions"]
        before = catalog.stamp()
        install.add(EXAMPLE)  # another process would call api.reload(); install does it itself
        assert catalog.stamp() != before  # what tells the other processes
        assert "example-2025" in [e["id"] for e in api.list_editions()]
        assert api.scores("example-2025", "合肥")["entities"][0]["rank"] == hand_computed()["合肥"]["rank"]
        assert calls, "upper layers' caches are told to forget"
    finally:
        catalog._reload_hooks.remove(hook)
        monkeypatch.undo()
        leave_home()


def test_generated_numeric_suite_covers_the_new_edition_at_100_percent(tmp_path, monkeypatch):
    from assistant.evaluation import generator, runner
    from index_core import install

    use_home(monkeypatch, tmp_path)
    try:
        shipped = len(generator.generate())
        install.add(EXAMPLE)
        items = generator.generate(["example-2025"])
        assert len(generator.generate()) == shipped + len(items)
        # composites are "pvc" items: nothing is printed, so the answer must say the value is computed
        assert {i.category for i in items} >= {"pvc", "rank", "tier", "dimension_score", "dimension_rank", "top_n", "compare"}
        results = runner.run_items(items, runner.InProcessTarget(), progress=False)
        failed = [(r["question"], r["reasons"]) for r in results if not r["passed"]]
        assert not failed, failed[:5]
    finally:
        monkeypatch.undo()
        leave_home()
