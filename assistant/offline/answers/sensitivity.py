"""sensitivity: how robust ranks and tiers are to the weights (Monte Carlo draws), the
entities asked about or the top 10, labelled as a simulation."""
from __future__ import annotations

from ...tool_args import RANKING_MAX
from ...tools import ToolRunner
from ..frame import Frame
from ..understand.lexicon import first_category
from . import editions
from .baseline import published_line, weights_cite
from .blocks import Bullets, Cite, Dim, Ed, Ent, Join, Line, Num, P, Warn
from .scores import count, lead_gap, rank, table_cites, tier_cite
from .vocab import asks_weight_needed, words

DRAWS = 1000


def handle(frame: Frame, tools: ToolRunner):
    weighted = editions.weighted_editions()
    if frame.editions and frame.edition_source in ("explicit", "year") and frame.editions[0] not in weighted:
        return _unweighted(tools, frame.editions[0], weighted)  # "GTII排名对权重敏感吗": it has none to vary
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
    crossings = []
    if len(asked) == 2:  # "would a different weighting swap them?": the weights at which they would tie
        ahead, behind = sorted(asked, key=lambda e: e["baseline_rank"])
        crossings = _crossings(tools, eid, ahead["name"], behind["name"], frame.dimension)
    if asks_weight_needed(frame.question):
        out, crossings = out + crossings, []  # "权重要加到多少": that weight is the answer, said first
    tiered = any(w in frame.question.lower() for w in words("sensitivity_tier_words"))
    # "would Hefei stay in tier 4?": how often it stays in its tier, first
    out += [Line(P("sensitivity.tier_verdict", edition=Ed(eid), entity=Ent(e["name"]), draws=count(res["draws"], "draws", cid),
                   p=Num(e["p_same_tier"] * 100, "P(same tier)", cid, kind="percent", decimals=0, entity=e["name"], edition=eid)))
            for e in asked if tiered and e.get("p_same_tier") is not None]
    # "is X's rank stable?" answered first, each with how close the places around it are
    out += [ln for e in asked for ln in (Line(_verdict(e, cid, eid)), _margins(tools, eid, e["name"])) if ln]
    out += crossings
    out += [ln for e in asked if (ln := published_line(tools, eid, e["name"]))]  # what the report prints, cited
    if not asked and tiered:
        out.append(Line(_tiers(ents, cid, eid)))  # "would the tiers change?": the least certain memberships
    elif not asked and frame.n:  # "do the top 5 depend on the weights?": the places among them that move
        focus = sorted(ents, key=lambda e: e["baseline_rank"])[:frame.n]
        moving = [e for e in focus if tuple(e["rank_interval"]) != (e["baseline_rank"],) * 2]
        n = count(len(focus), "top n", cid, edition=eid)
        out.append(Line(P("sensitivity.top_moves", edition=Ed(eid), n=n, items=Join([_interval(e, cid, eid) for e in moving], "sep.semi"))
                        if moving else P("sensitivity.top_hold", edition=Ed(eid), n=n)))
    elif not asked and first_category(frame.question.lower(), "stability_superlative") == "stable":
        # "which city is most stable?": the places whose rank no perturbation moves, the best ranked first
        held = sorted((e for e in ents if tuple(e["rank_interval"]) == (e["baseline_rank"],) * 2), key=lambda e: e["baseline_rank"])
        out.append(Line(P("sensitivity.most_stable", edition=Ed(eid), n=count(len(held), "ranks held", cid, edition=eid),
                          items=Join([Ent(e["name"]) for e in held[:MOST * 2]], "sep.list")) if held else
                        P("sensitivity.none_hold", edition=Ed(eid))))
    elif not asked:  # "which ranks are most sensitive?": the widest 5th-95th percentile intervals first
        moving = sorted((e for e in ents if e["rank_interval"][1] > e["rank_interval"][0]),
                        key=lambda e: (e["rank_interval"][0] - e["rank_interval"][1], e["baseline_rank"]))[:MOST]
        out.append(Line(P("sensitivity.most", edition=Ed(eid), items=Join([_interval(e, cid, eid) for e in moving], "sep.semi"))
                        if moving else P("sensitivity.none_move", edition=Ed(eid))))
    out.append(Line(P("sensitivity.lead", edition=Ed(eid), draws=count(res["draws"], "draws", cid),
                      spread=Num(res["spread"] * 100, "spread", cid, kind="percent", decimals=0), cite=weights_cite(eid))))
    out.append(Bullets(_row(e, cid, eid) for e in focus))
    out.append(Line(P("sensitivity.caveat")))
    return out


def _unweighted(tools: ToolRunner, eid: str, weighted: list[str]) -> list:
    """An index that publishes no dimension weights has none to perturb: said so, with the report's
    statement of how it aggregates (where it prints one) and the ranking or classes it does print,
    then the editions a sensitivity run can use. No other edition's simulation stands in for it."""
    agg = editions.spec(eid).aggregation.source
    out = [Line(P("sensitivity.unweighted", edition=Ed(eid), cite=Cite(agg.file, int(agg.line)) if agg and agg.line else ""))]
    rcid, ranking = tools.ok("ranking", edition=eid, top=RANKING_MAX)
    rows = [r for r in (ranking or {}).get("entities", []) if r.get("source")]
    tcid, tiers = tools.ok("tiers", edition=eid) if editions.has_tiers(eid) else ("", None)
    classes = [c for t in (tiers or {}).get("tiers", []) if (c := tier_cite(t, eid))]
    if classes and len(rows) * 2 < (ranking or {}).get("of", 0):  # classes only (Chongqing's districts)
        out.append(Line(P("sensitivity.printed_classes", n=count(len(classes), "classes", tcid, edition=eid),
                          cites=Join(classes, "sep.space"))))
    elif rows:
        out.append(Line(P("sensitivity.printed_ranking", n=count(len(rows), "entities ranked", rcid, edition=eid),
                          cites=Join(table_cites([r["source"] for r in rows]), "sep.space"))))
    if weighted:
        out.append(Line(P("sensitivity.weighted_instead", editions=Join([Ed(e) for e in weighted], "sep.list"))))
    return out


MOST = 5          # entities named as the most weight-sensitive
SURE = 0.995      # P(same tier) that rounds to 100%: not named as uncertain
STABLE_SPREAD = 2  # ranks: an interval this narrow is "fairly stable"; wider is "sensitive"


def _verdict(e: dict, cid: str, eid: str) -> P:
    """Yes or no first: is the entity's rank stable under the perturbed weights?"""
    low, high = e["rank_interval"]
    key = "stable" if low == high == e["baseline_rank"] else "fairly_stable" if high - low <= STABLE_SPREAD else "sensitive"
    return P(f"sensitivity.verdict_{key}", entity=Ent(e["name"]), edition=Ed(eid),
             rank=rank(e["baseline_rank"], "baseline rank", cid, entity=e["name"], edition=eid),
             low=rank(low, "rank p05", cid, entity=e["name"], edition=eid),
             high=rank(high, "rank p95", cid, entity=e["name"], edition=eid))


def _margins(tools: ToolRunner, eid: str, name: str) -> Line | None:
    """How far the entity is behind the one ranked just above it and ahead of the one just below (points
    on the composite): how little the weights need to move to swap them."""
    _, res = tools.ok("ranking", edition=eid, top=RANKING_MAX)
    names = [e["name"] for e in (res or {}).get("entities", []) if e.get("score") is not None]
    if name not in names:
        return None
    i = names.index(name)
    items = []
    if i > 0 and (gap := lead_gap(tools, eid, names[i - 1], name, None)):
        items.append(P("sensitivity.margin_above", other=Ent(names[i - 1]), gap=gap))
    if i + 1 < len(names) and (gap := lead_gap(tools, eid, name, names[i + 1], None)):
        items.append(P("sensitivity.margin_below", other=Ent(names[i + 1]), gap=gap))
    return Line(P("sensitivity.margins", entity=Ent(name), items=Join(items, "sep.semi"))) if items else None


def _crossings(tools: ToolRunner, eid: str, ahead: str, behind: str, dim: str | None) -> list:
    """For each dimension (or the one asked), the weight at which ``behind`` would pass ``ahead`` with the
    other dimensions sharing the rest equally: at or above it, or at or below it (the crossover tool)."""
    cid, res = tools.ok("crossover", edition=eid, entity=ahead, other=behind)
    rows = [d for d in (res or {}).get("dimensions", []) if d["weight"] is not None and (dim is None or d["dimension"] == dim)]
    if not rows:
        return [Line(P("sensitivity.no_crossing", entity=Ent(behind), other=Ent(ahead)))] if res else []
    items = [P("sensitivity.crossing_up" if d["leader_above"] == behind else "sensitivity.crossing_down", dim=Dim(eid, d["dimension"]),
               w=Num(d["weight"] * 100, "tie weight", cid, kind="percent", decimals=2, edition=eid, dimension=d["dimension"]),
               now=Num(d["current_weight"] * 100, "weight", cid, kind="percent", decimals=0, edition=eid, dimension=d["dimension"]))
             for d in rows]
    return [Line(P("sensitivity.crossings", entity=Ent(behind), other=Ent(ahead), items=Join(items, "sep.semi")))]


def _tiers(ents: list[dict], cid: str, eid: str) -> P:
    unsure = sorted((e for e in ents if e.get("p_same_tier") is not None and e["p_same_tier"] < SURE),
                    key=lambda e: (e["p_same_tier"], e["baseline_rank"]))[:MOST]
    if not unsure:
        return P("sensitivity.tiers_hold", edition=Ed(eid))
    return P("sensitivity.tiers_least", edition=Ed(eid), items=Join(
        [P("sensitivity.tier_item", entity=Ent(e["name"]),
           p=Num(e["p_same_tier"] * 100, "P(same tier)", cid, kind="percent", decimals=0, entity=e["name"], edition=eid))
         for e in unsure], "sep.semi"))


def _interval(e: dict, cid: str, eid: str) -> P:
    return P("sensitivity.interval", entity=Ent(e["name"]),
             rank=rank(e["baseline_rank"], "baseline rank", cid, entity=e["name"], edition=eid),
             low=rank(e["rank_interval"][0], "rank p05", cid, entity=e["name"], edition=eid),
             high=rank(e["rank_interval"][1], "rank p95", cid, entity=e["name"], edition=eid))


def _row(e: dict, cid: str, eid: str) -> P:
    tier = ""
    if e.get("p_same_tier") is not None:
        tier = P("sensitivity.same_tier", p=Num(e["p_same_tier"] * 100, "P(same tier)", cid, kind="percent", decimals=0,
                                                entity=e["name"], edition=eid))
    return P("sensitivity.row", entity=Ent(e["name"]), rank=rank(e["baseline_rank"], "baseline rank", cid, entity=e["name"], edition=eid),
             low=rank(e["rank_interval"][0], "rank p05", cid, entity=e["name"], edition=eid),
             high=rank(e["rank_interval"][1], "rank p95", cid, entity=e["name"], edition=eid), tier=tier)
