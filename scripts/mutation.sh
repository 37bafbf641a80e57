#!/usr/bin/env bash
# Mutation testing of the number verifier, the numeral grammar, the evaluation matcher
# and the scoring core (mutmut 3; configuration in pyproject.toml [tool.mutmut]).
#
#   scripts/mutation.sh            # fresh run, then the per-module table
#   scripts/mutation.sh --resume   # keep mutants/ and finish an interrupted run
#   scripts/mutation.sh --table    # only print the table of the last run
#
# Not part of CI: a tool you run and report (about 10-20 minutes on 2 cores).
# Equivalent survivors are listed, one line each, in scripts/mutation-equivalents.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
MUTMUT=${MUTMUT:-.venv/bin/mutmut}
if [ ! -x "$MUTMUT" ]; then
    echo "mutmut is not installed: run  .venv/bin/pip install -e '.[mutation]'" >&2
    exit 2
fi
mode=${1:-run}
if [ "$mode" != "--table" ]; then
    [ "$mode" = "--resume" ] || rm -rf mutants
    start=$(date +%s)
    # the machine is shared: run below normal priority, one worker per core
    HARDTECH_HOME=${HARDTECH_HOME:-$(mktemp -d)} nice -n 10 "$MUTMUT" run --max-children "$(nproc)" \
        > mutants.log 2>&1 || { tail -40 mutants.log >&2; exit 1; }
    echo "mutmut run: $(( $(date +%s) - start )) s (log: mutants.log)"
fi
"$PY" scripts/mutation_report.py
