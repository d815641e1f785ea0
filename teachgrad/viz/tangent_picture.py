"""The drawing of forward mode: each node with its value and its tangent (``dz = 0.5403``).

Tangent rows have their own colour and words, so that a forward-mode picture
never looks like a reverse-mode one: a gradient row reads ``∂f/∂z = ...`` in
orange, a tangent row ``tangent dz = ...`` in blue. Everything else (titles,
helper-call boxes, data, how a frame of the stepper greys what is not
computed yet) is the drawing of :mod:`teachgrad.viz.render`.
"""
from __future__ import annotations

import dataclasses
from typing import Any

import graphviz

from ..describe.capture import Call
from ..describe.names import is_named, node_name
from ..describe.steps import tangent_name
from ..describe.tangents import TangentPass
from ..describe.values import NOT_FINITE, format_value, has_nonfinite
from ..graph import Graph, Node
from .labels import dot_escape
from .render import (COLORS, HIDDEN_FILL, HIDDEN_STROKE, HIDDEN_TEXT, HIGHLIGHT, DrawOptions,
                     Drawing, FrameStyle, Look, Painter, note_label, paint,
                     new_digraph, node_kind, node_label)

TANGENT_COLOR = "#0b5394"       # dark blue: the tangent row, and only it (a gradient row is orange)
END_OF_LABEL = "</TABLE>>"


def tangent_row(text: str, look: Look) -> str:
    color = HIDDEN_TEXT if look.faint else TANGENT_COLOR
    return (f'<TR><TD ALIGN="LEFT" BALIGN="LEFT"><FONT POINT-SIZE="10" COLOR="{color}">'
            f"<I>{text}</I></FONT></TD></TR>")


class TangentPainter(Painter):
    """Draws nodes with a tangent row instead of a gradient row."""

    def __init__(self, graph: Graph, options: DrawOptions, data_leaves: dict[int, tuple[str, Any]],
                 frame: FrameStyle | None, dot: graphviz.Digraph, moves: TangentPass, seeded: set[int]):
        super().__init__(graph, options, data_leaves, frame, dot)
        self.moves = moves
        self.seeded = seeded
        self.influences = {n.id for n in graph.nodes}     # forward mode computes every tangent

    def draw_node(self, node: Node, clusters: dict[int, graphviz.Digraph]) -> None:
        kind = node_kind(node, self.graph)
        stroke, fill = COLORS[kind]
        faint = self.hidden(node)
        if faint:
            stroke, fill = HIDDEN_STROKE, HIDDEN_FILL
        look = Look(faint=faint)
        op_text = None if node.fun is None else self.wording.operation(node)
        label = node_label(node, kind, node_name(node), op_text, self.options, True, False,
                           named=is_named(node), look=look)
        assert label.endswith(END_OF_LABEL), label
        label = label[:-len(END_OF_LABEL)] + tangent_row(self.tangent_text(node), look) + END_OF_LABEL
        attrs = dict(color=stroke, fillcolor=fill)
        if kind == "output":
            attrs["penwidth"] = "2"
        if kind == "backward":
            attrs["style"] = "rounded,filled,dashed"
        if self.frame is not None and self.frame.current == node.id:
            attrs.update(color=HIGHLIGHT, penwidth="4")
        target = clusters.get(node.info.call.id) if node.info is not None and node.info.call else None
        (target or self.dot).node(f"n{node.id}", label, id=f"{self.options.id_prefix}n{node.id}", **attrs)

    def tangent_text(self, node: Node) -> str:
        t = self.moves.tangent(node)
        bad = has_nonfinite(t)
        text = dot_escape(f"tangent {tangent_name(node_name(node))} = {format_value(t, self.options.digits)}")
        return text + (f" {NOT_FINITE}" if bad else "") + ("  (seed)" if node.id in self.seeded else "")


def forward_note(moved: str, how: str) -> str:
    """The picture's key: ``how`` the input ``moved`` moves ("by 1", "along the tangent chosen")."""
    return (f"Forward mode: each node shows its value and, in blue, its tangent d·: how much it "
            f"moves when {moved} moves {how}.")


def build_tangent_drawing(graph: Graph, calls: list[Call], options: DrawOptions,
                          data_leaves: dict[int, tuple[str, Any]], moves: TangentPass, seeded: set[int],
                          note: str, frame: FrameStyle | None = None) -> Drawing:
    """The Digraph of ``graph`` with tangent rows (``seeded``: the ids of the inputs that move);
    ``frame`` recolours it as one step of the stepper."""
    options = dataclasses.replace(options, gradients=False, local_derivatives=False)
    drawing = Drawing(new_digraph(options), notes=[note])
    painter = TangentPainter(graph, options, data_leaves, frame, drawing.digraph, moves, seeded)
    paint(painter, graph, calls, drawing.digraph)
    drawing.digraph.attr(label=note_label(drawing.notes), labelloc="b", labeljust="l", fontsize="10")
    return drawing
