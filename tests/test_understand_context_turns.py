"""Follow-ups that change one thing of the turn before: its year ("去年呢"), its operation ("and
why?", "那它的分数呢"), its place in a list ("the third one", "第5是谁"), its subject (the last two
named, the members just listed or counted, those a filter kept). Expected figures are the
reports' printed numbers: 000 = the 2020 white paper's table 3.2 (000:2766-2840), 001 = the
2019 white paper's 表2 (001:1839-1874) and tiers (001:1821)."""
import pytest

from assistant.offline import answer_question
from assistant.offline.understand import positions, understand
from assistant.offline.understand.normalise import detect_language


def _turns(*texts):
    return [{"role": "user", "content": t} for t in texts]


@pytest.mark.parametrize("history, question, expected", [
    # the year before / after, named relative to the last turn's edition
    (["杭州2020年综合排名第几"], "去年呢", {"entities": ("杭州",), "editions": ("hardtech-2019",)}),
    (["杭州2020年硬科技投入排第几"], "那去年呢？", {"editions": ("hardtech-2019",), "dimension": "innovation_input"}),
    (["Xi'an overall score 2020"], "last year?", {"entities": ("西安",), "editions": ("hardtech-2019",)}),
    (["Why is Shenzhen weak on innovation base in 2019?"], "is it still weak in 2020?",
     {"operation": "why", "entities": ("深圳",), "editions": ("hardtech-2020",), "dimension": "research_talent"}),
    (["成都2020年排名"], "和上一版比呢", {"operation": "change", "editions": ("hardtech-2020", "hardtech-2019")}),
    # the operation changed by a word of the turn's own
    (["Where does Changchun rank on high-tech output in 2020?"], "and why?",
     {"operation": "why", "entities": ("长春",), "dimension": "hightech_output"}),
    (["Which city leads on research talent in 2020?"], "and why?", {"operation": "why", "entities": ("北京",)}),
    (["2020白皮书是怎么介绍合肥的"], "那它的分数呢", {"operation": "lookup", "entities": ("合肥",), "topic": None}),
    (["Xi'an 2020 composite"], "where does that come from?", {"operation": "breakdown", "entities": ("西安",)}),
    (["合肥2020年排名"], "为何能进前十", {"operation": "why", "entities": ("合肥",)}),
    (["杭州2020年"], "排名", {"operation": "lookup", "entities": ("杭州",), "aspect": "rank"}),
    (["广州2020年排第几"], "在哪个梯队", {"entities": ("广州",)}),
    (["2020年指数有几个维度"], "分别是什么", {"operation": "method", "editions": ("hardtech-2020",)}),
    # a place in the ranking just listed, or in the one the city was placed in
    # read as Shanghai's lookup or as place 3 of the same ranking: the dimension carries over (answer below)
    (["top 5 cities in 2020 by hard-tech enterprises"], "what did the third one score?",
     {"editions": ("hardtech-2020",), "dimension": "hardtech_enterprises"}),
    # read as the lookup of place 5 or as place 5 of the ranking: the dimension carries over (answer below)
    (["苏州2020年硬科技企业排第4"], "第5是谁", {"editions": ("hardtech-2020",), "dimension": "hardtech_enterprises"}),
    (["2020年硬科技指数前五名"], "再往后五个呢", {"operation": "rank", "n": 5, "offset": 5, "direction": "top"}),
    (["上海2019年创新投入得分"], "跟第一差多少", {"operation": "gap", "entities": ("上海",), "aspect": "leader"}),
    # whom the turn is about: the last two named, those just listed, counted or filtered
    (["Shenzhen composite 2020", "and Guangzhou?"], "which is higher?", {"operation": "compare", "entities": ("深圳", "广州")}),
    (["2020年排名前三的城市"], "它们分别属于哪个梯队", {"entities": ("北京", "上海", "深圳")}),
    (["How many cities are in the 2019 second tier?"], "which ones?", {"operation": "count", "editions": ("hardtech-2019",)}),
    (["2019年前十名"], "其中有几个在第三梯队", {"operation": "count", "entities": ()}),
    (["2020年江苏有哪些城市上榜"], "其中哪个最强", {"operation": "leader", "entities": ()}),
    (["合肥2019年综合得分是多少"], "如果创新投入权重翻倍呢", {"operation": "whatif", "entities": ("合肥",)}),
])
def test_follow_up_frame(history, question, expected):
    frame = understand(question, _turns(*history))
    got = {k: getattr(frame, k) for k in expected}
    assert got == expected


def test_group_figures_after_a_tier_compare_both():
    history = [{"role": "user", "content": "2019年第二梯队有哪些城市"},
               {"role": "assistant", "content": "2019 城市产业创新综合能力指数的第二梯队共有 2 个城市：上海、深圳。"}]
    frame = understand("它们的创新产出分别是多少", history)
    assert (frame.operation, frame.entities, frame.dimension) == ("compare", ("上海", "深圳"), "innovation_output")


def test_a_dimension_compared_after_two_cities():
    env = answer_question("哪个的高新技术产出更高", _turns("Compare Xi'an and Chengdu in 2020"))
    assert "西安高于成都" in env.answer and "60.84" in env.answer and "44.72" in env.answer  # 000:2774, 2784


def test_this_quarter_ends_the_previous_period():
    frame = understand("本季度呢", _turns("渝北区上季度得分多少"))
    assert frame.period is None and frame.entities == ("渝北区",)
    assert "87.89" in answer_question("本季度呢", _turns("渝北区上季度得分多少")).answer  # 004:226


def test_the_ranking_after_ten_continues_by_place():
    env = answer_question("and 11th?", _turns("Which city is 10th in 2020?"))
    assert "Suzhou" in env.answer and "26.76" in env.answer  # 000:2786


def test_pinyin_typed_turn_is_chinese():
    assert detect_language("nanjing ne") == "zh"
    assert detect_language("what about nanjing ne") == "en"
    assert detect_language("and Chengdu?") == "en"


def test_a_gap_to_the_first_is_not_a_place_from_the_end():
    assert positions.place("跟第一差多少") is None
    assert positions.place("第二低的城市") == -2


@pytest.mark.parametrize("first, question, holder, score", [
    # 000:2772 广州 硬科技企业 34.19, 5th; the turn before put 苏州 4th on that dimension
    ("苏州2020年硬科技企业排第4", "第5是谁", "广州", "34.19"),
    # 000:2766-2770, 硬科技企业: 北京 82.37, 深圳 68.22, 上海 62.69 (3rd)
    ("top 5 cities in 2020 by hard-tech enterprises", "what did the third one score?", "Shanghai", "62.69"),
])
def test_a_place_after_a_turn_about_a_ranking_names_its_holder(first, question, holder, score):
    from assistant.offline import answer_question
    env = answer_question(question, [{"role": "user", "content": first},
                                     {"role": "assistant", "content": answer_question(first).answer}])
    opening = env.answer.split("\n")[0]
    assert holder in opening and score in opening
