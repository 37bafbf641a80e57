"""Every worked example in assistant/offline/frame_examples.yaml yields its frame.

Slots the example does not list must take their defaults; links, confidence and
understood_by are not compared (the contract says so)."""
from pathlib import Path

import pytest
import yaml

from assistant.offline.frame import Frame
from assistant.offline.understand import understand

EXAMPLES = yaml.safe_load((Path(__file__).parents[1] / "assistant/offline/frame_examples.yaml").read_text(encoding="utf-8"))["examples"]
IGNORED = ("links", "confidence", "understood_by")


def _comparable(frame: Frame) -> dict:
    data = frame.summary()
    for key in IGNORED:
        data.pop(key, None)
    return data


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["question"] for e in EXAMPLES])
def test_example_yields_its_frame(example):
    expected = Frame(question=example["question"], **example["frame"])
    assert _comparable(understand(example["question"], example.get("history"))) == _comparable(expected)


def test_examples_cover_every_operation_that_has_no_other_test():
    ops = {e["frame"]["operation"] for e in EXAMPLES}
    assert {"lookup", "compare", "gap", "rank", "leader", "count", "tier", "why", "change", "method", "concept",
            "definition", "narrative", "whatif", "sensitivity", "coverage", "unanswerable", "out_of_scope"} <= ops
