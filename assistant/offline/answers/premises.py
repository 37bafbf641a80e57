"""Check what a question asserts before answering it (``Frame.premises``).

Each false premise becomes the answer's first sentence, with the true figure and its
citation; true premises add nothing. Checks use the same tools as the answers, so every
figure is verifiable."""
from __future__ import annotations

from ...tools import ToolRunner
from ..frame import Frame, Premise
from . import editions
from .blocks import Dim, Ed, Ent, Join, Line, P, Warn
from .scores import composite, count, measure_cite, rank, score, tier_label
from .vocab import rules

ORDINAL_WORDS = 10  # phrases.yaml has ordinal.1 .. ordinal.10 (words, so the asked rank is not restated as a figure)


def _edition(frame: Frame, premise: Premise) -> str:
    if premise.edition:
        return premise.edition
    return editions.pick(frame)


def _ordinal(n) -> P:
    try:
        k = int(n)
    except (TypeError, ValueError):
        k = 0
    return P(f"ordinal.{k}") if 1 <= k <= ORDINAL_WORDS else P("ordinal.other")


def _position(tools: ToolRunner, eid: str, entity: str, dimension: str | None):
    """(call id, scores result, rank, score, cite) of the entity on the composite or a dimension."""
    cid, res = tools.ok("scores", edition=eid, entity=entity)
    if not res:
        return cid, None, None, None, None
    if dimension and dimension in res["dimensions"]:
        d = res["dimensions"][dimension]
        return cid, res, d.get("rank"), d.get("score"), measure_cite(res, f"{dimension}.score", f"{dimension}.rank")
    return cid, res, res.get("rank"), None, measure_cite(res, "composite", "rank")


def _standing_phrase(cid: str, res: dict, eid: str, r, s, dimension: str | None) -> P:
    ent = res["name"]
    rk = rank(r, "rank", cid, entity=ent, edition=eid, dimension=dimension)
    of = count(res["of"], "entities in edition", cid, edition=eid)
    if dimension and s is not None:
        return P("premise.standing_dim", rank=rk, of=of, score=score(s, f"{dimension} score", cid, entity=ent, edition=eid,
                                                                      dimension=dimension))
    comp = composite(res, cid)
    return P("premise.standing", rank=rk, of=of, composite=comp if comp is not None else "")


def check(frame: Frame, tools: ToolRunner) -> list:
    out: list = []
    for premise in frame.premises:
        out += _check_one(frame, premise, tools)
    return out


def _check_one(frame: Frame, p: Premise, tools: ToolRunner) -> list:
    if p.kind == "edition_year":
        return _edition_year(frame, p, tools)
    entity = p.entity or (frame.entities[0] if frame.entities else None)
    if entity is None:
        return []
    eid = _edition(frame, p)
    if entity not in editions.members(eid):
        if p.kind == "membership" or p.kind in ("rank", "tier", "class", "in_top", "outside_top", "leader", "last"):
            return [Line(P("premise.not_in_edition", entity=Ent(entity), edition=Ed(eid))), Warn(f"premise: {entity} not in {eid}")]
        return []
    dim = p.dimension or (frame.dimension if p.kind in ("rank", "leader", "last", "weak", "strong") else None)
    cid, res, r, s, cite = _position(tools, eid, entity, dim)
    if res is None or (r is None and p.kind not in ("tier", "class", "ordering")):
        return []
    standing = _standing_phrase(cid, res, eid, r, s, dim) if r is not None else ""
    where = Ed(eid) if not dim else P("premise.where_dim", edition=Ed(eid), dim=Dim(eid, dim))
    c = cite if cite is not None else ""
    false: P | None = None
    if p.kind == "rank" and p.value is not None and int(p.value) != r:
        false = P("premise.rank_false", entity=Ent(entity), asked=_ordinal(p.value), where=where, standing=standing, cite=c)
    elif p.kind == "leader" and r != 1:
        false = P("premise.leader_false", entity=Ent(entity), where=where, standing=standing, cite=c)
    elif p.kind == "last" and r != res["of"]:
        false = P("premise.last_false", entity=Ent(entity), where=where, standing=standing, cite=c)
    elif p.kind in ("in_top", "outside_top") and p.value is not None:
        n = int(p.value)
        tcid, top = tools.ok("ranking", edition=eid, top=n, **({"by": dim} if dim else {}))
        inside = r <= n
        if (p.kind == "in_top") != inside:
            key = "premise.in_top_false" if p.kind == "in_top" else "premise.outside_top_false"
            false = P(key, entity=Ent(entity), where=where, n=count(n, "top N", tcid), standing=standing, cite=c)
    elif p.kind in ("tier", "class") and p.value is not None and res.get("tier") != int(p.value):
        false = _tier_false(tools, eid, entity, int(p.value), res, cid, c)
    elif p.kind == "ordering" and p.other:
        return _ordering(tools, eid, entity, p.other, dim)
    elif p.kind in ("weak", "strong") and r is not None:
        share = rules()["standing"]
        top_part = r <= max(1, round(res["of"] * share["strong_share"]))
        bottom_half = r > res["of"] * share["weak_share"]
        if p.kind == "weak" and top_part:
            false = P("premise.weak_false", entity=Ent(entity), where=where, standing=standing, cite=c)
        elif p.kind == "strong" and bottom_half:
            false = P("premise.strong_false", entity=Ent(entity), where=where, standing=standing, cite=c)
    if false is None:
        return []
    return [Line(false), Warn(f"false premise: {p.kind}")]


def _tier_false(tools: ToolRunner, eid: str, entity: str, asked: int, res: dict, cid: str, c) -> P | None:
    tcid, tiers = tools.ok("tiers", edition=eid)
    rule = next((t for t in (tiers or {}).get("tiers", []) if t["tier"] == asked), None)
    asked_label = tier_label(rule["label_zh"], rule["label_en"]) if rule else _ordinal(asked)
    actual = tier_label(res["tier_label"], res["tier_label_en"]) if res.get("tier_label") else P("tier.none")
    comp = composite(res, cid)
    return P("premise.tier_false", entity=Ent(entity), edition=Ed(eid), asked=asked_label, actual=actual,
             composite=comp if comp is not None else "", cite=c)


def _ordering(tools: ToolRunner, eid: str, entity: str, other: str, dim: str | None) -> list:
    if other not in editions.members(eid):
        return []
    cid, g = tools.ok("gap", edition=eid, entity=entity, other=other, **({"by": dim} if dim else {}))
    if not g or g.get("higher") in (None, entity):
        return []
    a, b = g["entities"]
    if a.get("rank") is not None and b.get("rank") is not None and a["rank"] < b["rank"]:
        return []  # printed ahead though scoring lower: the report's contradiction (notes), not a false premise
    val = (lambda e: e.get("printed") if e.get("printed") is not None else e.get("computed")) if not dim else (lambda e: e["score"])
    return [Line(P("premise.ordering_false", entity=Ent(entity), other=Ent(other), edition=Ed(eid),
                   a=score(val(a), "score", cid, entity=a["name"], edition=eid),
                   b=score(val(b), "score", cid, entity=b["name"], edition=eid))),
            Warn("false premise: ordering")]


def _edition_year(frame: Frame, p: Premise, tools: ToolRunner) -> list:
    try:
        y = int(p.value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return []
    if editions.by_year(y):
        return []
    _, res = tools.ok("editions")
    listed = [Ed(e["id"]) for e in (res or {}).get("editions", [])]
    return [Line(P("premise.no_edition_year", year=str(y), editions=Join(listed, "sep.semi"))), Warn(f"no {y} edition")]
