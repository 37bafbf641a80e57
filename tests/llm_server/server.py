"""A scripted model server that speaks real HTTP: OpenAI-compatible (``/v1/chat/completions``
with and without SSE streaming, ``/v1/models``) and Ollama-compatible (``/api/chat`` with
NDJSON streaming, ``/api/tags``).

Tests queue *replies* (the model's side of a transcript, see ``transcripts/README.md``);
each chat request takes the next one, whatever it asks. Every request is recorded, so a
test can read what the product sent back to the model (tool results, error messages).
Runs in a daemon thread of the test process; real clients (``ChatOpenAI``, ``ChatOllama``,
``httpx``, a ``hardtech`` subprocess) talk to it over a socket.
"""
from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


DEFAULT_MODELS = ("qwen2.5-7b-instruct",)


@dataclass
class Script:
    models: list[str] = field(default_factory=lambda: list(DEFAULT_MODELS))
    api_key: str | None = None            # when set, every request needs "Authorization: Bearer <key>"
    replies: list[dict] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    overrun: int = 0                      # chat requests that found no reply queued
    streaming: int = 0                    # responses being streamed right now


def _pieces(text: str, size: int = 4) -> list[str]:
    """Split like a tokenizer would, roughly: a few characters per streamed delta."""
    return [text[i:i + size] for i in range(0, len(text), size)] if text else []


def _arguments(call: dict) -> str:
    args = call.get("arguments", {})
    return args if isinstance(args, str) else json.dumps(args, ensure_ascii=False)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    script: Script  # set on the subclass made per server

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    # ------------------------------------------------------------------ plumbing
    def _read_body(self) -> Any:
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        try:
            return json.loads(raw) if raw else None
        except json.JSONDecodeError:
            return raw.decode("utf-8", "replace")

    def _send_json(self, status: int, body: Any, headers: dict | None = None) -> None:
        data = (body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, str(v))
        self.end_headers()
        self.wfile.write(data)

    def _start_chunked(self, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def _chunk(self, text: str) -> None:
        data = text.encode()
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _end_chunked(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _abort(self) -> None:
        """Drop the connection mid-response, as a crashed server would."""
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _authorised(self) -> bool:
        key = self.script.api_key
        if key and self.headers.get("Authorization") != f"Bearer {key}":
            self._send_json(401, {"error": {"message": "Incorrect API key provided.", "type": "invalid_request_error",
                                            "code": "invalid_api_key"}})
            return False
        return True

    # ------------------------------------------------------------------ routes
    def do_GET(self) -> None:  # noqa: N802
        self.script.requests.append(Request("GET", self.path, dict(self.headers), None))
        if not self._authorised():
            return
        if self.path.rstrip("/") == "/v1/models":
            self._send_json(200, {"object": "list", "data": [{"id": m, "object": "model", "created": 0, "owned_by": "scripted"}
                                                              for m in self.script.models]})
        elif self.path.rstrip("/") == "/api/tags":
            self._send_json(200, {"models": [{"name": m, "model": m, "size": 4683087332, "digest": uuid.uuid4().hex,
                                              "details": {"family": "qwen2", "parameter_size": "7.6B"}} for m in self.script.models]})
        else:
            self._send_json(404, {"error": f"no route {self.path}"})

    def do_POST(self) -> None:  # noqa: N802
        body = self._read_body()
        self.script.requests.append(Request("POST", self.path, dict(self.headers), body))
        if not self._authorised():
            return
        path = self.path.rstrip("/")
        if path not in ("/v1/chat/completions", "/api/chat"):
            self._send_json(404, {"error": f"no route {self.path}"})
            return
        model = (body or {}).get("model")
        if model not in self.script.models:
            msg = f"The model `{model}` does not exist." if path.startswith("/v1") else f"model '{model}' not found"
            self._send_json(404, {"error": {"message": msg, "type": "NotFoundError", "code": "model_not_found"}}
                            if path.startswith("/v1") else {"error": msg})
            return
        if not self.script.replies:
            self.script.overrun += 1
            self._send_json(500, {"error": {"message": "scripted server: no reply queued", "type": "server_error"}})
            return
        reply = self.script.replies.pop(0)
        if reply.get("delay"):
            time.sleep(reply["delay"])
        if reply.get("drop"):
            self._abort()
            return
        if "raw" in reply:  # e.g. a proxy's HTML error page with status 200
            self._send_json(200, reply["raw"])
            return
        if "error" in reply:
            err = reply["error"]
            self._send_json(err["status"], err.get("body", {"error": {"message": "error"}}), err.get("headers"))
            return
        stream = bool(body.get("stream", path == "/api/chat"))
        if path == "/api/chat":
            self._ollama(reply, model, stream)
        else:
            self._openai(reply, model, stream)

    # ------------------------------------------------------------------ OpenAI wire format
    def _openai(self, reply: dict, model: str, stream: bool) -> None:
        msg = reply.get("message", {})
        calls = msg.get("tool_calls") or []
        finish = reply.get("finish_reason") or ("tool_calls" if calls else "stop")
        ids = [c.get("id") or f"call_{uuid.uuid4().hex[:12]}" for c in calls]
        cid, created = f"chatcmpl-{uuid.uuid4().hex[:16]}", int(time.time())
        if not stream:
            message: dict = {"role": "assistant", "content": msg.get("content")}
            if calls:
                message["tool_calls"] = [{"id": i, "type": "function", "function": {"name": c["name"], "arguments": _arguments(c)}}
                                         for i, c in zip(ids, calls)]
            choices = [] if reply.get("empty") else [{"index": 0, "message": message, "finish_reason": finish}]
            self._send_json(200, {"id": cid, "object": "chat.completion", "created": created, "model": model, "choices": choices,
                                  "usage": {"prompt_tokens": 812, "completion_tokens": 64, "total_tokens": 876}})
            return
        events: list[dict] = [{"role": "assistant", "content": ""}]
        events += [{"content": p} for p in _pieces(msg.get("content") or "")]
        for i, (c, call_id) in enumerate(zip(calls, ids)):
            events.append({"tool_calls": [{"index": i, "id": call_id, "type": "function",
                                           "function": {"name": c["name"], "arguments": ""}}]})
            events += [{"tool_calls": [{"index": i, "function": {"arguments": p}}]} for p in _pieces(_arguments(c), 7)]
        if reply.get("empty"):
            events = []
        self._start_chunked("text/event-stream")
        self.script.streaming += 1
        try:
            self._sse(events, reply, cid, created, model, finish)
        finally:
            self.script.streaming -= 1

    def _sse(self, events: list[dict], reply: dict, cid: str, created: int, model: str, finish: str) -> None:
        for n, delta in enumerate(events):
            if reply.get("truncate_after") is not None and n >= reply["truncate_after"]:
                self._abort()
                return
            chunk = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
                     "choices": [{"index": 0, "delta": delta, "finish_reason": None}]}
            self._chunk("data: " + json.dumps(chunk, ensure_ascii=False) + "\n\n")
            if reply.get("token_delay"):
                time.sleep(reply["token_delay"])
        if events:
            last = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
                    "choices": [{"index": 0, "delta": {}, "finish_reason": finish}]}
            self._chunk("data: " + json.dumps(last) + "\n\n")
        self._chunk("data: [DONE]\n\n")
        self._end_chunked()

    # ------------------------------------------------------------------ Ollama wire format
    def _ollama(self, reply: dict, model: str, stream: bool) -> None:
        msg = reply.get("message", {})
        calls = [{"function": {"name": c["name"], "arguments": c.get("arguments", {})}} for c in msg.get("tool_calls") or []]
        stamp = "2025-01-01T00:00:00Z"
        final = {"model": model, "created_at": stamp, "message": {"role": "assistant", "content": ""}, "done": True,
                 "done_reason": "length" if reply.get("finish_reason") == "length" else "stop",
                 "total_duration": 1200000000, "prompt_eval_count": 812, "eval_count": 64}
        if not stream:
            out = dict(final)
            out["message"] = {"role": "assistant", "content": msg.get("content") or ""}
            if calls:
                out["message"]["tool_calls"] = calls
            self._send_json(200, out)
            return
        lines = [{"model": model, "created_at": stamp, "message": {"role": "assistant", "content": p}, "done": False}
                 for p in _pieces(msg.get("content") or "")]
        if calls:
            lines.append({"model": model, "created_at": stamp, "message": {"role": "assistant", "content": "", "tool_calls": calls},
                          "done": False})
        lines.append(final)
        if reply.get("empty"):
            lines = [final]
        self._start_chunked("application/x-ndjson")
        for n, line in enumerate(lines):
            if reply.get("truncate_after") is not None and n >= reply["truncate_after"]:
                self._abort()
                return
            self._chunk(json.dumps(line, ensure_ascii=False) + "\n")
        self._end_chunked()


class ScriptedServer:
    """The server on a free 127.0.0.1 port, serving from a daemon thread until :meth:`close`."""

    def __init__(self) -> None:
        self.script = Script()
        handler = type("Handler", (_Handler,), {"script": self.script})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="scripted-llm", daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def play(self, replies: list[dict], *, models: list[str] | None = None, api_key: str | None = None) -> None:
        """Queue ``replies``, serving ``models`` (default: qwen2.5-7b-instruct); forget earlier requests."""
        self.script.replies[:] = [dict(r) for r in replies]
        self.script.requests.clear()
        self.script.overrun = 0
        self.script.models[:] = models if models is not None else DEFAULT_MODELS
        self.script.api_key = api_key

    @property
    def requests(self) -> list[Request]:
        return self.script.requests

    def chat_requests(self) -> list[Request]:
        return [r for r in self.script.requests if r.method == "POST"]

    @property
    def unused(self) -> list[dict]:
        return self.script.replies

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
