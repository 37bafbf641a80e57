"""The public Python API: the functions the CLI, the HTTP service and the assistant's
tools all call. Each returns plain JSON-ready data (dicts, lists, numbers, strings).

Scores are points on [0, 100] (composites and dimension scores, rounded to 2
decimals for display; ``*_exact`` fields keep full precision), ranks are 1-based
competition ranks, tiers are 1-based (1 = best).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping

import pandas as pd

from . import analysis, inputs, io, periods
from .facts import changes as fact_changes, differences as fact_differences, rows as fact_rows
from .edition import EditionResult, compute_from_raw, evaluate
from .errors import EntityNotInEditionError, HardtechError, NotAvailableError
from .spec import Spec

__all__ = [
    "list_editions", "result", "resolve_entity", "scores", "entity_scores", "ranking",
    "compare", "explain", "tiers", "whatif", "sensitivity", "facts", "methodology", "discrepancies", "sources", "notes",
    "compute", "entity_editions", "consistency", "reload", "period_change", "crossover", "gap_by_dimension",
    "fact_changes", "fact_differences",
]


@lru_cache(maxsize=None)
def result(edition: str) -> EditionResult:
    """The evaluated edition (cached per process): computed from raw indicators when the
    edition ships them, else from the numbers the report prints."""
    data = io.load_edition(edition)
    return compute_from_raw(data.spec, data.raw) if data.raw is not None else evaluate(data)


def reload() -> dict:
    """Pick up editions added or removed since the process started (``hardtech edition add``).

    Clears the core's caches and every hook registered with :func:`index_core.catalog.on_reload`;
    returns the edition ids now known. Cheap: editions are read again on first use."""
    result.cache_clear()
    io.reload()
    return {"editions": io.edition_ids()}


def list_editions() -> list[dict]:
    """One summary per edition (shipped, then the user's; ``origin`` says which)."""
    out = []
    for eid in io.edition_ids():
        data = io.load_edition(eid)
        spec = data.spec
        out.append({
            "id": spec.id, "origin": data.origin, "title_zh": spec.title.zh, "title_en": spec.title.en,
            "report_zh": spec.report.zh if spec.report else None, "report_en": spec.report.en if spec.report else None,
            "edition_year": spec.edition_year, "entity_kind": spec.entity_kind,
            "entities": len(data.entities), "data_level": spec.data_level,
            "dimensions": [d.key for d in spec.dimensions], "source_file": spec.source.file,
        })
    return out


def resolve_entity(name: str, edition: str | None = None) -> str:
    """Canonical name for any alias; with ``edition``, the entity must belong to it."""
    registry = io.load_registry()
    members = io.load_edition(edition).entities if edition else None
    entity = registry.resolve(name, among=members)
    if edition and entity.name not in members:
        nearest = [e["edition"] for e in entity_editions(entity.name)]
        raise EntityNotInEditionError(
            f"{entity.name} ({entity.name_en}) is not among the {len(members)} entities of edition {edition}",
            hint=(f"It appears in: {', '.join(nearest)}." if nearest else "It appears in no shipped edition.")
            + f" `hardtech scores --edition {edition}` lists the edition's entities.",
            suggestions=registry.suggest(name, among=members),
        )
    return entity.name


def entity_editions(name: str) -> list[dict]:
    """Every edition an entity appears in, with composite, rank and tier (methods differ)."""
    return analysis.cross_edition([result(e) for e in io.edition_ids()], name)


def _entity_row(r: EditionResult, name: str) -> dict:
    row = r.table.loc[name]
    ent = io.load_registry().get(name)
    tier = _int(row["tier"])
    return {
        "name": name,
        "name_en": ent.name_en,
        "composite": _round(row["composite"]),
        "composite_exact": _exact(row["composite"]),
        "composite_source": _str(row["composite_source"]),
        "published_composite": _round(row["published_composite"]),
        "rank": _int(row["rank"]),
        "published_rank": _int(row["published_rank"]),
        "tier": tier,
        "tier_label": analysis.tier_label(r, tier, "zh"),
        "tier_label_en": analysis.tier_label(r, tier, "en"),
        "tier_status": row["tier_status"],
        "stated_tier": _int(row["stated_tier"]),
        "dimensions": {
            k: {"score": _round(row[f"{k}.score"]), "rank": _int(row[f"{k}.rank"])}
            for k in r.dimension_keys
        },
    }


def scores(edition: str, entity: str | None = None) -> dict:
    """Every entity's composite, rank, tier and dimension scores (or one entity's)."""
    r = result(edition)
    names = [resolve_entity(entity, edition)] if entity else list(r.table.index)
    return {"edition": edition, "of": len(r.table), "entities": [_entity_row(r, n) for n in names]}


def entity_scores(edition: str, entity: str) -> dict:
    """One entity's row, plus where it appears in other editions."""
    name = resolve_entity(entity, edition)
    row = _entity_row(result(edition), name)
    row["edition"] = edition
    row["of"] = len(result(edition).table)
    row["other_editions"] = [e for e in entity_editions(name) if e["edition"] != edition]
    return row


def ranking(edition: str, by: str | None = None, top: int | None = None, bottom: bool = False) -> dict:
    """Entities ordered by composite, or by one dimension (``by`` = key or Chinese name)."""
    r = result(edition)
    if by:
        key = _dimension_key(r.spec, by)
        score_col, rank_col = f"{key}.score", f"{key}.rank"
    else:
        key, score_col, rank_col = None, "composite", "rank"
    t = r.table[[score_col, rank_col]].dropna(subset=[rank_col]).sort_values([rank_col, score_col], ascending=[True, False])
    if bottom:
        t = t.iloc[::-1]
    if top is not None:
        t = t.head(inputs.TOP.check(top))
    reg = io.load_registry()
    return {
        "edition": edition, "by": key or "composite", "of": len(r.table), "order": "bottom" if bottom else "top",
        "entities": [{"name": n, "name_en": reg.get(n).name_en, "score": _round(row[score_col]), "rank": _int(row[rank_col])}
                     for n, row in t.iterrows()],
    }


def compare(edition: str, entities: Iterable[str]) -> dict:
    """Side by side: composite, rank, tier and every dimension for several entities."""
    entities = list(entities)
    inputs.COMPARE_NAMES.check(len(entities))
    names = [resolve_entity(e, edition) for e in entities]
    r = result(edition)
    rows = [_entity_row(r, n) for n in names]
    leader = {k: max(rows, key=lambda x: x["dimensions"][k]["score"] if x["dimensions"][k]["score"] is not None else -1)["name"]
              for k in r.dimension_keys}
    return {"edition": edition, "of": len(r.table), "entities": rows, "leader_by_dimension": leader}


def explain(edition: str, entity: str) -> dict:
    """Contributions, strengths, weaknesses, gaps to next rank/tier, peers, other editions."""
    r = result(edition)
    name = resolve_entity(entity, edition)
    out = analysis.explain(r, name)
    out["name_en"] = io.load_registry().get(name).name_en
    out["tier_label"] = analysis.tier_label(r, out["tier"], "zh")
    out["tier_label_en"] = analysis.tier_label(r, out["tier"], "en")
    out["other_editions"] = [e for e in entity_editions(name) if e["edition"] != edition]
    if out["other_editions"]:
        out["caveat"] = "Editions use different indicators, weights and city sets; compare ranks, not raw scores, and with care."
    out["discrepancies"] = [d for d in r.discrepancies if d["entity"] == name]
    return out


def tiers(edition: str) -> dict:
    """Tier rules (threshold, stated or assumed), stated and computed membership."""
    r = result(edition)
    if r.spec.tiers is None:
        raise NotAvailableError(f"Edition {edition} defines no tiers", hint="Use ranking instead.")
    out = []
    numbers = sorted({int(t) for t in r.table["tier"].dropna()} | {th.tier for th in r.thresholds})
    rules = {rule.tier: rule for rule in r.spec.tiers.rules}
    for n in numbers:
        rule = rules.get(n)
        th = next((t for t in r.thresholds if t.tier == n), None)
        members = r.table[r.table["tier"] == n].sort_values("rank").index.tolist()
        out.append({
            "tier": n,
            "label_zh": analysis.tier_label(r, n, "zh"), "label_en": analysis.tier_label(r, n, "en"),
            "alias_zh": rule.alias_zh if rule else None, "alias_en": rule.alias_en if rule else None,
            "threshold": th.threshold if th else None,
            "status": th.status if th else "unnamed",
            "stated_members": r.stated_tiers.get(n, []),
            "members": members,
            "source": rule.source.model_dump() if rule and rule.source else None,
            "alias_source": rule.alias_source.model_dump() if rule and rule.alias_source else None,
        })
    return {"edition": edition, "basis": r.spec.tiers.basis, "tiers": out}


def whatif(edition: str, weights: Mapping[str, float]) -> dict:
    """New composites, ranks, tiers and rank changes under other dimension weights."""
    r = result(edition)
    keyed = {_dimension_key(r.spec, k): v for k, v in inputs.weights(weights).items()}
    df = analysis.whatif(r, keyed)
    return {
        "edition": edition, "weights": {k: round(v, 6) for k, v in df.attrs["weights"].items()},
        "baseline_weights": r.weights,
        "entities": [{
            "name": n, "composite": _round(row["composite"]), "rank": _int(row["rank"]),
            "baseline_composite": _round(row["baseline_composite"]), "baseline_rank": _int(row["baseline_rank"]),
            "rank_change": _int(row["rank_change"]),
            **({"tier": _int(row["tier"]), "baseline_tier": _int(row["baseline_tier"])} if "tier" in df else {}),
        } for n, row in df.iterrows()],
    }


def sensitivity(edition: str, draws: int = 1000, spread: float = 0.25, seed: int = 0) -> dict:
    """Monte Carlo weight perturbation: median rank, 5-95% interval, P(same tier)."""
    draws, spread = inputs.DRAWS.check(draws), inputs.spread(spread)
    df = analysis.sensitivity(result(edition), draws=draws, spread=spread, seed=seed)
    return {
        "edition": edition, "draws": draws, "spread": spread, "seed": seed,
        "entities": [{
            "name": n, "baseline_rank": _int(row["baseline_rank"]), "median_rank": float(row["median_rank"]),
            "rank_interval": [int(row["rank_p05"]), int(row["rank_p95"])],
            "best_rank": int(row["best_rank"]), "worst_rank": int(row["worst_rank"]),
            **({"p_same_tier": round(float(row["p_same_tier"]), 4)} if "p_same_tier" in df else {}),
        } for n, row in df.iterrows()],
    }


def crossover(edition: str, entity: str, other: str) -> dict:
    """Per dimension, the weight (0-1, others sharing the rest equally) at which two entities tie on
    the composite, and who leads when it weighs more; ``weight`` is None where they never tie."""
    r = result(edition)
    e, o = resolve_entity(entity, edition), resolve_entity(other, edition)
    return {"edition": edition, "entity": e, "other": o,
            "dimensions": [{**x, "weight": None if x["weight"] is None else round(x["weight"], 4)}
                           for x in analysis.crossover(r, e, o)]}


def gap_by_dimension(edition: str, entity: str, other: str) -> dict:
    """Where the composite gap between two entities comes from: per dimension both scores, the gap
    (entity minus other) and its contribution (weight x gap, composite points), largest first."""
    e, o = resolve_entity(entity, edition), resolve_entity(other, edition)
    return {"edition": edition, "entity": e, "other": o, "dimensions": analysis.gap_by_dimension(result(edition), e, o)}


def facts(edition: str | None = None, entity: str | None = None, indicator: str | None = None,
          other: str | None = None) -> dict:
    """Raw indicator values stated in the reports' narratives, each with file and line, and the
    report's own contradictions about them (``notes``); ``changes`` between two stated years of one place.

    ``indicator`` matches an indicator number or a substring of its zh/en name. With ``other`` (a second
    place; needs ``entity``), both places' rows and ``differences``: entity − other on each indicator
    stated for both in the same year."""
    if other and not entity:
        raise HardtechError("`other` names the second of two places to compare, but no first place was given",
                            hint="name the first place as well: entity=深圳, other=广州 (CLI: --city 深圳 --other 广州)")
    eids = [edition] if edition else io.edition_ids()
    names = tuple(resolve_entity(n) for n in (entity, other) if n)
    rows = fact_rows(eids, names, indicator)
    found = [n for eid in eids for n in notes(eid) if not names or n["entity"] in names]
    out = {"edition": edition, "entity": names[0] if names else None, "facts": rows, "notes": found, "changes": fact_changes(rows)}
    if other:
        out.update(other=names[1], differences=fact_differences(rows, *names))
    return out


def methodology(edition: str) -> dict:
    """The spec as data: dimensions, weights, indicators, normalisation, tiers, sources."""
    data = io.load_edition(edition)
    spec = data.spec
    out = spec.model_dump(mode="json")
    # how many countries the report says its entities come from (GTII: 12, line 2364), where it says so
    said = next((a for a in data.stated.get("aggregates", []) if a["what"] == "countries" and a["of"] == {"members": True}), None)
    out["country_count"] = {"value": int(said["printed"]), "source": {"file": spec.source.file, "line": said["line"]}} \
        if said and spec.source else None
    out["resolved_thresholds"] = [t.__dict__ for t in result(edition).thresholds]
    out["steps"] = result(edition).steps
    return out


def period_change(edition: str, entity: str, by: str | None = None) -> dict:
    """How ``entity`` moved from the previous period in a quarterly edition, on the composite or
    one dimension (``by``): the score now and before (points in [0, 100]), the change in points
    and in per cent, each marked stated or derived, with the report lines of what is stated
    (see :func:`index_core.periods.movement`). Raises ``NotAvailableError`` when the report
    states nothing about the previous period for it."""
    r = result(edition)
    name = resolve_entity(entity, edition)
    key = _dimension_key(r.spec, by) if by else "composite"
    moved = periods.movement(io.load_edition(edition), io.load_change_words(), name, key)
    if moved is None:
        raise NotAvailableError(f"{edition} states no previous-period figure for {name} ({key})",
                                hint="Ask for its current score, or for an entity whose change the report states.")
    return {"edition": edition, **moved}


def year_before(edition: str) -> dict:
    """The year-before figures ``edition``'s report prints beside its own lists (each field's TOP10
    average and entry threshold in 2018, in the 2019 GTII), with today's and the change in points."""
    return {"edition": edition, **periods.year_before(io.load_edition(edition))}


def discrepancies(edition: str) -> list[dict]:
    """Printed numbers that disagree with what the method implies (> 0.005 for composites)."""
    return list(result(edition).discrepancies)


def compute(spec_path: str | Path, data_path: str | Path, missing: str = "error", min_coverage: float = 0.75) -> tuple[EditionResult, dict]:
    """Compute a user's own edition from a spec (data_level raw) and a raw indicator table.

    The table has an ``entity`` column and one column per indicator, named by the
    indicator's ``key``, its number (``1`` or ``i1``) or its Chinese name."""
    from .validate import raw_table

    spec = io.load_spec(spec_path)
    raw = raw_table(io.read_table(data_path), spec, str(data_path), allow_missing=missing == "reweight")
    r = compute_from_raw(spec, raw, missing=missing, min_coverage=min_coverage)  # type: ignore[arg-type]
    rows = []
    for name, row in r.table.iterrows():
        tier = _int(row["tier"])
        rows.append({
            "name": name, "composite": _round(row["composite"]), "composite_exact": _exact(row["composite"]),
            "rank": _int(row["rank"]), "tier": tier, "tier_label": analysis.tier_label(r, tier, "zh"),
            "dimensions": {k: {"score": _round(row[f"{k}.score"]), "rank": _int(row[f"{k}.rank"])} for k in r.dimension_keys},
        })
    bounds = {c: {"min": float(b["min"]), "max": float(b["max"]), "direction": int(b["direction"])} for c, b in r.bounds.iterrows()}
    return r, {"edition": spec.id, "of": len(rows), "entities": rows, "bounds": bounds, "steps": r.steps}


def _dimension_key(spec: Spec, text: str) -> str:
    for d in spec.dimensions:
        if text.strip().lower() in {f.lower() for f in (d.key, d.zh, d.en, *d.aliases)}:
            return d.key
    return spec.dimension(text).key  # raises with suggestions


def sources(edition: str, entity: str) -> dict[str, dict]:
    """Where each number the report prints about ``entity`` is printed.

    Returns ``measure -> {"source_file", "line", "printed", "also"}`` (measures as in
    published.csv: ``composite``, ``rank``, ``tier``, ``<dimension>.score``, ...; ``also``: the
    other lines of the same report where its narrative restates the figure, ``stated.yaml``)."""
    name = resolve_entity(entity, edition)
    data = io.load_edition(edition)
    pub = data.published
    rows = pub[pub["entity"] == name]
    # the narrative's restatements of a table's figure ("北京市…得分为 86.59" beside table 2): every
    # line that prints it is its provenance
    again: dict[str, list[int]] = {}
    for r in data.stated.get("restated", []):
        if r.get("entity") == name:
            again.setdefault(r["measure"], []).append(int(r["line"]))
    return {r["measure"]: {"source_file": r["source_file"], "line": int(r["line"]), "printed": r["printed"],
                           "also": sorted(set(again.get(r["measure"], ())) - {int(r["line"])})}
            for _, r in rows.iterrows()}


def notes(edition: str, entity: str | None = None) -> list[dict]:
    """Contradictions inside the report (reviewed, in the edition's notes.yaml), with their lines."""
    name = resolve_entity(entity, edition) if entity else None
    return [dict(n) for n in io.load_edition(edition).notes if name is None or n["entity"] == name]


def consistency(edition: str | None = None) -> dict:
    """Every place where the printed numbers disagree with each other (see
    :mod:`index_core.consistency`), each with file, line, the printed values, what the
    arithmetic implies, and the reviewed notes (``notes.yaml``) that explain it."""
    from . import consistency as checks

    eids = [edition] if edition else io.edition_ids()
    registry = io.load_registry()
    countries = {e.name: ("中国" if e.kind in ("city", "district") else e.region) for e in registry.entities}
    findings = []
    for eid in eids:
        data = io.load_edition(eid)
        found = checks.check_edition(data, result(eid), countries, io.load_change_words())
        findings += checks.review(found, data.notes)
    return {"editions": eids, "count": len(findings), "unreviewed": sum(not f["reviewed"] for f in findings),
            "findings": findings}


def _str(v) -> str | None:
    return None if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)


def _round(v) -> float | None:
    return None if v is None or pd.isna(v) else round(float(v), 2)


def _exact(v) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def _int(v) -> int | None:
    return None if v is None or pd.isna(v) else int(v)
