"""Issue 12, item 1: a full or read-only ``HARDTECH_HOME`` (a small tmpfs of its own).

Reads keep working; feedback that cannot be stored gets a 503 saying why; ``/readyz`` says
``degraded`` and names the store; start-up warns once, and the first failed write is logged
once; nothing stored before is lost; and it all recovers when the disk does.
(Item 2 with a read-only disk, where the index cannot be repaired, is here too.)
"""
from __future__ import annotations

import sqlite3
import subprocess
import sys
import time

from service.store import Store

from .conftest import ROOT, assert_error_shape, chroma_db, copy_index, fill, read_only, serving, tmpfs

SZ_2019 = "/api/v1/editions/hardtech-2019/entities/深圳"
NARRATIVE = "白皮书里关于光电芯片说了什么？"  # answered from the reports' passages, not from the scores
NOTHING_FOUND = ("没有找到", "found no", "found nothing")


def feedback(server, n: int):
    return server.post("/api/v1/feedback", json={"rating": "up", "comment": f"c{n} " + "好" * 1500, "question": "q"})


def rows(home) -> set[str]:
    with sqlite3.connect(home / "service.sqlite3") as db:
        return {r[0][:3].strip() for r in db.execute("SELECT comment FROM feedback")}


def stored_before(home) -> None:
    """One feedback row stored before the fault (it must survive it)."""
    store = Store(home / "service.sqlite3")
    store.add_feedback(rating="up", comment="c0 before", question=None, answer=None, message_id=None, envelope=None,
                       client=None)
    store.close()


def reads_work(server) -> None:
    r = server.get(SZ_2019)
    assert r.status_code == 200, r.text
    assert r.json()["dimensions"]["innovation_base"] == {"score": 3.93, "rank": 34}  # 表2 of the 2019 report
    r = server.post("/api/v1/ask", json={"question": "深圳2019年创新基础得分是多少？"})
    assert r.status_code == 200 and "3.93" in r.json()["answer"], r.text


def poll_ready(server, want: str, seconds: float = 20) -> dict:
    """``/readyz`` once it says ``want`` (component reports are cached a few seconds)."""
    deadline = time.monotonic() + seconds
    while True:
        report = server.ready()
        if report["status"] == want or time.monotonic() > deadline:
            return report
        time.sleep(0.5)


def test_a_read_only_then_full_home_serves_what_it_can_says_what_is_broken_and_recovers(built_index):
    with tmpfs(40) as home:
        index = copy_index(built_index, home)
        stored_before(home)
        # and the index is broken where search reads it (workers search vectors.npy, not the chroma store)
        (index / "vectors.npy").write_bytes(b"overwritten by mistake\n" * 64)
        read_only(home)
        with serving(home) as server:
            said = server.output()
            assert said.count(f"Warning: HARDTECH_HOME ({home}) is read-only") == 1, said  # warned once, at start-up
            assert "retrieval is unavailable" in said and "hardtech index build" in said, said
            reads_work(server)

            # Retrieval is down and cannot be repaired here: search says so, answers do not pretend.
            err = assert_error_shape(server.get("/api/v1/search", params={"q": "西安 硬科技"}), 503, "retrieval_unavailable")
            assert "hardtech index build" in err["hint"]
            env = server.post("/api/v1/ask", json={"question": NARRATIVE}).json()
            assert any(c["name"] == "search_passages" for c in env["tool_calls"]), env  # the answer needed the reports
            assert not any(x in env["answer"] for x in NOTHING_FOUND), env["answer"]  # the index failed, not the reports
            assert "检索暂时不可用" in env["answer"] and any("retrieval unavailable" in w for w in env["warnings"]), env

            err = assert_error_shape(feedback(server, 1), 503, "feedback_unavailable")
            assert "read-only" in err["message"] and "Nothing was stored" in err["message"]
            report = server.ready()
            assert report["status"] == "degraded", report  # still serving: a load balancer keeps it
            assert report["checks"]["editions"]["status"] == "ok"
            assert report["checks"]["store"]["status"] == "degraded" and "read-only" in report["checks"]["store"]["error"]
            retrieval = report["checks"]["retrieval"]
            assert retrieval["status"] == "error" and "hardtech index build" in retrieval["hint"], retrieval

            # Writable again: the operator rebuilds the index; search and feedback come back.
            read_only(home, False)
            build = subprocess.run([sys.executable, "-c", "from hardtech.cli import app; app()", "index", "build"],
                                   cwd=ROOT, env=server.env, capture_output=True, text=True, timeout=600)
            assert build.returncode == 0, build.stderr[-2000:]
            r = server.get("/api/v1/search", params={"q": "西安 硬科技", "k": 2})
            assert r.status_code == 200 and r.json()["results"], r.text
            env = server.post("/api/v1/ask", json={"question": NARRATIVE}).json()
            assert env["citations"] and not env["warnings"] and "检索暂时不可用" not in env["answer"], env
            assert feedback(server, 2).status_code == 201
            assert poll_ready(server, "ready")["status"] == "ready"

            # Now the disk fills up.
            filler = fill(home)
            reads_work(server)
            refused = [feedback(server, n) for n in (3, 4, 5)]
            for r in refused:
                err = assert_error_shape(r, 503, "feedback_unavailable")
                assert "full" in err["message"] and "Nothing was stored" in err["message"]
            report = poll_ready(server, "degraded")
            assert report["status"] == "degraded" and "full" in report["checks"]["store"]["error"], report
            assert report["checks"]["store"]["hint"]

            filler.unlink()  # and is freed again
            assert feedback(server, 6).status_code == 201
            assert poll_ready(server, "ready")["checks"]["store"]["status"] == "ok"
            # The first failed write of each outage is logged, not every refused post.
            assert server.output().count("feedback cannot be stored") == 2, server.output()
        assert rows(home) == {"c0", "c2", "c6"}  # what was stored stayed; what was refused was never half-written


def test_a_full_home_is_warned_about_at_start_up(tmp_path):
    from service.cli import home_warning

    assert home_warning(tmp_path) is None
    with tmpfs(1) as home:
        fill(home)
        warning = home_warning(home)
        assert warning and "is full" in warning and "feedback posts get 503" in warning


def test_a_damaged_chroma_store_on_a_read_only_home_is_reported_while_search_goes_on(built_index):
    """Workers search the index's own vectors; the chroma store is what the build persists. Damaged
    where it cannot be rebuilt, it is reported (start-up and /readyz, with the fix), and search,
    which does not need it, keeps answering."""
    with tmpfs(40) as home:
        index = copy_index(built_index, home)
        chroma_db(index).write_bytes(b"overwritten by mistake\n" * 64)
        read_only(home)
        with serving(home) as server:
            said = server.output()
            assert "the chroma store is damaged" in said and "Search still works" in said, said
            assert "hardtech index build" in said and "retrieval is unavailable" not in said, said
            r = server.get("/api/v1/search", params={"q": "西安 硬科技", "k": 2})
            assert r.status_code == 200 and r.json()["results"], r.text
            retrieval = poll_ready(server, "degraded")["checks"]["retrieval"]
            assert retrieval["status"] == "degraded" and "chroma store is damaged" in retrieval["error"], retrieval
            assert "hardtech index build" in retrieval["hint"], retrieval
