"""Aggregates over an edition, as tools: how many entities pass filters ("how many Chinese cities
in the top 15", "score above 50") and summary statistics of a ranking ("average of the top 5",
"the median", "the spread between first and last"). Computed here, in a tool, so every number an
answer states comes from a tool result the verifier can read."""
from __future__ import annotations

import functools
import statistics
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from index_core import api, io
from index_core.errors import HardtechError

from . import thresholds
from .tool_args import WeightedEditionId


def t_stats(edition: str, by: str | None = None, top: int | None = None, bottom: bool = False,
            tier: int | None = None, entities: list[str] | None = None) -> dict:
    """Mean, median, highest, lowest and spread (highest - lowest) of the printed scores of an
    edition's ranking (composite or ``by``), over all entities, the top / bottom ``top``, the
    members of ``tier`` or the ``entities`` named. Scores are in [0, 100]; values rounded to 2 decimals."""
    res = api.ranking(edition, by=by, top=top, bottom=bottom)
    members = {r["name"] for r in api.scores(edition)["entities"] if r.get("tier") == tier} if tier else \
        {api.resolve_entity(e, edition) for e in entities} if entities else None
    rows = [{"name": e["name"], "rank": e["rank"], "score": e["score"]} for e in res["entities"]
            if e.get("score") is not None and (members is None or e["name"] in members)]
    out: dict = {"edition": edition, "by": res["by"], "of": res["of"], "top": top, "bottom": bottom, "tier": tier,
                 "entities": [r["name"] for r in rows] if entities else None, "n": len(rows)}
    if not rows:
        return out
    values = [r["score"] for r in rows]
    high = max(rows, key=lambda r: r["score"])
    low = min(rows, key=lambda r: r["score"])
    ordered = sorted(rows, key=lambda r: r["score"])
    mid = len(ordered) // 2
    middle = ordered[mid - 1:mid + 1] if len(ordered) % 2 == 0 else ordered[mid:mid + 1]
    out.update(mean=round(statistics.fmean(values), 2), median=round(statistics.median(values), 2),
               highest=high, lowest=low, spread=round(high["score"] - low["score"], 2),
               middle=middle, total=round(sum(values), 2))
    return out


ZONES = Path(__file__).with_name("zones.yaml")


@functools.lru_cache(maxsize=1)
def zones() -> dict[str, dict]:
    """Zone (东部, 南方…) -> {"en": its English name, "regions": the provinces in it} (``zones.yaml``)."""
    return yaml.safe_load(ZONES.read_text(encoding="utf-8"))


def _in_region(name: str, region: str) -> bool:
    """Is the entity in ``region``: a province (the registry's region) or a zone of provinces?"""
    own = io.load_registry().get(name).region
    return own == region or own in (zones().get(region) or {}).get("regions", ())


def _country(name: str) -> str:
    """A registry entity's country: global cities carry it as their region; the others are Chinese."""
    e = io.load_registry().get(name)
    return e.region if e.kind == "global_city" else "中国"


def _listed(edition: str) -> dict[str, dict]:
    """name -> the line of the edition's city list that prints it with its country (GTII's table 2),
    for editions that list more entities than they score; empty otherwise."""
    path = io.load_edition(edition).folder / "cities.csv"
    if not path.is_file():
        return {}
    return {r["entity"]: {"source_file": r["source_file"], "line": int(r["line"]), "printed": r.get("country_zh") or r["entity"]}
            for r in io.read_entity_rows(path) if r.get("source_file") and r.get("line")}


def t_count(edition: str, top: int | None = None, by: str | None = None, country: str | None = None,
            region: str | None = None, tier: int | None = None, exclude_country: str | None = None,
            min_score: float | None = None, max_score: float | None = None, tiers: list[int] | None = None,
            exclude: list[str] | None = None) -> dict:
    """How many entities of an edition (or of its top N) satisfy the filters, and which; a score range
    [``min_score``, ``max_score``) on ``by`` or the composite is read by :func:`thresholds.select`;
    ``exclude`` sets named entities aside ("apart from Beijing")."""
    aside = {api.resolve_entity(e, edition) for e in exclude or ()}
    ranked = api.ranking(edition, by=by, top=top)["entities"] if top else None
    rows = {r["name"]: r for r in api.scores(edition)["entities"]}
    pool = [r["name"] for r in ranked] if ranked is not None else [n for n in io.load_edition(edition).entities]
    members = [n for n in pool
               if (country is None or _country(n) == country)
               and (exclude_country is None or _country(n) != exclude_country)
               and (region is None or _in_region(n, region))
               and (tier is None or (n in rows and rows[n]["tier"] == tier))
               and (not tiers or (n in rows and rows[n]["tier"] in tiers)) and n not in aside]
    undecided: list[str] = []
    if min_score is not None or max_score is not None:
        tier_rules = api.tiers(edition) if not by and io.load_edition(edition).spec.tiers else None
        members, undecided = thresholds.select(members, rows, by, min_score, max_score, tier_rules)
    out_rows = []
    placed = {r["name"]: r["rank"] for r in ranked or []}
    # a country filter over the whole edition rests on the line that prints each city with its country
    listed = _listed(edition) if (country or exclude_country) and not top and not by else {}
    for n in members:
        r = rows.get(n, {})
        src = api.sources(edition, n)
        # on a field / dimension the rank and the cited line are that measure's, not the composite's
        own = ((r.get("dimensions") or {}).get(by) or {}).get("rank") if by else r.get("rank")
        out_rows.append({"name": n, "rank": placed.get(n, own), "composite": r.get("published_composite") or r.get("composite"),
                         "tier": r.get("tier"),
                         "source": listed.get(n) or (src.get(f"{by}.score") if by else None) or src.get("composite"),
                         **({"score": thresholds.score_of(r, by)} if by else {})})
    return {"edition": edition, "pool": len(pool), "top": top, "by": by or "composite", "count": len(members),
            "share": round(len(members) / len(pool), 6) if pool else None,
            "filters": {k: v for k, v in {"country": country, "exclude_country": exclude_country, "region": region,
                                          "tier": tier, "tiers": tiers, "min_score": min_score, "max_score": max_score,
                                          "exclude": sorted(aside) or None}.items()
                        if v is not None},
            "members": out_rows, **({"undecided": undecided} if undecided else {})}


def t_placings(edition: str, entity: str, top: int = 10) -> dict:
    """On how many of an edition's dimensions (GTII's fields, which print only their TOP10) the
    entity ranks in the top ``top``, and on which: each with its rank, score (0-100) and printed line."""
    name = api.resolve_entity(entity, edition)
    row = next(r for r in api.scores(edition)["entities"] if r["name"] == name)
    src = api.sources(edition, name)
    dims = [{"key": k, "rank": d["rank"], "score": d["score"], "source": src.get(f"{k}.score")}
            for k, d in row["dimensions"].items() if d.get("rank") is not None and d["rank"] <= top]
    return {"edition": edition, "entity": name, "top": top, "of": len(row["dimensions"]), "count": len(dims),
            "dimensions": dims}


def t_moves(edition: str, other: str, top: int | None = None) -> dict:
    """How the entities ranked in both ``edition`` and the later ``other`` moved between them: each
    one's composite rank in both and ``move`` (places climbed, > 0 up, < 0 down), the largest climb
    first; with ``top``, ``both_top`` names those inside the top ``top`` of both. Different editions
    use different methods and entity sets, so ranks, not scores, are compared."""
    a, b = ({r["name"]: r for r in api.ranking(e)["entities"] if r.get("rank") is not None} for e in (edition, other))
    rows = [{"name": n, "rank": a[n]["rank"], "other_rank": b[n]["rank"], "move": a[n]["rank"] - b[n]["rank"],
             "sources": {"rank": api.sources(edition, n).get("rank"), "other_rank": api.sources(other, n).get("rank")}}
            for n in a if n in b]
    rows.sort(key=lambda r: (-r["move"], r["other_rank"]))
    out = {"edition": edition, "other": other, "of": len(a), "other_of": len(b), "common": len(rows), "entities": rows,
           "rose": sum(r["move"] > 0 for r in rows), "fell": sum(r["move"] < 0 for r in rows)}
    if top:
        out.update(top=top, both_top=sorted((r for r in rows if r["rank"] <= top and r["other_rank"] <= top),
                                            key=lambda r: r["other_rank"]))
    return out


def t_find_value(value: float, tolerance: float = 0.005) -> dict:
    """Where a score is printed (or computed): every edition's composite and dimension scores within
    ``tolerance`` of ``value`` (points in [0, 100]), each with its entity, measure and line; the
    composites first. "Chongqing scored 87.89" finds 渝北区's composite in the district index."""
    matches = []
    for e in api.list_editions():
        eid = e["id"]
        for row in api.scores(eid)["entities"]:
            measures = [("composite", row.get("published_composite") if row.get("published_composite") is not None
                         else row.get("composite"))] + [(k, d.get("score")) for k, d in (row.get("dimensions") or {}).items()]
            matches += [{"edition": eid, "entity": row["name"], "measure": k, "value": v}
                        for k, v in measures if v is not None and abs(float(v) - value) <= tolerance]
    for m in matches:  # the lines, looked up for the few found only
        m["source"] = api.sources(m["edition"], m["entity"]).get("composite" if m["measure"] == "composite" else f"{m['measure']}.score")
    matches.sort(key=lambda m: m["measure"] != "composite")
    return {"value": value, "tolerance": tolerance, "count": len(matches), "matches": matches}


class SubstituteArgs(BaseModel):
    edition: WeightedEditionId = Field(description="An edition with weighted dimensions / 有维度权重的版本")
    entity: str = Field(description="The entity whose dimension score is supposed / 假设其维度得分改变的城市或区县")
    dimension: str = Field(description="Dimension key, e.g. hardtech_enterprises / 维度键")
    score: float = Field(ge=0, le=100, description="The supposed dimension score, 0-100 / 假设的维度得分（0–100）")


def t_substitute(edition: str, entity: str, dimension: str, score: float) -> dict:
    """One entity's composite and rank if its score on ``dimension`` were ``score`` (0-100), every
    other score as printed: the composite is re-weighted with the edition's own weights over the
    dimensions the entity has scores for, and ranked against the others' computed composites (the
    same baseline as the ``whatif`` tool; ``composite_change`` is the difference, ``weight`` the
    dimension's, 0..1). Scores rounded to 2 decimals."""
    weights = {d["key"]: d["weight"] for d in api.methodology(edition)["dimensions"]}
    rows = api.scores(edition)["entities"]
    me = next((r for r in rows if r["name"] == entity), None)
    if me is None or dimension not in weights or weights[dimension] is None:
        raise HardtechError(f"no {dimension!r} score of {entity!r} in {edition}: pick an entity and a weighted dimension of it")
    dims = {k: (v or {}).get("score") for k, v in (me.get("dimensions") or {}).items()}
    was = dims.get(dimension)
    dims[dimension] = float(score)
    known = {k: v for k, v in dims.items() if v is not None and weights.get(k) is not None}
    total = sum(weights[k] for k in known)
    composite = sum(weights[k] * v for k, v in known.items()) / total
    others = [r["composite"] for r in rows if r["name"] != entity and r.get("composite") is not None]
    return {"edition": edition, "entity": entity, "dimension": dimension, "score": float(score), "was_score": was,
            "weights": weights, "weight": weights[dimension], "composite": round(composite, 2),
            "baseline_composite": me.get("composite"),
            "composite_change": round(round(composite, 2) - me["composite"], 2) if me.get("composite") is not None else None,
            "rank": 1 + sum(c > composite for c in others), "baseline_rank": me.get("rank"), "of": len(rows)}
