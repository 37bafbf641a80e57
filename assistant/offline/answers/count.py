"""count: how many entities satisfy a filter (a country, a region, a tier or class), in an
edition or its top N; the number is the first thing said, then which ones, and the report's
own sentence when it states the same count."""
from __future__ import annotations

import re

from ...tools import ToolRunner
from ..frame import Frame
from . import editions, filters, passages, statements
from .blocks import Chart, Cite, Dim, Ed, Ent, Fallback, Join, Line, Local, P, Verbatim
from .scores import count, edition_note, measure_cite, rank, score, share_of_whole, table_cites, tier_label
from .vocab import rules, words as vocab_words


def handle(frame: Frame, tools: ToolRunner):
    eid = editions.pick(frame)
    args, said = filters.of(frame)
    if not args and not frame.n and len(frame.entities) == 1 and frame.aspect == "ahead":
        return _ahead(frame, tools, eid)
    if not args and frame.n and len(frame.entities) == 1 and not frame.dimension:
        return _placings(frame, tools, eid, frame.entities[0], frame.n)
    if not args and not frame.n:
        return Fallback("coverage", "nothing to filter: how many the edition covers")
    call = {"edition": eid, **args, **({"top": frame.n} if frame.n else {}),
            **({"by": frame.dimension} if frame.dimension else {})}
    cid, res = tools.call("count", **call)
    if "error" in res:
        return Fallback("coverage", res["error"]["message"])
    if len(frame.editions) > 1 and frame.edition_source in ("explicit", "year") and not frame.n and \
            res["count"] == len(editions.members(eid)):  # "how many cities do the two domestic indices each cover?"
        return Fallback("coverage", "every place passes the filter, in several editions: each one's size")
    scope = P("count.scope_all", edition=Ed(eid))
    if frame.n:  # the top N of the field / dimension asked, when one is
        scope = P("count_ops.scope_top_by" if frame.dimension else "count.scope_top", n=count(frame.n, "top N", cid),
                  edition=Ed(eid), **({"by": Dim(eid, frame.dimension)} if frame.dimension else {}))
    said += filters.tier_said(tools, eid, args)
    members = res["members"]
    cites = statements.for_filters(tools, eid, args) + table_cites([m["source"] for m in members if m.get("source")])
    out = edition_note(frame, eid) + _year_sentence(frame, tools, eid, args)
    n = count(res["count"], "count", cid, edition=eid)
    out.append(Line(P("count.lead_one" if res["count"] == 1 else "count.lead", n=n, scope=scope, filter=Join(said, "sep.list") if said else P("count.any"),
                      kind=P(f"kind.{editions.kind(eid)}"),
                      members=Join(_named(frame, members, cid, eid), "sep.list") if members else P("count.none"),
                      cites=Join(cites[:3], "sep.space") if cites else "")))
    out += share_of_whole(frame.question, res.get("share"), res["pool"], cid, eid)
    out += _threshold_notes(tools, res, cid, eid, args)
    out += _report_sentence(frame, tools, eid, res["count"], args)
    if frame.n:  # the top N the count is taken from, charted
        out += _top_chart(frame, tools, eid)
    return out


def _named(frame: Frame, members: list[dict], cid: str, eid: str) -> list:
    """The members counted; within a top N each with its place there ("东京（第 1 名）、京都（第 13 名）")."""
    if not frame.n:  # best placed first, as the report lists them; unranked ones last
        return [Ent(m["name"]) for m in sorted(members, key=lambda m: m.get("rank") or float("inf"))]
    return [_member(frame, m, cid, eid) if m.get("rank") else Ent(m["name"]) for m in members]


def _member(frame: Frame, m: dict, cid: str, eid: str) -> P:
    """A member of a top N with its place and, where printed, its score ("北京（第 2 名，77.17 分）")."""
    value = m.get("score", m.get("composite"))
    at = rank(m["rank"], "rank", cid, entity=m["name"], edition=eid)
    if value is None:
        return P("count_ops.member_rank", entity=Ent(m["name"]), rank=at)
    return P("count_ops.member_rank_score", entity=Ent(m["name"]), rank=at,
             score=score(value, f"{frame.dimension or 'composite'} score", cid, entity=m["name"], edition=eid,
                         dimension=frame.dimension))


def _placings(frame: Frame, tools: ToolRunner, eid: str, ent: str, n: int) -> list:
    """"In how many GTII fields is Shenzhen in the TOP10?": the count of the edition's dimensions
    on which it ranks in the top ``n``, then each with its rank and score."""
    if ent not in editions.members(eid):
        return Fallback("lookup", f"{ent} is not in {eid}")
    cid, res = tools.call("placings", edition=eid, entity=ent, top=n)
    if "error" in res:
        return Fallback("lookup", res["error"]["message"])
    items = [P("dims.item_rank", dim=Dim(eid, d["key"]),
               score=score(d["score"], f"{d['key']} score", cid, entity=ent, edition=eid, dimension=d["key"]),
               rank=rank(d["rank"], f"{d['key']} rank", cid, entity=ent, edition=eid, dimension=d["key"]))
             for d in res["dimensions"]]
    cites = table_cites([d["source"] for d in res["dimensions"] if d.get("source")])
    return edition_note(frame, eid) + [Line(P("count.placings" if items else "count.placings_none", entity=Ent(ent),
                                              edition=Ed(eid), top=count(n, "top N", cid), of=count(res["of"], "dimensions", cid),
                                              n=count(res["count"], "count", cid), items=Join(items, "sep.semi"),
                                              cites=Join(cites, "sep.space") if cites else ""))]


def _ahead(frame: Frame, tools: ToolRunner, eid: str) -> list:
    """"How many cities are ahead of it?": those ranked above the one entity (its rank − 1, on the
    frame's dimension or the composite), named in order."""
    sid, res = tools.call("scores", edition=eid, entity=frame.entities[0])
    if "error" in res:
        return Fallback("coverage", res["error"]["message"])
    if len(frame.editions) > 1 and frame.edition_source in ("explicit", "year") and not frame.n and \
            res["count"] == len(editions.members(eid)):  # "how many cities do the two domestic indices each cover?"
        return Fallback("coverage", "every place passes the filter, in several editions: each one's size")
    place = (res.get("dimensions") or {}).get(frame.dimension, {}).get("rank") if frame.dimension else res.get("rank")
    if not place:
        return Fallback("coverage", "no rank for the entity: how many the edition covers")
    kind = P(f"kind.{editions.kind(eid)}")
    at = rank(place, "rank", sid, entity=res["name"], edition=eid)
    cite = measure_cite(res, f"{frame.dimension}.rank" if frame.dimension else "rank")
    cites = [cite] if cite else []
    out = edition_note(frame, eid)
    if place == 1:
        return out + [Line(P("count.ahead_none", edition=Ed(eid), entity=Ent(res["name"]), rank=at, kind=kind,
                             cites=Join(cites, "sep.space") if cites else ""))]
    cid, above = tools.call("count", edition=eid, top=place - 1, **({"by": frame.dimension} if frame.dimension else {}))
    if "error" in above:
        return Fallback("coverage", above["error"]["message"])
    cites = cites or table_cites([m["source"] for m in above["members"] if m.get("source")])[:3]
    return out + [Line(P("count.ahead", edition=Ed(eid), entity=Ent(res["name"]), rank=at, kind=kind,
                         n=count(above["count"], "count", cid, edition=eid),
                         members=Join([Ent(m["name"]) for m in above["members"]], "sep.list"),
                         cites=Join(cites, "sep.space") if cites else ""))]


def _threshold_notes(tools: ToolRunner, res: dict, cid: str, eid: str, args: dict) -> list:
    """A score threshold decided partly by class bands, and the entities it cannot place."""
    if "min_score" not in args and "max_score" not in args:
        return []
    kind = P(f"kind.{editions.kind(eid)}")
    out = []
    banded = sorted({m["tier"] for m in res["members"] if m.get("composite") is None and m.get("tier") is not None})
    if banded:
        _, tiers = tools.ok("tiers", edition=eid)
        rules = [t for t in (tiers or {}).get("tiers", []) if t["tier"] in banded]
        out.append(Line(P("count.by_class", kind=kind, classes=Join([Local(t["label_zh"], t["label_en"]) for t in rules], "sep.list"),
                          cites=Join([Cite(t["source"]["file"], t["source"]["line"]) for t in rules if t.get("source")], "sep.space"))))
    _, named = tools.ok("tiers", edition=eid)
    rows = (named or {}).get("tiers", [])
    for t in rows:  # "30到40分之间": the band of one of the report's tiers is that tier
        upper = next((x.get("threshold") for x in rows if x["tier"] == t["tier"] - 1), None)
        if t["status"] != "unnamed" and t.get("threshold") == args.get("min_score") and upper == args.get("max_score"):
            out.append(Line(P("count.band_is_tier", label=tier_label(t["label_zh"], t["label_en"]),
                              cite=Cite(t["source"]["file"], t["source"]["line"]) if t.get("source") else "")))
    if res.get("undecided"):
        out.append(Line(P("count.undecided", n=count(len(res["undecided"]), "undecided", cid), kind=kind,
                          names=Join([Ent(n) for n in res["undecided"]], "sep.list"))))
    return out


def _top_chart(frame: Frame, tools: ToolRunner, eid: str) -> list:
    _, ranking = tools.ok("ranking", edition=eid, top=frame.n, **({"by": frame.dimension} if frame.dimension else {}))
    rows = [r for r in (ranking or {}).get("entities", []) if r.get("score") is not None]
    if not rows:
        return []
    by = Dim(eid, frame.dimension) if frame.dimension else P("compare.composite")
    return [Chart("ranking", P("rank.chart_title", edition=Ed(eid), by=by), tuple(Ent(r["name"]) for r in rows),
                  ((by, tuple(r["score"] for r in rows)),))]


def _filter_words(args: dict) -> list[str]:
    """The words a report's sentence names the count's filter by: the country or region, and the
    country's other names in the reports (rules.yaml ``countries``: 我国, 中)."""
    words = [w for w in (args.get("country"), args.get("region")) if w]
    return words + [w for c in rules()["countries"].values() if c["zh"] in words for w in c.get("also", ())]


def _stated_count(words: list[str], n: int | None) -> re.Pattern:
    """A count said of the filter itself: its name, a few characters, then the number and a count unit
    ("美国 2 个", "我国 6 个", "中（10个）"), or the number, then the name ("有 7 个城市位于东部"), not
    another country's count in the same sentence."""
    units = "|".join(map(re.escape, vocab_words("count_units")))
    number = rf"(?<![\d.]){n}" if n is not None else r"\d+"
    names = "|".join(map(re.escape, words))
    return re.compile(rf"(?:{names})[^\d，,；;。]{{0,4}}{number}\s?(?:{units})|{number}\s?(?:{units})[^\d，,；;。]{{0,5}}(?:{names})")


def _of_year(text: str, year: str) -> bool:
    """Does a sentence speak of ``year``, or of no year at all (not "2018 年度评估期内…" for 2019's count)?"""
    years = re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", text)
    return not years or year in years


def _year_sentence(frame: Frame, tools: ToolRunner, eid: str, args: dict) -> list:
    """A count asked of a year the edition is not ("and in the 2018 assessment?" of GTII 2019): the
    report's own sentence about that year, when one states it, before the edition's own count."""
    words = _filter_words(args)
    if frame.year is None or frame.year == editions.year(eid) or not words:
        return []
    query = " ".join([str(frame.year), *words, *([f"TOP{frame.n}", f"前{frame.n}"] if frame.n else [])])
    hits = passages.search(tools, query, k=6, edition=eid)
    stated = _stated_count(words, None)
    found = [s for s in passages.best(hits, query, k=3, extra=tuple(words), must=(str(frame.year),),
                                      keep=lambda text: bool(stated.search(text))) if not s.table]
    if not found:
        return []
    s = found[0]
    return [Line(P("count.report_says_year", year=str(frame.year), sentence=Verbatim(s.text, s.cite()), cite=s.cite()))]


def _report_sentence(frame: Frame, tools: ToolRunner, eid: str, n: int, args: dict) -> list:
    """The report's own statement of the count, when one of its sentences says the number of the filter."""
    words = _filter_words(args)
    if not words:
        return []
    hits = passages.search(tools, f"{frame.question} {' '.join(words)} {n}", k=4, edition=eid)
    stated = _stated_count(words, n)
    year = str(editions.year(eid))
    found = [s for s in passages.best(hits, frame.question, k=3, extra=tuple(words),
                                      keep=lambda text: bool(stated.search(text)) and _of_year(text, year)) if not s.table]
    if not found:
        return []
    s = found[0]
    return [Line(P("count.report_says", sentence=Verbatim(s.text, s.cite()), cite=s.cite()))]
