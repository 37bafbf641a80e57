"""Follow-ups that point back at a list the last turn gave ("which of them…", "其中…") and the
premise of an entity "ranked lowest" (2020 white paper table, 000:2766-2772; district index 004:226)."""
from __future__ import annotations

import pytest

from assistant.offline.understand import understand

TOP5_2020 = [{"role": "user", "content": "Top 5 cities in 2020"}]


@pytest.mark.parametrize("question, field, value", [
    ("which of them is in Guangdong?", "region", "广东"),
    ("among those, how many are foreign?", "country", "!CN"),
])
def test_a_filter_asked_of_a_list_counts_within_it(question, field, value):
    frame = understand(question, TOP5_2020)
    assert frame.operation == "count" and frame.n == 5 and frame.entities == ()
    assert [(f.field, f.value) for f in frame.filters] == [(field, value)]


def test_a_superlative_asked_of_a_list_compares_its_members():
    frame = understand("which of them is strongest in talent?", TOP5_2020)
    assert frame.operation == "compare" and frame.dimension == "research_talent"
    assert frame.entities == ("北京", "上海", "深圳", "广州", "西安")


def test_a_follow_up_naming_a_city_is_not_about_the_list():
    frame = understand("and Hangzhou?", TOP5_2020)
    assert frame.entities == ("杭州",) and frame.operation != "count"


@pytest.mark.parametrize("question, claimed", [
    ("Why is Yubei district ranked lowest in Chongqing?", True),
    ("渝北区为什么排名最低", True),
    ("Which dimension is Shenzhen ranked lowest on in 2019?", False),  # a question, no claim
])
def test_ranked_lowest_is_a_last_place_claim_about_an_entity(question, claimed):
    kinds = [p.kind for p in understand(question).premises]
    assert ("last" in kinds) is claimed
