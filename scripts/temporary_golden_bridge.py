"""TEMPORARY (delete with tests/temporary_plan_bridge.py): score the dev golden set through the
new answerer (tests/test_assistant_golden.py's checks) beside the old planner + composer.

    python scripts/temporary_golden_bridge.py [--only ID] [--show] [--failures]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import answer_offline  # noqa: E402
from assistant.offline.answers import concepts  # noqa: E402
from tests.answer_frames import FIXTURE_CONCEPTS  # noqa: E402
from tests.test_assistant_golden import ITEMS, _history, envelope, problems_with  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only")
    ap.add_argument("--show", action="store_true")
    ap.add_argument("--failures", action="store_true")
    args = ap.parse_args()
    if not any(concepts.CONCEPTS_DIR.glob("*.yaml")):
        concepts.CONCEPTS_DIR = FIXTURE_CONCEPTS
    items = [i for i in ITEMS if not args.only or args.only in i["id"]]
    old_ok = new_ok = 0
    for item in items:
        old = problems_with(item, answer_offline(item["question"], _history(item)))
        try:
            env = envelope(item)
            new = problems_with(item, env)
        except Exception as exc:  # a development script: show every failure and go on
            env, new = None, [f"{type(exc).__name__}: {exc}"]
        old_ok += not old
        new_ok += not new
        if new and (args.failures or args.show):
            print(f"FAIL {item['id']}: {'; '.join(new)}")
        if args.show and env is not None:
            print(f"  Q: {item['question']}\n  route: {env.frame['route']} {env.frame.get('fallback')}\n  "
                  + env.answer.replace("\n", "\n  "))
    print(f"golden dev set: old planner+composer {old_ok}/{len(items)}, new answerer {new_ok}/{len(items)}")


if __name__ == "__main__":
    main()
