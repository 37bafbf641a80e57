"""Every way a real model server hands back a tool call, read into the same :class:`Call`s.

* OpenAI ``tool_calls`` (vLLM with a tool parser, cloud APIs), parallel calls, and the same
  streamed as deltas (LangChain's ``tool_call_chunks``; their arguments are parsed strictly
  here, because LangChain's partial-JSON repair would turn a broken call into a valid one);
* Ollama's native ``message.tool_calls`` (``ChatOllama`` fills ``tool_calls``);
* Hermes / Qwen ``<tool_call>{"name": …, "arguments": …}</tool_call>`` in the content;
* JSON objects in the content, fenced (```` ```json ````) or bare, in the shapes small models
  write: ``{"name", "arguments"|"parameters"}``, ``{"function": {…}}``, ``{"tool", "args"}``,
  lists of these, Llama's ``<|python_tag|>`` and Mistral's ``[TOOL_CALLS]`` prefixes.

``<think>…</think>`` reasoning is dropped. A call that cannot be read becomes a
:class:`BadCall`, answered to the model with an error instead of being executed.
"""
from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import AIMessage

from .client import content_text

_THINK = re.compile(r"<think>.*?(?:</think>|$)", re.S)
_HERMES = re.compile(r"<tool_call>\s*(.*?)\s*(?:</tool_call>|$)", re.S)
_FENCE = re.compile(r"```[ \t]*(?:json|tool_call|tool_code)?[ \t]*\n?(.*?)```", re.S | re.I)
_PREFIX = re.compile(r"<\|python_tag\|>|\[TOOL_CALLS\]")
_NAME = re.compile(r'"(?:name|tool|tool_name|function)"\s*:\s*"([^"]+)"')


@dataclass
class Call:
    id: str
    name: str
    args: dict
    dialect: str


@dataclass
class BadCall:
    id: str
    name: str | None
    raw: str
    error: str
    dialect: str


@dataclass
class Turn:
    """One model message, read: the prose left once markup is removed, and the calls."""

    text: str
    raw: str = ""  # the content as written (minus <think>), for the conversation history
    calls: list[Call] = field(default_factory=list)
    bad: list[BadCall] = field(default_factory=list)

    @property
    def dialect(self) -> str | None:
        return next((c.dialect for c in [*self.calls, *self.bad]), None)


def _new_id() -> str:
    return f"call_{uuid.uuid4().hex[:12]}"


def _arguments(value: Any) -> dict:
    """Arguments as a dict; double-encoded JSON strings are decoded. Raises ValueError."""
    if value is None or value == "":
        return {}
    if isinstance(value, str):
        value = json.loads(value)
        if isinstance(value, str):  # '"{\\"edition\\": …}"'
            value = json.loads(value)
    if not isinstance(value, dict):
        raise ValueError(f"arguments must be a JSON object, got {type(value).__name__}")
    return value


def _shape(obj: Any) -> tuple[str, Any] | None:
    """(name, raw arguments) when ``obj`` looks like a tool call, else None."""
    if not isinstance(obj, dict):
        return None
    if isinstance(obj.get("function"), dict):
        obj = obj["function"]
    name = obj.get("name") or obj.get("tool") or obj.get("tool_name")
    if not isinstance(name, str):
        return None
    for key in ("arguments", "parameters", "args", "tool_input", "input"):
        if key in obj:
            return name, obj[key]
    return (name, {}) if set(obj) <= {"name", "tool", "tool_name", "type", "id"} else None


def _read_json(text: str, dialect: str, turn: Turn, *, strict: bool) -> bool:
    """Add the call(s) in ``text`` to ``turn``; True if it held calls. ``strict``: the text is known
    to be a call (inside <tool_call>), so unreadable JSON is a bad call rather than prose."""
    text = _PREFIX.sub("", text).strip()
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        named = _NAME.search(text)
        if strict or named:
            turn.bad.append(BadCall(_new_id(), named.group(1) if named else None, text[:500], f"invalid JSON: {exc}", dialect))
            return True
        return False
    items = obj if isinstance(obj, list) else [obj]
    shapes = [_shape(x) for x in items]
    if not items or any(s is None for s in shapes):
        if strict:
            turn.bad.append(BadCall(_new_id(), None, text[:500], "expected {\"name\": …, \"arguments\": {…}}", dialect))
        return strict
    for name, raw in shapes:  # type: ignore[misc]
        try:
            turn.calls.append(Call(_new_id(), name, _arguments(raw), dialect))
        except ValueError as exc:
            turn.bad.append(BadCall(_new_id(), name, json.dumps(raw, ensure_ascii=False)[:500], str(exc), dialect))
    return True


def _bare_json(text: str, turn: Turn) -> str:
    """Find call-shaped JSON objects written straight into the prose; return the prose without them."""
    decoder = json.JSONDecoder()
    out, i = [], 0
    for m in re.finditer(r"[{\[]", text):
        if m.start() < i:
            continue
        try:
            obj, end = decoder.raw_decode(text, m.start())
        except json.JSONDecodeError:
            continue
        items = obj if isinstance(obj, list) else [obj]
        if items and all(_shape(x) for x in items):
            _read_json(text[m.start():end], "json", turn, strict=True)
            out.append(text[i:m.start()])
            i = end
    out.append(text[i:])
    return "".join(out)


def _native(message: AIMessage, turn: Turn) -> None:
    """Calls the server already separated from the text (OpenAI ``tool_calls``, Ollama)."""
    provider = (message.response_metadata or {}).get("model_provider") or "openai"
    chunks = getattr(message, "tool_call_chunks", None) or []
    if chunks:  # streamed: re-read the raw argument text strictly
        for c in chunks:
            cid, name = c.get("id") or _new_id(), c.get("name")
            try:
                args = _arguments(c.get("args"))
            except ValueError as exc:
                turn.bad.append(BadCall(cid, name, str(c.get("args"))[:500], f"invalid JSON arguments: {exc}", provider))
                continue
            if not name:
                turn.bad.append(BadCall(cid, None, str(c.get("args"))[:500], "the call has no tool name", provider))
            else:
                turn.calls.append(Call(cid, name, args, provider))
        return
    for c in message.tool_calls or []:
        turn.calls.append(Call(c.get("id") or _new_id(), c["name"], dict(c.get("args") or {}), provider))
    for c in message.invalid_tool_calls or []:
        turn.bad.append(BadCall(c.get("id") or _new_id(), c.get("name"), str(c.get("args"))[:500],
                                c.get("error") or "invalid JSON arguments", provider))


def read_turn(message: AIMessage) -> Turn:
    """The calls in ``message``, in whichever dialect, and the prose around them."""
    turn = Turn(text="")
    _native(message, turn)
    text = turn.raw = _THINK.sub("", content_text(message.content)).strip()
    if "<tool_call>" in text:
        for m in _HERMES.finditer(text):
            _read_json(m.group(1), "hermes", turn, strict=True)
        text = _HERMES.sub("", text)
    if "```" in text:
        def fence(m: re.Match) -> str:
            return "" if _read_json(m.group(1), "json", turn, strict=False) else m.group(0)

        text = _FENCE.sub(fence, text)
    parts = _PREFIX.split(text, maxsplit=1)
    if len(parts) == 2 and _read_json(parts[1], "json", turn, strict=True):
        text = parts[0]
    if "{" in text or "[" in text:
        text = _bare_json(text, turn)
    turn.text = text.strip()
    return turn


def json_payload(text: str) -> Any:
    """The JSON value ``text`` consists of (optionally fenced, after a <think> block), or None."""
    t = _THINK.sub("", text).strip()
    m = _FENCE.fullmatch(t) or _FENCE.search(t)
    if m:
        t = m.group(1).strip()
    if not t or t[0] not in "{[":
        return None
    try:
        return json.loads(t)
    except json.JSONDecodeError:
        try:
            return json.JSONDecoder().raw_decode(t)[0]
        except json.JSONDecodeError:
            return None
