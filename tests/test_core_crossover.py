"""The weight at which two entities tie (index_core.analysis.crossover), checked by hand against the
printed dimension scores, and checked back through the what-if: at that weight the composites tie."""
from __future__ import annotations

import pytest

from index_core import api


def _row(res: dict, key: str) -> dict:
    return next(d for d in res["dimensions"] if d["dimension"] == key)


def test_the_output_weight_at_which_xian_ties_guangzhou_in_2020():
    # 000:2772 广州 41.41 42.20 42.75 34.19 36.76; 000:2774 西安 39.84 42.24 60.84 11.24 25.00
    # A (output): 60.84 vs 42.75; B (mean of the other four): 29.58 vs 38.64
    # w* = (38.64 - 29.58) / ((60.84 - 42.75) - (29.58 - 38.64)) = 9.06 / 27.15 = 0.3337
    res = api.crossover("hardtech-2020", "西安", "广州")
    out = _row(res, "hightech_output")
    assert out["weight"] == pytest.approx(0.3337, abs=1e-4) and out["leader_above"] == "西安"
    assert _row(res, "research_talent")["weight"] is None  # Guangzhou leads on talent and on the rest's mean


def test_at_the_crossover_weight_the_what_if_composites_tie():
    w = _row(api.crossover("hardtech-2019", "西安", "广州"), "innovation_base")["weight"]
    assert w == pytest.approx(0.5818, abs=1e-4)
    rest = (1 - w) / 3
    res = api.whatif("hardtech-2019", {"innovation_base": w, "innovation_input": rest, "innovation_output": rest,
                                       "innovation_environment": rest})
    scores = {e["name"]: e["composite"] for e in res["entities"]}
    assert scores["西安"] == pytest.approx(scores["广州"], abs=0.01)


def test_an_edition_without_weighted_dimensions_has_no_crossover():
    from index_core.errors import NotAvailableError
    with pytest.raises(NotAvailableError):
        api.crossover("chongqing-2018q3", "渝北区", "江北区")
