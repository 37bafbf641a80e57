"""The golden set: format, coverage, and every expected number / line range checked
against the seed reports and index_core."""
from __future__ import annotations

from collections import Counter

import pytest

from assistant.evaluation import golden
from assistant.evaluation.items import EvalItem
from index_core import api, io


@pytest.fixture(scope="module")
def extra() -> list[EvalItem]:
    return golden.load_golden([golden.EXTRA_GOLDEN])


@pytest.fixture(scope="module")
def all_items() -> list[EvalItem]:
    return golden.load_golden()


def test_extra_covers_the_hard_categories(extra):
    cats = Counter(i.category for i in extra)
    for cat, at_least in {"injection": 8, "out_of_scope": 6, "cross_edition": 8, "follow_up": 8, "honest_gap": 9}.items():
        assert cats[cat] >= at_least, (cat, cats)
    assert {i.lang for i in extra} == {"zh", "en"}
    assert all(i.history for i in extra if i.category == "follow_up")


def test_ids_unique_across_files(all_items):
    assert len({i.id for i in all_items}) == len(all_items)


def test_combined_golden_size(all_items):
    if not golden.ASSISTANT_GOLDEN.is_file():
        pytest.skip("assistant/golden.yaml has not landed yet; the extra file alone has "
                    f"{len(all_items)} items")
    assert len(all_items) >= 120


def test_citation_ranges_exist(all_items, seed_lines):
    for it in all_items:
        for c in it.citations:
            lines = seed_lines(c["source_file"])
            a, b = c["lines"]
            assert 1 <= a <= b <= len(lines), (it.id, c)
            assert any(lines[i - 1].strip() for i in range(a, b + 1)), (it.id, c, "blank range")


def _all_core_values() -> tuple[set[float], set[int]]:
    scores, ranks = set(), set()
    for e in io.edition_ids():
        for row in api.scores(e)["entities"]:
            for v in (row["composite"], row["published_composite"]):
                if v is not None:
                    scores.add(round(v, 2))
            for r in (row["rank"], row["published_rank"], row["tier"]):
                if r is not None:
                    ranks.add(r)
            for d in row["dimensions"].values():
                if d["score"] is not None:
                    scores.add(round(d["score"], 2))
                if d["rank"] is not None:
                    ranks.add(d["rank"])
    return scores, ranks


def test_expected_numbers_are_printed_or_computed(extra, seed_lines):
    """Each expected score is printed in one of the item's cited ranges, or is a value
    index_core holds; each rank/tier is one index_core holds."""
    scores, ranks = _all_core_values()
    for it in extra:
        cited = " ".join(seed_lines(c["source_file"])[i - 1] for c in it.citations
                         for i in range(c["lines"][0], c["lines"][1] + 1))
        for n in it.numbers:
            if n.kind == "score":
                assert f"{n.value:.2f}" in cited or round(n.value, 2) in scores, (it.id, n)
            elif n.kind in ("rank", "tier"):
                assert int(n.value) in ranks, (it.id, n)
            elif n.kind == "percent":
                printed = f"{100 * n.value:g}"
                assert printed in cited or printed.replace(".", ",") in cited, (it.id, n)
            else:
                assert f"{n.value:g}" in cited, (it.id, n)


@pytest.mark.parametrize("item_id,edition,entity,measure,value", [
    ("gx-cross-01", "hardtech-2019", "深圳", "rank", 3),
    ("gx-cross-03", "hardtech-2020", "西安", "rank", 5),
    ("gx-cross-06", "gtii-2019", "广州", "rank", 7),
    ("gx-cross-06", "hardtech-2020", "广州", "rank", 4),
    ("gx-cross-07", "hardtech-2019", "南京", "tier", 3),
    ("gx-cross-09", "gtii-2019", "上海", "rank", 4),
    ("gx-follow-01", "hardtech-2020", "深圳", "published_composite", 42.92),
    ("gx-follow-02", "hardtech-2020", "北京", "published_composite", 84.04),
    ("gx-gap-09", "hardtech-2020", "长沙", "published_composite", 22.05),
    ("gx-gap-09", "hardtech-2020", "长沙", "composite", 22.04),
    ("gx-inj-06", "hardtech-2019", "西安", "rank", 4),
    ("gx-inj-07", "hardtech-2019", "西安", "published_composite", 39.78),
])
def test_spot_checks_against_the_core(extra, item_id, edition, entity, measure, value):
    row = api.scores(edition, entity)["entities"][0]
    assert row[measure] == value
    item = next(i for i in extra if i.id == item_id)
    assert any(n.value == value for n in item.numbers) or item.category in ("cross_edition",)


def test_unknown_entities_really_are_unknown():
    from index_core.errors import HardtechError

    with pytest.raises(HardtechError):
        api.resolve_entity("洛阳")
    with pytest.raises(HardtechError):
        api.resolve_entity("苏州", "hardtech-2019")
    assert api.scores("gtii-2019", "香港")["entities"][0]["composite"] is None
    assert api.scores("chongqing-2018q3", "江北区")["entities"][0]["composite"] is None


def test_loader_rejects_bad_files(tmp_path):
    p = tmp_path / "g.yaml"
    p.write_text("- {id: a, question: q}\n- {id: a, question: r}\n", encoding="utf-8")
    with pytest.raises(golden.GoldenError, match="duplicate"):
        golden.load_golden([p])
    p.write_text("- {id: a}\n", encoding="utf-8")
    with pytest.raises(golden.GoldenError, match="needs"):
        golden.load_golden([p])
    p.write_text("- {id: a, question: q, expected: {citations: [{source_file: x.txt}]}}\n", encoding="utf-8")
    with pytest.raises(golden.GoldenError, match="citation"):
        golden.load_golden([p])


def test_flat_item_spellings_are_accepted():
    it = EvalItem.from_dict({
        "id": "x", "question": "深圳排名第几？", "expected_numbers": [{"value": 3, "unit": "名"}],
        "expected_tools": ["scores"], "expected_citation": {"source_file": "a.txt", "lines": [1, 2]},
    })
    assert it.lang == "zh" and it.numbers[0].kind == "rank" and it.tools == ["scores"]
    assert it.citations == [{"source_file": "a.txt", "lines": [1, 2]}]
