"""The assistant: a question's answer envelope (whole, or as Server-Sent Events), and feedback on it."""
from __future__ import annotations

from typing import Any, Iterator

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sse_starlette import EventSourceResponse, ServerSentEvent

from ..backends import to_jsonable
from ..cache import data_version
from ..degraded import retrieval_status, truthful, truthful_events
from ..deps import ServiceState, StateDep
from ..models import AskRequest, FeedbackRequest, check_question
from ..responses import event_stream, render_json, safe_events, sse_json

router = APIRouter(tags=["assistant"])


def cache_scope(request: Request, state: ServiceState) -> str:
    """Whose answers a cached answer may be served to: with API keys, only the same key's
    (a hit, and its speed, must not tell one client what another asked); else everyone's."""
    return getattr(request.state, "client_id", "") if state.settings.api_keys else ""


@router.post("/ask", summary="Ask a question; returns the answer envelope")
async def ask(req: AskRequest, request: Request, state: StateDep) -> Response:
    """Offline answers are deterministic, so each worker keeps them (per API key when keys are
    set): ``X-Answer-Cache: hit|miss|off``."""
    history = check_question(state.settings, req.question, req.history)
    key = None
    if state.answers is not None:
        key = (data_version(), cache_scope(request, state), req.question, tuple((t["role"], t["content"]) for t in history))
        body = state.answers.get(key)
        if body is not None:
            return Response(body, media_type="application/json", headers={"X-Answer-Cache": "hit"})

    def answer() -> tuple[bytes, bool]:
        env = to_jsonable(state.backend.ask(req.question, history or None))
        if not isinstance(env, dict):
            return render_json(env), False
        env, notice = truthful(env, retrieval_status(state))
        return render_json(env), env.get("mode") == "offline" and notice is None  # an outage is not an answer to keep

    body, keep = await state.slots.run(answer)
    if key is not None and keep:
        state.answers.put(key, body)  # type: ignore[union-attr]
    return Response(body, media_type="application/json", headers={"X-Answer-Cache": "miss" if key else "off"})


@router.post("/ask/stream", summary="Ask a question; Server-Sent Events", response_class=EventSourceResponse,
             responses={200: {"content": {"text/event-stream": {}}, "description": (
                 "Events `tool`, `token` (model tokens as produced), `verification` (`{status: confirmed|replaced, "
                 "answer, notice}`: show `answer` instead of the streamed text when replaced), `citation`, `chart`, "
                 "then `done` (the envelope, always the verified answer) or `error`; event types the assistant adds "
                 "later pass through unchanged.")}})
def ask_stream(req: AskRequest, state: StateDep) -> EventSourceResponse:
    history = check_question(state.settings, req.question, req.history)

    def events() -> Iterator[ServerSentEvent]:
        source = truthful_events(safe_events(state.backend.ask_stream(req.question, history or None)), retrieval_status(state))
        for n, (kind, data) in enumerate(source, 1):
            yield sse_json(data, event=kind, event_id=n)
            if kind in ("done", "error"):
                return

    return event_stream(events())


@router.post("/feedback", status_code=201, summary="Thumbs up/down with an optional comment",
             responses={503: {"description": "Feedback cannot be stored now (the disk is full or read-only); nothing was stored."}})
def feedback(req: FeedbackRequest, request: Request, state: StateDep) -> dict[str, Any]:
    rec = state.store.add_feedback(rating=req.rating, comment=req.comment, question=req.question, answer=req.answer,
                                   message_id=req.message_id, envelope=None, client=getattr(request.state, "client_id", None))
    return {"status": "stored", **rec}
