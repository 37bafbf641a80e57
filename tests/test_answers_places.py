"""Places and tiers as analysts ask for them: the tier statement behind "which tier is X", the
runner-up, the gap between two places, the others in a tier, the ends of several named cities,
and the set an earlier part kept. Expected figures are the reports' printed numbers."""
from __future__ import annotations

from assistant.offline import answer_question
from assistant.offline.parts import split


def _cited(env, file: str, line: int) -> bool:
    return any(c.source_file == file and c.lines[0] <= line <= c.lines[1] for c in env.citations)


def test_which_tier_cites_the_reports_tier_statement():
    # 000:2711 广州、西安、武汉、杭州为第三梯队; 000:2774 西安 35.83
    env = answer_question("西安属于第几梯队")
    assert "第三梯队" in env.answer and "35.83" in env.answer
    assert _cited(env, "000_a935e4fe392ee53f.txt", 2711) and _cited(env, "000_a935e4fe392ee53f.txt", 2774)


def test_runner_up_is_the_second_place():
    # 000:2768 上海 50.48, 2nd of 38
    for question in ("who was the runner-up in the 2020 index", "2020年硬科技指数亚军是谁"):
        env = answer_question(question)
        assert "50.48" in env.answer and ("Shanghai" in env.answer or "上海" in env.answer)


def test_the_gap_between_two_places_named_in_english():
    # 000:2766 北京 84.04, 000:2770 深圳 42.92: 84.04 - 42.92 = 41.12
    env = answer_question("In the 2020 index, how far is the third behind the first?")
    assert "41.12" in env.answer.split("\n")[0] and "Shenzhen" in env.answer


def test_who_else_is_in_the_tier_lists_its_other_members():
    env = answer_question("Which tier is Xi'an in, and who else is in it?")
    assert "third tier" in env.answer
    assert all(name in env.answer for name in ("Guangzhou", "Wuhan", "Hangzhou"))


def test_the_first_and_the_last_of_three_named():
    # the first (北京 84.04) and the last (深圳 42.92) of the three, not the first two named
    env = answer_question("2020年北京、上海、深圳比一比，第一比最后高多少")
    lead = env.answer.split("\n")[0]
    assert "41.12" in lead and "深圳" in lead


def test_which_of_those_asks_about_the_set_the_count_kept():
    assert split("in the global city index top 15, count the Chinese ones, plus which of those is highest") == \
        ["in the global city index top 15, count the Chinese ones", "which of those is highest"]
    # 001:2383 我国 8 个; 001:2389 北京 77.17, 2nd of 45 (Tokyo is first overall)
    env = answer_question("全球城市指数前十五里中国城市有几个，其中哪个最高")
    assert "8" in env.answer and "北京" in env.answer and "77.17" in env.answer
    assert [p["frame"]["operation"] for p in env.frame["parts"]] == ["count", "leader"]
