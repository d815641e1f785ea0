#!/usr/bin/env bash
# Set up (if needed) and run the whole test suite: unit tests, doctests, notebooks.
#   bash scripts/test.sh [pytest arguments]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TEACHGRAD_TEST_DEPS=1 bash "$root/scripts/setup.sh"
cd "$root"
exec .venv/bin/python -m pytest "$@"
