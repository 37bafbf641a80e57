"""Which edition a what-if re-weights when the question names none: the one its weights fit.

"What if innovation input and output were 40% each?" names the 2019 dimensions; "weights of
0.4, 0.2, 0.2, 0.2" has four numbers, so it is about the edition with four dimensions; "what if
the weights were equal?" means something only where they are not equal already. Each weighted
edition is scored on how well the question's weights read there, and the best one is taken
(ties keep the default, which comes first).
"""
from __future__ import annotations

import re

from index_core import io

from . import shares, substitution
from .catalogue import Catalogue
from .lexicon import Words, lexicon, patterns, words
from .mention import Mention


def _baseline(edition: str) -> dict[str, float] | None:
    dims = io.load_edition(edition).spec.dimensions
    if not dims or any(d.weight is None for d in dims):
        return None
    return {d.key: float(d.weight) for d in dims}


def _shares(weights: dict[str, float]) -> dict[str, float]:
    total = sum(weights.values()) or 1.0
    return {k: round(v / total, 4) for k, v in weights.items()}


def _fit(text: str, edition: str, mentions: list[Mention], entities: list[str], cat: Catalogue) -> tuple:
    """(weights read, dimensions named in it, weights that change something, entities it covers)."""
    base = _baseline(edition)
    if base is None:
        return (False, 0, False, 0)
    weights = shares.weights(text, edition, mentions)
    named = sum(1 for m in mentions if m.kind == "dimension" for t in m.targets if t.edition == edition)
    changes = weights is not None and _shares(weights) != _shares(base)
    members = cat.editions[edition].members
    return (weights is not None, named, changes, sum(e in members for e in entities))


def about_weights(text: str, prev=None) -> bool:
    """Does the question speak of weights, itself or through the turn before ("what if they were
    equal?" after the 2019 weights, or after a what-if)?"""
    return words("weights", "asked")(text.lower()) or prev is not None and \
        (prev.operation == "whatif" or prev.operation == "method" and prev.aspect == "weights")


def asks(text: str, mentions: list[Mention], entities: list[str], cat: Catalogue, prev=None) -> bool:
    """Does the question suppose other weights, whatever the classifier made of it? Weights read
    from it that change some weighted edition's ranking, and either a word about weights
    ("权重都平分", "drop the talent dimension", or weights the turn before was about) or a
    supposition about a dimension it names ("如果不算创新投入", "what if output was half as important")."""
    low = text.lower()
    about = about_weights(text, prev)
    supposes = any(rx.search(low) for rx in patterns("premise_patterns", "hypothetical")) or words("cues", "whatif")(low)
    named = any(m.kind == "dimension" for m in mentions)
    supposes = supposes or shares.drops(text)  # "撇开创新环境不算": leaving one out is a supposition
    cfg = lexicon()["weights"]
    two = len({t.target for m in mentions if m.kind == "dimension" for t in m.targets}) >= 2
    # "只看投入和产出各50%": two dimensions given shares, or the only ones counted, is a supposition
    supposes = supposes or two and (Words.of(cfg["only"])(low) or bool(re.search(cfg["share_pattern"], low)))
    if not (about or supposes and named):
        return False
    if substitution.supposed_change(text, mentions, entities) is not None:
        return False  # "if Wuhan's talent score dropped 10 points": its score moves, not the weights
    return any(read and changes for read, _, changes, _ in (_fit(text, e, mentions, entities, cat) for e in cat.editions))


def outcome_asked(text: str, named: bool) -> bool:
    """Does a method-like question that supposes weights ask what they would do? It names a place,
    asks an outcome, or supposes ("If the index only used investment and enterprises, 50/50")."""
    low = text.lower()
    return named or words("cues", "whatif")(text) or words("outcome_asked")(low) or \
        any(rx.search(low) for rx in patterns("premise_patterns", "hypothetical"))


def edition(text: str, mentions: list[Mention], entities: list[str], default: tuple[str, ...],
            cat: Catalogue) -> str | None:
    """The weighted edition the question's weights fit best, or ``None`` to keep ``default``."""
    candidates = list(dict.fromkeys([*default, *sorted(cat.editions, key=lambda e: -(cat.editions[e].year or 0))]))
    scored = [(_fit(text, e, mentions, entities, cat), -k, e) for k, e in enumerate(candidates)]
    scored = [s for s in scored if s[0][0]]
    if not scored:
        return None
    best = max(scored)[2]
    return None if default and best == default[0] else best
