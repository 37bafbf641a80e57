"""Every operation answers any frame understanding may produce — a slot missing, an entity
outside the edition, a dimension of another edition, a year no edition has — in both languages,
without an exception, with a non-empty answer whose every number verifies."""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import yaml

from assistant.offline.frame import OPERATIONS
from tests.answer_frames import ask

VARIANTS = {
    "bare": {},
    "entity": {"entities": ["深圳"]},
    "entity-in-gtii": {"entities": ["深圳"], "editions": ["gtii-2019"], "edition_source": "explicit"},
    "district-sub-index": {"entities": ["渝北区"], "editions": ["chongqing-2018q3"], "edition_source": "explicit",
                           "dimension": "vitality"},
    "one-not-in-edition": {"entities": ["北京", "东京"], "editions": ["hardtech-2020"], "edition_source": "explicit"},
    "field-top-3": {"editions": ["gtii-2019"], "edition_source": "explicit", "dimension": "aerospace", "n": 3},
    "not-in-edition": {"entities": ["拉萨"], "editions": ["hardtech-2020"], "edition_source": "explicit",
                       "dimension": "research_talent"},
    "year-without-edition": {"entities": ["上海"], "year": 2030, "premises": [{"kind": "edition_year", "value": 2030}]},
}


# each (operation, variant) once, the languages alternating (the phrase test covers both languages' keys)
CASES = [(op, v, ("zh", "en")[i % 2]) for i, (op, v) in enumerate(itertools.product(OPERATIONS, VARIANTS))]


@pytest.mark.parametrize("operation,variant,language", CASES)
def test_any_frame_gets_a_verified_answer(operation, variant, language):
    env = ask(question="(robustness)", language=language, operation=operation, **VARIANTS[variant])
    assert env.answer.strip() and env.language == language
    assert env.frame["route"] in (*OPERATIONS, "links", "years")
    assert "Traceback" not in env.answer and "validation error" not in env.answer


EXAMPLES = yaml.safe_load((Path(__file__).resolve().parent.parent / "assistant" / "offline" / "frame_examples.yaml")
                          .read_text(encoding="utf-8"))["examples"]


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["question"] for e in EXAMPLES])
def test_every_worked_example_of_the_contract_is_answered_by_its_handler(example):
    env = ask(question=example["question"], **example["frame"])
    op = example["frame"]["operation"]
    fallback = env.frame["fallback"]
    assert env.frame["route"] == op or (fallback and fallback["from"] == op) or env.frame["route"] in ("years", "links")
    assert env.answer.strip()
