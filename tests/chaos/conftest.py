"""The chaos suite's machinery: a real ``hardtech serve`` in a subprocess, a small tmpfs to fill
or make read-only, damage to the index, and the one error shape every failure must have.

Each test asserts what a user of the service sees after a fault, and again after the fault is
removed. Servers start with ``HARDTECH_WARMUP=0`` (a few seconds instead of twenty on a shared
machine); what warm-up would load, the first request loads.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, free_port, shared_home


def assert_error_shape(r: httpx.Response, status: int, code: str | None = None) -> dict:
    """``{"error": {"code", "message", "hint"}}`` with a message and a hint, and nothing of a traceback."""
    assert r.status_code == status, r.text[:500]
    assert r.headers.get("content-type", "").startswith("application/json"), r.headers
    body = r.json()
    assert set(body) == {"error"}, body
    err = body["error"]
    assert isinstance(err.get("message"), str) and err["message"], err
    assert isinstance(err.get("hint"), str) and err["hint"], err  # every error says how to fix it
    assert "Traceback" not in r.text and 'File "' not in r.text
    if code:
        assert err["code"] == code, err
    return err


class Served:
    """``hardtech serve`` on a free port, its output kept line by line. For every line printed
    before "serving on" it records whether the port accepted connections at that moment."""

    def __init__(self, home: Path, *, workers: int = 1, **env: str):
        self.home, self.workers, self.port = home, workers, free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "HARDTECH_HOME": str(home), "HARDTECH_WARMUP": "0", "HARDTECH_RATE_LIMIT": "0",
                    "PYTHONUNBUFFERED": "1", **env}
        self.lines: list[tuple[float, str, bool]] = []  # (time, line, port accepted then)
        self.proc: subprocess.Popen | None = None

    def accepting(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def start(self, timeout: float = 240) -> "Served":
        cmd = [sys.executable, "-c", "from hardtech.cli import app; app()", "serve", "--host", "127.0.0.1",
               "--port", str(self.port), "--workers", str(self.workers), "--log-level", "warning"]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, bufsize=1)
        threading.Thread(target=self._read, daemon=True).start()
        deadline = time.monotonic() + timeout
        while not (self.said("serving on") and self.get("/healthz").status_code == 200):
            if self.proc.poll() is not None:
                pytest.fail(f"hardtech serve exited with {self.proc.returncode}:\n{self.output()[-3000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"hardtech serve was not serving within {timeout:.0f} s:\n{self.output()[-3000:]}")
            time.sleep(0.2)
        return self

    def _read(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        for line in self.proc.stdout:
            serving_yet = any("serving on" in x for _, x, _ in self.lines)
            self.lines.append((time.monotonic(), line.rstrip("\n"), self.accepting() if not serving_yet else True))

    def output(self) -> str:
        return "\n".join(line for _, line, _ in self.lines)

    def said(self, text: str) -> bool:
        return any(text in line for _, line, _ in self.lines)

    def get(self, path: str, **kw) -> httpx.Response:
        try:
            return httpx.get(self.base + path, timeout=kw.pop("timeout", 60), **kw)
        except httpx.TransportError as exc:
            return httpx.Response(599, text=f"{type(exc).__name__}: {exc}")

    def post(self, path: str, json: dict, **kw) -> httpx.Response:
        return httpx.post(self.base + path, json=json, timeout=kw.pop("timeout", 120), **kw)

    def ready(self) -> dict:
        r = self.get("/readyz")
        assert r.status_code in (200, 503), r.text
        return r.json()

    def workers_pids(self) -> list[int]:
        """The uvicorn worker processes (multiprocessing spawn children of the server)."""
        assert self.proc is not None
        out = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True).stdout.split()
        return [int(p) for p in out if "spawn_main" in Path(f"/proc/{p}/cmdline").read_text(errors="replace")]

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


@contextlib.contextmanager
def serving(home: Path, **kw):
    server = Served(home, **kw).start()
    try:
        yield server
    finally:
        server.stop()


# -------------------------------------------------------------------------- the disk
def mount(args: list[str]) -> None:
    r = subprocess.run(["mount", *args], capture_output=True, text=True)
    if r.returncode:
        raise OSError(r.stderr.strip() or f"mount {' '.join(args)} failed")


@contextlib.contextmanager
def tmpfs(size_mb: int):
    """A small tmpfs of its own, unmounted afterwards; the test is skipped where none can be mounted."""
    where = Path(tempfile.mkdtemp(prefix="hardtech-chaos-"))
    try:
        mount(["-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs", str(where)])
    except OSError as exc:
        where.rmdir()
        pytest.skip(f"cannot mount a tmpfs here ({exc}); the full and read-only HARDTECH_HOME tests need root "
                    "with CAP_SYS_ADMIN (they run in CI's container)")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)
        shutil.rmtree(where, ignore_errors=True)


def read_only(where: Path, on: bool = True) -> None:
    mount(["-o", f"remount,{'ro' if on else 'rw'}", str(where)])


def fill(where: Path) -> Path:
    """Fill the file system of ``where`` to the last byte; the filler file (delete it to free the space)."""
    filler = where / "filler.bin"
    with filler.open("wb", buffering=0) as fh:  # unbuffered: nothing is left to flush (and fail) on close
        for block in (b"\0" * 65536, b"\0" * 512):
            with contextlib.suppress(OSError):
                while fh.write(block):
                    pass
    return filler


# -------------------------------------------------------------------------- the index
@pytest.fixture(scope="session")
def built_index() -> Path:
    """The default retrieval index, built once for the test run (shared with the other suites)."""
    return shared_home() / "index"


def copy_index(built: Path, home: Path) -> Path:
    shutil.copytree(built, home / "index")
    return home / "index"


def chroma_db(index: Path) -> Path:
    return next(index.glob("chroma-*/chroma.sqlite3"))


def fingerprint(index: Path) -> dict[str, str]:
    """A digest of every file of the index: to see that nobody wrote to it."""
    return {str(p.relative_to(index)): hashlib.sha1(p.read_bytes()).hexdigest() for p in sorted(index.rglob("*")) if p.is_file()}
