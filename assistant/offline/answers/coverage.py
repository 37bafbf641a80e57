"""coverage: what an edition covers — how many entities (with the line that says so), which
ones, and its last-ranked entity — or, with no edition named, which editions exist."""
from __future__ import annotations

from ...tool_args import RANKING_MAX
from ...tools import ToolRunner
from ..frame import Frame
from . import editions
from .blocks import Cite, Ed, Ent, Fallback, Join, Line, P
from .links import edition_items
from .scores import count, count_said, indicator_table, rank, score


def handle(frame: Frame, tools: ToolRunner):
    if not frame.editions or frame.edition_source == "default":  # "which editions do you have?": all of them
        cid, res = tools.ok("editions")
        items = edition_items(res, cid)
        return [Line(P("coverage.editions", items=Join(items, "sep.semi")))]
    if len(frame.editions) > 1 and frame.edition_source in ("explicit", "year"):
        # "How many cities and indicators do the 2019 and 2020 indices each cover?": each one's size
        return [x for eid in frame.editions for x in _size(tools, eid)[0]]
    eid = frame.editions[0]
    if frame.entities and not set(frame.entities) <= editions.members(eid):
        # "How does Lhasa do in the 2020 index?": that it is not covered there, and where it is
        return Fallback("lookup", "a place the edition does not cover: said so, with where it is covered")
    out, m, cid = _size(tools, eid)
    rcid, ranking = tools.ok("ranking", edition=eid, top=RANKING_MAX)
    rows = (ranking or {}).get("entities", [])
    nations = m.get("country_count")
    if nations:  # "45 cities in 12 countries": the report's own count of the countries, where it says it
        src = nations["source"]
        out.append(Line(P("coverage.countries", n=count(nations["value"], "countries", cid, edition=eid),
                          cite=Cite(src["file"], int(src["line"]), needles=(str(nations["value"]),)))))
    names = [r["name"] for r in rows] + sorted(editions.members(eid) - {r["name"] for r in rows})
    lcid, bottom = tools.ok("ranking", edition=eid, top=1, bottom=True)
    if bottom and bottom["entities"] and len(rows) == bottom["of"]:  # every entity ranked: the last is known
        last, rcid = bottom["entities"][0], lcid
        out.append(Line(P("coverage.last", entity=Ent(last["name"]), rank=rank(last["rank"], "rank", rcid, entity=last["name"],
                                                                                 edition=eid),
                          score=score(last["score"], "composite", rcid, entity=last["name"], edition=eid))))
    out.append(Line(P("coverage.members", names=Join([Ent(x) for x in names], "sep.list"))))
    return out


def _size(tools: ToolRunner, eid: str) -> tuple[list, dict, str]:
    """The lines that size an edition: how many entities (the report's own count and line, else the
    ranking's length) and, where the spec lists them, on how many indicators (cited to their table)."""
    cid, m = tools.call("methodology", edition=eid)
    m = m or {}
    cnt = m.get("entity_count") if isinstance(m.get("entity_count"), dict) else {}
    value, src = cnt.get("value"), cnt.get("source") or {}
    c = Cite(src["file"], int(src["line"]), needles=(str(value),)) if src.get("file") else ""
    if value is None:
        cid, ranking = tools.ok("ranking", edition=eid, top=1)
        value = (ranking or {}).get("of")
    out = [Line(P("coverage.lead", edition=Ed(eid), n=count(value, "entities in edition", cid, edition=eid),
                  kind=P(f"kind.{editions.kind(eid)}"), cite=c)), *count_said(eid)]
    table = indicator_table(m)
    if m.get("indicator_count") and table:
        out.append(Line(P("coverage.indicators", n=count(m["indicator_count"], "indicators", cid, edition=eid), cite=table)))
    return out, m, cid
