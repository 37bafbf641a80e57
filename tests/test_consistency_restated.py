"""Figures the narrative restates from a table agree with the table, or are reported with both
lines (the ``restated`` check). The shipped restatements (2019 profiles vs table 2, 001 lines
1821-2183; 2020 tier sentence vs the ranking table, 000 lines 2709-2711) all agree; a hand-made
edition shows a disagreement being found."""
from __future__ import annotations

from index_core import api
from index_core.consistency_restated import restated
from tests.test_consistency import STATED, _edition


def test_the_shipped_restatements_agree_with_their_tables():
    found = [f for f in api.consistency()["findings"] if f["check"] == "restated"]
    assert found == []


def test_the_shipped_restatements_cover_the_2019_profiles_and_the_2020_tier_sentence():
    from index_core import io

    r2019 = io.load_edition("hardtech-2019").stated["restated"]
    assert {"entity": "深圳", "measure": "innovation_base.score", "printed": "3.93", "line": 1942} in r2019
    assert len({r["entity"] for r in r2019}) == 11  # 北京 … 厦门, the profiled cities
    r2020 = io.load_edition("hardtech-2020").stated["restated"]
    assert {"entity": "北京", "measure": "composite", "printed": "84.04", "line": 2709} in r2020


def test_a_restated_figure_that_differs_from_the_table_is_found_with_both_lines():
    # the toy table prints B's capacity 30.00 on line 19 (the 10th published row, from line 10)
    stated = {**STATED, "restated": [{"entity": "B", "measure": "capacity.score", "printed": "31.00", "line": 950},
                                     {"entity": "A", "measure": "composite", "printed": "70.0", "line": 951}]}
    found = restated(_edition(stated=stated))
    assert len(found) == 1
    f = found[0]
    assert (f.check, f.entity, f.line, f.printed) == ("restated", "B", 950, {"text": "31.00", "table": "30.00"})
    assert f.lines == (19,) and f.implied_value == 30.0


def test_a_restated_figure_the_tables_do_not_print_is_found():
    stated = {**STATED, "restated": [{"entity": "C", "measure": "nothing.score", "printed": "1.00", "line": 960}]}
    assert [f.measure for f in restated(_edition(stated=stated))] == ["nothing.score"]
