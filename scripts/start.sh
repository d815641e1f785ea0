#!/usr/bin/env bash
# Set up (if needed) and open the tutorial notebooks in JupyterLab.
#   bash scripts/start.sh [JupyterLab arguments]      e.g. --port 9999
# With no notebooks yet, or with --demo, print a short demonstration instead.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
cd "$root"
if [ "${1:-}" = "--demo" ] || ! ls notebooks/*.ipynb >/dev/null 2>&1; then
    exec .venv/bin/python -m teachgrad demo
fi
root_flag=""
[ "$(id -u)" = 0 ] && root_flag="--allow-root"     # JupyterLab refuses root without it
exec .venv/bin/jupyter lab $root_flag "$@" notebooks/
