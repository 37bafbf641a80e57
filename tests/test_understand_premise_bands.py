"""Premises read by ``understand/premise_claims.py`` and the added cues: superlatives said
in other words, class and tier claims with "only"/划进, bands of places, what a count comes
to, and a city set against one of its own districts; and what asserts none of them."""
import pytest

from assistant.offline.understand import understand


def _premises(question, history=None):
    return [p.model_dump(exclude_defaults=True) for p in understand(question, history).premises]


@pytest.mark.parametrize("question, premise", [
    # superlatives in other words
    ("how did wuhan end up on top of the 2020 hard tech ranking?", {"kind": "leader", "entity": "武汉"}),
    ("What made Nanjing the best city for innovation base in 2019?",
     {"kind": "leader", "entity": "南京", "dimension": "innovation_base"}),
    ("深圳凭什么拿下GTII芯片及硬件领域第一？", {"kind": "leader", "entity": "深圳", "dimension": "chips_hardware"}),
    ("宁波为啥是2019年创新基础最差的城市？", {"kind": "last", "entity": "宁波", "dimension": "innovation_base"}),
    ("Why is Lhasa at the bottom of the 2019 index?", {"kind": "last", "entity": "拉萨"}),
    # classes and tiers
    ("Why is Yubei only class 2 in the Chongqing index?", {"kind": "class", "entity": "渝北区", "value": 2}),
    ("彭水县为什么被划进第三类？", {"kind": "class", "entity": "彭水县", "value": 3}),
    ("Why is Hefei just a 4th tier city in 2019?", {"kind": "tier", "entity": "合肥", "value": 4}),
    ("Why is Qingdao a class 3 city in 2019?", {"kind": "class", "entity": "青岛", "value": 3}),
    ("长沙2020年为啥能当第一梯队", {"kind": "tier", "entity": "长沙", "value": 1}),
    # bands of places
    ("Beijing's innovation environment was its weak spot in the 2019 index (ranked in the 20s) - why?",
     {"kind": "rank_range", "entity": "北京", "value": "20-29", "dimension": "innovation_environment"}),
    ("成都2019年排在二十名开外吗", {"kind": "rank_range", "entity": "成都", "value": "21-"}),
    ("厦门2019年创新基础为什么在倒数五名里？", {"kind": "rank_range", "entity": "厦门", "value": "b5", "dimension": "innovation_base"}),
    ("Why is Zhengzhou in the bottom half of the 2020 index?", {"kind": "rank_range", "entity": "郑州", "value": "h-"}),
    ("深圳2019年创新基础是倒数第二吗", {"kind": "rank_range", "entity": "深圳", "value": "r2", "dimension": "innovation_base"}),
    ("Why is Xining second to last in 2019?", {"kind": "rank_range", "entity": "西宁", "value": "r2"}),
    # ordering in other words
    ("为什么杭州2019年压过了武汉", {"kind": "ordering", "entity": "杭州", "other": "武汉"}),
    ("How did Hefei edge past Nanjing in 2019?", {"kind": "ordering", "entity": "合肥", "other": "南京"}),
    # what a count comes to
    ("GTII 2019年前15名里中国城市我记得只有6个，对吗？", {"kind": "tally", "value": 6}),
    ("only five chinese cities made the GTII 2019 top 15, didn't they?", {"kind": "tally", "value": 5}),
    ("How many of the GTII 2019 top 10 are Chinese? I think four", {"kind": "tally", "value": 4}),
    ("2020年前10名里有几个是广东的？我记得有3个", {"kind": "tally", "value": 3}),
    # a city against its own district
    ("重庆市和渝北区哪个分高？", {"kind": "cross_index", "entity": "重庆", "other": "渝北区"}),
])
def test_premise_read(question, premise):
    found = _premises(question)
    assert any(all(p.get(k) == v for k, v in premise.items()) for p in found), found


@pytest.mark.parametrize("question", [
    "Which city came out on top in 2019?",          # no entity: who leads, not a claim
    "深圳最弱的维度是什么",                           # asks for its weakest dimension
    "为什么成都2019年不在二十名开外",                  # negated band
    "渝北区在重庆区县双创指数中排第几",                # the city names the index, nothing compared
    "2020年第三梯队有几个城市",                        # a count asked, none asserted
])
def test_no_premise(question):
    kinds = {p["kind"] for p in _premises(question)}
    assert not kinds & {"leader", "last", "rank_range", "tally", "cross_index"}, kinds


def test_the_city_itself_is_the_subject_not_its_districts_index():
    frame = understand("How does Chongqing itself (the city, not its districts) do in the 2020 hard tech ranking?")
    assert frame.entities == ("重庆",) and frame.editions == ("hardtech-2020",)
    frame = understand("不看区县，重庆市本身在2020年硬科技指数里排第几？")
    assert frame.entities == ("重庆",) and frame.editions == ("hardtech-2020",)
    # the district index named with the city right before its district word stays the index
    assert understand("重庆区县双创指数本身是怎么算的").editions == ("chongqing-2018q3",)


def test_a_named_dimension_called_a_weak_spot_is_a_claim_asking_for_weak_spots_is_not():
    found = _premises("上海2020年的科研人才是短板，为什么？")
    assert {"kind": "weak", "entity": "上海", "edition": "hardtech-2020", "dimension": "research_talent"} in found
    assert not any(p["kind"] == "weak" for p in _premises("深圳2019年的短板在哪"))
    assert not any(p["kind"] == "weak" for p in _premises("What are Shenzhen's weak spots in innovation base?"))
