"""Train the operation classifier on the exemplar bank and ship its parameters.

    python -m assistant.offline.understand.train            # retrain, write data/operation_classifier.npz
    python -m assistant.offline.understand.train --pinyin   # also regenerate data/pinyin.txt

Prints the bank's size per label and language, the accuracy of a model trained without
the held-aside templates on those templates, and the classifier's accuracy on the dev
golden questions (single turns, classifier alone). Needs scikit-learn (test extra).
"""
from __future__ import annotations

import argparse
import collections
import time

import numpy as np

from . import bank, classifier, features, pinyin
from .linking import link
from .normalise import normalise

C = 4.0  # inverse L2 strength, chosen on the held-aside split


def featurise(text: str) -> list[str]:
    t = normalise(text)
    return features.features(t.text, link(t))


def _fit(rows: list[list[str]], labels: list[str]):
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    names = sorted({f for r in rows for f in r})
    index = {f: i for i, f in enumerate(names)}
    data, cols, ptr = [], [], [0]
    for r in rows:
        ids = sorted({index[f] for f in r})
        cols += ids
        data += [1.0] * len(ids)
        ptr.append(len(cols))
    x = csr_matrix((data, cols, ptr), shape=(len(rows), len(names)))
    model = LogisticRegression(C=C, max_iter=3000, class_weight="balanced")
    model.fit(x, labels)
    return list(model.classes_), names, model.coef_.T.copy(), model.intercept_.copy()


def _accuracy(model: classifier.Model, rows: list[list[str]], labels: list[str]) -> float:
    hits = sum(max((p := model.probabilities(r)), key=p.get) == y for r, y in zip(rows, labels))
    return hits / max(1, len(rows))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pinyin", action="store_true", help="regenerate the pinyin table from pypinyin first")
    ap.add_argument("--splits", type=int, default=1, help="also report the held-aside accuracy over this many random splits")
    args = ap.parse_args(argv)
    if args.pinyin:
        from .catalogue import catalogue

        cat = catalogue()
        names = [n for ns in cat.entity_names.values() for n in ns] + list(cat.dimension_cjk)
        pinyin.TABLE_PATH.write_text(pinyin.build_table(names), encoding="utf-8")
    t0 = time.time()
    exemplars = bank.generate()
    counts = collections.Counter((e.label, e.language) for e in exemplars)
    print(f"bank: {len(exemplars)} exemplars ({sum(e.source.startswith('p:') for e in exemplars)} hand-written)")
    for label in sorted({e.label for e in exemplars}):
        print(f"  {label:14} zh {counts[(label, 'zh')]:4}  en {counts[(label, 'en')]:4}")
    rows = [featurise(e.text) for e in exemplars]
    labels = [e.label for e in exemplars]
    aside = bank.held_aside(exemplars)
    train = [i for i, e in enumerate(exemplars) if e.group not in aside]
    test = [i for i, e in enumerate(exemplars) if e.group in aside]
    split = _fit([rows[i] for i in train], [labels[i] for i in train])
    full = _fit(rows, labels)
    fp = bank.fingerprint(exemplars, features.VERSION)
    classifier.save(classifier.MODEL_PATH, {"full": full, "split": split}, fp)
    classifier.load.cache_clear()
    acc = _accuracy(classifier.load("split"), [rows[i] for i in test], [labels[i] for i in test])
    print(f"held-aside templates: {len(test)} exemplars, accuracy {acc:.3f} (model trained on the other {len(train)})")
    if args.splits > 1:
        scores = []
        for seed in range(1, args.splits + 1):
            aside = bank.held_aside(exemplars, seed=seed)
            fit = _fit([r for r, e in zip(rows, exemplars) if e.group not in aside],
                       [y for y, e in zip(labels, exemplars) if e.group not in aside])
            model = classifier.Model(tuple(fit[0]), {f: i for i, f in enumerate(fit[1])}, fit[2], fit[3], fp)
            scores.append(_accuracy(model, [r for r, e in zip(rows, exemplars) if e.group in aside],
                                    [y for y, e in zip(labels, exemplars) if e.group in aside]))
        print(f"held-aside over {len(scores)} random splits: mean {np.mean(scores):.3f}, min {min(scores):.3f}, max {max(scores):.3f}")
    print(f"features: {len(full[1])}; trained in {time.time() - t0:.1f} s; fingerprint {fp[:12]}")


if __name__ == "__main__":
    main()
