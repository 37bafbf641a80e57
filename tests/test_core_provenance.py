"""Every shipped number must be printed where its row says it is."""
from __future__ import annotations

import re

import pytest

from index_core import io

CN_DIGITS = "零一二三四五六七八九十"


def _printed_forms(printed: str) -> list[str]:
    """How a value may appear on its line: as printed, or a small integer in Chinese numerals."""
    forms = [printed]
    if printed.isdigit() and int(printed) <= 10:
        forms.append(CN_DIGITS[int(printed)])
    return forms


def _printed_on(printed: str, line: str) -> bool:
    """``printed`` stands on ``line`` as a whole number: 64.34 is not inside 164.345 or 64.3."""
    digits = "0-9" if printed[:1].isdigit() else CN_DIGITS
    return re.search(rf"(?<![{digits}.,]){re.escape(printed)}(?![{digits}]|[.,][0-9])", line) is not None


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _near(lines: list[str], line: int, before: int = 2, after: int = 2) -> str:
    """The cited line with its neighbours, whitespace removed: PDF text wraps names across lines."""
    return _compact("".join(lines[max(line - 1 - before, 0) : line + after]))


@pytest.mark.parametrize("edition", io.edition_ids())
def test_scores_and_composites_are_printed_on_their_line(edition, seed_lines):
    pub = io.load_edition(edition).published
    numeric = pub[pub["measure"].str.endswith(".score") | (pub["measure"] == "composite")]
    assert len(numeric) > 0
    for _, row in numeric.iterrows():
        line = seed_lines(row["source_file"])[row["line"] - 1]
        assert re.search(rf"(?<![\d.]){re.escape(row['printed'])}(?![\d])", line), (edition, row.to_dict(), line)


def _names(registry, lines: list[str], line: int, entity: str) -> bool:
    """``entity`` is named on the line; or its name wraps past the line's end (the PDF text
    breaks names across lines); or, where the line names no entity (a profile names its
    district once, then says 居第 1 位), it is the last entity named in the 30 lines above."""
    here, after = _compact(lines[line - 1]), _compact("".join(lines[line: line + 2]))
    on_line = registry.find_in_text(here)
    if entity in on_line:
        return True
    if entity in registry.find_in_text(here + after) and entity not in registry.find_in_text(after):
        return True
    above = registry.find_in_text(_compact("".join(reversed(lines[max(line - 31, 0): line - 1]))))
    return not on_line and above[:1] == [entity]


@pytest.mark.parametrize("edition", io.edition_ids())
def test_ranks_and_tiers_name_their_entity_on_the_line(edition, seed_lines):
    """Ranks and tiers are often printed as words or list positions: the entity must be named
    where its row points (a wrong entity of another value passes for 11 of 535 rows picked at
    random, against 110 with the earlier 13-line window and truncated names)."""
    registry = io.load_registry()
    pub = io.load_edition(edition).published
    rows = pub[pub["measure"].str.endswith("rank") | (pub["measure"] == "tier")]
    for _, row in rows.iterrows():
        is_rest_of_2019 = edition == "hardtech-2019" and row["measure"] == "tier" and row["printed"] == "5"
        assert is_rest_of_2019 or _names(registry, seed_lines(row["source_file"]), row["line"], row["entity"]), \
            (edition, row.to_dict())


def test_table_rows_print_every_rank_on_the_line(seed_lines):
    """The 2019 表2 and 2020 ranking tables print ranks as digits on the entity's own line."""
    for edition in ("hardtech-2019", "hardtech-2020"):
        pub = io.load_edition(edition).published
        for _, row in pub[pub["measure"].str.endswith(".rank")].iterrows():
            tokens = seed_lines(row["source_file"])[row["line"] - 1].split()
            assert row["printed"] in tokens, row.to_dict()


@pytest.mark.parametrize("edition", io.edition_ids())
def test_facts_are_printed_on_their_line(edition, seed_lines):
    facts = io.load_edition(edition).facts
    for _, row in facts.iterrows():
        line = seed_lines(row["source_file"])[row["line"] - 1]
        assert any(_printed_on(f, line) for f in _printed_forms(row["printed"])), (edition, row.to_dict(), line)


@pytest.mark.parametrize("edition", io.edition_ids())
def test_spec_sources_point_at_their_text(edition, seed_lines):
    spec = io.load_edition(edition).spec
    for item in [*spec.dimensions, *spec.indicators, *spec.elements]:
        src = item.source
        near = _near(seed_lines(src.file), src.line)
        assert _compact(item.zh)[:4] in near, (edition, item.zh, near)
    for d in spec.dimensions:
        if d.weight is not None:
            line = seed_lines(d.source.file)[d.source.line - 1]
            assert f"{d.weight * 100:g}%" in _compact(line), (d.key, d.weight, line)


def test_2019_tier_thresholds_are_stated_where_cited(seed_lines):
    spec = io.load_edition("hardtech-2019").spec
    line = _compact(seed_lines("001_2d381f25c7fc5f5d.txt")[1820])
    for rule in spec.tiers.rules:
        assert rule.zh in line
        if rule.status == "stated" and rule.threshold:
            assert f"{rule.threshold:g}分以上" in line


def test_shipped_corpus_is_byte_identical_to_the_seeds():
    from pathlib import Path

    seeds = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds is not beside this checkout")
    from tests.conftest import CORPUS

    for seed in seeds.glob("*.txt"):
        assert (CORPUS / seed.name).read_bytes() == seed.read_bytes(), seed.name


def test_every_row_names_an_entity_of_its_edition_and_the_registry():
    reg = io.load_registry()
    for eid in io.edition_ids():
        data = io.load_edition(eid)
        members = set(data.entities)
        assert members and all(e in reg for e in members), eid
        published = set(data.published["entity"].dropna())
        assert published <= members, (eid, published - members)
        stated = set(data.facts["entity"].dropna())  # facts may be about the whole region (重庆)
        assert all(e in reg for e in stated), (eid, [e for e in stated if e not in reg])


def test_notes_cite_lines_that_name_their_entity(seed_lines):
    for eid in io.edition_ids():
        for note in io.load_edition(eid).notes:
            first, last = note["lines"]
            text = _compact("".join(seed_lines(note["source_file"])[first - 1 : last]))
            if note["entity"] is None:  # a note about the edition as a whole (e.g. a stated count)
                continue
            # a contradiction names its entity twice; any other note at least once
            assert text.count(note["entity"]) >= (2 if note["kind"] == "contradiction" else 1), note
