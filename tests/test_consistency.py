"""The consistency pass finds, with file and line, where the reports' printed numbers
disagree with each other, and stays silent on a consistent edition.

Two kinds of evidence: the known inconsistencies of the shipped reports (each checked
against the printed numbers on its cited line), and a hand-made edition whose numbers are
worked out by hand, clean first and then broken one way per check.
"""
from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from typer.testing import CliRunner

from index_core import api, io
from index_core.consistency import check_edition, review
from index_core.edition import evaluate
from index_core.io import EditionData
from index_core.spec import parse_spec

REPORT_2019 = "001_2d381f25c7fc5f5d.txt"
JOURNAL = "004_761156490aac2bdf.txt"
WORDS = {"up": ["上升", "增幅", "增加"], "down": ["下降", "降低", "降幅"]}


@pytest.fixture(scope="module")
def shipped():
    return api.consistency()["findings"]


def _find(findings, **match):
    hits = [f for f in findings if all(f.get(k) == v for k, v in match.items())]
    assert hits, f"no finding with {match}"
    return hits[0]


# --- the shipped reports: known inconsistencies, found where they are printed ----------------

def test_gtii_aerospace_london_printed_ninth_above_guangzhou(shipped):
    f = _find(shipped, check="rank_order", edition="gtii-2019", entity="伦敦", measure="aerospace")
    assert (f["source_file"], f["line"]) == (REPORT_2019, 2535)
    assert f["printed"] == {"伦敦 rank": "9", "伦敦 score": "56.88", "广州 rank": "8", "广州 score": "51.44"}
    assert "between 56.88 and 62.80" in f["implied"]  # 广州 must sit between 伦敦 and 西安 (7th)


def test_gtii_aerospace_stated_average_and_threshold_disagree_with_the_list(shipped):
    mean = _find(shipped, check="stated_total", edition="gtii-2019", line=2539)
    assert mean["printed"] == {"航空航天TOP10平均创新指数": "64.17"}
    # (80.08+68.74+68.09+65.64+64.68+63.13+62.80+51.44+56.88+53.89) / 10 = 63.537
    assert mean["implied_value"] == pytest.approx(63.537)
    assert "would have to be 57.77" in mean["implied"]  # 64.17 * 10 - (635.37 - 51.44)
    low = _find(shipped, check="stated_total", edition="gtii-2019", line=2541)
    assert low["printed"] == {"航空航天TOP10门槛": "53.89"} and low["implied_value"] == pytest.approx(51.44)


def test_gtii_other_fields_agree_with_their_stated_averages_and_thresholds(shipped):
    gtii = [f for f in shipped if f["edition"] == "gtii-2019" and f["check"] == "stated_total"]
    assert {f["line"] for f in gtii} == {2539, 2541, 2593}


def test_gtii_china_us_comparison_counts_nine_us_cities_of_ten_listed(shipped):
    f = _find(shipped, check="stated_total", edition="gtii-2019", line=2593)
    assert f["printed"] == {"中美比较中的美国城市数": "9"} and f["implied_value"] == 10


def test_2019_xian_composite_printed_39_78_computes_to_39_79(shipped):
    f = _find(shipped, check="composite", edition="hardtech-2019", entity="西安")
    assert (f["source_file"], f["line"], f["printed"]) == (REPORT_2019, 1974, {"composite": "39.78"})
    # 0.15*16.44 + 0.35*48.16 + 0.35*38.53 + 0.15*46.52
    assert f["implied_value"] == pytest.approx(39.7855)
    assert "rounds to 39.79" in f["implied"] and "within the rounding" in f["implied"]


def test_2020_rounding_level_composites(shipped):
    changsha = _find(shipped, check="composite", edition="hardtech-2020", entity="长沙")
    assert changsha["line"] == 2792 and changsha["implied_value"] == pytest.approx(22.044)  # (31.52+24.88+24.34+11.40+18.08)/5
    sjz = _find(shipped, check="composite", edition="hardtech-2020", entity="石家庄")
    assert sjz["line"] == 2822 and sjz["implied_value"] == pytest.approx(14.476)


def test_rongchang_named_both_largest_rise_and_largest_fall(shipped):
    both = _find(shipped, check="period_change", entity="荣昌区", measure="composite.direction")
    assert (both["source_file"], both["line"]) == (JOURNAL, 212)
    assert {212, 214, 220, 222} <= set(both["lines"])
    # a rise of 8.51 to 60.33 would be 8.51 / 51.82 = 16.42%, not the printed 14.6%
    rate = _find(shipped, check="period_change", entity="荣昌区", measure="composite.change")
    assert rate["line"] == 214 and rate["implied_value"] == pytest.approx(16.42)
    # and a rise at all is outside its sub-indices' changes (-22.42%, +0.43%, -9.74%)
    parts = _find(shipped, check="period_change", entity="荣昌区", measure="composite.change_vs_parts")
    assert parts["line"] == 214 and "between -22.42% and +0.43%" in parts["implied"]


def test_rongchang_fall_and_dadukou_rise_agree_with_their_levels(shipped):
    """6.51 / (60.33 + 6.51) = 9.74% and 7.13 / (62.94 - 7.13) = 12.77%: no finding."""
    lines = {f["line"] for f in shipped if f["check"] == "period_change"}
    assert not lines & {220, 222, 257, 259}


def test_yubei_quarter_change_contradicts_its_sub_index_changes(shipped):
    f = _find(shipped, check="period_change", entity="渝北区", measure="composite.previous_vs_parts")
    assert (f["source_file"], f["line"]) == (JOURNAL, 206)
    # 31.01/(1-0.0080) + 35.41/(1+0.0894) + 21.47/(1-0.0814) = 87.14, not the printed 82.13
    assert f["implied_value"] == pytest.approx(87.14, abs=0.01)
    assert f["printed"]["previous score"] == "82.13"


def test_shenzhen_decimal_comma_2_73(shipped):
    f = _find(shipped, check="number_format", entity="深圳")
    assert (f["source_file"], f["line"], f["printed"]) == (REPORT_2019, 1964, {"value": "2,73"})
    assert f["implied_value"] == pytest.approx(2.73) and "read as 2.73" in f["implied"]


def test_every_finding_cites_a_line_that_prints_one_of_its_values(shipped, seed_lines):
    for f in shipped:
        line = seed_lines(f["source_file"])[f["line"] - 1].replace(",", ".")
        on_line = {float(x) for x in re.findall(r"\d+(?:\.\d+)?", line)}
        printed = {abs(float(x)) for v in f["printed"].values() for x in re.findall(r"\d+(?:\.\d+)?", v.replace(",", "."))}
        assert on_line & printed, f["key"]


def test_every_finding_is_reviewed_and_every_note_reviews_a_current_finding(shipped):
    keys = {f["key"] for f in shipped}
    assert [f["key"] for f in shipped if not f["reviewed"]] == []
    for eid in io.edition_ids():
        for note in io.load_edition(eid).notes:
            assert set(note.get("findings", [])) <= keys, note.get("findings")


def test_api_is_json_ready_and_the_cli_exits_0_when_all_is_reviewed():
    from hardtech.cli import app

    data = api.consistency("gtii-2019")
    assert json.loads(json.dumps(data, ensure_ascii=False))["count"] == data["count"] == 5  # + Xi'an 1298 vs 300 (fact_conflict)
    res = CliRunner().invoke(app, ["check", "--edition", "gtii-2019", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["unreviewed"] == 0
    res = CliRunner().invoke(app, ["check", "--edition", "hardtech-2019"])
    assert res.exit_code == 0 and "001_2d381f25c7fc5f5d.txt:1974" in res.output


# --- a hand-made edition: clean, then broken one way per check --------------------------------
#
# Two sub-indices summed into a total (as the Chongqing index). Worked by hand:
#   A: 40.00 + 30.00 = 70.00 (rank 1, class 1 >= 60)   previous quarter 32.00 + 24.00 = 56.00,
#   B: 30.00 + 25.00 = 55.00 (rank 2, class 2 >= 40)   so A rose 14.00 points, 25.00%, and each
#   C: 20.00 + 15.00 = 35.00 (rank 3, class 3)         sub-index rose 25.00%.

SPEC = {
    "id": "toy-sum", "title": {"zh": "玩具", "en": "Toy"}, "edition_year": 2024, "source": {"file": "toy.txt"},
    "entity_kind": "district", "data_level": "dimension",
    "dimensions": [{"key": "capacity", "zh": "能力", "en": "Capacity"}, {"key": "output", "zh": "产出", "en": "Output"}],
    "indicators": [{"no": 1, "zh": "专利", "en": "Patents", "dimension": "output"}],
    "aggregation": {"method": "sum"},
    "tiers": {"rules": [{"tier": 1, "zh": "一类", "en": "1", "threshold": 60, "status": "stated"},
                        {"tier": 2, "zh": "二类", "en": "2", "threshold": 40, "status": "stated"},
                        {"tier": 3, "zh": "三类", "en": "3", "threshold": 0, "status": "stated"}]},
}
PUBLISHED = [  # entity, measure, printed
    ("A", "composite", "70.00"), ("A", "rank", "1"), ("A", "capacity.score", "40.00"), ("A", "capacity.rank", "1"),
    ("A", "output.score", "30.00"), ("A", "output.rank", "1"), ("A", "tier", "1"),
    ("B", "composite", "55.00"), ("B", "rank", "2"), ("B", "capacity.score", "30.00"), ("B", "capacity.rank", "2"),
    ("B", "output.score", "25.00"), ("B", "output.rank", "2"), ("B", "tier", "2"),
    ("C", "composite", "35.00"), ("C", "rank", "3"), ("C", "capacity.score", "20.00"), ("C", "capacity.rank", "3"),
    ("C", "output.score", "15.00"), ("C", "output.rank", "3"), ("C", "tier", "3"),
]
FACTS = [  # entity, indicator_no, indicator_zh, printed, unit, stated_rank
    ("A", "", "综合指数得分（2024年第1季度）", "56.00", "分", ""),
    ("A", "", "综合指数得分较上季度上升", "14.00", "分", ""),
    ("A", "", "综合指数得分增幅", "25.00", "%", ""),
    ("A", "", "能力指数得分增幅", "25.00", "%", ""),
    ("A", "", "产出指数得分增幅", "25.00", "%", ""),
    ("A", "1", "专利", "10", "件", "1"),
    ("B", "1", "专利", "8", "件", "2"),
]
STATED = {
    "aggregates": [
        {"what": "count", "of": {"members": True}, "printed": "3", "line": 900},
        {"what": "count", "of": {"measure": "tier", "equals": 1}, "printed": "1", "line": 901, "about": "一类数"},
        {"what": "mean", "of": {"measure": "capacity.score"}, "printed": "30.00", "line": 902, "about": "能力平均"},
        {"what": "min", "of": {"measure": "output.score"}, "printed": "15.00", "line": 903, "about": "产出门槛"},
        {"what": "count", "of": {"indicators": True}, "printed": "1", "line": 904, "about": "指标数"},
    ],
    "period_changes": {"composite": ["综合指数"], "previous": ["2024年第1季度"]},
}


def _edition(published=PUBLISHED, facts=FACTS, stated=STATED) -> EditionData:
    pub = pd.DataFrame([{"entity": e, "measure": m, "printed": p, "value": float(p.replace(",", ".")),
                         "source_file": "toy.txt", "line": 10 + i} for i, (e, m, p) in enumerate(published)])
    fct = pd.DataFrame([{"entity": e, "indicator_no": no, "indicator_zh": zh, "indicator_en": zh, "printed": p,
                         "value": float(p.replace(",", ".")), "unit": u, "year": "2024", "stated_rank": r,
                         "source_file": "toy.txt", "line": 100 + i} for i, (e, no, zh, p, u, r) in enumerate(facts)])
    return EditionData(spec=parse_spec(SPEC, "toy"), published=pub, facts=fct, entities=("A", "B", "C"), stated=stated)


def _check(data: EditionData):
    return check_edition(data, evaluate(data), {"A": "中国", "B": "中国", "C": "美国"}, WORDS)


def _replace(rows, match, new):
    return [new if r[: len(match)] == match else r for r in rows]


def test_a_consistent_edition_yields_no_findings():
    assert _check(_edition()) == []


def test_a_score_printed_above_the_one_ranked_before_it():
    data = _edition(published=_replace(PUBLISHED, ("B", "capacity.score"), ("B", "capacity.score", "45.00")))
    f = next(f for f in _check(data) if f.check == "rank_order" and f.printed.get("B score") == "45.00")
    assert f.entity == "B" and f.measure == "capacity"


def test_a_printed_composite_that_is_not_the_sum_of_its_parts():
    data = _edition(published=_replace(PUBLISHED, ("B", "composite"), ("B", "composite", "56.00")))
    found = [f for f in _check(data) if f.check == "composite"]
    assert [(f.entity, f.printed, f.implied_value) for f in found] == [("B", {"composite": "56.00"}, 55.0)]


def test_a_class_member_outside_its_stated_thresholds():
    data = _edition(published=_replace(PUBLISHED, ("C", "tier"), ("C", "tier", "2")))
    found = [f for f in _check(data) if f.check == "tier_threshold"]
    assert [(f.entity, f.implied_value) for f in found] == [("C", 35.0)]  # class 2 starts at 40


def test_a_stated_average_that_the_list_does_not_give():
    stated = {**STATED, "aggregates": [dict(a, printed="31.00") if a.get("about") == "能力平均" else a for a in STATED["aggregates"]]}
    found = _check(_edition(stated=stated))
    assert [(f.check, f.line, f.implied_value) for f in found] == [("stated_total", 902, 30.0)]


def test_a_stated_rate_that_the_levels_do_not_give():
    facts = _replace(FACTS, ("A", "", "综合指数得分增幅"), ("A", "", "综合指数得分增幅", "20.00", "%", ""))
    found = {f.measure: f for f in _check(_edition(facts=facts))}
    assert found["composite.change"].implied_value == pytest.approx(25.0)  # 14 / (70 - 14)
    assert "composite.change_vs_parts" in found  # both parts rose 25%: so must their sum


def test_a_change_stated_as_both_a_rise_and_a_fall():
    facts = FACTS + [("A", "", "综合指数得分降低（降幅最大）", "5.00", "分", "")]
    found = [f for f in _check(_edition(facts=facts)) if f.measure == "composite.direction"]
    assert len(found) == 1 and found[0].printed == {"rise": "14.00分, 25.00%", "fall": "5.00分"}


def test_a_previous_total_that_the_parts_changes_do_not_give():
    facts = _replace(FACTS, ("A", "", "综合指数得分（2024年第1季度）"), ("A", "", "综合指数得分（2024年第1季度）", "50.00", "分", ""))
    found = {f.measure: f for f in _check(_edition(facts=facts))}
    assert found["composite.previous_vs_parts"].implied_value == pytest.approx(56.0)  # 40/1.25 + 30/1.25


def test_a_decimal_comma_is_read_and_reported():
    data = _edition(published=_replace(PUBLISHED, ("C", "output.score"), ("C", "output.score", "15,00")))
    found = [f for f in _check(data) if f.check == "number_format"]
    assert [(f.entity, f.printed, f.implied_value) for f in found] == [("C", {"value": "15,00"}, 15.0)]


def test_a_stated_rank_that_contradicts_the_stated_values():
    facts = _replace(FACTS, ("B", "1"), ("B", "1", "专利", "12", "件", "2"))
    found = [f for f in _check(_edition(facts=facts)) if f.check == "stated_rank"]
    assert [(f.entity, f.line) for f in found] == [("B", 106)]


def test_review_links_findings_to_the_notes_that_explain_them():
    data = _edition(published=_replace(PUBLISHED, ("B", "composite"), ("B", "composite", "56.00")))
    findings = _check(data)
    note = {"entity": "B", "kind": "rounding", "lines": [17, 17], "zh": "…", "en": "…", "findings": [findings[0].key]}
    reviewed = review(findings, [note])
    assert reviewed[0]["reviewed"] and reviewed[0]["notes"][0]["kind"] == "rounding"
    assert review(findings, [])[0]["reviewed"] is False
