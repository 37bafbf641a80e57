"""Entity resolution from the data and the lexicon: homophones, pinyin with and without spaces
or tones, exonyms, foreign cities, districts, shorthand for several cities, and names that are
slips ("did you mean") or not covered at all."""
from __future__ import annotations

import pytest

from assistant.offline import answer_question
from assistant.offline.understand import understand
from assistant.offline.understand.linking import link
from assistant.offline.understand.normalise import normalise


def _entities(question: str) -> tuple[str, ...]:
    return understand(question).entities


@pytest.mark.parametrize("question, entity", [
    ("杭洲2020年排名第几", "杭州"), ("苏洲的得分", "苏州"), ("沈洋2020年得分", "沈阳"),
    ("Xian score 2020", "西安"), ("chong qing 2020 score", "重庆"), ("shen zhen innovation input rank 2019", "深圳"),
    ("Guǎngzhōu 2020 score", "广州"), ("Xī'ān ranking 2019", "西安"),
    ("How did Canton do in 2019?", "广州"), ("Peking rank in 2019", "北京"), ("Nanking score 2020", "南京"),
    ("Where does San Francisco-San Jose rank in the GTII?", "旧金山"), ("硅谷在GTII排第几", "旧金山"),
    ("东京在GTII中排第几", "东京"), ("Seoul's global index score?", "首尔"),
    ("Yubei innovation index", "渝北区"), ("渝北在重庆区县双创指数里排第几", "渝北区"),
])
def test_a_name_as_people_type_it_links_to_the_registry(question, entity):
    assert _entities(question) == (entity,)


def test_tone_marks_are_read_off_but_the_surface_is_kept():
    t = normalise("Guǎngzhōu")
    assert t.text == "Guangzhou" and t.surface(0, len(t.text)) == "Guǎngzhōu"


@pytest.mark.parametrize("question, entities", [
    ("北上广深2020年的综合得分分别是多少", ("北京", "上海", "广州", "深圳")),
    ("成渝两地2020年谁高", ("成都", "重庆")),
    ("苏锡常2020年排名", ("苏州", "无锡", "常州")),
])
def test_shorthand_names_several_entities_in_order(question, entities):
    assert _entities(question) == entities


def test_shorthand_is_answered_as_a_comparison():
    env = answer_question("北上广深2020年的综合得分分别是多少")
    assert all(v in env.answer for v in ("84.04", "50.48", "39.46", "42.92")) and not env.warnings  # 000:2766-2772


def test_a_slip_of_one_character_is_offered_not_assumed():
    env = answer_question("深川2020年排第几")
    assert "深川" in env.answer and "不在" in env.answer and "深圳" in env.answer
    assert not env.frame["frame"].get("entities")  # never silently answered as 深圳
    links = [m for m in link(normalise("深川2020年排第几")) if m.kind == "entity"]
    assert links and not links[0].resolved and links[0].suggestions[0] == "深圳"


def test_an_unknown_city_is_not_covered_and_gets_no_lookalike():
    env = answer_question("洛阳的排名")
    assert "洛阳" in env.answer and "不在" in env.answer and "您是否指" not in env.answer


def test_a_city_outside_an_edition_is_answered_from_the_editions_that_cover_it():
    env = answer_question("Lanzhou's 2020 hard tech index score?")
    assert "not among" in env.answer and "hardtech-2019" in env.answer


@pytest.mark.parametrize("question", ["Gotham City rank 2020", "亚特兰蒂斯2019年得分"])
def test_a_made_up_place_is_not_covered(question):
    env = answer_question(question)
    assert ("not covered" in env.answer or "不在" in env.answer) and env.frame["route"] == "links"


def test_conjunctions_and_counters_are_never_names():
    names = [m.surface for m in link(normalise("西安的得分是多少，并且排第几，以及两地谁是第一")) if m.kind == "entity"]
    assert names == ["西安"]


@pytest.mark.parametrize("question, suggested", [("宿州的排名", "苏州"), ("抚州2020年得分", "福州")])
def test_a_homophone_with_another_first_character_is_a_city_of_its_own(question, suggested):
    # 宿州 and 苏州 are both "Suzhou": the first character names the place, so it is offered, not assumed
    env = answer_question(question)
    assert env.frame["route"] == "links" and suggested in env.answer and not env.frame["frame"].get("entities")


def test_an_unknown_name_ends_where_a_word_after_it_says():
    names = [m.surface for m in link(normalise("深圳和洛阳比谁强")) if m.kind == "entity"]
    assert names == ["深圳", "洛阳"]


def test_comparing_with_an_unknown_place_answers_the_known_one():
    env = answer_question("Compare Shenzhen and Gotham in 2020")
    assert "Gotham" in env.answer and "not covered" in env.answer and "42.92" in env.answer  # 000:2770
    assert env.frame["frame"]["operation"] == "lookup"


def test_a_capitalised_name_opening_the_question_is_a_name_though_it_looks_like_a_word():
    # "Liangjiang" is one letter pair from 张江 ("zhangjiang"), a word the reports use; its capital and the
    # capitalised words after it ("New Area") make it a name asked about, not the sentence's first word
    env = answer_question("Liangjiang New Area score")
    assert env.frame["route"] == "links" and "“Liangjiang”" in env.answer
    assert not env.frame["frame"].get("entities")
