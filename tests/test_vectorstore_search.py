"""Hybrid search, filters, errors, CLI and lazy imports (one shared index per process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vectorstore import errors
from vectorstore.retrieval import reset_searcher, search
from tests.conftest import shared_home

ROOT = Path(__file__).resolve().parents[1]
SZ_FILE = "001_2d381f25c7fc5f5d.txt"


@pytest.fixture()
def home(monkeypatch):
    h = shared_home()
    monkeypatch.setenv("HARDTECH_HOME", str(h))
    monkeypatch.delenv("HARDTECH_CHROMA_URL", raising=False)
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
    r = resp.results[0]
    assert set(r.scores) == {"dense", "bm25", "rrf", "boost"}
    assert r.doc_title and r.section and r.chunk_id and r.text


def test_english_query_is_expanded_with_chinese_terms(home):
    resp = search("Why is Shenzhen weak on innovation base?")
    assert "创新基础" in resp.expansions and "深圳" in resp.detected_entities
    assert "创新基础" in resp.detected_dimensions


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


def test_query_errors(home):
    with pytest.raises(errors.InvalidQueryError, match="empty"):
        search("   ")
    with pytest.raises(errors.InvalidQueryError, match="2000"):
        search("深" * 2001)


def test_filter_errors_suggest_close_matches(home):
    with pytest.raises(errors.UnknownEditionError) as ei:
        search("深圳", edition="hardtech-2018")
    assert "hardtech-2019" in str(ei.value) and "Did you mean" in str(ei.value)
    with pytest.raises(errors.UnknownEntityFilterError) as ei:
        search("深圳", entity="Shenzen")
    assert "Shenzhen" in str(ei.value)
    with pytest.raises(errors.UnknownDocumentError):
        search("深圳", document="009")


def test_modes_and_scores(home):
    for mode in ("dense", "bm25", "fused"):
        r = search("深圳 创新基础 中央级高校", k=3, mode=mode)
        assert r.results and r.mode == mode
    d = search("深圳 创新基础", k=3, mode="dense").results[0]
    assert 0 < d.scores["dense"] <= 1


def test_missing_index_is_built_automatically(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("HARDTECH_HOME", str(tmp_path))
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
    monkeypatch.setenv("HARDTECH_HOME", str(tmp_path))
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


def test_cli_search_json_and_errors(home):
    env = {**os.environ, "HARDTECH_HOME": str(home)}
    env.pop("HARDTECH_CHROMA_URL", None)
    p = subprocess.run([sys.executable, "-m", "vectorstore.cli", "search", "深圳创新基础为什么弱", "--k", "3",
                        "--json", "--city", "深圳"], capture_output=True, text=True, cwd=ROOT, env=env)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["query"] == "深圳创新基础为什么弱" and len(out["results"]) == 3
    r = out["results"][0]
    assert {"text", "source_file", "lines", "section", "doc_title", "score", "scores"} <= set(r)
    p = subprocess.run([sys.executable, "-m", "vectorstore.cli", "search", "深圳", "--edition", "hardtech-2018"],
                       capture_output=True, text=True, cwd=ROOT, env=env)
    assert p.returncode == 2 and "hardtech-2019" in p.stderr
    p = subprocess.run([sys.executable, "-m", "vectorstore.cli", "index", "info", "--json"], capture_output=True, text=True,
                       cwd=ROOT, env=env)
    assert p.returncode == 0 and json.loads(p.stdout)["count"] > 500
