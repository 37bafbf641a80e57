"""The verifier's promise, for any number and any way of writing it (hypothesis).

- A number that is in no tool result and no cited passage is always flagged.
- A number that is there is always accepted, however the answer writes it.
- Masks (line references, quarters, figure labels, list numbering, years, citation
  markers) blank provenance, and never hide a real claim next to them.
"""
from __future__ import annotations

from hypothesis import assume, example, given
from hypothesis import strategies as st

from assistant.verify import extract_claims, verify

FULL_WIDTH = str.maketrans("0123456789.%", "０１２３４５６７８９．％")
CN = "零一二三四五六七八九"


def chinese(n: int) -> str:
    """1..99 in Chinese numerals, written out here independently of the product's parser."""
    tens, ones = divmod(n, 10)
    return ("" if tens == 0 else ("十" if tens == 1 else CN[tens] + "十")) + ("" if ones == 0 else CN[ones])


def tool(*values, as_text: bool = False) -> list[dict]:
    result = {f"v{i}": (f"value {v}" if as_text else v) for i, v in enumerate(values)}
    return [{"id": "t1", "name": "scores", "args": {}, "result": result}]


def ok(answer: str, calls) -> bool:
    return verify(answer, calls).ok


# ---------------------------------------------------------------------------- ways of writing a number

scores = st.decimals(min_value=0, max_value=999, places=2, allow_nan=False).map(float)
ranks = st.integers(1, 99)
ratios = st.integers(1, 9999).map(lambda n: n / 10000)          # 0.0001 .. 0.9999
changes = st.integers(1, 99999).map(lambda n: -n / 100)          # -0.01 .. -999.99


def score_forms(v: float) -> list[str]:
    two = f"{v:.2f}"
    return [f"得分{two}分", f"scores {two} points", f"得分{two.translate(FULL_WIDTH)}分", f"composite of {two}"]


def rank_forms(n: int) -> list[str]:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return [f"排名第{n}位", f"ranks {n}{suffix}", f"第{chinese(n)}名", f"第{str(n).translate(FULL_WIDTH)}名"]


def percent_forms(r: float) -> list[str]:
    pct = f"{r * 100:.2f}"
    return [f"占比{pct}%", f"a share of {pct} percent", f"占比{pct.translate(FULL_WIDTH)}％"]


def change_forms(c: float) -> list[str]:
    mag = f"{-c:.2f}"
    return [f"fell by {mag} points", f"下降了{mag}分", f"a change of -{mag}", f"变化为−{mag}"]


# ---------------------------------------------------------------------------- present: always accepted


@given(scores, st.integers(0, 3), st.booleans())
def test_a_present_score_is_accepted_in_every_format(v, i, as_text):
    assert ok(score_forms(v)[i], tool(v, as_text=as_text))


@given(ranks, st.integers(0, 3))
def test_a_present_rank_is_accepted_in_every_format(n, i):
    assert ok(rank_forms(n)[i], tool(n))


@given(ratios, st.integers(0, 2))
@example(0.0273, 0)  # R&D share: 2.73% against the ratio 0.0273
def test_a_present_ratio_is_accepted_as_a_percent(r, i):
    assert ok(percent_forms(r)[i], tool(r))


@given(changes, st.integers(0, 3), st.booleans())
@example(-6.51, 0, False)  # "fell by 6.51" against the number -6.51
@example(-6.51, 0, True)   # ... and against the string "value -6.51"
def test_a_present_signed_change_is_accepted_however_it_is_told(c, i, as_text):
    assert ok(change_forms(c)[i], tool(c, as_text=as_text))




# ---------------------------------------------------------------------------- absent: always flagged


def far_from(claim: float, others: list[float]) -> bool:
    """No other value agrees with the claim, as a number, a magnitude or a ratio."""
    return all(abs(abs(claim) - abs(o)) > 1 and abs(abs(claim) - abs(o) * 100) > 1 for o in others)


others = st.lists(st.floats(-1000, 1000, allow_nan=False), max_size=5)


@given(scores, st.integers(0, 3), others)
@example(3.93, 2, [3.94, 39.3])  # ３．９３ is not 3.94 or 39.3
def test_an_absent_score_is_flagged_in_every_format(v, i, rest):
    assume(far_from(v, rest))
    assert not ok(score_forms(v)[i], tool(*rest))


@given(ranks, st.integers(0, 3), others)
@example(34, 1, [3.4, 0.34, 35])   # 34th
@example(34, 0, [3.4, 0.34, 35])   # 第34位
def test_an_absent_rank_is_flagged_in_every_format(n, i, rest):
    assume(far_from(n, rest))
    assert not ok(rank_forms(n)[i], tool(*rest))


@given(ratios, st.integers(0, 2), others)
def test_an_absent_percent_is_flagged(r, i, rest):
    assume(far_from(r * 100, rest))
    assert not ok(percent_forms(r)[i], tool(*rest))


@given(changes, st.integers(0, 3), others)
def test_an_absent_change_is_flagged(c, i, rest):
    assume(far_from(c, rest))
    assert not ok(change_forms(c)[i], tool(*rest))


def test_a_bare_number_is_not_a_ratio():
    """15% may be the weight 0.15; a bare 15 may not (nor 0.15 the percent 15)."""
    assert ok("weight 15%", tool(0.15)) and ok("权重15％", tool(0.15))
    assert not ok("weight 15", tool(0.15))
    assert not ok("weight 0.15", tool(15))


def test_a_sign_is_part_of_the_claim():
    """-6.51 claims a fall; a tool that says +6.51 does not back it (and the other way round)."""
    assert not ok("a change of -6.51", tool(6.51))
    assert not ok("a change of -6.51", tool(6.51, as_text=True))
    assert not ok("a change of +6.51", tool(-6.51))
    assert ok("a change of +6.51", tool(6.51)) and ok("a change of -6.51", tool(-6.51))




def test_a_fall_told_in_words_backs_a_negative_sign():
    """The report says 降低了 6.51 分 (fell by 6.51): an answer may write that change as −6.51."""
    cites = [{"id": "c1", "quote": "其中荣昌区降幅最大，降低了 6.51 分，降幅为9.74%。"}]
    assert verify("the largest fall: −6.51 points, 9.74% [1]", [], cites).ok
    assert verify("the largest fall: -6.51 points, -9.74% [1]", [], cites).ok
    assert not verify("a rise of -8.51 points [1]", [], [{"id": "c1", "quote": "增加了 8.51 分"}]).ok
    assert ok("Shenzhen fell 3.5 places, a change of -3.5", tool("fell by 3.5", as_text=True))


def test_precision_is_the_printed_precision():
    assert ok("scores 51 points", tool(50.9865)) and ok("scores 50.99 points", tool(50.9865))
    assert ok("scores 51.0 points", tool(50.9865))  # 50.9865 to one decimal
    assert not ok("scores 50.98 points", tool(50.9865)) and not ok("scores 51.1 points", tool(50.9865))


# ---------------------------------------------------------------------------- masks never hide a claim

MASKED = [
    "lines 1942–1966", "line 1786", "L1942", "第1942–1966行", "1786行", "Q3", "第3季度", "表2", "图 14",
    "Table 2", "Figure 3", "2019年", "in 2019", "hardtech-2019", "chongqing-2018q3", "[1]", "[1, 2]", "[c3]",
    "001_2d381f25c7fc5f5d.txt",
]
# words that end or start like a label but are not one: 代表 (represent), 地图 (map),
# notable, 银行 (bank), 行业 (industry)
NEIGHBOURS_BEFORE = ["", " ", "，", "代表", "发表", "地图", "银行", "notable ", "acceptable ", "in ", "the "]
NEIGHBOURS_AFTER = ["", "分", "%", " points", "行业", "，", ".", ", ", "。"]
claim_values = st.one_of(scores.filter(lambda v: v != int(v)), st.integers(1, 1899), st.integers(2100, 99999))


def written(v: float | int) -> str:
    return f"{v:.2f}" if isinstance(v, float) else str(v)


@given(st.lists(st.tuples(st.sampled_from(MASKED), st.sampled_from(NEIGHBOURS_BEFORE), claim_values,
                          st.sampled_from(NEIGHBOURS_AFTER), st.sampled_from([" ", "；", "\n", ", "])),
                min_size=1, max_size=4))
@example([("表2", "代表", 2.73, "%", " ")])          # 代表2.73% is a claim, 表2 a label
@example([("Table 2", "notable ", 3.93, " points", " ")])
@example([("2019年", "in ", 2019.5, ".", " ")])
@example([("1786行", "", 3.93, "行业", " ")])
def test_masks_never_hide_a_claim_beside_them(parts):
    text = "".join(f"{label}{sep}{before}{written(v)}{after}{sep}" for label, before, v, after, sep in parts)
    assert [c.value for c in extract_claims(text)] == [float(v) for _, _, v, _, _ in parts], text




@given(st.lists(st.sampled_from(MASKED), min_size=1, max_size=6), st.sampled_from([" ", "，", "; ", "\n"]))
def test_provenance_and_labels_are_not_claims(labels, sep):
    assert extract_claims(sep.join(labels)) == []


def test_list_numbering_and_years_at_a_sentence_end():
    assert [c.value for c in extract_claims("1. 深圳 3.93分\n2) 上海 24.92分\n3、北京 43.67分")] == [3.93, 24.92, 43.67]
    assert [c.value for c in extract_claims("Data from 2019. In 2020, Shenzhen scored 42.92.")] == [42.92]
    assert [c.value for c in extract_claims("共有2019家企业, ranked 2019th")] == [2019, 2019]

