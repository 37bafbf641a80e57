"""The newer premise kinds checked against the reports' printed numbers, false ones said in
the first paragraph: 000 = the 2020 white paper, 001 = the 2019 one, 004 = 科技参考 2018 No. 6."""
from tests.answer_frames import ask_question, first


def test_composite_said_to_rise_fell():
    lead = first(ask_question("深圳的综合得分2020年为什么涨了"))
    assert lead.startswith("与问题的前提不同") and "50.99" in lead and "42.92" in lead   # 001:1942, 000:2770
    lead = first(ask_question("北京的总分2020年怎么下降了"))
    assert lead.startswith("确实") and "86.59" in lead and "84.04" in lead              # 001:1880, 000:2766


def test_rank_said_lower_than_last_edition_is_unchanged():
    lead = first(ask_question("为啥重庆2020年的排名比2019年要低"))
    assert lead.startswith("与问题的前提不同") and "没有变化" in lead and "第 19 名" in lead


def test_weak_standing_that_is_second():
    lead = first(ask_question("Why is Shenzhen so weak in innovation environment in 2019?"))
    assert lead.startswith("Contrary to the question's premise") and "2 of 36" in lead and "63.68" in lead   # 001:1862


def test_strong_standing_that_is_22nd():
    env = ask_question("西安2020年硬科技企业为什么这么强")
    assert first(env).startswith("与问题的前提不同") and "第 22 名" in first(env) and "11.24" in first(env)   # 000:2774
    assert "是其强项" not in env.answer


def test_tier_named_before_the_entity():
    lead = first(ask_question("第二梯队的天津2019年创新产出得分多少"))
    assert "不属于第二梯队" in lead and "第三梯队" in lead   # 001:1821


def test_alone_in_a_tier():
    lead = first(ask_question("Is Shanghai the only second-tier city in 2020?"))
    assert lead.startswith("Contrary to the question's premise") and "Shenzhen (深圳)" in lead   # 000:2709
    lead = first(ask_question("is Beijing the only first-tier city in 2019?"))
    assert lead.startswith("Yes") and "86.59" in lead   # 001:1821


def test_top_list_leads_with_the_one_that_is_not_in_it():
    lead = first(ask_question("The top 3 in 2020 were Beijing, Shanghai and Guangzhou, right?"))
    assert lead.startswith("Contrary to the question's premise") and "Guangzhou (广州)" in lead and "39.46" in lead   # 000:2772


def test_year_bound_rank_claims():
    lead = first(ask_question("Xi'an ranked 4th in both 2019 and 2020, what's its strongest area?"))
    assert "was not fourth in the 2020" in lead and "5 of 38" in lead and "35.83" in lead   # 000:2774


def test_one_tier_answer_lists_member_scores():
    env = ask_question("2020年第二梯队")
    assert "50.48" in env.answer and "42.92" in env.answer   # 000:2768, 000:2770


def test_last_tier_has_no_zero_threshold():
    env = ask_question("2019年第五梯队的门槛")
    assert "门槛 0 分" not in env.answer and "21 个城市" in first(env)   # 001:1821


def test_alias_of_another_edition_answers_in_the_year_asked():
    lead = first(ask_question("Who are the leaders in 2020?"))
    assert "hardtech-2020" in lead and "Beijing (北京)" in lead


def test_tier_claim_in_an_edition_without_tiers():
    lead = first(ask_question("Why is Xi'an a first-tier city in the GTII?"))
    assert lead.startswith("Contrary to the question's premise") and "defines no tiers" in lead and "51.16" in lead


def test_number_of_tiers_stated_wrongly():
    lead = first(ask_question("2019年的指数分了三个梯队，合肥在哪个"))
    assert lead.startswith("与问题的前提不同") and "5 个梯队" in lead   # 001:1821


def test_first_place_claimed_for_an_unranked_district():
    lead = first(ask_question("渝中区为什么是重庆双创指数第一名"))
    assert lead.startswith("与问题的前提不同") and "第二类" in lead and "渝北区（87.89）" in lead   # 004:29, 004:226


def test_pronoun_follow_up_ordering():
    env = ask_question("为什么它比西安高", ("user", "杭州2020年排第几"))
    assert first(env).startswith("与问题的前提不同") and "32.99" in first(env) and "35.83" in first(env)   # 000:2774, 2778
