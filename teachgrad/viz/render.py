"""From a recorded graph to a ``graphviz.Digraph``: what each node and edge shows.

Reads only the graph (nodes, parents, values, gradients) and what
the capture (:mod:`teachgrad.describe.capture`) noted while drawing; knows nothing else of the
engine.
"""
from __future__ import annotations

import dataclasses
import functools
import linecache
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import graphviz
import numpy

from ..graph import Graph, Node
from ..tracing import unwrap
from ..describe.capture import Call
from ..describe.names import NameOf, is_named, node_name
from ..describe.operations import ORDERED, Wording, local_derivative_value
from ..describe.values import NOT_FINITE, format_value, has_nonfinite
from .labels import check_digits, dot_escape

# Okabe-Ito colours (readable by colour-blind readers), with light fills for print. Each look
# means one thing: data is yellow and dog-eared, a value the output does not use is grey and
# dotted, a backward step the output does not use is grey and dashed (dashed: backward).
COLORS = {
    "input": ("#0072B2", "#DCEBF7"),
    "data": ("#8C7B00", "#FCF8D8"),
    "op": ("#333333", "#FFFFFF"),
    "backward": ("#D55E00", "#FBE5D6"),
    "output": ("#009E73", "#D9F2E8"),
    "faded": ("#AAAAAA", "#FFFFFF"),
    "faded_backward": ("#C9A68F", "#FFF8F3"),
    "summary": ("#56B4E9", "#EAF5FC"),
}
# How each kind of box is outlined (the key draws its samples with the same styles).
STYLES = {"data": "filled", "backward": "rounded,filled,dashed", "faded": "rounded,filled,dotted",
          "faded_backward": "rounded,filled,dashed"}
SHAPES = {"data": "note"}
FADED_TEXT = "#888888"
# The gradient row's colours, and only its: Graphviz gives the rows of a label no id in the
# SVG, so gradient_rows() finds them by these. Lower case, as Graphviz writes them in the SVG.
GRAD_COLOR = "#b35806"
BAD_COLOR = "#D55E00"                 # a value that is nan or inf
BAD_GRAD_COLOR = "#d55e01"            # a gradient that is: the same to the eye, but its own
GRADIENT_ROW_COLORS = (BAD_GRAD_COLOR, GRAD_COLOR)
PENDING_COLOR = "#888888"
# Local derivatives and the rules on edges: italic, in the purple that PuOr (a colour-blind-safe
# pair) sets against the gradient rows' orange. Never a gradient row's colour: the stepper hides those.
LOCAL_COLOR = "#542788"
KEY_GRAD_COLOR = "#b35807"            # a gradient row as the key shows it: the stepper leaves it alone
# What the stepper shows at one step only (the product on the arrow in use, a sum forming at a
# fan-in): a darker shade of the highlight, so the text goes with the highlighted arrow.
STEP_COLOR = "#a23a7c"   # lower case, as Graphviz writes it in the SVG
TABLE = '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'


def gradient_rows(element: str) -> str:
    """The CSS selector of the gradient rows inside the SVG element ``element`` (a node, a box)."""
    return ", ".join(f'{element} text[fill="{color}"]' for color in GRADIENT_ROW_COLORS)



@dataclass
class DrawOptions:
    """How a graph is drawn; every option of show_graph lands here."""
    direction: str = "TB"
    digits: int = 4
    values: bool = True
    gradients: bool = True
    local_derivatives: bool | None = None    # None: on for small graphs (30 nodes or fewer)
    node_limit: int = 150
    output_name: str = "f"
    legend: bool = True          # a key under the picture, for the looks it uses that need one
    id_prefix: str = ""          # SVG ids become prefix + n3 / e2_3: the stepper styles them
    step_rows: bool = False      # the stepper's products on edges and partial sums at fan-ins

    def __post_init__(self):
        self.digits = check_digits(self.digits)


@dataclass(frozen=True)
class FrameStyle:
    """One step of the stepper, as colours: drawn by dot, it keeps the layout of the full graph."""
    current: int | None = None
    hidden: frozenset = frozenset()        # nodes not computed yet (forward phase)
    unknown: frozenset = frozenset()       # nodes whose gradient is not known yet
    sending: tuple = ()                    # (parent id, child id, argnum) edges carrying gradients now
    shown: frozenset = frozenset()         # the step rows (their ids, see step_row_id) shown now


HIDDEN_STROKE, HIDDEN_FILL, HIDDEN_TEXT = "#E6E6E6", "#FCFCFC", "#E8E8E8"
HIGHLIGHT = "#CC79A7"       # Okabe-Ito reddish purple: distinct from every node colour


@dataclass
class Drawing:
    digraph: graphviz.Digraph
    notes: list[str] = field(default_factory=list)
    collapsed: bool = False


def node_kind(node: Node, graph: Graph) -> str:
    if node is graph.output:
        return "output"
    if node.fun is None:
        return "input"
    if node.info is not None and node.info.backward:
        return "backward"
    return "op"


def _is_scalar(value) -> bool:
    return numpy.ndim(unwrap(value)) == 0


@dataclass(frozen=True)
class Row:
    """One line of a label under its title: what it is (``kind``), its text (escaped), its look.

    A row with an ``id`` is one the stepper shows or hides by itself (a step row): Graphviz
    wraps it in ``<g id="a_ID">`` in the SVG (:func:`step_row_selector`).
    """
    kind: str                  # "value", "gradient", "pending", "note", "step"
    text: str
    color: str | None = None
    bold: bool = False
    id: str | None = None
    cells: tuple = ()          # (id, text, color) side by side instead of ``text``: a step row in parts


@dataclass(frozen=True)
class Arrival:
    """One contribution reaching a node in the backward pass: at ``step`` (an index into
    ``graph.steps``), ``child`` sent ``share`` through its argument ``argnum``."""
    step: int
    child: Node
    argnum: int
    share: Any


def arrivals(graph: Graph) -> dict[int, list[Arrival]]:
    """node id -> the contributions it receives, in the order the backward pass sends them."""
    out: dict[int, list[Arrival]] = defaultdict(list)
    for j, step in enumerate(graph.steps):
        for parent, argnum, share in step.contributions:
            out[parent.id].append(Arrival(j, step.node, argnum, share))
    return dict(out)


def step_row_id(prefix: str, kind: str, *ids: int) -> str:
    """The id of a step row: ``kind`` "p" for the product on edge (parent, child, argnum),
    "s" for the partial sum at node ``ids[0]`` after its ``ids[1]``-th contribution."""
    return f"{prefix}step_{kind}" + "_".join(map(str, ids))


def step_row_selector(scope: str, row_id: str) -> str:
    """The CSS selector of a step row in the SVG inside the element ``#scope``. Graphviz gives
    the row's group the id ``a_`` + its id; the scope tells a copy of the picture from another."""
    return f"#{scope} #a_{row_id}"


def sum_row(node: Node, received: list[Arrival], digits: int, prefix: str) -> Row | None:
    """A node used more than once: the sum of its contributions as one row of cells,
    ``sum: -0.375`` then ``+ -0.75 = -1.125``, one cell per contribution (the last with the
    total), so that the stepper can show each from the step that sends it. None for a node
    used once."""
    total = len(received)
    if total < 2:
        return None
    shares = [unwrap(a.share) for a in received]
    terms = [format_value(x, digits) for x in shares]
    if any(len(t) > 24 for t in terms):       # long arrays: count them, the total says the rest
        terms = [f"share {k}" for k in range(1, total + 1)]
    whole = format_value(functools.reduce(lambda a, b: a + b, shares), digits)
    cells = []
    for k, term in enumerate(terms, start=1):
        text = ("sum: " if k == 1 else " + ") + term + (f" = {whole}" if k == total else "")
        cells.append((step_row_id(prefix, "s", node.id, k), dot_escape(text), STEP_COLOR))
    return Row("step", "", bold=True, cells=tuple(cells))


def product_text(step_node: Node, upstream: Any, share: Any, argnum: int, digits: int) -> str:
    """What an edge carries at its backward step: ``1 × 0.6347 = 0.6347`` (upstream × local =
    share) for numbers, ``g → share`` for arrays (shapes when the values are long)."""
    v = lambda x: format_value(x, digits)
    shape = lambda x: numpy.shape(unwrap(x))
    if shape(upstream) == () and shape(share) == () and shape(step_node.value) == ():
        try:
            local = v(local_derivative_value(step_node, argnum))
        except Exception:             # a drawing never fails over an annotation
            local = "local"
        return f"{v(upstream)} × {local} = {v(share)}"
    text = f"{v(upstream)} → {v(share)}"
    if len(text) > 48:
        text = f"g {shape(upstream)} → {v(share)}"
    if len(text) > 60:
        text = f"g {shape(upstream)} → share {shape(share)}"
    return text


@dataclass(frozen=True)
class Look:
    """How a frame of the stepper shows a label: ``faint`` greys every line (not computed yet);
    ``gradient_color`` draws the gradient row in the fill colour (not known yet: it keeps its size)."""
    faint: bool = False
    gradient_color: str | None = None

    def color(self, row: Row) -> str | None:
        if row.kind == "gradient" and self.gradient_color is not None:
            return self.gradient_color
        return HIDDEN_TEXT if self.faint else row.color


PLAIN = Look()


def _row(row: Row, look: Look = PLAIN, size: int = 10) -> str:
    if row.cells:
        cells = "".join(f'<TD{_id_attrs(cell_id)}><FONT POINT-SIZE="{size}" COLOR="{color}">'
                        + (f"<B>{text}</B>" if row.bold else text) + "</FONT></TD>"
                        for cell_id, text, color in row.cells)
        return (f'<TR><TD ALIGN="LEFT"><TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0">'
                f"<TR>{cells}</TR></TABLE></TD></TR>")
    color = look.color(row)
    inner = f"<B>{row.text}</B>" if row.bold else row.text
    font = f'<FONT POINT-SIZE="{size}"' + (f' COLOR="{color}"' if color else "") + ">"
    return f'<TR><TD ALIGN="LEFT" BALIGN="LEFT"{_id_attrs(row.id)}>{font}{inner}</FONT></TD></TR>'


def _id_attrs(row_id: str | None) -> str:
    """A cell's id, so that the stepper can show it alone. Graphviz's ``dot`` writes a cell's id
    into the SVG only for a link (graphviz-pure for a tooltip too): the link goes nowhere, and the
    stepper's style sheet makes it inert (pointer-events: none)."""
    return "" if row_id is None else f' ID="{row_id}" HREF="#" TOOLTIP=" "'


def _title(name: str, aside: str | None = None, aside_size: int = 9, aside_color: str = "#555555",
           op_text: str | None = None, named: bool = True, look: Look = PLAIN) -> str:
    """The first line: ``name = op``, ``op  v7`` (a generated name, small), or ``name  input``."""
    def small(text: str, size: int, color: str) -> str:
        return f'<FONT POINT-SIZE="{size}" COLOR="{HIDDEN_TEXT if look.faint else color}">{dot_escape(text)}</FONT>'
    title = f"<B>{dot_escape(name)}</B>"
    if op_text is not None:
        title = (title + " = " + dot_escape(op_text) if named
                 else dot_escape(op_text) + "  " + small(name, 8, PENDING_COLOR))
    elif aside is not None:
        title += "  " + small(aside, aside_size, aside_color)
    if look.faint:
        title = f'<FONT COLOR="{HIDDEN_TEXT}">{title}</FONT>'
    return f'<TR><TD ALIGN="LEFT">{title}</TD></TR>'


def _table(title: str, rows: list[Row], look: Look = PLAIN) -> str:
    return TABLE + title + "".join(_row(r, look) for r in rows) + "</TABLE>>"


def node_rows(node: Node, name: str, options: DrawOptions, influences: bool, has_grads: bool) -> list[Row]:
    """The lines under a node's title: its value, then its gradient (or that it is not known yet)."""
    rows = []
    if options.values:
        bad = has_nonfinite(node.value)
        rows.append(Row("value", "value " + dot_escape(format_value(node.value, options.digits))
                        + (f" {NOT_FINITE}" if bad else ""), BAD_COLOR if bad else None, bold=bad))
    if options.gradients and has_grads and influences:
        wrt = f"∂{options.output_name}/∂{name}"
        if node.has_grad:
            g = node.grad
            bad = has_nonfinite(g)
            rows.append(Row("gradient", dot_escape(f"{wrt} = {format_value(g, options.digits)}")
                            + (f" {NOT_FINITE}" if bad else ""), BAD_GRAD_COLOR if bad else GRAD_COLOR, bold=bad))
        else:
            rows.append(Row("pending", dot_escape(f"{wrt}: not computed yet"), PENDING_COLOR))
    return rows


def node_label(node: Node, kind: str, name: str, op_text: str | None, options: DrawOptions,
               influences: bool, has_grads: bool, named: bool = True, look: Look = PLAIN,
               extra: list[Row] = ()) -> str:
    """The HTML-like label of a node: its title, then :func:`node_rows` and ``extra``, as ``look``
    shows them."""
    title = _title(name, "input" if kind == "input" else None, op_text=op_text, named=named, look=look)
    return _table(title, node_rows(node, name, options, influences, has_grads) + list(extra), look)


def graph_notes(graph: Graph, has_grads: bool) -> list[str]:
    """What the picture says under it when there is nothing to backpropagate, and why."""
    if not graph.inputs:
        return ["No argument was differentiated: none holds floats. Integers cannot "
                "change a little, so write 1.0 instead of 1 (or choose wrt=)."]
    if graph.output is None and isinstance(graph.result, (tuple, list, dict)):
        return [f"Forward values only: the function returned a {type(graph.result).__name__}, "
                "not one number, so there is no single gradient. Return one value "
                "(or a sum) to see gradients."]
    if graph.output is None:
        return ["The output does not depend on any differentiated input: nothing to backpropagate."]
    if not has_grads:
        shape = numpy.shape(unwrap(graph.output.value))
        return [f"Forward values only: the output has shape {shape}, not one number, "
                "so there is no single gradient. Pass seed= (the upstream gradient) to backpropagate."]
    return []


BACKWARD_NOTE = ("Dashed orange boxes were computed by a backward pass: "
                 "the gradient is itself a computation, recorded like any other.")


def new_digraph(options: DrawOptions) -> graphviz.Digraph:
    dot = graphviz.Digraph("teachgrad", format="svg")
    dot.attr(rankdir=options.direction, fontname="Helvetica", fontsize="11", newrank="true",
             nodesep="0.3", ranksep="0.35")
    dot.attr("node", shape="box", style="rounded,filled", fontname="Helvetica", fontsize="11",
             margin="0.12,0.06")
    dot.attr("edge", fontname="Helvetica", fontsize="9", color="#555555", arrowsize="0.7")
    return dot


def build(graph: Graph, calls: list[Call], options: DrawOptions,
          data_leaves: dict[int, tuple[str, Any]], frame: FrameStyle | None = None) -> Drawing:
    """The Digraph of ``graph``, collapsed to a summary when it is too big.

    ``frame`` recolours it as one step of the stepper (same layout).
    """
    has_grads = graph.output is not None and bool(graph.steps)
    drawing = Drawing(new_digraph(options), notes=graph_notes(graph, has_grads))
    if len(graph.nodes) > options.node_limit:
        return _build_summary(graph, options, drawing, frame)
    painter = Painter(graph, options, data_leaves, frame, drawing.digraph)
    paint(painter, graph, calls, drawing.digraph)
    if any(node_kind(n, graph) == "backward" for n in graph.nodes):
        drawing.notes.append(BACKWARD_NOTE)
    key = painter.key() if options.legend else []
    if key:
        drawing.digraph.attr(label=_key_table(drawing.notes, key), labelloc="b", labeljust="l", fontsize="10")
    elif drawing.notes:
        drawing.digraph.attr(label=note_label(drawing.notes), labelloc="b", labeljust="l", fontsize="10")
    return drawing


class Painter:
    """Draws the nodes and edges of one graph (not summarised) into ``dot``, as ``frame`` shows them."""

    def __init__(self, graph: Graph, options: DrawOptions, data_leaves: dict[int, tuple[str, Any]],
                 frame: FrameStyle | None, dot: graphviz.Digraph):
        self.graph, self.options, self.frame, self.dot = graph, options, frame, dot
        self.data_leaves = data_leaves
        self.has_grads = graph.output is not None and bool(graph.steps)
        self.influences = ({s.node.id for s in graph.steps} if self.has_grads
                           else {n.id for n in graph.nodes})
        self.wording = Wording(node_name, digits=options.digits,
                               data_names={k: name for k, (name, _) in data_leaves.items()})
        show_local = options.local_derivatives
        if show_local is None:
            show_local = len(graph.nodes) <= 30 and self.has_grads
        self.show_local = show_local and options.gradients
        self.used_looks: set[str] = set()          # what the key explains: "data", "faded", ...
        self.first_local: tuple[Node, Node] | None = None       # an edge labelled (parent, child)
        self.first_rule: tuple[Node, Node, str] | None = None   # an edge labelled with a rule
        self.first_product: tuple[str, Node, Node] | None = None  # a product drawn (text, parent, child)
        # data arguments used by the computation: leaf id -> [(node, argnum)]
        self.used_data: dict[int, list[tuple[Node, int]]] = {}
        for node in graph.nodes:
            for i, arg in enumerate(node.args):
                if id(arg) in data_leaves and i not in dict(node.parents):
                    self.used_data.setdefault(id(arg), []).append((node, i))
        self.data_edges = Counter(node.id for uses in self.used_data.values() for node, _ in uses)
        # the stepper's step rows: what each edge carries, and each node's contributions
        self.step_rows = options.step_rows and self.has_grads and options.gradients
        self.arrivals = arrivals(graph) if self.step_rows else {}
        self.carried = {(node.id, a.child.id, a.argnum): (a.share, graph.steps[a.step].upstream)
                        for node in graph.nodes for a in self.arrivals.get(node.id, [])}

    def key(self) -> list[str]:
        """The key's rows (HTML-like), for what this picture drew that needs explaining: a
        gradient row beside a local derivative, and each look that is not the plain one."""
        out = self.options.output_name
        rows = []
        gradient_rows = self.has_grads and self.options.gradients
        labelled = self.first_local or (self.first_rule and self.first_rule[:2])
        if gradient_rows and labelled is not None:
            parent = node_name(labelled[0])
            rows.append(_key_row(_key_text(f"∂{out}/∂{parent}", KEY_GRAD_COLOR),
                                 f"in a box: the gradient, how {out} changes with {parent} through every path"))
        if gradient_rows and self.first_local is not None:
            parent, child = (node_name(n) for n in self.first_local)
            rows.append(_key_row(_key_text(f"local ∂{child}/∂{parent}", LOCAL_COLOR, italic=True),
                                 f"on an arrow: how {child} changes with {parent} alone, one factor of the chain rule:",
                                 f"∂{out}/∂{parent} adds up ∂{out}/∂{child} · ∂{child}/∂{parent} over the arrows "
                                 f"leaving {parent}"))
        if gradient_rows and self.first_rule is not None:
            parent, child = (node_name(n) for n in self.first_rule[:2])
            rows.append(_key_row(_key_text(self.first_rule[2], LOCAL_COLOR, italic=True),
                                 f"on an arrow: how g, the gradient of the box it points to (here ∂{out}/∂{child}),",
                                 f"becomes {parent}'s share; then the shapes: g's (and the other factor's) -> {parent}'s"))
        if self.step_rows and self.carried:
            fan_in = "in a box used more than once: its shares adding up, each from the step that sends it"
            if self.first_product is not None:
                # a sample without the numbers: a quiz over this picture asks for them
                parent, child = (node_name(n) for n in self.first_product[1:])
                rows.append(_key_row(_key_text("a × b = c", STEP_COLOR, bold=True),
                                     f"at its step only, on the arrow in use: ∂{out}/∂{child} × local "
                                     f"∂{child}/∂{parent} = the share {parent} receives;", fan_in))
            else:
                rows.append(_key_row(_key_text("g → share", STEP_COLOR, bold=True),
                                     "at its step only, on the arrow in use: the gradient arriving (g) "
                                     "and the share it sends back;", fan_in))
        explained = {"data": "data: an argument that is not differentiated (no gradient)",
                     "faded": f"does not reach {out}: no gradient flows back to it",
                     "faded_backward": f"a backward-pass value that {out} does not use"}
        for look, text in explained.items():
            if look in self.used_looks:
                rows.append(_key_row(_swatch(look), text))
        return rows

    def hidden(self, node: Node) -> bool:
        return self.frame is not None and node.id in self.frame.hidden

    def draw_data(self) -> None:
        """One dashed box per data argument used, with a dashed edge to each use."""
        options = self.options
        for leaf_id, uses in self.used_data.items():
            name, value = self.data_leaves[leaf_id]
            rows = [Row("value", "value " + dot_escape(format_value(value, options.digits)))] if options.values else []
            rows.append(Row("note", "no gradient: not differentiated", "#777777"))
            stroke, fill = COLORS["data"]
            self.used_looks.add("data")
            self.dot.node(f"d{leaf_id}", _table(_title(name, "data"), rows), color=stroke, fillcolor=fill,
                          style=STYLES["data"], shape=SHAPES["data"], id=f"{options.id_prefix}d{leaf_id}")
            for node, i in uses:
                ordered = node.op in ORDERED and len(node.parents) + len(uses) > 1
                self.dot.edge(f"d{leaf_id}", f"n{node.id}", style="dashed",
                              color=HIDDEN_STROKE if self.hidden(node) else stroke,
                              label=_ordinal(i) if ordered else None,
                              id=f"{options.id_prefix}e_d{leaf_id}_{node.id}_{i}")

    def draw_node(self, node: Node, clusters: dict[int, graphviz.Digraph]) -> None:
        graph, frame = self.graph, self.frame
        kind = node_kind(node, graph)
        influences_output = node.id in self.influences
        look_kind = kind
        if not influences_output and kind != "input":
            look_kind = "faded_backward" if kind == "backward" else "faded"
            self.used_looks.add(look_kind)
        stroke, fill = COLORS[look_kind]
        faint = self.hidden(node)
        if faint:
            stroke, fill = HIDDEN_STROKE, HIDDEN_FILL
        look = Look(faint=faint, gradient_color=fill if frame is not None and node.id in frame.unknown else None)
        op_text = None if node.fun is None else self.wording.operation(node)
        sums = sum_row(node, self.arrivals.get(node.id, []), self.options.digits,
                       self.options.id_prefix) if self.step_rows else None
        sums = [] if sums is None else [self.step_look(sums, fill)]
        label = node_label(node, kind, node_name(node), op_text, self.options, influences_output,
                           self.has_grads, named=is_named(node), look=look, extra=sums)
        attrs = dict(color=stroke, fillcolor=fill)
        if kind == "output":
            attrs["penwidth"] = "2"
        if look_kind in STYLES:
            attrs["style"] = STYLES[look_kind]
        if not influences_output:
            attrs["fontcolor"] = FADED_TEXT
        if frame is not None and frame.current == node.id:
            attrs.update(color=HIGHLIGHT, penwidth="4")
        target = clusters.get(node.info.call.id) if node.info is not None and node.info.call else None
        (target or self.dot).node(f"n{node.id}", label, id=f"{self.options.id_prefix}n{node.id}", **attrs)

    def step_look(self, row: Row, background: str) -> Row:
        """A step row as this drawing shows it: a frame drawn on its own (``frame``) paints the
        rows it does not show in the background colour, so that they keep their room."""
        if self.frame is None:
            return row
        if row.cells:
            return dataclasses.replace(row, cells=tuple(
                (i, text, color if i in self.frame.shown else background) for i, text, color in row.cells))
        return row if row.id in self.frame.shown else dataclasses.replace(row, color=background)

    def product_row(self, node: Node, parent: Node, argnum: int) -> Row | None:
        """The step row of an edge that carries a contribution: upstream × local = share."""
        carried = self.carried.get((parent.id, node.id, argnum))
        if carried is None:
            return None
        share, upstream = carried
        text = product_text(node, upstream, share, argnum, self.options.digits)
        if " × " in text and (self.first_product is None or self.first_product[2] is self.graph.output):
            self.first_product = (text, parent, node)       # the key's example: not into the output
        row = Row("step", dot_escape(text), STEP_COLOR, bold=True,
                  id=step_row_id(self.options.id_prefix, "p", parent.id, node.id, argnum))
        return self.step_look(row, "#FFFFFF")

    def edge_texts(self, node: Node, parent: Node, argnum: int) -> list[str]:
        """Which argument it is (when the op is not symmetric), and the local derivative: for
        scalars, ``local ∂h/∂z = formula = value``; for arrays, the rule that sends the gradient
        ``g`` back, with shapes (:meth:`Wording.backward_rule`), on two lines."""
        return [text for text, _ in self.edge_lines(node, parent, argnum)]

    def edge_lines(self, node: Node, parent: Node, argnum: int) -> list[tuple[str, bool]]:
        """(text, is it a derivative) for each line of the edge's label."""
        lines = []
        if node.op in ORDERED and len(node.parents) + self.data_edges[node.id] > 1:
            lines.append((_ordinal(argnum), False))
        if self.show_local and node.fun is not None and node.id in self.influences:
            try:
                lines.extend((text, True) for text in self.derivative_lines(node, parent, argnum))
            except Exception:          # a drawing never fails over an annotation
                pass
        return lines

    def derivative_lines(self, node: Node, parent: Node, argnum: int) -> list[str]:
        if _is_scalar(node.value) and _is_scalar(parent.value):
            d = local_derivative_value(node, argnum)
            formula = self.wording.formula(node, argnum)
            value = format_value(d, self.options.digits)
            lhs = f"local ∂{node_name(node)}/∂{node_name(parent)}"
            if self.first_local is None or self.first_local[1] is self.graph.output:
                self.first_local = (parent, node)          # the key's example: not into the output
            return [f"{lhs} = {formula} = {value}" if formula and formula != value else f"{lhs} = {value}"]
        rule, _, shapes = self.wording.backward_rule(node, parent, argnum).rpartition(": ")
        self.first_rule = self.first_rule or (parent, node, rule)
        return [rule, shapes]

    def draw_edges_into(self, node: Node) -> None:
        frame = self.frame
        for argnum, parent in node.parents:
            edge = {}
            lines = self.edge_lines(node, parent, argnum)
            product = self.product_row(node, parent, argnum) if self.step_rows else None
            if product is not None:
                edge["label"] = _edge_table(lines, product, faint=self.hidden(node))
            elif lines:
                edge["label"] = _edge_label(lines, faint=self.hidden(node))
            if node.id not in self.influences:
                edge.update(color="#BBBBBB", style="dotted")
            if self.hidden(node):
                edge.update(color=HIDDEN_STROKE, fontcolor=HIDDEN_TEXT)
            if frame is not None and (parent.id, node.id, argnum) in frame.sending:
                edge.update(color=HIGHLIGHT, penwidth="3")
            self.dot.edge(f"n{parent.id}", f"n{node.id}",
                          id=f"{self.options.id_prefix}e{parent.id}_{node.id}_{argnum}", **edge)


def _edge_label(lines: list[tuple[str, bool]], faint: bool = False) -> str:
    """An edge's HTML-like label: a derivative italic in its own colour, anything else plain
    (``faint``: all of it in the colour of what is not computed yet)."""
    color = HIDDEN_TEXT if faint else LOCAL_COLOR
    parts = [f'<FONT COLOR="{color}"><I>{dot_escape(text)}</I></FONT>' if derivative
             else dot_escape(text) for text, derivative in lines]
    return "<" + "<BR/>".join(parts) + ">"


def _edge_table(lines: list[tuple[str, bool]], product: Row, faint: bool = False) -> str:
    """An edge's label with a step row under its lines (a table, so that the row has an id)."""
    color = HIDDEN_TEXT if faint else LOCAL_COLOR
    cells = [f'<FONT COLOR="{color}"><I>{dot_escape(text)}</I></FONT>' if derivative
             else dot_escape(text) for text, derivative in lines]
    cells = "".join(f'<TR><TD ALIGN="LEFT">{cell}</TD></TR>' for cell in cells)
    return (TABLE.replace('CELLPADDING="1"', 'CELLPADDING="0"') + cells + _row(product, size=9)
            + "</TABLE>>")


def note_label(lines: list[str]) -> str:
    """Lines of a caption as one plain Graphviz label (escaped)."""
    return "\\n".join(dot_escape(line) for line in lines)      # \n: Graphviz's line break


def _key_text(text: str, color: str, italic: bool = False, bold: bool = False) -> str:
    inner = f"<I>{dot_escape(text)}</I>" if italic else dot_escape(text)
    inner = f"<B>{inner}</B>" if bold else inner
    return f'<FONT COLOR="{color}">{inner}</FONT>'


def _swatch(look: str) -> str:
    """A small box drawn as ``look`` draws its boxes (its outline, fill and line style)."""
    stroke, fill = COLORS[look]
    style = STYLES.get(look, "").replace("filled", "").strip(",")
    style_attr = f' STYLE="{style}"' if style else ""
    return (f'<TD ALIGN="RIGHT" VALIGN="TOP"><TABLE FIXEDSIZE="TRUE" WIDTH="28" HEIGHT="13" BORDER="1" CELLBORDER="0" COLOR="{stroke}" '
            f'BGCOLOR="{fill}"{style_attr}><TR><TD></TD></TR></TABLE></TD>')


def _key_row(sample: str, *lines: str) -> str:
    cell = sample if sample.startswith("<TD") else f'<TD ALIGN="RIGHT" VALIGN="TOP">{sample}</TD>'
    text = '<BR ALIGN="LEFT"/>'.join(dot_escape(line) for line in lines)
    return f'<TR>{cell}<TD ALIGN="LEFT" BALIGN="LEFT">{text}</TD></TR>'


def _key_table(notes: list[str], key: list[str]) -> str:
    """The picture's caption as a table: its notes, then the key (sample, meaning) row by row."""
    head = "".join(f'<TR><TD COLSPAN="2" ALIGN="LEFT">{dot_escape(line)}</TD></TR>' for line in notes)
    return ('<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="1">' + head
            + '<TR><TD COLSPAN="2" ALIGN="LEFT"><B>Key</B></TD></TR>' + "".join(key) + "</TABLE>>")


def _ordinal(i: int) -> str:
    return {0: "1st", 1: "2nd", 2: "3rd"}.get(i, f"{i + 1}th") + " arg"


def paint(painter: "Painter", graph: Graph, calls: list[Call], digraph: graphviz.Digraph) -> None:
    """The data, then each node with the edges into it, in a box per helper call."""
    clusters = call_clusters(digraph, calls)
    painter.draw_data()
    for node in graph.nodes:
        painter.draw_node(node, clusters)
        painter.draw_edges_into(node)
    close_clusters(digraph, clusters, calls)


def call_clusters(dot: graphviz.Digraph, calls: list[Call]) -> dict[int, graphviz.Digraph]:
    """One box per helper-function call; nested calls nest."""
    counts = Counter(c.function for c in calls)
    numbering: Counter = Counter()
    result = {}
    for call in calls:
        if not call.nodes:
            continue
        numbering[call.function] += 1
        title = f"{call.function}()" + (f" #{numbering[call.function]}" if counts[call.function] > 1 else "")
        sub = graphviz.Digraph(name=f"cluster_call{call.id}")
        sub.attr(label=dot_escape(title), style="rounded,dashed", color="#56B4E9", fontcolor="#0072B2",
                 fontsize="10", labeljust="l")
        result[call.id] = sub
    return result


def close_clusters(dot, clusters, calls: list[Call]) -> None:
    """Put the boxes of :func:`call_clusters` into ``dot``, once their nodes are drawn."""
    # attach inner boxes to outer ones, deepest first
    for call in sorted((c for c in calls if c.id in clusters), key=lambda c: -c.depth):
        parent = call.parent
        while parent is not None and parent.id not in clusters:
            parent = parent.parent
        (clusters[parent.id] if parent is not None else dot).subgraph(clusters[call.id])


def summary_groups(graph: Graph) -> dict[Any, list[Node]]:
    """The boxes of a summary, in order of first appearance: each input, the output,
    and one box per source line (a loop body) holding every node that line made."""
    groups: dict[Any, list[Node]] = defaultdict(list)
    for node in graph.nodes:
        info = node.info
        if node.fun is None:
            key = ("input", node.id)
        elif node is graph.output:
            key = ("output", node.id)
        elif info is not None and info.line is not None:
            key = ("line", info.function, info.line, info.backward)
        else:
            key = ("op", node.op)
        groups[key].append(node)
    return groups


def group_title(key, members: list[Node], names: NameOf) -> str:
    if key[0] in ("input", "output"):
        return names(members[0])
    if key[0] == "line":
        return f"{key[1]}(), line {key[2]}" + ("  (backward)" if key[3] else "")
    return key[1]


def _build_summary(graph: Graph, options: DrawOptions, drawing: Drawing,
                   frame: FrameStyle | None = None) -> Drawing:
    """Too many nodes: one box per source line (a loop body), with how many ops it made.

    ``frame`` (group indices in ``hidden``/``unknown``/``current``) recolours it as a step.
    """
    dot = drawing.digraph
    drawing.collapsed = True
    has_grads = graph.output is not None and bool(graph.steps)
    wording = Wording(node_name, digits=options.digits)
    groups = summary_groups(graph)
    key_of = {node.id: key for key, members in groups.items() for node in members}
    index = {k: i for i, k in enumerate(groups)}
    prefix = options.id_prefix
    for key, members in groups.items():
        i = index[key]
        faint = frame is not None and i in frame.hidden
        extra = {"id": f"{prefix}g{i}"}
        if frame is not None and frame.current == i:
            extra.update(color=HIGHLIGHT, penwidth="4")
        first = members[0]
        if key[0] in ("input", "output"):
            kind = node_kind(first, graph)
            stroke, fill = (HIDDEN_STROKE, HIDDEN_FILL) if faint else COLORS[kind]
            look = Look(gradient_color=fill if frame is not None and i in frame.unknown else None)
            op_text = None if first.fun is None else wording.operation(first)
            label = node_label(first, kind, node_name(first), op_text, options, True, has_grads,
                               named=is_named(first), look=look)
            dot.node(f"g{i}", label, **{"color": stroke, "fillcolor": fill,
                                        "penwidth": "2" if kind == "output" else "1", **extra})
            continue
        ops = Counter(n.op for n in members)
        op_list = ", ".join(f"{op} ×{n:,}" if n > 1 else op for op, n in ops.most_common(4))
        source = linecache.getline(first.info.filename or "", key[2]).strip() if key[0] == "line" else ""
        rows = [Row("note", dot_escape(f"{len(members):,} operations: {op_list}"))]
        if source:
            rows.append(Row("note", dot_escape(source), "#555555"))
        if options.values:
            rows.append(Row("value", dot_escape("last value " + format_value(members[-1].value, options.digits))))
        stroke, fill = COLORS["backward" if key[0] == "line" and key[3] else "summary"]
        if faint:
            stroke, fill = HIDDEN_STROKE, HIDDEN_FILL
        dot.node(f"g{i}", _table(_title(group_title(key, members, node_name)), rows),
                 **{"color": stroke, "fillcolor": fill, "style": "rounded,filled,bold", **extra})
    edges = Counter()
    for node in graph.nodes:
        for _, parent in node.parents:
            edges[(index[key_of[parent.id]], index[key_of[node.id]])] += 1
    for (a, b), n in edges.items():
        attrs = {"id": f"{prefix}ge{a}_{b}"}
        if frame is not None and b in frame.hidden:
            attrs.update(color=HIDDEN_STROKE, fontcolor=HIDDEN_TEXT)
        dot.edge(f"g{a}", f"g{b}", label=dot_escape(f"×{n:,}") if n > 1 else None, **attrs)
    why = ("" if options.node_limit == 0 else
           f" are more than the limit of {options.node_limit} (node_limit=), so")
    drawing.notes.insert(0, f"Summary: {len(graph.nodes):,} nodes{why}: each box stands for all the "
                            f"operations one line of code made; ×N counts them.")
    dot.attr(label=note_label(drawing.notes), labelloc="b", labeljust="l", fontsize="10")
    return drawing
