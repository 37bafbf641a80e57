"""Argument schemas of the assistant's tools (pydantic, with bilingual descriptions the LLM
mode shows the model). Edition ids come from the core's data, so a new edition needs no code."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field

from index_core import io


# Editions are data (shipped and `hardtech edition add`): an id is checked against the core's
# list when a tool is called, and the list is written into the schema when one is generated,
# so an edition added while the process runs is usable at once and nothing loads at import.
def _known_edition(value: str) -> str:
    if value not in io.edition_ids():
        raise ValueError(f"unknown edition {value!r}; known: {', '.join(io.edition_ids())}")
    return value


def _weighted_edition(value: str) -> str:
    dims = io.load_edition(_known_edition(value)).spec.dimensions
    if not dims or any(d.weight is None for d in dims):
        raise ValueError(f"edition {value!r} has no dimension weights to change")
    return value


def _edition_help() -> str:
    parts = []
    for eid in io.edition_ids():
        data = io.load_edition(eid)
        parts.append(f"{eid} ({data.spec.edition_year} {data.spec.title.zh}, {len(data.entities)} {data.spec.entity_kind})")
    return "; ".join(parts)


def _edition_enum(schema: dict) -> None:
    schema["enum"] = list(io.edition_ids())
    schema["description"] = f"{schema.get('description', '')} {_edition_help()}".strip()


EditionId = Annotated[str, AfterValidator(_known_edition), Field(json_schema_extra=_edition_enum)]
WeightedEditionId = Annotated[str, AfterValidator(_weighted_edition), Field(json_schema_extra=_edition_enum)]

# The longest ranking a tool returns: every edition's entities (45 at most today) fit.
RANKING_MAX = 60

_EDITION_HELP = "Edition id / 版本:"


class NoArgs(BaseModel):
    pass


class ScoresArgs(BaseModel):
    edition: EditionId = Field(description=_EDITION_HELP)
    entity: str = Field(description="City or district, any spelling / 城市或区县，中英文均可 (深圳, Shenzhen, 渝北区)")


class RankingArgs(BaseModel):
    edition: EditionId = Field(description=_EDITION_HELP)
    by: str | None = Field(default=None, description="Dimension key or Chinese name; omit for the composite / 维度键或中文名，省略则按综合指数")
    top: int = Field(default=10, ge=1, le=RANKING_MAX, description="How many entities / 返回前 N 个")
    bottom: bool = Field(default=False, description="True for the bottom N / True 表示倒数 N 个")


class StatsArgs(BaseModel):
    edition: EditionId = Field(description=_EDITION_HELP)
    by: str | None = Field(default=None, description="Dimension key or Chinese name; omit for the composite / 维度，省略则按综合指数")
    top: int | None = Field(default=None, ge=1, le=RANKING_MAX, description="Only the top (or bottom) N; omit for all / 仅前 N 名")
    bottom: bool = Field(default=False, description="With top: the bottom N / 与 top 合用：倒数 N 名")
    tier: int | None = Field(default=None, ge=1, le=9, description="Only this tier's or class's members / 仅该梯队或类别的成员")
    entities: list[str] | None = Field(default=None, min_length=2, max_length=60,
                                       description="Only these entities / 仅这些城市或区县")


class PlacingsArgs(BaseModel):
    edition: EditionId = Field(description=_EDITION_HELP)
    entity: str = Field(description="City or district / 城市或区县")
    top: int = Field(default=10, ge=1, le=RANKING_MAX, description="The top N each dimension is checked against / 前 N 名")


class MovesArgs(BaseModel):
    edition: EditionId = Field(description=_EDITION_HELP + " (the earlier)")
    other: EditionId = Field(description="The later edition / 较晚的版本")
    top: int | None = Field(default=None, ge=1, le=RANKING_MAX, description="Also: who is in the top N of both / 两版都进前 N 名")


class FindValueArgs(BaseModel):
    value: float = Field(ge=0, le=100, description="A score in [0, 100] / 要查找的分数")
    tolerance: float = Field(default=0.005, ge=0, le=1, description="How close counts as the same / 容差")


class CompareArgs(BaseModel):
    edition: EditionId = Field(description=_EDITION_HELP)
    entities: list[str] = Field(min_length=2, max_length=60, description="Two or more cities / 两个以上城市")


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
    other: str | None = Field(default=None, description="A second place: both places' values and their differences "
                              "(entity minus other, same year) / 第二个城市：两地同年数值之差")


class SearchArgs(BaseModel):
    query: str = Field(min_length=1, max_length=500, description="What to look for, Chinese or English / 检索内容")
    k: int = Field(default=5, ge=1, le=10, description="Number of passages / 段落数")
    edition: EditionId | None = Field(default=None, description="Only passages backing this edition / 仅限该版本")
    entity: str | None = Field(default=None, description="Only passages mentioning this entity (canonical Chinese name) / 仅限提及该实体的段落")
    document: str | None = Field(default=None, description="Document id (000-004) or file name / 文档编号或文件名")
    section: str | None = Field(default=None, description="Part of the section path / 章节名片段")


class PeriodChangeArgs(BaseModel):
    edition: EditionId = Field(description=_EDITION_HELP)
    entity: str = Field(description="District or city / 区县或城市")
    by: str | None = Field(default=None, description="Dimension key or name; omit for the composite / 维度，省略则按综合指数")


class GapArgs(BaseModel):
    edition: EditionId = Field(description=_EDITION_HELP)
    entity: str = Field(description="First entity / 第一个城市或区县")
    other: str = Field(description="Second entity / 第二个城市或区县")
    by: str | None = Field(default=None, description="Dimension key or name; omit for the composite / 维度，省略则按综合指数")
    other_by: str | None = Field(default=None, description="The second side's dimension when it differs from `by` (one entity's "
                                 "two dimensions: entity = other) / 第二方的维度（同一城市的两个维度之差）")


class CrossoverArgs(BaseModel):
    edition: WeightedEditionId = Field(description=_EDITION_HELP)
    entity: str = Field(description="First entity / 第一个城市")
    other: str = Field(description="Second entity / 第二个城市")


class CountArgs(BaseModel):
    edition: EditionId = Field(description=_EDITION_HELP)
    top: int | None = Field(default=None, ge=1, le=RANKING_MAX, description="Only the top N of the ranking / 仅统计前 N 名")
    by: str | None = Field(default=None, description="Ranking dimension for top N; omit for the composite / 排名维度")
    country: str | None = Field(default=None, description="Country as the registry names it (中国, 美国, 日本) / 国别")
    exclude_country: str | None = Field(default=None, description="Every country but this one (中国: the foreign cities) / 排除的国别")
    region: str | None = Field(default=None, description="Province (广东, 重庆) or zone of provinces (东部, 中部, 西部, 南方, 北方) / 省份或地区")
    tier: int | None = Field(default=None, ge=1, le=9, description="Tier or class number / 梯队或类别")
    tiers: list[Annotated[int, Field(ge=1, le=9)]] | None = Field(default=None, max_length=9,
                                                                  description="Any of these tiers (3 and 4: [3, 4]) / 属于其中任一梯队")
    min_score: float | None = Field(default=None, ge=0, le=100, description="Score at least this (composite, or `by`) / 得分不低于")
    max_score: float | None = Field(default=None, ge=0, le=100, description="Score below this (composite, or `by`) / 得分低于")
    exclude: list[str] | None = Field(default=None, max_length=10, description="Entities set aside (\"apart from Beijing\") / 除去的城市或区县")


class NotesArgs(BaseModel):
    edition: EditionId = Field(description=_EDITION_HELP)
    entity: str | None = Field(default=None, description="City or district; omit for all / 城市或区县，省略则全部")


class EntityArgs(BaseModel):
    entity: str = Field(description="City or district / 城市或区县")


class ConceptArgs(BaseModel):
    topic: str = Field(min_length=1, max_length=200, description="Term, framework or concept id / 术语、框架或概念（硬科技, technology pyramid）")
    aspect: str | None = Field(default=None, description="definition | origin | parts | fields | data_year; omit for any / 问的方面")
    question: str = Field(default="", max_length=2000, description="The question, to match names inside it / 原问题")
    edition: str | None = Field(default=None, max_length=40, description="Prefer entries about this edition id / 优先该版本的条目")
