"""The shortcuts that make an unseen question faster give the answers the long way gives.

Each shortcut is checked against the plain computation it replaces:

- the verifier looks a claim up in a sorted table instead of scanning every allowed value;
- concept ranking looks only at the entries that share a key, a name or a name's character pair
  with the question;
- a turn links the last answer's text (10-50 ms) only when it reads that answer's entities;
- a searcher embeds a query text once, however many filtered searches use it
  (``tests/test_vectorstore_search.py``).
"""
from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant import concept_index
from assistant.offline.understand import answered, understand
from assistant.verify import _first_source, _matches, extract_claims

# ---------------------------------------------------------------------------- the verifier's table

values = st.lists(st.tuples(st.integers(-99999, 99999).map(lambda n: n / 100), st.sampled_from("abcde")),
                  max_size=40)
claims = st.sampled_from(["3.93", "-3.93", "3.9", "4", "39.3%", "12", "0.5", "50%", "100", "-0.01", "+6.51", "6.51"])


@settings(max_examples=300, deadline=None)
@given(values, claims)
def test_the_sorted_lookup_finds_the_first_source_a_scan_finds(allowed, text):
    claim = extract_claims(f"得分 {text}")[0]
    scan = next((sid for v, sid in allowed if _matches(claim, v)), None)
    assert _first_source(allowed)(claim) == scan


def test_of_two_sources_holding_a_value_the_first_is_named():
    # 深圳 2019, 创新基础 3.93 (001 line 1942 region): the same figure in two tool results
    allowed = [(34.0, "rank"), (3.93, "scores"), (3.93, "explain"), (-3.93, "change")]
    claim = extract_claims("3.93")[0]
    assert _first_source(allowed)(claim) == "scores"
    assert _first_source(allowed)(extract_claims("下降了3.93")[0]) == "scores"
    assert _first_source([(0.0393, "share")])(extract_claims("3.93%")[0]) == "share"
    assert _first_source([(3.93, "up")])(extract_claims("-3.93")[0]) is None


# ---------------------------------------------------------------------------- concept ranking

def _questions() -> list[str]:
    from tests.conftest import ROOT

    items = yaml.safe_load((ROOT / "assistant" / "golden.yaml").read_text(encoding="utf-8"))["items"]
    asked = [it["question"] for it in items]
    named = [n for e in concept_index.entries()[:60] for n in concept_index.names(e)[1:3]]
    return asked + named + ["硬科技", "who coined hard tech", "科技金字塔", "x", ""]


@pytest.mark.parametrize("aspect", [None, "definition", "origin"])
def test_ranking_only_the_candidates_ranks_as_ranking_every_entry(aspect, monkeypatch):
    questions = _questions()
    fast = [concept_index.ranked(q, aspect, q) for q in questions] + [concept_index.ranked(None, aspect, q) for q in questions]
    monkeypatch.setattr(concept_index, "candidates", lambda t, *_: {id(e) for e in concept_index.load()})
    slow = [concept_index.ranked(q, aspect, q) for q in questions] + [concept_index.ranked(None, aspect, q) for q in questions]
    assert [[(k, e["id"]) for k, e in r] for r in fast] == [[(k, e["id"]) for k, e in r] for r in slow]
    assert sum(map(len, fast)) > len(questions)  # the questions do find entries: the comparison is not of empty lists


# ---------------------------------------------------------------------------- the last answer's entities

def test_the_last_answers_entities_are_computed_once_and_only_when_read():
    calls = []
    later = answered.Later(lambda: calls.append(1) or ["深圳", "广州"])
    assert calls == []
    assert len(later) == 2 and later[0] == "深圳" and list(later) == ["深圳", "广州"] and later[:1] == ["深圳"]
    assert calls == [1]


def test_a_turn_that_names_its_city_does_not_link_the_last_answer(monkeypatch):
    linked = []
    real = answered.entities
    monkeypatch.setattr(answered, "entities", lambda *a: linked.append(a[0]) or real(*a))
    history = [{"role": "user", "content": "深圳2019年排第几？"},
               {"role": "assistant", "content": "深圳2019年排第3名，综合得分50.99。"}]
    assert understand("广州2019年创新基础得分多少", history).entities == ("广州",) and linked == []
    # "they" after a tier's members: the members the last answer listed, read from its text
    history = [{"role": "user", "content": "2019年第一梯队有哪些城市？"},
               {"role": "assistant", "content": "2019年第一梯队有北京、上海、深圳。"}]
    assert understand("它们的创新基础差多少？", history).entities == ("北京", "上海", "深圳")
    assert linked == ["2019年第一梯队有北京、上海、深圳。"]
