"""The handle show_graph returns: shown once in a notebook, saved to files, DOT readable."""
from __future__ import annotations

import html
import json
import pathlib
import platform
import shutil
import uuid
from functools import lru_cache

import graphviz

from ..errors import TeachgradError, explain
from ..graph import Graph


class GraphvizMissingError(TeachgradError, RuntimeError):
    """The Graphviz ``dot`` program is not installed."""


def install_hint() -> str:
    """The command that installs Graphviz's ``dot`` on this machine."""
    system = platform.system()
    if system == "Darwin":
        return "brew install graphviz"
    if system == "Windows":
        return "winget install graphviz   (or: conda install -c conda-forge graphviz)"
    if shutil.which("apt-get"):
        return "sudo apt-get install graphviz   (in Colab: !apt-get install graphviz)"
    if shutil.which("dnf"):
        return "sudo dnf install graphviz"
    if shutil.which("pacman"):
        return "sudo pacman -S graphviz"
    return "conda install -c conda-forge graphviz   (or your system's graphviz package)"


def missing_dot_message() -> str:
    return explain(
        "Graphviz's `dot` program, which lays out the drawing, is not installed.",
        "`pip install graphviz` installs only the Python side; `dot` is a separate program.",
        f"install it with: {install_hint()}. The DOT text is still available as .source.")


def in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


class GraphPicture:
    """A drawn graph.

    ``.source`` is the DOT text, ``.graph`` the recorded :class:`Graph`,
    ``.save("f.svg")`` writes .svg, .png, .pdf or .dot by suffix, ``.svg()``
    returns the SVG text. In a notebook it displays itself as SVG.
    """

    def __init__(self, digraph: graphviz.Digraph, graph: Graph, notes: list[str], collapsed: bool):
        self.digraph = digraph
        self.graph = graph
        self.notes = notes
        self.collapsed = collapsed
        self._svg: str | None = None
        self._shown_in_cell: int | None = None

    @property
    def source(self) -> str:
        return self.digraph.source

    def svg(self) -> str:
        if self._svg is None:
            self._svg = self._pipe("svg").decode("utf-8")
        return self._svg

    def _pipe(self, fmt: str) -> bytes:
        try:
            return self.digraph.pipe(format=fmt)
        except graphviz.ExecutableNotFound:
            raise GraphvizMissingError(missing_dot_message()) from None

    def save(self, path: str | pathlib.Path) -> pathlib.Path:
        """Write the drawing; the suffix chooses the format (.svg, .png, .pdf, .dot)."""
        path = pathlib.Path(path)
        fmt = path.suffix.lower().lstrip(".")
        if fmt in ("dot", "gv"):
            path.write_text(self.source, encoding="utf-8")
        elif fmt in ("svg", "png", "pdf"):
            path.write_bytes(self.svg().encode("utf-8") if fmt == "svg" else self._pipe(fmt))
        else:
            raise ValueError(f"Cannot save a graph as {path.suffix!r}: use .svg, .png, .pdf or .dot.")
        return path

    # --- notebooks ----------------------------------------------------------
    def show(self) -> None:
        """Display in the notebook (show_graph calls this for you)."""
        from IPython.display import display
        try:
            display({"image/svg+xml": self.svg(), "text/plain": repr(self)}, raw=True)
        except GraphvizMissingError:
            display({"text/html": self._fallback_html(), "text/plain": repr(self)}, raw=True)
        from IPython import get_ipython
        shell = get_ipython()
        self._shown_in_cell = getattr(shell, "execution_count", None)

    def _ipython_display_(self) -> None:
        # show_graph already displayed it in this cell: showing the returned
        # handle again (the cell's last line) would draw it twice.
        from IPython import get_ipython
        shell = get_ipython()
        if self._shown_in_cell is not None and self._shown_in_cell == getattr(shell, "execution_count", None):
            return
        self.show()

    def _fallback_html(self) -> str:
        return browser_layout_html(self.source, note=missing_dot_message().split("\n")[0]
                                   + " This drawing was laid out in your browser instead; to save "
                                   f"it to a file, install it: {install_hint()}")

    def __repr__(self) -> str:
        n = len(self.graph.nodes)
        extra = ", summarised" if self.collapsed else ""
        return f"<teachgrad graph of {n} nodes{extra}: .save('f.svg'), .source, .graph>"


@lru_cache(maxsize=1)
def _viz_js() -> str:
    return (pathlib.Path(__file__).parent / "static" / "viz-global.js").read_text(encoding="utf-8")


def browser_layout_html(dot_source: str, note: str = "") -> str:
    """Self-contained HTML that lays out ``dot_source`` in the browser (Graphviz as WebAssembly).

    Needs no ``dot`` program and no internet: the layout engine is inlined.
    """
    element = f"teachgrad-{uuid.uuid4().hex}"
    dot_json = json.dumps(dot_source).replace("</", "<\\/")
    # `define` is hidden so that the library sets window.Viz even where require.js is loaded.
    return (f'<div id="{element}">Laying out the graph in your browser...</div>'
            + (f'<div style="color:#555;font-size:smaller">{html.escape(note)}</div>' if note else "")
            + "<script>(function (define, exports, module) {" + _viz_js()
            + "\n})(undefined, undefined, undefined);\n"
            + f"Viz.instance().then(function (viz) {{ var el = document.getElementById('{element}');"
            + f" el.innerHTML = ''; el.appendChild(viz.renderSVGElement({dot_json})); }});</script>")
