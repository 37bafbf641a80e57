"""Every reviewed note can be quoted as printed: its ``printed`` text stands on its cited lines
(each fragment between "…" verbatim, whitespace aside), it has a reading in both languages,
and every number of its reading is either printed in the report or hand-computable from
printed figures (listed here with the arithmetic)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from index_core import io

CORPUS = Path(__file__).resolve().parents[1] / "vectorstore" / "corpus"

# numbers a reading derives rather than quotes, with the arithmetic from the printed figures
DERIVED = {
    "16.42": "8.51 / (60.33 - 8.51) = 16.42% (004 lines 212, 285)",
    "66.84": "60.33 + 6.51 (004 lines 220, 285)",
    "87.14": "31.01/(1-0.0080) + 35.41/(1+0.0894) + 21.47/(1-0.0814) (004 lines 64, 104, 152, 232-238)",
    "57.77": "10 x 64.17 - 584.93, the other nine printed aerospace scores (001 lines 2535, 2539)",
    "39.7855": "0.15*16.44 + 0.35*48.16 + 0.35*38.53 + 0.15*46.52 (001 line 1974)",
    "39.79": "39.7855 rounded",
    "22.044": "(31.52 + 24.88 + 24.34 + 11.40 + 18.08) / 5 (000 line 2792)",
    "22.04": "22.044 rounded",
    "14.476": "(16.55 + 23.05 + 10.62 + 8.33 + 13.83) / 5 (000 line 2822)",
    "14.48": "14.476 rounded",
    "20": "10 Chinese + 10 US cities (001 lines 2722-2747)",
    "0.01": "a difference of one hundredth",
}


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _notes():
    return [(eid, n) for eid in io.edition_ids() for n in io.load_edition(eid).notes]


def _lines(source_file: str, first: int, last: int) -> str:
    lines = (CORPUS / source_file).read_text(encoding="utf-8").split("\n")
    return _flat("".join(lines[first - 1:last]))


@pytest.mark.parametrize("edition, note", _notes(), ids=lambda v: v if isinstance(v, str) else str(v.get("lines")))
def test_a_note_quotes_its_printed_figure_from_its_cited_lines(edition, note):
    assert note.get("printed") and note.get("reading", {}).get("zh") and note["reading"].get("en")
    cited = _lines(note["source_file"], *note["lines"])
    for fragment in str(note["printed"]).split("…"):
        assert _flat(fragment) in cited, (edition, fragment)


@pytest.mark.parametrize("edition, note", _notes(), ids=lambda v: v if isinstance(v, str) else str(v.get("lines")))
def test_every_number_of_a_reading_is_printed_or_derived(edition, note):
    printed = _flat((CORPUS / note["source_file"]).read_text(encoding="utf-8"))  # anywhere in the report
    for lang in ("zh", "en"):
        for number in re.findall(r"\d+(?:\.\d+)?", note["reading"][lang]):
            if number in DERIVED or len(number) == 1 or (number.isdigit() and int(number) <= 12):
                continue  # derived (see DERIVED), or an ordinal / small count ("8th", "10 US cities")
            assert number in printed.replace(",", "."), (edition, lang, number)


def test_cues_are_groups_of_terms():
    for _, note in _notes():
        for group in note.get("cues") or []:
            assert isinstance(group, list) and group and all(isinstance(t, (str, float, int)) for t in group)
