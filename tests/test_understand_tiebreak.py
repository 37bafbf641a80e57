"""The tie-breaks over the classifier's ranking (assistant/offline/understand/tiebreak.py), with
probabilities written by hand, so the rules are pinned whatever a retrained model says."""
from __future__ import annotations

from assistant.offline.understand import tiebreak
from tests.answer_frames import ask_after


def test_a_near_tie_goes_to_the_operation_whose_cue_words_are_in_the_question():
    probs = {"lookup": 0.52, "tier": 0.40, "gap": 0.08}
    assert tiebreak.settle(probs, "它们分别属于哪个梯队")[0] == "tier"       # 梯队 is a tier word
    assert tiebreak.settle(probs, "它们分别怎么样")[0] == "lookup"           # no cue either way: the model's order


def test_a_clear_lead_or_a_cue_on_both_sides_keeps_the_models_order():
    assert tiebreak.settle({"lookup": 0.70, "tier": 0.30}, "它们分别属于哪个梯队")[0] == "lookup"  # 0.40 apart
    assert tiebreak.settle({"lookup": 0.52, "tier": 0.40}, "它们的排名和梯队")[0] == "lookup"     # 排名 is a lookup word


def test_a_turn_that_opens_as_a_follow_up_is_never_swapped_by_cue_words():
    assert tiebreak.settle({"follow_up": 0.50, "tier": 0.45}, "那梯队呢")[0] == "follow_up"


def test_a_near_follow_up_with_another_operations_cue_is_that_operation():
    # "how many" is a count word; the turn does not open as a follow-up ("and …?", "那…呢")
    assert tiebreak.settle({"follow_up": 0.49, "count": 0.47}, "how many are northern and southern?")[0] == "count"
    assert tiebreak.settle({"follow_up": 0.70, "count": 0.27}, "how many are northern and southern?")[0] == "follow_up"


def test_an_unsure_turn_keeps_the_operation_of_the_turn_before():
    probs = {"change": 0.70, "coverage": 0.17, "count": 0.13}
    assert tiebreak.continued("change", probs, "coverage") == "coverage"
    assert tiebreak.continued("change", probs, "count") == "change"           # 0.13: the model rules it out
    assert tiebreak.continued("change", {"change": 0.80, "coverage": 0.20}, "coverage") == "change"  # sure enough
    assert tiebreak.continued("change", probs, None) == "change"              # nothing before



def test_a_turn_cued_for_its_own_operation_does_not_continue_the_one_before():
    probs = {"lookup": 0.32, "rank": 0.28, "leader": 0.15}
    assert tiebreak.continued("lookup", probs, "leader", "2020年科研人才又排第几") == "lookup"  # 第几: a place asked
    assert tiebreak.continued("lookup", probs, "leader", "2020年呢") == "leader"


def test_the_count_of_another_edition_after_a_count_of_cities():
    # 001:1819: the 2019 index ranks 36 cities (the 2020 one 38, 000:2766-2803)
    env = ask_after("and the 2019 edition, how many did that one cover?",
                    "How many cities does the 2020 City Hard-Tech Index rank?", "38.")
    assert env.frame["frame"]["operation"] == "coverage"
    assert "36" in env.answer.split("\n")[0]


def test_an_unsure_out_of_scope_in_a_conversation_gives_way_unless_its_own_words_are_there():
    probs = {"out_of_scope": 0.48, "follow_up": 0.36, "change": 0.16}
    ranked = ["out_of_scope", "follow_up", "change"]
    assert tiebreak.on_topic(ranked, probs, "上一季度呢？涨了多少", "lookup")[0] == "follow_up"
    assert tiebreak.on_topic(ranked, probs, "上证指数今天收盘多少", "lookup")[0] == "out_of_scope"  # 收盘: its own word
    assert tiebreak.on_topic(ranked, probs, "上一季度呢？涨了多少", None)[0] == "out_of_scope"       # no conversation
    assert tiebreak.on_topic(ranked, probs, "上一季度呢？涨了多少", "out_of_scope")[0] == "out_of_scope"
    sure = {"out_of_scope": 0.90, "follow_up": 0.05, "change": 0.05}
    assert tiebreak.on_topic(ranked, sure, "上一季度呢？涨了多少", "lookup")[0] == "out_of_scope"


def test_a_rise_asked_after_a_districts_score_is_not_taken_for_the_stock_market():
    # 004:206: 渝北区 "从 2018 年第 2 季度的 82.13 分上升到 87.89 分"; 87.89 - 82.13 = 5.76
    env = ask_after("上一季度呢？涨了多少", "渝北区2018年三季度双创指数多少分", "渝北区得分87.89，全市第一。")
    assert env.frame["frame"]["operation"] == "change"
    assert "5.76" in env.answer.split("\n")[0]
