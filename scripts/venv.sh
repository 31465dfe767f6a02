#!/usr/bin/env bash
# venv.sh PYTHON VENV: the virtualenv with a current pip (step 1 of `make demo`).
# Why not a plain `python -m venv`: its ensurepip installs and byte-compiles the bundled
# pip, which the next command replaces anyway — 7 s of a cold start under load (issue 16).
# So the venv is made without pip and the base interpreter's pip installs a current one into
# it; ensurepip stays the fallback for a base Python without pip (or one older than 22.3,
# which has no --python).
set -euo pipefail

python=$1
venv=$2

if [[ ! -x $venv/bin/python ]]; then
    "$python" -m venv --without-pip "$venv"
fi
if ! "$venv/bin/python" -m pip --version >/dev/null 2>&1; then
    if "$python" -m pip --version >/dev/null 2>&1 &&
        "$python" -m pip --python "$venv/bin/python" install --upgrade pip; then
        exit 0
    fi
    "$venv/bin/python" -m ensurepip
fi
exec "$venv/bin/python" -m pip install --upgrade pip
