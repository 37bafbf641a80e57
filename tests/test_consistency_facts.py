"""One figure printed twice with different values (``fact_conflict``): the 2019 white paper's
Xi'an 2018 high-tech additions, 1298 at 001:2259 and 300 at 001:2436; and hand-made cases."""
from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from index_core import io
from index_core.consistency_facts import conflicting_facts


def _data(rows: list[tuple]) -> SimpleNamespace:
    facts = pd.DataFrame(rows, columns=["entity", "indicator_zh", "year", "value", "printed", "source_file", "line"])
    return SimpleNamespace(facts=facts, spec=SimpleNamespace(id="toy"))


def test_xian_high_tech_additions_are_printed_twice_with_different_values():
    (f,) = conflicting_facts(io.load_edition("gtii-2019"))
    assert (f.entity, f.measure, f.line) == ("西安", "新增国家级高新技术企业", 2259)
    assert f.printed == {"line 2259": "1298", "line 2436": "300"} and f.to_dict()["lines"] == [2259, 2436]
    assert f.key == "fact_conflict:gtii-2019:2259:西安:新增国家级高新技术企业"


def test_the_same_value_at_its_printed_precision_is_no_conflict():
    assert conflicting_facts(_data([("甲", "x", 2018, 2.73, "2.73", "r.txt", 5),
                                    ("甲", "x", 2018, 2.73, "2.730", "r.txt", 9)])) == []


def test_other_years_or_other_entities_are_no_conflict():
    assert conflicting_facts(_data([("甲", "x", 2012, 815.0, "815", "r.txt", 5),
                                    ("甲", "x", 2017, 1828.0, "1828", "r.txt", 5),
                                    ("乙", "x", 2017, 900.0, "900", "r.txt", 7)])) == []


def test_a_year_left_blank_groups_with_the_other_blank():
    (f,) = conflicting_facts(_data([("甲", "x", "", 5.0, "5", "r.txt", 3), ("甲", "x", "", 7.0, "7", "r.txt", 8)]))
    assert f.printed == {"line 3": "5", "line 8": "7"} and "for" not in f.implied
