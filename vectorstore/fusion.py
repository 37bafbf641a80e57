"""Which ranked lists a question's search fuses, and how (``vectorstore/fusion.yaml``).

Reciprocal rank fusion with a weight per list and question language, then metadata
boosts. The numbers are data: they were learned on the dev set, and the YAML says how.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from .config import PACKAGE_DIR, read_yaml

FUSION_PATH = PACKAGE_DIR / "fusion.yaml"
LISTS = ("dense", "companion", "bm25")


@dataclass(frozen=True)
class Fusion:
    rrf_k: float
    candidates: int
    entity_boost: float
    dimension_boost: float
    document_boost: float
    weights: dict[str, dict[str, float]]  # language -> list -> weight

    def weights_for(self, language: str, have_companion: bool) -> dict[str, float]:
        """The list weights for a question in ``language``; without a companion encoder its
        weight goes to the default encoder."""
        w = dict(self.weights.get(language) or self.weights["en"])
        if not have_companion:
            w["dense"] = w.get("dense", 0.0) + w.pop("companion", 0.0)
        return {name: float(w.get(name, 0.0)) for name in LISTS if w.get(name, 0.0) > 0}

    def rrf(self, ranked: list[int], weight: float, into: dict[int, float]) -> None:
        """Add ``weight / (rrf_k + rank)`` for the first ``candidates`` of ``ranked`` (best first)."""
        for r, i in enumerate(ranked[: self.candidates]):
            into[i] = into.get(i, 0.0) + weight / (self.rrf_k + r + 1)


@functools.lru_cache(maxsize=1)
def fusion() -> Fusion:
    d = read_yaml(FUSION_PATH)
    b = d["boosts"]
    return Fusion(float(d["rrf_k"]), int(d["candidates"]), float(b["entity"]), float(b["dimension"]),
                  float(b["document"]), {lang: dict(w) for lang, w in d["languages"].items()})


def top(scores: np.ndarray, n: int, positive_only: bool = False) -> list[int]:
    """Indices of the ``n`` highest scores, best first (ties by index); only scores > 0 if asked."""
    order = np.argsort(-scores, kind="stable")[:n]
    return [int(i) for i in order if not positive_only or scores[i] > 0]
