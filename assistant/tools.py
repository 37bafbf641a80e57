"""The assistant's tools: thin, read-only adapters over :mod:`index_core.api` and
:mod:`assistant.retrieval`.

Each tool is a plain function returning JSON-ready data, with a pydantic argument
schema and a bilingual description. The offline planner calls them through a
:class:`ToolRunner` (which numbers the calls ``t1``, ``t2``, ... and keeps the
results for the number verifier); the LLM mode gets the same functions as
LangChain ``StructuredTool`` objects bound to the same runner.

No tool writes anything: none takes a path, and none calls a writing function.
"""
from __future__ import annotations

import json
import math
from typing import Annotated, Any, Callable

from pydantic import AfterValidator, BaseModel, Field, ValidationError

from index_core import api, io
from index_core.errors import HardtechError

from . import retrieval
from .envelope import ToolCall


# Editions are data (shipped and `hardtech edition add`): ids are checked against the core's
# list when a tool is called, and listed in the schema when it is generated.
def _known_edition(value: str) -> str:
    if value not in io.edition_ids():
        raise ValueError(f"unknown edition {value!r}; known: {', '.join(io.edition_ids())}")
    return value


def _weighted_edition(value: str) -> str:
    if not io.load_edition(_known_edition(value)).spec.weights:
        raise ValueError(f"edition {value!r} has no dimension weights to change")
    return value


def _edition_help() -> str:
    parts = []
    for eid in io.edition_ids():
        data = io.load_edition(eid)
        parts.append(f"{eid} ({data.spec.edition_year} {data.spec.title.zh}, {len(data.entities)} {data.spec.entity_kind.replace('_', ' ')} entities)")
    return ", ".join(parts)


def _edition_enum(schema: dict) -> None:
    # filled in when a schema is generated (not at import), so added editions are listed
    schema["enum"] = io.edition_ids()
    schema["description"] = f"{schema.get('description', '')} {_edition_help()}".strip()


EditionId = Annotated[str, AfterValidator(_known_edition), Field(json_schema_extra=_edition_enum)]
WeightedEditionId = Annotated[str, AfterValidator(_weighted_edition)]
_EDITION_HELP = "Edition id / 版本:"


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


# ----------------------------------------------------------------------------- schemas
class NoArgs(BaseModel):
    pass


class ScoresArgs(BaseModel):
    edition: EditionId = Field(description=_EDITION_HELP)
    entity: str = Field(description="City or district, any spelling / 城市或区县，中英文均可 (深圳, Shenzhen, 渝北区)")


class RankingArgs(BaseModel):
    edition: EditionId = Field(description=_EDITION_HELP)
    by: str | None = Field(default=None, description="Dimension key or Chinese name; omit for the composite / 维度键或中文名，省略则按综合指数")
    top: int = Field(default=10, ge=1, le=50, description="How many entities / 返回前 N 个")
    bottom: bool = Field(default=False, description="True for the bottom N / True 表示倒数 N 个")


class CompareArgs(BaseModel):
    edition: EditionId = Field(description=_EDITION_HELP)
    entities: list[str] = Field(min_length=2, max_length=8, description="Two or more cities / 两个以上城市")


class EditionArgs(BaseModel):
    edition: EditionId = Field(description=_EDITION_HELP)


class WhatIfArgs(BaseModel):
    edition: WeightedEditionId = Field(description="An edition with weighted dimensions / 有维度权重的版本")
    weights: dict[str, float] = Field(description="Dimension key -> weight (normalised to sum 1) / 维度 -> 权重，如 {\"innovation_base\": 1, ...}")


class SensitivityArgs(BaseModel):
    edition: WeightedEditionId = Field(description="An edition with weighted dimensions / 有维度权重的版本")
    draws: int = Field(default=1000, ge=10, le=5000, description="Monte Carlo draws / 抽样次数")
    spread: float = Field(default=0.25, gt=0, le=1, description="Relative weight perturbation / 权重扰动幅度")
    seed: int = Field(default=0, description="Random seed / 随机种子")


class FactsArgs(BaseModel):
    edition: EditionId | None = Field(default=None, description=_EDITION_HELP + " Omit for all.")
    entity: str | None = Field(default=None, description="City or district / 城市或区县")
    indicator: str | None = Field(default=None, description="Indicator number or part of its zh/en name / 指标序号或名称片段")


class SearchArgs(BaseModel):
    query: str = Field(min_length=1, max_length=500, description="What to look for, Chinese or English / 检索内容")
    k: int = Field(default=5, ge=1, le=10, description="Number of passages / 段落数")
    edition: EditionId | None = Field(default=None, description="Only passages backing this edition / 仅限该版本")
    entity: str | None = Field(default=None, description="Only passages mentioning this entity (canonical Chinese name) / 仅限提及该实体的段落")
    document: str | None = Field(default=None, description="Document id (000-004) or file name / 文档编号或文件名")
    section: str | None = Field(default=None, description="Part of the section path / 章节名片段")


class EntityArgs(BaseModel):
    entity: str = Field(description="City or district / 城市或区县")


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
    return out


def t_ranking(edition: str, by: str | None = None, top: int = 10, bottom: bool = False) -> dict:
    out = api.ranking(edition, by=by, top=top, bottom=bottom)
    key = "composite" if out["by"] == "composite" else f"{out['by']}.score"
    disc = {d["entity"]: d for d in api.discrepancies(edition) if d["measure"] in (key, f"{out['by']}.rank")}
    for e in out["entities"]:
        src = published_sources(edition, e["name"])
        if key in src:
            e["source"] = src[key]
        if e["name"] in disc:
            e["discrepancy"] = disc[e["name"]]  # printed vs computed composite, or a printed rank out of order
    return out


def t_compare(edition: str, entities: list[str]) -> dict:
    out = api.compare(edition, entities)
    for e in out["entities"]:
        e["sources"] = published_sources(edition, e["name"])
    return out


def t_explain(edition: str, entity: str) -> dict:
    out = api.explain(edition, entity)
    out["sources"] = published_sources(edition, out["entity"])
    return out


def t_tiers(edition: str) -> dict:
    out = api.tiers(edition)
    for t in out["tiers"]:
        s = t.get("source")
        if s and s.get("file") and s.get("line"):
            t["source_text"] = retrieval.line_text(s["file"], int(s["line"]))
    return out


def t_whatif(edition: str, weights: dict[str, float]) -> dict:
    return api.whatif(edition, weights)


def t_sensitivity(edition: str, draws: int = 1000, spread: float = 0.25, seed: int = 0) -> dict:
    out = api.sensitivity(edition, draws=draws, spread=spread, seed=seed)
    out["interval"] = "5th-95th percentile of the simulated ranks"
    return out


def t_facts(edition: str | None = None, entity: str | None = None, indicator: str | None = None) -> dict:
    return api.facts(edition, entity, indicator)


def t_methodology(edition: str) -> dict:
    m = api.methodology(edition)

    def src(s):
        if isinstance(s, dict) and s.get("file") and s.get("line"):
            return {"file": s["file"], "line": int(s["line"]), "text": retrieval.line_text(s["file"], int(s["line"]))}
        return None

    return {
        "edition": m["id"], "title": m.get("title"), "report": m.get("report"), "data_level": m.get("data_level"),
        "data_year": m.get("data_year"),
        "dimensions": [{"key": d["key"], "zh": d["zh"], "en": d["en"], "weight": d.get("weight"), "source": src(d.get("source"))}
                       for d in m.get("dimensions") or []],
        "indicators": [{"no": i.get("no"), "zh": i["zh"], "en": i.get("en"), "dimension": i.get("dimension"), "unit": i.get("unit")}
                       for i in m.get("indicators") or []],
        "indicator_weights": m.get("indicator_weights"),
        "normalisation": {**{k: v for k, v in (m.get("normalisation") or {}).items() if k != "source"},
                          "source": src((m.get("normalisation") or {}).get("source"))},
        "aggregation": {**{k: v for k, v in (m.get("aggregation") or {}).items() if k != "source"},
                        "source": src((m.get("aggregation") or {}).get("source"))},
        "tiers": [{"tier": r["tier"], "zh": r["zh"], "en": r["en"], "threshold": r.get("threshold"), "status": r.get("status")}
                  for r in ((m.get("tiers") or {}).get("rules") or [])],
        "resolved_thresholds": m.get("resolved_thresholds"),
        "entity_count": m.get("entity_count"),
        "sections": (m.get("source") or {}).get("sections"),
        "source_file": (m.get("source") or {}).get("file"),
    }


def t_search(query: str, k: int = 5, edition: str | None = None, entity: str | None = None,
             document: str | None = None, section: str | None = None) -> dict:
    if entity:
        entity = api.resolve_entity(entity)
    hits = retrieval.search(query, k=k, edition=edition, entity=entity, document=document, section=section)
    return {"query": query, "results": [h.to_dict() for h in hits]}


def t_entity_editions(entity: str) -> dict:
    name = api.resolve_entity(entity)
    eds = api.entity_editions(name)
    for e in eds:  # the tier's name and status (stated / assumed / not named by the report)
        if e.get("tier") is not None:
            row = api.entity_scores(e["edition"], name)
            e.update(tier_label=row["tier_label"], tier_label_en=row["tier_label_en"], tier_status=row["tier_status"])
    return {"entity": name, "editions": eds,
            "caveat": "Editions use different indicators, weights and city sets; compare ranks, not raw scores."}


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
    "whatif": (t_whatif, WhatIfArgs,
               "Re-weight the dimensions and get new composites, ranks and rank changes. 假设改变维度权重后的新得分与排名。"),
    "sensitivity": (t_sensitivity, SensitivityArgs,
                    "Monte Carlo weight perturbation: median rank, 5-95% rank interval, probability of keeping the tier. "
                    "权重敏感性分析。"),
    "facts": (t_facts, FactsArgs,
              "Raw indicator values the reports state (value, unit, year, stated rank) with file and line. "
              "报告正文给出的原始指标值（含单位、年份、排名及出处）。"),
    "methodology": (t_methodology, EditionArgs,
                    "Method of an edition: dimensions and weights, indicators, normalisation, aggregation, tiers, each with "
                    "its source line. 版本的方法：维度与权重、指标、无量纲化、汇总方式、梯队规则及出处。"),
    "search_passages": (t_search, SearchArgs,
                        "Search the source reports for passages (bilingual), with optional filters; each result has file, "
                        "line range and section. 在原始报告中检索段落（可按版本、实体、文档、章节过滤）。"),
    "entity_editions": (t_entity_editions, EntityArgs,
                        "Where an entity appears across editions (composite, rank, tier); methods differ between editions. "
                        "某城市在各版本中的得分与排名（各版本方法不同）。"),
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
    """Runs tools by name, numbers the calls ``t1``, ``t2`` ..., keeps args and results."""

    def __init__(self, on_event: Callable[[str, dict], None] | None = None) -> None:
        self.calls: list[ToolCall] = []
        self.on_event = on_event

    def call(self, name: str, **args: Any) -> tuple[str, dict]:
        """Validate ``args`` against the tool's schema, run it, record it. Returns (id, result)."""
        cid = f"t{len(self.calls) + 1}"
        if name not in TOOLS:
            result: dict = {"error": {"code": "unknown_tool", "message": f"No tool named {name!r}",
                                      "hint": f"Tools: {', '.join(TOOLS)}"}}
            clean_args = dict(args)
        else:
            fn, schema, _ = TOOLS[name]
            try:
                parsed = schema.model_validate(args)
                clean_args = parsed.model_dump(exclude_none=True)
                result = clean(fn(**parsed.model_dump()))
            except Exception as exc:  # errors go back to the caller (and the LLM) as data
                clean_args = {k: v for k, v in args.items()}
                result = tool_error(exc)
        call = ToolCall(id=cid, name=name, args=clean(clean_args), result=result)
        self.calls.append(call)
        if self.on_event:
            self.on_event("tool", {"id": cid, "name": name, "args": call.args})
        return cid, result

    def ok(self, name: str, **args: Any) -> tuple[str, dict | None]:
        cid, res = self.call(name, **args)
        return cid, (None if "error" in res else res)


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
