"""The generated numeric suite: templated questions whose answers ``index_core`` computes.

For every edition, entity and measure that exists (composite, rank, tier, each
dimension's score and rank), plus top-N by dimension and pairwise comparisons, in
Chinese and English with several phrasings each. Nothing is typed in: every expected
value comes from ``index_core.api``. Every edition the core knows is covered, a user's
too (``hardtech edition add``), named as its spec says (``names``, else year and title).
Editions with partial data (the GTII TOP15 composites and TOP10 per field; the
Chongqing district classes, scores for a few) only generate what exists.

Published-versus-computed cases (category ``pvc``): where the printed composite
differs from what the method implies (2019 西安, 2020 长沙 and 石家庄), and where the
2019 report prints no composite at all, the answer must say which value it gives.
"""
from __future__ import annotations

import random
from collections import defaultdict
from functools import lru_cache
from typing import Iterable

from index_core import api, io

from .items import EvalItem
from .matcher import ExpectedNumber, implied_tolerance

T = {  # measure -> lang -> phrasings ({ed}, {e}, {dim}, {a}, {b}, {n}, {kind})
    "composite": {
        "zh": ["{ed}中，{e}的综合得分是多少？", "{e}在{ed}里得了多少分？", "{ed}：{e}的总得分是多少分？"],
        "en": ["What is {e}'s composite score in the {ed}?", "How many points does {e} score overall in the {ed}?",
               "In the {ed}, what overall score did {e} get?"],
    },
    "composite_1dp": {
        "zh": ["{ed}中{e}的综合得分是多少（保留一位小数）？"],
        "en": ["What is {e}'s composite score in the {ed}, to one decimal place?"],
    },
    "rank": {
        "zh": ["{e}在{ed}中排名第几？", "{ed}里{e}的综合排名是第几名？", "{e}在{ed}的总排名是多少？"],
        "en": ["Where does {e} rank overall in the {ed}?", "What is {e}'s overall rank in the {ed}?",
               "In the {ed}, which place does {e} take overall?"],
    },
    "tier": {
        "zh": ["{e}在{ed}中属于第几梯队？", "{ed}里{e}处于哪个梯队？"],
        "en": ["Which tier is {e} in, in the {ed}?", "In the {ed}, what tier does {e} belong to?"],
    },
    "class": {
        "zh": ["{e}在{ed}中属于第几类？", "{ed}里{e}被划为哪一类？"],
        "en": ["Which class is {e} in, in the {ed}?", "In the {ed}, which class was {e} placed in?"],
    },
    "dim_score": {
        "zh": ["{ed}中{e}的{dim}得分是多少？", "{e}在{ed}的{dim}维度上得了多少分？"],
        "en": ["What is {e}'s {dim} score in the {ed}?", "How many points does {e} get for {dim} in the {ed}?"],
    },
    "dim_rank": {
        "zh": ["{ed}中{e}的{dim}排名第几？", "{e}在{ed}的{dim}维度上排第几名？"],
        "en": ["How does {e} rank on {dim} in the {ed}?", "What is {e}'s rank for {dim} in the {ed}?"],
    },
    "top_dim": {
        "zh": ["{ed}中{dim}排名前{n}的{kind}是哪些？", "{ed}里{dim}得分最高的{n}个{kind}是哪几个？"],
        "en": ["Which are the top {n} {kind} on {dim} in the {ed}?", "List the {n} highest-scoring {kind} for {dim} in the {ed}."],
    },
    "top_composite": {
        "zh": ["{ed}综合排名前{n}的{kind}是哪些？"],
        "en": ["Which {kind} are the top {n} overall in the {ed}?"],
    },
    "compare": {
        "zh": ["{ed}中，{a}和{b}谁的综合得分更高？", "在{ed}里比较{a}与{b}的综合得分。"],
        "en": ["In the {ed}, who scores higher overall, {a} or {b}?", "Compare the composite scores of {a} and {b} in the {ed}."],
    },
    "compare_dim": {
        "zh": ["{ed}中，{a}和{b}在{dim}上谁的得分更高？"],
        "en": ["In the {ed}, which scores higher on {dim}: {a} or {b}?"],
    },
    "pvc_printed": {
        "zh": ["{ed}报告中印出的{e}综合得分是多少？"],
        "en": ["What composite score does the report print for {e} in the {ed}?"],
    },
    "pvc_computed": {
        "zh": ["按{ed}的方法由维度得分重新计算，{e}的综合得分是多少？"],
        "en": ["Recomputed from the dimension scores with the {ed}'s method, what is {e}'s composite?"],
    },
}

KIND_WORD = {"city": {"zh": "城市", "en": "cities"}, "district": {"zh": "区县", "en": "districts"},
             "global_city": {"zh": "城市", "en": "cities"}}
PRINTED_MARKERS = ["公布", "印", "报告", "原文", "published", "printed", "report", "stated"]
COMPUTED_MARKERS = ["计算", "推算", "按方法", "加权", "computed", "calculated", "recomputed", "derived", "method"]
UNNAMED_TIER_MARKERS = ["未命名", "未点名", "没有命名", "未列入", "未归入", "不属于", "未被划入", "未明确",
                        "not named", "not in a tier", "unnamed", "does not name", "doesn't name", "no named tier",
                        "not in any", "not placed"]

SCORE_TOOLS = "scores|explain|compare|entity_editions"
RANK_TOOLS = "scores|explain|ranking|compare|entity_editions"
TIER_TOOLS = "scores|explain|tiers|entity_editions"


@lru_cache(maxsize=None)
def _dims(edition: str) -> list[dict]:
    spec = io.load_edition(edition).spec
    return [{"key": d.key, "zh": d.zh, "en": d.en} for d in spec.dimensions]


def _published(edition: str) -> dict[tuple[str, str], dict]:
    pub = io.load_edition(edition).published
    return {(r["entity"], r["measure"]): {"source_file": r["source_file"], "lines": [int(r["line"]), int(r["line"])]}
            for _, r in pub.iterrows()}


def _name(row: dict, lang: str) -> str:
    return row["name_en"] if lang == "en" and row.get("name_en") else row["name"]


def _names(row: dict) -> list[str]:
    return [x for x in (row["name"], row.get("name_en")) if x]


def generate(editions: Iterable[str] | None = None, langs: Iterable[str] = ("zh", "en")) -> list[EvalItem]:
    """Every generated question (all phrasings). Use :func:`sample` to pick a subset."""
    items: dict[str, EvalItem] = {}
    for edition in (editions or io.edition_ids()):
        for it in _edition_items(edition, tuple(langs)):
            items.setdefault(it.id, it)  # a pair can be both neighbours and far apart
    return list(items.values())


def _edition_items(edition: str, langs: tuple[str, ...]) -> list[EvalItem]:
    rows = api.scores(edition)["entities"]
    pub = _published(edition)
    spec = io.load_edition(edition).spec
    kind = spec.entity_kind
    has_tiers = spec.tiers is not None
    # an edition whose tiers are classes (第一类 / Class 1) is asked about classes
    tier_word = "class" if has_tiers and spec.tiers.rules[0].en.lower().startswith("class") else "tier"
    names = {lang: spec.edition_names(lang) for lang in langs}
    disc = {d["entity"]: d for d in api.discrepancies(edition) if d["measure"] == "composite"}
    out: list[EvalItem] = []

    def add(category: str, measure: str, lang: str, fmt: dict, numbers: list[ExpectedNumber], tools: list[str],
            cites: list[dict], key: str, must: list | None = None, must_not: list | None = None) -> None:
        for i, tpl in enumerate(T[measure][lang]):
            ed = names[lang][i % len(names[lang])]
            q = tpl.format(ed=ed, **fmt)
            nums = [ExpectedNumber(n.value, n.kind, n.tolerance if n.kind in ("rank", "tier", "count")
                                   else (n.tolerance if n.tolerance is not None else implied_tolerance(q, n.value)), n.label)
                    for n in numbers]
            out.append(EvalItem(
                id=f"num:{edition}:{key}:{lang}:{i}", question=q, lang=lang, suite="numeric", category=category,
                intent=measure, numbers=nums, tools=tools, citations=cites, citation_gates=False,
                must_contain=list(must or []), must_not_contain=list(must_not or []),
                meta={"edition": edition, "measure": measure},
            ))

    for row in rows:
        n = row["name"]
        for lang in langs:
            e = _name(row, lang)
            fmt = {"e": e}
            who = [_names(row)]
            comp_cite = [c for c in [pub.get((n, "composite"))] if c]
            dims_cite = [pub[(n, f"{d['key']}.score")] for d in _dims(edition) if (n, f"{d['key']}.score") in pub][:1]
            if row["composite"] is not None:
                printed = row["published_composite"]
                computed_only = row["composite_source"] == "computed" and printed is None
                if n in disc:
                    d = disc[n]
                    pv, cv = float(d["published"]), float(d["computed"])
                    # generic question: both values, each named
                    add("pvc", "composite", lang, fmt,
                        [ExpectedNumber(pv, "score", 0.005, "printed composite"), ExpectedNumber(cv, "score", 0.005, "computed composite")],
                        [SCORE_TOOLS], comp_cite or dims_cite, f"composite:{n}",
                        must=who + [PRINTED_MARKERS, COMPUTED_MARKERS])
                    add("pvc", "pvc_printed", lang, fmt, [ExpectedNumber(pv, "score", 0.005, "printed composite")],
                        [SCORE_TOOLS], comp_cite, f"pvc_printed:{n}", must=who + [PRINTED_MARKERS])
                    add("pvc", "pvc_computed", lang, fmt, [ExpectedNumber(cv, "score", 0.005, "computed composite")],
                        [SCORE_TOOLS], dims_cite, f"pvc_computed:{n}", must=who + [COMPUTED_MARKERS])
                elif computed_only:
                    add("pvc", "composite", lang, fmt, [ExpectedNumber(row["composite"], "score", None, "computed composite")],
                        [SCORE_TOOLS], dims_cite, f"composite:{n}", must=who + [COMPUTED_MARKERS])
                else:
                    add("composite", "composite", lang, fmt, [ExpectedNumber(row["composite"], "score", None, "composite")],
                        [SCORE_TOOLS], comp_cite or dims_cite, f"composite:{n}", must=who)
                    add("composite", "composite_1dp", lang, fmt, [ExpectedNumber(row["composite"], "score", None, "composite")],
                        [SCORE_TOOLS], comp_cite or dims_cite, f"composite_1dp:{n}", must=who)
            rank = row["rank"] if row["rank"] is not None else row["published_rank"]
            if rank is not None:
                add("rank", "rank", lang, fmt, [ExpectedNumber(rank, "rank", 0, "composite rank")], [RANK_TOOLS],
                    [c for c in [pub.get((n, "rank"))] if c] or comp_cite, f"rank:{n}", must=who)
            if has_tiers and row["tier"] is not None:
                if row["tier_status"] == "unnamed":
                    add("tier", tier_word, lang, fmt, [], [TIER_TOOLS], [], f"tier:{n}",
                        must=who + [UNNAMED_TIER_MARKERS],
                        must_not=[f"第{'一二三四五六'[row['tier'] - 1]}梯队", f"tier {row['tier']}", "fourth tier"])
                else:
                    add("tier", tier_word, lang, fmt, [ExpectedNumber(row["tier"], "tier", 0, tier_word)], [TIER_TOOLS],
                        [c for c in [pub.get((n, "tier"))] if c], f"tier:{n}", must=who)
            for d in _dims(edition):
                dv = row["dimensions"][d["key"]]
                f2 = {"e": e, "dim": d[lang] if lang == "zh" else d["en"].lower()}
                if dv["score"] is not None:
                    add("dimension_score", "dim_score", lang, f2, [ExpectedNumber(dv["score"], "score", None, f"{d['key']} score")],
                        [SCORE_TOOLS], [c for c in [pub.get((n, f"{d['key']}.score"))] if c], f"dim_score:{n}:{d['key']}", must=who)
                if dv["rank"] is not None:
                    add("dimension_rank", "dim_rank", lang, f2, [ExpectedNumber(dv["rank"], "rank", 0, f"{d['key']} rank")],
                        [RANK_TOOLS], [c for c in [pub.get((n, f"{d['key']}.rank"))] if c], f"dim_rank:{n}:{d['key']}", must=who)

    # top-N by dimension and by composite: the N names must all appear
    reg = io.load_registry()
    for by in [None] + [d["key"] for d in _dims(edition)]:
        r = api.ranking(edition, by=by)
        ranked = [x for x in r["entities"] if x["rank"] is not None and x["score"] is not None]
        for n_top in (3, 5):
            if len(ranked) < n_top:
                continue
            top = ranked[:n_top]
            if len(ranked) > n_top and ranked[n_top]["rank"] == top[-1]["rank"]:
                continue  # a tie at the cut: "top N" is ambiguous
            for lang in langs:
                dim = next((d for d in _dims(edition) if d["key"] == by), None)
                fmt = {"n": n_top, "kind": KIND_WORD[kind][lang], "dim": (dim[lang] if lang == "zh" else dim["en"].lower()) if dim else ""}
                must = [[x["name"], reg.get(x["name"]).name_en] for x in top]
                measure = "top_dim" if by else "top_composite"
                add("top_n", measure, lang, fmt, [], ["ranking|compare"], [], f"{measure}:{by or 'composite'}:{n_top}", must=must)

    # pairwise comparisons: neighbours in the ranking (close calls) and far pairs
    scored = [r for r in rows if r["composite"] is not None and r["rank"] is not None]
    scored.sort(key=lambda r: r["rank"])
    pairs = [(scored[i], scored[i + 1]) for i in range(0, len(scored) - 1, 2)]
    pairs += [(scored[i], scored[-1 - i]) for i in range(0, len(scored) // 2, 3)]
    for a, b in pairs:
        if a["name"] == b["name"] or a["composite"] == b["composite"]:
            continue
        win = a if a["composite"] > b["composite"] else b
        for lang in langs:
            fmt = {"a": _name(a, lang), "b": _name(b, lang)}
            nums = [ExpectedNumber(a["composite"], "score", None, f"{a['name']} composite"),
                    ExpectedNumber(b["composite"], "score", None, f"{b['name']} composite")]
            if a["name"] in disc or b["name"] in disc:
                nums = []  # the printed/computed pair is covered by the pvc items
            add("compare", "compare", lang, fmt, nums, ["compare|scores"], [], f"compare:{a['name']}:{b['name']}",
                must=[_names(a), _names(b)])
            out[-1].meta["winner"] = win["name"]
    for d in _dims(edition):
        with_dim = [r for r in rows if r["dimensions"][d["key"]]["score"] is not None]
        with_dim.sort(key=lambda r: -r["dimensions"][d["key"]]["score"])
        for i in range(0, len(with_dim) - 1, 7):
            a, b = with_dim[i], with_dim[min(i + 4, len(with_dim) - 1)]
            sa, sb = a["dimensions"][d["key"]]["score"], b["dimensions"][d["key"]]["score"]
            if a["name"] == b["name"] or sa == sb:
                continue
            for lang in langs:
                fmt = {"a": _name(a, lang), "b": _name(b, lang), "dim": d[lang] if lang == "zh" else d["en"].lower()}
                add("compare", "compare_dim", lang, fmt,
                    [ExpectedNumber(sa, "score", None, f"{a['name']} {d['key']}"), ExpectedNumber(sb, "score", None, f"{b['name']} {d['key']}")],
                    ["compare|scores"], [], f"compare_dim:{d['key']}:{a['name']}:{b['name']}",
                    must=[_names(a), _names(b)])
    return out


def sample(items: list[EvalItem], n: int | None, seed: int = 0) -> list[EvalItem]:
    """A stratified sample: round-robin over (edition, category, language) strata, random
    within each, so that every kind of question is represented even for small ``n``."""
    if n is None or n >= len(items):
        return list(items)
    rng = random.Random(seed)
    strata: dict[tuple, list[EvalItem]] = defaultdict(list)
    for it in items:
        strata[(it.meta.get("edition"), it.category, it.lang)].append(it)
    keys = sorted(strata)
    for k in keys:
        rng.shuffle(strata[k])
    rng.shuffle(keys)
    out: list[EvalItem] = []
    while len(out) < n:
        progressed = False
        for k in keys:
            if strata[k] and len(out) < n:
                out.append(strata[k].pop())
                progressed = True
        if not progressed:
            break
    return out
