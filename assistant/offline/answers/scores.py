"""Shared pieces for answers about an entity's scores in one edition: the tool calls, the
composite (printed and/or computed, saying which), its citation, the tier, the dimension
line and the chart of the entity against the edition's median and leader."""
from __future__ import annotations

import itertools
import re
from typing import Any

from ... import retrieval
from ...tools import ToolRunner
from . import editions
from ..understand.lexicon import words
from .blocks import Aside, Chart, Cite, Dim, Ed, Ent, Join, Line, Local, Num, P, Quote


def score(value: float, label: str, source: Any, **kw) -> Num:
    return Num(value=value, label=label, source=source, kind="score", **kw)


def weight(fraction: float, source: Any, edition: str, dimension: str, label: str = "weight") -> Num:
    """A dimension's weight, given as a fraction of 1, written as a whole percent."""
    return Num(value=fraction * 100, label=label, source=source, kind="percent", decimals=0, edition=edition, dimension=dimension)


def rank(value: int, label: str, source: Any, **kw) -> Num:
    return Num(value=value, label=label, source=source, kind="rank", **kw)


def count(value: int, label: str, source: Any, **kw) -> Num:
    return Num(value=value, label=label, source=source, kind="count", **kw)


def measure_cite(res: dict, *measures: str, any_score: bool = False) -> Cite | None:
    """The report line that prints one of ``measures`` for the entity (``sources`` of a tool result);
    with ``any_score``, else the line of any of its printed scores (a composite computed from them)."""
    src = res.get("sources") or {}
    found = [src[m] for m in measures if src.get(m)]
    if not found and any_score:
        found = [v for m, v in src.items() if m.endswith(".score")]
    return source_cite(found[0]) if found else None


def source_cite(s: dict | None) -> Cite | None:
    """A tool result's source (``source_file``, ``line``, ``printed``, ``also``) as a citation."""
    if not s or not s.get("source_file"):
        return None
    return Cite(s["source_file"], int(s["line"]), needles=(str(s.get("printed") or ""),), also=tuple(s.get("also") or ()))


def cite_or_blank(c: Cite | None) -> Any:
    return c if c is not None else ""


def composite(res: dict, cid: str, prefer: str | None = None) -> P | None:
    """The composite as a phrase: one value, or the printed and the computed one where they differ
    (the question's preference, ``printed``|``computed``, comes first)."""
    printed, computed = res.get("published_composite"), res.get("composite")
    ent, eid = res.get("name") or res.get("entity"), res.get("edition")
    if printed is None and computed is None:
        return None
    if printed is None or computed is None or round(printed, 2) == round(computed, 2):
        v = printed if printed is not None else computed
        key = "composite.computed_only" if printed is None and res.get("composite_source") == "computed" else "composite.one"
        return P(key, value=score(v, "composite", cid, entity=ent, edition=eid))
    pv = score(printed, "printed composite", cid, entity=ent, edition=eid)
    cv = score(computed, "computed composite", cid, entity=ent, edition=eid)
    if prefer == "computed":
        return P("composite.computed_first", printed=pv, computed=cv)
    # one unit in the last printed digit apart: the report rounded from unrounded dimension scores
    return P("composite.both_rounding" if abs(round(printed, 2) - round(computed, 2)) <= ROUNDING else "composite.both",
             printed=pv, computed=cv)


ROUNDING = 0.011  # points: a printed and a recomputed composite this close differ by rounding only


def tier_label(zh: str, en: str) -> Local:
    """A tier's name from the spec; lower-cased in English, where it sits inside a sentence."""
    return Local(zh, en[:1].lower() + en[1:])



def row_cite(tools: ToolRunner, eid: str, row: dict):
    """The line that prints a ranking row's figure; for a composite the report does not print (computed
    from the dimension scores), the line of those scores."""
    if row.get("source"):
        return source_cite(row["source"])
    _, res = tools.ok("scores", edition=eid, entity=row["name"])
    return measure_cite(res or {}, any_score=True) or ""

def tier_row(tools: ToolRunner, eid: str, number: int) -> tuple[str, dict | None]:
    """(call id, the ``tiers`` tool row of tier ``number``, or ``None`` when the edition has no such tier)."""
    cid, res = tools.ok("tiers", edition=eid)
    return cid, next((t for t in (res or {}).get("tiers", []) if t["tier"] == number), None)


def tier_name(t: dict, cid: str) -> P:
    """The tier's name, with the other name the report gives it (2019: 领跑者 / Leaders, ...)."""
    n = Num(value=t["tier"], label="tier", source=cid, kind="tier", silent=True)
    label = tier_label(t["label_zh"], t["label_en"])
    if t.get("alias_zh") or t.get("alias_en"):
        return P("tier.label_alias", label=label, n=n, alias=Local(t.get("alias_zh") or t["alias_en"], t.get("alias_en") or t["alias_zh"]))
    return P("tier.label", label=label, n=n)


def tier_threshold(t: dict, cid: str, eid: str, tiers: list[dict] = ()):
    """The tier's threshold as a phrase; with the edition's ``tiers`` (``tiers`` tool rows), the band
    up to the threshold of the tier above ("30 to below 40")."""
    if t["status"] == "unnamed" or t.get("threshold") is None:
        return P("tier.status_unnamed")
    above = next((x for x in tiers if x["tier"] == t["tier"] - 1 and isinstance(x.get("threshold"), (int, float))), None)
    upper = score(above["threshold"], "upper tier threshold", cid, decimals=0, edition=eid) if above else None
    if t["threshold"] <= 0:  # the last tier: "其余 21 个城市", every one below the tier above
        return P("tier.threshold_floor_below", upper=upper) if upper else P("tier.threshold_floor")
    th = score(t["threshold"], "tier threshold", cid, decimals=0, edition=eid)
    status = "assumed" if t["status"] == "assumed" else "stated"
    return P(f"tier.band_{status}", threshold=th, upper=upper) if upper else P(f"tier.threshold_{status}", threshold=th)


def tier_phrase(res: dict, cid: str, form: str = "suffix", lowest: Any = "") -> P | None:
    """The entity's tier or class as the report names it (``None`` when the edition has none).

    ``form``: ``suffix`` (", in the second tier", after other figures) or ``bare`` ("the second tier");
    ``lowest``: said after a bare "in no named tier" (:func:`lowest_named`)."""
    if res.get("tier") is None or not res.get("tier_label"):
        return None
    label = tier_label(res["tier_label"], res["tier_label_en"])
    if res.get("tier_status") == "unnamed":
        return P("tier.bare_unnamed", label=label, lowest=lowest) if form == "bare" else P("tier.suffix_unnamed", label=label)
    key = f"tier.{form}_assumed" if res.get("tier_status") == "assumed" else f"tier.{form}"
    # the label states the number (第二梯队 / Second tier): record it without printing it twice
    return P(key, label=label, n=Num(value=res["tier"], label="tier", source=cid, kind="tier", silent=True,
                                        entity=res.get("name"), edition=res.get("edition")))


def dimension_parts(res: dict, cid: str, edition: str, skip: str | None = None) -> list[P]:
    ent = res.get("name") or res.get("entity")
    parts = []
    for k, d in res["dimensions"].items():
        if k == skip or d.get("score") is None:
            continue
        s = score(d["score"], f"{k} score", cid, entity=ent, edition=edition, dimension=k)
        if d.get("rank") is not None:
            parts.append(P("dims.item_rank", dim=Dim(edition, k), score=s,
                           rank=rank(d["rank"], f"{k} rank", cid, entity=ent, edition=edition, dimension=k)))
        else:
            parts.append(P("dims.item", dim=Dim(edition, k), score=s))
    return parts


def dimensions_line(res: dict, cid: str, edition: str, skip: str | None = None) -> P | None:
    parts = dimension_parts(res, cid, edition, skip)
    if not parts:
        return None
    first = next((k for k, d in res["dimensions"].items() if d.get("score") is not None and k != skip), None)
    return P("dims.line", items=Join(parts, "sep.semi"), cite=cite_or_blank(measure_cite(res, f"{first}.score")))


def standing_chart(tools: ToolRunner, edition: str, entity: str) -> Chart | None:
    """The entity's dimension scores (or its composite) beside the edition's median and leader."""
    _, st = tools.ok("standing", edition=edition, entity=entity)
    if not st:
        return None
    dims = [(k, d) for k, d in st["dimensions"].items() if d.get("score") is not None]
    rows = [(Dim(edition, k), d) for k, d in dims] or ([(P("chart.composite"), st["composite"])]
                                                         if st["composite"].get("score") is not None else [])
    if not rows:
        return None
    return Chart("bar", P("chart.standing_title", entity=Ent(entity), edition=Ed(edition)),
                 tuple(label for label, _ in rows),
                 ((Ent(entity), tuple(d["score"] for _, d in rows)),
                  (P("chart.median"), tuple(d["median"] for _, d in rows)),
                  (P("chart.leader"), tuple(d["leader_score"] for _, d in rows))))


def edition_note(frame, edition: str) -> list:
    """Say which edition answers when the question named none."""
    if frame.editions and frame.edition_source not in (None, "default"):
        return []
    return [Aside(P("edition.default", edition=Ed(edition)))]


def entity_scores(tools: ToolRunner, edition: str, entity: str) -> tuple[str, dict]:
    return tools.call("scores", edition=edition, entity=entity)


def covered(edition: str) -> P | str:
    """" (it covers 36 cities [cite])": the report's statement of how many entities the edition
    ranks, said beside a place it does not cover; ``""`` when the report prints none."""
    stated = editions.spec(edition).entity_count
    c = count_cite(edition)
    if not c:
        return ""
    return P("lookup.covers", n=count(stated.value, "entities in edition", c, edition=edition), kind=of_kind(edition), cite=c)


def count_cite(edition: str) -> Cite | str:
    """The line where the report states how many entities the edition ranks, or ``""``."""
    stated = editions.spec(edition).entity_count
    if not stated or not stated.source:
        return ""
    return Cite(stated.source.file, int(stated.source.line), needles=(str(stated.value),))


def count_said(edition: str) -> list:
    """The report's own sentence that gives the edition's size, quoted when it says which places
    make it up ("31 个省会城市和 5 个计划单列市，对共计 36 个": parts that add up to the count),
    which a bare count does not. Empty otherwise."""
    cite = count_cite(edition)
    if not cite:
        return []
    total = editions.spec(edition).entity_count.value
    figures = [int(x) for x in re.findall(r"(?<![\d.])\d+(?![\d.])", retrieval.line_text(cite.source_file, cite.first))]
    parts = [x for x in figures if 0 < x < total]
    made_up = any(sum(c) == total for n in (2, 3) for c in itertools.combinations(parts, n))
    return [Quote(cite, "quote.source")] if made_up else []


def of_kind(edition: str) -> P:
    return P(f"kind.{editions.kind(edition)}")


def indicator_table(methodology: dict) -> Cite | str:
    """The lines of the report's indicator table (the methodology result's indicators), or ``""``
    when the spec lists none or they span several files."""
    lines = [i["source"] for i in methodology.get("indicators") or [] if i.get("source")]
    if not lines or len({x["file"] for x in lines}) != 1:
        return ""
    return Cite(lines[0]["file"], min(x["line"] for x in lines), max(x["line"] for x in lines))


def share_of_whole(question: str, share: float | None, of: int, cid: str, edition: str) -> list:
    """"占总数的比例是多少", "what share of the cities…": the members' ``share`` (0-1) of the ``of``
    places, as a line, when the question asks for it (lexicon ``share_asked``); else nothing."""
    if share is None or not words("share_asked")(question.lower()):
        return []
    return [Line(P("count.share", share=Num(share * 100, "share of the whole", cid, kind="percent", decimals=1, edition=edition),
                   of=count(of, "places", cid, edition=edition), kind=of_kind(edition)))]


def table_cites(sources: list[dict]) -> list[Cite]:
    """One citation per report file, spanning the lines that print the members."""
    by_file: dict[str, list[dict]] = {}
    for s in sources:
        by_file.setdefault(s["source_file"], []).append(s)
    return [Cite(f, min(s["line"] for s in rows), max(s["line"] for s in rows), needles=tuple(s["printed"] for s in rows))
            for f, rows in by_file.items()]


def tier_cite(t: dict, eid: str):
    """The report's statement of tier ``t`` (a ``tiers`` tool row), or ``""`` when none is printed."""
    src = t.get("source") or {}
    if not src.get("file"):
        return ""
    # a class statement wraps over the next lines in the district report
    span = 4 if editions.kind(eid) == "district" else 0
    stated = Cite(src["file"], int(src["line"]), int(src["line"]) + span, needles=(t["label_zh"],))
    alias = t.get("alias_source") or {}  # where the report gives the tier its other name (领跑者), cited beside it
    return Join([stated, Cite(alias["file"], int(alias["line"]), needles=(t["alias_zh"],))], "sep.space") \
        if alias.get("file") and t.get("alias_zh") else stated


def lowest_named(tiers: list[dict], cid: str, eid: str) -> tuple[Any, Any]:
    """(phrase, cite) of the last tier the report names, said beside a place in none of them
    ("the last tier it names is the third tier (30 to below 40)"), or ``("", "")``."""
    last = next((x for x in reversed(tiers) if x["status"] != "unnamed"), None)
    if last is None:
        return "", ""
    return P("tier.lowest_named", label=tier_name(last, cid), threshold=tier_threshold(last, cid, eid, tiers)), tier_cite(last, eid)


def entity_tier_cite(tools: ToolRunner, eid: str, ent: str):
    """The statement of the tier ``ent`` is in ("what tier is Xi'an": the report says so there)."""
    cid, res = tools.ok("tiers", edition=eid)
    tiers = (res or {}).get("tiers", [])
    t = next((x for x in tiers if ent in x.get("members", ())), None)
    if t and t["status"] == "unnamed":
        return lowest_named(tiers, cid, eid)[1]
    return tier_cite(t, eid) if t else ""


def ranked_score(e: dict, res: dict, cid: str, eid: str, dim: str | None):
    """The score of a ``ranking`` row: "–" when unprinted, printed and computed where they differ."""
    d = e.get("discrepancy") or {}
    if e["score"] is None:
        return "–"
    if d.get("measure") == "composite":
        return P("composite.both", printed=score(d["published"], "printed composite", cid, entity=e["name"], edition=eid),
                 computed=score(d["computed"], "computed composite", cid, entity=e["name"], edition=eid))
    return score(e["score"], f"{res['by']} score", cid, entity=e["name"], edition=eid, dimension=dim)


def ranked_row(e: dict, res: dict, cid: str, eid: str, dim: str | None) -> P:
    """One ranked entity as "#3 Shenzhen: 42.92 [cite]" (a row of a ``ranking`` result)."""
    c = source_cite(e.get("source")) or ""
    flag = P("rank.contradiction_flag") if (e.get("discrepancy") or {}).get("measure", "").endswith(".rank") else ""
    return P("rank.row", rank=rank(e["rank"], "rank", cid, entity=e["name"], edition=eid, dimension=dim),
             entity=Ent(e["name"]), score=ranked_score(e, res, cid, eid, dim), flag=flag, cite=c)


def tier_margin(tools: ToolRunner, eid: str, ent: str, t: dict, tcid: str) -> P | None:
    """How far ``ent``'s composite clears the line of its tier ``t`` (a ``tiers`` row), and how far
    it is short of the tier above ("1.64 above the 20 line, 8.36 short of 30"); ``None`` when its
    tier has no line (the last tier, or one the report does not name)."""
    cid, ex = tools.ok("explain", edition=eid, entity=ent)
    if not ex or ex.get("margin_over_tier") is None or t["status"] == "unnamed":
        return None
    num = lambda key, label, **kw: score(ex[key], label, cid, edition=eid, **kw)  # noqa: E731
    short = P("tier.margin_short", gap=num("gap_to_next_tier", "gap to next tier", entity=ent),
              threshold=num("next_tier_threshold", "next tier threshold", decimals=0)) \
        if ex.get("gap_to_next_tier") is not None else ""
    return P("tier.margin", entity=Ent(ent), label=tier_name(t, tcid), margin=num("margin_over_tier", "margin over tier", entity=ent),
             threshold=num("tier_threshold", "tier threshold", decimals=0), short=short, cite=tier_cite(t, eid))


def lead_gap(tools: ToolRunner, eid: str, a: str, b: str, dim: str | None):
    """How far ``a`` is ahead of ``b`` (points, on the printed composite where both are printed), from
    the gap tool; ``None`` for a tie or when the tool has no gap."""
    gid, g = tools.ok("gap", edition=eid, entity=a, other=b, **({"by": dim} if dim else {}))
    key = "gap" if dim else next((k for k in ("printed_gap", "computed_gap") if (g or {}).get(k) is not None), None)
    value = (g or {}).get(key) if key else None
    if not value or g.get("higher") != a:
        return None
    return score(abs(value), f"{dim or key} gap", gid, edition=eid, **({"dimension": dim} if dim else {}))
