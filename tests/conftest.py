from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import settings

# Hypothesis budgets: property tests that set no max_examples get the profile's. Mutation
# runs (scripts/mutation.sh) pass --hypothesis-profile=mutation: every mutant reruns them.
settings.register_profile("hardtech", max_examples=50, deadline=None)
settings.register_profile("mutation", max_examples=15, deadline=None)
settings.load_profile("hardtech")

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "vectorstore" / "corpus"


@pytest.fixture(scope="session")
def seed_lines():
    """Lines of a shipped seed report (byte-identical copies of ../shared/seeds)."""
    cache: dict[str, list[str]] = {}

    def lines(source_file: str) -> list[str]:
        if source_file not in cache:
            cache[source_file] = (CORPUS / source_file).read_text(encoding="utf-8").splitlines()
        return cache[source_file]

    return lines


def pytest_configure(config):
    """One HARDTECH_HOME for the whole run, under a temp dir: no test reads or writes
    ~/.cache/hardtech, and the retrieval index is built once, on first use."""
    os.environ["HARDTECH_HOME"] = tempfile.mkdtemp(prefix="hardtech-test-home-")
    for var in ("HARDTECH_CHROMA_URL", "HARDTECH_LLM", "HARDTECH_API_KEYS"):
        os.environ.pop(var, None)


def pytest_unconfigure(config):
    import shutil

    shutil.rmtree(os.environ.get("HARDTECH_HOME", ""), ignore_errors=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def background_process(cmd: list[str], ready, *, timeout: float, env: dict | None = None):
    """Run ``cmd`` until the block ends; enter the block once ``ready()`` is true.

    Fails the test, with the tail of the process's output, if it exits early or is not
    ready within ``timeout`` seconds. Always stopped (terminate, then kill)."""
    log = tempfile.TemporaryFile(mode="w+")
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + timeout
        while not ready():
            if proc.poll() is not None:
                log.seek(0)
                pytest.fail(f"{cmd[0]} exited early:\n{log.read()[-3000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"{cmd[0]} was not ready within {timeout:.0f} s")
            time.sleep(0.3)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@contextlib.contextmanager
def running_server(ready_timeout: float = 300, **env: str):
    """``hardtech serve`` on a free 127.0.0.1 port for the duration of the block; yields its base URL.

    ``env`` adds environment variables (e.g. HARDTECH_API_KEYS). The server shares the run's
    HARDTECH_HOME, so it reuses the retrieval index; the first start may build it."""
    import httpx

    port = free_port()
    base = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        try:
            return httpx.get(base + "/readyz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    cmd = [sys.executable, "-c", "from hardtech.cli import app; app()", "serve", "--host", "127.0.0.1",
           "--port", str(port), "--log-level", "warning"]
    with background_process(cmd, ready, timeout=ready_timeout, env={"HARDTECH_RATE_LIMIT": "0", **env}):
        yield base


def shared_home() -> Path:
    """The run's HARDTECH_HOME with the default retrieval index built in it (incremental: built once)."""
    from vectorstore.config import data_dir
    from vectorstore.store import build_index

    build_index()
    return data_dir()
