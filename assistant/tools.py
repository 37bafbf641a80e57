"""The assistant's tools: thin, read-only adapters over :mod:`index_core.api` and
:mod:`assistant.retrieval`.

Each tool is a plain function returning JSON-ready data, with a pydantic argument
schema and a bilingual description. The offline answerer calls them through a
:class:`ToolRunner` (which numbers the calls ``t1``, ``t2``, ... and keeps the
results for the number verifier); the LLM mode gets the same functions as
LangChain ``StructuredTool`` objects bound to the same runner.

No tool writes anything: none takes a path, and none calls a writing function.
"""
from __future__ import annotations

import functools
import json
import math
from typing import Any, Callable

from pydantic import BaseModel, ValidationError

from index_core import api
from index_core.errors import HardtechError

from . import concept_index, retrieval
from .aggregates import SubstituteArgs, t_count, t_find_value, t_moves, t_placings, t_stats, t_substitute
from .envelope import ToolCall
from .tool_args import (CompareArgs, ConceptArgs, CountArgs, CrossoverArgs, EditionArgs, EntityArgs, FactsArgs, FindValueArgs, GapArgs, MovesArgs,
                        NoArgs, NotesArgs,
                        PeriodChangeArgs, PlacingsArgs, RankingArgs, ScoresArgs, SearchArgs, SensitivityArgs, StatsArgs,
                        WhatIfArgs)

def clean(obj: Any) -> Any:
    """JSON-safe copy: NaN/inf -> None, tuples -> lists, numpy scalars -> Python."""
    if isinstance(obj, dict):
        return {str(k): clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [clean(v) for v in obj]
    if isinstance(obj, float):
        return None if math.isnan(obj) or math.isinf(obj) else obj
    if hasattr(obj, "item") and not isinstance(obj, (str, bytes)):
        try:
            return clean(obj.item())
        except Exception:
            return str(obj)
    return obj


def published_sources(edition: str, entity: str) -> dict[str, dict]:
    """measure -> {source_file, line, printed} for every number the report prints about ``entity``."""
    return api.sources(edition, entity)


# ----------------------------------------------------------------------------- tools
def t_editions() -> dict:
    return {"editions": api.list_editions()}


def entity_discrepancies(edition: str, entity: str) -> list[dict]:
    """Where the report's printed numbers for ``entity`` disagree with the method or with each other."""
    return [d for d in api.discrepancies(edition) if d["entity"] == entity]


def t_scores(edition: str, entity: str) -> dict:
    out = api.entity_scores(edition, entity)
    out["sources"] = published_sources(edition, out["name"])
    out["discrepancies"] = entity_discrepancies(edition, out["name"])
    _tier_labels(out["name"], out.get("other_editions") or [])
    return out


def t_ranking(edition: str, by: str | None = None, top: int = 10, bottom: bool = False) -> dict:
    out = api.ranking(edition, by=by, top=top, bottom=bottom)
    out["count"] = len(out["entities"])  # how many rows the edition prints for this measure (up to ``top``)
    key = "composite" if out["by"] == "composite" else f"{out['by']}.score"
    disc = {d["entity"]: d for d in api.discrepancies(edition) if d["measure"] in (key, f"{out['by']}.rank")}
    for e in out["entities"]:
        src = published_sources(edition, e["name"])
        # a composite computed from the dimension scores is cited at the line that prints those
        e["source"] = src.get(key) or next((v for m, v in src.items() if m.endswith(".score")), None) if key == "composite" \
            else src.get(key)
        if e["name"] in disc:
            e["discrepancy"] = disc[e["name"]]  # printed vs computed composite, or a printed rank out of order
    return out


def t_compare(edition: str, entities: list[str]) -> dict:
    out = api.compare(edition, entities)
    out["count"] = len(out["entities"])
    for e in out["entities"]:
        e["sources"] = published_sources(edition, e["name"])
    return out


def t_explain(edition: str, entity: str) -> dict:
    out = api.explain(edition, entity)
    out["sources"] = published_sources(edition, out["entity"])
    return out


def t_tiers(edition: str) -> dict:
    out = api.tiers(edition)
    out["count"] = len(out["tiers"])
    out["of"] = sum(len(t["members"]) for t in out["tiers"])
    for t in out["tiers"]:
        t["count"] = len(t["members"])
        t["share"] = round(t["count"] / out["of"], 6) if out["of"] else None  # of all the edition's tiered entities
        s = t.get("source")
        if s and s.get("file") and s.get("line"):
            t["source_text"] = retrieval.line_text(s["file"], int(s["line"]))
    return out


def t_sensitivity(edition: str, draws: int = 1000, spread: float = 0.25, seed: int = 0) -> dict:
    out = api.sensitivity(edition, draws=draws, spread=spread, seed=seed)
    out["interval"] = "5th-95th percentile of the simulated ranks"
    return out


def t_methodology(edition: str) -> dict:
    m = api.methodology(edition)

    def src(s):
        if isinstance(s, dict) and s.get("file") and s.get("line"):
            return {"file": s["file"], "line": int(s["line"]), "text": retrieval.line_text(s["file"], int(s["line"]))}
        return None

    return {
        "edition": m["id"], "title": m.get("title"), "report": m.get("report"), "data_level": m.get("data_level"),
        "data_year": m.get("data_year"), "dimensions_named": src(m.get("dimensions_named")),
        "dimensions": [{"key": d["key"], "zh": d["zh"], "en": d["en"], "weight": d.get("weight"), "source": src(d.get("source"))}
                       for d in m.get("dimensions") or []],
        "indicators": [{"no": i.get("no"), "zh": i["zh"], "en": i.get("en"), "dimension": i.get("dimension"), "unit": i.get("unit"),
                        "source": src(i.get("source"))}
                       for i in m.get("indicators") or []],
        "indicator_weights": m.get("indicator_weights"),
        # an index assessed on elements rather than listed indicators (the GTII's five 评估要素)
        "elements": [{"key": e["key"], "zh": e["zh"], "en": e["en"], "source": src(e.get("source"))} for e in m.get("elements") or []],
        # the dimension weights' total in percent, when every dimension has one ("do they add up to 100%?")
        "weight_total": round(sum(d["weight"] for d in m.get("dimensions") or []) * 100, 6)
        if m.get("dimensions") and all(d.get("weight") is not None for d in m["dimensions"]) else None,
        "dimension_count": len(m.get("dimensions") or []), "indicator_count": len(m.get("indicators") or []),
        "normalisation": {**{k: v for k, v in (m.get("normalisation") or {}).items() if k != "source"},
                          "source": src((m.get("normalisation") or {}).get("source"))},
        "aggregation": {**{k: v for k, v in (m.get("aggregation") or {}).items() if k != "source"},
                        "source": src((m.get("aggregation") or {}).get("source"))},
        "tiers": [{"tier": r["tier"], "zh": r["zh"], "en": r["en"], "threshold": r.get("threshold"), "status": r.get("status"),
                   "source": src(r.get("source"))} for r in ((m.get("tiers") or {}).get("rules") or [])],
        "resolved_thresholds": m.get("resolved_thresholds"),
        "entity_count": m.get("entity_count"), "country_count": m.get("country_count"),
        "sections": (m.get("source") or {}).get("sections"),
        "source_file": (m.get("source") or {}).get("file"),
    }


def t_search(query: str, k: int = 5, edition: str | None = None, entity: str | None = None,
             document: str | None = None, section: str | None = None) -> dict:
    if entity:
        entity = api.resolve_entity(entity)
    hits = retrieval.search(query, k=k, edition=edition, entity=entity, document=document, section=section)
    return {"query": query, "results": [h.to_dict() for h in hits]}


def _tier_labels(name: str, eds: list[dict]) -> list[dict]:
    """``eds`` (rows of the entity in several editions) with each tier's name and status (stated /
    assumed / not named by the report), so "which tier in each edition" is answered from them."""
    for e in eds:
        if e.get("tier") is not None and not e.get("tier_label"):
            row = api.entity_scores(e["edition"], name)
            e.update(tier_label=row["tier_label"], tier_label_en=row["tier_label_en"], tier_status=row["tier_status"])
    return eds


def t_entity_editions(entity: str) -> dict:
    name = api.resolve_entity(entity)
    eds = _tier_labels(name, api.entity_editions(name))
    return {"entity": name, "editions": eds,
            "caveat": "Editions use different indicators, weights and city sets; compare ranks, not raw scores."}


def t_gap(edition: str, entity: str, other: str, by: str | None = None, other_by: str | None = None) -> dict:
    """The difference between two entities, on the printed and on the computed composite (or one dimension);
    with ``other_by``, between ``entity`` on ``by`` and ``other`` on ``other_by`` (one entity's two dimensions)."""
    rows = [api.entity_scores(edition, x) for x in (entity, other)]
    out: dict[str, Any] = {"edition": edition, "of": rows[0]["of"], "entities": []}
    if by or other_by:
        keys = [api.ranking(edition, by=b, top=1)["by"] for b in (by or other_by, other_by or by)]
        vals = [r["dimensions"][k]["score"] for r, k in zip(rows, keys)]
        out.update(by=keys[0], gap=None if None in vals else round(abs(vals[0] - vals[1]), 2))
        if keys[0] != keys[1]:
            out["other_by"] = keys[1]
        for r, v, k in zip(rows, vals, keys):
            out["entities"].append({"name": r["name"], "dimension": k, "score": v, "rank": r["dimensions"][k]["rank"]})
        pick = vals
    else:
        printed = [r["published_composite"] for r in rows]
        computed = [r["composite"] if r.get("composite_source") == "computed" or r["published_composite"] is None
                    else round(r["composite_exact"], 2) for r in rows]
        out.update(by="composite",
                   printed_gap=None if None in printed else round(abs(printed[0] - printed[1]), 2),
                   computed_gap=None if None in computed else round(abs(computed[0] - computed[1]), 2))
        for r, pv, cv in zip(rows, printed, computed):
            out["entities"].append({"name": r["name"], "printed": pv, "computed": cv, "rank": r["rank"]})
        pick = printed if None not in printed else computed
        # where the gap comes from: each dimension's share of it (weight x score gap), largest first
        out["by_dimension"] = api.gap_by_dimension(edition, rows[0]["name"], rows[1]["name"])["dimensions"]
    if None not in pick:
        out["higher"] = rows[0]["name"] if pick[0] > pick[1] else rows[1]["name"] if pick[1] > pick[0] else None
        out["ratio"] = round(pick[0] / pick[1], 2) if pick[1] else None  # "北京是上海的几倍": entity over other
    for e in out["entities"]:
        e["sources"] = published_sources(edition, e["name"])
    return out


def t_standing(edition: str, entity: str) -> dict:
    """One entity against its edition: per measure its score and rank, the median and the leader."""
    name = api.resolve_entity(entity, edition)
    table = api.scores(edition)["entities"]

    def stand(get) -> dict:
        scored = [(r["name"], get(r)) for r in table if get(r) is not None]
        if not scored:
            return {"score": None, "median": None, "leader": None, "leader_score": None}
        vals = sorted(v for _, v in scored)
        mid = len(vals) // 2
        median = vals[mid] if len(vals) % 2 else (vals[mid - 1] + vals[mid]) / 2
        lead = max(scored, key=lambda x: x[1])
        me = next((v for n, v in scored if n == name), None)
        return {"score": me, "median": round(median, 2), "leader": lead[0], "leader_score": lead[1], "scored": len(scored)}

    out = {"edition": edition, "entity": name, "of": len(table),
           "composite": stand(lambda r: r["published_composite"] if r["published_composite"] is not None else r["composite"]),
           "dimensions": {k: stand(lambda r, k=k: r["dimensions"][k]["score"]) for k in table[0]["dimensions"]}}
    return out


MAX_ALIKE = 2  # other reports' statements of the same concept


def t_concept(topic: str, aspect: str | None = None, question: str = "", edition: str | None = None) -> dict:
    """The reviewed concept entry (assistant/offline/concepts) that answers ``topic`` for ``aspect``
    (about ``edition`` first, when given)."""
    entry = concept_index.find(topic, aspect, question, edition)
    return {"topic": topic, "aspect": aspect, "found": entry is not None, "concept": entry,
            "parts_count": len((entry or {}).get("parts") or []),
            "strength": concept_index.strength(entry, topic, question) if entry else None,
            "also": [] if edition else concept_index.alike(topic, aspect, question)[:MAX_ALIKE]}


def t_notes(edition: str, entity: str | None = None) -> dict:
    """Reviewed notes on the report's own inconsistencies (notes.yaml) and printed-vs-computed discrepancies."""
    name = api.resolve_entity(entity, edition) if entity else None
    return {"edition": edition, "entity": name, "notes": api.notes(edition, name),
            "discrepancies": [d for d in api.discrepancies(edition) if name is None or d["entity"] == name]}


TOOLS: dict[str, tuple[Callable[..., dict], type[BaseModel], str]] = {
    "editions": (t_editions, NoArgs,
                 "List the shipped index editions (id, title, entity count, dimensions). 列出可用的指数版本。"),
    "scores": (t_scores, ScoresArgs,
               "One entity's composite score, rank, tier and every dimension score and rank in an edition, with the report "
               "lines that print them, and its other editions. 查询某城市/区县在某版本中的综合得分、排名、梯队和各维度得分排名（含出处行号）。"),
    "ranking": (t_ranking, RankingArgs,
                "Entities ordered by composite or by one dimension; top or bottom N. 按综合指数或某一维度排名（前 N 或后 N）。"),
    "compare": (t_compare, CompareArgs,
                "Side-by-side scores, ranks and tiers of several entities in one edition. 同一版本中多个城市的对比。"),
    "explain": (t_explain, ScoresArgs,
                "Why an entity scores what it does: weighted contributions, strongest and weakest dimension, gaps to the "
                "next rank and tier, peers. 解释得分：各维度贡献、最强/最弱维度、与上一名次和上一梯队的差距。"),
    "tiers": (t_tiers, EditionArgs,
              "Tier (梯队/类) rules of an edition: thresholds, whether stated by the report or assumed, stated and computed "
              "members. 梯队划分：门槛（报告明示或推定）及成员。"),
    "whatif": (api.whatif, WhatIfArgs,
               "Re-weight the dimensions and get new composites, ranks and rank changes. 假设改变维度权重后的新得分与排名。"),
    "substitute": (t_substitute, SubstituteArgs,
                   "One entity's composite and rank if one of its dimension scores were another value, the rest as printed. "
                   "假设某城市某一维度得分改为给定值时的综合得分与排名。"),
    "sensitivity": (t_sensitivity, SensitivityArgs,
                    "Monte Carlo weight perturbation: median rank, 5-95% rank interval, probability of keeping the tier. "
                    "权重敏感性分析。"),
    "facts": (api.facts, FactsArgs,
              "Raw indicator values the reports state (value, unit, year, stated rank) with file and line; changes between two stated years; with `other`, two places' differences. "
              "报告正文给出的原始指标值（含单位、年份、排名及出处）及两地之差。"),
    "crossover": (api.crossover, CrossoverArgs,
                  "Per dimension, the weight (0-1, the others sharing the rest equally) at which two entities tie on the "
                  "composite, and who leads above it. 两个城市在某维度权重为多少（其余平分）时综合得分持平。"),
    "period_change": (api.period_change, PeriodChangeArgs,
                      "How an entity moved from the previous quarter (composite or one dimension): score now and before, "
                      "change in points and per cent, each stated or derived, with source lines. 某区县较上一季度的变化：现值、前值、变化分值与幅度。"),
    "year_before": (api.year_before, EditionArgs,
                    "The year-before figures a report prints beside its own lists (the 2019 GTII: each field's 2018 TOP10 "
                    "average and entry threshold), with today's and the change in points. 报告给出的上一年数字（各领域TOP10均值与门槛）及变化。"),
    "methodology": (t_methodology, EditionArgs,
                    "Method of an edition: dimensions and weights, indicators, normalisation, aggregation, tiers, each with "
                    "its source line. 版本的方法：维度与权重、指标、无量纲化、汇总方式、梯队规则及出处。"),
    "search_passages": (t_search, SearchArgs,
                        "Search the source reports for passages (bilingual), with optional filters; each result has file, "
                        "line range and section. 在原始报告中检索段落（可按版本、实体、文档、章节过滤）。"),
    "entity_editions": (t_entity_editions, EntityArgs,
                        "Where an entity appears across editions (composite, rank, tier); methods differ between editions. "
                        "某城市在各版本中的得分与排名（各版本方法不同）。"),
    "gap": (t_gap, GapArgs,
            "The difference between two entities on the printed and the computed composite, or on one dimension, and "
            "which is higher. 两个城市之间的差距（印刷值与计算值）及谁更高。"),
    "count": (t_count, CountArgs,
              "How many entities of an edition (or of its top N) are in a country, region or tier, which, and their share. "
              "统计某版本（或其前 N 名）中满足国别、地区、梯队条件的城市数量及名单。"),
    "placings": (t_placings, PlacingsArgs,
                 "On how many of an edition's dimensions or fields one entity ranks in the top N, and which. "
                 "某城市在几个维度或领域进入前 N 名，分别是哪些。"),
    "moves": (t_moves, MovesArgs,
              "How the entities ranked in two editions moved between them (rank in each, places climbed), and who is in "
              "both editions' top N. 两个版本之间各城市名次的变化（上升、下降）及两版都进前 N 名的城市。"),
    "find_value": (t_find_value, FindValueArgs,
                   "Where a score is printed: every edition's entity and measure with that value. 查找某分数出现在哪个版本、哪个城市的哪一项。"),
    "stats": (t_stats, StatsArgs,
              "Mean, median, highest, lowest and spread of an edition's printed scores (composite or one dimension), "
              "over all entities, the top / bottom N or one tier. 某版本得分的平均数、中位数、最高、最低与极差。"),
    "standing": (t_standing, ScoresArgs,
                 "One entity against its edition: its score per measure with the edition's median and leader. "
                 "某城市各项得分与该版本中位数、第一名的对比。"),
    "concept": (t_concept, ConceptArgs,
                "A reviewed definition, framework (with its parts), origin story or method statement from the reports, "
                "with its answer sentence (zh/en), verbatim quote and source lines. 报告中的定义、框架及组成、起源、方法说明（含出处）。"),
    "notes": (t_notes, NotesArgs,
              "The report's own inconsistencies (reviewed notes) and printed-vs-computed discrepancies. "
              "报告自身的矛盾（已审核的注记）及印刷值与计算值的差异。"),
}


def tool_error(exc: Exception) -> dict:
    if isinstance(exc, HardtechError):
        return {"error": exc.to_dict()}
    if isinstance(exc, ValidationError):
        return {"error": {"code": "invalid_arguments", "message": "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()),
            "hint": "Fix the arguments to match the tool's schema."}}
    return {"error": {"code": "tool_error", "message": f"{type(exc).__name__}: {exc}", "hint": None}}


class ToolRunner:
    """Runs tools by name, numbers the calls ``t1``, ``t2`` ..., keeps args and results.

    Every tool is a read-only function of the shipped data, so results are memoised per
    process by (name, arguments) (search has its own cache in :mod:`.retrieval`; concept data is
    re-read); each call is still recorded. Results are shared: read them, don't modify them."""

    def __init__(self, on_event: Callable[[str, dict], None] | None = None) -> None:
        self.calls: list[ToolCall] = []
        self.on_event = on_event

    def call(self, name: str, **args: Any) -> tuple[str, dict]:
        """Validate ``args`` against the tool's schema, run it, record it. Returns (id, result)."""
        cid = f"t{len(self.calls) + 1}"
        key = json.dumps(clean(args), ensure_ascii=False, sort_keys=True, default=str)
        clean_args, result = (_run if name not in UNCACHED else _run.__wrapped__)(name, key)
        call = ToolCall(id=cid, name=name, args=clean_args, result=result)
        self.calls.append(call)
        if self.on_event:
            self.on_event("tool", {"id": cid, "name": name, "args": call.args})
        return cid, result

    def ok(self, name: str, **args: Any) -> tuple[str, dict | None]:
        cid, res = self.call(name, **args)
        return cid, (None if "error" in res else res)


UNCACHED = {"search_passages", "concept"}


@functools.lru_cache(maxsize=4096)
def _run(name: str, args_json: str) -> tuple[dict, dict]:
    """(cleaned args, result) of one tool call; errors come back as data, never raised."""
    args = json.loads(args_json)
    if name not in TOOLS:
        return args, {"error": {"code": "unknown_tool", "message": f"No tool named {name!r}", "hint": f"Tools: {', '.join(TOOLS)}"}}
    fn, schema, _ = TOOLS[name]
    try:
        parsed = schema.model_validate(args)
        return clean(parsed.model_dump(exclude_none=True)), clean(fn(**parsed.model_dump()))
    except Exception as exc:  # errors go back to the caller (and the LLM) as data
        return clean(args), tool_error(exc)


def result_json(result: dict, limit: int = 12000) -> str:
    text = json.dumps(result, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[:limit] + " …(truncated)"


def langchain_tools(runner: ToolRunner) -> list:
    """The same tools as LangChain ``StructuredTool`` objects, recording into ``runner``."""
    from langchain_core.tools import StructuredTool

    out = []
    for name, (_, schema, desc) in TOOLS.items():
        def run(_name=name, **kwargs):
            cid, res = runner.call(_name, **kwargs)
            return result_json({"tool_call_id": cid, **res})

        out.append(StructuredTool.from_function(func=run, name=name, description=desc, args_schema=schema))
    return out
