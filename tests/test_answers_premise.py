"""False premises are contradicted in the first paragraph with the true figure and its line;
true ones are confirmed. Expected numbers are the reports' printed ones: 000 = the 2020
white paper, 001 = the 2019 one, 004 = 科技参考 2018 No. 6."""
from tests.answer_frames import ask_question, first


def _cited(env, source_file, line):
    return any(c.source_file == source_file and c.lines[0] <= line <= c.lines[1] for c in env.citations)


def test_false_rank_names_the_true_rank_and_who_holds_the_asked_place():
    env = ask_question("上海为什么能在2020年排第一？")
    lead = first(env)
    assert "与问题的前提不同" in lead and "第 2 名" in lead and "50.48" in lead   # 000:2768
    assert "排第一的是北京（84.04）" in lead                                          # 000:2766
    assert "不在这些指数的评价范围内" not in env.answer                               # "能在" is not a place
    assert _cited(env, "000_a935e4fe392ee53f.txt", 2768)


def test_false_dimension_leader():
    env = ask_question("Shenzhen leads innovation base in 2019, why?")
    lead = first(env)
    assert "Contrary to the question's premise" in lead and "34 of 36" in lead and "3.93" in lead   # 001:1862
    assert "one of its strengths" not in env.answer   # why reads strength from the dimension asked


def test_true_premises_are_confirmed_not_contradicted():
    env = ask_question("北京2019年为啥排第一")
    assert first(env).startswith("确实") and "86.59" in first(env)   # 001:1880
    env = ask_question("为什么成都2019年没进前十？")
    assert first(env).startswith("确实") and "第 12 名" in first(env) and "25.66" in first(env)   # 001:2153
    assert "与问题的前提不同" not in env.answer


def test_stated_score_that_is_not_the_printed_one():
    env = ask_question("Beijing scored 90 in 2020, what were its dimension scores?")
    assert "Contrary to the question's premise" in first(env) and "84.04" in first(env)   # 000:2766


def test_stated_score_rounded_is_true():
    env = ask_question("深圳2019年得了51分，它的创新产出呢")
    assert "与问题的前提不同" not in env.answer   # 50.99 (001:1942) is 51 rounded


def test_edition_size():
    env = ask_question("2019年那50个城市里深圳排第几")
    lead = first(env)
    assert "与问题的前提不同" in lead and "36 个城市" in lead   # 001:1819 共计 36 个
    env = ask_question("Of the 40 cities in the 2020 index, which one came last?")
    assert "covers 38 cities, not the number" in first(env) and "Tangshan (唐山)" in env.answer   # 000:4601, 000:2840


def test_rank_change_between_editions():
    env = ask_question("Why did Chengdu's rank fall from 2019 to 2020?")
    lead = first(env)   # 001:2153 rank 12 of 36; 000:2784 rank 10 of 38
    assert "did not fall; it rose" in lead and "rank 12 of 36" in lead and "rank 10 of 38" in lead
    env = ask_question("深圳的排名2020年为什么上升了")
    assert "并没有上升，而是没有变化" in first(env)   # 第 3 位 (001:1942), 第 3 名 (000:2770)


def test_ordering_with_a_year_between_the_names():
    env = ask_question("为什么深圳2020年比上海高？")
    lead = first(env)
    assert "与问题的前提不同" in lead and "42.92" in lead and "50.48" in lead   # 000:2770, 2768


def test_true_ordering_in_a_gap_question_is_not_restated():
    env = ask_question("By how much did Guangzhou overtake Xi'an in 2020?")
    assert "3.63" in first(env) and "Indeed" not in env.answer   # 39.46 − 35.83 (000:2772, 2774)


def test_tier_of_a_district_without_a_printed_score():
    env = ask_question("渝中区为什么是第一类？")
    lead = first(env)
    assert "不属于第一类，而是第二类" in lead and "综合得分 ）" not in lead   # 004:29


def test_tier_premise_against_an_unnamed_group():
    env = ask_question("Is Hefei a tier-1 city in the 2020 index?")
    lead = first(env)   # 000:2709-2711 name three tiers; 合肥 29.77 (000:2780) is in none
    assert "is not in the first tier" in lead and "no named tier" in lead and "29.77" in lead


def test_year_of_another_index():
    env = ask_question("What did the 2020 GTII say about Tokyo?")
    assert "has no 2020 edition" in first(env) and "78.39" in env.answer   # 001:2388


def test_year_whose_editions_lack_the_city():
    env = ask_question("2018年硬科技城市指数里北京得分多少")
    assert "没有覆盖北京的 2018 年版本" in first(env) and "86.59" in env.answer   # 001:1880


def test_tier_alias_lists_that_tier():
    env = ask_question("2019年的挑战者城市有哪些")
    assert "上海" in first(env) and "深圳" in first(env) and "西安" not in env.answer   # 001:1821


def test_members_per_tier():
    env = ask_question("2019年每个梯队各有几个城市？")
    assert "第一梯队（领跑者） 1 个；第二梯队（挑战者） 2 个；第三梯队（建设者） 6 个；第四梯队（追赶者） 6 个；第五梯队 21 个" \
        in env.answer   # 001:1821


def test_tiers_the_report_names_are_counted_without_the_rest():
    env = ask_question("How many tiers does the 2020 index have?")
    assert "has 3 tiers" in first(env)   # 000:2709-2711 name three; the other 31 cities are in none


def test_tier_threshold_question_gives_that_tier():
    env = ask_question("2020年第三梯队的分数线是多少")
    # 000:2711 "30-40之间": the line asked for first, then the tier's members
    assert "第三梯队的分数线是 30 分（30 分及以上、不足 40 分，报告明示）" in first(env) and "杭州" in env.answer


def test_tier_in_other_editions_is_named():
    env = ask_question("西安在两个版本里分别是第几梯队")
    assert env.answer.count("第三梯队") >= 2   # 000:2711 (2020) and 001:1821 (2019)


def test_same_tier():
    env = ask_question("成都和合肥在2019年是同一个梯队吗")
    assert first(env).startswith("是的") and "第四梯队" in first(env)   # 001:1821
    env = ask_question("Is Chengdu in the same tier as Hangzhou in 2020?")
    lead = first(env)   # 000:2711: 杭州 third tier; 成都 in none the report names
    assert "not in the same tier" in lead and "Hangzhou (杭州) in the third tier" in lead
    assert _cited(env, "000_a935e4fe392ee53f.txt", 2711)


def test_dimension_of_another_edition():
    env = ask_question("What's Beijing's research talent score in the 2019 index?")
    lead = first(env)   # 科研人才 is a 2020 dimension (000:2766 header); 2019 has 创新基础/投入/产出/环境 (001:1786)
    assert "has no research talent (科研人才) dimension" in lead and "innovation base (创新基础)" in lead
    assert "Did you mean" not in env.answer and "86.59" in env.answer   # 001:1880


def test_dropped_out_of_a_tier_it_is_still_in():
    env = ask_question("深圳跌出第二梯队的原因")
    assert "仍属于第二梯队" in first(env) and "42.92" in first(env)   # 000:2709
    env = ask_question("why isn't Hefei in the third tier in 2020?")
    assert first(env).startswith("Indeed") and "29.77" in first(env)   # 000:2711 names 4 cities, not 合肥 (000:2780)


def test_tier_premise_gives_the_asked_tiers_threshold():
    env = ask_question("why isn't Hefei in the third tier in 2020?")
    assert "composite 29.77, rank 8; third tier: threshold 30, stated by the report" in first(env)   # 000:2711 "30-40", 000:2780


def test_tier_of_an_entity_cites_the_tier_statement_and_names_other_editions():
    from tests.answer_frames import ask

    env = ask(operation="tier", entities=["深圳"], editions=["hardtech-2020"], edition_source="default", language="zh")
    assert "第二梯队" in first(env) and "42.92" in first(env)                    # 000:2709, 2770
    assert _cited(env, "000_a935e4fe392ee53f.txt", 2709)
    assert "属于第二梯队（门槛为推定）" in env.answer                           # 2019 too: 001:1821
    env = ask(operation="tier", entities=["成都"], editions=["hardtech-2020"], edition_source="year", language="zh")
    assert "不属于报告命名的任何梯队" in first(env) and "27.40" in first(env)   # 000:2784
