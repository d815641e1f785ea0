"""Fetch autograd 1.9.1's own tests and make them test teachgrad instead.

The sdist is downloaded once with pip into a git-ignored cache folder
(``.autograd_suite_cache/`` at the repository root, or the folder named by
``TEACHGRAD_AUTOGRAD_CACHE``), checked against a pinned SHA-256, and its
``tests/`` folder is copied with only the import statements changed:
``import autograd.numpy as np`` becomes ``import teachgrad.numpy as np``,
``from autograd.test_util import check_grads`` becomes
``from teachgrad.test_util import check_grads``, and so on. Every other line
is autograd's, byte for byte, at its original line number (so a traceback
points at the line of autograd's file).
"""
from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

VERSION = "1.9.1"
SDIST = f"autograd-{VERSION}.tar.gz"
SHA256 = "7818c5c69ddf9efb7da74097bd741a4c7920133f41966f68537223a15ef798bc"
REPO = Path(__file__).resolve().parents[2]


class Unavailable(Exception):
    """The sdist could not be had (offline, or pip failed): the suite is skipped."""


def cache_dir() -> Path:
    return Path(os.environ.get("TEACHGRAD_AUTOGRAD_CACHE", REPO / ".autograd_suite_cache"))


def sdist_path() -> Path:
    """The sdist in the cache, downloaded by pip the first time."""
    folder = cache_dir()
    path = folder / SDIST
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
                   f"autograd=={VERSION}", "-d", str(folder), "--disable-pip-version-check", "-q",
                   "--retries", "1", "--timeout", "20"]       # offline: give up soon
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=600)
        except subprocess.TimeoutExpired as error:
            raise Unavailable(f"`{' '.join(command)}` took more than 10 minutes") from error
        if done.returncode != 0 or not path.exists():
            last = (done.stderr.strip().splitlines() or ["(no message)"])[-1]
            raise Unavailable(f"`pip download autograd=={VERSION}` failed (offline?): {last}")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != SHA256:
        path.unlink()
        raise Unavailable(f"{SDIST} had SHA-256 {digest}, not the pinned {SHA256}; deleted it")
    return path


# --------------------------------------------------------------------------
# Rewriting the imports
# --------------------------------------------------------------------------

def _renamed(module: str) -> str:
    return "teachgrad" + module[len("autograd"):]


def _is_autograd(module: str | None) -> bool:
    return module is not None and (module == "autograd" or module.startswith("autograd."))


def _new_import(node: ast.Import) -> str | None:
    """The statement ``node`` with autograd's modules renamed, or None if it imports none."""
    if not any(_is_autograd(a.name) for a in node.names):
        return None
    parts = []
    for alias in node.names:
        if not _is_autograd(alias.name):
            parts.append(ast.unparse(ast.Import([alias])))
        elif alias.asname:
            parts.append(f"import {_renamed(alias.name)} as {alias.asname}")
        else:
            # `import autograd.scipy.signal` binds the name `autograd`; keep that name bound
            parts.append(f"import {_renamed(alias.name)}")
            parts.append("import teachgrad as autograd")
    return "; ".join(parts)


def rewrite_imports(source: str) -> str:
    """``source`` with each import of autograd made an import of teachgrad, line numbers kept."""
    lines = source.splitlines(keepends=True)
    for node in sorted(ast.walk(ast.parse(source)), key=lambda n: -getattr(n, "lineno", 0)):
        if isinstance(node, ast.ImportFrom) and not node.level and _is_autograd(node.module):
            first = node.lineno - 1
            lines[first] = re.sub(r"\bfrom(\s+)autograd\b", r"from\1teachgrad", lines[first], count=1)
            continue
        if not isinstance(node, ast.Import):
            continue
        new = _new_import(node)
        if new is None:
            continue
        first, last = node.lineno - 1, node.end_lineno - 1
        indent = re.match(r"\s*", lines[first]).group(0)
        tail = lines[last][node.end_col_offset:]        # a comment after the statement
        padding = ["\n"] * (last - first)                 # keep later line numbers unchanged
        lines[first:last + 1] = [indent + new + tail] + padding
    return "".join(lines)


_failed: list = []      # why the sdist could not be had, so one session asks pip only once


def prepared_tests() -> Path:
    """A folder holding autograd's test files with their imports rewritten (made once)."""
    if _failed:
        raise Unavailable(_failed[0])
    try:
        sdist = sdist_path()
    except Unavailable as why:
        _failed.append(str(why))
        raise
    recipe = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]
    folder = cache_dir() / f"tests-{VERSION}-{recipe}"
    if (folder / "done.json").exists():
        return folder / "tests"
    for old in cache_dir().glob(f"tests-{VERSION}-*"):      # made by an older recipe
        shutil.rmtree(old, ignore_errors=True)
    (folder / "tests").mkdir(parents=True)
    prefix = f"autograd-{VERSION}/tests/"
    with tarfile.open(sdist) as archive:
        for member in archive.getmembers():
            if not (member.isfile() and member.name.startswith(prefix)):
                continue
            name = member.name[len(prefix):]
            if "/" in name:
                continue
            data = archive.extractfile(member).read()
            if name.endswith(".py"):
                data = rewrite_imports(data.decode("utf-8")).encode("utf-8")
            (folder / "tests" / name).write_bytes(data)
    # autograd's pyproject asks for pytest-cov and xdist; run under a neutral configuration
    (folder / "pytest.ini").write_text("[pytest]\naddopts = -p no:cacheprovider\n")
    (folder / "done.json").write_text(json.dumps({"sdist": SHA256}))
    return folder / "tests"
