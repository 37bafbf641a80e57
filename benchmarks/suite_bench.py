"""The README's test command, timed: wall time of ``pytest`` and pytest's own figure, with
the slowest tests, beside the machine's load (the row's reference is the machine itself).

    python benchmarks/suite_bench.py [-- extra pytest args]

Goal: under 150 s of pytest on an idle machine, losing no real coverage. Run it on a quiet
machine: the suite shares the cores with whatever else runs. Writes benchmarks/results/suite.json.
"""
from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_S = 150.0


def main() -> None:
    extra = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else []
    load_before = os.getloadavg()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--durations=15", *extra],
                       cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    tail = p.stdout.strip().splitlines()[-1] if p.stdout.strip() else ""
    m = re.search(r"in ([\d.]+)s", tail)
    slowest = [ln.strip() for ln in p.stdout.splitlines() if re.match(r"^\s*[\d.]+s (call|setup|teardown)", ln)]
    report = {"exit_code": p.returncode, "summary": tail, "pytest_s": float(m.group(1)) if m else None,
              "wall_s": round(wall, 1), "cpu_s": round(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, 1),
              "load_average_before": load_before, "load_average_after": os.getloadavg(), "goal_s": GOAL_S,
              "slowest": slowest}
    out = ROOT / "benchmarks" / "results" / "suite.json"
    out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(f"pytest: {tail}")
    print(f"wall {report['wall_s']} s, CPU {report['cpu_s']} s (children), load {load_before} -> {report['load_average_after']}; "
          f"goal < {GOAL_S} s of pytest on an idle machine")
    for s in slowest[:10]:
        print("  ", s)
    sys.exit(p.returncode)


if __name__ == "__main__":
    main()
