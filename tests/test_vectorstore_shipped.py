"""The corpus vectors shipped with the package: current, complete, and what the encoder gives."""

from __future__ import annotations

import numpy as np
import pytest

from vectorstore.chunking import CHUNKER_VERSION
from vectorstore.config import DEFAULT_EMBEDDING
from vectorstore.corpus import build_chunks, corpus_fingerprint
from vectorstore.dense import COMPANION, VECTORS_FILE
from vectorstore.embeddings import get_embedder, model_id
from vectorstore.vectors import current_key, read_shipped, text_key

REGENERATE = "regenerate them with: python scripts/embed_corpus.py"


@pytest.fixture(scope="module", params=[DEFAULT_EMBEDDING, COMPANION])
def shipped(request):
    mid = model_id(request.param)
    found = read_shipped(mid)
    assert found is not None, f"no shipped vectors for {mid}; {REGENERATE}"
    return mid, found


def test_shipped_vectors_are_keyed_to_this_corpus_model_and_chunker(shipped):
    mid, (key, _) = shipped
    assert key.model_id == mid
    assert key.corpus == corpus_fingerprint(), f"the reports or the manifest changed; {REGENERATE}"
    assert key.chunker == CHUNKER_VERSION, f"the chunker changed; {REGENERATE}"
    assert key == current_key(mid)


def test_every_chunk_has_a_shipped_vector(shipped):
    _, (_, vectors) = shipped
    chunks = build_chunks()
    missing = [c.chunk_id for c in chunks if text_key(c.index_text) not in vectors]
    assert not missing, f"{len(missing)} of {len(chunks)} chunks have no shipped vector; {REGENERATE}"
    assert len(vectors) == len({text_key(c.index_text) for c in chunks})


def test_a_sample_re_embedded_matches_the_shipped_vectors():
    """Stale vectors (another encoder version, a changed text) fail here."""
    _, vectors = read_shipped(model_id(DEFAULT_EMBEDDING))
    chunks = build_chunks()
    sample = chunks[::60] + [c for c in chunks if c.kind == "table"][:2]
    fresh = get_embedder(DEFAULT_EMBEDDING).embed_passages([c.index_text for c in sample])
    stored = np.array([vectors[text_key(c.index_text)] for c in sample])
    assert stored.shape == fresh.shape == (len(sample), 512)
    np.testing.assert_allclose(stored, fresh, atol=2e-5, err_msg=REGENERATE)
    # and they are not all alike: each is nearest to its own fresh embedding
    assert (np.argmax(stored @ fresh.T, axis=1) == np.arange(len(sample))).all()


def test_a_sample_re_embedded_by_the_companion_matches_its_shipped_vectors():
    """The companion encoder is slow on passages (about a second each): three short chunks."""
    _, vectors = read_shipped(model_id(COMPANION))
    sample = sorted(build_chunks(), key=lambda c: len(c.index_text))[::250][:3]
    fresh = get_embedder(COMPANION).embed_passages([c.index_text for c in sample])
    stored = np.array([vectors[text_key(c.index_text)] for c in sample])
    assert stored.shape == fresh.shape == (len(sample), 384)
    # by direction, not element by element: its float kernels differ across CPUs by up to ~1e-3 per element
    # (cosine 0.99997 on an AMD EPYC), while one character more in a chunk moves the cosine to about 0.999
    cosine = (stored * fresh).sum(axis=1) / np.linalg.norm(stored, axis=1) / np.linalg.norm(fresh, axis=1)
    assert (cosine >= 1 - 1e-4).all(), f"cosines {cosine}; {REGENERATE}"
    assert (np.argmax(stored @ fresh.T, axis=1) == np.arange(len(sample))).all()


def test_first_build_on_an_empty_home_embeds_nothing(tmp_path, monkeypatch):
    from vectorstore import embeddings
    from vectorstore.store import build_index, load_index

    def no_encoder(spec=None):
        raise AssertionError("the encoder was loaded, but every bundled chunk has a shipped vector")

    monkeypatch.setattr(embeddings, "get_embedder", no_encoder)
    info = build_index(path=tmp_path / "index")
    n = len(build_chunks())
    assert (info["status"], info["embedded"], info["reused"], info["count"]) == ("built", 0, n, n)
    assert info["steps"]["embed new chunks"] < info["seconds"]
    idx = load_index(tmp_path / "index")
    assert idx.collection.count() == n and idx.meta["embedding_model"] == model_id(DEFAULT_EMBEDDING)
    # the companion encoder's vectors come from the shipped ones too
    assert idx.meta["companion_model"] == model_id(COMPANION)
    assert np.load(tmp_path / "index" / VECTORS_FILE).shape == (n, 384)


def test_tokenizer_dictionary_is_current_and_segments_the_reports_like_the_full_one():
    import jieba

    from vectorstore import dictionary, lexical

    shipped = dictionary.read()
    assert shipped is not None, "no shipped tokenizer dictionary; run scripts/build_tokenizer_dictionary.py"
    key, total, domain = shipped
    words = lexical._user_words()
    assert key == dictionary.DictionaryKey(jieba.__version__, dictionary.user_words_digest(words), corpus_fingerprint()), \
        "the tokenizer dictionary is stale; regenerate it with: python scripts/build_tokenizer_dictionary.py"
    tk = lexical.tokenizer()
    assert tk.FREQ is domain or len(tk.FREQ) == len(domain)  # the process uses it, not jieba's 500,000 entries
    assert len(domain) < 100_000
    full = jieba.Tokenizer()
    full.FREQ, full.total = lexical.full_dictionary(words)
    full.initialized = True
    assert full.total == total
    for c in build_chunks()[::25]:
        text = c.index_text.lower()
        assert tk.lcut_for_search(text) == full.lcut_for_search(text), c.chunk_id
    # user words stay whole in both
    assert {"创新基础", "深圳"} <= set(lexical.tokenize("深圳市创新基础为什么弱"))


def test_shipped_bm25_tokens_are_current():
    from vectorstore import lexical
    from vectorstore.vectors import read_shipped_tokens

    shipped = read_shipped_tokens(lexical.tokenizer_key())
    assert shipped, "no shipped BM25 tokens for this tokenizer; run scripts/build_tokenizer_dictionary.py"
    chunks = build_chunks()
    assert {text_key(c.index_text) for c in chunks} <= set(shipped)
    for c in chunks[::40]:
        assert shipped[text_key(c.index_text)] == lexical.tokenize(c.index_text), c.chunk_id


def test_query_lexicon_concept_names_are_current():
    """The concept names in the shipped query lexicon are those of assistant/offline/concepts."""
    import importlib.util
    from pathlib import Path

    from vectorstore import lexicon

    script = Path(__file__).resolve().parents[1] / "scripts" / "build_query_lexicon.py"
    spec = importlib.util.spec_from_file_location("build_query_lexicon", script)
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    names, dictionary = lexicon.load()
    assert [[sorted(en), list(zh)] for en, zh in names] == build.concept_names(), \
        "the concept data changed; regenerate with: python scripts/build_query_lexicon.py"
    assert dictionary["robot"] == ("机器人",) or "机器人" in dictionary["robot"]
