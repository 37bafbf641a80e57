"""A statistic over one tier is taken over that tier's members (2019 white paper, 001:1821 and table 2)."""
from __future__ import annotations

import pytest

from assistant.aggregates import t_stats
from assistant.offline import answer_question


def test_stats_over_a_tier_use_only_its_members():
    # second tier 2019: 上海 51.86, 深圳 50.99 (001:1821) -> mean 51.425, median the same
    res = t_stats("hardtech-2019", tier=2)
    assert res["n"] == 2 and {r["name"] for r in res["middle"]} == {"上海", "深圳"}
    assert res["mean"] == pytest.approx(51.42, abs=0.01) and res["spread"] == pytest.approx(0.87)


def test_a_tier_named_in_a_statistic_question_scopes_it():
    env = answer_question("2019年第二梯队城市的平均分是多少", [])
    first = env.answer.split("\n")[0]
    assert "51.42" in first and "第二梯队" in first and "全部城市" not in first


def test_a_statistic_after_a_tier_list_is_over_that_tier():
    # third tier 2019: 39.78, 37.41, 35.84, 35.03, 33.86, 30.66 -> 212.58 / 6 = 35.43
    env = answer_question("which cities made the third tier in 2019, and what was their average score?", [])
    assert "35.43" in env.answer and "all cities" not in env.answer


def test_a_statistic_with_no_tier_is_over_every_entity():
    env = answer_question("what's the median score in 2019", [])
    assert "18.45" in env.answer.split("\n")[0] and "all cities" in env.answer
