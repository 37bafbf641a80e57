"""Run suites against a target and score them.

Targets: :class:`InProcessTarget` (``assistant.ask``, offline by default),
:class:`HttpTarget` (a deployed ``hardtech serve``: ``POST /api/v1/ask``, or the
OpenAI-compatible ``POST /v1/chat/completions``) with concurrency and retries.

An item passes when every expected number is matched (kind and tolerance), every
``must_contain`` term is present, no ``must_not_contain`` term is, the expected tools
were called (when the target reports its tool calls), and, for golden items, a
citation overlaps an expected (file, lines) range (aggregation, the dev/held-out split
and the gates are in :mod:`.summary`). Faithfulness is scored apart:
``unverified_numbers`` counts answer numbers that the assistant's verifier cannot
trace to a tool result or a cited passage (for a remote target: to the envelope's
citation quotes and its ``numbers`` list).
"""
from __future__ import annotations

import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from .items import EvalItem
from .matcher import citation_overlap, contains_term, extract_numbers, match_number, routing_ok
from .summary import DEFAULT_GATES, check_gates, suite_summary, summarise  # noqa: F401  (the summary API, re-exported)

# An empty model spec means "no model": the assistant answers offline even when HARDTECH_LLM is set.
OFFLINE = ""


# ---------------------------------------------------------------------------- targets


@dataclass
class Reply:
    envelope: dict
    latency_ms: float
    error: str | None = None
    tool_results: list[Any] | None = None   # in process only
    unverified: list[str] = field(default_factory=list)
    tools_known: bool = True


def _env_dict(env: Any) -> dict:
    if hasattr(env, "model_dump"):
        return env.model_dump(mode="json")
    return dict(env or {})


class InProcessTarget:
    """``assistant.ask`` in this process: offline, or through the model ``llm`` names
    (``openai:<model>``, ``ollama:<model>``)."""

    concurrency = 1

    def __init__(self, llm: str | None = None) -> None:
        import assistant

        if not hasattr(assistant, "ask"):
            raise RuntimeError("assistant.ask is not available yet (the assistant package does not export ask)")
        self._ask = assistant.ask
        self.llm = llm or None
        self.name = f"in-process ({self.llm or 'offline'})"

    def ask(self, item: EvalItem) -> Reply:
        t = time.perf_counter()
        try:
            env = self._ask(item.question, item.history or None, llm=self.llm or OFFLINE)
        except Exception as exc:  # an exception is a failed item, not a crashed run
            return Reply({}, (time.perf_counter() - t) * 1000, f"{type(exc).__name__}: {exc}")
        ms = (time.perf_counter() - t) * 1000
        d = _env_dict(env)
        calls = list(getattr(env, "tool_calls", []) or [])
        unverified = _verify(d.get("answer", ""), calls, getattr(env, "citations", []) or [], item)
        return Reply(d, ms, None, [getattr(c, "result", None) for c in calls], unverified)


class HttpTarget:
    """A deployed server. ``openai=True`` uses ``/v1/chat/completions``."""

    def __init__(self, base_url: str, api_key: str | None = None, openai: bool = False, concurrency: int = 4,
                 retries: int = 3, timeout: float = 120.0) -> None:
        import httpx

        self.base_url = base_url.rstrip("/")
        self.openai = openai
        self.concurrency = max(1, concurrency)
        self.retries = max(0, retries)
        self.name = f"{self.base_url} ({'openai' if openai else 'ask'})"
        headers = {"Accept": "application/json"}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
            headers["X-API-Key"] = api_key
        self.client = httpx.Client(base_url=self.base_url, headers=headers, timeout=timeout,
                                   limits=httpx.Limits(max_connections=self.concurrency + 2))

    def close(self) -> None:
        self.client.close()

    def _post(self, path: str, body: dict) -> dict:
        import httpx

        delay, last = 0.5, None
        for attempt in range(self.retries + 1):
            try:
                r = self.client.post(path, json=body)
                if r.status_code in (429, 502, 503, 504) and attempt < self.retries:
                    wait = float(r.headers.get("Retry-After") or delay)
                    time.sleep(min(wait, 30))
                    delay *= 2
                    continue
                if r.status_code >= 400:
                    raise RuntimeError(f"HTTP {r.status_code} from {path}: {r.text[:300]}")
                return r.json()
            except (httpx.TransportError, httpx.TimeoutException) as exc:
                last = exc
                if attempt < self.retries:
                    time.sleep(delay)
                    delay *= 2
                    continue
                raise RuntimeError(f"{type(exc).__name__} calling {self.base_url}{path}: {exc}") from None
        raise RuntimeError(f"giving up on {path}: {last}")

    def ask(self, item: EvalItem) -> Reply:
        t = time.perf_counter()
        try:
            if self.openai:
                messages = [{"role": h["role"], "content": h["content"]} for h in item.history]
                messages.append({"role": "user", "content": item.question})
                data = self._post("/v1/chat/completions", {"model": "hardtech", "messages": messages, "stream": False})
                content = data["choices"][0]["message"]["content"] or ""
                env = dict(data.get("hardtech") or {})
                tools_known = "tool_calls" in env
                env.setdefault("citations", data.get("citations", []))
                # the content appends footnotes (quotes) to the answer: match on the answer itself when the
                # server sends the envelope, else on the content
                env["content"] = content
                if not env.get("answer"):
                    env["answer"] = content
            else:
                env = self._post("/api/v1/ask", {"question": item.question, "history": item.history})
                tools_known = "tool_calls" in env
        except Exception as exc:
            return Reply({}, (time.perf_counter() - t) * 1000, str(exc), tools_known=False)
        ms = (time.perf_counter() - t) * 1000
        # remote: trace numbers against the citations' quotes and the envelope's numbers list
        extra = [("numbers", [n.get("value") for n in env.get("numbers", []) if isinstance(n, dict)])]
        unverified = _verify(env.get("answer", ""), [], env.get("citations", []), item, extra)
        return Reply(env, ms, None, None, unverified, tools_known)


def _verify(answer: str, calls: Sequence[Any], citations: Sequence[Any], item: EvalItem,
            extra: list[tuple[str, Any]] | None = None) -> list[str]:
    """Answer numbers the assistant's verifier cannot trace. The question and the
    conversation history count as sources too (numbers the user typed are not claims)."""
    from assistant.verify import verify

    given = [("question", item.question)] + [(f"history{i}", h.get("content", "")) for i, h in enumerate(item.history)]
    # a citation's own title and section path (e.g. "3.2 中国城市硬科技创新排名", "2018年第6期") are provenance
    for c in citations:
        g = c.get if isinstance(c, dict) else (lambda k, d=None, _c=c: getattr(_c, k, d))
        given.append((g("id"), [g("doc_title"), g("section"), g("source_file")]))
    rep = verify(answer or "", calls, citations, extra=given + list(extra or []))
    return [c.text for c in rep.unmatched]


# ---------------------------------------------------------------------------- scoring


def score_item(item: EvalItem, reply: Reply) -> dict:
    env = reply.envelope
    answer = env.get("answer") or ""
    found = extract_numbers(answer)
    nums = []
    for n in item.numbers:
        m = match_number(n, found)
        nums.append({**n.to_dict(), "matched": m.raw if m else None})
    numbers_ok = all(x["matched"] is not None for x, n in zip(nums, item.numbers) if not n.optional)
    missing = [t for t in item.must_contain if not contains_term(answer, t)]
    present = [t for t in item.must_not_contain if contains_term(answer, t)]
    called = [c.get("name", "") for c in env.get("tool_calls", []) if isinstance(c, dict)]
    routing = routing_ok(item.tools, called) if item.tools and reply.tools_known else None
    cites = env.get("citations", []) or []
    citation = citation_overlap(item.citations, cites) if item.citations else None
    checks = {
        "numbers": nums, "numbers_ok": numbers_ok,
        "must_contain_missing": missing, "must_not_contain_present": present,
        "routing_ok": routing, "tools_called": called,
        "citation_ok": citation, "citation_gates": item.citation_gates,
        "unverified": reply.unverified,
    }
    passed = (reply.error is None and numbers_ok and not missing and not present and routing is not False
              and not (citation is False and item.citation_gates))
    reasons = []
    if reply.error:
        reasons.append(f"error: {reply.error}")
    if not numbers_ok:
        reasons.append("numbers not found: " + ", ".join(f"{x['kind']} {x['value']:g}±{x['tolerance']:g}"
                                                          for x in nums if x["matched"] is None))
    if missing:
        reasons.append("missing: " + ", ".join("/".join(t) if isinstance(t, list) else str(t) for t in missing))
    if present:
        reasons.append("must not contain: " + ", ".join(present))
    if routing is False:
        reasons.append(f"tools {item.tools} expected, called {called}")
    if citation is False:
        reasons.append(("citation miss" if item.citation_gates else "citation miss (recorded only)") + f": want {item.citations}")
    return {
        "id": item.id, "suite": item.suite, "category": item.category, "lang": item.lang, "question": item.question,
        "history": item.history, "expected": item.to_dict()["expected"] | {
            "must_contain": item.must_contain, "must_not_contain": item.must_not_contain},
        "got": answer, "envelope": env, "checks": checks, "passed": passed, "reasons": reasons,
        "latency_ms": round(reply.latency_ms, 1), "error": reply.error,
    }


def run_items(items: Sequence[EvalItem], target: Any, progress: bool = True,
              desc: str = "eval", advance: Callable[[int], Any] | None = None) -> list[dict]:
    """Ask every item (concurrently for remote targets) and score it; order is kept.
    ``advance(1)`` is called per item when given (the CLI's progress bar), else a tqdm bar."""
    from tqdm import tqdm

    bar = tqdm(total=len(items), desc=desc, file=sys.stderr, disable=not progress or advance is not None, unit="q", dynamic_ncols=True)
    results: list[dict | None] = [None] * len(items)

    def one(i: int) -> None:
        results[i] = score_item(items[i], target.ask(items[i]))
        (advance or bar.update)(1)

    try:
        if getattr(target, "concurrency", 1) > 1:
            with ThreadPoolExecutor(max_workers=target.concurrency) as pool:
                list(pool.map(one, range(len(items))))
        else:
            for i in range(len(items)):
                one(i)
    finally:
        bar.close()
    return [r for r in results if r is not None]


def run_retrieval(**kwargs: Any) -> dict:
    """The retrieval suite (the retrieval layer's own evaluation), always in process."""
    from assistant.retrieval import evaluate_retrieval

    t = time.perf_counter()
    res = evaluate_retrieval(**kwargs)
    res = json.loads(json.dumps(res, default=str))
    res["elapsed_s"] = round(time.perf_counter() - t, 2)
    return res
