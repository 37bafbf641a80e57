"""Two places set side by side on a raw indicator the reports state in their text ("深圳的高新技术企业数比
广州多多少", "Beijing vs Shanghai on invention patents per 10k"), not on an index score: the difference
first (the facts tool's ``differences``: the same indicator, the same year), then which values it
comes from and that these are the reports' raw figures, not scores. Shared by compare and gap."""
from __future__ import annotations

from ...tools import ToolRunner
from ..frame import Frame
from ..understand.lexicon import words
from .blocks import Cite, Ent, Join, Line, Local, Num, P
from .facts import decimals, match, stated_year, unit, worded


def between(frame: Frame, tools: ToolRunner) -> list | None:
    """The answer when the question names an indicator (no dimension) and two places, one of which at
    least has it stated; ``None`` when neither has (the index's scores then answer)."""
    if not frame.indicator or frame.dimension or len(frame.entities) != 2:
        return None
    a, b = frame.entities
    cid, res = tools.ok("facts", entity=a, other=b)
    stated, differences = (res or {}).get("facts", []), (res or {}).get("differences", [])
    paired = {d["indicator_zh"] for d in differences}
    # an indicator stated for both first ("高新技术企业数" is 国家高新技术企业数 there), else one side's
    rows = match([r for r in stated if r["indicator_zh"] in paired], frame.indicator) or match(stated, frame.indicator)
    if not rows:
        return None
    names = list(dict.fromkeys(r["indicator_zh"] for r in rows))  # the best match first
    pairs = sorted((d for d in differences if d["indicator_zh"] in names), key=lambda d: names.index(d["indicator_zh"]))
    years = {int(y[:4]) for y in stated_year().findall(frame.question)}
    if years:  # "2012年…": that year's pair when both are stated for it (no edition has that year)
        pairs = [d for d in pairs if d["year"] in years] or pairs
    if not pairs:
        return _one_side(rows, cid, a, b)
    out = [Line(_sentence(pairs[0], rows, cid))]
    if words("ratio_asked")(frame.question.lower()) and pairs[0]["ratio"]:
        d = pairs[0]
        out.append(Line(P("facts.pair_ratio", entity=Ent(d["entity"]), other=Ent(d["other"]),
                          ratio=Num(value=d["ratio"], label="ratio", source=cid, decimals=2))))
    out.append(Line(P("facts.pair_raw")))
    return out


def _row(rows: list[dict], d: dict, ent: str) -> dict:
    return next(r for r in rows if r["entity"] == ent and r["indicator_zh"] == d["indicator_zh"] and r["year"] == d["year"])


def _sentence(d: dict, rows: list[dict], cid: str) -> P:
    ra, rb = _row(rows, d, d["entity"]), _row(rows, d, d["other"])
    places = decimals(ra["printed"])

    def value(r: dict) -> Num:
        return Num(value=r["value"], label=r.get("indicator_en") or r["indicator_zh"], source=cid, decimals=decimals(r["printed"]),
                   unit=r.get("unit") or "", entity=r["entity"], edition=r["edition"])

    first, second = (ra, rb) if d["higher"] != d["other"] else (rb, ra)
    cites = Join([Cite(r["source_file"], int(r["line"]), needles=(str(r["printed"]),)) for r in (first, second)], "sep.space")
    slots = dict(indicator=Local(ra["indicator_zh"], f"{ra.get('indicator_en') or ra['indicator_zh']} ({ra['indicator_zh']})"),
                 entity=Ent(first["entity"]), other=Ent(second["entity"]), a=value(first), b=value(second), unit=unit(ra),
                 year=P("facts.pair_year", year=str(d["year"])) if d["year"] else "", cites=cites)
    if d["higher"] is None:
        return P("facts.pair_tied", **slots)
    gap = Num(value=d["gap"], label=f"{ra.get('indicator_en') or ra['indicator_zh']} difference", source=cid, decimals=places,
              unit=ra.get("unit") or "", edition=ra["edition"])
    # a difference of two shares is in percentage points, not per cent
    return P("facts.pair_ahead_points" if ra.get("unit") == "%" else "facts.pair_ahead", gap=gap, **slots)


def _one_side(rows: list[dict], cid: str, a: str, b: str) -> list | None:
    """Only one of the two has the indicator stated (or never in the same year): what is stated, and that
    there is nothing to subtract."""
    had = [e for e in (a, b) if any(r["entity"] == e for r in rows)]
    if len(had) != 1:
        return None  # both stated, in different years only: the values each, with their years
    ent = had[0]
    missing = b if ent == a else a
    latest = max((r for r in rows if r["entity"] == ent), key=lambda r: r.get("year") or 0)
    return [Line(P("facts.pair_one_side", entity=Ent(ent), other=Ent(missing), item=worded(latest, cid, ent))),
            Line(P("facts.pair_raw"))]
