"""Write the evaluation report: ``summary.json`` and a self-contained ``report.html``
(inline CSS, an inline SVG bar chart of accuracy by category; no external assets).
Files are written atomically (temporary file in the same folder + ``os.replace``)."""
from __future__ import annotations

import html
import json
import os
import tempfile
from pathlib import Path
from typing import Any


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def to_json(summary: dict) -> str:
    return json.dumps(summary, ensure_ascii=False, indent=2, default=str) + "\n"


def write_report(summary: dict, directory: str | Path) -> dict[str, Path]:
    d = Path(directory)
    paths = {"json": d / "summary.json", "html": d / "report.html"}
    write_atomic(paths["json"], to_json(summary))
    write_atomic(paths["html"], render_html(summary))
    return paths


# ---------------------------------------------------------------------------- HTML

_CSS = """
body{font:14px/1.5 -apple-system,"Segoe UI","PingFang SC","Noto Sans CJK SC",sans-serif;margin:2rem;color:#1d2330;background:#fbfbfd}
h1{font-size:1.5rem;margin:0 0 .3rem}h2{font-size:1.15rem;margin:2rem 0 .5rem;border-bottom:1px solid #dde;padding-bottom:.2rem}
h3{font-size:1rem;margin:1.2rem 0 .4rem}
table{border-collapse:collapse;margin:.4rem 0 1rem;background:#fff}th,td{border:1px solid #dde;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f0f2f7}td.num{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:#137333;font-weight:600}.bad{color:#b3261e;font-weight:600}.muted{color:#667}
.cards{display:flex;flex-wrap:wrap;gap:.8rem}.card{background:#fff;border:1px solid #dde;border-radius:6px;padding:.6rem .9rem;min-width:9rem}
.card b{display:block;font-size:1.3rem}
details{background:#fff;border:1px solid #dde;border-radius:6px;margin:.5rem 0;padding:.4rem .8rem}
summary{cursor:pointer}pre{white-space:pre-wrap;word-break:break-word;background:#f6f7fa;padding:.5rem;border-radius:4px;max-height:30rem;overflow:auto}
.tag{display:inline-block;background:#eef;border-radius:3px;padding:0 .35rem;margin-right:.3rem;font-size:.85em}
"""


def _e(x: Any) -> str:
    return html.escape("" if x is None else str(x))


def _fmt_rate(v: Any) -> str:
    return "–" if v is None else f"{100 * float(v):.1f}%"


def bar_chart_svg(rows: list[tuple[str, float | None, int]], title: str = "Accuracy by category") -> str:
    """Horizontal bars, one per (label, rate 0..1, n). Pure SVG, no script."""
    rows = [r for r in rows if r[1] is not None]
    bar_h, gap, left, width = 18, 6, 230, 360
    height = 30 + len(rows) * (bar_h + gap) + 20
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{_e(title)}" width="{left + width + 90}" '
           f'height="{height}" viewBox="0 0 {left + width + 90} {height}" font-family="sans-serif" font-size="12">',
           f'<text x="0" y="16" font-weight="bold">{_e(title)}</text>']
    for pct in (0, 0.5, 0.95, 1.0):
        x = left + pct * width
        out.append(f'<line x1="{x:.1f}" y1="24" x2="{x:.1f}" y2="{height - 18}" stroke="#ccd" stroke-dasharray="{"0" if pct in (0, 1) else "3,3"}"/>'
                   f'<text x="{x:.1f}" y="{height - 5}" text-anchor="middle" fill="#667">{int(pct * 100)}%</text>')
    for i, (label, rate, n) in enumerate(rows):
        y = 28 + i * (bar_h + gap)
        w = max(0.0, min(1.0, float(rate))) * width
        color = "#2e7d32" if rate >= 0.999 else ("#f9a825" if rate >= 0.95 else "#c62828")
        out.append(f'<text x="{left - 8}" y="{y + 13}" text-anchor="end">{_e(label)}</text>'
                   f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{color}"><title>{_e(label)}: '
                   f'{100 * rate:.1f}% of {n}</title></rect>'
                   f'<text x="{left + w + 6:.1f}" y="{y + 13}">{100 * rate:.1f}% (n={n})</text>')
    out.append("</svg>")
    return "".join(out)


def _category_rows(summary: dict) -> list[tuple[str, float | None, int]]:
    rows = []
    for suite, s in summary.get("by_suite", {}).items():
        if isinstance(s, dict) and "by_category" in s:
            for cat, c in s["by_category"].items():
                rows.append((f"{suite} · {cat}", c["pass_rate"], c["total"]))
        elif suite == "retrieval" and isinstance(s, dict) and isinstance(s.get("overall"), dict):
            for k in ("hit@1", "hit@5"):
                if s["overall"].get(k) is not None:
                    rows.append((f"retrieval · {k}", s["overall"][k], s["overall"].get("n", 0)))
    return rows


_METRIC_COLS = (("items", "total"), ("passed", "passed"), ("pass rate", "pass_rate"), ("numeric accuracy", "numeric_accuracy"),
                ("citation hit rate", "citation_hit_rate"), ("unverified numbers", "unverified_numbers"))
_SPLIT_NAMES = {"dev": "dev (tuned on)", "heldout": "held-out (never tuned on)"}


def _metrics_table(first: str, rows: list[tuple[str, dict]]) -> str:
    """One row per (label, metrics) with the shared metric columns (rates as percentages)."""
    head = "".join(f"<th>{_e(h)}</th>" for h, _ in _METRIC_COLS)
    body = []
    for label, m in rows:
        cells = "".join(f"<td class=num>{_fmt_rate(m.get(k)) if k.endswith(('rate', 'accuracy')) else _e(m.get(k))}</td>"
                        for _, k in _METRIC_COLS)
        body.append(f"<tr><td>{_e(label)}</td>{cells}</tr>")
    return f"<table><tr><th>{_e(first)}</th>{head}</tr>{''.join(body)}</table>"


def _suite_section(suite: str, s: dict) -> str:
    if isinstance(s, dict) and "by_category" in s:
        split = s.get("split", "dev")
        p = [f"<h2>Suite: {_e(suite)} <span class=tag>{_e(_SPLIT_NAMES.get(split, split))}</span></h2>"]
        if split == "heldout":
            p.append("<p class=muted>Held-out: aggregate and per-category scores only.</p>")
        p.append(_metrics_table("category", list(s["by_category"].items())))
        p.append(_metrics_table("language", list(s.get("by_lang", {}).items())))
        return "".join(p)
    p = [f"<h2>Suite: {_e(suite)}</h2>"]
    if isinstance(s, dict) and "error" in s:
        p.append(f"<p class=bad>{_e(s['error'])}</p>")
    elif isinstance(s, dict):
        p.append("<table><tr><th>slice</th><th>n</th><th>hit@1</th><th>hit@5</th><th>MRR</th></tr>")
        slices = [("overall", s.get("overall", {}))]
        slices += [(f"lang {k}", v) for k, v in (s.get("by_lang") or {}).items()]
        slices += [(f"doc {k}", v) for k, v in (s.get("by_doc") or {}).items()]
        for name, v in slices:
            p.append(f"<tr><td>{_e(name)}</td><td class=num>{_e(v.get('n'))}</td><td class=num>{_fmt_rate(v.get('hit@1'))}</td>"
                     f"<td class=num>{_fmt_rate(v.get('hit@5'))}</td><td class=num>{_e(v.get('mrr'))}</td></tr>")
        p.append("</table>")
        misses = s.get("misses") or []
        if misses:
            p.append(f"<details><summary>{len(misses)} retrieval misses (not in top 5)</summary><pre>"
                     + _e(json.dumps(misses, ensure_ascii=False, indent=1)) + "</pre></details>")
    return "".join(p)


def _failure(f: dict) -> str:
    tags = "".join(f"<span class=tag>{_e(t)}</span>" for t in (f.get("mode"), f["suite"], f["category"]) if t)
    p = [f"<details><summary>{tags}<b>{_e(f['id'])}</b> {_e(f['question'])}</summary>"]
    if f.get("history"):
        p.append("<h3>History</h3><pre>" + _e("\n".join(f"{h['role']}: {h['content']}" for h in f["history"])) + "</pre>")
    p.append("<h3>Why it failed</h3><ul>" + "".join(f"<li>{_e(r)}</li>" for r in f.get("reasons", [])) + "</ul>")
    p.append("<h3>Expected</h3><pre>" + _e(json.dumps(f["expected"], ensure_ascii=False, indent=1)) + "</pre>")
    p.append("<h3>Got</h3><pre>" + _e(f.get("got")) + "</pre>")
    p.append("<h3>Envelope</h3><pre>" + _e(json.dumps(f.get("envelope"), ensure_ascii=False, indent=1, default=str)) + "</pre>")
    p.append("</details>")
    return "".join(p)


def render_html(summary: dict) -> str:
    gates = summary.get("gates", {})
    p = []
    p.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
             "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
             f"<title>hardtech eval report</title><style>{_CSS}</style></head><body>")
    verdict = gates.get("ok")
    p.append(f"<h1>hardtech eval <span class=\"{'ok' if verdict else 'bad'}\">{'PASS' if verdict else 'FAIL'}</span></h1>")
    run = summary.get("run", {})
    p.append(f"<p class=\"muted\">target: {_e(summary.get('target'))} · " + " · ".join(f"{_e(k)}: {_e(v)}" for k, v in run.items()) + "</p>")
    splits = summary.get("splits", {})
    cards = [(f"{_SPLIT_NAMES.get(name, name)} pass rate", _fmt_rate(m.get("pass_rate"))) for name, m in splits.items()]
    cards += [("dev numeric accuracy", _fmt_rate(summary.get("numeric_accuracy"))),
              ("dev citation hit rate", _fmt_rate(summary.get("citation_hit_rate"))),
              ("dev routing accuracy", _fmt_rate(summary.get("routing_accuracy"))),
              ("unverified numbers (all)", summary.get("unverified_numbers")),
              ("latency p50", f"{summary.get('latency_ms', {}).get('p50')} ms"),
              ("latency p95", f"{summary.get('latency_ms', {}).get('p95')} ms")]
    p.append("<div class=\"cards\">" + "".join(f"<div class=\"card\">{_e(k)}<b>{_e(v)}</b></div>" for k, v in cards) + "</div>")
    if splits:
        p.append("<h2>Dev and held-out</h2>")
        p.append(_metrics_table("split", [(_SPLIT_NAMES.get(k, k), m) for k, m in splits.items()]))

    p.append("<h2>Gates</h2><table><tr><th>gate</th><th>limit</th><th>measured</th><th>result</th></tr>")
    for name, g in gates.get("checks", {}).items():
        p.append(f"<tr><td>{_e(name)}</td><td class=num>{_e(g['limit'])}</td><td class=num>{_e(g['value'])}</td>"
                 f"<td class=\"{'ok' if g['ok'] else 'bad'}\">{'ok' if g['ok'] else 'missed'}</td></tr>")
    p.append("</table>")

    if summary.get("modes"):
        p.append("<h2>Offline vs LLM mode</h2>")
        p.append(_metrics_table("suite · mode", [(f"{suite} · {mode}", m) for suite, by_mode in summary["modes"].items()
                                                 for mode, m in by_mode.items()]))

    p.append("<h2>Accuracy by category</h2>")
    p.append(bar_chart_svg(_category_rows(summary)))
    p += [_suite_section(suite, s) for suite, s in summary.get("by_suite", {}).items()]

    fails = summary.get("failures", [])
    p.append(f"<h2>Failures ({len(fails)})</h2>")
    if summary.get("heldout_hidden"):
        p.append(f"<p class=muted>{summary['heldout_hidden']} held-out failures are not listed: held-out items stay hidden "
                 "until development is frozen (<code>hardtech eval --reveal-heldout</code>).</p>")
    if not fails:
        p.append("<p class=ok>None.</p>")
    p += [_failure(f) for f in fails]
    p.append("</body></html>\n")
    return "".join(p)
