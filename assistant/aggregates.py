"""Summary statistics of a ranking ("average of the top 5", "the median", "the spread between
first and last"): computed here, in a tool, so every number an answer states comes from a
tool result the verifier can read."""
from __future__ import annotations

import statistics

from index_core import api


def t_stats(edition: str, by: str | None = None, top: int | None = None, bottom: bool = False) -> dict:
    """Mean, median, highest, lowest and spread (highest - lowest) of the printed scores of an
    edition's ranking (composite or ``by``), over all entities or the top / bottom ``top``.
    Scores are in [0, 100]; values rounded to 2 decimals."""
    res = api.ranking(edition, by=by, top=top, bottom=bottom)
    rows = [{"name": e["name"], "rank": e["rank"], "score": e["score"]} for e in res["entities"] if e.get("score") is not None]
    out: dict = {"edition": edition, "by": res["by"], "of": res["of"], "top": top, "bottom": bottom, "n": len(rows)}
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
