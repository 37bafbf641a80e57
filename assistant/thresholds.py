"""Score thresholds ("how many cities score above 50"): is an entity's score in a range, from
its printed score, else from the score band of its class where the report prints classes by
stated thresholds but not every score (the Chongqing district index: "80分以上", "50分以下")."""
from __future__ import annotations


def score_of(row: dict, by: str | None) -> float | None:
    """An ``api.scores`` row's score on dimension ``by``, else its composite (printed first)."""
    if by:
        return ((row.get("dimensions") or {}).get(by) or {}).get("score")
    return row.get("published_composite") if row.get("published_composite") is not None else row.get("composite")


def tier_bands(tiers: dict) -> dict[int, tuple[float, float]]:
    """Tier -> [lower, upper) composite band, from a ``tiers`` tool result whose tiers are cut by
    thresholds the report states; empty otherwise."""
    rules = sorted((t for t in tiers.get("tiers", []) if t.get("threshold") is not None and t.get("status") == "stated"),
                   key=lambda t: -t["threshold"])
    if tiers.get("basis") != "composite" or not rules:
        return {}
    uppers = [float("inf")] + [float(t["threshold"]) for t in rules[:-1]]
    return {t["tier"]: (float(t["threshold"]), up) for t, up in zip(rules, uppers)}


def in_range(value: float | None, band: tuple[float, float] | None, low: float | None, high: float | None) -> bool | None:
    """Is the score in [low, high)? From the value, else from its tier's band; None = cannot tell."""
    if value is not None:
        return (low is None or value >= low) and (high is None or value < high)
    if band is None:
        return None
    lo, up = band
    if (low is not None and up <= low) or (high is not None and lo >= high):
        return False
    if (low is None or lo >= low) and (high is None or up <= high):
        return True
    return None


def unranked_band(rows: list[dict], by: str | None) -> tuple[float, float] | None:
    """The band of an entity the report neither scores nor ranks, where it prints a top list
    (ranks 1..K with scores): below the lowest printed score (GTII prints its top 15 of 45)."""
    scored = [(r.get("dimensions", {}).get(by, {}).get("rank") if by else r.get("rank"), score_of(r, by)) for r in rows]
    ranked = sorted(rank for rank, value in scored if rank is not None and value is not None)
    if len(ranked) < 3 or ranked != list(range(1, len(ranked) + 1)):
        return None
    return 0.0, min(value for rank, value in scored if rank is not None and value is not None)


def select(names: list[str], rows: dict[str, dict], by: str | None, low: float | None, high: float | None,
           tiers: dict | None) -> tuple[list[str], list[str]]:
    """``names`` whose score (``rows``: ``api.scores`` rows by name) is in [low, high), and those
    neither the score, the class band (``tiers``: a ``tiers`` tool result) nor the printed top list
    settles."""
    bands = tier_bands(tiers) if tiers else {}
    below = unranked_band(list(rows.values()), by)
    decided = {n: in_range(score_of(rows.get(n, {}), by), bands.get(rows.get(n, {}).get("tier")) or (below if n in rows else None),
                           low, high)
               for n in names}
    return [n for n, ok in decided.items() if ok], [n for n, ok in decided.items() if ok is None]
