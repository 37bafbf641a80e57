"""False premises of the kinds ``answers/premise_checks.py`` checks (and the superlatives and
classes read by the added cues) lead the answer with the true figure and its line; true ones
are confirmed. Numbers are the reports' printed ones: 000 = the 2020 white paper, 001 = the
2019 one (GTII 2019 at 001:2383-2402, fields at 001:2474-2515), 004 = 科技参考 2018 No. 6."""
from assistant.offline.answers.premise_checks import within
from tests.answer_frames import ask_question, first


def _cited(env, source_file, line):
    return any(c.source_file == source_file and c.lines[0] <= line <= c.lines[1] for c in env.citations)


def test_band_of_places_hand_checked():
    assert within("20-29", 20, 36) and within("20-29", 29, 36) and not within("20-29", 1, 36)
    assert within("21-", 36, 36) and not within("21-", 20, 36)
    assert within("b5", 32, 36) and not within("b5", 31, 36)   # the bottom five of 36: places 32..36
    assert within("h-", 23, 38) and not within("h-", 19, 38) and within("h+", 19, 38)
    assert within("r2", 35, 36) and not within("r2", 34, 36)   # second from the bottom of 36


def test_superlative_in_a_why_question_is_checked():
    env = ask_question("Why did Hangzhou come out on top in the 2019 index?")
    lead = first(env)
    assert lead.startswith("Contrary to the question's premise") and "6 of 36" in lead and "35.84" in lead  # 001:2032
    assert "Beijing (北京) (86.59)" in lead                                                                 # 001:1821


def test_false_last_names_its_place_and_who_is_last():
    env = ask_question("宁波为啥是2019年创新基础最差的城市？")
    lead = first(env)
    assert lead.startswith("与问题的前提不同") and "第 35 名" in lead and "3.24" in lead   # 001:1851
    assert "排在最后（第 36 名）的是拉萨（2.94）" in lead                                     # 001:1869
    assert _cited(env, "001_2d381f25c7fc5f5d.txt", 1851)


def test_first_in_a_gtii_field_it_is_not_listed_in():
    env = ask_question("深圳凭什么拿下GTII芯片及硬件领域第一？")
    lead = first(env)
    assert lead.startswith("与问题的前提不同") and "东京（78.65）" in lead   # 001:2474


def test_district_class_premises():
    env = ask_question("Why is Yubei only class 2 in the Chongqing index?")
    lead = first(env)
    assert lead.startswith("Contrary to the question's premise") and "class 1" in lead and "87.89" in lead  # 004:25, 226
    env = ask_question("彭水县为什么被划进第三类？")
    assert first(env).startswith("与问题的前提不同") and "第四类" in first(env)                                 # 004:50-52
    assert _cited(env, "004_761156490aac2bdf.txt", 50)
    assert ask_question("江北区为什么只是第二类").answer.startswith("确实")                                       # 004:29-31


def test_band_of_places():
    env = ask_question("Beijing's innovation environment was its weak spot in the 2019 index (ranked in the 20s) - why?")
    lead = first(env)
    assert lead.startswith("Contrary to the question's premise") and "1 of 36" in lead and "80.06" in lead  # 001:1839
    env = ask_question("厦门2019年创新基础为什么在倒数五名里？")   # 32nd of 36 (001:1854): true
    assert "与问题的前提不同" not in env.answer and "6.05" in env.answer


def test_count_the_question_gets_wrong():
    env = ask_question("GTII 2019年前15名里中国城市我记得只有6个，对吗？")
    # "对吗" doubts the question's premise, not the report: the correction comes first
    assert first(env).startswith("与问题的前提不同") and "而是 8 个" in first(env)   # 001:2383
    assert "6 个" not in env.answer                                          # the asserted number is not restated as fact


def test_city_against_its_district_is_not_compared():
    env = ask_question("重庆市和渝北区哪个分高？")
    lead = first(env)
    assert "不能直接比较" in lead and "18.95" in lead and "87.89" in lead   # 000:2802, 004:226
    assert _cited(env, "000_a935e4fe392ee53f.txt", 2802)


def test_no_such_edition_is_said_plainly():
    env = ask_question("hefei's number in the 2022 city hard-tech index?")
    assert "has no 2022 edition (there is no such edition)" in first(env) and "29.77" in env.answer   # 000:2780


def test_a_strength_called_a_weak_spot():
    env = ask_question("上海2020年的科研人才是短板，为什么？")
    assert first(env).startswith("与问题的前提不同") and "第 5 名" in first(env) and "39.59" in first(env)   # 000:2768


def test_count_premises_in_a_list_question_and_a_true_one():
    env = ask_question("2020年前10名里有几个是广东的？我记得有3个")   # 深圳 3rd, 广州 4th (000:2770-2772)
    assert first(env).startswith("与问题的前提不同") and "而是 2 个" in first(env)
    env = ask_question("There were only 2 US cities in the GTII 2019 top 15?")   # 001:2383
    assert first(env).startswith("Yes: 2 of the cities in the top 15")


def test_no_last_place_named_where_the_report_prints_only_the_leaders():
    # a GTII field prints its top 10 of 45 (001:2535): the 10th printed is not the last
    env = ask_question("why is guangzhou dead last in aerospace in the gtii?")
    assert first(env).startswith("Contrary to the question's premise") and "In last place" not in env.answer


def test_second_to_last_and_an_ordering_said_in_other_words():
    env = ask_question("深圳2019年创新基础是倒数第二吗")   # 34th of 36, 3.93 (001:1862)
    assert first(env).startswith("与问题的前提不同") and "第 34 名" in first(env)
    # Hefei 27.12 (001:2093) behind Nanjing: 0.15*25.61 + 0.35*38.48 + 0.35*27.73 + 0.15*45.62 = 33.86 (dims 001:1849)
    env = ask_question("How did Hefei edge past Nanjing in 2019?")
    assert first(env).startswith("Contrary to the question's premise") and "33.86" in first(env)
