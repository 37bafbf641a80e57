"""Is the configured model usable? :func:`check` (``hardtech llm check``) asks the endpoint
for its models, then makes one tool call and one structured-output request; :func:`health`
(``/readyz``) does only the cheap first part and adds the circuit breaker's state.

Each step says what works, or what does not and how to fix it.
"""
from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import httpx
import yaml
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import ValidationError

from hardtech.settings import get_settings

from ..tools import TOOLS
from .breaker import Breaker, breaker_for
from .client import Client, Endpoint, LLMConfigError
from .dialects import read_turn
from .errors import LLMFailure, classify, kind_for_status

PROBE_TIMEOUT = 10.0  # seconds for the model-list request: it is cheap on every server
TEXT_DIALECT_FIX = ("works, but the server does not parse tool calls itself; vLLM: --enable-auto-tool-choice "
                    "--tool-call-parser hermes (Qwen) or llama3_json (Llama)")


@dataclass
class Check:
    name: str
    ok: bool | None  # None: skipped because an earlier step failed
    detail: str
    fix: str | None = None


@lru_cache(maxsize=1)
def _probe() -> dict:
    return yaml.safe_load(Path(__file__).with_name("probe.yaml").read_text(encoding="utf-8"))


def _failed(name: str, failure: LLMFailure) -> Check:
    return Check(name, False, failure.describe(), failure.hint)


def list_models(endpoint: Endpoint) -> list[str]:
    """The model ids the endpoint serves (``GET /models``, or Ollama's ``GET /api/tags``). Raises LLMFailure."""
    path = "/models" if endpoint.provider == "openai" else "/api/tags"
    headers = {"Authorization": f"Bearer {endpoint.api_key}"} if endpoint.api_key else {}
    try:
        r = httpx.get(endpoint.base_url + path, headers=headers, timeout=min(endpoint.timeout, PROBE_TIMEOUT))
    except httpx.HTTPError as exc:
        raise classify(exc) or LLMFailure("unreachable", type(exc).__name__) from None
    if r.status_code >= 400:
        kind = kind_for_status(r.status_code, r.text)
        raise LLMFailure("unreachable" if kind == "model_not_found" else kind, f"HTTP {r.status_code} on GET {path}")
    try:
        body = r.json()
        return [m["id"] for m in body["data"]] if endpoint.provider == "openai" else [m["name"] for m in body["models"]]
    except (ValueError, KeyError, TypeError):
        raise LLMFailure("bad_response", f"GET {path} did not return a model list") from None


def _model_check(endpoint: Endpoint, served: list[str]) -> Check:
    names = {endpoint.model, f"{endpoint.model}:latest"}
    if names & set(served):
        return Check("model", True, f"{endpoint.model} is served")
    near = difflib.get_close_matches(endpoint.model, served, n=1, cutoff=0.3) or served[:1]
    fix = f"set HARDTECH_LLM={endpoint.provider}:{near[0]}" if near else "load a model on the server"
    return Check("model", False, f"{endpoint.model} is not served; the endpoint serves: {', '.join(served) or 'nothing'}", fix)


def _tool_call_check(client: Client) -> Check:
    from .agent import system_prompt
    from .toolbox import langchain_tools

    probe = _probe()
    try:
        message = client.complete([SystemMessage(content=system_prompt()), HumanMessage(content=probe["question"])],
                                  tools=langchain_tools())
    except LLMFailure as failure:
        return _failed("tool_call", failure)
    turn = read_turn(message)
    for call in turn.calls:
        if call.name in TOOLS:
            try:
                TOOLS[call.name][1].model_validate(call.args)
            except ValidationError:
                continue
            text_dialect = turn.dialect not in ("openai", "ollama")
            return Check("tool_call", True, f"called {call.name} with {call.args} ({turn.dialect} format)",
                         TEXT_DIALECT_FIX if text_dialect else None)
    if turn.calls or turn.bad:
        return Check("tool_call", False, "the model tried to call a tool, but not with a valid name and arguments",
                     "use an instruction-tuned model with tool calling (Qwen2.5, Llama 3.1+), or HARDTECH_LLM_MODE=parser")
    return Check("tool_call", False, "the model answered without calling a tool",
                 "use a model trained for tool calling (Qwen2.5-Instruct, Llama 3.1+), or HARDTECH_LLM_MODE=parser")


def _structured_check(client: Client) -> Check:
    from .parser import read_frame

    probe = _probe()
    try:
        frame = read_frame(probe["question"], [], client)
    except LLMFailure as failure:
        return _failed("structured_output", failure)
    except ValidationError as exc:
        return Check("structured_output", False, f"the reply did not match the frame's JSON schema ({exc.errors()[0]['msg']})",
                     "serve the model with guided decoding (vLLM), or Ollama 0.5 or later; or set HARDTECH_LLM_MODE=agent")
    if probe["entity"] not in frame.entities:
        return Check("structured_output", False, f"the frame misses the question's city (read: {frame.summary()})",
                     "use a larger model, or set HARDTECH_LLM_MODE=agent")
    return Check("structured_output", True, f"read the question as {frame.operation} of {', '.join(frame.entities)}")


def check(spec: Any = None) -> dict:
    """Every step against the configured (or given) endpoint; ``ok`` is true only if all pass."""
    spec = spec or get_settings().llm
    if not spec:
        return {"ok": False, "endpoint": None, "checks": [asdict(Check(
            "configured", False, "no language model is configured (answers are offline)",
            "set HARDTECH_LLM=openai:<model> with HARDTECH_LLM_BASE_URL, or HARDTECH_LLM=ollama:<model>"))]}
    try:
        endpoint = Endpoint.from_spec(spec)
    except LLMConfigError as exc:
        return {"ok": False, "endpoint": None, "checks": [asdict(Check("configured", False, str(exc), LLMConfigError.hint))]}
    checks = [Check("configured", True, f"{endpoint.describe()} (mode: {get_settings().llm_mode})")]
    try:
        served = list_models(endpoint)
        checks.append(Check("endpoint", True, f"{endpoint.base_url} answers ({len(served)} models)"))
        checks.append(_model_check(endpoint, served))
    except LLMFailure as failure:
        checks += [_failed("endpoint", failure), Check("model", None, "skipped: the endpoint did not answer")]
    if all(c.ok for c in checks):
        # a private breaker: the check must reach the endpoint whatever the process's breaker says
        client = Client(endpoint.chat_model(), endpoint=endpoint, breaker=Breaker(failures=1000, cooldown=0))
        checks += [_tool_call_check(client), _structured_check(client)]
    else:
        checks += [Check(n, None, "skipped: the endpoint or model is not available") for n in ("tool_call", "structured_output")]
    return {"ok": all(c.ok for c in checks), "endpoint": endpoint.describe(), "checks": [asdict(c) for c in checks]}


def health() -> dict:
    """The LLM's readiness for ``/readyz``: optional, so never fatal. ``status`` is ``off`` (not
    configured), ``ok``, or ``degraded`` (with ``error`` and ``hint``); answers stay available offline."""
    s = get_settings()
    if not s.llm:
        return {"status": "off", "required": False, "configured": False}
    out: dict[str, Any] = {"required": False, "configured": True, "mode": s.llm_mode}
    try:
        endpoint = Endpoint.from_spec(s.llm)
    except LLMConfigError as exc:
        return {**out, "status": "degraded", "error": str(exc), "hint": LLMConfigError.hint}
    breaker = breaker_for(endpoint.key).status()
    out.update(endpoint=endpoint.describe(), breaker=breaker["state"])
    try:
        served = list_models(endpoint)
    except LLMFailure as failure:
        return {**out, "status": "degraded", "reachable": False, "error": failure.describe(), "hint": failure.hint}
    model = _model_check(endpoint, served)
    out.update(reachable=True, model_found=bool(model.ok))
    if not model.ok:
        return {**out, "status": "degraded", "error": model.detail, "hint": model.fix}
    if breaker["state"] != "closed":
        last = breaker["last_failure"] or {}
        return {**out, "status": "degraded", "error": f"circuit breaker {breaker['state']}: {last.get('message', '')}",
                "hint": last.get("hint")}
    return {**out, "status": "ok"}
