"""index_core.api.period_change: a quarterly report's previous-period statements against the score
printed now. Expected values are the report's printed figures (004 = 科技参考 2018年第6期, line
beside each) and arithmetic over them worked by hand in the comments."""
from __future__ import annotations

import pytest

from index_core import api
from index_core.errors import NotAvailableError

EDITION = "chongqing-2018q3"


def test_a_stated_previous_level_gives_the_change_in_points_and_per_cent():
    m = api.period_change(EDITION, "Yubei")      # 004:206 "从 2018 年第 2 季度的 82.13 分上升到 87.89 分"
    assert m["entity"] == "渝北区" and m["by"] == "composite"
    assert (m["previous"], m["now"]) == (82.13, 87.89)
    assert m["change"] == 5.76                   # 87.89 - 82.13
    assert m["rate"] == 7.01                     # 100 * (87.89 / 82.13 - 1) = 7.013…
    assert m["previous_stated"] and not m["change_stated"] and not m["rate_stated"]
    assert [(s["kind"], s["line"]) for s in m["statements"]] == [("level", 206)]


def test_a_rise_and_a_fall_both_stated_give_no_derived_change():
    m = api.period_change(EDITION, "荣昌区")     # 004:212-214 +8.51 分 / +14.6 %, 004:220-222 -6.51 分 / -9.74 %
    assert m["contradictory"] is True
    assert m["change"] is None and m["previous"] is None
    assert sorted(s["line"] for s in m["statements"]) == [212, 214, 220, 222]


def test_a_sub_index_rate_without_a_printed_score_states_only_the_rate():
    m = api.period_change(EDITION, "云阳县", by="双创环境")   # 004:127 增幅 15.08 %, no printed sub-index score
    assert m["by"] == "environment" and m["now"] is None and m["change"] is None
    assert [(s["kind"], s["sign"], s["value"]) for s in m["statements"]] == [("rate", 1, 15.08)]


def test_nothing_stated_about_the_previous_quarter_is_a_clear_error():
    with pytest.raises(NotAvailableError, match="no previous-period figure for 江北区"):
        api.period_change(EDITION, "江北区")
