"""What the chain rule does at each step, in words and numbers, for the stepper."""
from __future__ import annotations

from typing import Any

import numpy

from ..backprop import Step
from ..graph import Graph, Node
from ..tracing import unwrap
from .labels import escape, format_value
from ..describe.names import NameOf
from .render import argument_texts, formula_text, local_derivative, operation_text


def _shape(value) -> tuple:
    return numpy.shape(unwrap(value))


def _is_scalar(value) -> bool:
    return _shape(value) == ()


class Explainer:
    """Sentences for forward and backward steps of one recorded graph."""

    def __init__(self, graph: Graph, names: NameOf, data_names: dict, output_name: str, digits: int = 4):
        self.graph = graph
        self.names = names
        self.data_names = data_names
        self.out = output_name
        self.digits = digits
        # who sent what to each node: node id -> [(child, gradient)]
        self.received: dict[int, list[tuple[Node, Any]]] = {}
        for step in graph.steps:
            for parent, argnum, g in step.contributions:
                self.received.setdefault(parent.id, []).append((step.node, g))

    def v(self, value) -> str:
        return format_value(value, self.digits)

    def d(self, node: Node) -> str:
        return f"∂{self.out}/∂{self.names(node)}"

    # --- forward ---------------------------------------------------------------
    def forward(self, node: Node, index: int, total: int) -> str:
        name = self.names(node)
        head = f"<b>Forward {index}/{total}</b>: "
        if node.fun is None:
            return head + f"<b>{escape(name)}</b> is an input, with value {escape(self.v(node.value))}."
        text = operation_text(node, self.names, self.data_names, self.digits)
        parts = [f"{self.names(p)} = {self.v(p.value)}" for _, p in node.parents]
        line = (f"<b>{escape(name)}</b> = {escape(text)} = <b>{escape(self.v(node.value))}</b>")
        if parts:
            line += f"<br>computed from {escape(', '.join(parts))}."
        if not _is_scalar(node.value):
            line += f"<br>shape {_shape(node.value)}"
        return head + line

    # --- backward --------------------------------------------------------------
    def backward(self, step: Step, index: int, total: int) -> str:
        node = step.node
        name = self.names(node)
        lines = [f"<b>Backward {index}/{total}</b> at <b>{escape(name)}</b>"
                 + (f" = {escape(operation_text(node, self.names, self.data_names, self.digits))}"
                    if node.fun is not None else " (an input)")]
        lines.append(self._upstream(step))
        for parent, argnum, g in step.contributions:
            lines.append(self._contribution(step, parent, argnum, g))
        if node.fun is None:
            lines.append(f"This is the gradient of {escape(self.out)} with respect to the input "
                         f"<b>{escape(name)}</b>: {escape(self.v(step.upstream))}.")
        return "<br>".join(lines)

    def _upstream(self, step: Step) -> str:
        node = step.node
        if node is self.graph.output:
            return (f"Upstream gradient {escape(self.d(node))} = {escape(self.v(step.upstream))}: "
                    "the output's derivative with respect to itself starts the backward pass.")
        received = self.received.get(node.id, [])
        text = f"Upstream gradient {escape(self.d(node))} = <b>{escape(self.v(step.upstream))}</b>"
        if len(received) > 1:
            terms = " + ".join(f"{self.v(g)} (from {self.names(child)})" for child, g in received)
            text += (f"<br>{escape(self.names(node))} is used by {len(received)} nodes, so its gradient is "
                     f"the sum of their contributions: {escape(terms)} = {escape(self.v(step.upstream))}")
        elif received:
            text += f", sent by {escape(self.names(received[0][0]))}"
        return text + "."

    def _contribution(self, step: Step, parent: Node, argnum: int, g: Any) -> str:
        node = step.node
        local_name = f"∂{self.names(node)}/∂{self.names(parent)}"
        rule = self._rule(node, parent, argnum)
        if _is_scalar(step.upstream) and _is_scalar(g) and _is_scalar(parent.value):
            try:
                local = local_derivative(node, argnum)
                local_text = self.v(local)
            except Exception:
                local, local_text = None, "?"
            formula = formula_text(node, argnum, self.names, self.data_names, self.digits)
            local_part = f"{local_name} = " + (f"{formula} = " if formula and formula != local_text else "") + local_text
            return (f"Local derivative {escape(local_part)}.<br>"
                    f"Sends to <b>{escape(self.names(parent))}</b>: {escape(self.d(node))} × {escape(local_name)}"
                    f" = {escape(self.v(step.upstream))} × {escape(local_text)} = <b>{escape(self.v(g))}</b>"
                    + self._progress(parent, step))
        return (f"Sends to <b>{escape(self.names(parent))}</b>: {escape(rule)}"
                f" = <b>{escape(self.v(g))}</b> (shape {_shape(g)})" + self._progress(parent, step))

    def _progress(self, parent: Node, step: Step) -> str:
        received = self.received.get(parent.id, [])
        if len(received) <= 1:
            return "."
        k = next(i for i, (child, _) in enumerate(received) if child is step.node) + 1
        return f" (contribution {k} of {len(received)} to {escape(self.names(parent))}, which adds them up)."

    def _rule(self, node: Node, parent: Node, argnum: int) -> str:
        """How the contribution is computed, with the right product for arrays."""
        up = self.d(node)
        args = argument_texts(node, self.names, self.data_names, self.digits)
        other = args[1 - argnum] if len(args) > 1 and argnum < 2 else ""
        op = node.op
        broadcast = _shape(parent.value) != _shape(node.value) and op in (
            "add", "subtract", "multiply", "divide", "true_divide", "power", "maximum", "minimum", "where")
        tail = f", summed over the broadcast axes down to shape {_shape(parent.value)}" if broadcast else ""
        if op == "add":
            return up + tail
        if op == "subtract":
            return (up if argnum == 0 else f"-{up}") + tail
        if op == "multiply":
            return f"{up} * {other} (elementwise){tail}"
        if op in ("divide", "true_divide"):
            return (f"{up} / {args[1]}" if argnum == 0 else f"-{up} * {args[0]} / {args[1]}²") + " (elementwise)" + tail
        if op in ("matmul", "dot"):
            if argnum == 0:
                return f"{up} @ {args[1]}ᵀ (matrix product with the transpose)"
            return f"{args[0]}ᵀ @ {up} (matrix product with the transpose)"
        if op in ("sum", "mean"):
            n = numpy.size(unwrap(parent.value)) // max(numpy.size(unwrap(node.value)), 1)
            if op == "sum":
                return (f"{up} copied to every entry of {self.names(parent)} (shape {_shape(parent.value)}): "
                        "each entry adds to the sum with slope 1")
            return (f"{up} / {n}, copied to every entry of {self.names(parent)} (shape {_shape(parent.value)}): "
                    f"each of the {n} entries adds 1/{n} of itself to the mean")
        if op == "getitem":
            return f"{up} placed at the selected entries, zeros elsewhere"
        if op in ("reshape", "ravel", "squeeze", "expand_dims", "transpose"):
            return f"{up} reshaped back to shape {_shape(parent.value)}"
        formula = formula_text(node, argnum, self.names, self.data_names, self.digits)
        if formula:
            return f"{up} * ({formula}) (elementwise){tail}"
        return f"the vector-Jacobian product of {op} applied to {up}"
