"""whatif: re-weight the dimensions and say what changes — the entities asked about (or the
new top 10 and the biggest moves) — labelled as a computation, not a published result."""
from __future__ import annotations

import re

from ...tools import ToolRunner
from ..frame import Frame
from . import editions
from .baseline import published_line, weights_cite
from .blocks import Bullets, Cite, Dim, Ed, Ent, Fallback, Join, Line, Num, P, Warn
from .scores import count, measure_cite, rank, score
from .vocab import asks_weight_needed, rules


def _weights(res: dict, key: str, cid: str, eid: str) -> Join:
    return Join([P("whatif.weight", dim=Dim(eid, k), weight=Num(v * 100, key, cid, kind="percent", decimals=0, edition=eid,
                                                                dimension=k))
                 for k, v in res[key].items()], "sep.list")


def handle(frame: Frame, tools: ToolRunner):
    weighted = editions.weighted_editions()
    eid = next((e for e in frame.editions if e in weighted), None) or (weighted[0] if weighted else None)
    out: list = []
    if eid is None:
        return [Line(P("whatif.impossible"))]
    if frame.editions and frame.editions[0] != eid:
        out.append(Line(P("whatif.other_edition", asked=Ed(frame.editions[0]), edition=Ed(eid))))
    keys = editions.dimension_keys(eid)
    if len(frame.entities) == 2 and asks_weight_needed(frame.question):
        # "产出权重要加到多少西安才能反超": the weight at which they tie, not one supposed weighting
        return Fallback("sensitivity", "the weight needed for one to pass the other", keep=tuple(out))
    if (frame.supposed_score is not None or frame.supposed_change is not None) and frame.entities and frame.dimension in keys:
        return out + _substituted(frame, tools, eid)
    weights = dict(frame.weights or {})
    if weights and set(weights) != set(keys):  # read for an edition with no weights ("equal weights in the GTII")
        weights = {k: 1.0 for k in keys} if len(set(weights.values())) == 1 else {}
    if not weights and not re.search(rules()["weight_numbers"], frame.question, re.IGNORECASE):
        # "would Nanjing keep 9th if the weights shifted a bit?": no weights supposed, so how robust it is
        return Fallback("sensitivity", "no weights in the question: how the ranks hold as weights move", keep=tuple(out))
    if not weights:  # never silently equal weights: the question gave numbers that could not be read as weights
        return out + [Line(P("whatif.unread", edition=Ed(eid), dims=Join([Dim(eid, k) for k in keys], "sep.list"),
                             dim=Dim(eid, frame.dimension or keys[0]))), Warn("what-if: no usable weights in the question")]
    cid, res = tools.call("whatif", edition=eid, weights=weights)
    if "error" in res:
        return out + [Line(P("whatif.failed", edition=Ed(eid))), Warn(res["error"]["message"])]
    focus = [e for e in res["entities"] if e["name"] in frame.entities]
    if frame.n and frame.offset:  # "第9名和第10名会是谁": the places asked, in the new order (the lead names the first)
        focus += [e for e in res["entities"][frame.offset:frame.offset + frame.n] if e not in focus]
    # the new order's head, and the places asked about below it ("who would be second behind Beijing?")
    rows = res["entities"][:5] + [e for e in focus if e not in res["entities"][:5]] if focus else res["entities"][:10]
    if all(round(res["weights"][k], 4) == round(v, 4) for k, v in res["baseline_weights"].items()):
        out.append(Line(P("whatif.same", edition=Ed(eid), weights=_weights(res, "baseline_weights", cid, eid))))
    if focus:  # "would Shenzhen still be third?": the entities asked about come first
        out.append(Line(P("whatif.focus", edition=Ed(eid), new=_weights(res, "weights", cid, eid),
                          items=Join([_row(e, cid, eid, tools) for e in focus], "sep.semi"))))
        out += [ln for e in focus if (ln := published_line(tools, eid, e["name"]))]  # what the report prints, cited
    out.append(Line(P("whatif.lead", edition=Ed(eid), old=_weights(res, "baseline_weights", cid, eid), cite=weights_cite(eid),
                      new=_weights(res, "weights", cid, eid), first=Ent(res["entities"][0]["name"]),
                      score=score(res["entities"][0]["composite"], "what-if composite", cid, entity=res["entities"][0]["name"],
                                  edition=eid))))
    out.append(Bullets(_row(e, cid, eid, tools) for e in rows))
    movers = sorted((e for e in res["entities"] if e["rank_change"]), key=lambda e: -abs(e["rank_change"]))[:3]
    if movers and not focus:
        out.append(Line(P("whatif.movers", items=Join([P("whatif.mover_up" if e["rank_change"] > 0 else "whatif.mover_down",
                                                           entity=Ent(e["name"]),
                                                           n=count(abs(e["rank_change"]), "rank change", cid))
                                                         for e in movers], "sep.list"))))
    out.append(Line(P("whatif.caveat")))
    return out


def _row(e: dict, cid: str, eid: str, tools: ToolRunner) -> P:
    """One place under the new weights, with the line that prints the dimension scores re-weighted."""
    _, printed = tools.ok("scores", edition=eid, entity=e["name"])
    dims = measure_cite(printed or {}, *(f"{k}.score" for k in editions.dimension_keys(eid)))
    ch = e["rank_change"] or 0
    move = P("whatif.unchanged") if ch == 0 else P("whatif.up" if ch > 0 else "whatif.down",
                                                   n=count(abs(ch), "rank change", cid))
    return P("whatif.row", entity=Ent(e["name"]), score=score(e["composite"], "what-if composite", cid, entity=e["name"], edition=eid),
             rank=rank(e["rank"], "what-if rank", cid, entity=e["name"], edition=eid),
             was=rank(e["baseline_rank"], "baseline rank", cid, entity=e["name"], edition=eid), move=move,
             cite=Cite(dims.source_file, dims.first, needles=dims.needles) if dims else "")


def _substituted(frame: Frame, tools: ToolRunner, eid: str) -> list:
    """"If Xi'an's enterprises score were 30": its composite re-weighted with that one score, and its rank."""
    ent = frame.entities[0]
    supposed = frame.supposed_score
    if supposed is None:  # "再高10分": the printed score moved by the points supposed, within [0, 100]
        _, now = tools.ok("scores", edition=eid, entity=ent)
        was = (((now or {}).get("dimensions") or {}).get(frame.dimension) or {}).get("score")
        if was is None:
            return [Line(P("whatif.failed", edition=Ed(eid))), Warn(f"what-if: no {frame.dimension} score for {ent}")]
        supposed = min(100.0, max(0.0, round(was + frame.supposed_change, 4)))
    cid, res = tools.call("substitute", edition=eid, entity=ent, dimension=frame.dimension, score=supposed)
    if "error" in res:
        return [Line(P("whatif.failed", edition=Ed(eid))), Warn(res["error"]["message"])]
    kw = {"entity": ent, "edition": eid}
    change = res.get("composite_change")
    moved = [Line(P("whatif_ops.composite_moved", composite=score(res["composite"], "what-if composite", cid, **kw),
                    delta=score(abs(change), "composite change", cid, **kw),
                    direction=P("whatif_ops.up" if change >= 0 else "whatif_ops.down"),
                    dim=Dim(eid, frame.dimension), weight=Num(100 * res["weight"], "dimension weight", cid, kind="percent", decimals=0),
                    cite=weights_cite(eid)))
             ] if change is not None and res.get("weight") is not None else []
    was = res.get("was_score")
    return [Line(P("whatif_ops.substituted" if was is not None else "whatif_ops.substituted_new", entity=Ent(ent), edition=Ed(eid),
                   dim=Dim(eid, frame.dimension),
                   score=score(res["score"], "supposed score", cid, dimension=frame.dimension, **kw),
                   was=score(was, "printed dimension score", cid, dimension=frame.dimension, **kw) if was is not None else "",
                   composite=score(res["composite"], "what-if composite", cid, **kw),
                   old=score(res["baseline_composite"], "baseline composite", cid, **kw),
                   rank=rank(res["rank"], "what-if rank", cid, **kw), was_rank=rank(res["baseline_rank"], "baseline rank", cid, **kw),
                   of=count(res["of"], "entities", cid, edition=eid))),
            *moved, *_against(tools, eid, ent, res, cid, list(dict.fromkeys([*frame.entities[1:], *_passed(tools, eid, ent, res)]))),
            *([ln] if (ln := published_line(tools, eid, ent)) else []), Line(P("whatif_ops.substituted_caveat"))]


def _passed(tools: ToolRunner, eid: str, ent: str, res: dict, most: int = 3) -> list[str]:
    """The places a supposed score moves ``ent`` past (or behind): those ranked between its old and
    new place ("…综合排名会怎样": it passes 上海), at most ``most``."""
    new, old = res.get("rank"), res.get("baseline_rank")
    if not new or not old or new == old:
        return []
    _, table = tools.ok("ranking", edition=eid, top=max(new, old))
    low, high = min(new, old), max(new, old)
    return [e["name"] for e in (table or {}).get("entities") or () if low <= e["rank"] <= high and e["name"] != ent][:most]


def _against(tools: ToolRunner, eid: str, ent: str, res: dict, cid: str, others: list[str]) -> list:
    """"…would it pass Guangzhou?": the supposed composite against each other place the question
    names (ahead or behind, before and after), whose printed figures follow, cited."""
    out: list = []
    composite, before = res["composite"], res.get("baseline_composite")
    for other in others:
        ocid, theirs = tools.ok("scores", edition=eid, entity=other)
        value = (theirs or {}).get("published_composite") or (theirs or {}).get("composite")
        if value is None:
            continue
        was_ahead = before is not None and before > value
        key = ("stays_ahead" if was_ahead else "passes") if composite > value else ("falls_behind" if was_ahead else "stays_behind")
        out.append(Line(P(f"whatif_ops.{key}", entity=Ent(ent),
                          composite=score(composite, "what-if composite", cid, entity=ent, edition=eid), other=Ent(other),
                          theirs=score(value, "composite", ocid, entity=other, edition=eid))))
        out += [ln] if (ln := published_line(tools, eid, other)) else []
    return out
