"""change: between periods. For a quarterly index, what the report states about the entity
against the previous quarter (or which entity rose or fell most); for an entity in several
editions, its rank in each, with the caveat that methods differ."""
from __future__ import annotations

from ...tools import ToolRunner
from ..frame import Frame
from . import editions
from .blocks import Bullets, Chart, Ed, Ent, Fallback, Line, P
from .entity import edition_line
from .facts import value_phrase
from .scores import composite, count, measure_cite, rank
from .vocab import rules


def handle(frame: Frame, tools: ToolRunner):
    quarterly = [e for e in (frame.editions or ()) if editions.period(e)]
    if frame.period or quarterly or (not frame.entities and frame.editions and editions.period(frame.editions[0])):
        eid = quarterly[0] if quarterly else editions.pick(frame)
        if not editions.period(eid):
            return Fallback("narrative", "no quarterly edition: the reports' text answers")
        return _quarter(frame, tools, eid)
    if not frame.entities:
        return Fallback("narrative", "no entity: the reports' text answers")
    return _across_editions(frame, tools, frame.entities[0])


def _has(text: str, words: list[str]) -> bool:
    return any(w in text for w in words)


def _claim(row: dict) -> str:
    """The measure a stated change is about, without the report's annotation in brackets."""
    return row["indicator_zh"].split("（")[0]


def _quarter(frame: Frame, tools: ToolRunner, eid: str) -> list:
    cue = rules()["change"]
    # a name that is not one of the edition's entities (重庆 in 重庆区县双创指数) names the index, not a subject
    frame = frame.model_copy(update={"entities": tuple(e for e in frame.entities if e in editions.members(eid))})
    cid, res = tools.ok("facts", edition=eid, **({"entity": frame.entities[0]} if frame.entities else {}))
    rows = (res or {}).get("facts", [])
    labels = [editions.dimension_label(eid, k, "zh") for k in editions.dimension_keys(eid)]
    if frame.dimension:
        stem = editions.dimension_label(eid, frame.dimension, "zh")
        rows = [r for r in rows if stem in r["indicator_zh"]]
    else:  # the composite: statements that name no sub-index
        rows = [r for r in rows if not _has(_claim(r), labels)] or rows
    changes = [r for r in rows if _has(r["indicator_zh"], cue["previous_period"])]
    if not frame.entities:  # who rose / fell the most
        fall = frame.direction == "bottom"
        want = cue["fall"] if fall else cue["rise"]
        largest = [r for r in changes if _has(r["indicator_zh"], cue["largest"]) and _has(_claim(r), want)]
        if not largest:
            return Fallback("narrative", "the report states no largest change for this measure")
        ent = largest[0]["entity"]
        same = [r for r in largest if r["entity"] == ent]
        # the same entity's other "largest" claims: where the report contradicts itself, both are shown
        other = [r for r in changes if r["entity"] == ent and r not in same and _has(r["indicator_zh"], cue["largest"])]
        out = [Line(P("change.largest_fall" if fall else "change.largest_rise", edition=Ed(eid), entity=Ent(ent),
                      item=value_phrase(same[0], cid, ent, eid)))]
        if same[1:] or other:
            out.append(Bullets(value_phrase(r, cid, ent, eid) for r in same[1:] + other))
        return out + _this_quarter(tools, eid, ent)
    ent = frame.entities[0]
    if not changes:
        return Fallback("lookup", "the report states no previous-quarter value", {"period": None},
                        keep=(Line(P("change.none_stated", entity=Ent(ent), edition=Ed(eid))),))
    levels = [r for r in changes if not _has(_claim(r), cue["rise"] + cue["fall"])]
    moves = [r for r in changes if r not in levels]
    # the index's own score first (a score, not a rank or a sub-measure), its level before its move
    ordered = sorted(levels + moves, key=lambda r: (not _has(_claim(r), cue["composite"]), r in moves))
    first, *rest = ordered
    out = [Line(P("change.quarter_lead", entity=Ent(ent), edition=Ed(eid), item=value_phrase(first, cid, ent, eid)))]
    if levels and not frame.dimension:
        out += _this_quarter(tools, eid, ent)
    if rest:
        out.append(Bullets(value_phrase(r, cid, ent, eid) for r in rest[:5]))
    return out


def _this_quarter(tools: ToolRunner, eid: str, ent: str) -> list:
    scid, now = tools.ok("scores", edition=eid, entity=ent)
    comp = composite(now, scid) if now else None
    if comp is None:
        return []
    return [Line(P("change.this_quarter", composite=comp, cite=measure_cite(now, "composite") or ""))]


def _across_editions(frame: Frame, tools: ToolRunner, ent: str) -> list:
    cid, res = tools.ok("entity_editions", entity=ent)
    eds = (res or {}).get("editions", [])
    if frame.editions and len(frame.editions) >= 2:
        eds = [e for e in eds if e["edition"] in frame.editions] or eds
    if not eds:
        return [Line(P("change.no_editions", entity=Ent(ent)))]
    eds = sorted(eds, key=lambda e: (editions.year(e["edition"]), e["edition"]))
    ranked = [e for e in eds if e.get("rank") is not None]
    # a rank moves only between editions that rank the same kind of entity (not GTII's global cities vs China's)
    newest_kind = editions.kind(ranked[-1]["edition"]) if ranked else None
    comparable = [e for e in ranked if editions.kind(e["edition"]) == newest_kind]
    out: list = []
    if len(comparable) >= 2:
        a, b = comparable[0], comparable[-1]
        key = "change.rank_up" if b["rank"] < a["rank"] else "change.rank_down" if b["rank"] > a["rank"] else "change.rank_same"
        out.append(Line(P(key, entity=Ent(ent), a=Ed(a["edition"]), b=Ed(b["edition"]),
                          ra=rank(a["rank"], "rank", cid, entity=ent, edition=a["edition"]),
                          na=count(a["of"], "entities in edition", cid, edition=a["edition"]),
                          rb=rank(b["rank"], "rank", cid, entity=ent, edition=b["edition"]),
                          nb=count(b["of"], "entities in edition", cid, edition=b["edition"]))))
    else:
        out.append(Line(P("change.across_lead", entity=Ent(ent))))
    out.append(Bullets(edition_line(tools, ent, e, cid) for e in eds))
    missing = [m for m in frame.editions if m not in {e["edition"] for e in eds}]
    out += [Line(P("change.not_in", edition=Ed(m), entity=Ent(ent))) for m in missing]
    out.append(Line(P("change.caveat")))
    if ranked:
        out.append(Chart("bar", P("change.chart_title", entity=Ent(ent)), tuple(Ed(e["edition"]) for e in ranked),
                         ((P("change.chart_series"), tuple(e["rank"] for e in ranked)),)))
    return out
