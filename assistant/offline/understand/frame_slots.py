"""The slot values of one turn's frame, read from its own words once the operation, entities and
editions are known (``understand`` then adds what a follow-up inherits)."""
from __future__ import annotations

from ..frame import Filter
from . import premises, shares, slots
from .catalogue import Catalogue
from .lexicon import lexicon


def values(text, language, mentions, ents, operation, choice, cat: Catalogue, prev) -> dict:
    """The frame's slots read from the turn's own words (aspect, N, direction, polarity, tier,
    filters, what-if weights, topic, indicator) for ``operation`` in the chosen editions."""
    low = text.lower()
    tier_number = slots.tier(text, cat.editions[choice.editions[0]].last_tier if choice.editions else None)
    values: dict = {
        "aspect": slots.aspect(operation, text, mentions, len(ents)),
        "composite": slots.composite(text),
        "period": slots.period(text),
        "n": slots.number(low) if operation in slots.LIST_OPERATIONS or slots.is_next(text) or operation in ("gap", "sensitivity") else None,
        "direction": slots.direction(operation, text, len(ents)),
        "polarity": slots.polarity(text) if operation == "why" else None,
        "tier": tier_number if operation in ("tier", "gap") or (prev is not None and prev.operation == "tier") else None,
        "filters": tuple(Filter(field=f, value=v) for f, v in slots.filters(operation, text, tier_number)) or None,
        "weights": shares.weights(text, choice.editions[0] if choice.editions else None, mentions)
        if operation == "whatif" else None,
        "reason": slots.reason(operation, text),
        "topic": slots.topic(operation, text, language, mentions, cat)
        if operation in ("concept", "definition", "narrative", "unanswerable") else None,
        "indicator": next((m.targets[0].target for m in mentions if m.kind == "indicator" and m.resolved), None)
        if operation in slots.INDICATOR_OPERATIONS else None,
    }
    if (operation == "rank" or operation == "leader" and not ents) and tier_number is not None:
        values["tier"] = tier_number  # "2019年第二梯队城市的平均分", "第三梯队垫底的是谁", "按科研人才排第二梯队": its members
    if operation == "why" and values["polarity"] is None:
        values["polarity"] = _polarity_from_premises(text, mentions, ents, operation, choice)
    return values


def _polarity_from_premises(text, mentions, ents, operation, choice) -> str | None:
    """"Why did X come first?" asks what it does well; "why is X not in tier 2" what holds it back."""
    strong_max = int(lexicon()["strong_rank_max"])
    for p in premises.extract(text, mentions, ents, operation, choice, None):
        kind, value = p["kind"], p.get("value")
        if kind in ("leader", "in_top") or kind in ("rank", "tier", "class") and value is not None and \
                value <= (strong_max if kind == "rank" else 1):
            return "strong"
        if kind in ("last", "outside_top", "outside_tier", "rank", "tier", "class"):  # "why is X not in tier 2": what holds it back
            return "weak"
        if kind == "ordering":
            return "strong" if p.get("entity") == (ents[0] if ents else None) else "weak"
        if kind in ("change", "score_change"):  # "why did Changchun jump 9 places?": what it does well
            return "strong" if value == "up" else "weak"
    return None
