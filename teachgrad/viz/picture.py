"""The handle show_graph returns: shown once in a notebook, saved to files, DOT readable."""
from __future__ import annotations

import html
import json
import pathlib
import uuid
from functools import lru_cache

import graphviz

from ..graph import Graph
from . import layout
from .layout import GraphvizMissingError, install_hint

__all__ = ["GraphPicture", "GraphvizMissingError", "browser_layout_html", "install_hint"]


def missing_dot_message(fmt: str = "svg") -> str:
    """Why nothing could lay out the drawing here, and the command that fixes it."""
    return layout.missing_message(fmt)


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
        return layout.render(self.source, fmt)

    def save(self, path: str | pathlib.Path) -> pathlib.Path:
        """Write the drawing; the suffix chooses the format (.svg, .png, .pdf, .dot).

        .svg and .png need nothing but teachgrad (graphviz-pure lays them out); .pdf
        needs Graphviz's ``dot`` program.

        >>> import tempfile, pathlib, teachgrad.numpy as np
        >>> from teachgrad import show_graph
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> show_graph(np.sin, 1.0, display=False).save(folder / "sin.png").stat().st_size > 0
        True
        """
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
        what, why, instead = missing_dot_message().split("\n")[:3]
        return browser_layout_html(self.source, note=f"{what} This drawing was laid out in your "
                                   "browser instead; to save it to a file, "
                                   + instead.removeprefix("Instead: "))

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
