"""The core reproduces every number the reports print (and surfaces where they disagree)."""
from __future__ import annotations

import pandas as pd
import pytest

from index_core import api, io


def published(edition: str) -> pd.DataFrame:
    pub = io.load_edition(edition).published
    return pub.pivot(index="entity", columns="measure", values="value")


@pytest.mark.parametrize("edition,keys,n", [
    ("hardtech-2019", ["innovation_base", "innovation_input", "innovation_output", "innovation_environment"], 36),
    ("hardtech-2020", ["research_talent", "hardtech_investment", "hightech_output", "hardtech_enterprises", "innovation_environment"], 38),
])
def test_every_dimension_score_and_rank(edition, keys, n):
    """All 36 x 4 (2019) and 38 x 5 (2020) printed dimension scores and ranks."""
    pub = published(edition)
    rows = {e["name"]: e for e in api.scores(edition)["entities"]}
    assert len(rows) == n == len(pub)
    checked = 0
    for name, row in rows.items():
        for k in keys:
            assert row["dimensions"][k]["score"] == pytest.approx(pub.at[name, f"{k}.score"], abs=1e-9)
            assert row["dimensions"][k]["rank"] == int(pub.at[name, f"{k}.rank"]), (name, k)
            checked += 1
    assert checked == n * len(keys)


def test_all_38_printed_2020_composites_and_ranks():
    pub = published("hardtech-2020")
    for e in api.scores("hardtech-2020")["entities"]:
        assert e["composite_exact"] == pytest.approx(pub.at[e["name"], "composite"], abs=0.01), e["name"]
        assert e["rank"] == int(pub.at[e["name"], "rank"]), e["name"]
        assert e["published_composite"] == pub.at[e["name"], "composite"]


def test_every_composite_and_rank_printed_in_the_2019_text():
    pub = published("hardtech-2019").dropna(subset=["composite"])
    assert len(pub) == 11  # the 1.3 profiles
    for name, row in pub.iterrows():
        got = api.scores("hardtech-2019", name)["entities"][0]
        assert got["composite_exact"] == pytest.approx(row["composite"], abs=0.01), name
        assert got["rank"] == int(row["rank"]), name


@pytest.mark.parametrize("edition", ["hardtech-2019", "hardtech-2020", "chongqing-2018q3"])
def test_every_stated_tier_member(edition):
    pub = published(edition).dropna(subset=["tier"])
    got = {e["name"]: e for e in api.scores(edition)["entities"]}
    for name, row in pub.iterrows():
        assert got[name]["tier"] == int(row["tier"]), name
        assert got[name]["stated_tier"] == int(row["tier"])


def test_hand_checked_examples_from_the_reports():
    sz = api.scores("hardtech-2019", "深圳")["entities"][0]
    assert (sz["composite"], sz["rank"], sz["tier"], sz["tier_label"]) == (50.99, 3, 2, "第二梯队")
    assert sz["dimensions"]["innovation_base"] == {"score": 3.93, "rank": 34}
    assert [sz["dimensions"][k]["rank"] for k in ("innovation_input", "innovation_output", "innovation_environment")] == [3, 2, 2]
    bj = api.scores("hardtech-2019", "Beijing")["entities"][0]
    assert (bj["composite"], bj["rank"], bj["tier"]) == (86.59, 1, 1)
    sz20 = api.scores("hardtech-2020", "Shenzhen")["entities"][0]
    assert sz20["dimensions"]["research_talent"] == {"score": 21.05, "rank": 19}
    assert (sz20["composite"], sz20["rank"]) == (42.92, 3)


def test_2019_tiers_3_and_4_follow_the_stated_thresholds():
    """第三梯队: 6 cities above 30; 第四梯队: 6 cities above 20; the other 21 in 第五梯队 (line 1821)."""
    t = api.tiers("hardtech-2019")["tiers"]
    sizes = {x["tier"]: len(x["members"]) for x in t}
    assert sizes == {1: 1, 2: 2, 3: 6, 4: 6, 5: 21}
    assert set(t[2]["members"]) == {"西安", "广州", "杭州", "武汉", "南京", "天津"}
    assert [x["status"] for x in t] == ["assumed", "assumed", "stated", "stated", "stated"]


def test_2020_has_an_unnamed_tier_below_the_third():
    t = api.tiers("hardtech-2020")["tiers"]
    assert [x["members"] for x in t[:3]] == [["北京"], ["上海", "深圳"], ["广州", "西安", "武汉", "杭州"]]
    assert t[3]["status"] == "unnamed" and len(t[3]["members"]) == 31
    assert "未命名" in t[3]["label_zh"]
    assert [x["threshold"] for x in t[:3]] == [60, 40, 30]


def test_chongqing_classes_and_yubei_total():
    rows = {e["name"]: e for e in api.scores("chongqing-2018q3")["entities"]}
    assert len(rows) == 38
    sizes = pd.Series([e["tier"] for e in rows.values()]).value_counts().to_dict()
    assert sizes == {1: 1, 2: 5, 3: 29, 4: 3}
    yb = rows["渝北区"]
    d = yb["dimensions"]
    assert (d["vitality"]["score"], d["environment"]["score"], d["effectiveness"]["score"]) == (31.01, 35.41, 21.47)
    assert yb["composite"] == pytest.approx(31.01 + 35.41 + 21.47) == 87.89
    assert yb["composite_source"] == "computed" and yb["published_composite"] == 87.89
    # 江北区's score survived only in a chart: class 2, no number.
    assert rows["江北区"]["tier"] == 2 and rows["江北区"]["composite"] is None


def test_gtii_top15_and_field_top10():
    data = api.scores("gtii-2019")
    assert data["of"] == 45
    ranked = [e for e in data["entities"] if e["rank"] is not None]
    assert len(ranked) == 15
    assert {(e["name"], e["composite"], e["rank"]) for e in ranked} >= {("东京", 78.39, 1), ("北京", 77.17, 2), ("深圳", 51.12, 15)}
    it = api.ranking("gtii-2019", by="information_technology")["entities"]
    assert [(e["name"], e["score"]) for e in it[:3]] == [("纽约", 82.03), ("东京", 81.75), ("北京", 78.02)]
    assert len(it) == 10


def test_discrepancies_are_surfaced_not_hidden():
    d19 = api.discrepancies("hardtech-2019")
    assert [(d["entity"], d["published"], round(d["computed"], 2)) for d in d19] == [("西安", 39.78, 39.79)]
    d20 = {(d["entity"], d["published"]) for d in api.discrepancies("hardtech-2020")}
    assert d20 == {("长沙", 22.05), ("石家庄", 14.47)}
    # GTII prints 广州 8th in aerospace with 51.44, below 伦敦's 56.88 printed 9th.
    gtii = api.discrepancies("gtii-2019")
    assert any(d["entity"] == "伦敦" and d["measure"] == "aerospace.rank" for d in gtii)
    xa = api.explain("hardtech-2019", "西安")
    assert xa["published_composite"] == 39.78 and round(xa["composite"], 2) == 39.79
    assert xa["discrepancies"][0]["measure"] == "composite"


def test_unknown_edition_and_entity_outside_an_edition():
    from index_core.errors import NotAvailableError, UnknownEditionError

    with pytest.raises(UnknownEditionError) as exc:
        api.scores("hardtech-2025")
    assert "hardtech-2019" in exc.value.hint
    with pytest.raises(NotAvailableError) as exc:
        api.scores("hardtech-2020", "Lhasa")
    assert "拉萨" in exc.value.message and "hardtech-2019" in exc.value.hint


def test_sources_point_at_the_printed_numbers(seed_lines):
    src = api.sources("hardtech-2019", "Shenzhen")
    base = src["innovation_base.score"]
    assert (base["source_file"], base["line"], base["printed"]) == ("001_2d381f25c7fc5f5d.txt", 1862, "3.93")  # 表2 row
    assert "3.93" in seed_lines(base["source_file"])[base["line"] - 1]
    assert src["composite"]["line"] == 1942


def test_composite_source_is_null_not_nan_where_nothing_is_printed():
    jb = api.scores("chongqing-2018q3", "江北区")["entities"][0]
    assert jb["composite_source"] is None and jb["composite"] is None
    assert api.scores("gtii-2019", "东京")["entities"][0]["composite_source"] == "published"


def test_the_rongchang_contradiction_is_a_reviewed_note_served_with_the_facts():
    got = api.facts("chongqing-2018q3", "荣昌")
    assert [n["lines"] for n in got["notes"]] == [[208, 222]]
    assert any(f["value"] == 8.51 for f in got["facts"]) and any(f["value"] == 6.51 for f in got["facts"])
    assert all(n["entity"] != "荣昌区" for n in api.notes("hardtech-2019"))  # notes stay with their edition
