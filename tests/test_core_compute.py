"""A user's own edition from raw indicators: examples/toy, worked by hand.

capacity = mean(researchers, cost reversed); output = 0.75 patents + 0.25 firms;
composite = 0.6 capacity + 0.4 output.
          researchers  cost(-)  patents  firms | capacity  output  composite
A  raw      10          5        100      2
   score     0          0        100      0   |   0      75     30
B  raw      20          1          0      4
   score    25        100          0     25   |  62.5     6.25  40
C  raw      30          3         50      6
   score    50         50         50     50   |  50      50     50
D  raw      50          5         25     10
   score   100          0         25    100   |  50      43.75  47.5
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from index_core import api
from index_core.edition import compute_from_raw
from index_core.errors import DataValidationError

TOY = Path(__file__).resolve().parents[1] / "examples" / "toy"


def test_toy_edition_matches_the_hand_computation():
    result, payload = api.compute(TOY / "spec.yaml", TOY / "raw.csv")
    rows = {e["name"]: e for e in payload["entities"]}
    assert {n: rows[n]["composite"] for n in "ABCD"} == {"A": 30.0, "B": 40.0, "C": 50.0, "D": 47.5}
    assert {n: rows[n]["rank"] for n in "ABCD"} == {"C": 1, "D": 2, "B": 3, "A": 4}
    assert {n: rows[n]["tier"] for n in "ABCD"} == {"C": 1, "D": 1, "B": 2, "A": 3}
    assert rows["B"]["dimensions"]["capacity"]["score"] == 62.5
    assert rows["D"]["dimensions"]["output"]["score"] == 43.75
    assert payload["bounds"]["cost"] == {"min": 1.0, "max": 5.0, "direction": -1}
    assert result.indicator_scores.loc["B", "cost"] == 100.0


def test_adding_an_entity_moves_every_score(tmp_path):
    raw = (TOY / "raw.csv").read_text() + "E,100,5,100,10\n"
    (tmp_path / "raw.csv").write_text(raw)
    _, payload = api.compute(TOY / "spec.yaml", tmp_path / "raw.csv")
    rows = {e["name"]: e for e in payload["entities"]}
    assert payload["bounds"]["researchers"]["max"] == 100.0
    assert rows["D"]["dimensions"]["capacity"]["score"] == pytest.approx((40 / 90 * 100 + 0) / 2, abs=0.005)


def test_excel_input_gives_the_same_result(tmp_path):
    import pandas as pd

    pd.read_csv(TOY / "raw.csv").to_excel(tmp_path / "raw.xlsx", index=False)
    _, from_xlsx = api.compute(TOY / "spec.yaml", tmp_path / "raw.xlsx")
    _, from_csv = api.compute(TOY / "spec.yaml", TOY / "raw.csv")
    assert json.dumps(from_xlsx, sort_keys=True) == json.dumps(from_csv, sort_keys=True)


def _bad(tmp_path, text: str) -> DataValidationError:
    (tmp_path / "bad.csv").write_text(text)
    with pytest.raises(DataValidationError) as exc:
        api.compute(TOY / "spec.yaml", tmp_path / "bad.csv")
    return exc.value


def test_bad_cells_name_file_row_column_value_and_fix(tmp_path):
    err = _bad(tmp_path, "entity,researchers,cost,patents,firms\nA,10,5,100,2\nB,twenty,1,0,4\nA,30,3,50,6\n")
    problems = {(p.row, p.column) for p in err.problems}
    assert (3, "researchers") in problems  # non-numeric cell
    assert (4, "entity") in problems  # duplicate entity
    text = str(err)
    assert "bad.csv, row 3, column 'researchers'" in text and "'twenty'" in text and "Fix:" in text


def test_missing_and_unknown_columns(tmp_path):
    err = _bad(tmp_path, "entity,researchers,cost,patents,colour\nA,10,5,100,red\nB,20,1,0,blue\n")
    cols = {p.column for p in err.problems}
    assert {"colour", "firms"} <= cols


def test_missing_value_policy(tmp_path):
    (tmp_path / "gap.csv").write_text("entity,researchers,cost,patents,firms\nA,10,5,,2\nB,20,1,0,4\nC,30,3,50,6\n")
    with pytest.raises(DataValidationError, match="row 2, column 'patents'"):
        api.compute(TOY / "spec.yaml", tmp_path / "gap.csv")
    _, payload = api.compute(TOY / "spec.yaml", tmp_path / "gap.csv", missing="reweight", min_coverage=0.25)
    a = next(e for e in payload["entities"] if e["name"] == "A")
    # output re-weighted over firms alone: firms 2 is the minimum -> 0
    assert a["dimensions"]["output"]["score"] == 0.0


def test_frames_are_built_on_demand_from_the_logged_arrays():
    """The result keeps each step as arrays; its frames agree with them and with the hand computation."""
    result, _ = api.compute(TOY / "spec.yaml", TOY / "raw.csv")
    again = compute_from_raw(result.spec, _toy_raw(result))
    assert again.table["composite"].tolist() == [30.0, 40.0, 50.0, 47.5]
    assert again.table["rank"].tolist() == [4, 3, 1, 2]
    assert again.bounds.loc["patents"].tolist() == [0.0, 100.0, 1.0]
    assert again.indicator_scores.loc["A"].tolist() == [0.0, 0.0, 100.0, 0.0]
    assert again.dimension_scores().loc["B"].tolist() == [62.5, 6.25]
    assert "dimension scores = weighted_sum" in again.steps[1]


def _toy_raw(result):
    import pandas as pd

    raw = pd.read_csv(TOY / "raw.csv").set_index("entity")
    return raw[result.indicator_scores.columns]
