"""The operation classifier: multinomial logistic regression over :mod:`features`.

Parameters are package data (``data/operation_classifier.npz``) written by
``python -m assistant.offline.understand.train``; loading them is one ``numpy.load``
and inference is a sum of weight rows, well under a millisecond.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).resolve().parent / "data" / "operation_classifier.npz"


@dataclass(frozen=True)
class Model:
    labels: tuple[str, ...]
    index: dict
    weights: np.ndarray      # features x labels
    bias: np.ndarray         # labels
    fingerprint: str         # of the exemplar bank it was trained on

    def probabilities(self, feats: list[str]) -> dict[str, float]:
        rows = [self.index[f] for f in set(feats) if f in self.index]
        z = self.bias + (self.weights[rows].sum(axis=0) if rows else 0.0)
        z = np.exp(z - z.max())
        p = z / z.sum()
        return {label: float(x) for label, x in zip(self.labels, p)}


def save(path: Path, models: dict[str, tuple[list[str], list[str], np.ndarray, np.ndarray]], fingerprint: str) -> None:
    """Write models named e.g. ``full`` and ``split``: (labels, feature names, weights, bias)."""
    arrays = {"fingerprint": np.array(fingerprint)}
    for name, (labels, names, weights, bias) in models.items():
        arrays[f"{name}_labels"] = np.array(labels)
        arrays[f"{name}_features"] = np.array(names)
        arrays[f"{name}_weights"] = weights.astype(np.float32)
        arrays[f"{name}_bias"] = bias.astype(np.float32)
    np.savez_compressed(path, **arrays)


@functools.lru_cache(maxsize=2)
def load(name: str = "full", path: Path = MODEL_PATH) -> Model:
    """``full`` is trained on the whole bank (used to answer); ``split`` on the bank minus
    the held-aside templates (used only to measure generalisation)."""
    with np.load(path) as data:
        names = data[f"{name}_features"].tolist()
        return Model(labels=tuple(data[f"{name}_labels"].tolist()), index={f: i for i, f in enumerate(names)},
                     weights=data[f"{name}_weights"], bias=data[f"{name}_bias"], fingerprint=str(data["fingerprint"]))
