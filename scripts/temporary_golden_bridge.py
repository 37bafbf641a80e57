"""TEMPORARY (delete with tests/temporary_plan_bridge.py): score the dev golden set through the
new handlers (old planner -> bridge -> Frame -> assistant.offline.answer) beside the old composer.

    python scripts/temporary_golden_bridge.py [--only ID] [--show] [--failures]

Each item is checked like tests/test_assistant_golden.py (numbers, tools, citation, strings,
verifier), except the planner-intent label, which the frame replaces.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from assistant import answer_offline  # noqa: E402
from assistant.offline import answer  # noqa: E402
from assistant.verify import extract_claims, verify  # noqa: E402
from tests.temporary_plan_bridge import frame_from_plan  # noqa: E402


def history(item):
    return [{"role": "user", "content": h} if isinstance(h, str) else h for h in item.get("history") or []]


def problems(item, env) -> list[str]:
    out = []
    if env.language != item["lang"]:
        out.append(f"language {env.language}")
    claims = extract_claims(env.answer)
    for exp in item.get("expected_numbers") or []:
        tol = exp.get("tol", 0.005)
        if not any(abs(c.value - exp["value"]) <= tol for c in claims):
            out.append(f"number {exp['value']} not in answer")
        elif not any(abs(n.value - exp["value"]) <= tol for n in env.numbers):
            out.append(f"number {exp['value']} not in numbers")
    names = [t.name for t in env.tool_calls]
    out += [f"tool {t} not called" for t in item.get("expected_tools") or [] if not set(t.split("|")) & set(names)]
    if item.get("expected_tools") == [] and names:
        out.append(f"expected no tools, got {names}")
    ec = item.get("expected_citation")
    if ec:
        a, b = ec["lines"]
        if not any(c.source_file == ec["source_file"] and c.lines[0] <= b and a <= c.lines[1] for c in env.citations):
            out.append(f"no citation {ec['source_file'][:3]} {a}-{b}: {[(c.source_file[:3], c.lines) for c in env.citations]}")
    out += [f"missing {s!r}" for s in item.get("must_contain") or []
            if not any(a in env.answer for a in (s if isinstance(s, list) else [s]))]
    out += [f"contains {s!r}" for s in item.get("must_not_contain") or [] if s in env.answer]
    rep = verify(env.answer, env.tool_calls, [{"id": c.id, "quote": c.quote, "text": [c.doc_title, c.section]} for c in env.citations])
    if not rep.ok:
        out.append(f"unverified: {rep.describe()}")
    out += [w for w in env.warnings if w.startswith("unverified")]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only")
    ap.add_argument("--show", action="store_true")
    ap.add_argument("--failures", action="store_true")
    ap.add_argument("--file", default=str(ROOT / "assistant" / "golden.yaml"))
    args = ap.parse_args()
    items = yaml.safe_load(Path(args.file).read_text(encoding="utf-8"))["items"]
    if args.only:
        items = [i for i in items if args.only in i["id"]]
    old_ok = new_ok = 0
    for item in items:
        h = history(item)
        old = problems(item, answer_offline(item["question"], h))
        try:
            frame = frame_from_plan(item["question"], h)
            env = answer(frame)
            new = problems(item, env)
        except Exception as exc:  # a development script: show every failure and go on
            env, new = None, [f"{type(exc).__name__}: {exc}"]
        old_ok += not old
        new_ok += not new
        if new and (args.failures or args.show):
            print(f"FAIL {item['id']}: {'; '.join(new)}")
        if args.show and env is not None:
            print(f"  Q: {item['question']}\n  route: {env.frame['route']} {env.frame.get('fallback')}\n  " + env.answer.replace("\n", "\n  "))
    print(f"golden dev set: old composer {old_ok}/{len(items)}, new handlers via bridge {new_ok}/{len(items)}")


if __name__ == "__main__":
    main()
