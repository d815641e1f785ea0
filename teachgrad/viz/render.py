"""From a recorded graph to a ``graphviz.Digraph``: what each node and edge shows.

Reads only the graph (nodes, parents, values, gradients) and what
the capture (:mod:`teachgrad.describe.capture`) noted while drawing; knows nothing else of the
engine.
"""
from __future__ import annotations

import linecache
import re
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

# Okabe-Ito colours (readable by colour-blind readers), with light fills for print.
COLORS = {
    "input": ("#0072B2", "#DCEBF7"),
    "data": ("#6B6B6B", "#EFEFEF"),
    "op": ("#333333", "#FFFFFF"),
    "backward": ("#D55E00", "#FBE5D6"),
    "output": ("#009E73", "#D9F2E8"),
    "faded": ("#AAAAAA", "#FAFAFA"),
    "summary": ("#56B4E9", "#EAF5FC"),
}
GRAD_COLOR = "#b35806"     # lower case: the stepper finds gradient rows by it in the SVG
BAD_COLOR = "#D55E00"


@dataclass
class DrawOptions:
    """How a graph is drawn; every option of show_graph lands here."""
    direction: str = "TB"
    digits: int = 4
    values: bool = True
    gradients: bool = True
    local_derivatives: bool | None = None    # None: on for small graphs of scalars
    node_limit: int = 150
    output_name: str = "f"
    id_prefix: str = ""          # SVG ids become prefix + n3 / e2_3: the stepper styles them

    def __post_init__(self):
        self.digits = check_digits(self.digits)


@dataclass(frozen=True)
class FrameStyle:
    """One step of the stepper, as colours: drawn by dot, it keeps the layout of the full graph."""
    current: int | None = None
    hidden: frozenset = frozenset()        # nodes not computed yet (forward phase)
    unknown: frozenset = frozenset()       # nodes whose gradient is not known yet
    sending: frozenset = frozenset()       # (parent id, child id, argnum) edges carrying gradients now


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


def _row(text: str, color: str | None = None, bold: bool = False, size: int = 10) -> str:
    inner = f"<B>{text}</B>" if bold else text
    font = f'<FONT POINT-SIZE="{size}"' + (f' COLOR="{color}"' if color else "") + ">"
    return f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{font}{inner}</FONT></TD></TR>'


def node_label(node: Node, kind: str, name: str, op_text: str | None, options: DrawOptions,
               influences: bool, has_grads: bool, named: bool = True,
               faint: bool = False, grad_color: str | None = None) -> str:
    """The HTML-like label. ``faint`` greys every row; ``grad_color`` recolours the
    gradient row (the fill colour makes it invisible while keeping its size)."""
    label = _node_label(node, kind, name, op_text, options, influences, has_grads, named)
    if grad_color is not None:
        label = label.replace(f'COLOR="{GRAD_COLOR}"', 'COLOR="GRADIENT-ROW"')
    if faint:
        label = re.sub(r'COLOR="#[0-9A-Fa-f]{6}"', f'COLOR="{HIDDEN_TEXT}"', label)
        label = label.replace('<FONT POINT-SIZE="10">', f'<FONT POINT-SIZE="10" COLOR="{HIDDEN_TEXT}">')
        label = label.replace('<TD ALIGN="LEFT">', f'<TD ALIGN="LEFT"><FONT COLOR="{HIDDEN_TEXT}">', 1)
        label = label.replace('</TD></TR>', '</FONT></TD></TR>', 1)
    if grad_color is not None:
        label = label.replace('COLOR="GRADIENT-ROW"', f'COLOR="{grad_color}"')
    return label


def _node_label(node: Node, kind: str, name: str, op_text: str | None, options: DrawOptions,
                influences: bool, has_grads: bool, named: bool = True) -> str:
    rows = []
    title = f"<B>{dot_escape(name)}</B>"
    if op_text is not None:
        if named:
            title += " = " + dot_escape(op_text)
        else:
            title = dot_escape(op_text) + f'  <FONT POINT-SIZE="8" COLOR="#888888">{dot_escape(name)}</FONT>'
    elif kind == "input":
        title += '  <FONT POINT-SIZE="9" COLOR="#555555">input</FONT>'
    rows.append(f'<TR><TD ALIGN="LEFT">{title}</TD></TR>')
    if options.values:
        value_text = dot_escape(format_value(node.value, options.digits))
        bad = has_nonfinite(node.value)
        rows.append(_row(("value " + value_text) + (f" {NOT_FINITE}" if bad else ""),
                         BAD_COLOR if bad else None, bold=bad))
    if options.gradients and has_grads and influences:
        wrt = f"∂{options.output_name}/∂{name}"
        if node.has_grad:
            g = node.grad
            bad = has_nonfinite(g)
            rows.append(_row(dot_escape(f"{wrt} = {format_value(g, options.digits)}")
                             + (f" {NOT_FINITE}" if bad else ""),
                             BAD_COLOR if bad else GRAD_COLOR, bold=bad))
        else:
            rows.append(_row(dot_escape(f"{wrt}: not computed yet"), "#888888"))
    return '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">' + "".join(rows) + "</TABLE>>"


def build(graph: Graph, calls: list[Call], options: DrawOptions,
          data_leaves: dict[int, tuple[str, Any]], frame: FrameStyle | None = None) -> Drawing:
    """The Digraph of ``graph``, collapsed to a summary when it is too big.

    ``frame`` recolours it as one step of the stepper (same layout).
    """
    dot = graphviz.Digraph("teachgrad", format="svg")
    dot.attr(rankdir=options.direction, fontname="Helvetica", fontsize="11", newrank="true",
             nodesep="0.3", ranksep="0.35")
    dot.attr("node", shape="box", style="rounded,filled", fontname="Helvetica", fontsize="11",
             margin="0.12,0.06")
    dot.attr("edge", fontname="Helvetica", fontsize="9", color="#555555", arrowsize="0.7")
    drawing = Drawing(dot)
    names = node_name
    has_grads = graph.output is not None and bool(graph.steps)
    influences = {s.node.id for s in graph.steps} if has_grads else {n.id for n in graph.nodes}
    data_names = {leaf_id: name for leaf_id, (name, _) in data_leaves.items()}
    wording = Wording(names, data_names=data_names, digits=options.digits)

    result = getattr(graph, "result", None)
    if not graph.inputs:
        drawing.notes.append("No argument was differentiated: none holds floats. Integers cannot "
                             "change a little, so write 1.0 instead of 1 (or choose wrt=).")
    elif graph.output is None and isinstance(result, (tuple, list, dict)):
        drawing.notes.append(f"Forward values only: the function returned a {type(result).__name__}, "
                             "not one number, so there is no single gradient. Return one value "
                             "(or a sum) to see gradients.")
    elif graph.output is None:
        drawing.notes.append("The output does not depend on any differentiated input: nothing to backpropagate.")
    elif not has_grads:
        shape = numpy.shape(unwrap(graph.output.value))
        drawing.notes.append(f"Forward values only: the output has shape {shape}, not one number, "
                             "so there is no single gradient. Pass seed= (the upstream gradient) to backpropagate.")

    visible = graph.nodes
    if len(visible) > options.node_limit:
        return _build_summary(graph, calls, options, drawing, names, wording, influences, frame)

    scalar_graph = all(_is_scalar(n.value) for n in graph.nodes)
    show_local = options.local_derivatives
    if show_local is None:
        show_local = scalar_graph and len(graph.nodes) <= 30 and has_grads
    show_local = show_local and options.gradients

    # data arguments used by the computation
    used_data = {}
    for node in graph.nodes:
        for i, arg in enumerate(node.args):
            if id(arg) in data_leaves and i not in dict(node.parents):
                used_data.setdefault(id(arg), []).append((node, i))

    clusters = _clusters(dot, calls)
    for leaf_id, uses in used_data.items():
        name, value = data_leaves[leaf_id]
        label = ('<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
                 f'<TR><TD ALIGN="LEFT"><B>{dot_escape(name)}</B>  <FONT POINT-SIZE="9" COLOR="#555555">data</FONT></TD></TR>'
                 + (_row("value " + dot_escape(format_value(value, options.digits))) if options.values else "")
                 + _row("no gradient: not differentiated", "#777777") + "</TABLE>>")
        stroke, fill = COLORS["data"]
        dot.node(f"d{leaf_id}", label, color=stroke, fillcolor=fill, style="rounded,filled,dashed",
                 id=f"{options.id_prefix}d{leaf_id}")
        for node, i in uses:
            ordered = node.op in ORDERED and len(node.parents) + len(uses) > 1
            faint = frame is not None and node.id in frame.hidden
            dot.edge(f"d{leaf_id}", f"n{node.id}", style="dashed",
                     color=HIDDEN_STROKE if faint else "#888888",
                     label=_ordinal(i) if ordered else None,
                     id=f"{options.id_prefix}e_d{leaf_id}_{node.id}_{i}")

    data_edges = Counter(node.id for uses in used_data.values() for node, _ in uses)
    for node in graph.nodes:
        kind = node_kind(node, graph)
        influences_output = node.id in influences
        if not influences_output and kind != "input":
            stroke, fill = COLORS["faded"]
        else:
            stroke, fill = COLORS[kind]
        op_text = None if node.fun is None else wording.operation(node)
        faint = frame is not None and node.id in frame.hidden
        hide_grad = frame is not None and node.id in frame.unknown
        if faint:
            stroke, fill = HIDDEN_STROKE, HIDDEN_FILL
        label = node_label(node, kind, names(node), op_text, options, influences_output, has_grads,
                           named=is_named(node), faint=faint,
                           grad_color=fill if hide_grad else None)
        attrs = dict(color=stroke, fillcolor=fill)
        if kind == "output":
            attrs["penwidth"] = "2"
        if kind == "backward":
            attrs["style"] = "rounded,filled,dashed"
        if not influences_output:
            attrs["fontcolor"] = "#888888"
        if frame is not None and frame.current == node.id:
            attrs.update(color=HIGHLIGHT, penwidth="4")
        target = clusters.get(node.info.call.id) if node.info is not None and node.info.call else None
        (target or dot).node(f"n{node.id}", label, id=f"{options.id_prefix}n{node.id}", **attrs)
        ordered = node.op in ORDERED and len(node.parents) + data_edges[node.id] > 1
        for argnum, parent in node.parents:
            edge = {}
            texts = []
            if ordered:
                texts.append(_ordinal(argnum))
            if show_local and node.fun is not None:
                try:
                    d = local_derivative_value(node, argnum)
                    formula = wording.formula(node, argnum)
                    value = format_value(d, options.digits)
                    lhs = f"∂{names(node)}/∂{names(parent)}"
                    texts.append(f"{lhs} = {formula} = {value}" if formula and formula != value
                                 else f"{lhs} = {value}")
                except Exception:          # a drawing never fails over an annotation
                    pass
            if texts:
                edge["label"] = "\\n".join(dot_escape(t) for t in texts)   # \n: Graphviz's line break
            if not influences_output:
                edge["color"] = "#BBBBBB"
            if frame is not None and node.id in frame.hidden:
                edge.update(color=HIDDEN_STROKE, fontcolor=HIDDEN_TEXT)
            if frame is not None and (parent.id, node.id, argnum) in frame.sending:
                edge.update(color=HIGHLIGHT, penwidth="3")
            dot.edge(f"n{parent.id}", f"n{node.id}", id=f"{options.id_prefix}e{parent.id}_{node.id}_{argnum}",
                     **edge)
    _close_clusters(dot, clusters, calls)
    if any(node_kind(n, graph) == "backward" for n in graph.nodes):
        drawing.notes.append("Dashed orange boxes were computed by a backward pass: "
                             "the gradient is itself a computation, recorded like any other.")
    if drawing.notes:
        dot.attr(label=_note(drawing.notes), labelloc="b", labeljust="l", fontsize="10")
    return drawing


def _note(lines: list[str]) -> str:
    return "\\n".join(dot_escape(line) for line in lines)      # \n: Graphviz's line break


def _ordinal(i: int) -> str:
    return {0: "1st", 1: "2nd", 2: "3rd"}.get(i, f"{i + 1}th") + " arg"


def _clusters(dot: graphviz.Digraph, calls: list[Call]) -> dict[int, graphviz.Digraph]:
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


def _close_clusters(dot, clusters, calls: list[Call]) -> None:
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


def _build_summary(graph, calls, options, drawing, names, wording, influences,
                   frame: FrameStyle | None = None) -> Drawing:
    """Too many nodes: one box per source line (a loop body), with how many ops it made.

    ``frame`` (group indices in ``hidden``/``unknown``/``current``) recolours it as a step.
    """
    dot = drawing.digraph
    drawing.collapsed = True
    groups = summary_groups(graph)
    key_of = {node.id: key for key, members in groups.items() for node in members}
    keys = list(groups)
    index = {k: i for i, k in enumerate(keys)}
    prefix = options.id_prefix
    for key, members in groups.items():
        i = index[key]
        faint = frame is not None and i in frame.hidden
        hide_grad = frame is not None and i in frame.unknown
        extra = {"id": f"{prefix}g{i}"}
        if frame is not None and frame.current == i:
            extra.update(color=HIGHLIGHT, penwidth="4")
        first = members[0]
        if key[0] in ("input", "output"):
            kind = node_kind(first, graph)
            op_text = None if first.fun is None else wording.operation(first)
            label = node_label(first, kind, names(first), op_text, options, True,
                               graph.output is not None and bool(graph.steps),
                               named=is_named(first))
            stroke, fill = (HIDDEN_STROKE, HIDDEN_FILL) if faint else COLORS[kind]
            if hide_grad:
                label = label.replace(f'COLOR="{GRAD_COLOR}"', f'COLOR="{fill}"')
            dot.node(f"g{i}", label, **{"color": stroke, "fillcolor": fill,
                                        "penwidth": "2" if kind == "output" else "1", **extra})
            continue
        ops = Counter(n.op for n in members)
        op_list = ", ".join(f"{op} ×{n:,}" if n > 1 else op for op, n in ops.most_common(4))
        title = group_title(key, members, names)
        source = linecache.getline(first.info.filename or "", key[2]).strip() if key[0] == "line" else ""
        rows = [f'<TR><TD ALIGN="LEFT"><B>{dot_escape(title)}</B></TD></TR>',
                _row(dot_escape(f"{len(members):,} operations: {op_list}"))]
        if source:
            rows.append(_row(dot_escape(source), "#555555"))
        last = members[-1]
        if options.values:
            rows.append(_row(dot_escape("last value " + format_value(last.value, options.digits))))
        stroke, fill = COLORS["backward" if key[0] == "line" and key[3] else "summary"]
        if faint:
            stroke, fill = HIDDEN_STROKE, HIDDEN_FILL
        dot.node(f"g{i}", '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
                 + "".join(rows) + "</TABLE>>", **{"color": stroke, "fillcolor": fill,
                                                   "style": "rounded,filled,bold", **extra})
    edges = Counter()
    for node in graph.nodes:
        for _, parent in node.parents:
            a, b = index[key_of[parent.id]], index[key_of[node.id]]
            edges[(a, b)] += 1
    for (a, b), n in edges.items():
        attrs = {"id": f"{prefix}ge{a}_{b}"}
        if frame is not None and b in frame.hidden:
            attrs.update(color=HIDDEN_STROKE, fontcolor=HIDDEN_TEXT)
        dot.edge(f"g{a}", f"g{b}", label=dot_escape(f"×{n:,}") if n > 1 else None, **attrs)
    why = ("" if options.node_limit == 0 else
           f" are more than the limit of {options.node_limit} (node_limit=), so")
    drawing.notes.insert(0, f"Summary: {len(graph.nodes):,} nodes{why}: each box stands for all the "
                            f"operations one line of code made; ×N counts them.")
    dot.attr(label=_note(drawing.notes), labelloc="b", labeljust="l", fontsize="10")
    return drawing

