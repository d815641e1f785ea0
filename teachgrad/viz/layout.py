"""Which program lays out a drawing: graphviz-pure (comes with ``pip install teachgrad``) or Graphviz's ``dot``.

graphviz-pure is chosen first when both are there. It is a port of Graphviz with
its fonts built in, so it writes the same picture, byte for byte, on every
machine: what a student sees at home is what the teacher saw, and the tests can
compare pictures with committed references. It is also faster to start. Measured
against Debian's ``dot`` in benchmarks/graphviz_engines.md.

Graphviz's ``dot`` is used where graphviz-pure has no build (it has wheels for
Linux, macOS and Windows on x86-64 and ARM64), and always for PDF, which
graphviz-pure does not write. ``TEACHGRAD_LAYOUT=dot`` (or ``=graphviz-pure``)
insists on one of them.

>>> svg = render('digraph { a -> b }', "svg")
>>> svg.lstrip().startswith(b"<?xml")
True
"""
from __future__ import annotations

import os
import pathlib
import platform
import shutil
import subprocess
import sys
import sysconfig

from ..errors import TeachgradError, explain

ENV = "TEACHGRAD_LAYOUT"
PURE, DOT = "graphviz-pure", "dot"
PURE_FORMATS = frozenset({"svg", "png"})
# Where graphviz-pure 0.2.2 publishes wheels: (platform.system(), platform.machine()).
PURE_PLATFORMS = {("Linux", "x86_64"), ("Linux", "aarch64"), ("Darwin", "x86_64"),
                  ("Darwin", "arm64"), ("Windows", "AMD64"), ("Windows", "ARM64")}


class GraphvizMissingError(TeachgradError, RuntimeError):
    """No program that can lay out the drawing (graphviz-pure or Graphviz's ``dot``) is installed."""


class LayoutError(TeachgradError, RuntimeError):
    """The layout program ran but failed."""


def find_pure() -> str | None:
    """The graphviz-pure program, or None.

    pip puts it beside this Python's own scripts, which are not on PATH when a notebook
    kernel or ``.venv/bin/python`` runs without the environment activated: look there first.
    """
    names = ("graphviz-pure.exe", "graphviz-pure") if os.name == "nt" else ("graphviz-pure",)
    folders = [sysconfig.get_path("scripts"), str(pathlib.Path(sys.executable).parent)]
    try:
        folders.append(sysconfig.get_path("scripts", f"{os.name}_user"))      # pip install --user
    except KeyError:
        pass
    for folder in folders:
        for name in names:
            candidate = pathlib.Path(folder) / name
            if candidate.is_file() and os.access(candidate, os.X_OK):
                return str(candidate)
    return shutil.which("graphviz-pure")


def find_dot() -> str | None:
    """Graphviz's own ``dot`` program on PATH, or None."""
    return shutil.which("dot")


def wanted() -> str:
    """``auto``, ``graphviz-pure`` or ``dot``, from TEACHGRAD_LAYOUT."""
    value = os.environ.get(ENV, "").strip().lower()
    if value in ("", "auto"):
        return "auto"
    if value in (PURE, "pure"):
        return PURE
    if value == DOT:
        return DOT
    raise ValueError(explain(f"{ENV}={value!r} is not a layout program teachgrad knows.",
                             "it chooses which program lays out the drawings.",
                             f"set {ENV} to 'graphviz-pure' or 'dot', or unset it to let teachgrad choose."))


def engine(fmt: str = "svg") -> tuple[str, str]:
    """``(name, program)`` that would draw ``fmt`` here; GraphvizMissingError if none can."""
    choice = wanted()
    if fmt in PURE_FORMATS and choice != DOT:
        program = find_pure()
        if program:
            return PURE, program
    if choice != PURE or fmt not in PURE_FORMATS:
        program = find_dot()
        if program:
            return DOT, program
    raise GraphvizMissingError(missing_message(fmt, choice))


def render(source: str, fmt: str) -> bytes:
    """Lay out the DOT text ``source`` and return it as ``fmt`` (svg, png or pdf)."""
    name, program = engine(fmt)
    hide_window = {}
    if os.name == "nt":          # no console window flashing up for each drawing
        info = subprocess.STARTUPINFO()
        info.dwFlags |= subprocess.STARTF_USESHOWWINDOW
        hide_window["startupinfo"] = info
    # -q: graphviz-pure warns about every non-ASCII character's width (∂): not news to a student
    done = subprocess.run([program, "-q", f"-T{fmt}"], input=source.encode("utf-8"),
                          capture_output=True, check=False, **hide_window)
    if done.returncode != 0:
        raise LayoutError(explain(
            f"{name} could not lay out the drawing (exit status {done.returncode}).",
            f"it said: {done.stderr.decode('utf-8', 'replace').strip() or 'nothing'}",
            "report this with the DOT text (.source); meanwhile .save('f.dot') keeps the drawing."))
    return done.stdout


LINUX_COMMANDS = {          # an /etc/os-release ID (or ID_LIKE) -> how its users install Graphviz
    "debian": "sudo apt-get install graphviz", "ubuntu": "sudo apt-get install graphviz",
    "fedora": "sudo dnf install graphviz", "rhel": "sudo dnf install graphviz",
    "arch": "sudo pacman -S graphviz", "alpine": "apk add graphviz",
    "suse": "sudo zypper install graphviz", "opensuse": "sudo zypper install graphviz",
}


def install_hint() -> str:
    """The command that installs Graphviz's ``dot`` on this machine.

    >>> install_hint() in {*LINUX_COMMANDS.values(), "brew install graphviz", OTHER_LINUX,
    ...                    CONDA, WINDOWS}
    True
    """
    system = platform.system()
    if system == "Darwin":
        return "brew install graphviz"
    if system == "Windows":
        return WINDOWS
    if os.environ.get("CONDA_PREFIX"):
        return CONDA
    if system == "Linux":
        try:
            release = platform.freedesktop_os_release()
        except OSError:
            release = {}
        for name in [release.get("ID", ""), *release.get("ID_LIKE", "").split()]:
            if name in LINUX_COMMANDS:
                return LINUX_COMMANDS[name]
    return OTHER_LINUX


WINDOWS = ("the Graphviz installer from https://graphviz.org/download/ "
           "(let it add Graphviz to PATH, then restart Jupyter)")
CONDA = "conda install -c conda-forge graphviz"
OTHER_LINUX = "your system's graphviz package (see https://graphviz.org/download/)"


def pure_has_a_build() -> bool:
    """True where ``pip install graphviz-pure`` finds a wheel for this machine."""
    return (platform.system(), platform.machine()) in PURE_PLATFORMS


def missing_message(fmt: str = "svg", choice: str | None = None) -> str:
    """What is missing, why, and the one command (or two) that fixes it, for this machine."""
    choice = choice or wanted()
    if fmt not in PURE_FORMATS:
        alternative = " or .png" if fmt != "png" else ""
        return explain(
            f"Saving as .{fmt} needs Graphviz's `dot` program, which is not installed.",
            "graphviz-pure, which draws .svg and .png without it, does not write PDF.",
            f"save as .svg{alternative}, or install Graphviz with: {install_hint()}.")
    if choice == DOT:
        return explain(f"{ENV}=dot asks for Graphviz's `dot` program, which is not installed.",
                       "`pip install graphviz` installs only the Python side; `dot` is a separate program.",
                       f"install it with: {install_hint()}; or unset {ENV} to let graphviz-pure draw. "
                       "The DOT text is still available as .source.")
    if choice == PURE:
        return explain(f"{ENV}=graphviz-pure asks for graphviz-pure, which is not installed.",
                       "it comes with `pip install teachgrad`; this environment was set up some other way.",
                       f"pip install graphviz-pure, or unset {ENV} to let Graphviz's `dot` draw.")
    if pure_has_a_build():
        return explain(
            "graphviz-pure, the program that lays out the drawing, is not installed.",
            "it comes with `pip install teachgrad`; this environment was set up some other way.",
            "pip install graphviz-pure   (nothing else is needed). The DOT text is still "
            "available as .source.")
    return explain(
        "No program to lay out the drawing is installed: neither graphviz-pure nor Graphviz's `dot`.",
        f"graphviz-pure has no build for {platform.system()} on {platform.machine() or 'this processor'}, "
        "and `pip install graphviz` installs only Graphviz's Python side.",
        f"install Graphviz with: {install_hint()}. The DOT text is still available as .source.")
