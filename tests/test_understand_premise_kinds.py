"""More kinds of assertion read from a question: a composite that rose or fell, a standing
asserted by "why so weak", a tier named before the entity, being alone in a tier, several
entities said to make up the top N, and claims bound to the year named beside them."""
import pytest

from assistant.offline.understand import understand


def _premises(question, history=None):
    return [p.model_dump(exclude_defaults=True) for p in understand(question, history).premises]


@pytest.mark.parametrize("question, premise", [
    ("深圳的综合得分2020年为什么涨了", {"kind": "score_change", "entity": "深圳", "value": "up", "edition": "hardtech-2020"}),
    ("Why did Beijing's score drop in 2020?", {"kind": "score_change", "entity": "北京", "value": "down", "edition": "hardtech-2020"}),
    ("What pushed Shanghai's composite score up in 2020?", {"kind": "score_change", "entity": "上海", "value": "up",
                                                            "edition": "hardtech-2020"}),
    ("为什么重庆2020年排名比2019年低", {"kind": "change", "entity": "重庆", "value": "down", "edition": "hardtech-2020"}),
    ("Why is Shenzhen so weak in innovation environment in 2019?",
     {"kind": "weak", "entity": "深圳", "edition": "hardtech-2019", "dimension": "innovation_environment"}),
    ("西安2020年硬科技企业为什么这么强",
     {"kind": "strong", "entity": "西安", "edition": "hardtech-2020", "dimension": "hardtech_enterprises"}),
    ("第二梯队的天津2019年创新产出得分多少", {"kind": "tier", "entity": "天津", "value": 2, "edition": "hardtech-2019"}),
    ("渝中区在双创指数里排第一类吗", {"kind": "class", "entity": "渝中区", "value": 1, "edition": "chongqing-2018q3"}),
    ("Is Shanghai the only second-tier city in 2020?", {"kind": "only_tier", "entity": "上海", "value": 2, "edition": "hardtech-2020"}),
    ("武汉是2019年唯一的第三梯队城市吗", {"kind": "only_tier", "entity": "武汉", "value": 3, "edition": "hardtech-2019"}),
    ("Qingdao was 12th in 2019, why?", {"kind": "rank", "entity": "青岛", "value": 12, "edition": "hardtech-2019"}),
    ("深圳的硬科技企业得分全国第一，为什么", {"kind": "leader", "entity": "深圳", "edition": "hardtech-2020",
                                      "dimension": "hardtech_enterprises"}),
])
def test_premise_read(question, premise):
    assert premise in _premises(question)


def test_qingdao_behind_ningbo_is_ningbo_ahead():
    # "青岛为什么排在宁波后面": 宁波 ahead of 青岛 is what is asserted
    assert {"kind": "ordering", "entity": "宁波", "other": "青岛", "edition": "hardtech-2019"} in _premises("青岛2019年为什么排在宁波后面")


def test_asking_for_weak_points_asserts_no_weakness():
    assert not [p for p in _premises("那它的短板在哪", [{"role": "user", "content": "西安2020年怎么样"}])
                if p["kind"] in ("weak", "strong")]


def test_top_list_is_a_top_n_claim_for_each_entity():
    got = _premises("The top 3 in 2020 were Beijing, Shanghai and Guangzhou, right?")
    assert {(p["entity"], p["value"]) for p in got if p["kind"] == "in_top"} == {("北京", 3), ("上海", 3), ("广州", 3)}


def test_claims_bound_to_their_years():
    got = _premises("合肥从2019年的第10名升到2020年的第8名，原因是什么")
    ranks = {(p["value"], p["edition"]) for p in got if p["kind"] == "rank"}
    assert ranks == {(10, "hardtech-2019"), (8, "hardtech-2020")}
    got = _premises("Hefei jumped from 10th to 6th between 2019 and 2020 — why?")
    assert {(p["value"], p["edition"]) for p in got if p["kind"] == "rank"} == {(10, "hardtech-2019"), (6, "hardtech-2020")}
    got = _premises("Xi'an ranked 4th in both 2019 and 2020, what's its strongest area?")
    assert {(p["value"], p["edition"]) for p in got if p["kind"] == "rank"} == {(4, "hardtech-2019"), (4, "hardtech-2020")}


def test_two_places_without_years_are_left_to_the_change():
    got = _premises("Why did Hangzhou fall from 6th to 7th?")
    assert [p["kind"] for p in got] == ["change"]


def test_a_verb_before_the_year_is_not_a_place_name():
    links = understand("成都作为2020年的第三梯队城市有什么优势").links
    assert [lk.surface for lk in links if lk.kind == "entity"] == ["成都"]


def test_one_letter_slip_links():
    assert understand("Why did Wuhn come in third in the 2020 hard-tech ranking?").entities == ("武汉",)
    assert understand("where does Hefie rank").entities == ("合肥",)


def test_a_pronoun_set_against_a_named_entity_is_the_previous_one():
    got = _premises("为什么它比西安高", [{"role": "user", "content": "杭州2020年排第几"}])
    assert {"kind": "ordering", "entity": "杭州", "other": "西安", "edition": "hardtech-2020"} in got
    got = _premises("why did it beat Shanghai?", [{"role": "user", "content": "How did Guangzhou do in 2020?"}])
    assert {"kind": "ordering", "entity": "广州", "other": "上海", "edition": "hardtech-2020"} in got


def test_ordinal_slips():
    assert {"kind": "rank", "entity": "武汉", "value": 3, "edition": "hardtech-2020"} in _premises("why is wuhan thrid in 2020")
    assert {"kind": "rank", "entity": "上海", "value": 1, "edition": "hardtech-2019"} in _premises("shanghai ranked frist in 2019, why")


def test_one_claim_made_of_several_entities():
    got = _premises("上海和深圳都属于2020年第二梯队吗")
    assert {(p["entity"], p["value"]) for p in got if p["kind"] == "tier"} == {("上海", 2), ("深圳", 2)}
    got = _premises("Shenzhen and Guangzhou are both second-tier cities in 2020, why?")
    assert {(p["entity"], p["value"]) for p in got if p["kind"] == "tier"} == {("深圳", 2), ("广州", 2)}


def test_yu_of_shuyu_stays_with_its_verb_before_a_year():
    assert {"kind": "tier", "entity": "广州", "value": 2, "edition": "hardtech-2020"} in _premises("广州属于2020年第二梯队吗")
