"""The one number grammar (assistant.numerals): tokens, signs, width, Chinese numerals."""
from __future__ import annotations

import cn2an
import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.numerals import (
    ORDINAL_WORDS, chinese_int, fold, numbers_in, parse_chinese_number, parse_number, standalone_numbers,
)


@pytest.mark.parametrize("token,want", [
    ("3", (3.0, 0, False)), ("50.99", (50.99, 2, False)), ("2,506", (2506.0, 0, False)),
    ("1,234.5", (1234.5, 1, False)), ("-6.51", (-6.51, 2, False)), ("+0.40", (0.4, 2, False)),
    ("2.73%", (2.73, 2, True)), ("15 %", (15.0, 0, True)), ("15 percent", (15.0, 0, True)),
    ("2.1个百分点", (2.1, 1, True)), ("34th", (34.0, 0, False)), ("1st", (1.0, 0, False)),
    ("３．９３", (3.93, 2, False)), ("１５％", (15.0, 0, True)), ("−6.51", (-6.51, 2, False)),
])
def test_parse_number(token, want):
    assert parse_number(token) == want


@pytest.mark.parametrize("token", ["", "abc", "3.", ".5", "3,5", "1,2345", "3rdx", "5G"])
def test_parse_number_rejects_what_is_not_one_number(token):
    assert parse_number(token) is None


def test_fold_keeps_offsets_and_leaves_the_chinese_comma():
    text = "得分３．９３，排名第３４，变化−6.51，权重１５％"
    assert len(fold(text)) == len(text)
    assert fold(text) == "得分3.93，排名第34，变化-6.51，权重15%"


@pytest.mark.parametrize("text,values", [
    ("Class 3 (50-70)", [3, 50, 70]),           # a dash between numbers is a range
    ("5th-95th percentile", [5, 95]),
    ("15%-20%", [15, 20]),
    ("hardtech-2019 and COVID-19", [2019, 19]),  # a hyphen after a word joins
    ("change -6.51 (−0.5) +3", [-6.51, -0.5, 3]),  # a sign at the start of a number
    ("2,73% and 2,506", [2, 73, 2506]),          # a comma groups thousands only before 3 digits
    ("L1942, Q3, c1", [1942, 3, 1]),             # a string holds every number it shows
])
def test_numbers_in_a_string(text, values):
    assert [n.value for n in numbers_in(text)] == values


def test_standalone_numbers_skip_names_and_keep_suffixes():
    found = standalone_numbers("5G and TOP15 aside, Shenzhen is 34th with 3.93 points (2.73%), c1")
    assert [(n.text, n.value, n.decimals, n.percent) for n in found] == [
        ("34th", 34, 0, False), ("3.93", 3.93, 2, False), ("2.73%", 2.73, 2, True)]
    spans = standalone_numbers("分数３．９３分")
    assert [(n.text, n.start, n.end, n.value) for n in spans] == [("３．９３", 2, 6, 3.93)]
    assert standalone_numbers("下降-6.51")[0].signed and not standalone_numbers("6.51")[0].signed


@pytest.mark.parametrize("text,value", [
    ("三十六", 36), ("二十一", 21), ("十", 10), ("十五", 15), ("一百零五", 105), ("两千", 2000),
    ("二〇一九", 2019), ("五十点九九", 50.99), ("三万五千", 35000), ("九", 9), ("零", 0),
    ("壹佰", 100), ("三亿五千万", 350_000_000), ("一万亿", 10**12), ("十一亿", 1_100_000_000), ("亿", 10**8),
])
def test_chinese_numerals(text, value):
    assert parse_chinese_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "深圳", "三点", "三点五十", "第三"])
def test_chinese_numerals_reject_what_is_not_a_numeral(text):
    assert parse_chinese_number(text) is None


def test_chinese_int_only_for_whole_numbers():
    assert chinese_int("三十四") == 34 and chinese_int("五十点九九") is None and chinese_int("深圳") is None


@given(st.integers(0, 10**12 - 1))
def test_chinese_numerals_agree_with_cn2an(n):
    """cn2an (a well-kept converter) writes the numeral; the grammar must read it back."""
    assert parse_chinese_number(cn2an.an2cn(n)) == n


@given(st.integers(0, 9999), st.integers(1, 99))
def test_chinese_decimals_agree_with_cn2an(whole, cents):
    written = cn2an.an2cn(f"{whole}.{cents:02d}")
    assert parse_chinese_number(written) == pytest.approx(float(f"{whole}.{cents:02d}"))


def test_ordinal_words_cover_first_to_fiftieth():
    assert ORDINAL_WORDS["first"] == 1 and ORDINAL_WORDS["thirty-fourth"] == 34
    assert ORDINAL_WORDS["thirty fourth"] == 34 and ORDINAL_WORDS["fiftieth"] == 50
    assert sorted(set(ORDINAL_WORDS.values())) == list(range(1, 51))


@pytest.mark.parametrize("text,value", [("点五", 0.5), ("九五", 95), ("二〇", 20), ("万", 10_000), ("三点五点六", None)])
def test_chinese_numeral_edges(text, value):
    assert parse_chinese_number(text) == value
