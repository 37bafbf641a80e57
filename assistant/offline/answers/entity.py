"""Shared pieces for answers about one entity in one edition: its figures with the asked
aspect first, its line in other editions, an edition that does not cover it, an edition that
states only its class, and a printed rank that contradicts the printed scores."""
from __future__ import annotations

import re

from ...tool_args import RANKING_MAX
from ...tools import ToolRunner, published_sources
from ..frame import Frame
from . import editions, passages
from .average import versus
from .facts import value_phrase
from .blocks import Bullets, Cite, Dim, Ed, Ent, Join, Line, Local, P, Verbatim, Warn
from .vocab import rules
from .scores import (composite, count, count_cite, covered, entity_tier_cite, dimensions_line, lowest_named, measure_cite, rank, score, standing_chart,
                     table_cites, tier_cite, tier_margin, tier_phrase, tier_row)


YEAR = re.compile(r"(?:19|20)\d\d")


def entity_answer(frame: Frame, tools: ToolRunner, eid: str, ent: str, lead: bool = True) -> list:
    """What one entity scores in one edition, the asked aspect first."""
    cid, res = tools.call("scores", edition=eid, entity=ent)
    if "error" in res:
        # the city of a district index asked of one year's index: that index only, not the city's own indices
        dated = editions.region_of_members(eid, ent) and YEAR.search(frame.question)
        return not_in_edition(tools, eid, ent, res["error"], others_too=not dated)
    if res.get("composite") is None and res.get("published_composite") is None:
        dim = frame.dimension if frame.dimension in res["dimensions"] else None
        return (_said_on(tools, eid, ent, dim) if dim else []) + class_only(tools, eid, ent, cid, res)  # what was asked first
    of = count(res["of"], "entities in edition", cid, edition=eid)
    comp = composite(res, cid, frame.composite)
    rk = rank(res["rank"], "composite rank", cid, entity=ent, edition=eid) if res.get("rank") is not None else ""
    tier = tier_phrase(res, cid) or ""
    kind = P(f"kind.{editions.kind(eid)}")
    cite = measure_cite(res, "composite", "rank", any_score=True) or ""
    out: list = []
    dim = frame.dimension if frame.dimension in res["dimensions"] else None
    if dim:
        d = res["dimensions"][dim]
        dcite = measure_cite(res, f"{dim}.score", f"{dim}.rank") or ""
        s = score(d["score"], f"{dim} score", cid, entity=ent, edition=eid, dimension=dim) if d.get("score") is not None else None
        r = rank(d["rank"], f"{dim} rank", cid, entity=ent, edition=eid, dimension=dim) if d.get("rank") is not None else None
        key = "lookup.dim_score_rank" if s and r else "lookup.dim_score" if s else "lookup.dim_rank" if r else "lookup.dim_none"
        listed = ""
        if key == "lookup.dim_none":
            lcid, listing = tools.ok("ranking", edition=eid, by=dim, top=RANKING_MAX)
            listed = count((listing or {}).get("count", 0), "entities listed", lcid, edition=eid) if listing else ""
        out.append(Line(P(key, edition=Ed(eid), entity=Ent(ent), dim=Dim(eid, dim), score=s or "", rank=r or "",
                          of=of, kind=kind, listed=listed, cite=dcite)))
        out += _rank_contradiction(tools, eid, ent, dim, res)
        out.append(Line(P("lookup.then_composite" if rk else "lookup.then_composite_no_rank", composite=comp, rank=rk,
                          of=of, kind=kind, tier=tier, cite=cite)))
    else:
        key = {"rank": "lookup.rank", "tier": "lookup.tier"}.get(frame.aspect or "", "lookup.score")
        if key == "lookup.tier" and res.get("tier") is None:
            key = "lookup.score"  # "is Tokyo in the first tier of GTII?": an edition without tiers (the premise check says so)
        if key == "lookup.tier":
            tcid, tiers = tools.ok("tiers", edition=eid)
            tier = tier_phrase(res, cid, "bare", lowest_named((tiers or {}).get("tiers", []), tcid, eid)[0]) or ""
            key = key if rk else "lookup.tier_no_rank"
            # the report's tier statement says it, beside the line that prints the figures
            cite = Join([c for c in (entity_tier_cite(tools, eid, ent), cite) if c], "sep.space")
        elif not rk:
            key = "lookup.score_no_rank"
        out.append(Line(P(key, edition=Ed(eid), entity=Ent(ent), composite=comp, rank=rk, of=of, kind=kind, tier=tier,
                          cite=cite)))
        mine = next((t for t in (tiers or {}).get("tiers", []) if t["tier"] == res["tier"]), None) \
            if key.startswith("lookup.tier") else None
        if mine and (margin := tier_margin(tools, eid, ent, mine, tcid)):
            out.append(Line(margin))  # "how close to the cut-off was it?": its margin over the line
        line = dimensions_line(res, cid, eid)
        if line:
            out.append(Line(line))
    if res.get("composite_source") == "computed" and res.get("published_composite") is None:
        out.append(Line(P("composite.not_printed")))
    against = versus(frame, tools, eid, ent, res, cid)
    if against:
        out.insert(0, against)  # "is that above average?" is answered first
    chart = standing_chart(tools, eid, ent)
    if chart:
        out.append(chart)
    if lead and frame.edition_source in (None, "default") and res.get("other_editions"):
        out.append(Line(P("lookup.other_editions")))
        out.append(Bullets(edition_line(tools, ent, e, cid) for e in res["other_editions"]))
    return out


def edition_line(tools: ToolRunner, ent: str, e: dict, cid: str) -> P:
    """One line per edition the entity appears in (from an ``entity_editions``/``scores`` result)."""
    eid = e["edition"]
    if e.get("composite") is None and e.get("published_composite") is None:
        _, row = tier_row(tools, eid, e["tier"]) if e.get("tier") is not None else ("", None)
        if row is not None:  # "渝中区: no score in the text; in class 2": the class statement names it
            return P("lookup.edition_class_only", edition=Ed(eid), tier=tier_phrase({**e, "name": ent}, cid, "bare") or "",
                     cite=tier_cite(row, eid))
        return P("lookup.edition_no_score", edition=Ed(eid))
    comp = composite({**e, "name": ent}, cid)
    src = published_sources(eid, ent)
    cite = measure_cite({"sources": src}, "composite", "rank", any_score=True) or ""
    rk = P("lookup.rank_of", rank=rank(e["rank"], "rank", cid, entity=ent, edition=eid),
           of=count(e["of"], "entities in edition", cid, edition=eid)) if e.get("rank") is not None else ""
    tier = ""
    if e.get("tier") is not None and e.get("tier_label"):
        tier = tier_phrase({**e, "name": ent}, cid) or ""
    return P("lookup.edition_line", edition=Ed(eid), composite=comp, rank=rk, tier=tier, cite=cite)


def not_in_edition(tools: ToolRunner, eid: str, ent: str, error: dict, others_too: bool = True) -> list:
    if error.get("code") != "not_available":
        return [Line(P("lookup.lookup_failed", entity=Ent(ent), edition=Ed(eid))), Warn(error.get("message", ""))]
    out: list = [Line(P("lookup.not_in_edition", entity=Ent(ent), edition=Ed(eid), covers=covered(eid))), Warn(f"{ent} is not in {eid}")]
    if editions.region_of_members(eid, ent):  # 重庆 in 重庆区县双创指数: the city whose districts it ranks
        rcid, ranking = tools.ok("ranking", edition=eid, top=1)
        out = [Line(P("lookup.region_of_districts", entity=Ent(ent), edition=Ed(eid), kind=P(f"kind.{editions.kind(eid)}"),
                      n=count((ranking or {}).get("of") or len(editions.members(eid)), "entities in edition", rcid,
                              edition=eid), cite=count_cite(eid)))]
        out += whole_index(tools, eid, ranking or {}, rcid)
    cid, res = tools.ok("entity_editions", entity=ent)
    others = [e for e in (res or {}).get("editions", []) if e["edition"] != eid]
    if others and others_too:
        out.append(Line(P("lookup.nearest_editions")))
        out.append(Bullets(edition_line(tools, ent, e, cid) for e in others))
        if len(others) == 1:  # its one other edition: where it stands there, dimension by dimension
            scid, sres = tools.ok("scores", edition=others[0]["edition"], entity=ent)
            line = dimensions_line(sres, scid, others[0]["edition"]) if sres and sres.get("dimensions") else None
            if line:
                out.append(Line(line))
    return out


def _said_on(tools: ToolRunner, eid: str, ent: str, dim: str) -> list:
    """What the report says of ``ent`` on dimension ``dim`` when it prints no score for it there
    ("沙坪坝区的双创活力": named among the districts whose vitality stands out): the sentence naming both."""
    name = editions.dimension_label(eid, dim, "zh")
    short = ent.rstrip(str(passages.sentence_vocabulary()["place_suffixes"]))  # 沙坪坝区 -> 沙坪坝
    hits = passages.search(tools, f"{ent} {name}", k=6, edition=eid)
    found = passages.best(hits, f"{ent} {name}", k=1, extra=(ent,),
                          keep=lambda text: name in text and (ent in text or short in text))
    if not found:
        return []
    return [Line(P("why.report_says", sentence=Verbatim(found[0].text, found[0].cite()), cite=found[0].cite()))]


def class_only(tools: ToolRunner, eid: str, ent: str, cid: str, res: dict) -> list:
    """Editions that state a class but print the score only in a chart (Chongqing districts)."""
    out: list = []
    tcid, tiers = tools.ok("tiers", edition=eid)
    rule = next((t for t in (tiers or {}).get("tiers", []) if t["tier"] == res.get("tier")), None)
    if rule:
        src = rule.get("source") or {}
        c = Cite(src["file"], int(src["line"]), int(src["line"]) + 4, needles=(ent[:2],)) if src.get("file") else ""
        out.append(Line(P("lookup.class_only", entity=Ent(ent), edition=Ed(eid), tier=tier_phrase(res, cid, "bare") or "",
                          cite=c)))
        above = next((t for t in tiers["tiers"] if t["tier"] == rule["tier"] - 1), None)
        if rule.get("threshold") is not None and above and above.get("threshold") is not None:
            out.append(Line(P("lookup.class_range", low=score(rule["threshold"], "class lower bound", tcid, decimals=0, edition=eid),
                              high=score(above["threshold"], "class upper bound", tcid, decimals=0, edition=eid))))
        out.append(Warn(f"{ent}: exact score only in a chart; class known"))
    else:
        out.append(Line(P("lookup.no_score", entity=Ent(ent), edition=Ed(eid))))
    stated = []
    for k, d in res["dimensions"].items():
        if d.get("score") is None and d.get("rank") is None:
            continue
        s = score(d["score"], f"{k} score", cid, entity=ent, edition=eid, dimension=k) if d.get("score") is not None else ""
        r = rank(d["rank"], f"{k} rank", cid, entity=ent, edition=eid, dimension=k) if d.get("rank") is not None else ""
        key = "lookup.stated_dim_both" if s and r else "lookup.stated_dim_score" if s else "lookup.stated_dim_rank"
        stated.append(P(key, dim=Dim(eid, k), score=s, rank=r,
                        cite=measure_cite(res, f"{k}.score" if s else f"{k}.rank") or ""))
    if stated:
        out.append(Bullets(stated))
    elif rule is None:
        out += _listed_only(tools, eid, ent, cid, res)
    return out


def _listed_only(tools: ToolRunner, eid: str, ent: str, cid: str, res: dict) -> list:
    """An entity the edition evaluates but prints nothing for (旧金山 in the GTII): where its city
    list names it, and which lists the report does print."""
    row = editions.listing(eid, ent)
    rcid, ranking = tools.ok("ranking", edition=eid, top=RANKING_MAX)
    if row is None or not ranking or not res.get("of"):
        return []
    c = next((c for c in rules()["countries"].values() if c["zh"] == row.get("country_zh")), None)
    country = Local(c["zh"], c["en"]) if c else row.get("country_zh", "")
    return [Line(P("lookup.listed_only", entity=Ent(ent), edition=Ed(eid), n=count(res["of"], "entities in edition", cid, edition=eid),
                   country=country, cite=Cite(row["source_file"], int(row["line"]), needles=(ent,)),
                   k=count(ranking["count"], "entities ranked", rcid, edition=eid),
                   table=Join(table_cites([r["source"] for r in ranking["entities"] if r.get("source")]), "sep.space")))]


def _rank_contradiction(tools: ToolRunner, eid: str, ent: str, key: str, res: dict) -> list:
    """A printed rank that contradicts the printed scores (the entity printed above a higher score)."""
    if not any(d.get("measure") == f"{key}.rank" for d in res.get("discrepancies") or []):
        return []
    cid, ranking = tools.ok("ranking", edition=eid, by=key, top=RANKING_MAX)
    rows = (ranking or {}).get("entities", [])
    me = next((x for x in rows if x["name"] == ent), None)
    before = next((x for x in rows if me and x["rank"] == me["rank"] - 1), None)
    if not me or not before or me["score"] is None or before["score"] is None:
        return []
    c = Cite(me["source"]["source_file"], me["source"]["line"], needles=(me["source"]["printed"],)) if me.get("source") else ""
    return [Line(P("lookup.rank_contradiction", entity=Ent(ent), other=Ent(before["name"]),
                   rank=rank(me["rank"], f"{key} rank (printed)", cid, entity=ent, edition=eid, dimension=key),
                   score=score(me["score"], f"{key} score", cid, entity=ent, edition=eid, dimension=key),
                   other_rank=rank(before["rank"], f"{key} rank", cid, entity=before["name"], edition=eid, dimension=key),
                   other_score=score(before["score"], f"{key} score", cid, entity=before["name"], edition=eid, dimension=key),
                   cite=c)),
            Warn(f"the report's printed {key} rank of {ent} contradicts its printed scores")]


def whole_index(tools: ToolRunner, eid: str, ranking: dict, rcid: str) -> list:
    """Who is first in the edition's ``ranking`` (a tool result), and what the report states about
    all its entities together (made of no member: the districts' average change, how many rose)."""
    fcid, res = tools.ok("facts", edition=eid)
    members = editions.members(eid)
    labels = [editions.dimension_label(eid, k, "zh") for k in editions.dimension_keys(eid)]
    rows = sorted((r for r in (res or {}).get("facts", []) if r["entity"] not in members),
                  key=lambda r: any(label in r["indicator_zh"] for label in labels))  # the whole index first
    out: list = []
    lead = ((ranking or {}).get("entities") or [None])[0]
    if lead and lead.get("score") is not None:
        src = lead.get("source")
        out.append(Line(P("lookup.districts_first", entity=Ent(lead["name"]), score=score(lead["score"], "composite", rcid,
                                                                                          entity=lead["name"], edition=eid),
                          cite=Cite(src["source_file"], src["line"], needles=(src["printed"],)) if src else "")))
    if rows:
        out.append(Line(P("lookup.whole_index")))
        out.append(Bullets(value_phrase(r, fcid, r["entity"], eid) for r in rows[:4]))
    return out
