"""The facts tool's ``changes``: an indicator a report states for two years, moved from the earlier to
the later. Figures are the 2019 white paper's printed profile lines (001:1957 深圳, 001:1895 北京)."""
from __future__ import annotations

from index_core import api


def _change(entity: str, indicator: str) -> dict:
    return next(c for c in api.facts(entity=entity)["changes"] if c["indicator_zh"] == indicator)


def test_high_tech_enterprises_of_shenzhen_from_2012_to_2017():
    c = _change("深圳", "国家高新技术企业数")  # "从2012年的2506家增加到2017年的10973家"
    assert (c["from_year"], c["to_year"], c["from"], c["to"]) == (2012, 2017, 2506, 10973)
    assert c["change"] == 8467 and abs(c["ratio"] - 10973 / 2506) < 1e-6


def test_a_decimal_indicator_keeps_its_precision():
    c = _change("深圳", "万人发明专利拥有量")  # 50.03 → 85.29 件/万人
    assert c["change"] == 35.26


def test_a_value_stated_for_one_year_has_no_change():
    changes = api.fact_changes([{"edition": "e", "entity": "x", "indicator_zh": "i", "year": 2017, "value": 3.0}])
    assert changes == []
