"""What short-lived processes read back instead of recomputing: parsed YAML (on disk, keyed by
the text), the BM25 scores saved in the index. Each must give exactly what recomputing gives."""
from __future__ import annotations

import datetime

import numpy as np
import pytest
import yaml

from index_core import io, parse_cache
from tests.settings_env import set_env, settings_follow_env  # noqa: F401
from vectorstore.config import GLOSSARY_PATH, read_yaml
from vectorstore.lexical import BM25


@pytest.fixture()
def home(tmp_path, monkeypatch):
    set_env(monkeypatch, HARDTECH_HOME=str(tmp_path))
    return tmp_path


def test_a_parsed_file_read_back_from_the_cache_equals_a_fresh_parse(home):
    text = GLOSSARY_PATH.read_text(encoding="utf-8")
    assert len(text) >= parse_cache.MIN_CHARS
    fresh = yaml.safe_load(text)
    assert read_yaml(GLOSSARY_PATH) == fresh  # parsed, and written to the cache
    assert len(list((home / "cache" / "parsed").glob("*.marshal"))) == 1
    assert read_yaml(GLOSSARY_PATH) == fresh  # read back
    # the same text under another parser (YAML 1.2 booleans) is another entry
    assert io.load_yaml(text) == yaml.load(text, Loader=io._Yaml12Loader)
    assert len(list((home / "cache" / "parsed").glob("*.marshal"))) == 2


def test_an_edited_text_is_parsed_afresh_and_what_marshal_cannot_hold_is_not_cached(home):
    base = "items:\n" + "".join(f"  - {{name: item{i}, no: {i}}}\n" for i in range(300))
    first = io.load_yaml(base)
    edited = base.replace("item7,", "changed,")
    assert io.load_yaml(edited)["items"][7]["name"] == "changed" and first["items"][7]["name"] == "item7"
    assert io.load_yaml(base) == first
    dated = base + "day: 2020-01-02\n"
    assert io.load_yaml(dated)["day"] == datetime.date(2020, 1, 2)
    assert io.load_yaml(dated)["day"] == datetime.date(2020, 1, 2)  # parsed each time, never half-cached
    assert len(list((home / "cache" / "parsed").glob("*"))) == 2  # base and edited; no temporary files


def test_a_corrupt_cache_entry_is_parsed_again(home):
    text = GLOSSARY_PATH.read_text(encoding="utf-8")
    read_yaml(GLOSSARY_PATH)
    (entry,) = (home / "cache" / "parsed").glob("*.marshal")
    entry.write_bytes(b"\x00not marshal")
    assert read_yaml(GLOSSARY_PATH) == yaml.safe_load(text)


def test_saved_bm25_scores_equal_bm25s_and_a_hand_computed_case(tmp_path):
    docs = [["深圳", "创新", "基础"], ["北京", "创新", "创新", "产出"], ["上海", "人才"], ["深圳", "人才", "人才", "流入"]]
    BM25.build(docs).save(tmp_path)
    saved = BM25.load(tmp_path, len(docs), lambda: docs)
    import bm25s

    ref = bm25s.BM25(k1=1.5, b=0.75, method="lucene")
    ref.index(docs, show_progress=False)
    for query in (["深圳"], ["创新", "人才"], ["人才", "人才", "深圳"], ["未知"], []):
        ids = ref.get_tokens_ids(list(dict.fromkeys(query)))
        expected = ref.get_scores_from_ids(ids) if ids else np.zeros(len(docs), np.float32)
        assert np.array_equal(saved.scores(query), expected), query
    # by hand, Lucene BM25 (bm25s) of 深圳 in doc 0: idf = ln(1 + (4 - 2 + 0.5) / (2 + 0.5)) = ln 2;
    # tf 1, length 3, average length 13 / 4: tf / (tf + 1.5 * (0.25 + 0.75 * 3 / 3.25))
    assert saved.scores(["深圳"])[0] == pytest.approx(np.log(2) / (1 + 1.5 * (0.25 + 0.75 * 3 / 3.25)), rel=1e-6)
    # an index saved for other documents is not used
    assert BM25.load(tmp_path, 3, lambda: docs[:3]).n == 3


def test_the_mapped_domain_dictionary_segments_exactly_as_the_dict(home):
    import jieba

    from vectorstore import dictionary, lexical
    from vectorstore.corpus import build_chunks
    from vectorstore.mapped_table import MappedTable

    key, total, words = dictionary.read()
    mkey, mtotal, mapped = dictionary.read_mapped()
    assert (mkey, mtotal) == (key, total) and isinstance(mapped, MappedTable) and len(mapped) == len(words)
    assert dictionary.read_mapped()[2].get("深圳") == words["深圳"]  # read back from the cache
    by_dict, by_map = jieba.Tokenizer(), jieba.Tokenizer()
    for tk, freq in ((by_dict, words), (by_map, mapped)):
        tk.FREQ, tk.total, tk.initialized = freq, total, True
    texts = [c.index_text.lower() for c in build_chunks()[::25]] + ["why is shenzhen weak on innovation base? 深圳市创新基础"]
    for text in texts:
        assert by_map.lcut_for_search(text) == by_dict.lcut_for_search(text)
        assert by_map.lcut(text) == by_dict.lcut(text)
    lexical.tokenizer.cache_clear()
    try:
        assert isinstance(lexical.tokenizer().FREQ, MappedTable)  # what the product uses
    finally:
        lexical.tokenizer.cache_clear()
