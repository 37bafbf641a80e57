"""Corpus shipping, cleaning, chunking and provenance."""

from __future__ import annotations

import hashlib
import re

import pytest

from vectorstore.config import CORPUS_DIR
from vectorstore.cleaning import clean_lines
from vectorstore.corpus import build_chunks, document_by_key, get_passage, load_manifest, read_lines


def _norm(s: str) -> str:
    return re.sub(r"[\s\ue000-\uf8ff]", "", s)


def test_manifest_sha256_matches_shipped_files():
    docs = load_manifest()
    assert [d.id for d in docs] == ["000", "001", "002", "003", "004"]
    for d in docs:
        assert hashlib.sha256((CORPUS_DIR / d.source_file).read_bytes()).hexdigest() == d.sha256
    eds = {d.id: d.editions for d in docs}
    assert eds == {"000": ("hardtech-2020",), "001": ("hardtech-2019", "gtii-2019"), "002": (), "003": (),
                   "004": ("chongqing-2018q3",)}


def test_cleaning_drops_running_headers_and_page_numbers():
    doc = document_by_key("000")
    raw = read_lines(doc.source_file)
    assert raw[2841 - 1].strip() == "50"  # a bare page number
    assert raw[2845 - 1].strip() == "2020中国硬科技创新白皮书"
    assert raw[2847 - 1].strip() == "China's Key & Core Technology Innovation 2020 Whitepaper"
    kept = dict(clean_lines(doc))
    assert 2841 not in kept and 2845 not in kept and 2847 not in kept
    assert not any(t == "2020中国硬科技创新白皮书" for t in kept.values())
    # prose stays
    assert any("北京硬科技指数为84.04" in t for t in kept.values())
    # chart-label debris (lone city names / values after the ranking table) is skipped
    assert 2850 not in kept or not re.fullmatch(r"[\d. ]+", kept[2850])
    text = " ".join(c.text for c in build_chunks() if c.doc_id == "000")
    assert "2020中国硬科技创新白皮书" not in text
    assert "Whitepaper" not in text


def test_003_web_clutter_dropped():
    chunks = [c for c in build_chunks() if c.doc_id == "003"]
    assert chunks and max(c.lines[1] for c in chunks) <= 24
    assert not any("麻将" in c.text for c in chunks)


def test_line_provenance_of_text_chunks():
    chunks = [c for c in build_chunks() if c.kind == "text"]
    sample = chunks[::7]
    assert len(sample) > 50
    for c in sample:
        orig = _norm("".join(read_lines(c.source_file)[c.lines[0] - 1:c.lines[1]]))
        for sent in re.split(r"(?<=[。！？；])|\n", c.text):
            s = _norm(sent)
            if s:
                assert s in orig, (c.source_file, c.lines, sent[:60])


def test_chunks_have_ids_sizes_and_metadata():
    chunks = build_chunks()
    ids = [c.chunk_id for c in chunks]
    assert len(ids) == len(set(ids))
    assert build_chunks()[0].chunk_id == ids[0]  # stable
    text = [c for c in chunks if c.kind == "text"]
    assert max(len(c.text) for c in text) <= 700
    assert sum(len(c.text) for c in text) / len(text) > 200
    sz = [c for c in chunks if c.source_file.startswith("001") and "64.34" in c.text]
    assert sz and sz[0].section == "第三部分 产业篇 › 1.3 主要城市产业创新综合能力表现分析 › 深圳"
    assert "深圳" in sz[0].entities and "hardtech-2019" in sz[0].editions
    assert "万人普通高等学校在校学生数" in sz[0].indicators


def test_no_chunk_crosses_an_004_article_boundary():
    doc = document_by_key("004")
    arts = doc.raw["articles"]
    assert len(arts) == 14
    chunks = [c for c in build_chunks() if c.doc_id == "004"]
    for c in chunks:
        inside = [a for a in arts if a["lines"][0] <= c.lines[0] and c.lines[1] <= a["lines"][1]]
        assert len(inside) == 1, c.lines
        assert c.section.startswith(inside[0]["title_zh"])
    assert {c.article for c in chunks} == set(range(1, 15))
    # a title printed after its article (line 1785) labels the article that precedes it
    before = [c for c in chunks if c.lines[1] <= 1785 and c.lines[0] >= 1706]
    assert before and all(c.section == "五部门开展清理“四唯”专项行动" for c in before)


def test_tables_become_chunks_with_whole_rows_and_header():
    chunks = build_chunks()
    t2 = [c for c in chunks if c.kind == "table" and c.source_file.startswith("001") and 1835 <= c.lines[0] <= 1874]
    assert len(t2) >= 2
    for c in t2:
        assert c.text.startswith("表 2 主要城市产业创新综合能力指数各维度得分情况")
    rows = "\n".join(c.text for c in t2)
    assert "深圳市 3.93 34 61.26 3 55.44 2 63.68 2" in rows
    t20 = [c for c in chunks if c.kind == "table" and c.source_file.startswith("000") and 2707 <= c.lines[1] <= 2840]
    assert t20 and "3 深圳 42.92 21.05 19 55.49 2 48.54 4 68.22 2 21.28 11" in "\n".join(c.text for c in t20)


def test_get_passage_returns_original_lines():
    p = get_passage("001_2d381f25c7fc5f5d.txt", 1964, 1966, context=2)
    assert [ln["no"] for ln in p["lines"]] == [1962, 1963, 1964, 1965, 1966, 1967, 1968]
    assert p["lines"][2]["cited"] and not p["lines"][0]["cited"]
    assert "64.34" in p["lines"][2]["text"]
    from vectorstore.errors import UnknownDocumentError

    with pytest.raises(UnknownDocumentError, match="Did you mean"):
        get_passage("001_2d381f25c7fc5f5e.txt", 1, 2)
    with pytest.raises(ValueError):
        get_passage("001", 10, 5)


def test_mentions_use_the_registrys_matching_rules():
    from vectorstore.knowledge import mentions

    ents, dims, inds = mentions("渝北区和深圳市的创新基础；Shenzhen, XI'AN and Shenzhenese\n万人普通高等学校在校\n学生数")
    # the longest alias wins at each position (渝北区, not a shorter alias inside it); Latin aliases are
    # whole words in any case; a name broken by a PDF line wrap is still found
    assert ents == ("深圳", "渝北区", "西安")
    assert "创新基础" in dims and "万人普通高等学校在校学生数" in inds
    from index_core.io import load_registry

    spans = load_registry().mentions("去深圳市，再去Shenzhen")
    assert [(m.start, m.end, m.name) for m in spans] == [(1, 4, "深圳"), (7, 15, "深圳")]
