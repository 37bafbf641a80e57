"""Issue 12, items 9 and 12 below the app, and issue 11's start-up: slow and broken clients on
the wire, and what ``hardtech serve`` says while it starts.

* A request (head and body) must arrive within ``HARDTECH_REQUEST_TIMEOUT``: a slower client gets
  408 in the API's error shape and is disconnected, and the others are served meanwhile.
* Malformed HTTP gets 400 in the same shape, with a hint.
* "serving on …" is printed only once the port accepts connections; each start-up step is
  announced; a taken port exits non-zero naming ``--port``.
"""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import time

import pytest

from .conftest import ROOT, Served, copy_index

TIMEOUT = 2  # HARDTECH_REQUEST_TIMEOUT for this server


@pytest.fixture(scope="module")
def server(built_index, tmp_path_factory):
    home = tmp_path_factory.mktemp("connections")
    copy_index(built_index, home)
    s = Served(home, HARDTECH_REQUEST_TIMEOUT=str(TIMEOUT)).start()
    yield s
    s.stop()


def send(server, data: bytes, wait: float = 15) -> tuple[bytes, float]:
    """Send ``data`` on a new connection and read until the server closes it (or ``wait`` s pass)."""
    t0 = time.monotonic()
    with socket.create_connection(("127.0.0.1", server.port), timeout=wait) as s:
        s.sendall(data)
        got = b""
        try:
            while chunk := s.recv(65536):
                got += chunk
        except socket.timeout:
            pass
    return got, time.monotonic() - t0


def json_error(raw: bytes, status: int) -> dict:
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(f"HTTP/1.1 {status} ".encode()), raw[:300]
    assert b"content-type: application/json" in head.lower(), head
    err = json.loads(body)["error"]
    assert err["message"] and err["hint"], err
    return err


@pytest.mark.parametrize("partial", [
    b"GET /api/v1/editions HTTP/1.1\r\nHost: x\r\nX-Slow",  # half a head
    b"POST /api/v1/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{\"que",  # half a body
], ids=["head", "body"])
def test_an_incomplete_request_gets_408_and_is_disconnected(server, partial):
    raw, seconds = send(server, partial)
    assert seconds < 15, "the connection stayed open"
    err = json_error(raw, 408)
    assert err["code"] == "request_timeout" and "HARDTECH_REQUEST_TIMEOUT" in err["hint"]


def test_slow_clients_do_not_keep_others_waiting(server):
    slow = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(30)]
    try:
        for s in slow:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHo")
        r = server.get("/api/v1/editions/hardtech-2020/tiers", timeout=10)
        assert r.status_code == 200 and r.json()["tiers"]
        time.sleep(TIMEOUT + 2)
        for s in slow:  # each was answered and closed by the server
            s.settimeout(5)
            assert s.recv(65536).startswith(b"HTTP/1.1 408"), "a slow connection is still open"
    finally:
        for s in slow:
            s.close()


@pytest.mark.parametrize("raw", [
    b"GARBAGE\r\n\r\n",
    "GET /api/v1/editions/hardtech-2019/entities/深圳 HTTP/1.1\r\nHost: x\r\n\r\n".encode(),  # raw UTF-8 in the URL
    b"GET /healthz HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n",
], ids=["garbage", "raw-utf8-url", "bad-header"])
def test_malformed_http_gets_the_error_shape_with_a_hint(server, raw):
    err = json_error(send(server, raw)[0], 400)
    assert err["code"] == "bad_request"


def test_serving_is_announced_only_once_the_port_accepts_and_each_step_is_said(server):
    lines = [(line, accepted) for _, line, accepted in server.lines]
    serving = [accepted for line, accepted in lines if "serving on" in line]
    assert serving == [True], lines  # printed once, and the port accepted connections at that moment
    before = [line for line, _ in lines[: next(i for i, (line, _) in enumerate(lines) if "serving on" in line)]]
    assert any("Checking the retrieval index" in x for x in before) and any("Starting 1 worker" in x for x in before), before
    assert all(not accepted for line, accepted in lines if "serving on" not in line and line in before), lines


def test_a_taken_port_exits_non_zero_naming_the_option(server):
    r = subprocess.run([sys.executable, "-c", "from hardtech.cli import app; app()", "serve", "--port", str(server.port)],
                       cwd=ROOT, env=server.env, capture_output=True, text=True, timeout=120)
    assert r.returncode != 0
    assert "--port" in r.stderr and str(server.port) in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert "serving on" not in r.stderr
