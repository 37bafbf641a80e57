"""OpenAI-compatible chat: ``/v1/models`` and ``/v1/chat/completions`` (streaming and not).

The last message is the question; earlier user and assistant messages are the history (the
latest ``HARDTECH_MAX_HISTORY`` of them). Citations become numbered footnotes in the content,
and the whole answer envelope rides along as ``hardtech``.
"""
from __future__ import annotations

import time
import uuid
from typing import Iterator

from fastapi import APIRouter
from sse_starlette import ServerSentEvent

from hardtech.settings import Settings

from ..backends import to_jsonable
from ..degraded import retrieval_status, truthful, truthful_events
from ..deps import StateDep
from ..errors import ServiceError
from ..models import ChatCompletionRequest, Turn, check_question
from ..responses import event_stream, footnotes, safe_events, sse_json

router = APIRouter(prefix="/v1", tags=["openai"])


def question_and_history(settings: Settings, req: ChatCompletionRequest) -> tuple[str, list[dict]]:
    last = req.messages[-1]
    if last.role != "user":
        raise ServiceError(422, "invalid_request", "The last message must have role 'user'",
                           hint="Send the conversation with the new question last.")
    history = [Turn(role=m.role, content=m.text()) for m in req.messages[:-1] if m.role in ("user", "assistant") and m.text()]
    question = last.text()
    return question, check_question(settings, question, history, trim=True)


@router.get("/models", summary="Models (OpenAI-compatible)")
async def models() -> dict:
    return {"object": "list", "data": [{"id": "hardtech", "object": "model", "created": 0, "owned_by": "hardtech"}]}


@router.post("/chat/completions", summary="Chat completions (OpenAI-compatible, streaming and not)",
             responses={200: {"content": {"application/json": {}, "text/event-stream": {}}}})
async def chat_completions(req: ChatCompletionRequest, state: StateDep):
    question, history = question_and_history(state.settings, req)
    cid, created, model = f"chatcmpl-{uuid.uuid4().hex}", int(time.time()), req.model or "hardtech"
    if not req.stream:
        env, _ = await state.slots.run(lambda: truthful(to_jsonable(state.backend.ask(question, history or None)),
                                                        retrieval_status(state)))
        return {
            "id": cid, "object": "chat.completion", "created": created, "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": (env.get("answer") or "") + footnotes(env)},
                         "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
            "citations": env.get("citations", []), "hardtech": env,
        }

    def chunk(delta: dict, finish: str | None = None, **extra) -> ServerSentEvent:
        return sse_json({"id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
                         "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra})

    def events() -> Iterator[ServerSentEvent]:
        """Answer text as content deltas; the other event types have no OpenAI form and are skipped.
        Streamed text cannot be taken back: when verification replaces it, the verified answer
        follows under a rule with the notice. The last chunk's ``hardtech`` is the verified envelope."""
        yield chunk({"role": "assistant", "content": ""})
        source = truthful_events(safe_events(state.backend.ask_stream(question, history or None)), retrieval_status(state))
        for kind, data in source:
            if kind == "token" and data.get("text"):
                yield chunk({"content": data["text"]})
            elif kind == "verification" and data.get("status") == "replaced":
                yield chunk({"content": f"\n\n---\n{data.get('notice') or ''}\n\n{data.get('answer') or ''}"})
            elif kind == "done":
                notes = footnotes(data)
                if notes:
                    yield chunk({"content": notes})
                yield chunk({}, "stop", citations=data.get("citations", []), hardtech=data)
                break
            elif kind == "error":
                yield sse_json({"error": data})
                break
        yield ServerSentEvent("[DONE]", sep="\n")

    return event_stream(events())
