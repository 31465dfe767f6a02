#!/usr/bin/env bash
# `make test`: set up, lint, then the whole suite on two workers (pytest-xdist; a test
# module, or all the tests of one slow peer, stay on one worker: tests/conftest.py).
# Each step's wall time goes to pytest, which prints it with the tiers' at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
WORKERS=${CMDB_TEST_WORKERS:-2}
steps=""

timed() {  # NAME COMMAND...: run it, and add "NAME N s" to the steps
  local name=$1 start=$SECONDS
  shift
  "$@"
  steps+="${steps:+; }$name $((SECONDS - start)) s"
}

timed setup make --no-print-directory venv system-deps translations
timed lint make --no-print-directory lint
# Compiled modules are kept (__pycache__, ignored by git) even where the environment says
# not to write them: without them every worker and every `cmdb` process a test starts
# compiles the project again, and pytest rewrites every test module's asserts again
# (collection 3.5 → 1.8 s a process).
export PYTHONDONTWRITEBYTECODE=
# pytest's closing line stays the last line of the output: CI reads it.
CMDB_TEST_STEP_TIMES="$steps" exec "$BIN/pytest" -n "$WORKERS" --dist loadgroup --no-loadscope-reorder "$@"
