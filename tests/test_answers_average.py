"""A place's figure against its edition's average or median ("is that above average?"), named
or inherited from the turn before, composite or the dimension asked. Hand-checked against the
printed tables: 2020 (000:2766-2840) composites average 22.70 over 38 cities, 南京 28.01
(000:2782); 2019 表2 (001:1839-1874) 创新投入 median 23.18 over 36 cities, 哈尔滨 20.84."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.offline import answer_question

ROOT = Path(__file__).resolve().parents[1]


def test_the_statistic_is_the_printed_tables_own():
    """The 2020 average, summed from the printed table rows themselves ("1 北京 84.04 80.80 1 ...")."""
    lines = (ROOT / "vectorstore" / "corpus" / "000_a935e4fe392ee53f.txt").read_text(encoding="utf-8").split("\n")
    rows = [m for line in lines[2765:2840] if (m := re.match(r"\s*(\d+)\s+(\S+)\s+(\d+\.\d\d)\s", line))]
    assert len(rows) == 38
    assert round(sum(float(m.group(3)) for m in rows) / 38, 2) == 22.70


@pytest.mark.parametrize("history, question, opening", [
    ("Nanjing 2020 score?", "is that above average?", ("Above average", "28.01", "22.70", "38")),
    ("南京2020年得分", "高于平均水平吗", ("高于平均", "28.01", "22.70", "38")),
    (None, "哈尔滨2019年创新投入得分低于中位数吗", ("低于中位数", "20.84", "23.18", "36")),
])
def test_the_side_of_the_average_comes_first(history, question, opening):
    turns = []
    if history:
        turns = [{"role": "user", "content": history}, {"role": "assistant", "content": answer_question(history).answer}]
    first = answer_question(question, turns).answer.split("\n")[0]
    assert all(t in first for t in opening), first


def test_a_plain_lookup_says_nothing_of_the_average():
    assert "average" not in answer_question("Nanjing 2020 score?").answer.lower()
