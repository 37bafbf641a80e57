"""The right operation, scope and citation for numeric questions (issue 9 items 2, 3, 7): a count
inside one GTII field is taken over that field's table; a tier or class count cites the report's
statement; a dimension's weight and indicators come first; a dimension dropped or one score
supposed is recomputed; lookalike letters, named lists and slips in a dimension name are read.
Expected figures are the reports' printed numbers, or hand arithmetic over them."""
from __future__ import annotations

import pytest

from assistant.aggregates import t_count, t_substitute
from assistant.offline import answer_question
from assistant.offline.understand import understand

GTII = "001_2d381f25c7fc5f5d.txt"
W2020 = "000_a935e4fe392ee53f.txt"
CQ = "004_761156490aac2bdf.txt"


def _cited(env, source_file: str, first: int, last: int | None = None) -> bool:
    last = last or first
    return any(c.source_file == source_file and c.lines[0] <= last and c.lines[-1] >= first for c in env.citations)


def test_a_count_in_a_field_top_10_is_over_that_field_and_cites_its_table():
    # 001:2495 energy TOP10: 东京 北京 纽约 上海 巴黎 广州 深圳 成都 首尔 伦敦 -> five Chinese cities
    res = t_count("gtii-2019", top=10, by="energy", country="中国")
    assert res["count"] == 5 and {m["source"]["line"] for m in res["members"]} == {2495}
    env = answer_question("How many Chinese cities made GTII's energy top 10, and which ones?", [])
    assert "Shenzhen" in env.answer and "#7" in env.answer and _cited(env, GTII, 2495)


def test_a_field_written_against_chinese_text_is_still_a_top_n():
    # "生物技术TOP10": 001:2515 -> 上海 3rd, 北京 4th, 广州 8th, 成都 10th
    env = answer_question("生物技术TOP10里中国城市有几个？", [])
    assert "有 4 个" in env.answer and "成都（第 10 名，64.57 分）" in env.answer and _cited(env, GTII, 2515)


def test_each_counted_member_of_a_top_n_says_its_place():
    # 001:2388-2402: 东京 1st (78.39), 京都 13th (51.58) of the TOP15
    env = answer_question("GTII前15里日本城市有几个？分别第几？", [])
    assert "东京（第 1 名，78.39 分）" in env.answer and "京都（第 13 名，51.58 分）" in env.answer


def test_a_comparison_within_a_field_cites_that_field():
    # 001:2555 advanced manufacturing: 首尔 63.18, 巴黎 60.59
    env = answer_question("先进制造这个领域，巴黎跟首尔哪个分数高些", [])
    assert "63.18" in env.answer and _cited(env, GTII, 2555)


@pytest.mark.parametrize("question, source_file, line", [
    ("2019年第五梯队有多少个城市？", GTII, 1821),      # "其余 21 个城市属于…第五梯队"
    ("How many cities were placed in the fourth tier in 2019?", GTII, 1821),
    ("2020年处在第三梯队的城市一共几个", W2020, 2711),  # "广州、西安、武汉、杭州为第三梯队"
    ("重庆有几个区县双创指数在80分以上？", CQ, 25),     # "第一类：双创指数得分在80分以上的区县有 1个"
])
def test_a_count_of_a_tier_or_class_cites_the_report_statement(question, source_file, line):
    assert _cited(answer_question(question, []), source_file, line)


def test_a_dimension_weight_is_the_answer_with_its_line():
    # 001:1786: 产业创新投入和产业创新产出各 35%
    env = answer_question("How much does innovation output count for in the 2019 composite?", [])
    assert env.frame["frame"]["operation"] == "method" and "35%" in env.answer.split("\n")[0] and _cited(env, GTII, 1786)


def test_a_dimension_indicators_are_listed_from_the_indicator_table():
    # 000:2679-2685: 高新企业数量, 科创板企业数量, 创业板企业数量, 规模以上工业企业数量
    env = answer_question("2020年硬科技企业这一维具体看哪些指标？", [])
    first = env.answer.split("\n")[0]
    assert all(k in first for k in ("创业板企业数量", "科创板企业数量", "规模以上工业企业数量")) and "每万人研发人员" not in first
    assert _cited(env, W2020, 2679, 2685)


def test_gtii_weights_cite_the_method_passage():
    # 001:2720 创新指数评估方法请详见报告完整版相关内容
    env = answer_question("What weights does the GTII-City index give its seven tech fields?", [])
    assert "no weights" in env.answer and _cited(env, GTII, 2704, 2720)


def test_a_supposed_dimension_score_recomputes_one_composite():
    # 2020 Xi'an (000:2774): 39.84, 42.24, 60.84, 11.24 -> 30, 25.00; (39.84+42.24+60.84+30+25)/5 = 39.584,
    # above 广州 39.46 (000:2772) -> 4th
    res = t_substitute("hardtech-2020", "西安", "hardtech_enterprises", 30)
    assert res["composite"] == pytest.approx(39.58) and res["rank"] == 4 and res["was_score"] == pytest.approx(11.24)
    env = answer_question("If Xi'an's 2020 hard-tech enterprises score were 30, what would its composite be?", [])
    assert "39.58" in env.answer and "rank 4" in env.answer


def test_a_dropped_dimension_with_the_rest_equal():
    # Xi'an 2020 without research talent: (42.24+60.84+11.24+25)/4 = 34.83
    frame = understand("如果2020年不算科研人才（其余四项等权），西安排第几？")
    assert frame.weights["research_talent"] == 0 and len({v for k, v in frame.weights.items() if k != "research_talent"}) == 1
    assert "34.83" in answer_question("如果2020年不算科研人才（其余四项等权），西安排第几？", []).answer


def test_lookalike_letters_are_read_as_the_name_and_said_so():
    env = answer_question("Shеnzhen 2019 composite score?", [])  # Cyrillic е
    assert "50.99" in env.answer and "Shеnzhen" in env.answer  # the reading is named


def test_named_cities_are_compared_not_read_as_a_top_n():
    # 长沙 25.85 and 成都 25.66 rank 11 and 12 (001 table 2): outside the top 10, but named
    env = answer_question("把北京、上海、深圳、西安、广州、杭州、武汉、合肥、长沙、成都这十个城市2019年的综合得分列一下", [])
    assert "25.85" in env.answer and "25.66" in env.answer and "南京" not in env.answer.split("\n")[0]


def test_a_slip_in_a_chinese_dimension_name_links_the_dimension():
    # 000 table: 硬科技企业 bottom three 贵阳 1.81, 沈阳 2.63, 昆明 2.88
    env = answer_question("2020年硬科技企亚指数倒数三名", [])
    assert all(v in env.answer for v in ("1.81", "2.63", "2.88")) and env.frame["frame"]["dimension"] == "hardtech_enterprises"


def test_which_members_are_in_a_country_after_a_coverage_answer():
    # 001:2722-2746 table 2: ten Chinese cities, 香港 and 台北 among them
    history = [{"role": "user", "content": "How many cities does GTII cover?"},
               {"role": "assistant", "content": "GTII-City 2019 covers 45 cities in 12 countries."}]
    env = answer_question("and which are the chinese ones?", history)
    assert "Hong Kong" in env.answer and "Taipei" in env.answer and _cited(env, GTII, 2722, 2746)


def test_the_leader_among_filtered_entities_on_a_field():
    # 001:2515 biotech TOP10: 东京 81.59, 纽约 81.55, 上海 76.30 -> 上海 leads the Chinese cities
    env = answer_question("生物技术领域中国城市谁最强", [])
    first = env.answer.split("\n")[0]
    assert "上海" in first and "76.30" in first and "东京" not in first and _cited(env, GTII, 2515)


def test_the_report_sentence_of_a_count_says_the_count_as_a_count():
    # 001:2383 "日本 2 个" is the report's own statement; an indicator table row with a 2 is not
    env = answer_question("2020年前十名里有几个广东城市", [])
    assert "有 2 个" in env.answer and "报告原文也这样写" not in env.answer


def test_a_top_n_asked_within_a_country_lists_only_that_country():
    # 001:2453 information technology TOP10: 纽约 1st, 洛杉矶 7th are the US cities
    env = answer_question("Which US cities are in GTII's information technology top 10?", [])
    first = env.answer.split("\n")[0]
    assert "New York (纽约) at #1" in first and "Los Angeles (洛杉矶) at #7" in first and "Tokyo" not in first


def test_what_a_dimension_measures_is_its_indicators():
    # 000:2635-2648: the six research-talent indicators, 近两年获得国家杰出青年科学基金人数 among them
    env = answer_question("What does the talent dimension of the 2020 index measure?", [])
    assert "Distinguished Young" in env.answer.split("\n")[0] and _cited(env, W2020, 2635, 2648)


def test_a_score_said_before_its_dimension_is_supposed():
    # Chengdu 2020 (000:2784): hard-tech investment 23.86 -> 40 raises the five-score mean by (40 - 23.86) / 5
    res = t_substitute("hardtech-2020", "成都", "hardtech_investment", 40)
    assert res["composite"] == pytest.approx(res["baseline_composite"] + (40 - 23.86) / 5, abs=0.01)
    env = answer_question("What if Chengdu scored 40 on hard-tech investment in 2020?", [])
    assert f"{res['composite']:.2f}" in env.answer and "23.86" in env.answer


@pytest.mark.parametrize("question, aspect", [
    ("What share of the 2020 composite does innovation environment make up?", "weights"),
    ("What makes up the innovation input dimension in 2019?", "indicators"),
    ("创新投入由哪些指标构成", "indicators"),
])
def test_a_dimension_share_or_makeup_is_a_method_question(question, aspect):
    frame = understand(question)
    assert (frame.operation, frame.aspect) == ("method", aspect)


def test_places_asked_with_makeup_words_stay_a_ranking():
    assert understand("Which cities make up the top 5 on innovation input in 2019?").operation == "rank"


def test_leaving_a_dimension_out_is_a_what_if():
    # 2019 Xi'an without innovation environment, the rest in their 15:35:35 proportion:
    # (0.15*16.44 + 0.35*48.16 + 0.35*38.53) / 0.85 = 38.60 (001 table 2)
    frame = understand("撇开创新环境不算，2019年西安排第几")
    assert frame.operation == "whatif" and frame.weights["innovation_environment"] == 0
    assert "38.60" in answer_question("撇开创新环境不算，2019年西安排第几", []).answer
