"""Follow-ups: a turn inherits the frame of the turns before it and overrides what it names.

Expected figures are the reports' printed numbers: 000 = 2020 white paper, table 3.2
(000:2766-2840, one line per city); 001 = 2019 white paper, table 表2 (001:1839-1874) and the
city profiles' composites; GTII TOP15 (001:2388-2402).
"""
from __future__ import annotations

import pytest

import assistant
from assistant.offline import answer_question
from tests.answer_frames import first, understood


def turns(*pairs: str) -> list[dict]:
    """A history from alternating user / assistant texts (user first)."""
    return [{"role": "user" if i % 2 == 0 else "assistant", "content": text} for i, text in enumerate(pairs)]


def users(*texts: str) -> list[dict]:
    return [{"role": "user", "content": text} for text in texts]


# ---------------------------------------------------------------- what a turn overrides, what it keeps
def test_a_new_city_keeps_the_operation_edition_and_dimension():
    f = understood("and Wuhan?", users("What is Xi'an's high-tech output score in 2020?"))
    assert (f.operation, f.entities, f.editions, f.dimension) == ("lookup", ("武汉",), ("hardtech-2020",), "hightech_output")
    assert {"operation", "editions", "dimension"} <= set(f.inherited)


def test_the_same_follow_up_reads_the_same_with_or_without_the_assistant_turn():
    question = "那创新环境呢"
    with_answers = understood(question, turns("长沙2019年综合排名", "长沙排第 11 名（共 36 个城市），综合得分 25.85 分。"))
    users_only = understood(question, users("长沙2019年综合排名"))
    for f in (with_answers, users_only):
        assert (f.entities, f.editions, f.dimension) == (("长沙",), ("hardtech-2019",), "innovation_environment")


def test_a_dimension_asked_of_one_edition_is_its_counterpart_in_the_other():
    # 2020 has no 创新投入 (2019); its counterpart by shared indicators is 硬科技投入
    history = users("深圳2019年创新投入得分")
    f = understood("2020年呢", history)
    assert (f.entities, f.editions, f.dimension) == (("深圳",), ("hardtech-2020",), "hardtech_investment")
    env = answer_question("2020年呢", history)
    assert "55.49" in first(env) and "第 2 名" in first(env)      # 000:2770


def test_a_dimension_named_by_reference_is_kept():
    f = understood("which city leads on that?", users("What is Qingdao's innovation environment score in 2019?"))
    assert (f.operation, f.editions, f.dimension) == ("leader", ("hardtech-2019",), "innovation_environment")
    assert f.entities == ()


def test_a_tier_is_of_the_composite_not_of_the_dimension_asked_before():
    env = answer_question("它属于第几梯队", users("杭州2020年的硬科技企业得分"))
    assert understood("它属于第几梯队", users("杭州2020年的硬科技企业得分")).dimension is None
    assert "第三梯队" in first(env) and "32.99" in first(env)        # 000:2778, tier 3 from 30 (000:2711)


# ---------------------------------------------------------------- a new operation about the same subject
def test_which_tier_is_that_is_about_the_city_just_asked_about():
    history = turns("What is Wuhan's composite score in 2020?", "Wuhan's composite score is 34.58, rank 6 of 38.")
    assert understood("which tier is that?", history).entities == ("武汉",)
    assert "third tier" in first(answer_question("which tier is that?", history))


def test_the_gap_to_the_first_place_is_measured_from_the_city_asked_about():
    history = users("西安2020年综合得分多少")
    f = understood("比第一名低多少", history)
    assert (f.operation, f.entities) == ("gap", ("西安",))
    text = first(answer_question("比第一名低多少", history))
    assert "48.21" in text and "北京" in text                        # 84.04 - 35.83 (000:2766, 2774)


def test_why_so_low_keeps_the_city_and_the_dimension():
    f = understood("why so low?", turns("What is Shenzhen's research talent rank in 2020?",
                                          "Shenzhen scores 21.05 on research talent, rank 19 of 38."))
    assert (f.operation, f.entities, f.dimension) == ("why", ("深圳",), "research_talent")


@pytest.mark.parametrize("question, polarity", [("它的短板呢", "weak"), ("那它的强项呢", "strong")])
def test_asking_for_weak_or_strong_points_is_a_why_question_over_all_dimensions(question, polarity):
    f = understood(question, users("深圳2019年创新投入得分"))
    assert (f.operation, f.entities, f.polarity, f.dimension) == ("why", ("深圳",), polarity, None)


def test_weak_points_name_the_weakest_dimension():
    text = first(answer_question("它的短板呢", users("深圳2019年创新投入得分")))
    assert "创新基础" in text and "3.93" in text and "第 34 名" in text   # 001:1862


# ---------------------------------------------------------------- the cities just compared
def test_who_is_higher_after_a_comparison_compares_those_two():
    history = turns("Compare Nanjing and Wuhan in 2019", "On the composite, Wuhan is ahead of Nanjing.")
    f = understood("who is higher on innovation input?", history)
    assert (f.operation, f.entities, f.dimension) == ("compare", ("南京", "武汉"), "innovation_input")
    history += turns("who is higher on innovation input?", "Nanjing 38.48, Wuhan 37.01.")
    f = understood("by how much?", history)
    assert (f.operation, f.entities, f.dimension) == ("gap", ("南京", "武汉"), "innovation_input")
    assert "1.47" in first(answer_question("by how much?", history))   # 38.48 - 37.01 (001:1849, 1859)


def test_a_city_named_after_a_comparison_joins_it():
    f = understood("and Shenzhen?", users("Compare Beijing and Shanghai in 2020"))
    assert (f.operation, f.entities) == ("compare", ("北京", "上海", "深圳"))


def test_a_pronoun_and_a_new_city_in_a_gap_question_are_both_compared():
    f = understood("它比南京高多少", users("杭州2019年的创新环境"))
    assert (f.operation, f.entities, f.dimension) == ("gap", ("杭州", "南京"), "innovation_environment")
    assert "7.88" in first(answer_question("它比南京高多少", users("杭州2019年的创新环境")))  # 53.50 - 45.62 (001:1850, 1849)


def test_they_are_the_cities_of_the_last_user_turns_when_no_answer_names_two():
    history = users("北京2020年得分", "上海呢")
    f = understood("它们差多少", history)
    assert (f.operation, f.entities) == ("gap", ("北京", "上海"))
    assert "33.56" in first(answer_question("它们差多少", history))  # 84.04 - 50.48 (000:2766, 2768)


# ---------------------------------------------------------------- after a list
def test_the_first_place_after_a_list_is_its_leader():
    history = users("2020年排名前五的城市是哪些？")
    f = understood("第一名呢？", history)
    assert (f.operation, f.editions) == ("leader", ("hardtech-2020",))
    assert "84.04" in first(answer_question("第一名呢？", history))   # 000:2766


def test_a_place_after_a_list_keeps_the_dimension_it_was_ranked_by():
    history = users("2019年哪个城市创新产出最强？")
    f = understood("第二名呢", history)
    assert (f.dimension, f.offset, f.n) == ("innovation_output", 1, 1)
    text = first(answer_question("第二名呢", history))
    assert "深圳" in text and "55.44" in text                        # 001:1862


def test_a_city_named_after_a_leader_question_asks_about_that_city():
    f = understood("深圳呢", users("2020年哪个城市的科研人才排名第一"))
    assert (f.operation, f.entities, f.dimension) == ("lookup", ("深圳",), "research_talent")


def test_how_many_after_a_tier_counts_that_tier():
    history = turns("Which cities are in the second tier in 2020?", "The second tier: Shanghai, Shenzhen.")
    f = understood("how many cities is that?", history)
    assert f.operation == "count" and [(x.field, x.value) for x in f.filters] == [("tier", "2")]
    assert first(answer_question("how many cities is that?", history)).startswith("2 ")


def test_which_of_them_after_a_list_asks_for_members_not_about_the_first():
    history = turns("2020年前十名", "按综合得分排名前 10 位是：北京、上海、深圳、广州、西安、武汉、杭州、合肥、南京、成都。")
    f = understood("其中哪些是第三梯队", history)
    assert (f.operation, f.entities, f.tier) == ("tier", (), 3)


def test_which_district_leads_it_after_a_definition_is_about_the_index():
    history = turns("What is the Chongqing district index?", "It ranks Chongqing's 38 districts; Yubei District is first.")
    f = understood("which district leads it?", history)
    assert (f.operation, f.entities, f.editions) == ("leader", (), ("chongqing-2018q3",))


# ---------------------------------------------------------------- several turns back; concepts
def test_the_subject_set_two_turns_back_carries_through_a_leader_question():
    history = users("What is Qingdao's innovation environment score in 2019?", "which city leads on that?")
    f = understood("and where does Qingdao stand?", history)
    assert (f.operation, f.entities, f.editions, f.dimension) == ("lookup", ("青岛",), ("hardtech-2019",), "innovation_environment")


def test_a_concept_question_keeps_its_topic_and_aspect_across_turns():
    history = users("什么是硬科技？", "谁提出的")
    f = understood("哪一年", history)
    assert (f.operation, f.topic, f.aspect) == ("concept", "硬科技", "origin")
    env = answer_question("哪一年", history)
    assert "2010" in first(env) and "米磊" in first(env)              # 002:41
    assert any(c.source_file.startswith("002_") and c.lines[0] <= 41 <= c.lines[1] for c in env.citations)


def test_an_index_named_two_turns_back_is_the_edition_of_a_leader_question():
    history = users("What is the GTII?", "what are its fields?")
    f = understood("which city comes first in it?", history)
    assert (f.operation, f.editions) == ("leader", ("gtii-2019",))
    assert "78.39" in first(answer_question("which city comes first in it?", history))  # 001:2388


# ---------------------------------------------------------------- the chat / API path
def test_the_public_ask_passes_history_like_the_offline_answerer():
    history = turns("苏州2020年综合得分多少", "苏州的综合得分为 26.76 分，排第 11 名。") + [{"role": "system", "content": "be brief"}]
    env = assistant.ask("那无锡呢", history)
    assert "19.42" in first(env) and "第 17 名" in first(env)        # 000:2798
    assert env.answer == answer_question("那无锡呢", [t for t in history if t["role"] != "system"]).answer


def test_the_http_api_and_the_chat_completions_endpoint_pass_history_the_same_way(tmp_path):
    from fastapi.testclient import TestClient

    from hardtech.settings import Settings
    from service.app import create_app

    client = TestClient(create_app(Settings(home=tmp_path, rate_limit=0)), raise_server_exceptions=False)
    history = turns("苏州2020年综合得分多少", "苏州的综合得分为 26.76 分，排第 11 名。")
    expected = answer_question("那无锡呢", history).answer
    body = client.post("/api/v1/ask", json={"question": "那无锡呢", "history": history}).json()
    assert body["answer"] == expected and "19.42" in expected        # 000:2798
    chat = client.post("/v1/chat/completions", json={"messages": history + [{"role": "user", "content": "那无锡呢"}]}).json()
    content = chat["choices"][0]["message"]["content"]
    assert "无锡" in content and "19.42" in content


@pytest.mark.parametrize("question, entity", [("what about the latter's tier?", "武汉"), ("前者呢", "南京")])
def test_the_former_and_the_latter_are_the_cities_just_compared(question, entity):
    f = understood(question, users("Compare Nanjing and Wuhan in 2020"))
    assert f.entities == (entity,) and f.operation != "compare"


def test_an_edition_named_relative_to_the_last_one():
    f = understood("上一版呢", users("成都2020年排第几"))
    assert (f.entities, f.editions) == (("成都",), ("hardtech-2019",))
    assert "第 12 名" in first(answer_question("上一版呢", users("成都2020年排第几")))   # 001:2153


def test_a_place_counted_from_the_bottom_after_the_last_place():
    f = understood("倒数第二呢", users("2020年倒数第一是哪个城市"))
    assert (f.operation, f.direction, f.n, f.offset) == ("rank", "bottom", 1, 1)
    assert "徐州" in first(answer_question("倒数第二呢", users("2020年倒数第一是哪个城市")))   # 37th, 8.98 (000:2838)


def test_a_bare_why_after_a_weak_dimension_reads_it_as_weak():
    history = users("Shenzhen innovation base 2019")
    assert understood("why?", history).dimension == "innovation_base"
    text = first(answer_question("why?", history))
    assert "3.93" in text and "rank 34 of 36" in text and "strength" not in text   # 001:1862


def test_a_vague_turn_after_a_narrative_answer_searches_on_both_turns():
    f = understood("where does China stand?", users("What is the Nature Index ranking in the 2020 report?"))
    # the Nature Index is a reviewed concept: its entry, asked about China (the last topic, then the new subject)
    topic = f.topic.lower()
    assert f.operation in ("narrative", "concept") and ("nature" in topic or "自然指数" in topic) and \
        ("china" in topic or "中国" in topic)
