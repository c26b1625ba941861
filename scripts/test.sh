#!/usr/bin/env bash
# Runs the whole test suite in .venv/ (setting it up first when needed).
# Extra arguments go to pytest, e.g. scripts/test.sh -k cadence
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/test_services.sh
export FORMCHECK_CACHE_DIR="${FORMCHECK_CACHE_DIR:-$PWD/.cache}"
exec .venv/bin/python -m pytest -n "${FORMCHECK_TEST_WORKERS:-2}" --dist loadgroup "$@"
