#!/usr/bin/env bash
# Set up everything teachgrad needs on this machine, then exit.
#   bash scripts/setup.sh [extras]     (extras default: notebooks,dev,bench)
# Makes .venv/ beside this folder and installs teachgrad into it in editable mode
# (drawing included). With TEACHGRAD_TEST_DEPS=1 (scripts/test.sh) it also installs
# what only the tests need: Graphviz's `dot` and Chromium.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
extras="${1:-notebooks,dev,bench}"
cd "$root"

say() { printf '\033[1m[teachgrad]\033[0m %s\n' "$*"; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else return 1; fi
}

apt_install() {   # apt_install PACKAGE...: install with apt-get, or say how and stop
    if command -v apt-get >/dev/null 2>&1 && \
       as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
       as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; then
        return 0
    fi
    say "Could not install $* automatically. Install it yourself, then run this again:"
    case "$(uname -s)" in
        Darwin) say "  brew install $*" ;;
        Linux)  if command -v dnf >/dev/null 2>&1; then say "  sudo dnf install $*"
                elif command -v pacman >/dev/null 2>&1; then say "  sudo pacman -S $*"
                else say "  sudo apt-get install $*"; fi ;;
        *)      say "  see https://graphviz.org/download/ (for graphviz)";;
    esac
    exit 1
}

# 1. Python 3.10 or newer.
PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
    say "teachgrad needs Python 3.10 or newer; '$PYTHON' is $("$PYTHON" --version 2>&1 || echo missing)."
    exit 1
fi

# 2. Drawing needs nothing from the system: pip installs graphviz-pure with teachgrad.
#    The tests also compare with Graphviz's own `dot` (and save PDF, which only it writes).
if [ "${TEACHGRAD_TEST_DEPS:-0}" = 1 ] && ! command -v dot >/dev/null 2>&1; then
    say "Installing Graphviz for the tests (the 'dot' program)..."
    case "$(uname -s)" in
        Linux) apt_install graphviz ;;
        Darwin) say "The tests need Graphviz: brew install graphviz"; exit 1 ;;
        *) say "The tests need Graphviz: install it from https://graphviz.org/download/ and add it to PATH."; exit 1 ;;
    esac
fi

# 2b. For the tests only: Debian's Chromium, driven by Playwright (never `playwright install`).
if [ "${TEACHGRAD_TEST_DEPS:-0}" = 1 ] && [ ! -x /usr/bin/chromium ]; then
    say "Installing Chromium for the browser tests..."
    case "$(uname -s)" in
        Linux) apt_install chromium ;;
        *) say "The browser tests need Chromium at /usr/bin/chromium (or set TEACHGRAD_CHROMIUM)."; exit 1 ;;
    esac
fi

# 3. A virtual environment with teachgrad and the extras.
if [ ! -x .venv/bin/python ]; then
    say "Creating .venv ..."
    if ! "$PYTHON" -m venv .venv 2>/dev/null; then
        rm -rf .venv
        pyver=$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
        say "Installing python${pyver}-venv (Debian/Ubuntu ship venv separately)..."
        apt_install "python${pyver}-venv" || apt_install python3-venv
        "$PYTHON" -m venv .venv
    fi
fi
stamp=".venv/.teachgrad-installed-$extras"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    say "Installing teachgrad[$extras] into .venv (first time: a minute or two)..."
    .venv/bin/python -m pip install -q --upgrade pip >/dev/null
    .venv/bin/python -m pip install -q -e ".[$extras]"
    touch "$stamp"
fi
say "Set-up done."
