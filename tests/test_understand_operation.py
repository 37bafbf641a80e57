"""Understanding the operation asked, however it is phrased: places from the end, statistics of a
ranking, score thresholds, slips in a dimension's name, sub-index extremes of the district index,
and 重庆 the city apart from 重庆区县, the index of its districts."""
from __future__ import annotations

import pytest

from assistant.offline import parts
from assistant.offline.understand import positions, slots
from tests.answer_frames import understood


@pytest.mark.parametrize("text, place", [
    ("2020年哪个城市排名倒数第二？", -2), ("who came second to last in 2019", -2), ("3rd from the bottom", -3),
    ("the penultimate city", -2), ("创新产出第二低的城市", -2), ("the second lowest on talent", -2),
    ("第五名的得分", 5), ("2020年第二高的城市", 2), ("third-best city on enterprises", 3),
])
def test_places_in_a_ranking(text, place):
    assert positions.place(text.lower()) == place


@pytest.mark.parametrize("text", ["倒数三名", "the three lowest cities", "bottom 5"])
def test_a_list_from_the_end_is_no_place(text):
    assert positions.place(text.lower()) is None


@pytest.mark.parametrize("text, found", [
    ("how many cities score above 50 in 2020", (("score_min", "50"),)),
    ("2019年有几个城市综合得分超过60分", (("score_min", "60"),)),
    ("哪些区县得分在70分以上", (("score_min", "70"),)),
    ("有多少个区县得分低于50分", (("score_max", "50"),)),
    ("cities under 10 points", (("score_max", "10"),)),
    ("how did it do over 2019 and 2020", ()),          # a year is no score
    ("what share is above 50%", ()),                    # a percentage is no score
])
def test_score_thresholds(text, found):
    assert slots.score_range(text.lower()) == found


@pytest.mark.parametrize("question, op, aspect", [
    ("what's the score spread between first and last in 2020?", "rank", "spread"),
    ("2020年前五名的平均分是多少", "rank", "average"),
    ("median composite score in 2019?", "rank", "median"),
])
def test_statistics_of_a_ranking(question, op, aspect):
    f = understood(question)
    assert (f.operation, f.aspect) == (op, aspect)


@pytest.mark.parametrize("question, edition, dim", [
    ("which district scored lowest on entrepreneurship enviroment in the chongqing index?", "chongqing-2018q3", "environment"),
    ("bottom 3 cities by innovaton imput in 2019", "hardtech-2019", "innovation_input"),
    ("top 5 by hard tech enterprizes 2020", "hardtech-2020", "hardtech_enterprises"),
])
def test_a_misspelt_dimension_keeps_the_dimension(question, edition, dim):
    f = understood(question)
    assert f.editions[0] == edition and f.dimension == dim


@pytest.mark.parametrize("question, direction", [
    ("双创活力倒数第一的区县是谁", "bottom"), ("which chongqing district leads on vitality", "top"),
    ("重庆区县双创指数里面双创环境垫底的是哪个区县啊", "bottom"),
])
def test_sub_index_extremes_are_leader_questions(question, direction):
    f = understood(question)
    assert (f.operation, f.direction, f.editions[0]) == ("leader", direction, "chongqing-2018q3")


def test_the_city_asked_about_inside_its_district_index():
    f = understood("重庆区县双创指数中重庆排第几？")
    assert f.entities == ("重庆",) and f.editions[0] == "chongqing-2018q3"
    f = understood("重庆区县双创指数里双创活力最高的是哪个区？")
    assert f.entities == () and f.editions[0] == "chongqing-2018q3"


def test_districts_named_with_their_city_are_read_in_the_district_index():
    f = understood("Yubei or Jiangbei, which does better in chongqing?")
    assert f.entities == ("渝北区", "江北区") and f.editions[0] == "chongqing-2018q3"


def test_a_scene_setting_clause_is_not_a_part_of_its_own():
    assert parts.split("In the Chongqing district index, what's Chongqing's score?") == \
        ["In the Chongqing district index, what's Chongqing's score?"]
    assert parts.split("In 2020, which city came third, and by how much did it trail the second?") == \
        ["In 2020, which city came third", "by how much did it trail the second?"]


def test_a_count_against_last_quarter_is_a_change():
    f = understood("重庆区县双创指数有多少个区县得分比上季度高？")
    assert (f.operation, f.aspect) == ("change", "count")


def test_a_class_number_is_no_score_threshold():
    assert slots.score_range("how many districts are in class 2 or above") == ()
