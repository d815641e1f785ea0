"""What each step of the stepper says, in words and numbers (HTML): the chain rule at each
backward step, and in forward mode each node's tangent with its rule."""
from __future__ import annotations

from typing import Any

import numpy

from ..backprop import Step
from ..graph import Graph, Node
from ..tracing import unwrap
from .names import NameOf
from .operations import TEMPLATES, Wording, local_derivative_value
from .values import escape, format_constant, format_value


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
        # the rule ends with the shapes (g's -> the parent's): the share's shape is said once
        return (f"Sends to <b>{escape(self.names(parent))}</b>: {escape(rule)}"
                f" = <b>{escape(self.v(g))}</b>" + self._progress(parent, step))

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


# --- forward mode: a tangent carried along with each value ----------------------------

# Operations linear in each argument on its own: the tangent's share is the operation itself
# with that argument replaced by its tangent (x @ W moves by dx @ W).
MULTILINEAR = {"multiply", "matmul", "dot", "outer", "inner", "tensordot", "kron", "cross",
               "sum", "mean", "reshape", "ravel", "transpose", "squeeze", "expand_dims", "getitem",
               "swapaxes", "moveaxis", "broadcast_to", "real", "imag", "conj", "conjugate",
               "trace", "diagonal", "diag", "cumsum", "flip", "roll", "tile", "repeat", "triu",
               "tril", "rot90", "fliplr", "flipud", "atleast_1d", "atleast_2d"}


def tangent_name(name: str) -> str:
    """What a node's tangent is called: ``dz`` for ``z``, ``d(a+b)`` when the name is not one word."""
    simple = all(c.isalnum() or c in "_[]'.\"₀₁₂₃₄₅₆₇₈₉" for c in name)
    return f"d{name}" if simple else f"d({name})"


class TangentExplainer:
    """Sentences for the steps of forward mode: each node's value and its tangent, with the rule.

    ``moves`` is the :class:`~teachgrad.describe.tangents.TangentPass` over ``graph``,
    ``moved`` the input nodes of the argument that moves (the others stay still),
    ``seed_text`` says which way it moves (for the first input's step).
    """

    def __init__(self, graph: Graph, names: NameOf, data_names: dict, output_name: str,
                 moves, moved: list[Node], seed_text: str, target_text: str, digits: int = 4):
        self.graph = graph
        self.names = names
        self.wording = Wording(names, data_names=data_names, digits=digits)
        self.out = output_name
        self.digits = digits
        self.moves = moves
        self.moved = {n.id for n in moved}
        self.seed_text = seed_text
        self.target_text = target_text

    def v(self, value) -> str:
        return format_value(value, self.digits)

    def d(self, node: Node) -> str:
        return tangent_name(self.names(node))

    def forward(self, node: Node, index: int, total: int) -> str:
        name = self.names(node)
        head = f"<b>Forward {index}/{total}</b>: "
        tangent = self.moves.tangent(node)
        if node.fun is None:
            if node.id in self.moved:
                return head + (f"<b>{escape(name)}</b> is the input that moves, with value "
                               f"{escape(self.v(node.value))} and tangent "
                               f"<b>{escape(self.d(node))} = {escape(self.v(tangent))}</b> "
                               f"({escape(self.seed_text)}).")
            return head + (f"<b>{escape(name)}</b> is an input held still in this pass: value "
                           f"{escape(self.v(node.value))}, tangent {escape(self.d(node))} = 0.")
        lines = [f"<b>{escape(name)}</b> = {escape(self.wording.operation(node))} = "
                 f"<b>{escape(self.v(node.value))}</b>"
                 + (f" (shape {_shape(node.value)})" if not _is_scalar(node.value) else "")]
        lines.append(self._tangent_line(node))
        if node is self.graph.output:
            lines.append(f"The output's tangent {escape(self.d(node))} = "
                         f"<b>{escape(self.v(tangent))}</b> {escape(self.target_text)}")
        return head + "<br>".join(lines)

    def _tangent_line(self, node: Node) -> str:
        terms = self.moves.terms.get(node.id, [])
        dname = escape(self.d(node))
        if not terms:
            return (f"Tangent <b>{dname} = 0</b>: none of its arguments moves in this pass.")
        value = self.moves.tangent(node)
        scalar = all(_is_scalar(t.parent.value) and _is_scalar(t.part) for t in terms) \
            and _is_scalar(node.value)
        if scalar:
            rule, numbers = [], []
            for term in terms:
                try:
                    local = self.v(local_derivative_value(node, term.argnum))
                except Exception:
                    local = "?"
                formula = self.wording.formula(node, term.argnum)
                factor = formula if formula else f"∂{self.names(node)}/∂{self.names(term.parent)}"
                if formula and (any(c in factor for c in " +/") or "-" in factor[1:]):
                    factor = f"({factor})"        # (1 - tanh²(z))·dz, not 1 - tanh²(z)·dz
                rule.append(f"{factor}·{self.d(term.parent)}")
                numbers.append(f"{local} × {self.v(self.moves.tangent(term.parent))}")
            text = (f"Tangent <b>{dname}</b> = {escape(' + '.join(rule))} = "
                    f"{escape(' + '.join(numbers))} = <b>{escape(self.v(value))}</b>")
        else:
            rule = " + ".join(self.tangent_rule(node, t.argnum, t.parent) for t in terms)
            text = (f"Tangent <b>{dname}</b> = {escape(rule.replace('+ -', '- '))} = "
                    f"<b>{escape(self.v(value))}</b>"
                    + (f" (shape {_shape(value)})" if not _is_scalar(value) else ""))
        return text + self._notes(node, terms, scalar)

    def _notes(self, node: Node, terms: list, scalar: bool) -> str:
        parents = [t.parent for t in terms]
        still = [p for _, p in node.parents if self.moves.tangents.get(p.id) is None]
        notes = []
        if scalar and len(terms) == 1:
            notes.append(f"the local derivative ∂{self.names(node)}/∂{self.names(parents[0])} "
                         "times the tangent of the argument")
        if len(parents) > 1:
            ids = [p.id for p in parents]     # by id: == on traced values compares their arrays
            repeated = {self.names(p) for p in parents if ids.count(p.id) > 1}
            if repeated:
                notes.append(f"{', '.join(sorted(repeated))} is used more than once here: the "
                             "change arrives along each use, and the shares add")
            else:
                notes.append(f"{len(parents)} of its arguments move, so their shares add")
        if still:
            held = list({p.id: p for p in still}.values())
            notes.append(f"{', '.join(self.names(p) for p in held)} "
                         f"{'is' if len(held) == 1 else 'are'} held still: "
                         + ", ".join(f"{self.d(p)} = 0" for p in held))
        return f"<br>({escape('; '.join(notes))}.)" if notes else "."

    def tangent_rule(self, node: Node, argnum: int, parent: Node) -> str:
        """The share of argument ``argnum`` in the node's tangent, written with names:
        ``dW @ x``, ``(1 - tanh²(z)) * dz (elementwise)``."""
        texts = self.wording.arguments(node)
        d = self.d(parent)
        op = node.op
        broadcast = (numpy.shape(unwrap(parent.value)) != numpy.shape(unwrap(node.value))
                     and op not in MULTILINEAR)
        tail = f" (spread to shape {_shape(node.value)})" if broadcast else ""
        if op == "add":
            return d + tail
        if op == "subtract":
            return (d if argnum == 0 else f"-{d}") + tail
        if op == "negative":
            return f"-{d}"
        if op in ("divide", "true_divide") and len(texts) == 2:
            return (f"{d} / {texts[1]}" if argnum == 0 else f"-{texts[0]} * {d} / {texts[1]}²") + tail
        if op in MULTILINEAR:
            texts[argnum] = d
            template = TEMPLATES.get(op)
            if template is not None and len(texts) >= template.count("{"):
                return template.format(*texts)
            kwargs = ", ".join(f"{k}={format_constant(v, self.digits)}"
                               for k, v in (node.kwargs or {}).items())
            return f"{op}({', '.join(texts + ([kwargs] if kwargs else []))})"
        formula = self.wording.formula(node, argnum)
        if formula:
            factor = f"({formula})" if " " in formula else formula
            return f"{factor} * {d} (elementwise){tail}"
        return f"the tangent rule of {op} applied to {d}"
