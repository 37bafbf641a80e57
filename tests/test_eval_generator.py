"""The generated numeric suite: every expected value is recomputed here independently,
from published.csv with pandas arithmetic (not through index_core's engine)."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from assistant.evaluation import generator

EDITIONS = Path(__file__).resolve().parents[1] / "index_core" / "data" / "editions"
W2019 = {"innovation_base": 0.15, "innovation_input": 0.35, "innovation_output": 0.35, "innovation_environment": 0.15}
D2020 = ["research_talent", "hardtech_investment", "hightech_output", "hardtech_enterprises", "innovation_environment"]
HALF_CENT = 0.005 + 1e-9


def wide(edition: str) -> pd.DataFrame:
    pub = pd.read_csv(EDITIONS / edition / "published.csv", dtype={"value": str})
    pub["value"] = pub["value"].astype(float)
    return pub.pivot_table(index="entity", columns="measure", values="value", aggfunc="first")


@pytest.fixture(scope="module")
def truth() -> dict[str, pd.DataFrame]:
    out = {}
    t = wide("hardtech-2019")
    t["computed"] = sum(t[f"{k}.score"] * w for k, w in W2019.items())
    t["crank"] = t["computed"].rank(method="min", ascending=False)
    t["ctier"] = pd.cut(t["computed"], [-1, 20, 30, 40, 60, 101], right=False, labels=[5, 4, 3, 2, 1]).astype(int)
    out["hardtech-2019"] = t
    t = wide("hardtech-2020")
    t["computed"] = t[[f"{k}.score" for k in D2020]].mean(axis=1)
    t["crank"] = t["computed"].rank(method="min", ascending=False)
    t["ctier"] = pd.cut(t["computed"], [-1, 30, 40, 60, 101], right=False, labels=[4, 3, 2, 1]).astype(int)
    out["hardtech-2020"] = t
    out["gtii-2019"] = wide("gtii-2019")
    out["chongqing-2018q3"] = wide("chongqing-2018q3")
    return out


@pytest.fixture(scope="module")
def items():
    return generator.generate()


def parts(item) -> list[str]:
    # id = num:{edition}:{measure}:{entity}[:{dim}|:{entity b}]:{lang}:{i}
    return item.id.split(":")[2:-2]


def test_size_languages_and_coverage(items):
    assert len(items) >= 2000
    assert {i.lang for i in items} == {"zh", "en"}
    cats = Counter((i.meta["edition"], i.category) for i in items)
    for ed in ("hardtech-2019", "hardtech-2020"):
        for cat in ("composite", "rank", "tier", "dimension_score", "dimension_rank", "top_n", "compare", "pvc"):
            assert cats[(ed, cat)] > 0, (ed, cat)
    # partial editions: only what exists
    assert cats[("gtii-2019", "composite")] and cats[("gtii-2019", "dimension_score")]
    assert not cats[("gtii-2019", "tier")]
    assert cats[("chongqing-2018q3", "tier")] and cats[("chongqing-2018q3", "composite")]
    assert len({i.id for i in items}) == len(items)
    assert len({i.question for i in items}) == len(items)


def test_partial_editions_generate_only_printed_values(items, truth):
    gt = truth["gtii-2019"]
    for it in items:
        ed, p = it.meta["edition"], parts(it)
        if ed == "gtii-2019" and p[0] in ("composite", "rank"):
            assert p[1] in gt.index and pd.notna(gt.loc[p[1], "composite"]), it.id
        if ed == "chongqing-2018q3" and p[0] in ("composite", "dim_score"):
            measure = "composite" if p[0] == "composite" else f"{p[2]}.score"
            assert pd.notna(truth[ed].loc[p[1]].get(measure)), it.id
    entities_gtii = {parts(i)[1] for i in items if i.meta["edition"] == "gtii-2019" and parts(i)[0] == "composite"}
    assert len(entities_gtii) == 15  # TOP15 only, of 45 cities


def test_expected_values_recomputed_independently(items, truth):
    checked = Counter()
    for it in items:
        ed, p = it.meta["edition"], parts(it)
        t = truth[ed]
        kind = p[0]
        if kind in ("composite", "composite_1dp") and ed in ("hardtech-2019", "hardtech-2020"):
            ent = p[1]
            printed = t.loc[ent].get("composite")
            values = sorted(n.value for n in it.numbers)
            if len(values) == 2:  # published-vs-computed: both, each named
                assert pd.notna(printed) and abs(printed - t.loc[ent, "computed"]) > 0.005
                assert min(abs(v - printed) for v in values) < 1e-9
                assert min(abs(v - t.loc[ent, "computed"]) for v in values) <= 1e-3
            else:
                assert abs(values[0] - t.loc[ent, "computed"]) <= HALF_CENT, it.id
            checked["composite"] += 1
        elif kind in ("composite",):  # gtii, chongqing: the printed composite
            assert it.numbers[0].value == pytest.approx(t.loc[p[1], "composite"]), it.id
            checked["composite_printed"] += 1
        elif kind == "pvc_printed":
            assert it.numbers[0].value == pytest.approx(t.loc[p[1], "composite"])
            checked["pvc"] += 1
        elif kind == "pvc_computed":
            assert abs(it.numbers[0].value - t.loc[p[1], "computed"]) <= 1e-3
            checked["pvc"] += 1
        elif kind == "rank":
            want = t.loc[p[1], "crank"] if "crank" in t else t.loc[p[1], "rank"]
            assert it.numbers[0].value == want, it.id
            checked["rank"] += 1
        elif kind == "tier":
            if it.numbers:
                want = t.loc[p[1], "ctier"] if "ctier" in t else t.loc[p[1], "tier"]
                assert it.numbers[0].value == want, it.id
            else:  # 2020 below the third tier: no tier number, an honest "not named"
                assert ed == "hardtech-2020" and t.loc[p[1], "computed"] < 30
            checked["tier"] += 1
        elif kind == "dim_score":
            assert it.numbers[0].value == pytest.approx(t.loc[p[1], f"{p[2]}.score"]), it.id
            checked["dim_score"] += 1
        elif kind == "dim_rank":
            printed = t.loc[p[1]].get(f"{p[2]}.rank")
            if pd.notna(printed):
                assert it.numbers[0].value == printed, it.id
            if ed in ("hardtech-2019", "hardtech-2020"):
                by_score = t[f"{p[2]}.score"].rank(method="min", ascending=False)
                assert it.numbers[0].value == by_score[p[1]], it.id
            checked["dim_rank"] += 1
        elif kind in ("top_dim", "top_composite"):
            by, n = p[1], int(p[2])
            col = ("computed" if "computed" in t else "composite") if by == "composite" else f"{by}.score"
            top = t[col].dropna().sort_values(ascending=False).index[:n]
            want = {frozenset([name]) for name in top}
            got = {frozenset(x for x in alts if x in t.index) for alts in it.must_contain}
            assert got == want, it.id
            checked["top"] += 1
        elif kind == "compare":
            col = "computed" if "computed" in t else "composite"
            for n, ent in zip(it.numbers, (p[1], p[2])):
                assert abs(n.value - t.loc[ent, col]) <= HALF_CENT, it.id
            checked["compare"] += 1
        elif kind == "compare_dim":
            for n, ent in zip(it.numbers, (p[2], p[3])):
                assert n.value == pytest.approx(t.loc[ent, f"{p[1]}.score"]), it.id
            checked["compare"] += 1
    assert all(checked[k] > 0 for k in ("composite", "composite_printed", "pvc", "rank", "tier", "dim_score",
                                        "dim_rank", "top", "compare")), checked


def test_pvc_cases_name_their_value(items):
    pvc = [i for i in items if i.category == "pvc"]
    ents = {parts(i)[1] for i in pvc if i.meta["edition"] == "hardtech-2020"}
    assert ents == {"长沙", "石家庄"}
    xian = [i for i in pvc if parts(i)[1] == "西安" and parts(i)[0] == "composite"]
    assert xian and all(len(i.numbers) == 2 and len(i.must_contain) == 3 for i in xian)


def test_precision_follows_the_question(items):
    one_dp = [i for i in items if parts(i)[0] == "composite_1dp"]
    assert one_dp and all(i.numbers[0].tolerance == pytest.approx(0.05) for i in one_dp)
    plain = [i for i in items if parts(i)[0] == "dim_score"]
    assert all(i.numbers[0].tolerance == pytest.approx(0.005) for i in plain)


def test_sample_is_stratified_and_seeded(items):
    a = generator.sample(items, 200, seed=1)
    b = generator.sample(items, 200, seed=1)
    c = generator.sample(items, 200, seed=2)
    assert [i.id for i in a] == [i.id for i in b] != [i.id for i in c]
    assert len(a) == 200 and len({i.id for i in a}) == 200
    assert {i.meta["edition"] for i in a} == {"hardtech-2019", "hardtech-2020", "gtii-2019", "chongqing-2018q3"}
    assert {i.category for i in a} >= {"composite", "rank", "tier", "dimension_score", "dimension_rank", "top_n", "compare", "pvc"}
    assert {i.lang for i in a} == {"zh", "en"}
