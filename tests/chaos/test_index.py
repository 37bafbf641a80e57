"""Issue 12, items 2 and 11: a damaged retrieval index, and what interrupted builds leave behind.

The integrity check (manifest fingerprint, chunk counts, a probe query) runs at start-up, where a
broken index is rebuilt, and in ``/readyz`` whenever the files change; damage is reported with the
fix while search goes on from the copy the worker loaded, and repair is noticed. Leftovers of
crashed swaps and killed builds are removed at start-up; an index build on a full disk is one
clear error, not a traceback.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

from .conftest import ROOT, chroma_db, copy_index, fill, fingerprint, serving, tmpfs

QUERY = {"q": "光电芯片", "k": 2}


def retrieval_report(server, want_ok: bool, seconds: float = 20) -> dict:
    """``/readyz`` once its retrieval entry is (not) ok (entries are cached a few seconds)."""
    deadline = time.monotonic() + seconds
    while True:
        report = server.ready()
        if (report["checks"]["retrieval"]["status"] == "ok") == want_ok or time.monotonic() > deadline:
            return report
        time.sleep(0.5)


def damages(index):
    """Ways the index gets broken on disk: (what, break it)."""
    db, chunks = chroma_db(index), index / "chunks.json"
    return [
        ("chroma.sqlite3 deleted", db.unlink),
        ("chroma.sqlite3 overwritten", lambda: db.write_bytes(b"not a database\n" * 100)),
        ("chunks.json cut short", lambda: chunks.write_bytes(chunks.read_bytes()[: chunks.stat().st_size // 2])),
        ("vectors.npy deleted", (index / "vectors.npy").unlink),
    ]


def test_the_integrity_check_finds_each_damage_and_writes_nothing(built_index, tmp_path):
    from vectorstore import integrity

    index = copy_index(built_index, tmp_path)
    assert integrity.verify(index).ok
    saved = tmp_path / "saved"
    shutil.copytree(index, saved)
    for what, damage in damages(index):
        before = fingerprint(index)
        damage()
        after = fingerprint(index)
        found = integrity.verify(index)
        assert not found.ok and found.problem and "hardtech index build" in found.hint, what
        assert fingerprint(index) == after, what  # checking writes nothing
        shutil.rmtree(index)
        shutil.copytree(saved, index)
        assert fingerprint(index) == before and integrity.verify(index, probe=False).ok, what


def test_damage_while_serving_is_reported_search_goes_on_and_a_restart_repairs_it_and_clears_leftovers(
        built_index, tmp_path):
    index = copy_index(built_index, tmp_path)
    saved = tmp_path / "saved"
    shutil.copytree(index, saved)
    with serving(tmp_path) as server:
        assert server.get("/api/v1/search", params=QUERY).status_code == 200  # the worker has loaded the index
        assert retrieval_report(server, True)["checks"]["retrieval"]["status"] == "ok"
        for what, damage in damages(index)[:2]:
            damage()
            report = retrieval_report(server, False)
            retrieval = report["checks"]["retrieval"]
            assert report["status"] == "degraded" and retrieval["status"] != "ok", (what, report)
            assert "hardtech index build" in retrieval["hint"], (what, retrieval)
            r = server.get("/api/v1/search", params=QUERY)
            assert r.status_code == 200 and r.json()["results"], (what, r.text)  # users still get passages
            shutil.rmtree(index)
            shutil.copytree(saved, index)  # the damage is undone, and that is noticed
            assert retrieval_report(server, True)["checks"]["retrieval"]["status"] == "ok", what

    chroma_db(index).write_bytes(b"not a database\n" * 100)
    old = tmp_path / "index.old-1a2b3c4d"  # a crash between the two renames of a swap, after recovery
    shutil.copytree(saved, old)
    dead = tmp_path / "index.tmp-deadbeef0001"  # a build killed with SIGKILL a moment ago
    dead.mkdir()
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    (dead / ".builder").write_text(f"{gone.pid} {os.uname().nodename}\n")
    live = tmp_path / "index.tmp-live00000001"  # a build still running (this test's process)
    live.mkdir()
    (live / ".builder").write_text(f"{os.getpid()} {os.uname().nodename}\n")
    with serving(tmp_path) as server:  # a new start clears the leftovers, finds the damage and repairs it
        assert server.said("Removed 2 leftover(s)"), server.output()
        assert server.said("needs building") and server.said("retrieval index: built"), server.output()
        assert server.ready()["checks"]["retrieval"]["status"] == "ok"
        r = server.post("/api/v1/ask", json={"question": "白皮书里关于光电芯片说了什么？"})
        assert r.status_code == 200 and r.json()["citations"] and not r.json()["warnings"], r.text
    assert not old.exists() and not dead.exists() and live.exists()


def test_index_build_on_a_full_disk_is_a_clear_error_and_changes_nothing(built_index):
    with tmpfs(24) as home:
        index = copy_index(built_index, home)
        chroma_db(index).write_bytes(b"not a database\n" * 100)  # so the build has to write a new index
        before = fingerprint(index)
        filler = fill(home)
        env = {**os.environ, "HARDTECH_HOME": str(home)}
        build = subprocess.run([sys.executable, "-c", "from hardtech.cli import app; app()", "index", "build"],
                               cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        assert build.returncode == 2, build.stderr[-3000:]
        assert "Traceback" not in build.stderr and "the disk is full" in build.stderr, build.stderr[-3000:]
        assert "hardtech index build" in build.stderr  # the fix
        assert fingerprint(index) == before  # nothing half-written
        assert sorted(p.name for p in home.iterdir()) == ["filler.bin", "index"]  # no index.tmp-* left behind
        filler.unlink()
        build = subprocess.run([sys.executable, "-c", "from hardtech.cli import app; app()", "index", "build"],
                               cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        assert build.returncode == 0, build.stderr[-3000:]
