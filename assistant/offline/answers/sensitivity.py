"""sensitivity: how robust ranks and tiers are to the weights (Monte Carlo draws), the
entities asked about or the top 10, labelled as a simulation."""
from __future__ import annotations

from ...tools import ToolRunner
from ..frame import Frame
from . import editions
from .blocks import Bullets, Ed, Ent, Line, Num, P, Warn
from .scores import count, rank

DRAWS = 1000


def handle(frame: Frame, tools: ToolRunner):
    weighted = editions.weighted_editions()
    eid = next((e for e in frame.editions if e in weighted), None) or (weighted[0] if weighted else None)
    if eid is None:
        return [Line(P("whatif.impossible"))]
    out: list = []
    if frame.editions and frame.editions[0] != eid:
        out.append(Line(P("whatif.other_edition", asked=Ed(frame.editions[0]), edition=Ed(eid))))
    cid, res = tools.call("sensitivity", edition=eid, draws=DRAWS, seed=0)
    if "error" in res:
        return out + [Line(P("sensitivity.failed", edition=Ed(eid))), Warn(res["error"]["message"])]
    ents = res["entities"]
    asked = [e for e in ents if e["name"] in frame.entities]
    focus = asked or ents[:10]
    out += [Line(_verdict(e, cid, eid)) for e in asked]  # "is X's rank stable?" answered first
    out.append(Line(P("sensitivity.lead", edition=Ed(eid), draws=count(res["draws"], "draws", cid),
                      spread=Num(res["spread"] * 100, "spread", cid, kind="percent", decimals=0))))
    out.append(Bullets(_row(e, cid, eid) for e in focus))
    out.append(Line(P("sensitivity.caveat")))
    return out


STABLE_SPREAD = 2  # ranks: an interval this narrow is "fairly stable"; wider is "sensitive"


def _verdict(e: dict, cid: str, eid: str) -> P:
    """Yes or no first: is the entity's rank stable under the perturbed weights?"""
    low, high = e["rank_interval"]
    key = "stable" if low == high == e["baseline_rank"] else "fairly_stable" if high - low <= STABLE_SPREAD else "sensitive"
    return P(f"sensitivity.verdict_{key}", entity=Ent(e["name"]), edition=Ed(eid),
             rank=rank(e["baseline_rank"], "baseline rank", cid, entity=e["name"], edition=eid),
             low=rank(low, "rank p05", cid, entity=e["name"], edition=eid),
             high=rank(high, "rank p95", cid, entity=e["name"], edition=eid))


def _row(e: dict, cid: str, eid: str) -> P:
    tier = ""
    if e.get("p_same_tier") is not None:
        tier = P("sensitivity.same_tier", p=Num(e["p_same_tier"] * 100, "P(same tier)", cid, kind="percent", decimals=0,
                                                entity=e["name"], edition=eid))
    return P("sensitivity.row", entity=Ent(e["name"]), rank=rank(e["baseline_rank"], "baseline rank", cid, entity=e["name"], edition=eid),
             low=rank(e["rank_interval"][0], "rank p05", cid, entity=e["name"], edition=eid),
             high=rank(e["rank_interval"][1], "rank p95", cid, entity=e["name"], edition=eid), tier=tier)
