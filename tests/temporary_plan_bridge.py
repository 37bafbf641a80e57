"""TEMPORARY bridge, for development only: the old planner's ``Plan`` -> a ``Frame``.

It lets the dev golden set run end to end through the new handlers before
``assistant.offline.understand`` lands. Delete it (and scripts/temporary_golden_bridge.py)
when the lead wires ``understand`` into ``assistant.offline.answer_question``. Not product code.
"""
from __future__ import annotations

import re

from assistant.offline.frame import Frame, Link, Premise
from assistant.composer import _tier_asked
from assistant.planner import STRONG, _has, plan
from index_core import io

_ASPECTS = [("weights", ["权重", "weight"]), ("normalisation", ["无量纲", "归一", "normalis", "normaliz", "min-max"]),
            ("thresholds", ["门槛", "threshold", "划分"]), ("data_year", ["数据年份", "data year", "哪一年的数据", "which year"]),
            ("indicators", ["指标", "indicator"]), ("formula", ["计算", "calculat", "comput", "how is", "how was"])]


def _method_aspect(q: str) -> str | None:
    low = q.lower()
    return next((a for a, cues in _ASPECTS if any(c in low for c in cues)), None)


def frame_from_plan(question: str, history: list[dict] | None = None) -> Frame:
    p = plan(question, history)
    q = p.question
    low = q.lower()
    slots: dict = {"question": q, "language": p.lang, "entities": tuple(p.entities)}
    if p.edition:
        slots["editions"] = tuple(dict.fromkeys([p.edition, *p.editions_mentioned])) if p.intent == "trend" else (p.edition,)
        slots["edition_source"] = "inherited" if "edition" in p.inherited else ("explicit" if p.edition_explicit else "default")
    if p.dimension:
        slots["dimension"] = p.dimension
    if p.composite_pref:
        slots["composite"] = p.composite_pref
    links = [Link(surface=u, kind="entity", target=None) for u in p.unknown_entities]  # the planner: "not covered"
    premises = []
    if p.unknown_edition:
        slots["year"] = int(p.unknown_edition)
        slots.pop("editions", None)
        slots.pop("edition_source", None)
        premises.append(Premise(kind="edition_year", value=int(p.unknown_edition)))
    op = "lookup"
    it = p.intent
    if it == "value":
        if p.entities:
            op, slots["aspect"] = "lookup", ("tier" if any(w in low for w in ("tier", "梯队", "class", "类")) else "score")
        elif p.focus == "coverage":
            op = "coverage"
        else:
            op, slots["n"], slots["direction"] = "rank", p.top_n, "bottom" if p.bottom else "top"
    elif it == "rank":
        op, slots["aspect"] = "lookup", "rank"
    elif it == "compare":
        op = "compare"
    elif it == "topn":
        if p.focus == "coverage":
            op = "coverage"
        elif p.top_n == 1 and not p.offset:
            op, slots["direction"] = "leader", "bottom" if p.bottom else "top"
        else:
            op, slots["n"], slots["direction"], slots["offset"] = "rank", p.top_n, "bottom" if p.bottom else "top", p.offset
    elif it == "why":
        if p.focus == "discrepancy":
            op, slots["aspect"] = "breakdown", "discrepancy"
        else:
            op, slots["polarity"] = "why", "strong" if _has(q, STRONG) else "weak"
    elif it == "how":
        if any(w in low for w in ("how far", "还差", "差多少", "差距", "gap")):
            op, slots["aspect"] = "gap", ("next_tier" if any(w in low for w in ("tier", "梯队")) else "next_rank")
        else:
            op = "breakdown"
    elif it == "definition":
        op, slots["topic"] = ("concept", "硬科技") if p.focus == "origin" else ("definition", "硬科技")
        if p.focus == "origin":
            slots["aspect"] = "origin"
    elif it == "method":
        op, slots["aspect"] = "method", _method_aspect(q)
    elif it in ("whatif", "sensitivity"):
        op = it
        if p.weights:
            slots["weights"] = p.weights
    elif it == "trend":
        op = "change"
    elif it == "tiers":
        op, slots["tier"] = "tier", _tier_asked(q)
    elif it == "facts":
        if p.change:
            op, slots["direction"], slots["period"] = "change", "top" if p.change == "rise" else "bottom", "previous"
        elif p.previous_period:
            op, slots["period"] = "change", "previous"
        else:
            op, slots["aspect"] = "lookup", "indicator"
            slots["indicator"] = " ".join(p.indicator_terms) or re.sub(r"[？?。]", "", q)
    elif it == "search":
        op, slots["topic"] = "narrative", q
    elif it == "out_of_scope":
        if p.unknown_measure:
            op, slots["reason"], slots["topic"] = "unanswerable", "unknown_measure", p.unknown_measure
        else:
            op, slots["reason"] = "out_of_scope", "off_topic"
    elif it == "refuse":
        op, slots["reason"] = "out_of_scope", "injection"
    if op == "change" and p.dimension_mentions and not slots.get("dimension"):
        eid = slots.get("editions", (None,))[0]
        slots["dimension"] = next((k for e, k in p.dimension_mentions if e == eid), None)
    if "period" in slots and p.edition != "chongqing-2018q3":
        cq = [e for e in io.edition_ids() if io.load_edition(e).spec.period]
        slots["editions"], slots["edition_source"] = tuple(cq[:1]), "explicit"
    slots = {k: v for k, v in slots.items() if v is not None}
    return Frame(operation=op, links=tuple(links), premises=tuple(premises), understood_by="classifier", **slots)
