"""method: how an index is computed, the asked facet first — weights, normalisation,
indicators, thresholds, the data year or the formula — from the spec as the core serves it,
each with its source line. With no edition named, every edition with weighted dimensions."""
from __future__ import annotations

from dataclasses import replace

from ...tools import ToolRunner
from ..frame import Frame
from . import editions, entry, passages
from .blocks import Bullets, Cite, Ed, Fallback, Join, Line, Local, Num, P, Verbatim
from .scores import count, indicator_table, score, weight
from ..understand.lexicon import Words
from .vocab import asks_weight_needed, rules

FACETS = ("weights", "normalisation", "formula", "indicators", "thresholds", "data_year")
SAID_ONLY = ("selection", "sources")  # facets only the reports' text states (reviewed entries), not the spec


def handle(frame: Frame, tools: ToolRunner):
    if len(frame.entities) == 2 and asks_weight_needed(frame.question):  # "产出权重要加到多少西安才能反超"
        return Fallback("sensitivity", "the weight at which one would pass the other")
    named = bool(frame.editions) and frame.edition_source not in (None, "default")
    eids = list(frame.editions[:2]) if named else editions.weighted_editions()
    out: list = [] if named else [Line(P("method.no_edition"))]
    if not eids:
        return Fallback("narrative", "no edition method to read")
    for eid in eids:
        out += _one(frame, tools, eid, len(eids) > 1)
    if len(eids) > 1:
        out.append(Line(P("method.differ")))
    return out


def _facet_said(question: str) -> str | None:
    """The facet a question's own words ask for when understanding named none ("how much does
    innovation input weigh", "怎么赋权"): the first facet with a cue word (``sentence_cues``) in it."""
    q = question.casefold()
    return next((f for f in FACETS if any(str(c).casefold() in q for c in passages.cues(f))), None)


def _src(s: dict | None, *needles: str) -> Cite | str:
    if s and s.get("file") and s.get("line"):
        return Cite(s["file"], int(s["line"]), needles=tuple(n for n in needles if n))
    return ""


def _one(frame: Frame, tools: ToolRunner, eid: str, many: bool) -> list:
    cid, m = tools.call("methodology", edition=eid)
    if "error" in m:
        return [Line(P("method.failed", edition=Ed(eid)))]
    facets = {"weights": _weights, "normalisation": _normalisation, "formula": _formula, "indicators": _indicators,
              "thresholds": _thresholds, "data_year": _data_year}
    asked = frame.aspect if frame.aspect in (*facets, *SAID_ONLY) else _facet_said(frame.question)
    if asked is None and any(d["key"] == frame.dimension for d in m["dimensions"]):
        asked = "indicators"  # "what does the talent dimension measure?": what it is made of
    if asked == "thresholds" and not m.get("tiers") and (entry_lines := entry.handle(frame, tools, eid)):
        return entry_lines  # no tiers: the cut-off of its printed top list ("GTII生物技术TOP10门槛")
    if asked == "data_year" and not m.get("data_year"):
        return _said(frame, tools, eid, "data_year") or [Line(P("method.data_year_unstated", edition=Ed(eid)))]
    unstated: list = []
    if asked in SAID_ONLY:  # "GTII的数据来自哪里": what the report says of it, or that it does not say, then its method
        if said := _said(frame, tools, eid, asked):
            return said
        unstated, asked = [Line(P(f"method.{asked}_unstated", edition=Ed(eid)))], None
    order = [asked] + [f for f in FACETS if f != asked] if asked else list(FACETS)
    dim = frame.dimension if any(d["key"] == frame.dimension for d in m["dimensions"]) else None
    parts = [p for f in order for p in facets[f](m, cid, eid, tools, dim)]
    if not parts:
        return [Line(P("method.unpublished", edition=Ed(eid)))]
    head = [Line(P("method.edition_head", edition=Ed(eid)))] if many or not asked else []
    if asked == "weights" and (extreme := _extreme(frame.question, m, cid, eid)):
        parts = [extreme] + parts  # "which dimension has the highest weight": that one first
    if asked and not many:
        first, *rest = parts
        return [Line(P("method.lead", edition=Ed(eid), fact=first))] + ([Bullets(rest)] if rest else [])
    return unstated + head + [Bullets(parts)]


def _extreme(question: str, m: dict, cid: str, eid: str) -> P | None:
    """The dimension(s) with the highest (or lowest) weight, when the question asks for one; all of
    them when they weigh the same."""
    low = question.lower()
    side = next((s for s in ("most", "least") if Words.of(rules()["weight_extreme"][s])(low)), None)
    dims = [d for d in m["dimensions"] if d.get("weight") is not None]
    if side is None or len(dims) < 2:
        return None
    w = (max if side == "most" else min)(d["weight"] for d in dims)
    top = [d for d in dims if d["weight"] == w]
    value = weight(w, cid, eid, top[0]["key"])
    cite = _src(next((d["source"] for d in dims if d.get("source")), None), *passages.cues("weights"))
    if len(top) == len(dims):
        return P("method_ops.weight_all_same", weight=value, cite=cite)
    return P(f"method_ops.weight_{side}", weight=value, cite=cite,
             dims=Join([Local(d["zh"], f"{d['en']} ({d['zh']})") for d in top], "sep.list"))


def _weights(m: dict, cid: str, eid: str, tools, dim: str | None = None) -> list:
    dims = m["dimensions"]
    if not dims:
        return []
    asked = next((d for d in dims if d["key"] == dim and d.get("weight") is not None), None)
    if asked:  # "how much does innovation output count for": that dimension's weight first, then the rest
        return [P("method_ops.one_weight", dim=Local(asked["zh"], f"{asked['en']} ({asked['zh']})"),
                  weight=weight(asked["weight"], cid, eid, asked["key"]), cite=_src(asked.get("source"), *passages.cues("weights"))),
                *_weights(m, cid, eid, tools)]
    src = next((d["source"] for d in dims if d.get("source")), None)
    if all(d.get("weight") is None for d in dims):  # no weights: the passage that describes the method says so
        src = (m.get("aggregation") or {}).get("source") or src
    items = [P("method.dim_weight" if d.get("weight") is not None else "method.dim", dim=Local(d["zh"], f"{d['en']} ({d['zh']})"),
               weight=weight(d["weight"], cid, eid, d["key"]) if d.get("weight") is not None else "") for d in dims]
    key = "method.weights" if any(d.get("weight") is not None for d in dims) else "method.no_weights"
    total = m.get("weight_total")
    weights = {round(d["weight"], 6) for d in dims if d.get("weight") is not None}
    equal = len(weights) == 1 and len(dims) > 1 and all(d.get("weight") is not None for d in dims)
    total = P("method.weight_total_equal" if equal else "method.weight_total",
              total=Num(total, "weight total", cid, kind="percent", decimals=0, edition=eid)) if total is not None else ""
    cite = _src(src, *passages.cues("weights"))
    named = m.get("dimensions_named") or {}
    if isinstance(cite, Cite) and named.get("file") == cite.source_file and named.get("line") not in (None, cite.first):
        cite = replace(cite, also=(int(named["line"]),))  # the sentence that names them, beside the one that weighs them
    return [P(key, n=count(m["dimension_count"], "dimensions", cid), items=Join(items, "sep.list"), total=total, cite=cite)]


def _normalisation(m: dict, cid: str, eid: str, tools, dim: str | None = None) -> list:
    norm = m.get("normalisation") or {}
    if norm.get("method") == "minmax":
        lo, hi = (norm.get("range") or [0, 100])[:2]
        return [P("method.minmax", low=count(lo, "range min", cid), high=count(hi, "range max", cid),
                  cite=_src(norm.get("source"), str(hi)))]
    if norm.get("method"):
        return [P("method.normalisation_unpublished")]
    return []


def _formula(m: dict, cid: str, eid: str, tools, dim: str | None = None) -> list:
    agg = m.get("aggregation") or {}
    if not agg.get("method"):
        return []
    key = {"weighted_sum": "method.agg_weighted_sum", "sum": "method.agg_sum", "mean": "method.agg_mean"}.get(
        agg["method"], "method.agg_published")
    return [P(key, cite=_src(agg.get("source")))]


def _indicators(m: dict, cid: str, eid: str, tools, dim: str | None = None) -> list:
    n = m.get("indicator_count")
    if not n:
        return _elements(m, cid, eid)
    key = "method.indicators_equal" if m.get("indicator_weights") == "equal" else "method.indicators"
    mine = [i for i in m.get("indicators") or [] if dim and i.get("dimension") == dim]
    if not mine:
        return [P(key, n=count(n, "indicators", cid), cite=indicator_table(m))]
    # "硬科技企业这一维看哪些指标": that dimension's indicators, as the report's indicator table lists them
    d = next(x for x in m["dimensions"] if x["key"] == dim)
    lines = [i["source"] for i in mine if i.get("source")]
    cite = Cite(lines[0]["file"], min(x["line"] for x in lines), max(x["line"] for x in lines),
                needles=tuple(i["zh"] for i in mine)) if lines and len({x["file"] for x in lines}) == 1 else ""
    return [P("method_ops.dim_indicators", dim=Local(d["zh"], f"{d['en']} ({d['zh']})"),
              n=count(len(mine), "indicators of the dimension", cid, edition=eid, dimension=dim),
              items=Join([Local(i["zh"], f"{i['en']} ({i['zh']})" if i.get("en") else i["zh"]) for i in mine], "sep.list"),
              cite=cite),
            P(key, n=count(n, "indicators", cid), cite="")]


def _elements(m: dict, cid: str, eid: str) -> list:
    """"How many indicators does the GTII use?": it lists none, but names the elements it assesses."""
    elements = m.get("elements") or []
    lines = [e["source"] for e in elements if e.get("source")]
    if not elements:
        return []
    cite = Cite(lines[0]["file"], min(x["line"] for x in lines), max(x["line"] for x in lines),
                needles=tuple(e["zh"] for e in elements)) if lines and len({x["file"] for x in lines}) == 1 else ""
    return [P("method_ops.elements", n=count(len(elements), "evaluation elements", cid, edition=eid), cite=cite,
              items=Join([Local(e["zh"], f"{e['en']} ({e['zh']})") for e in elements], "sep.list"))]


def _thresholds(m: dict, cid: str, eid: str, tools, dim: str | None = None) -> list:
    if not m.get("tiers"):
        return []
    items = []
    for t in m["tiers"]:
        label = Local(t["zh"], t["en"])
        if isinstance(t.get("threshold"), (int, float)):
            items.append(P("method.tier_threshold", label=label,
                           threshold=score(t["threshold"], "tier threshold", cid, decimals=0, edition=eid)))
        else:
            resolved = next((r for r in m.get("resolved_thresholds") or [] if r.get("tier") == t["tier"]), None)
            items.append(P("method.tier_assumed", label=label,
                           threshold=P("method.threshold_value", threshold=score(resolved["threshold"], "tier threshold", cid,
                                                                                    decimals=0, edition=eid))
                           if resolved and resolved.get("threshold") is not None else ""))
    lines = [t["source"] for t in m["tiers"] if t.get("source")]
    cite = Cite(lines[0]["file"], min(x["line"] for x in lines), max(x["line"] for x in lines),
                needles=tuple(t["zh"] for t in m["tiers"])) if lines and len({x["file"] for x in lines}) == 1 else ""
    return [P("method.tiers", n=count(len(m["tiers"]), "tiers", cid, edition=eid), items=Join(items, "sep.semi"), cite=cite)]


def _data_year(m: dict, cid: str, eid: str, tools, dim: str | None = None) -> list:
    if not m.get("data_year"):
        return []
    year = str(m["data_year"])
    cues = " ".join(passages.cues("data_year"))
    hits = passages.search(tools, f"{year} {cues}", k=4, edition=eid)
    found = passages.best(hits, f"{year} {cues}", k=1, must=(year,), aspect="data_year")
    cite = found[0].cite() if found else ""
    if found:
        return [P("method.data_year_said", year=year, sentence=Verbatim(found[0].text, cite), cite=cite)]
    return [P("method.data_year", year=year)]


def _said(frame: Frame, tools: ToolRunner, eid: str, facet: str) -> list:
    """A facet the spec does not carry (a data year it does not state, how the cities were chosen):
    what the report says of it, from the reviewed entry named in ``rules.yaml: method_concepts``;
    ``[]`` if the edition has none."""
    _, res = tools.ok("concept", topic=rules()["method_concepts"][facet], aspect=facet,
                      question=frame.question, edition=eid)
    entry = (res or {}).get("concept")
    if entry is None or entry.get("edition") != eid or entry.get("kind") != "method":
        return []  # the index's definition, found by its name in the question, says nothing of the facet
    src = entry["source"]
    cite = Cite(src["file"], int(src["lines"][0]), int(src["lines"][-1]), quote=entry.get("quote"))
    text = (entry.get("answer") or {}).get(frame.language) or entry["answer"]["zh"]
    return [Line(P("method.lead", edition=Ed(eid), fact=P("concept.answer", answer=Verbatim(text, cite), cite=cite)))]
