"""Aggregates over an edition, as tools: how many entities pass filters ("how many Chinese cities
in the top 15", "score above 50") and summary statistics of a ranking ("average of the top 5",
"the median", "the spread between first and last"). Computed here, in a tool, so every number an
answer states comes from a tool result the verifier can read."""
from __future__ import annotations

import statistics

from index_core import api, io

from . import thresholds


def t_stats(edition: str, by: str | None = None, top: int | None = None, bottom: bool = False,
            tier: int | None = None) -> dict:
    """Mean, median, highest, lowest and spread (highest - lowest) of the printed scores of an
    edition's ranking (composite or ``by``), over all entities, the top / bottom ``top`` or the
    members of ``tier``. Scores are in [0, 100]; values rounded to 2 decimals."""
    res = api.ranking(edition, by=by, top=top, bottom=bottom)
    members = {r["name"] for r in api.scores(edition)["entities"] if r.get("tier") == tier} if tier else None
    rows = [{"name": e["name"], "rank": e["rank"], "score": e["score"]} for e in res["entities"]
            if e.get("score") is not None and (members is None or e["name"] in members)]
    out: dict = {"edition": edition, "by": res["by"], "of": res["of"], "top": top, "bottom": bottom, "tier": tier,
                 "n": len(rows)}
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


def _country(name: str) -> str:
    """A registry entity's country: global cities carry it as their region; the others are Chinese."""
    e = io.load_registry().get(name)
    return e.region if e.kind == "global_city" else "中国"


def t_count(edition: str, top: int | None = None, by: str | None = None, country: str | None = None,
            region: str | None = None, tier: int | None = None, exclude_country: str | None = None,
            min_score: float | None = None, max_score: float | None = None) -> dict:
    """How many entities of an edition (or of its top N) satisfy the filters, and which; a score range
    [``min_score``, ``max_score``) on ``by`` or the composite is read by :func:`thresholds.select`."""
    ranked = api.ranking(edition, by=by, top=top)["entities"] if top else None
    rows = {r["name"]: r for r in api.scores(edition)["entities"]}
    pool = [r["name"] for r in ranked] if ranked is not None else [n for n in io.load_edition(edition).entities]
    reg = io.load_registry()
    members = [n for n in pool
               if (country is None or _country(n) == country)
               and (exclude_country is None or _country(n) != exclude_country)
               and (region is None or reg.get(n).region == region)
               and (tier is None or (n in rows and rows[n]["tier"] == tier))]
    undecided: list[str] = []
    if min_score is not None or max_score is not None:
        tiers = api.tiers(edition) if not by and io.load_edition(edition).spec.tiers else None
        members, undecided = thresholds.select(members, rows, by, min_score, max_score, tiers)
    out_rows = []
    placed = {r["name"]: r["rank"] for r in ranked or []}
    for n in members:
        r = rows.get(n, {})
        src = api.sources(edition, n)
        # on a field / dimension the rank and the cited line are that measure's, not the composite's
        own = ((r.get("dimensions") or {}).get(by) or {}).get("rank") if by else r.get("rank")
        out_rows.append({"name": n, "rank": placed.get(n, own), "composite": r.get("published_composite") or r.get("composite"),
                         "tier": r.get("tier"), "source": (src.get(f"{by}.score") if by else None) or src.get("composite"),
                         **({"score": thresholds.score_of(r, by)} if by else {})})
    return {"edition": edition, "pool": len(pool), "top": top, "by": by or "composite", "count": len(members),
            "filters": {k: v for k, v in {"country": country, "exclude_country": exclude_country, "region": region,
                                          "tier": tier, "min_score": min_score, "max_score": max_score}.items()
                        if v is not None},
            "members": out_rows, **({"undecided": undecided} if undecided else {})}
