"""compare: any number of entities side by side in one edition; the first sentence says who
leads (on the dimension asked, else the composite). Up to 8 entities are columns of one table
with a grouped-bar chart; more are rows, in pages of 8, with a sorted-bar chart."""
from __future__ import annotations

from ...tools import ToolRunner
from ..frame import Frame
from . import editions, tables
from .blocks import Dim, Ed, Ent, Fallback, Join, Line, P, Warn
from .scores import edition_note, score, table_cites, tier_label


def handle(frame: Frame, tools: ToolRunner):
    if len(frame.entities) == 1 and len(_named_dimensions(frame)) >= 2:
        return _own_dimensions(frame, tools, editions.pick(frame), frame.entities[0])
    if len(frame.entities) < 2:
        return Fallback("lookup", "one entity: its own figures")
    eid = editions.pick(frame)
    out = edition_note(frame, eid)
    members = editions.members(eid)
    for m in (e for e in frame.entities if e not in members):
        out += [Line(P("compare.missing", entity=Ent(m), edition=Ed(eid))), Warn(f"{m} is not in {eid}")]
    ents = [e for e in frame.entities if e in members]
    if len(ents) < 2:
        return Fallback("lookup", "fewer than two entities in the edition", {"entities": tuple(ents)}, keep=tuple(out))
    cid, res = tools.call("compare", edition=eid, entities=ents)
    if "error" in res:
        return out + [Line(P("compare.failed", edition=Ed(eid))), Warn(res["error"]["message"])]
    rows = res["entities"]
    keys = [k for k in rows[0]["dimensions"] if any(r["dimensions"][k]["score"] is not None for r in rows)]
    dim = frame.dimension if frame.dimension in keys else None
    out.append(Line(_lead(rows, cid, eid, dim, tools)))
    out += tables.tables(rows, cid, eid, keys)
    leaders = res.get("leader_by_dimension") or {}
    if leaders and keys and len(rows) <= tables.PAGE:
        out.append(Line(P("compare.leaders", items=Join([P("compare.leader_item", dim=Dim(eid, k), entity=Ent(leaders[k]))
                                                          for k in keys], "sep.semi"))))
    printed = [(r.get("sources") or {}).get(m) for r in rows for m in ("composite", f"{keys[0]}.score" if keys else "rank")]
    cites = table_cites([s for s in printed if s])
    if cites:
        out.append(Line(P("compare.sources", cites=Join(cites, "sep.space"))))
    out.append(tables.chart(rows, eid, keys))
    return out


def _lead(rows: list[dict], cid: str, eid: str, dim: str | None, tools: ToolRunner) -> P:
    """The first sentence: who is ahead (of two) or who leads and who is last (of more), by how
    much the first is ahead of the second, then every value."""
    if dim:
        val = lambda r: r["dimensions"][dim]["score"]  # noqa: E731
    else:
        val = tables.composite_value
    known = sorted((r for r in rows if val(r) is not None), key=lambda r: -val(r))
    if not known and all(r.get("tier") for r in rows):  # scores only in charts: the classes the report states
        return P("compare.classes_only", edition=Ed(eid), items=Join(
            [P("compare.class_item", entity=Ent(r["name"]), label=tier_label(r["tier_label"], r.get("tier_label_en") or r["tier_label"]))
             for r in sorted(rows, key=lambda r: r["tier"])], "sep.list"))
    if not known:
        return P("compare.no_scores", edition=Ed(eid))
    unscored = [r for r in rows if val(r) is None]
    if len(known) == 1 and not dim and unscored and all((r.get("tier") or 0) > (known[0].get("tier") or 99) for r in unscored):
        # the others' scores were only in charts, but their class is lower (Chongqing districts)
        top = known[0]
        return P("compare.lead_by_class", leader=Ent(top["name"]), what=P("compare.composite"),
                 score=score(val(top), "composite score", cid, entity=top["name"], edition=eid),
                 others=Join([Ent(r["name"]) for r in unscored], "sep.list"))
    items = Join([P("compare.item", entity=Ent(r["name"]), score=score(val(r), f"{dim or 'composite'} score", cid,
                                                                       entity=r["name"], edition=eid, dimension=dim))
                  for r in known], "sep.list")
    what = Dim(eid, dim) if dim else P("compare.composite")
    gap = _gap(tools, eid, known[0]["name"], known[1]["name"], dim) if len(known) >= 2 else None
    if len(known) == 2:
        return P("compare.lead_two_gap" if gap else "compare.lead_two", higher=Ent(known[0]["name"]),
                 lower=Ent(known[1]["name"]), what=what, items=items, gap=gap)
    return P("compare.lead_many_gap" if gap else "compare.lead_many", leader=Ent(known[0]["name"]),
             second=Ent(known[1]["name"]), last=Ent(known[-1]["name"]), what=what, items=items, gap=gap)


def _gap(tools: ToolRunner, eid: str, a: str, b: str, dim: str | None):
    """How far ``a`` is ahead of ``b`` (points, on the printed composite where both are printed), from
    the gap tool; ``None`` for a tie or when the tool has no gap."""
    gid, g = tools.ok("gap", edition=eid, entity=a, other=b, **({"by": dim} if dim else {}))
    key = "gap" if dim else next((k for k in ("printed_gap", "computed_gap") if (g or {}).get(k) is not None), None)
    value = (g or {}).get(key) if key else None
    if not value or g.get("higher") != a:
        return None
    return score(abs(value), f"{dim or key} gap", gid, edition=eid, **({"dimension": dim} if dim else {}))


def _named_dimensions(frame: Frame) -> list[str]:
    """The dimensions the question names (linked in the frame's edition), in the order named."""
    return list(dict.fromkeys(link.target for link in frame.links if link.kind == "dimension" and link.target))


def _own_dimensions(frame: Frame, tools: ToolRunner, eid: str, ent: str):
    """"Is Yubei stronger on vitality or on environment?": the named dimensions of one entity, the
    higher first."""
    cid, res = tools.ok("scores", edition=eid, entity=ent)
    dims = (res or {}).get("dimensions") or {}
    known = sorted(((k, dims[k]["score"]) for k in _named_dimensions(frame) if (dims.get(k) or {}).get("score") is not None),
                   key=lambda kv: -kv[1])
    if len(known) < 2:
        return Fallback("lookup", "one entity: its own figures")
    items = Join([P("compare.item", entity=Dim(eid, k), score=score(v, f"{k} score", cid, entity=ent, edition=eid, dimension=k))
                  for k, v in known], "sep.list")
    return edition_note(frame, eid) + [Line(P("compare.own_dimensions", entity=Ent(ent), edition=Ed(eid),
                                              higher=Dim(eid, known[0][0]), items=items))]
