"""The FastAPI application: portal API (``/api/v1``), OpenAI-compatible chat (``/v1``),
health probes and the chat page (``/``).

Build it with :func:`create_app`; uvicorn runs ``service.app:create_app`` as a
factory in every worker. All state (feedback, rate-limit counters) is in SQLite
(:mod:`service.store`), so workers share it.
"""
from __future__ import annotations

import contextlib
import csv
import functools
import hashlib
import importlib.util
import io as _io
import json
import logging
import math
import re
import threading
import time
import uuid
from collections import OrderedDict
from pathlib import Path
from typing import Any, Callable, Iterator, Literal, Optional

import anyio
from fastapi import APIRouter, Depends, FastAPI, Path as PathParam, Query, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from . import errors as service_errors
from .backends import Backend, RealBackend, to_jsonable
from .config import Settings
from .errors import ServiceError, product_error_dict
from .security import BodyLimitMiddleware, SecurityHeadersMiddleware, guard_factory
from .store import Store

log = logging.getLogger("hardtech.service")

STATIC_DIR = Path(__file__).resolve().parent / "static"
API_VERSION = "1"

# ----------------------------------------------------------------------------- responses
def _finite(o: Any) -> Any:
    if isinstance(o, float):
        return o if math.isfinite(o) else None
    if isinstance(o, dict):
        return {k: _finite(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_finite(v) for v in o]
    return o


class SafeJSONResponse(JSONResponse):
    """JSON without NaN/Infinity (not valid JSON): a missing number is ``null``."""

    def render(self, content: Any) -> bytes:
        try:
            return json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
        except ValueError:
            return json.dumps(_finite(content), ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


# ----------------------------------------------------------------------------- request models
EditionId = PathParam(..., description="Edition id, e.g. hardtech-2019 (see GET /api/v1/editions).", max_length=100)
EntityName = PathParam(..., description="Any name or alias: 深圳, Shenzhen, shenzhen ...", max_length=100)


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Literal["user", "assistant"]
    content: str = Field(..., max_length=20000)


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"question": "why is Shenzhen weak on innovation base?", "history": []}]})
    question: str = Field(..., min_length=1, max_length=20000, description="The question (limit: HARDTECH_MAX_QUESTION_CHARS).")
    history: list[Turn] = Field(default_factory=list, max_length=200, description="Earlier turns, oldest first.")


class WhatIfRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "edition": "hardtech-2019",
        "weights": {"innovation_base": 1, "innovation_input": 1, "innovation_output": 1, "innovation_environment": 1}}]})
    edition: str = Field(..., max_length=100)
    weights: dict[str, float] = Field(..., min_length=1, max_length=50,
                                      description="Dimension key (or Chinese name) -> weight >= 0; normalised to sum 1.")


class SensitivityRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"edition": "hardtech-2020", "draws": 1000, "seed": 7}]})
    edition: str = Field(..., max_length=100)
    draws: int = Field(1000, ge=1, le=20000)
    spread: float = Field(0.25, ge=0, lt=1)
    seed: int = Field(0, ge=0, le=2**32 - 1)


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rating: Literal["up", "down"]
    comment: Optional[str] = Field(None, max_length=2000)
    question: Optional[str] = Field(None, max_length=4000)
    answer: Optional[str] = Field(None, max_length=20000)
    message_id: Optional[str] = Field(None, max_length=100)


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[dict[str, Any]] | None = None


class ChatCompletionRequest(BaseModel):
    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [{
        "model": "hardtech", "messages": [{"role": "user", "content": "2020年第二梯队有哪些城市？"}], "stream": False}]})
    model: str = Field("hardtech", max_length=200)
    messages: list[ChatMessage] = Field(..., min_length=1, max_length=500)
    stream: bool = False


# ----------------------------------------------------------------------------- helpers
def _entity(edition: str, name: str) -> str:
    """Resolve a name in an edition; an entity outside the edition is a 404, not a 409."""
    from index_core import api
    from index_core.errors import NotAvailableError

    try:
        return api.resolve_entity(name, edition)
    except NotAvailableError as exc:
        exc.entity_scope = True  # type: ignore[attr-defined]
        raise


def _edition(edition: str) -> str:
    from index_core import io as core_io
    from index_core.errors import UnknownEditionError

    ids = core_io.edition_ids()
    if edition not in ids:
        import difflib

        raise UnknownEditionError(f"Unknown edition {edition!r}", hint=f"Known editions: {', '.join(ids)}. GET /api/v1/editions lists them.",
                                  suggestions=difflib.get_close_matches(edition, ids, n=3, cutoff=0.5))
    return edition


# Rendered responses of the read endpoints, per process: the shipped editions never change while
# serving. Keys are added only after a successful computation, so every key is a real edition (and a
# real alias of a real entity): the dicts are bounded by the data. Reads and writes of a dict are
# atomic under the GIL; the async endpoints read them on the event loop and compute a miss in a thread.
_READY: dict[tuple, bytes] = {}


@functools.lru_cache(maxsize=64)
def _cached_scores(edition: str, fmt: str) -> bytes:
    """An edition's scores, rendered once per process."""
    from index_core import api

    data = api.scores(edition)
    body = _scores_csv(data).encode("utf-8") if fmt == "csv" else SafeJSONResponse(None).render(data)
    _READY[("table", edition, fmt)] = body
    return body


@functools.lru_cache(maxsize=4096)
def _cached_entity(edition: str, name: str, kind: str) -> bytes:
    from index_core import api

    data = api.entity_scores(edition, name) if kind == "scores" else api.explain(edition, name)
    return SafeJSONResponse(None).render(data)


def _entity_bytes(edition: str, name: str, kind: str) -> bytes:
    body = _cached_entity(_edition(edition), _entity(edition, name), kind)
    if len(_READY) < 20000:
        _READY[(kind, edition, name)] = body
    return body


def _editions_bytes() -> bytes:
    from index_core import api

    body = SafeJSONResponse(None).render({"editions": api.list_editions()})
    _READY[("editions",)] = body
    return body


async def _ready_or_compute(key: tuple, compute: Callable[..., bytes], *args) -> bytes:
    """A rendered response from memory, on the event loop; a miss is computed in the threadpool."""
    body = _READY.get(key)
    if body is None:
        body = await run_in_threadpool(compute, *args)
    return body


@functools.lru_cache(maxsize=1)
def data_version() -> str:
    """A digest of the shipped data (editions, registry, report corpus) this process answers from."""
    h = hashlib.sha256()
    for pkg, sub in (("index_core", "data"), ("vectorstore", "corpus"), ("assistant", ""), ("prompts", "")):
        try:
            spec = importlib.util.find_spec(pkg)
        except (ImportError, ValueError):
            spec = None
        for loc in (spec.submodule_search_locations or []) if spec else []:
            root = Path(loc) / sub if sub else Path(loc)
            for f in sorted(root.rglob("*")) if root.is_dir() else []:
                if f.is_file() and f.suffix in (".csv", ".yaml", ".yml", ".md", ".txt", ".json"):
                    st = f.stat()
                    h.update(f"{f.relative_to(root)}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


class AnswerCache:
    """A per-process LRU of rendered offline answers, keyed by (data version, question, history).

    Legitimate because an offline answer is a deterministic function of those; answers
    from an LLM are never stored (the backend says whether it is deterministic, and the
    envelope's ``mode`` must be ``offline``).
    """

    def __init__(self, maxsize: int):
        self.maxsize = maxsize
        self._d: OrderedDict[tuple, bytes] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: tuple) -> bytes | None:
        with self._lock:
            body = self._d.get(key)
            if body is None:
                self.misses += 1
            else:
                self.hits += 1
                self._d.move_to_end(key)
            return body

    def put(self, key: tuple, body: bytes) -> None:
        with self._lock:
            self._d[key] = body
            self._d.move_to_end(key)
            while len(self._d) > self.maxsize:
                self._d.popitem(last=False)

    def __len__(self) -> int:
        return len(self._d)


WARMUP_QUESTIONS = (  # one of each kind the offline planner answers, zh and en; never stored in the answer cache
    "为什么深圳2019年创新基础较弱？", "why is Beijing strong on innovation output?", "2019年上海的综合得分是多少？",
    "What tier is Hangzhou in 2020?", "2020年第一梯队有哪些城市？", "Compare Beijing and Shanghai in 2020",
    "2019年创新投入排名前三的城市", "How is the 2020 index computed?", "why is Wuhan weak on research talent in 2020?",
)


def warm_up(backend: Backend) -> dict:
    """Load everything a worker loads lazily (editions, jieba, the embedding model, the chunk index)
    once, in one thread, before the worker accepts requests; render every edition's scores."""
    from index_core import io as core_io

    t0 = time.perf_counter()
    for e in core_io.edition_ids():
        for fmt in ("json", "csv"):
            _cached_scores(e, fmt)
    _editions_bytes()
    failed = 0
    try:  # the retrieval layer: embedding model, index, jieba dictionary
        backend.search("深圳 创新基础 innovation base", 3, None, None)
    except Exception:  # noqa: BLE001
        failed += 1
    for q in WARMUP_QUESTIONS:
        try:
            backend.ask(q, None)
        except Exception:  # noqa: BLE001 - warming is best effort; the endpoint reports real errors
            failed += 1
    data_version()
    return {"seconds": round(time.perf_counter() - t0, 2), "failed": failed}


def _split_names(text: str) -> list[str]:
    return [x.strip() for x in re.split(r"[,，、;；]", text) if x.strip()]


def _scores_csv(data: dict) -> str:
    rows = data["entities"]
    dims = list(rows[0]["dimensions"]) if rows else []
    buf = _io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["name", "name_en", "composite", "published_composite", "composite_source", "rank", "tier", "tier_label",
                "tier_status"] + [f"{d}.{x}" for d in dims for x in ("score", "rank")])
    for r in rows:
        w.writerow([r["name"], r["name_en"], r["composite"], r["published_composite"], r["composite_source"], r["rank"],
                    r["tier"], r["tier_label"], r["tier_status"]]
                   + [r["dimensions"][d][x] for d in dims for x in ("score", "rank")])
    return "\ufeff" + buf.getvalue()  # BOM: spreadsheets then read the Chinese names as UTF-8


def sse(event: str, data: Any, event_id: int | None = None) -> str:
    lines = []
    if event_id is not None:
        lines.append(f"id: {event_id}")
    lines.append(f"event: {event}")
    payload = json.dumps(_finite(data), ensure_ascii=False, separators=(",", ":"))
    lines.extend(f"data: {part}" for part in payload.split("\n"))
    return "\n".join(lines) + "\n\n"


SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no", "Connection": "keep-alive"}


def _safe_events(events: Iterator[tuple[str, dict]]) -> Iterator[tuple[str, dict]]:
    """Pass events through; turn an exception into one ``error`` event (never a trace)."""
    try:
        for kind, data in events:
            yield kind, data
    except Exception as exc:  # noqa: BLE001
        status = service_errors.status_for(exc)
        if status >= 500 and status != 503:
            log.exception("error while streaming an answer")
            yield "error", {"code": "internal_error", "message": "The server hit an unexpected error while answering.",
                            "hint": "Retry; if it persists, report the question to the operators."}
        else:
            d = product_error_dict(exc)
            yield "error", {k: d.get(k) for k in ("code", "message", "hint", "suggestions") if k in d}


def footnotes(envelope: dict) -> str:
    """Citations as numbered footnotes: ``[1] title, section, lines a–b: “quote”``."""
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


# ----------------------------------------------------------------------------- app
def create_app(settings: Settings | None = None, backend: Backend | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    backend = backend or RealBackend(llm=settings.llm)
    store = Store(settings.db_path)
    deterministic = bool(getattr(backend, "deterministic", lambda: False)())
    answers = AnswerCache(settings.answer_cache) if settings.answer_cache > 0 and deterministic else None
    ask_slots = settings.ask_concurrency or (1 if deterministic else 16)
    limiter: list[anyio.CapacityLimiter] = []  # made on first use, inside the worker's event loop

    async def answer_in_thread(fn: Callable[[], Any]) -> Any:
        """Run one CPU-bound answer in a thread, at most ``ask_slots`` at once per worker; the rest
        wait here (no thread, no GIL) instead of crowding the threadpool the cheap endpoints use."""
        if not limiter:
            limiter.append(anyio.CapacityLimiter(ask_slots))
        return await anyio.to_thread.run_sync(fn, limiter=limiter[0])

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        if settings.gil_switch_ms > 0:  # process-wide: only set in a server worker (hardtech serve)
            import sys

            sys.setswitchinterval(settings.gil_switch_ms / 1000)
        if settings.warmup:
            info = await anyio.to_thread.run_sync(warm_up, backend)
            log.info("worker warmed up in %s s (%s warm-up questions failed)", info["seconds"], info["failed"])
        yield

    app = FastAPI(
        title="hardtech",
        version=f"{API_VERSION}.0",
        summary="Chinese city hard-tech (硬科技) innovation indices: scores, ranks, tiers, explanations, search and cited Q&A.",
        description=(
            "Errors always have the shape `{\"error\": {\"code\", \"message\", \"hint\"}}` (plus `suggestions` where there are any). "
            "When `HARDTECH_API_KEYS` is set, `/api/*` and `/v1/*` need `X-API-Key: KEY` or `Authorization: Bearer KEY`."
        ),
        docs_url=None, redoc_url=None, default_response_class=SafeJSONResponse, lifespan=lifespan,
    )
    app.state.settings, app.state.backend, app.state.store = settings, backend, store
    app.state.answer_cache = answers
    service_errors.install(app)

    app.add_middleware(SecurityHeadersMiddleware)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=list(settings.cors_origins), allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Content-Type", "X-API-Key", "Authorization"], allow_credentials=False, max_age=600,
        )
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)

    guard = guard_factory(settings, store)
    api_v1 = APIRouter(prefix="/api/v1", dependencies=[Depends(guard)])
    openai = APIRouter(prefix="/v1", dependencies=[Depends(guard)], tags=["openai"])

    def check_question(question: str, history: list[Turn], trim: bool = False) -> list[dict]:
        if not question.strip():
            raise ServiceError(422, "invalid_request", "The question is empty", hint="Ask something, e.g. “2020年第二梯队有哪些城市？”")
        if len(question) > settings.max_question_chars:
            raise ServiceError(422, "question_too_long",
                               f"The question has {len(question)} characters; the limit is {settings.max_question_chars}",
                               hint="Shorten the question (limit: HARDTECH_MAX_QUESTION_CHARS).")
        turns = [{"role": t.role, "content": t.content[: settings.max_history_chars]} for t in history]
        if len(turns) > settings.max_history:
            if not trim:
                raise ServiceError(422, "history_too_long",
                                   f"The history has {len(turns)} turns; the limit is {settings.max_history}",
                                   hint="Send only the most recent turns (limit: HARDTECH_MAX_HISTORY).")
            turns = turns[-settings.max_history:]
        return turns

    # ------------------------------------------------------------------ probes
    @app.get("/healthz", tags=["health"], summary="Liveness")
    async def healthz() -> dict:
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"], summary="Readiness: the index loads and every edition evaluates")
    def readyz() -> JSONResponse:
        from index_core import api

        checks: dict[str, Any] = {}
        ok = True
        try:
            eds = api.list_editions()
            for e in eds:
                api.result(e["id"])
            checks["editions"] = {"status": "ok", "count": len(eds), "ids": [e["id"] for e in eds]}
        except Exception as exc:  # noqa: BLE001
            ok = False
            checks["editions"] = {"status": "error", "error": type(exc).__name__}
            log.exception("readiness: editions failed")
        try:
            store.check()
            checks["store"] = {"status": "ok"}
        except Exception as exc:  # noqa: BLE001
            ok = False
            checks["store"] = {"status": "error", "error": type(exc).__name__}
        checks.update({k: {"status": v} for k, v in backend.status().items()})  # informative, not required
        return JSONResponse({"status": "ready" if ok else "not_ready", "checks": checks}, status_code=200 if ok else 503)

    # ------------------------------------------------------------------ editions and scores
    @api_v1.get("/editions", tags=["editions"], summary="Every shipped edition")
    async def editions() -> Response:
        return Response(await _ready_or_compute(("editions",), _editions_bytes), media_type="application/json")

    @api_v1.get("/editions/{edition}", tags=["editions"],
                summary="One edition: methodology, dimensions, weights, tiers (stated/assumed), discrepancies")
    def edition_detail(edition: str = EditionId) -> dict:
        from index_core import api
        from index_core.errors import NotAvailableError

        _edition(edition)
        summary = next(e for e in api.list_editions() if e["id"] == edition)
        try:
            tiers = api.tiers(edition)
        except NotAvailableError:
            tiers = None
        return {**summary, "methodology": api.methodology(edition), "weights": api.result(edition).weights,
                "tiers": tiers, "discrepancies": api.discrepancies(edition)}

    @api_v1.get("/editions/{edition}/scores", tags=["scores"], summary="Every entity's scores (?format=csv to download)",
                responses={200: {"content": {"text/csv": {}}}})
    async def edition_scores(edition: str = EditionId, format: Literal["json", "csv"] = Query("json")):
        body = _READY.get(("table", edition, format))
        if body is None:
            body = await run_in_threadpool(lambda: _cached_scores(_edition(edition), format))
        if format == "csv":
            return Response(body, media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": f'attachment; filename="{edition}-scores.csv"'})
        return Response(body, media_type="application/json")

    @api_v1.get("/editions/{edition}/entities/{name}", tags=["scores"], summary="One entity (any alias)")
    async def entity(edition: str = EditionId, name: str = EntityName) -> Response:
        body = await _ready_or_compute(("scores", edition, name), _entity_bytes, edition, name, "scores")
        return Response(body, media_type="application/json")

    @api_v1.get("/editions/{edition}/entities/{name}/explain", tags=["scores"],
                summary="Contributions, strengths, weaknesses, gaps to next rank and tier")
    async def explain(edition: str = EditionId, name: str = EntityName) -> Response:
        body = await _ready_or_compute(("explain", edition, name), _entity_bytes, edition, name, "explain")
        return Response(body, media_type="application/json")

    @api_v1.get("/editions/{edition}/rankings", tags=["scores"], summary="Ranking by composite or one dimension")
    def rankings(edition: str = EditionId,
                 by: Optional[str] = Query(None, max_length=100, description="Dimension key or Chinese name; default composite"),
                 top: Optional[int] = Query(None, ge=1, le=1000), bottom: bool = Query(False)) -> dict:
        from index_core import api

        return api.ranking(_edition(edition), by=by or None, top=top, bottom=bottom)

    @api_v1.get("/editions/{edition}/tiers", tags=["scores"], summary="Tier rules and members")
    def tiers(edition: str = EditionId) -> dict:
        from index_core import api

        return api.tiers(_edition(edition))

    @api_v1.get("/compare", tags=["scores"], summary="Several entities side by side")
    def compare(edition: str = Query(..., max_length=100),
                names: str = Query(..., max_length=1000, description="Comma-separated names, e.g. 深圳,上海")) -> dict:
        from index_core import api

        _edition(edition)
        return api.compare(edition, [_entity(edition, n) for n in _split_names(names)])

    @api_v1.post("/whatif", tags=["analysis"], summary="Re-weight dimensions: new composites, ranks and tiers")
    def whatif(req: WhatIfRequest) -> dict:
        from index_core import api
        import math

        bad = {k: v for k, v in req.weights.items() if not math.isfinite(v) or v < 0 or v > 1e6}
        if bad:
            raise ServiceError(422, "invalid_weights", f"Weights must be finite numbers in [0, 1e6], got {bad}",
                               hint='Example: {"innovation_base": 1, "innovation_input": 1}')
        return api.whatif(_edition(req.edition), req.weights)

    @api_v1.post("/sensitivity", tags=["analysis"], summary="Monte Carlo weight perturbation")
    def sensitivity(req: SensitivityRequest) -> dict:
        from index_core import api

        return api.sensitivity(_edition(req.edition), draws=req.draws, spread=req.spread, seed=req.seed)

    # ------------------------------------------------------------------ retrieval
    @api_v1.get("/search", tags=["retrieval"], summary="Hybrid search over the source reports")
    def search(q: str = Query(..., min_length=1, max_length=2000), k: int = Query(5, ge=1, le=50),
               edition: Optional[str] = Query(None, max_length=100), city: Optional[str] = Query(None, max_length=100)) -> dict:
        if not q.strip():
            raise ServiceError(422, "invalid_request", "The query is empty", hint="Pass ?q=..., e.g. ?q=深圳 创新基础")
        return backend.search(q, k, edition or None, city or None)

    @api_v1.get("/passages", tags=["retrieval"], summary="A cited passage with its surrounding lines")
    def passages(source_file: str = Query(..., min_length=1, max_length=300), first: int = Query(..., ge=1, le=10_000_000),
                 last: int = Query(..., ge=1, le=10_000_000), context: int = Query(3, ge=0, le=50)) -> dict:
        if last < first:
            raise ServiceError(422, "invalid_range", f"last ({last}) is before first ({first})", hint="Pass first <= last.")
        try:
            return backend.passage(source_file, first, last, context)
        except ValueError as exc:
            if service_errors.status_for(exc) != 500:
                raise
            raise ServiceError(422, "invalid_range", str(exc)[:300], hint="Use a line range inside the file.") from None

    # ------------------------------------------------------------------ assistant
    @api_v1.post("/ask", tags=["assistant"], summary="Ask a question; returns the answer envelope")
    async def ask(req: AskRequest) -> Response:
        history = check_question(req.question, req.history)
        key = None
        if answers is not None:
            key = (data_version(), req.question, tuple((t["role"], t["content"]) for t in history))
            body = answers.get(key)
            if body is not None:
                return Response(body, media_type="application/json", headers={"X-Answer-Cache": "hit"})

        def answer() -> tuple[bytes, Any]:
            env = to_jsonable(backend.ask(req.question, history or None))
            return SafeJSONResponse(None).render(env), env.get("mode") if isinstance(env, dict) else None

        body, mode = await answer_in_thread(answer)
        if key is not None and mode == "offline":
            answers.put(key, body)
        return Response(body, media_type="application/json", headers={"X-Answer-Cache": "miss" if key else "off"})

    @api_v1.post("/ask/stream", tags=["assistant"], summary="Ask a question; Server-Sent Events",
                 response_class=StreamingResponse,
                 responses={200: {"content": {"text/event-stream": {}},
                                  "description": "Events `tool`, `token`, `citation`, `chart`, `done` (the envelope) or `error`."}})
    def ask_stream(req: AskRequest):
        history = check_question(req.question, req.history)

        def gen() -> Iterator[str]:
            n = 0
            for kind, data in _safe_events(backend.ask_stream(req.question, history or None)):
                n += 1
                yield sse(kind, data, n)
                if kind in ("done", "error"):
                    return

        return StreamingResponse(gen(), media_type="text/event-stream", headers=SSE_HEADERS)

    @api_v1.post("/feedback", tags=["assistant"], status_code=201, summary="Thumbs up/down with an optional comment")
    def feedback(req: FeedbackRequest, request: Request) -> dict:
        rec = store.add_feedback(rating=req.rating, comment=req.comment, question=req.question, answer=req.answer,
                                 message_id=req.message_id, envelope=None, client=getattr(request.state, "client_id", None))
        return {"status": "stored", **rec}

    # ------------------------------------------------------------------ OpenAI-compatible
    def _oa_question(req: ChatCompletionRequest) -> tuple[str, list[dict]]:
        def text(m: ChatMessage) -> str:
            if isinstance(m.content, list):
                return "".join(str(p.get("text", "")) for p in m.content if p.get("type") in ("text", "input_text"))
            return m.content or ""

        last = req.messages[-1]
        if last.role != "user":
            raise ServiceError(422, "invalid_request", "The last message must have role 'user'",
                               hint="Send the conversation with the new question last.")
        history = [Turn(role=m.role, content=text(m)[: settings.max_history_chars]) for m in req.messages[:-1]
                   if m.role in ("user", "assistant") and text(m)]
        question = text(last)
        return question, check_question(question, history, trim=True)

    @openai.get("/models", summary="Models (OpenAI-compatible)")
    async def models() -> dict:
        return {"object": "list", "data": [{"id": "hardtech", "object": "model", "created": 0, "owned_by": "hardtech"}]}

    @openai.post("/chat/completions", summary="Chat completions (OpenAI-compatible, streaming and not)",
                 responses={200: {"content": {"application/json": {}, "text/event-stream": {}}}})
    async def chat_completions(req: ChatCompletionRequest):
        question, history = _oa_question(req)
        cid, created, model = f"chatcmpl-{uuid.uuid4().hex}", int(time.time()), req.model or "hardtech"
        if not req.stream:
            env = await answer_in_thread(lambda: to_jsonable(backend.ask(question, history or None)))
            content = (env.get("answer") or "") + footnotes(env)
            return {
                "id": cid, "object": "chat.completion", "created": created, "model": model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
                "citations": env.get("citations", []), "hardtech": env,
            }

        def chunk(delta: dict, finish: str | None = None, **extra) -> str:
            body = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}
            return "data: " + json.dumps(body, ensure_ascii=False, separators=(",", ":")) + "\n\n"

        def gen() -> Iterator[str]:
            yield chunk({"role": "assistant", "content": ""})
            for kind, data in _safe_events(backend.ask_stream(question, history or None)):
                if kind == "token" and data.get("text"):
                    yield chunk({"content": data["text"]})
                elif kind == "done":
                    notes = footnotes(data)
                    if notes:
                        yield chunk({"content": notes})
                    yield chunk({}, "stop", citations=data.get("citations", []), hardtech=data)
                    break
                elif kind == "error":
                    yield "data: " + json.dumps({"error": data}, ensure_ascii=False) + "\n\n"
                    break
            yield "data: [DONE]\n\n"

        return StreamingResponse(gen(), media_type="text/event-stream", headers=SSE_HEADERS)

    app.include_router(api_v1)
    app.include_router(openai)

    # ------------------------------------------------------------------ page and docs
    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8",
                            headers={"Cache-Control": "no-cache"})

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="hardtech API",
                                   swagger_js_url="/static/vendor/swagger-ui-bundle.js",
                                   swagger_css_url="/static/vendor/swagger-ui.css", swagger_favicon_url="data:,")

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
