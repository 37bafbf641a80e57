"""Rendering: strict JSON bodies, the scores CSV, Server-Sent Events and citation footnotes."""
from __future__ import annotations

import csv
import io
import json
import logging
import math
import re
from typing import Any, Iterable, Iterator

from fastapi.responses import JSONResponse
from sse_starlette import EventSourceResponse, ServerSentEvent

from .errors import error_dict, mapped

log = logging.getLogger("hardtech.service")


def finite(o: Any) -> Any:
    """``o`` with every NaN or infinity replaced by ``None`` (JSON has neither)."""
    if isinstance(o, float):
        return o if math.isfinite(o) else None
    if isinstance(o, dict):
        return {k: finite(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [finite(v) for v in o]
    return o


def render_json(content: Any) -> bytes:
    """Compact UTF-8 JSON; a missing number (NaN) is ``null``."""
    try:
        return json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
    except ValueError:  # NaN or infinity somewhere: the rare path walks the data
        return json.dumps(finite(content), ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


class SafeJSONResponse(JSONResponse):
    """JSON without NaN/Infinity (not valid JSON): a missing number is ``null``."""

    def render(self, content: Any) -> bytes:
        return render_json(content)


def scores_table(data: dict) -> list[list]:
    """An edition's scores as a header row and one row per entity, ``<dimension>.score|rank`` columns."""
    rows = data["entities"]
    dims = list(rows[0]["dimensions"]) if rows else []
    return [["name", "name_en", "composite", "published_composite", "composite_source", "rank", "tier", "tier_label",
             "tier_status"] + [f"{d}.{x}" for d in dims for x in ("score", "rank")]] + [
        [r["name"], r["name_en"], r["composite"], r["published_composite"], r["composite_source"], r["rank"],
         r["tier"], r["tier_label"], r["tier_status"]] + [r["dimensions"][d][x] for d in dims for x in ("score", "rank")]
        for r in rows]


def scores_csv(data: dict) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(scores_table(data))
    return "\ufeff" + buf.getvalue()  # BOM: spreadsheets then read the Chinese names as UTF-8


def scores_xlsx(data: dict) -> bytes:
    """The same table as an Excel workbook (one sheet named after the edition)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(str(data["edition"])[:31])
    for row in scores_table(data):
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def footnotes(envelope: dict) -> str:
    """Citations as numbered footnotes: ``[1] title, section (file, lines a–b): “quote”``."""
    cites = envelope.get("citations") or []
    if cites and re.search(r"^\[1\]\s", envelope.get("answer") or "", re.M):
        return ""  # the answer already ends with its numbered sources
    out = []
    for i, c in enumerate(cites, 1):
        num = str(c.get("id", "")).lstrip("c") or str(i)
        lines = c.get("lines") or [None, None]
        where = ", ".join(x for x in (c.get("doc_title"), c.get("section")) if x)
        quote = (c.get("quote") or "").strip().replace("\n", " ")
        if len(quote) > 160:
            quote = quote[:157] + "…"
        out.append(f"[{num}] {where} ({c.get('source_file')}, lines {lines[0]}–{lines[1]}){': “' + quote + '”' if quote else ''}")
    return "\n\n---\n" + "\n".join(out) if out else ""


# ----------------------------------------------------------------------------- Server-Sent Events
def safe_events(events: Iterable[tuple[str, dict]]) -> Iterator[tuple[str, dict]]:
    """Pass the assistant's events through, whatever their type; turn an exception into one
    ``error`` event. This is a request boundary: an unexpected error is logged once, with its
    traceback, and the client sees no detail of it."""
    try:
        yield from events
    except Exception as exc:  # noqa: BLE001 - the stream's request boundary
        if mapped(exc).status == 500:
            log.exception("error while streaming an answer")
            yield "error", {"code": "internal_error", "message": "The server hit an unexpected error while answering.",
                            "hint": "Retry; if it persists, report the question to the operators."}
        else:
            d = error_dict(exc)  # type: ignore[arg-type]
            yield "error", {k: d[k] for k in ("code", "message", "hint", "suggestions") if k in d}


def sse_json(data: Any, event: str | None = None, event_id: int | None = None) -> ServerSentEvent:
    """One event whose data is compact JSON (one line: JSON escapes newlines)."""
    payload = json.dumps(finite(data), ensure_ascii=False, separators=(",", ":"))
    return ServerSentEvent(payload, event=event, id=None if event_id is None else str(event_id), sep="\n")


PING_SECONDS = 15  # a comment line this often keeps proxies from closing a stream while an answer is computed
SHUTDOWN_SECONDS = 10  # uvicorn's graceful shutdown (hardtech serve): requests in flight get this long on SIGTERM
STREAM_GRACE_SECONDS = 8  # ... and an open stream this long to finish its answer (less, so it ends before the kill)


def event_stream(events: Iterator[ServerSentEvent | str]) -> EventSourceResponse:
    """An SSE response: keep-alive pings while an answer is computed; the generator is closed
    when the client disconnects; on SIGTERM an answer under way may finish (``STREAM_GRACE_SECONDS``)."""
    return EventSourceResponse(events, sep="\n", ping=PING_SECONDS, headers={"Cache-Control": "no-cache"},
                               shutdown_grace_period=STREAM_GRACE_SECONDS)
