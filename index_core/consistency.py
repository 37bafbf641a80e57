"""Consistency pass: where a report's printed numbers disagree with each other.

Pure functions over a loaded edition, its evaluated result and its reviewed notes. Each
check recomputes something the report also prints and reports a :class:`Finding` (file,
line, the printed values, what the arithmetic implies) wherever the two disagree beyond
the printed precision:

* ``rank_order``: a ranked list (composite, dimension, field, sub-index) whose printed
  order contradicts its printed scores;
* ``composite``: a printed composite against the method applied to the printed dimension
  scores (the engine's discrepancies);
* ``tier_threshold``: a listed tier or class member outside the stated thresholds;
* ``stated_total``: a count, mean, minimum or maximum the report states about its own list
  (``stated.yaml``) against the list;
* ``period_change``: period-on-period changes in ``facts.csv`` (read by :mod:`index_core.periods`) against the stated levels,
  each other and the changes of the components;
* ``number_format``: a number printed in a form that needs reading (a decimal comma);
* ``stated_rank``: ranks stated in the narrative against the values stated beside them;
* ``restated``: figures the narrative restates from a table (``stated.yaml``) against the table
  (:mod:`index_core.consistency_restated`);
* ``fact_conflict``: one figure (entity, indicator, year) stated at two lines with different values
  (:mod:`index_core.consistency_facts`).

Nothing is corrected here: findings are reviewed and recorded as ``notes.yaml`` entries,
which :func:`review` links back to the findings they explain.
"""
from __future__ import annotations

import math
import re
from itertools import product
from typing import Iterable, Mapping, Sequence

import pandas as pd

from .consistency_facts import conflicting_facts
from .consistency_restated import restated
from .edition import EditionResult
from .findings import EPS, Finding, agrees, half_unit
from .io import EditionData
from .periods import current_levels, statements

__all__ = ["Finding", "check_edition", "review"]

# --- rank order ------------------------------------------------------------------------------

def _ranked_lists(data: EditionData) -> Iterable[tuple[str, pd.DataFrame]]:
    """(measure, rows with entity, score, rank and their lines), for the composite and each dimension."""
    pub = data.published
    pairs = [("composite", "composite", "rank")] + [
        (d.key, f"{d.key}.score", f"{d.key}.rank") for d in data.spec.dimensions]
    for name, score_m, rank_m in pairs:
        s = pub[pub["measure"] == score_m].set_index("entity")
        r = pub[pub["measure"] == rank_m].set_index("entity")
        both = s.add_suffix("_s").join(r.add_suffix("_r"), how="inner")
        if len(both) >= 2:
            yield name, both.sort_values("value_r", kind="stable")


def rank_order(data: EditionData) -> list[Finding]:
    """Printed ranks whose order contradicts the printed scores: an entity printed below
    another yet scoring higher (adjacent pairs in printed order), and, for a list that ranks
    every entity, printed ranks that differ from the ranks of the printed scores."""
    out = []
    for measure, rows in _ranked_lists(data):
        names = list(rows.index)
        for i in range(1, len(names)):
            prev, cur = rows.iloc[i - 1], rows.iloc[i]
            if cur["value_s"] > prev["value_s"] + EPS and cur["value_r"] > prev["value_r"]:
                above = rows.iloc[i - 2]["printed_s"] if i >= 2 else None
                window = f"between {cur['printed_s']} and {above}" if above else f"at least {cur['printed_s']}"
                out.append(Finding(
                    "rank_order", data.spec.id, cur["source_file_r"], int(cur["line_r"]), names[i], measure,
                    {f"{names[i]} rank": str(int(cur["value_r"])), f"{names[i]} score": cur["printed_s"],
                     f"{names[i - 1]} rank": str(int(prev["value_r"])), f"{names[i - 1]} score": prev["printed_s"]},
                    f"{names[i]} scores {cur['printed_s']}, above {names[i - 1]}'s {prev['printed_s']}, yet is printed "
                    f"below it; for the printed order to hold, {names[i - 1]}'s score would have to lie {window}",
                    (int(prev["line_r"]), int(cur["line_s"]))))
        if len(rows) == len(data.entities):
            computed = rows["value_s"].rank(method="min", ascending=False)
            for name in names:
                if int(computed[name]) != int(rows.at[name, "value_r"]):
                    out.append(Finding(
                        "rank_order", data.spec.id, rows.at[name, "source_file_r"], int(rows.at[name, "line_r"]), name,
                        measure, {"rank": str(int(rows.at[name, "value_r"])), "score": rows.at[name, "printed_s"]},
                        f"ranking every entity by its printed score puts {name} at {int(computed[name])}",
                        implied_value=float(computed[name])))
    return out


# --- composites and tiers ---------------------------------------------------------------------

def composites(data: EditionData, result: EditionResult) -> list[Finding]:
    """Printed composites that differ from the method applied to the printed dimension scores."""
    out = []
    weights = "/".join(f"{100 * w:g}%" for w in result.weights.values() if w is not None)
    method = {"weighted_sum": f"weighted sum ({weights})", "sum": "sum"}.get(
        data.spec.aggregation.method, data.spec.aggregation.method)
    for d in result.discrepancies:
        if d["measure"] != "composite":
            continue
        pub = data.published
        row = pub[(pub["entity"] == d["entity"]) & (pub["measure"] == "composite")].iloc[0]
        # each printed dimension score is itself rounded: the exact composite may lie anywhere
        # within the weighted half-units of its inputs
        summed = data.spec.aggregation.method == "sum"
        slack = 0.005 * (len(data.spec.dimensions) if summed else sum(abs(w) for w in result.weights.values()))
        within = abs(d["computed"] - float(row["value"])) <= slack + half_unit(row["printed"])
        out.append(Finding(
            "composite", data.spec.id, row["source_file"], int(row["line"]), d["entity"], "composite",
            {"composite": row["printed"]},
            f"the {method} of the printed dimension scores is {d['computed']:.4f}, which rounds to "
            f"{round(d['computed'], 2):.2f}, not {row['printed']}"
            + ("; the gap is within the rounding of the printed dimension scores" if within else ""),
            implied_value=d["computed"]))
    return out


def tier_thresholds(data: EditionData, result: EditionResult) -> list[Finding]:
    """Listed tier (class) members whose composite lies outside a threshold the report states."""
    if data.spec.tiers is None:
        return []
    status = {r.tier: r.status for r in data.spec.tiers.rules}
    threshold = {t.tier: t.threshold for t in result.thresholds}
    out = []
    for _, row in data.published[data.published["measure"] == "tier"].iterrows():
        entity, tier = row["entity"], int(row["value"])
        value = result.table.at[entity, "composite"]
        if value is None or pd.isna(value):
            continue
        low = threshold.get(tier) if status.get(tier) == "stated" and threshold.get(tier, 0) > 0 else None
        high = threshold.get(tier - 1) if status.get(tier - 1) == "stated" else None
        if (low is not None and value < low - EPS) or (high is not None and value >= high - EPS):
            bounds = f"[{low if low is not None else '-'}, {high if high is not None else '-'})"
            out.append(Finding(
                "tier_threshold", data.spec.id, row["source_file"], int(row["line"]), entity, "tier",
                {"tier": row["printed"], "composite": f"{value:.2f}"},
                f"a composite of {value:.2f} lies outside tier {tier}'s stated range {bounds}", implied_value=float(value)))
    return out


# --- totals the report states about its own lists -----------------------------------------------

def _selection(data: EditionData, of: Mapping, countries: Mapping[str, str]) -> pd.DataFrame:
    """Rows (entity, value) an aggregate statement is about; see ``stated.yaml``."""
    if of.get("indicators"):
        inds = [i for i in data.spec.indicators if of.get("dimension") in (None, i.dimension)]
        return pd.DataFrame({"entity": [i.zh for i in inds], "value": [float(i.no) for i in inds]})
    if of.get("members"):
        rows = pd.DataFrame({"entity": list(data.entities), "value": 1.0})
    else:
        pub = data.published
        rows = pub[pub["measure"] == of["measure"]][["entity", "value"]]
        if "equals" in of:
            wanted = of["equals"] if isinstance(of["equals"], list) else [of["equals"]]
            rows = rows[rows["value"].isin([float(w) for w in wanted])]
    if "rank_at_most" in of:
        ranks = data.published[data.published["measure"] == "rank"].set_index("entity")["value"]
        rows = rows[rows["entity"].map(ranks) <= of["rank_at_most"]]
    if "country" in of:
        rows = rows[rows["entity"].map(countries).isin(of["country"])]
    if "country_not" in of:
        rows = rows[~rows["entity"].map(countries).isin(of["country_not"])]
    return rows


def stated_totals(data: EditionData, countries: Mapping[str, str]) -> list[Finding]:
    """Counts, means, minima and maxima the report states about its own lists, recomputed."""
    out = []
    for s in data.stated.get("aggregates", []):
        rows = _selection(data, s["of"], countries)
        values = rows["value"].astype(float)
        what = s["what"]
        if what == "countries":
            got = float(rows["entity"].map(countries).nunique())
        elif what == "count":
            got = float(len(rows))
        else:
            got = float(getattr(values, what)()) if len(values) else math.nan
        printed = str(s["printed"])
        value = float(printed.replace(",", ""))
        # a mean of rounded scores may be off by up to half a unit of their precision
        slack = 0.005 if what == "mean" else 0.0
        if not math.isnan(got) and agrees(value, printed, got - slack, got + slack):
            continue
        implied_value = None if math.isnan(got) else round(got, 4)
        members = "、".join(rows["entity"].astype(str))
        note = ""
        if what == "mean" and len(values):  # which value would make the stated mean hold
            others = values.sum() - values.min()
            note = f"; with the other printed values, the lowest ({values.min():g}) would have to be {value * len(values) - others:.2f}"
        out.append(Finding(
            "stated_total", data.spec.id, s.get("source_file", data.spec.source.file), int(s["line"]), None,
            s.get("about"), {s.get("about", what): printed},
            f"the {what} over the printed list ({members}) is {'n/a' if implied_value is None else f'{got:g}'}{note}",
            implied_value=implied_value))
    return out


# --- period-on-period changes (facts.csv) ------------------------------------------------------

def _interval(fn, *args: tuple[float, str]) -> tuple[float, float]:
    """Range of ``fn`` over every printed input moved by half a unit of its printed precision."""
    corners = [fn(*c) for c in product(*[(v - half_unit(p), v + half_unit(p)) for v, p in args])]
    return min(corners), max(corners)


def period_changes(data: EditionData, words: Mapping[str, Sequence[str]]) -> list[Finding]:
    """Stated changes against stated levels, each other and the changes of the components."""
    out: list[Finding] = []
    eid = data.spec.id
    dims = [d.key for d in data.spec.dimensions]
    for entity, stmts in statements(data, words).items():
        now = current_levels(data, entity)
        comp = [s for s in stmts if s.subject == "composite"]
        # 1. the same change stated as both a rise and a fall
        signs = {s.sign for s in comp if s.kind != "level"}
        if signs == {1, -1}:
            ups = [s for s in comp if s.sign == 1]
            downs = [s for s in comp if s.sign == -1]
            out.append(Finding(
                "period_change", eid, ups[0].source_file, ups[0].line, entity, "composite.direction",
                {"rise": ", ".join(s.printed + ("分" if s.kind == "delta" else "%") for s in ups),
                 "fall": ", ".join(s.printed + ("分" if s.kind == "delta" else "%") for s in downs)},
                f"{entity}'s score is stated to have both risen and fallen from the previous period; "
                f"at most one can hold", lines=tuple(s.line for s in comp)))
        # 2. a stated change (points and rate) against the current level
        for sign in (1, -1) if "composite" in now else ():
            delta = next((s for s in comp if s.kind == "delta" and s.sign == sign), None)
            rate = next((s for s in comp if s.kind == "rate" and s.sign == sign), None)
            if delta and rate:
                lo, hi = _interval(lambda cur, d: 100 * d / (cur - sign * d), now["composite"], (delta.value, delta.printed))
                if not agrees(rate.value, rate.printed, lo, hi):
                    out.append(Finding(
                        "period_change", eid, rate.source_file, rate.line, entity, "composite.change",
                        {"score": now["composite"][1], "change": delta.printed, "rate %": rate.printed},
                        f"a {'rise' if sign > 0 else 'fall'} of {delta.printed} to {now['composite'][1]} is "
                        f"{(lo + hi) / 2:.2f}% of the previous score, not {rate.printed}%",
                        lines=(delta.line,), implied_value=round((lo + hi) / 2, 2)))
        # 3. the components' changes against the composite's (a sum's change is a weighted
        #    average of its parts' changes: it lies between them, and their previous levels
        #    add up to the previous total)
        rates = {s.subject: s for s in stmts if s.kind == "rate" and s.subject in dims}
        if data.spec.aggregation.method != "sum" or set(rates) != set(dims):
            continue
        signed = [s.sign * s.value for s in rates.values()]
        low, high = min(signed), max(signed)
        prev = next((s for s in comp if s.kind == "level"), None)
        composite_rates = [(s.sign * s.value, s) for s in comp if s.kind == "rate"]
        if prev and "composite" in now:
            composite_rates.append((100 * (now["composite"][0] / prev.value - 1), prev))
        for r, s in composite_rates:
            if not agrees(r, s.printed if s.kind == "rate" else "0.01", low, high):
                out.append(Finding(
                    "period_change", eid, s.source_file, s.line, entity, "composite.change_vs_parts",
                    {"composite change %": f"{r:+.2f}", **{f"{k} change %": f"{v.sign * v.value:+g}" for k, v in rates.items()}},
                    f"a total that is the sum of its sub-indices changes by a weighted average of their changes, "
                    f"between {low:+g}% and {high:+g}%; {r:+.2f}% is outside that range",
                    lines=tuple(v.line for v in rates.values())))
        if prev and all(k in now for k in dims):
            signs = [rates[k].sign for k in dims]
            n = len(dims)
            lo, hi = _interval(lambda *xs: sum(xs[i] / (1 + signs[i] * xs[n + i] / 100) for i in range(n)),
                               *[now[k] for k in dims], *[(rates[k].value, rates[k].printed) for k in dims])
            if not agrees(prev.value, prev.printed, lo, hi):
                out.append(Finding(
                    "period_change", eid, prev.source_file, prev.line, entity, "composite.previous_vs_parts",
                    {"previous score": prev.printed, "current score": now.get("composite", (0, "-"))[1],
                     **{f"{k} now": now[k][1] for k in dims}, **{f"{k} change %": f"{rates[k].sign * rates[k].value:+g}" for k in dims}},
                    f"undoing each sub-index's stated change gives previous sub-index scores that sum to "
                    f"{(lo + hi) / 2:.2f}, not {prev.printed}", lines=tuple(v.line for v in rates.values()),
                    implied_value=round((lo + hi) / 2, 2)))
    return out


# --- how numbers are printed -------------------------------------------------------------------

def number_formats(data: EditionData) -> list[Finding]:
    """Numbers printed with a decimal comma ("2,73"): read as decimals, and said so."""
    out = []
    for table, frame in (("published", data.published), ("facts", data.facts)):
        for _, row in frame.iterrows():
            if re.fullmatch(r"-?\d+,\d{1,2}", str(row["printed"]).strip()):
                measure = row.get("measure") if table == "published" else row.get("indicator_zh")
                out.append(Finding(
                    "number_format", data.spec.id, row["source_file"], int(row["line"]), row["entity"], measure,
                    {"value": row["printed"]}, f"printed with a comma for the decimal point; read as {row['value']:g}",
                    implied_value=float(row["value"])))
    return out


def stated_ranks(data: EditionData) -> list[Finding]:
    """Ranks stated beside narrative values ("居第2位") that contradict the values: within one
    index indicator and year, a better stated rank must not come with a worse value."""
    direction = {str(i.no): (1 if i.direction == "positive" else -1) for i in data.spec.indicators}
    f = data.facts[(data.facts["stated_rank"] != "") & data.facts["indicator_no"].isin(direction)]
    out = []
    for (no, year), group in f.groupby(["indicator_no", "year"]):
        g = group.assign(rank=group["stated_rank"].astype(int)).sort_values("rank")
        for (_, a), (_, b) in zip(g.iterrows(), list(g.iterrows())[1:]):
            if b["rank"] > a["rank"] and direction[no] * (b["value"] - a["value"]) > EPS:
                out.append(Finding(
                    "stated_rank", data.spec.id, b["source_file"], int(b["line"]), b["entity"], a["indicator_zh"],
                    {f"{a['entity']}": f"{a['printed']} (rank {a['rank']})", f"{b['entity']}": f"{b['printed']} (rank {b['rank']})"},
                    f"{b['entity']} is ranked below {a['entity']} yet its value is better", lines=(int(a["line"]),)))
    return out


def check_edition(data: EditionData, result: EditionResult, countries: Mapping[str, str],
                  words: Mapping[str, Sequence[str]]) -> list[Finding]:
    """Every check on one edition, in a stable order (by file and line).

    ``countries`` maps an entity to its country (for stated counts by country); ``words`` are the
    direction words of period-on-period statements (``up`` and ``down`` lists)."""
    found = (rank_order(data) + composites(data, result) + tier_thresholds(data, result)
             + stated_totals(data, countries) + period_changes(data, words) + number_formats(data) + stated_ranks(data)
             + restated(data) + conflicting_facts(data))
    return sorted(found, key=lambda x: (x.source_file, x.line, x.check, x.entity or ""))


def review(findings: Sequence[Finding], notes: Sequence[Mapping]) -> list[dict]:
    """Findings as JSON-ready dicts, each with the reviewed notes that explain it
    (a note lists the keys of the findings it reviews under ``findings``)."""
    by_key: dict[str, list[dict]] = {}
    for n in notes:
        for key in n.get("findings", []):
            by_key.setdefault(key, []).append({"entity": n.get("entity"), "kind": n["kind"], "lines": list(n["lines"]),
                                               "zh": n["zh"], "en": n["en"]})
    return [{**f.to_dict(), "reviewed": bool(by_key.get(f.key)), "notes": by_key.get(f.key, [])} for f in findings]
