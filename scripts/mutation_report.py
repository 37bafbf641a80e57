"""Per-module mutation table from the last ``mutmut run`` (read from ``mutants/*.meta``).

A mutant is *killed* when a test failed or timed out on it (a mutant that hangs is caught).
Mutants listed in scripts/mutation-equivalents.md (each with why) cannot be killed by any
test (equivalent, or never run under mutmut's model), so the score is reported both raw
and without them.
Exit status 1 when a module scores under the goal (85%, equivalents excluded)."""
from __future__ import annotations

import json
import re
from fnmatch import fnmatch
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL = 0.85
KILLED = {1: "killed", 3: "killed", 36: "timeout", -24: "timeout", 24: "timeout", 152: "timeout", 255: "timeout"}


def status(code: int | None) -> str:
    if code is None:
        return "not checked"
    if code in KILLED:
        return KILLED[code]
    return {0: "survived", 5: "no tests", 33: "no tests"}.get(code, "suspicious")


def equivalents() -> list[str]:
    """Names (or fnmatch patterns such as ``pkg.mod.x_f__mutmut_*``) listed in the file."""
    text = (ROOT / "scripts" / "mutation-equivalents.md").read_text(encoding="utf-8")
    return re.findall(r"^- `([\w.*]+__mutmut_[\d*]+)`", text, re.M)


def main() -> int:
    files = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]["only_mutate"]
    equivalent = equivalents()
    rows, survivors, ok = [], [], True
    for path in files:
        meta = ROOT / "mutants" / f"{path}.meta"
        if not meta.is_file():
            rows.append((path, "-", "-", "-", "-", "-", "-"))
            continue
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        counts = Counter(status(c) for c in codes.values())
        killed = counts["killed"] + counts["timeout"]
        total = len(codes)
        alive = sorted(k for k, c in codes.items() if status(c) not in ("killed", "timeout"))
        eq = [k for k in alive if any(fnmatch(k, pattern) for pattern in equivalent)]
        survivors += [(k, status(codes[k])) for k in alive if k not in eq]
        score = killed / (total - len(eq)) if total > len(eq) else 1.0
        ok &= score >= GOAL
        rows.append((path, str(killed), str(total), f"{killed / total:.0%}" if total else "-", str(len(eq)),
                     f"{score:.0%}", str(total - killed - len(eq))))
    head = ("module", "killed", "total", "raw", "equivalent", "score", "left")
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    for r in [head, tuple("-" * w for w in widths), *rows]:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
    if survivors:
        print(f"\n{len(survivors)} surviving mutants not listed as equivalent (mutmut show NAME):")
        for name, st in survivors:
            print(f"  {name}  [{st}]")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
