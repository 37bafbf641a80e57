"""The assistant's tools as the model sees them: LangChain tool objects to bind, their JSON
schemas, and the replies to calls, including the structured errors that let a model retry.

A wrong call is never guessed into a right one. Its reply names the problem, offers
"did you mean" (tool names; edition ids; entity names from the core's registry), and
carries the schemas of the tools concerned, so the next attempt can be correct.
"""
from __future__ import annotations

import difflib
import json
import re
from functools import lru_cache
from typing import Any

from index_core import io

from ..envelope import Citation
from ..tools import TOOLS, ToolRunner, result_json
from .dialects import BadCall, Call


@lru_cache(maxsize=1)
def schemas() -> dict[str, dict]:
    """tool name -> {"description", "parameters"} (JSON schema of the arguments)."""
    out = {}
    for name, (_, model, desc) in TOOLS.items():
        params = model.model_json_schema()
        params.pop("title", None)
        for prop in params.get("properties", {}).values():
            prop.pop("title", None)
        out[name] = {"description": desc, "parameters": params}
    return out


@lru_cache(maxsize=1)
def langchain_tools() -> tuple:
    """The tools for ``bind_tools``: schemas only; the agent runs the calls itself."""
    from langchain_core.tools import StructuredTool

    return tuple(StructuredTool.from_function(func=_never_called, name=name, description=desc, args_schema=model)
                 for name, (_, model, desc) in TOOLS.items())


def _never_called(**_: Any) -> None:  # the agent executes calls through the ToolRunner
    raise RuntimeError("tools are run by the agent, not by LangChain")


def _did_you_mean(value: Any, options: list[str]) -> list[str]:
    if not isinstance(value, str) or not value:
        return []
    return difflib.get_close_matches(value, options, n=3, cutoff=0.5)


def _enrich(name: str, args: dict, error: dict) -> dict:
    """Add what a model needs to fix the call: suggestions and the tool's schema."""
    if error.get("code") in ("invalid_arguments", "unknown_edition") and "edition" in args:
        if args["edition"] not in io.edition_ids():
            error["did_you_mean"] = _did_you_mean(str(args["edition"]), io.edition_ids()) or io.edition_ids()
    if error.get("suggestions"):
        error.setdefault("did_you_mean", error["suggestions"])
    error["schema"] = {name: schemas()[name]}
    error.setdefault("hint", "Call the tool again with arguments that match its schema.")
    return error


def unknown_tool_error(name: str | None) -> dict:
    return {"error": {
        "code": "unknown_tool",
        "message": f"There is no tool named {name!r}." if name else "The call names no tool.",
        "did_you_mean": _did_you_mean(name or "", list(TOOLS)),
        "hint": "Call one of these tools, with arguments matching its schema.",
        "tools": schemas(),
    }}


def bad_call_error(bad: BadCall) -> dict:
    """The reply to a call that could not be read at all (broken JSON, wrong shape)."""
    known = bad.name in TOOLS
    return {"error": {
        "code": "malformed_tool_call",
        "message": f"The call{' to ' + repr(bad.name) if bad.name else ''} could not be read: {bad.error}.",
        "hint": "Call again with a JSON object of arguments matching the schema, e.g. "
                '{"name": "scores", "arguments": {"edition": "<edition id>", "entity": "深圳"}}.',
        "tools": {bad.name: schemas()[bad.name]} if known else schemas(),
    }}


class Book:
    """Passages returned by search tools, numbered for citation as [n]."""

    def __init__(self) -> None:
        self.items: list[dict] = []

    def add(self, hit: dict) -> int:
        for i, h in enumerate(self.items, start=1):
            if h["source_file"] == hit["source_file"] and list(h["lines"]) == list(hit["lines"]):
                return i
        self.items.append(hit)
        return len(self.items)

    def citations(self, answer: str) -> list[Citation]:
        used = {int(n) for grp in re.findall(r"\[(\d+(?:\s*[,，]\s*\d+)*)\]", answer) for n in re.split(r"[,，]\s*", grp)}
        return [Citation(id=f"c{i}", source_file=h["source_file"], lines=(h["lines"][0], h["lines"][-1]),
                         doc_title=h.get("doc_title") or "", section=h.get("section"), quote=(h.get("text") or "")[:400])
                for i, h in enumerate(self.items, start=1) if i in used]

    def sources(self) -> list[dict]:
        """The passages as the verifier's citation sources."""
        return [{"id": f"c{i}", "quote": h.get("text"), "text": [h.get("doc_title"), h.get("section")]}
                for i, h in enumerate(self.items, start=1)]


class Toolbox:
    """Runs the model's calls through one :class:`ToolRunner` (so the verifier sees every result)."""

    def __init__(self, runner: ToolRunner) -> None:
        self.runner = runner
        self.book = Book()
        self.seen: set[str] = set()

    @property
    def succeeded(self) -> int:
        """How many calls returned data (not an error)."""
        return sum(1 for c in self.runner.calls if isinstance(c.result, dict) and "error" not in c.result)

    def run(self, call: Call) -> tuple[str, bool]:
        """(reply for the model, whether the call returned data). Repeats are refused."""
        key = f"{call.name}:{json.dumps(call.args, sort_keys=True, ensure_ascii=False)}"
        if key in self.seen:
            return json.dumps({"error": {"code": "repeated_call", "message": "This exact call was already made; its result is above.",
                                         "hint": "Do not repeat calls. Answer from the results you have."}}), False
        self.seen.add(key)
        if call.name not in TOOLS:
            return json.dumps(unknown_tool_error(call.name), ensure_ascii=False), False
        cid, result = self.runner.call(call.name, **call.args)
        if "error" in result:
            result["error"] = _enrich(call.name, call.args, dict(result["error"]))
            return result_json({"tool_call_id": cid, **result}), False
        if call.name == "search_passages":
            for hit in result.get("results", []):
                hit["cite"] = self.book.add(hit)
        return result_json({"tool_call_id": cid, **result}), True
