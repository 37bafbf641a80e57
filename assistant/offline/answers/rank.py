"""rank: the top or bottom N by the composite, a dimension, a field or a sub-index (or the
next rows after ones already shown), stated in the first sentence, then listed with each
entity's printed line and charted as sorted bars."""
from __future__ import annotations

from ...tool_args import RANKING_MAX
from ...tools import ToolRunner
from ..frame import Frame
from ..understand.lexicon import Words, words
from . import classes, editions, extremes, filters
from .blocks import Bullets, Chart, Cite, Dim, Ed, Ent, Fallback, Join, Line, P, Warn
from .scores import count, edition_note, rank, ranked_row, ranked_score, score, tier_name, tier_row
from .vocab import rules

DEFAULT_N = 10


STATISTICS = ("average", "median", "spread")


def handle(frame: Frame, tools: ToolRunner):
    eid = editions.pick(frame)
    if frame.aspect in STATISTICS:
        return _statistic(frame, tools, eid)
    if len(frame.entities) >= 2:  # "把北京、上海…这十个城市的得分列一下": the named ones, not a top N
        return Fallback("compare", "an explicit list of named entities beats an N")
    if len(frame.entities) == 1 and any(p.kind in ("in_top", "outside_top") and p.entity == frame.entities[0] for p in frame.premises):
        return Fallback("lookup", "whether one place is in a top N: its own place")  # "Is it in the top 10 in 2019 too?"
    if not frame.entities and any(f.field in ("country", "region") for f in frame.filters):
        # "能源技术前十有哪些中国城市", "广东的城市有哪些上榜": the ones in a country or region, in rank order
        return Fallback("count", "which of the (top N) entities are in a country or region")
    n = frame.n or DEFAULT_N
    bottom = frame.direction == "bottom"
    members = set((tier_row(tools, eid, frame.tier)[1] or {}).get("members", ())) \
        if frame.tier and editions.has_tiers(eid) else None
    args = {"edition": eid, "top": RANKING_MAX if members else min(n + frame.offset, RANKING_MAX), "bottom": bottom,
            **({"by": frame.dimension} if frame.dimension else {})}
    cid, res = tools.call("ranking", **args)
    if "error" in res:
        return edition_note(frame, eid) + [Line(P("rank.failed", edition=Ed(eid))), Warn(res["error"]["message"])]
    if members:  # "按科研人才给2020年第二梯队排个序": the tier's members in the order of the measure asked
        res = {**res, "entities": [e for e in res["entities"] if e["name"] in members][:n + frame.offset]}
        res["count"] = len(res["entities"])
    shown = res["entities"][frame.offset:]
    if not frame.dimension and editions.has_tiers(eid) and len(res["entities"]) < min(n, 3):
        # an edition that ranks only by class (scores were in charts): its classes answer
        return Fallback("tier", "the edition ranks by class, not by score", {"tier": None},
                        keep=_printed_only(tools, eid))
    if not shown:
        return Fallback("narrative", "no ranking printed for this measure")
    if frame.dimension and not frame.offset and not members and shown[0]["rank"] != (res["of"] if bottom else 1) and \
            not (bottom and editions.printed_from_top(eid, frame.dimension)):
        # only a few middle ranks are printed (the rest were in charts): the report's statement
        # of who is highest or lowest answers instead
        return extremes.statement(frame, eid, bottom)
    by = Dim(eid, frame.dimension) if frame.dimension else P("compare.composite")
    of = count(res["of"], "entities in edition", cid, edition=eid)
    names = Join([Ent(e["name"]) for e in shown], "sep.list")
    if frame.offset and len(shown) == 1:  # "who is second?"
        lead = P("rank.lead_place", edition=Ed(eid), by=by, place=rank(shown[0]["rank"], "rank", cid, edition=eid), of=of,
                 entity=Ent(shown[0]["name"]), score=ranked_score(shown[0], res, cid, eid, frame.dimension))
    elif frame.offset:
        lead = P("rank.lead_next" if frame.inherited else "rank.lead_span", edition=Ed(eid), by=by, first=rank(shown[0]["rank"], "rank", cid, edition=eid),
                 last=rank(shown[-1]["rank"], "rank", cid, edition=eid), of=of, names=names)
    elif bottom and shown[0]["rank"] != res["of"]:  # "the bottom 3 of the GTII": only its top 15 are printed
        pcid, printed = tools.call("ranking", edition=eid, top=RANKING_MAX, **({"by": frame.dimension} if frame.dimension else {}))
        lead = P("rank.bottom_unprinted", edition=Ed(eid), by=by, printed=count(printed.get("count", len(shown)), "entities ranked", pcid),
                 of=of, k=count(len(shown), "entities listed", cid), names=names)
    elif members:
        lead = P("rank.lead_tier", edition=Ed(eid), tier=_tier_name(tools, eid, frame.tier), by=by, names=names,
                 k=count(len(shown), "entities listed", cid), kind=P(f"kind.{editions.kind(eid)}"))
    elif len(shown) == 1:
        lead = P("rank.lead_last" if bottom else "rank.lead_first", edition=Ed(eid), by=by, of=of, entity=Ent(shown[0]["name"]),
                 score=ranked_score(shown[0], res, cid, eid, frame.dimension))
    else:
        lead = P("rank.lead_bottom" if bottom else "rank.lead_top", edition=Ed(eid), by=by, of=of, names=names,
                 k=count(len(shown), "entities listed", cid) if len(shown) == res["count"] else "")
    out = edition_note(frame, eid) + [Line(lead), Bullets(ranked_row(e, res, cid, eid, frame.dimension) for e in shown)]
    if not members and len(res["entities"]) < n + frame.offset and res["of"] > len(res["entities"]):
        out.append(Line(P("rank.partial", edition=Ed(eid), printed=count(res["count"], "entities ranked", cid),
                          of=of)))
    flagged = [e for e in shown if (e.get("discrepancy") or {}).get("measure", "").endswith(".rank")]
    if flagged:
        out.append(Warn("a printed rank contradicts the printed scores"))
    values = tuple(e["score"] for e in shown)
    if any(v is not None for v in values):
        out.append(Chart("ranking", P("rank.chart_title", edition=Ed(eid), by=by), tuple(Ent(e["name"]) for e in shown),
                         ((by, values),)))
    return out


def _printed_only(tools: ToolRunner, eid: str, statistic: str | None = None) -> tuple:
    """The first sentence when an edition prints few composites and ranks the rest by class: what
    it prints (those scores, each with its line), before the classes; for a ``statistic`` of all
    scores, that it cannot be computed and where the classes put it."""
    cid, res = tools.call("ranking", edition=eid, top=RANKING_MAX)
    if "error" in res or not res.get("entities"):
        return ()
    kind = P(f"kind.{editions.kind(eid)}")
    items = Join([P("rank.printed_item", entity=Ent(e["name"]), score=ranked_score(e, res, cid, eid, None),
                    cite=Cite(e["source"]["source_file"], e["source"]["line"], needles=(e["source"]["printed"],))
                    if e.get("source") else "") for e in res["entities"]], "sep.list")
    if statistic and (lead := classes.by_class(tools, eid, statistic, res["of"], res["count"], items)):
        return lead
    return (Line(P("rank.printed_only", edition=Ed(eid), printed=count(res["count"], "entities ranked", cid), kind=kind,
                   of=count(res["of"], "entities in edition", cid, edition=eid), scores=items)),)


def _statistic(frame: Frame, tools: ToolRunner, eid: str) -> list:
    """"The average of the top 5", "the median", "the spread between first and last": the statistic
    first, then the rows it is taken over (the top N) or the entities that make it."""
    members, said = list(frame.entities) if len(frame.entities) >= 2 else [], []
    if frame.filters and not members:  # "GTII里日本城市平均分": over the places the filters keep (in the top N asked)
        args, said = filters.of(frame)
        _, kept = tools.ok("count", edition=eid, **args, **({"by": frame.dimension} if frame.dimension else {}),
                           **({"top": frame.n} if frame.n else {}))
        members = [m["name"] for m in (kept or {}).get("members", [])]
        if len(members) < 2:
            return Fallback("count", "one place or none passes the filters: which, if any")
        frame = frame.model_copy(update={"n": None, "tier": None})
    bottom = frame.direction == "bottom" and frame.n is not None
    cid, res = tools.call("stats", edition=eid, **({"by": frame.dimension} if frame.dimension else {}),
                          **({"top": frame.n, "bottom": bottom} if frame.n else {}),
                          **({"tier": frame.tier} if frame.tier and editions.has_tiers(eid) else {}),
                          **({"entities": members} if members else {}))
    if "error" in res or not res.get("n"):
        return Fallback("narrative", "no printed scores to summarise")
    if frame.n and frame.n >= res["of"]:  # "38个区县…的中位数": the edition's size, every entity, not a top N
        return _statistic(frame.model_copy(update={"n": None}), tools, eid)
    whole = not frame.n and not res.get("tier") and not res.get("entities")  # over every entity of the edition
    if whole and res["n"] * 2 < res["of"] and editions.has_tiers(eid):
        return Fallback("tier", "most scores are not printed: the classes say where the entities stand",
                        keep=_printed_only(tools, eid, frame.aspect))
    kind = P(f"kind.{editions.kind(eid)}")
    by = Dim(eid, frame.dimension) if frame.dimension else P("compare.composite")
    scope = P("rank.scope_filtered", filter=Join(said, "sep.list"), kind=kind,
              names=Join([Ent(e) for e in res["entities"]], "sep.list")) if said and res.get("entities") \
        else P("rank.scope_named", names=Join([Ent(e) for e in res["entities"]], "sep.list")) if res.get("entities") \
        else P("rank.scope_bottom" if bottom else "rank.scope_top", n=count(frame.n, "top N", cid)) if frame.n \
        else P("rank.scope_tier", tier=_tier_name(tools, eid, res["tier"]), kind=kind) if res.get("tier") \
        else P("rank.scope_all", kind=kind)
    n = count(res["n"], "entities summarised", cid, edition=eid)
    if frame.aspect == "spread":
        hi, lo = res["highest"], res["lowest"]
        cites = _cites(tools, eid, frame.dimension, (hi["name"], lo["name"]))
        lead = P("rank.stat_spread", edition=Ed(eid), scope=scope, by=by, value=score(res["spread"], "spread", cid, edition=eid),
                 high=Ent(hi["name"]), hs=score(hi["score"], "highest", cid, entity=hi["name"], edition=eid),
                 low=Ent(lo["name"]), ls=score(lo["score"], "lowest", cid, entity=lo["name"], edition=eid),
                 cites=Join([c for c in cites if c], "sep.space"))
    else:
        lead = P(f"rank.stat_{frame.aspect}", edition=Ed(eid), scope=scope, by=by, n=n, kind=kind,
                 value=score(res["mean" if frame.aspect == "average" else "median"], frame.aspect, cid, edition=eid))
    if res.get("tier") and not res.get("entities"):  # a tier's: where the report names its members, and their scores
        _, t = tier_row(tools, eid, res["tier"])
        members = tuple((t or {}).get("members") or ())
        cites = [Cite(t["source"]["file"], t["source"]["line"])] if t and t.get("source") else []
        lead = Join([lead, *dict.fromkeys(c for c in cites + _cites(tools, eid, frame.dimension, members) if c)], "sep.space")
    elif whole:  # every entity's: the table lines it is taken from
        lead = Join([lead, _table_cite(tools, eid, frame.dimension)], "sep.space")
    out = edition_note(frame, eid) + _on_side(frame, tools, eid, res, by, kind, whole) + [Line(lead)]
    if res.get("entities"):  # "北上广深的平均分": each one's score, the statistic's makings
        _, rows = tools.ok("ranking", edition=eid, top=RANKING_MAX, **({"by": frame.dimension} if frame.dimension else {}))
        named = [r for r in (rows or {}).get("entities", []) if r["name"] in res["entities"]]
        cites = _cites(tools, eid, frame.dimension, tuple(r["name"] for r in named))
        out.append(Line(P("rank.stat_items", items=Join([P("compare.item", entity=Ent(r["name"]), score=Join(
            [score(r["score"], "score", cid, entity=r["name"], edition=eid), c], "sep.space"))
            for r, c in zip(named, cites)], "sep.list"))))
    if frame.aspect == "median":
        cites = _cites(tools, eid, frame.dimension, tuple(r["name"] for r in res["middle"]))
        out.append(Line(P("rank.stat_middle", items=Join([P("compare.item", entity=Ent(r["name"]),
                                                             score=Join([score(r["score"], "score", cid, entity=r["name"], edition=eid), c],
                                                                        "sep.space"))
                                                           for r, c in zip(res["middle"], cites)], "sep.list"))))
    if said and res["n"] < len(members):  # "GTII里美国城市": the report prints the scores of only some of them
        out.append(Line(P("rank.stat_partial", n=n, of=count(len(members), "entities the filters keep", cid, edition=eid),
                          kind=kind)))
    if whole and res["n"] < res["of"]:
        out.append(Line(P("rank.stat_partial", n=n, of=count(res["of"], "entities in edition", cid, edition=eid), kind=kind)))
    if frame.n:  # the rows the statistic is taken over, as a ranked list answers them
        rest = handle(frame.model_copy(update={"aspect": None}), tools)
        out += [b for b in rest if not isinstance(b, Fallback)][1:] if isinstance(rest, list) else []
    return out


def _tier_name(tools: ToolRunner, eid: str, tier: int):
    """The tier's name as the report gives it, for the scope of a statistic over its members."""
    cid, t = tier_row(tools, eid, tier)
    return tier_name(t, cid) if t else str(tier)


def _cites(tools: ToolRunner, eid: str, dim: str | None, names: tuple[str, ...]) -> list:
    """The printed line of each named entity's score in the ranking ("" where none is printed)."""
    _, res = tools.ok("ranking", edition=eid, top=RANKING_MAX, **({"by": dim} if dim else {}))
    rows = {e["name"]: e for e in (res or {}).get("entities", [])}
    return [Cite(rows[n]["source"]["source_file"], rows[n]["source"]["line"], needles=(rows[n]["source"]["printed"],))
            if rows.get(n, {}).get("source") else "" for n in names]


def _table_cite(tools: ToolRunner, eid: str, dim: str | None):
    """The span of the ranking's printed lines in one report ("" when its rows are printed in none)."""
    _, res = tools.ok("ranking", edition=eid, top=RANKING_MAX, **({"by": dim} if dim else {}))
    lines = [(e["source"]["source_file"], e["source"]["line"]) for e in (res or {}).get("entities", []) if e.get("source")]
    files = {f for f, _ in lines}
    if len(files) != 1:
        return ""
    return Cite(files.pop(), min(n for _, n in lines), max(n for _, n in lines))


def _on_side(frame: Frame, tools: ToolRunner, eid: str, res: dict, by, kind, whole: bool) -> list:
    """"How many cities are above the average?": how many of the edition's entities score on the side
    of the statistic asked (``rules.yaml`` ``statistic_side``), first; ``[]`` when no count is asked."""
    low = frame.question.lower()
    side = next((s for s in ("above", "below") if Words.of(rules()["statistic_side"][s])(low)), None)
    if not whole or side is None or frame.aspect not in ("average", "median") or not words("cues", "count")(frame.question):
        return []
    value = res["mean" if frame.aspect == "average" else "median"]
    cid, kept = tools.ok("count", edition=eid, **({"min_score": value} if side == "above" else {"max_score": value}),
                         **({"by": frame.dimension} if frame.dimension else {}))
    members = [m["name"] for m in (kept or {}).get("members", []) if not (side == "above" and m.get("score") == value)]
    return [Line(P("rank.stat_side", edition=Ed(eid), by=by, side=P(f"rank.side_{side}"), stat=P(f"rank.stat_name_{frame.aspect}"),
                   value=score(value, frame.aspect, cid, edition=eid), kind=kind, k=count(len(members), "entities on that side", cid, edition=eid),
                   of=count(res["of"], "entities in edition", cid, edition=eid), names=Join([Ent(m) for m in members], "sep.list"),
                   cite=_table_cite(tools, eid, frame.dimension)))]
