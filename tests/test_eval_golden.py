"""The golden set: format, coverage, and every expected number / line range checked
against the seed reports and index_core."""
from __future__ import annotations

import re
from collections import Counter

import pytest

from assistant.evaluation import golden
from assistant.evaluation.items import EvalItem
from assistant.numerals import CN_SMALL, numbers_in, parse_chinese_number
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
    assert golden.ASSISTANT_GOLDEN.is_file()
    assert len(all_items) >= 120


def test_citation_ranges_exist(all_items, seed_lines):
    for it in all_items:
        for c in it.citations:
            lines = seed_lines(c["source_file"])
            a, b = c["lines"]
            assert 1 <= a <= b <= len(lines), (it.id, c)
            assert any(lines[i - 1].strip() for i in range(a, b + 1)), (it.id, c, "blank range")


def _printed_values(text: str) -> set[float]:
    """Every number printed in ``text``: arabic, or Chinese numerals (第三梯队 prints 3)."""
    values = {round(n.value, 4) for n in numbers_in(text)}
    for m in re.finditer(f"[{CN_SMALL}]+", text):
        v = parse_chinese_number(m.group(0))
        if v is not None:
            values.add(v)
    return values


def _entity_values(names: set[str]) -> tuple[set[float], set[int]]:
    """Scores (2 decimals) and ranks/tiers that index_core holds for these entities, in any edition."""
    scores, ordinals = set(), set()
    for e in io.edition_ids():
        members = io.load_edition(e).entities
        for name in names & set(members):
            row = api.scores(e, name)["entities"][0]
            scores |= {round(v, 2) for v in (row["composite"], row["published_composite"]) if v is not None}
            ordinals |= {r for r in (row["rank"], row["published_rank"], row["tier"]) if r is not None}
            for d in row["dimensions"].values():
                scores |= {round(d["score"], 2)} if d["score"] is not None else set()
                ordinals |= {d["rank"]} if d["rank"] is not None else set()
    return scores, ordinals


def test_expected_numbers_are_printed_or_the_named_entitys(extra, seed_lines):
    """Each expected number is printed on one of the item's cited lines; failing that, a
    score, rank or tier must be one index_core holds for an entity the item names (in its
    question, history or required terms), not merely some value of some entity."""
    registry = io.load_registry()
    for it in extra:
        cited = " ".join(seed_lines(c["source_file"])[i - 1] for c in it.citations
                         for i in range(c["lines"][0], c["lines"][1] + 1))
        printed = _printed_values(cited)
        said = " ".join([it.question, *(h.get("content", "") for h in it.history), str(it.must_contain)])
        scores, ordinals = _entity_values(set(registry.find_in_text(said)))
        for n in it.numbers:
            value = 100 * n.value if n.kind == "percent" else n.value
            if round(value, 4) in printed or f"{value:g}".replace(".", ",") in cited:  # the report's 2,73% typo
                continue
            assert n.kind in ("score", "rank", "tier"), (it.id, n, "a percent or count must be printed where cited")
            held = scores if n.kind == "score" else ordinals
            assert (round(n.value, 2) if n.kind == "score" else int(n.value)) in held, (it.id, n)


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
    assert any(n.value == value for n in item.numbers), (item_id, [n.value for n in item.numbers])


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
