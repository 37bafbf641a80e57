"""Follow-ups inherit the previous turn's frame and override only what they name,
for every operation, narrative ones included."""
import pytest

from assistant.offline.understand import understand


def _turns(*texts):
    return [{"role": "user", "content": t} for t in texts]


@pytest.mark.parametrize("history, question, expected, inherited", [
    (["深圳的创新基础为什么弱？"], "那创新投入呢？",
     {"operation": "why", "entities": ("深圳",), "dimension": "innovation_input", "polarity": "weak"},
     {"operation", "entities", "editions", "polarity"}),
    (["深圳的创新基础为什么弱？"], "why?", {"operation": "why", "dimension": "innovation_base", "polarity": "weak"},
     {"entities", "editions", "dimension", "polarity"}),
    (["What is Shenzhen's score in 2019?"], "And Hangzhou?",
     {"operation": "lookup", "entities": ("杭州",), "editions": ("hardtech-2019",), "aspect": "score"}, {"operation", "editions", "aspect"}),
    (["What is Shenzhen's score in 2019?"], "what about 2020?",
     {"operation": "lookup", "entities": ("深圳",), "editions": ("hardtech-2020",), "edition_source": "year"},
     {"operation", "entities", "aspect"}),
    (["What is Shenzhen's innovation base score in 2019?"], "And its rank?",
     {"operation": "lookup", "entities": ("深圳",), "dimension": "innovation_base", "aspect": "rank"}, {"entities", "editions", "dimension"}),
    (["上海2020年得分多少？"], "它属于哪个梯队？", {"operation": "lookup", "entities": ("上海",), "aspect": "tier"}, {"entities", "editions"}),
    (["深圳2019年综合得分是多少？"], "和杭州比呢", {"operation": "compare", "entities": ("深圳", "杭州")}, {"entities", "editions"}),
    (["What is Shenzhen's score in 2019?"], "compare it with 2020",
     {"operation": "change", "entities": ("深圳",), "editions": ("hardtech-2019", "hardtech-2020")}, {"entities"}),
    (["How far is Shenzhen from the first tier in 2019?"], "And Hangzhou?",
     {"operation": "gap", "entities": ("杭州",), "aspect": "next_tier", "tier": 1}, {"operation", "editions", "aspect", "tier"}),
    (["Top 3 cities of the 2020 City Hard-Tech Index?"], "What about the next two?",
     {"operation": "rank", "n": 2, "offset": 3, "direction": "top"}, {"operation", "editions", "direction"}),
    (["2019年创新基础倒数三名是哪些城市？"], "那创新产出呢？",
     {"operation": "rank", "dimension": "innovation_output", "n": 3, "direction": "bottom"}, {"operation", "editions", "n", "direction"}),
    (["Which city leads the chips and hardware field in GTII?"], "And energy?",
     {"operation": "leader", "dimension": "energy", "editions": ("gtii-2019",)}, {"operation", "editions", "direction"}),
    (["GTII前15名里有几个中国城市？"], "前10名呢？", {"operation": "count", "n": 10}, {"operation", "editions", "filters"}),
    (["2020年城市硬科技指数中第二梯队有哪些城市？"], "第三梯队呢？", {"operation": "tier", "tier": 3}, {"operation", "editions"}),
    (["How is Shenzhen's 2019 composite made up?"], "what about Beijing?",
     {"operation": "breakdown", "entities": ("北京",), "editions": ("hardtech-2019",)}, {"operation", "editions"}),
    (["How did Shenzhen's rank change from 2019 to 2020?"], "And Hangzhou?",
     {"operation": "change", "entities": ("杭州",), "editions": ("hardtech-2019", "hardtech-2020")}, {"operation", "editions", "aspect"}),
    (["How is the 2019 composite calculated?"], "and in 2020?", {"operation": "method", "editions": ("hardtech-2020",), "aspect": "formula"},
     {"operation", "aspect"}),
    (["What if all four dimensions had equal weights in 2019?"], "and for Shenzhen?",
     {"operation": "whatif", "entities": ("深圳",), "editions": ("hardtech-2019",)}, {"operation", "editions", "weights"}),
    (["How robust is the 2020 ranking to the weights?"], "what about 2019?",
     {"operation": "sensitivity", "editions": ("hardtech-2019",), "aspect": "rank"}, {"operation", "aspect"}),
    (["How many cities does the 2020 index cover?"], "and 2019?", {"operation": "coverage", "editions": ("hardtech-2019",)}, {"operation"}),
    (["What is hard tech?"], "who coined it?", {"operation": "concept", "topic": "硬科技", "aspect": "origin"}, {"topic"}),
    (["重庆研发经费投入情况怎么样？"], "那成都呢？", {"operation": "narrative", "entities": ("成都",)}, {"operation", "topic"}),
    (["What was Shenzhen's GDP in 2019?"], "and Beijing?", {"operation": "unanswerable", "entities": ("北京",), "topic": "GDP"},
     {"operation", "topic"}),
    (["渝北区在2018年第三季度重庆区县双创指数中得分多少？"], "上个季度它是多少分？",
     {"operation": "lookup", "entities": ("渝北区",), "period": "previous"}, {"entities", "editions"}),
])
def test_a_follow_up_inherits_and_overrides(history, question, expected, inherited):
    frame = understand(question, _turns(*history))
    assert {k: getattr(frame, k) for k in expected} == expected
    assert set(frame.inherited) == inherited


def test_a_narrative_follow_up_swaps_the_entity_in_its_topic():
    frame = understand("那成都呢？", _turns("重庆研发经费投入情况怎么样？"))
    assert "成都" in frame.topic and "重庆" not in frame.topic and "研发经费" in frame.topic


def test_each_user_turn_builds_on_the_one_before():
    frame = understand("And its rank?", _turns("What is Shenzhen's score in 2019?", "What about Hangzhou?"))
    assert (frame.entities, frame.editions, frame.aspect) == (("杭州",), ("hardtech-2019",), "rank")


def test_the_two_refers_to_the_entities_of_the_last_answer():
    history = [{"role": "user", "content": "Which cities are in the second tier of the 2019 index?"},
               {"role": "assistant", "content": "深圳 and 上海 are in the second tier (hardtech-2019)."}]
    frame = understand("Which of the two scores higher on innovation output?", history)
    assert frame.operation == "compare" and frame.entities == ("深圳", "上海") and frame.dimension == "innovation_output"


def test_a_standalone_question_after_history_is_not_a_follow_up():
    frame = understand("2020年第二梯队有哪些城市？", _turns("深圳2019年综合得分是多少？"))
    assert frame.operation == "tier" and frame.entities == () and frame.inherited == ()
