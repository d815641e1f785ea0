"""What the chain rule does at each step, in words and numbers, for the stepper (HTML)."""
from __future__ import annotations

from typing import Any

import numpy

from ..backprop import Step
from ..graph import Graph, Node
from ..tracing import unwrap
from .names import NameOf
from .operations import Wording, local_derivative_value
from .values import escape, format_value


def _shape(value) -> tuple:
    return numpy.shape(unwrap(value))


def _is_scalar(value) -> bool:
    return _shape(value) == ()


class Explainer:
    """Sentences for forward and backward steps of one recorded graph."""

    def __init__(self, graph: Graph, names: NameOf, data_names: dict, output_name: str, digits: int = 4):
        self.graph = graph
        self.names = names
        self.wording = Wording(names, data_names=data_names, digits=digits)
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
        text = self.wording.operation(node)
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
                 + (f" = {escape(self.wording.operation(node))}"
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
        rule = self.wording.chain_rule(node, parent, argnum, self.d(node))
        if _is_scalar(step.upstream) and _is_scalar(g) and _is_scalar(parent.value):
            try:
                local = local_derivative_value(node, argnum)
                local_text = self.v(local)
            except Exception:
                local, local_text = None, "?"
            formula = self.wording.formula(node, argnum)
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

    # --- a summary: one step per box (an input, the output, a line of code) ---------
    def summary_forward(self, kind: str, title: str, members: list[Node], index: int, total: int) -> str:
        value = escape(self.v(members[-1].value))
        if kind == "input":
            what = f"is an input, with value {value}."
        elif kind == "output":
            what = f"is the output, with value {value}."
        else:
            what = f"ran {len(members):,} operation(s); its last value is {value}."
        return f"<b>Forward {index}/{total}</b>: <b>{escape(title)}</b> {what}"

    def summary_backward(self, kind: str, title: str, steps: list[Step], index: int, total: int) -> str:
        """``steps`` are the box's backward steps, in backward order: the last value's first."""
        entering, leaving = steps[-1], steps[0]
        head = f"<b>Backward {index}/{total}</b>"
        if kind == "output":
            return (f"{head} at the output <b>{escape(title)}</b>: "
                    f"the backward pass starts from {escape(self.d(entering.node))} = 1.")
        if kind == "input":
            return (f"{head} at the input <b>{escape(title)}</b>: "
                    f"{escape(self.d(leaving.node))} = <b>{escape(self.v(leaving.upstream))}</b>.")
        return (f"{head} through <b>{escape(title)}</b>: "
                f"{len(steps):,} chain-rule step(s), one per operation, in reverse order. "
                f"The gradient arrives at its last value as {escape(self.v(entering.upstream))} "
                f"and reaches its first value as {escape(self.v(leaving.upstream))}.")
