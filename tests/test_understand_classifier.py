"""The operation classifier: trained on the exemplar bank it ships with, measured on
templates it never saw and on the dev golden questions (never on the held-out sets).

Floors are the figures measured when the model was trained, less a margin: held-aside
0.790 at the shipped split (mean 0.831, min 0.789 over 5 random splits: which templates
are held aside moves it by a few points), dev golden 157/159 = 0.987."""
import collections
import re
from pathlib import Path

import yaml

from assistant.offline.frame import OPERATIONS
from assistant.offline.understand import bank, classifier, features, understand
from assistant.offline.understand.train import featurise

ROOT = Path(__file__).parents[1]
HELD_ASIDE_FLOOR = 0.75
DEV_GOLDEN_FLOOR = 0.95


def test_the_shipped_parameters_were_trained_on_this_bank():
    exemplars = bank.generate()
    assert classifier.load().fingerprint == bank.fingerprint(exemplars, features.VERSION), \
        "the exemplar bank or the features changed: run python -m assistant.offline.understand.train"


def test_the_bank_covers_every_operation_in_both_languages():
    exemplars = bank.generate()
    assert len(exemplars) >= 2000
    counts = collections.Counter((e.label, e.language) for e in exemplars)
    for op in [o for o in OPERATIONS] + ["follow_up"]:
        for lang in ("zh", "en"):
            assert counts[(op, lang)] >= 10, (op, lang)
    assert sum(e.source.startswith("p:") for e in exemplars) >= 200  # hand-written


def test_accuracy_on_held_aside_templates():
    exemplars = bank.generate()
    aside = bank.held_aside(exemplars)
    model = classifier.load("split")
    test = [e for e in exemplars if e.group in aside]
    hits = 0
    for e in test:
        p = model.probabilities(featurise(e.text))
        hits += max(p, key=p.get) == e.label
    accuracy = hits / len(test)
    print(f"held-aside templates: {hits}/{len(test)} = {accuracy:.3f}")
    assert len(test) >= 400 and accuracy >= HELD_ASIDE_FLOOR


def test_accuracy_on_the_dev_golden_questions():
    allowed = yaml.safe_load((ROOT / "assistant/offline/understand/data/golden_intents.yaml").read_text(encoding="utf-8"))
    items = []
    for path in ("assistant/golden.yaml", "assistant/evaluation/golden_extra.yaml"):
        data = yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))
        items += data["items"] if isinstance(data, dict) else data
    def operations(it):  # an item's own frame says the operation; else the old intent label's operations
        framed = (it.get("frame") or {}).get("operation")
        return [framed] if framed else allowed.get(it.get("intent"))

    items = [it for it in items if operations(it)]
    hits = sum(understand(it["question"], it.get("history")).operation in operations(it) for it in items)
    print(f"dev golden: {hits}/{len(items)} = {hits / len(items):.3f}")
    assert len(items) >= 150 and hits / len(items) >= DEV_GOLDEN_FLOOR


def test_no_edition_id_is_written_in_the_understanding_code():
    from index_core import io

    ids = io.edition_ids()
    for path in (ROOT / "assistant/offline/understand").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not [i for i in ids if re.search(re.escape(i), text)], path
