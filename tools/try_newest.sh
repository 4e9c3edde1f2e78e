#!/usr/bin/env bash
# Run the test suite against the newest releases pyproject.toml allows, the lock ignored: what the next
# `uv pip compile --upgrade` would bring, and what it would break, before anyone refreshes the lock.
#
# Usage: tools/try_newest.sh [PYTEST ARGS...]     (a scratch venv under $TMPDIR, removed afterwards)
# Env:   PYTHON=python3.11   the interpreter to make the venv with
#        EXTRA="PySide6-Essentials==6.12.0"   releases to try past a cap (installed after the rest)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
venv=$(mktemp -d "${TMPDIR:-/tmp}/custdesk-newest.XXXXXX")
trap 'rm -rf "$venv"' EXIT
"$PYTHON" -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade --upgrade-strategy eager -e ".[test]"
if [ -n "${EXTRA:-}" ]; then
    # Past pyproject.toml's caps on purpose: pip warns that custdesk asks otherwise, and goes on.
    # shellcheck disable=SC2086
    "$venv/bin/python" -m pip install -q $EXTRA || true
fi
echo "=== releases that differ from requirements/lock.txt"
"$venv/bin/python" tools/check_lock.py 2>&1 | sed -n 's/^lock: //p' || true
echo "=== the suite"
"$venv/bin/python" -m pytest -q -p no:cacheprovider "$@"
