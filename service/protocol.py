"""uvicorn's HTTP protocol with a request deadline and the API's error shape below the ASGI app.

uvicorn closes an idle keep-alive connection (``timeout_keep_alive``) but has no timeout for a
request that is being received: a client that sends half a head, or a body one byte at a time,
holds a connection (and, with enough of them, the worker) for as long as it likes. Here each
request, head and body, must arrive within ``HARDTECH_REQUEST_TIMEOUT`` seconds, counted from
the connection's start or the end of the previous response; a slower client gets ``408`` in the
API's error shape (or, if it sent nothing at all, is just disconnected).

A request the parser rejects (malformed HTTP, raw non-ASCII in the URL) gets ``400`` in the same
JSON shape as every other error, instead of uvicorn's plain text.

``hardtech serve`` passes :data:`PROTOCOL` to uvicorn as ``http=``.
"""
from __future__ import annotations

import asyncio
import json

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from hardtech.settings import get_settings

from .errors import error_body, http_error

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # httptools is optional
    HttpToolsProtocol = None  # type: ignore[assignment,misc]

_MALFORMED = error_body(
    "bad_request", "Invalid HTTP request received",
    "Send a well-formed HTTP/1.1 request; percent-encode non-ASCII characters in the URL (深圳 -> %E6%B7%B1%E5%9C%B3).")


def _raw_response(status: int, reason: bytes, body: dict) -> bytes:
    data = json.dumps(body, ensure_ascii=False).encode()
    return (b"HTTP/1.1 %d %s\r\ncontent-type: application/json\r\ncontent-length: %d\r\nconnection: close\r\n\r\n"
            % (status, reason, len(data))) + data


class RequestDeadline:
    """Mixed into a uvicorn HTTP protocol class (see :func:`protocol_class`)."""

    transport: asyncio.Transport
    loop: asyncio.AbstractEventLoop
    cycle: object

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)  # type: ignore[misc]
        self._deadline: asyncio.TimerHandle | None = None
        self._received = False
        self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._received = False
        self._deadline = self.loop.call_later(get_settings().request_timeout, self._expired)

    def _disarm(self) -> None:
        if getattr(self, "_deadline", None) is not None:
            self._deadline.cancel()
            self._deadline = None

    def data_received(self, data: bytes) -> None:
        self._received = self._received or bool(data)
        super().data_received(data)  # type: ignore[misc]

    def on_response_complete(self) -> None:
        super().on_response_complete()  # type: ignore[misc]
        if not self.transport.is_closing():
            self._arm()  # the next request on this connection gets the same time

    def connection_lost(self, exc) -> None:
        self._disarm()
        super().connection_lost(exc)  # type: ignore[misc]

    def _expired(self) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        cycle = self.cycle
        if self._received and (cycle is None or not getattr(cycle, "response_started", False)):
            timeout = get_settings().request_timeout
            self.transport.write(_raw_response(408, b"Request Timeout", http_error(
                408, f"The request did not arrive completely within {timeout:g} s")))
        self.transport.close()  # connection_lost tells a waiting app that the client is gone

    def send_400_response(self, msg: str) -> None:
        self._disarm()
        self.transport.write(_raw_response(400, b"Bad Request", _MALFORMED))
        self.transport.close()


class H11DeadlineProtocol(RequestDeadline, H11Protocol):
    def handle_events(self) -> None:
        super().handle_events()
        if self.conn.their_state in (h11.DONE, h11.MUST_CLOSE, h11.CLOSED):
            self._disarm()


DeadlineProtocol: type = H11DeadlineProtocol

if HttpToolsProtocol is not None:  # the faster parser, when installed (uvicorn[standard]): what uvicorn picks too
    class HttpToolsDeadlineProtocol(RequestDeadline, HttpToolsProtocol):
        def on_message_complete(self) -> None:
            self._disarm()
            super().on_message_complete()

    DeadlineProtocol = HttpToolsDeadlineProtocol

PROTOCOL = f"{__name__}:DeadlineProtocol"  # uvicorn's ``http=``: an import string, so spawned workers load it
