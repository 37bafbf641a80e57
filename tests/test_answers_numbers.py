"""Numeric questions answered first sentence first, from frames (issue 9, "What failed" 3, 4, 6, 7).

Expected figures are the reports' printed numbers: 2020 composites (000 lines 2766-2782),
2019 composites (001 table 2 and profiles), GTII TOP15 (001 lines 2385-2402) and the chips
field TOP10 (001 line 2474)."""
from __future__ import annotations

import pytest

from tests.answer_frames import ask, first, tools

Y2019, Y2020, GTII, CQ = "hardtech-2019", "hardtech-2020", "gtii-2019", "chongqing-2018q3"


# ----------------------------------------------------------------------------- 3. the part asked
def test_gap_between_two_cities_is_the_first_thing_said_with_its_composite():
    env = ask(question="2020年上海比深圳高多少分？", language="zh", operation="gap", entities=["上海", "深圳"],
              editions=[Y2020], edition_source="year", aspect="entity")
    lead = first(env)
    assert lead.startswith("上海比深圳高 7.56 分")  # 50.48 - 42.92
    assert "50.48" in lead and "42.92" in lead and "报告印刷的综合得分" in lead
    assert "gap" in tools(env) and env.frame["route"] == "gap"


def test_gap_to_the_next_rank_says_which_composite_it_uses():
    env = ask(question="How far is Shenzhen behind the next city in 2019?", operation="gap", entities=["深圳"],
              editions=[Y2019], edition_source="year", aspect="next_rank")
    lead = first(env)
    assert lead.startswith("Shenzhen (深圳) is 0.87 points behind the next rank up, Shanghai (上海)")  # 51.86 - 50.99
    assert "printed composites" in lead


def test_a_gap_that_differs_on_the_computed_composite_gives_both():
    # 2019 西安 prints 39.78, computes to 39.79 (001 line 1869 table 2)
    env = ask(question="西安和成都差多少", language="zh", operation="gap", entities=["西安", "成都"], editions=[Y2019],
              edition_source="year", aspect="entity")
    assert "39.78" in first(env)
    assert "由维度得分按方法计算的综合得分" in env.answer and "39.79" in env.answer


def test_who_leads_names_the_leader_with_the_score():
    env = ask(question="Which city leads the chips and hardware field in GTII?", operation="leader", editions=[GTII],
              edition_source="explicit", dimension="chips_hardware", direction="top")
    assert first(env).startswith("Tokyo (东京) leads") and "78.65" in first(env)
    assert any(c.lines[0] <= 2474 <= c.lines[1] for c in env.citations)
    assert env.chart["type"] == "ranking" and env.chart["labels"][0] == "Tokyo"


def test_how_many_gives_the_count_and_the_reports_own_sentence():
    env = ask(question="GTII前15名里有几个中国城市？", language="zh", operation="count", editions=[GTII],
              edition_source="explicit", n=15, filters=[{"field": "country", "value": "CN"}])
    lead = first(env)
    assert "有 8 个" in lead and all(c in lead for c in ("北京", "上海", "广州", "杭州", "成都", "天津", "西安", "深圳"))
    assert "我国 8 个" in env.answer  # the report's sentence (001 line 2383)
    assert "count" in tools(env)


@pytest.mark.parametrize("n", [2, 9])
def test_compare_any_number_of_cities_without_a_validation_message(n):
    cities = ["北京", "上海", "深圳", "广州", "西安", "武汉", "杭州", "合肥", "南京"][:n]
    env = ask(question="compare", operation="compare", entities=cities, editions=[Y2020], edition_source="year")
    assert "validation" not in env.answer.lower() and "error" not in env.answer.lower()
    assert first(env).startswith("On the composite, Beijing (北京)") and "84.04" in first(env)
    assert all(f"({c})" in env.answer for c in cities)
    if n > 8:  # rows in pages of 8, charted as sorted bars
        assert "Ranks 1–8:" in env.answer and "Rank 9:" in env.answer
        assert env.chart["type"] == "ranking" and len(env.chart["labels"]) == 9
    else:  # columns, grouped bars
        assert env.chart["type"] == "compare" and [s["name"] for s in env.chart["series"]] == ["Beijing", "Shanghai"]


def test_a_ranking_states_who_is_in_it_and_charts_sorted_bars():
    env = ask(question="2019年创新基础倒数三名是哪些城市？", language="zh", operation="rank", editions=[Y2019],
              edition_source="year", dimension="innovation_base", n=3, direction="bottom")
    assert "倒数 3 位" in first(env) and "拉萨" in first(env)
    values = env.chart["series"][0]["values"]
    assert env.chart["type"] == "ranking" and values == sorted(values)


# ----------------------------------------------------------------------------- 4. false premises
def test_false_first_place_is_corrected_with_the_true_rank_then_answered():
    env = ask(question="Why did Shenzhen come first in 2019?", operation="why", entities=["深圳"], editions=[Y2019],
              edition_source="year", polarity="strong",
              premises=[{"kind": "rank", "entity": "深圳", "value": 1, "edition": Y2019}])
    lead = first(env)
    assert lead.startswith("Contrary to the question's premise, Shenzhen (深圳) was not first")
    assert "ranks 3 of 36" in lead and "50.99" in lead and "[1]" in lead
    assert "strengths" in env.answer  # then the real question: where it is strong


def test_false_tier_is_corrected():
    env = ask(question="深圳为什么是第三梯队？", language="zh", operation="why", entities=["深圳"], editions=[Y2020],
              edition_source="default", polarity="weak", premises=[{"kind": "tier", "entity": "深圳", "value": 3}])
    assert first(env).startswith("与问题的前提不同，深圳") and "不属于第三梯队" in first(env) and "第二梯队" in first(env)


def test_not_out_of_the_top_ten():
    env = ask(question="Why did Hangzhou drop out of the top 10 in 2020?", operation="why", entities=["杭州"],
              editions=[Y2020], edition_source="year", polarity="weak",
              premises=[{"kind": "outside_top", "entity": "杭州", "value": 10, "edition": Y2020}])
    assert "did not drop out of the top 10" in first(env) and "ranks 7 of 38" in first(env)


def test_a_false_ordering_is_corrected():
    env = ask(question="Why is Shenzhen ahead of Shanghai in 2020?", operation="why", entities=["深圳"], editions=[Y2020],
              edition_source="year", premises=[{"kind": "ordering", "entity": "深圳", "other": "上海", "edition": Y2020}])
    assert "is not ahead of Shanghai (上海)" in first(env) and "42.92" in first(env) and "50.48" in first(env)


def test_a_true_premise_adds_nothing():
    env = ask(question="Why is Beijing first in 2020?", operation="why", entities=["北京"], editions=[Y2020],
              edition_source="year", polarity="strong", premises=[{"kind": "rank", "entity": "北京", "value": 1}])
    assert "premise" not in env.answer


def test_a_year_without_an_edition_is_said_and_answered_from_that_years_report():
    env = ask(question="What was Shenzhen's score in the 2024 edition?", operation="lookup", entities=["深圳"], year=2024,
              aspect="score", premises=[{"kind": "edition_year", "value": 2024}])
    assert first(env).startswith("There is no 2024 edition")
    said = env.answer.split("\n\n")[1]
    assert said.startswith("No index edition covers 2024") and "深圳" in said
    assert any(c.source_file.startswith("003_") for c in env.citations)  # the news item on the 2024 white paper
    assert "each its own year" in env.answer and env.frame["route"] == "years"


# ----------------------------------------------------------------------------- 6, 7. district index, unknown names
def test_district_sub_index_leader_comes_from_the_district_report():
    env = ask(question="重庆区县双创指数里双创活力最高的是哪个区？", language="zh", operation="leader", editions=[CQ],
              edition_source="explicit", dimension="vitality", direction="top")
    assert "渝北区" in first(env) and "31.01" in first(env)
    # no printed ranking of the sub-index: the report's reviewed statement (or its text) names the leader
    assert env.frame["fallback"]["to"] in ("concept", "narrative")
    assert all(c.source_file.startswith("004_") for c in env.citations)


def test_a_district_ranking_without_scores_lists_the_classes():
    env = ask(question="重庆区县双创指数排名", language="zh", operation="rank", editions=[CQ], edition_source="explicit")
    # the first sentence says what the report prints: its one composite (渝北区 87.89, 004:226), the rest by class
    assert "渝北区 87.89" in first(env) and "类别" in first(env) and env.frame["route"] == "tier"
    assert "第一类" in env.answer


def test_a_misspelt_city_gets_did_you_mean_and_nothing_else():
    env = ask(question="Shenzhn score in 2019", operation="lookup", editions=[Y2019], edition_source="year", aspect="score",
              links=[{"surface": "Shenzhn", "kind": "entity", "target": None, "score": 80, "method": "fuzzy",
                      "suggestions": ["深圳", "沈阳"]}])
    assert env.answer.startswith("I couldn't find “Shenzhn”. Did you mean Shenzhen (深圳) or Shenyang (沈阳)?")
    assert "ranking" not in tools(env) and "#1" not in env.answer


def test_an_uncovered_city_is_not_covered_not_a_top_ten():
    env = ask(question="洛阳在2019年排名第几？", language="zh", operation="lookup", editions=[Y2019], edition_source="year",
              aspect="rank", links=[{"surface": "洛阳", "kind": "entity", "target": None}])
    assert first(env).startswith("“洛阳”不在这些指数的评价范围内")
    assert "第 1 名" not in env.answer and "ranking" not in tools(env)


def test_a_fuzzy_match_is_answered_and_says_how_it_was_read():
    env = ask(question="Shenzen's score in 2019?", operation="lookup", entities=["深圳"], editions=[Y2019],
              edition_source="year", aspect="score",
              links=[{"surface": "Shenzen", "kind": "entity", "target": "深圳", "score": 91, "method": "fuzzy"}])
    assert "50.99" in first(env) and "(I read “Shenzen” as Shenzhen (深圳).)" in env.answer


def test_a_misspelt_dimension_is_not_replaced_by_the_composite():
    env = ask(question="bottom 3 by inovation bse in 2019", operation="rank", editions=[Y2019], edition_source="year",
              n=3, direction="bottom",
              links=[{"surface": "inovation bse", "kind": "dimension", "target": None, "score": 70, "method": "fuzzy",
                      "suggestions": ["innovation_base"]}])
    assert env.answer.startswith("I couldn't find “inovation bse”. Did you mean innovation base (创新基础)?")
    assert "ranking" not in tools(env) and env.frame["route"] == "links"
