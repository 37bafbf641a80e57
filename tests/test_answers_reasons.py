"""Reasons, strengths, changes and reported facts (issue 9 items 3 and 5), against the reports'
printed numbers: 001 = 2019 white paper (表2 001:1839-1874, city profiles), 000 = 2020 white
paper (tiers 000:2709-2713, table 000:2766-2840), 004 = Chongqing district index."""
from __future__ import annotations

import pytest

from assistant.offline import answer_question
from assistant.offline.understand import understand
from assistant.offline.understand.linking import link
from assistant.offline.understand.normalise import normalise


def _ask(question: str, *history: str):
    turns = [{"role": "user" if i % 2 == 0 else "assistant", "content": h} for i, h in enumerate(history)]
    return answer_question(question, turns)


def _cited(env) -> set[tuple[str, int]]:
    return {(c.source_file, line) for c in env.citations for line in range(c.lines[0], c.lines[1] + 1)}


# --- why strong: a reason asked about one figure is a why question with the profile facts

def test_why_so_strong_gets_the_indicators_it_ranks_well_on():
    # 武汉 innovation base 25.70, 2nd (001:2061); 国家工程技术研究中心 16 and 国际科技合作基地 29, both 3rd
    frame = understand("武汉2019年创新基础凭什么这么强")
    assert (frame.operation, frame.dimension) == ("why", "innovation_base")
    answer = _ask("武汉2019年创新基础凭什么这么强").answer
    assert "25.70" in answer and "国家工程技术研究中心" in answer and "国家国际科技合作基地" in answer


def test_strengths_after_a_weak_dimension_leave_that_dimension():
    # 厦门: innovation base 32nd (001:1854); 空气质量优良率 99.18%, 1st, and R&D 2.03%, 3rd (001:2203)
    history = ("厦门2019年创新基础为什么弱？", "厦门2019年创新基础得分6.05，在36个城市中排第32位。")
    frame = understand("那它有啥长处？", [{"role": "user", "content": history[0]}, {"role": "assistant", "content": history[1]}])
    assert (frame.operation, frame.polarity, frame.dimension) == ("why", "strong", None)
    answer = _ask("那它有啥长处？", *history).answer
    assert "99.18%" in answer and "2.03%" in answer and "创新基础得分 6.05，在 36 个中排第 32 名，是其强项" not in answer


def test_what_a_city_is_good_at_in_english():
    # 深圳 innovation base 34th; its R&D intensity printed "2,73%", first (001:1964)
    env = _ask("and what is it good at?", "Why is Shenzhen weak on innovation base in 2019?", "Shenzhen scores 3.93, rank 34 of 36.")
    assert "2,73" in env.answer and env.frame["frame"]["polarity"] == "strong"


# --- did X beat Y on every dimension

def test_every_dimension_names_where_it_is_behind_and_by_how_much():
    # 西安 16.44 against 广州 18.69 on innovation base (001:1870, 001:1861): 2.25 behind; ahead on the other three
    env = _ask("In 2019 did Xi'an beat Guangzhou on every dimension? If not, where and by how much?")
    first = env.answer.split("\n")[0]
    assert first.startswith("No") and "16.44" in first and "18.69" in first and "2.25" in first
    assert "innovation input" in env.answer and "3.69" in env.answer  # 48.16 - 44.47


def test_every_dimension_in_chinese():
    # 2020: 深圳 科研人才 21.05 vs 广州 41.41, 科技创新环境 21.28 vs 36.76 (000:2770, 000:2772)
    answer = _ask("2020年深圳是不是每个维度都比广州强？").answer
    assert "20.36" in answer and "15.48" in answer and "科研人才" in answer


# --- a tier's range after its members

def test_a_tier_range_after_its_members_is_the_tier_again():
    history = ("2020年城市硬科技指数第三梯队是哪些城市？", "2020年第三梯队为广州、西安、武汉、杭州。")
    frame = understand("它们的指数在什么区间？", [{"role": "user", "content": history[0]}, {"role": "assistant", "content": history[1]}])
    assert (frame.operation, frame.tier, frame.entities) == ("tier", 3, ())
    answer = _ask("它们的指数在什么区间？", *history).answer
    assert "30" in answer and "39.46" in answer and "32.99" in answer  # 000:2711, 000:2772-2778


# --- a district's rise or fall and the driver printed beside it

@pytest.mark.parametrize("question, district, change, driver, line", [
    ("重庆双创环境涨幅最大的是哪个县？是靠什么指标涨上去的？", "云阳县", "15.08%", "31.79%", 131),
    ("Which Chongqing district's environment sub-index fell the most, and why?", "潼南区", "10.10%", "18.44%", 141),
    ("双创成效涨幅最大的区县是哪个？靠什么涨的？", "涪陵区", "22.24%", "47.24%", 179),
    ("双创成效降幅最大的是哪个区县？原因是什么", "荣昌区", "22.42%", "38.44%", 189),
    ("why did tongnan's environment index fall in Q3 2018?", "潼南区", "10.10%", "18.44%", 141),
])
def test_the_driver_of_a_change_is_the_indicator_printed_beside_it(question, district, change, driver, line):
    env = _ask(question)
    assert district in env.answer and change in env.answer and driver in env.answer
    assert ("004_761156490aac2bdf.txt", line) in _cited(env)


def test_no_driver_printed_is_said_not_guessed():
    # 大渡口区 vitality +29.26% (004:87): the report names no indicator behind it
    answer = _ask("双创活力涨得最猛的区县是哪个，为什么涨这么多").answer
    assert "29.26%" in answer and "没有说明" in answer and "报告中没有找到" not in answer


# --- a fact printed twice with different values, or with a typo

@pytest.mark.parametrize("question", ["2018年西安新增了多少家国家级高新技术企业？",
                                      "how many new national high-tech firms did Xi'an get in 2018 according to the 2019 white paper?"])
def test_a_figure_printed_twice_gives_both_and_flags_them(question):
    env = _ask(question)
    assert "1298" in env.answer and "300" in env.answer
    assert any(w in env.answer for w in ("不一致", "inconsistent"))
    assert {("001_2d381f25c7fc5f5d.txt", 2259), ("001_2d381f25c7fc5f5d.txt", 2436)} <= _cited(env)


def test_the_leader_on_a_misprinted_figure_is_quoted_as_printed():
    env = _ask("Which city had the highest R&D-to-revenue ratio among large industrial firms in the 2019 report?")
    assert "Shenzhen" in env.answer and "2,73" in env.answer and "typo" in env.answer


@pytest.mark.parametrize("question, indicator", [
    ("which city had the highest r&d-to-revenue ratio among large industrial firms", "规上工业企业R&D经费支出占主营业务收入比重"),
    ("西安2018年新增国家高新技术企业多少家", "新增国家级高新技术企业"),
    ("西安拥有国家高新技术企业多少家", "国家高新技术企业数"),
])
def test_indicators_named_loosely(question, indicator):
    found = [m.targets[0].target for m in link(normalise(question)) if m.kind == "indicator"]
    assert found == [indicator]


def test_another_largest_claim_is_not_a_driver():
    # 荣昌区 is named both the largest rise (004:212) and the largest fall (004:220) of the composite:
    # the fall is shown as the contradiction it is, not as what drove the rise
    answer = _ask("双创指数涨幅最大的区县是哪个？为什么").answer
    assert "荣昌区" in answer and "6.51" in answer and "没有说明" in answer
    assert "带动指标" not in answer


@pytest.mark.parametrize("question, aspect", [
    ("2019年武汉在所有维度上都超过南京了吗？", "dimensions"),
    ("does hangzhou beat wuhan across the board in 2020?", "dimensions"),
    ("全面比较一下2019年北京和上海", None),  # a request to compare in full, not who is ahead
])
def test_every_dimension_is_asked_with_who_is_ahead(question, aspect):
    assert understand(question).aspect == aspect or understand(question).operation == "compare" and aspect is None


# --- which of its dimensions: a superlative over dimensions right after a turn about one place

@pytest.mark.parametrize("question, dimension, value", [
    # 001:1857 prints 青岛's row: 创新基础 11.90 (18), 创新投入 29.14 (13), 创新产出 14.00 (19), 创新环境 46.68 (7)
    ("哪个维度最差", "创新产出", "14.00"),
    ("哪方面最强？", "创新环境", "46.68"),
])
def test_which_dimension_after_a_turn_about_one_city_is_about_that_city(question, dimension, value):
    first = "青岛2019年排第几"
    env = _ask(question, first, answer_question(first).answer)
    opening = env.answer.split("\n")[0]
    assert "青岛" in opening and dimension in opening and value in opening
    assert "拉萨" not in opening  # not the edition's last city


def test_which_city_after_a_turn_about_one_city_is_still_a_ranking():
    first = "青岛2019年排第几"
    env = _ask("哪个城市最差", first, answer_question(first).answer)
    assert "拉萨" in env.answer.split("\n")[0]


def test_an_indicator_ranked_low_is_never_called_a_strength():
    # 001:1839 北京 创新环境 80.06 (rank 1); its one raw indicator there, 空气质量优良率, is
    # 61.92% and ranks 29 (001:1902): listed as pointing the other way, not as "doing well"
    env = answer_question("Why is Beijing so strong on innovation environment in 2019?")
    assert "80.06" in env.answer and "61.92%" in env.answer
    assert "doing well" not in env.answer and "do not rank well" in env.answer
