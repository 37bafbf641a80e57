"""A frame's filters (country, foreign, region, tier) as arguments of the ``count`` tool, with
the phrases that say them ("in China", "outside China"); shared by the count and leader answers."""
from __future__ import annotations

from ... import aggregates
from ..frame import Frame
from . import editions
from .blocks import Dim, Ent, Join, Local, P
from .scores import tier_row
from .vocab import rules


def of(frame: Frame) -> tuple[dict, list]:
    """Tool arguments and the phrases that describe them."""
    args: dict = {}
    said: list = []
    for f in frame.filters:
        if f.field == "country":
            outside = f.value.startswith("!")  # "!CN": the foreign cities
            code = f.value.lstrip("!").upper()
            c = rules()["countries"].get(code) or {"zh": code, "en": code}
            args["exclude_country" if outside else "country"] = c["zh"]
            said.append(P("count.outside_country" if outside else "count.in_country", country=Local(c["zh"], c["en"])))
        elif f.field == "region":
            args["region"] = f.value
            zone = aggregates.zones().get(f.value)  # "eastern China", not 东部, in an English answer
            said.append(P("count.in_region", region=Local(f.value, zone["en"]) if zone else f.value))
        elif f.field in ("tier", "class") and f.value.isdigit():
            args.setdefault("tiers", []).append(int(f.value))
        elif f.field == "exclude":  # "除了北京": among the others (said once, after the loop)
            args.setdefault("exclude", []).append(f.value)
        elif f.field in ("score_min", "score_max"):
            args["min_score" if f.field == "score_min" else "max_score"] = float(f.value)
            said.append(P(f"count.{f.field}", value=f"{float(f.value):g}",  # the question's own number
                          by=Dim(editions.pick(frame), frame.dimension) if frame.dimension else P("compare.composite")))
    if args.get("exclude"):
        said.append(P("count.excluding", entity=Join([Ent(n) for n in args["exclude"]], "sep.list")))
    if len(args.get("tiers", ())) == 1:
        args["tier"] = args.pop("tiers")[0]
    if frame.tier and "tier" not in args and "tiers" not in args:
        args["tier"] = frame.tier
    return args, said


def tiers_kept(args: dict) -> list[int]:
    """The tier numbers the ``count`` arguments keep: one (``tier``), several (``tiers``) or none."""
    return [args["tier"]] if "tier" in args else list(args.get("tiers") or [])


def tier_said(tools, eid: str, args: dict) -> list:
    """The phrase that names the tier(s) ``args`` keeps ("in the fourth tier", "in the third or fourth
    tier"), from the edition's tiers."""
    rows = [tier_row(tools, eid, t)[1] for t in tiers_kept(args)]
    labels = [Local(r["label_zh"], r["label_en"]) for r in rows if r]
    if not labels or len(labels) < len(rows):
        return []
    return [P("count.in_tier", tier=labels[0] if len(labels) == 1 else Join(labels, "sep.or"))]
