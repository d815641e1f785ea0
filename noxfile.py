"""Every Python and numpy teachgrad claims, checked: `.venv/bin/python -m nox` (.ci/run runs it).

pyproject.toml says Python >= 3.10 and numpy >= 1.24. Each session installs teachgrad from
this folder (a built wheel, not the source tree) into a fresh environment with one interpreter
and one numpy, then runs tests/test_versions.py: import, the engine, a gradient per family,
one drawing.

"oldest" is the oldest numpy allowed that this Python can install (numpy 1.24 has no wheels for
3.12, and 1.26 none for 3.13), "newest" the newest there is for it. Interpreters come from PATH
or pyenv (~/.pyenv/versions/3.X.*); missing ones are listed and skipped, never silently.
"""
from __future__ import annotations

import glob
import os
import pathlib
import shutil

import nox

ROOT = pathlib.Path(__file__).resolve().parent
OLDEST_NUMPY = {"3.10": "1.24.*", "3.11": "1.24.*", "3.12": "1.26.*", "3.13": "2.1.*"}
CLAIMED = list(OLDEST_NUMPY)

nox.options.sessions = ["compat"]
nox.options.reuse_existing_virtualenvs = True     # CI runs in a fresh clone; locally, faster
nox.options.envdir = str(ROOT / ".venv" / "nox")  # inside .venv: ignored by git, removed with it


def _real_interpreter_dirs() -> list[str]:
    """pyenv's own folders for 3.X, ahead of its shims (which fail for a version not selected)."""
    found = []
    for version in CLAIMED:
        matches = sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{version}.*/bin/python{version}")))
        if matches:
            found.append(os.path.dirname(matches[-1]))
    return found


os.environ["PATH"] = os.pathsep.join(_real_interpreter_dirs() + [os.environ.get("PATH", "")])
PRESENT = [v for v in CLAIMED if shutil.which(f"python{v}")]
MISSING = [v for v in CLAIMED if v not in PRESENT]
if MISSING:
    print(f"noxfile: Python {', '.join(MISSING)} not found on this machine: not checked here.")


@nox.session(python=PRESENT)
@nox.parametrize("numpy", ["oldest", "newest"])
def compat(session: nox.Session, numpy: str) -> None:
    """The fast subset on one interpreter with the oldest or newest numpy it can have."""
    pin = f"numpy=={OLDEST_NUMPY[session.python]}" if numpy == "oldest" else "numpy"
    # setuptools builds in ./build and would package a module deleted since an earlier build
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    session.install("--upgrade", str(ROOT), pin, "pytest")
    session.install("--force-reinstall", "--no-deps", str(ROOT))   # this tree's code, not a reused one
    # From outside the source tree, so that the installed teachgrad is the one imported.
    session.chdir(session.create_tmp())
    session.run("python", "-c", "import sys, numpy, teachgrad; print(sys.version.split()[0], "
                "'numpy', numpy.__version__, 'teachgrad from', teachgrad.__file__)")
    session.run("python", "-m", "pytest", str(ROOT / "tests" / "test_versions.py"), "-q",
                "-p", "no:cacheprovider", "-o", "addopts=", f"--rootdir={ROOT}")
