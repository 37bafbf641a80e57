"""A what-if or a sensitivity answer about a named entity first states what the report
prints for it (composite, rank), cited to the printed line: the hypothetical is read
against the published figure, never instead of it."""
from __future__ import annotations

import pytest

from assistant.offline import answer_question


@pytest.mark.parametrize("question, printed, line", [
    # 000_a935e4fe392ee53f.txt:2784 prints "10 成都 27.40 ..."
    ("成都2020年的名次对权重敏感吗", "27.40", 2784),
    # 001_2d381f25c7fc5f5d.txt:2061 prints "武汉市产业创新综合能力水平指数为 35.03"
    ("Is Wuhan's 2019 rank robust to the weighting?", "35.03", 2061),
])
def test_sensitivity_states_the_printed_composite_with_its_line(question, printed, line):
    env = answer_question(question)
    assert printed in env.answer
    assert any(c.lines[0] <= line <= c.lines[1] for c in env.citations), [c.lines for c in env.citations]


@pytest.mark.parametrize("question, hypothetical, printed, line", [
    # equal weights: (25.70 + 37.01 + 32.01 + 46.77) / 4 = 35.37 (001:1859); printed 35.03 (001:2061)
    ("如果2019年四个维度等权，武汉能排第几？", "35.37", "35.03", 2061),
    # 西安 2020 with 硬科技企业 30 instead of 11.24: 35.83 + (30 - 11.24) / 5 = 39.58; printed 35.83 (000:2774)
    ("If Xi'an's 2020 hard-tech enterprises score were 30, where would it rank?", "39.58", "35.83", 2774),
])
def test_what_if_states_the_printed_composite_beside_the_hypothetical(question, hypothetical, printed, line):
    env = answer_question(question)
    assert hypothetical in env.answer and printed in env.answer
    assert any(c.lines[0] <= line <= c.lines[1] for c in env.citations), [c.lines for c in env.citations]
