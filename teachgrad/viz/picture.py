"""The handle show_graph returns: shown once in a notebook, saved to files, DOT readable."""
from __future__ import annotations

import base64
import gzip
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
    returns the SVG text. In a notebook it displays itself as SVG. ``.answer``
    is the same picture with gradients, for ``show_graph(..., reveal=True)``
    (then the notebook shows it behind a click), else None.
    """

    def __init__(self, digraph: graphviz.Digraph, graph: Graph, notes: list[str], collapsed: bool):
        self.digraph = digraph
        self.graph = graph
        self.notes = notes
        self.collapsed = collapsed
        self.answer: GraphPicture | None = None
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
        global _library_shown
        try:
            if self.answer is not None:
                display({"text/html": self.reveal_html(), "text/plain": repr(self)}, raw=True)
            else:
                display({"image/svg+xml": self.svg(), "text/plain": repr(self)}, raw=True)
        except GraphvizMissingError:
            display({"text/html": self._fallback_html(library=not _library_shown),
                     "text/plain": repr(self)}, raw=True)
            _library_shown = True
        from IPython import get_ipython
        shell = get_ipython()
        self._shown_in_cell = getattr(shell, "execution_count", None)

    def reveal_html(self) -> str:
        """This picture, then its ``.answer`` behind a click: plain HTML, no script.

        A ``<details>`` element opens without a kernel and without script, so saved
        notebooks (nbconvert, nbviewer, Jupyter Book) keep the click.
        """
        if self.answer is None:
            raise ValueError("This picture has no answer to reveal: draw it with "
                             "show_graph(..., reveal=True).")
        def inline(svg: str) -> str:        # inside HTML, an SVG starts at its element
            return svg[svg.index("<svg"):]
        return (f'<div class="teachgrad-reveal">{inline(self.svg())}'
                '<details><summary style="cursor:pointer;color:#b35806;font-weight:bold">'
                'Show the gradients</summary>'
                f'{inline(self.answer.svg())}</details></div>')

    def _ipython_display_(self) -> None:
        # show_graph already displayed it in this cell: showing the returned
        # handle again (the cell's last line) would draw it twice.
        from IPython import get_ipython
        shell = get_ipython()
        if self._shown_in_cell is not None and self._shown_in_cell == getattr(shell, "execution_count", None):
            return
        self.show()

    def _fallback_html(self, library: bool = True) -> str:
        what, why, instead = missing_dot_message().split("\n")[:3]
        return browser_layout_html(self.source, note=f"{what} This drawing was laid out in your "
                                   "browser instead; to save it to a file, "
                                   + instead.removeprefix("Instead: "), library=library)

    def __repr__(self) -> str:
        n = len(self.graph.nodes)
        extra = ", summarised" if self.collapsed else ""
        return f"<teachgrad graph of {n} nodes{extra}: .save('f.svg'), .source, .graph>"


@lru_cache(maxsize=1)
def _viz_js_gzip_base64() -> str:
    # gzip then base64: a third of the library's size, and no quote or backslash for a
    # notebook's JSON to escape (the plain library grew to 3.3 MB per output there).
    code = (pathlib.Path(__file__).parent / "static" / "viz-global.js").read_bytes()
    return base64.b64encode(gzip.compress(code, compresslevel=9, mtime=0)).decode("ascii")


# The library, once: decoded in the browser, then run as a page script with `define` hidden so
# that it sets window.Viz even where require.js is loaded. window.teachgradViz is its promise.
LIBRARY = """<script>(function () {
  if (window.teachgradViz) return;
  window.teachgradViz = (async function () {
    var bytes = Uint8Array.from(atob("%s"), function (c) { return c.charCodeAt(0); });
    var code = await new Response(new Blob([bytes]).stream()
                                  .pipeThrough(new DecompressionStream("gzip"))).text();
    var script = document.createElement("script");
    script.text = "(function (define, exports, module) {" + code + "\\n})(undefined, undefined, undefined);";
    document.head.appendChild(script);
    return Viz.instance();
  })();
})();</script>"""

# Each picture: wait (up to 20 s) for the library, which may be in a later output of the page.
DRAW = """<script>(function () {
  var el = document.getElementById("%s"), tries = 0;
  function draw() {
    if (!window.teachgradViz) return false;
    window.teachgradViz.then(function (viz) { el.innerHTML = ""; el.appendChild(viz.renderSVGElement(%s)); },
                             function (e) { el.textContent = "This browser could not lay out the graph: " + e; });
    return true;
  }
  if (draw()) return;
  var timer = setInterval(function () {
    if (draw()) { clearInterval(timer); }
    else if (++tries === 200) {
      clearInterval(timer);
      el.textContent = "The layout library teachgrad put in this notebook's first such picture is no " +
                       "longer on the page: restart the kernel and run the notebook again.";
    }
  }, 100);
})();</script>"""

_library_shown = False        # this kernel has already put the library in an output


def browser_layout_html(dot_source: str, note: str = "", library: bool = True) -> str:
    """HTML that lays out ``dot_source`` in the browser (Graphviz as WebAssembly), offline.

    With ``library=True`` it carries the layout library (about 650 kB); without, it uses the
    one an earlier (or later) output of the same page carries, so a notebook holds it once.
    """
    element = f"teachgrad-{uuid.uuid4().hex}"
    dot_json = json.dumps(dot_source).replace("</", "<\\/")
    return (f'<div id="{element}">Laying out the graph in your browser...</div>'
            + (f'<div style="color:#555;font-size:smaller">{html.escape(note)}</div>' if note else "")
            + (LIBRARY % _viz_js_gzip_base64() if library else "")
            + DRAW % (element, dot_json))
