"""How each operation is written for people: its template, its local derivative, the chain rule.

The one description of operations that pictures, the stepper and check_grad
read. An operation reads by its template (``{0} @ {1}``) or as a call
(``sum(h, axis=1)``); its local derivative is the formula registered next to
its gradient (``defvjp(..., formulas=...)``, in the numpy tables), filled with
the names of its arguments; this module is the only reader of those formulas.

>>> import teachgrad.numpy as np
>>> from teachgrad import trace
>>> g = trace(lambda x, y: np.tanh(x * y), 1.0, 2.0)
>>> wording = Wording()
>>> wording.operation(g.nodes[2]), wording.formula(g.output, 0)
('x * y', '1 - tanh²(v2)')
"""
from __future__ import annotations

from typing import Any, Callable

import numpy

from ..graph import Node
from ..tracing import unwrap
from .names import NameOf, node_name
from .values import format_constant, format_number

# How each operation reads, with {0}, {1} for its positional arguments.
TEMPLATES = {
    "add": "{0} + {1}", "subtract": "{0} - {1}", "multiply": "{0} * {1}",
    "divide": "{0} / {1}", "true_divide": "{0} / {1}", "floor_divide": "{0} // {1}",
    "mod": "{0} % {1}", "remainder": "{0} % {1}", "power": "{0} ** {1}",
    "matmul": "{0} @ {1}", "negative": "-{0}", "absolute": "abs({0})",
    "getitem": "{0}[{1}]",
}
# Operations whose arguments cannot be swapped: a picture says which one is which.
ORDERED = {"subtract", "divide", "true_divide", "floor_divide", "mod", "remainder", "power",
           "matmul", "dot", "tensordot", "einsum", "outer", "where", "clip", "arctan2",
           "concatenate", "stack", "solve", "maximum", "minimum"}
# Elementwise operations that broadcast: their gradient is summed back to the argument's shape.
BROADCASTING = ("add", "subtract", "multiply", "divide", "true_divide", "power", "maximum",
                "minimum", "where")


def local_derivative_value(node: Node, argnum: int) -> Any:
    """The number d node / d (argument ``argnum``), for a node of scalars: the chain rule applied to 1."""
    return node.fun.chain_rule(1.0, [argnum], node.value, node.args, node.kwargs)[0]


class Wording:
    """Operations of a graph written with names: ``names`` says what to call a node,
    ``constant`` how to write a constant argument, ``data_names`` names constant
    arrays by ``id`` (the data arguments a picture draws)."""

    def __init__(self, names: NameOf = node_name, constant: Callable[[Any], str] | None = None,
                 data_names: dict[int, str] | None = None, digits: int = 4):
        self.names = names
        self.digits = digits
        self.constant = constant or (lambda value: format_constant(unwrap(value), digits))
        self.data_names = data_names or {}

    def arguments(self, node: Node) -> list[str]:
        """Each argument as written: a parent's name, a data name, or the constant."""
        parent_at = dict(node.parents)
        return [self.names(parent_at[i]) if i in parent_at
                else self.data_names[id(arg)] if id(arg) in self.data_names
                else self.constant(arg)
                for i, arg in enumerate(node.args)]

    def operation(self, node: Node) -> str:
        """``x * y``, ``sin(z)``, ``sum(h, axis=1)``: the op with its arguments' names."""
        texts = self.arguments(node)
        op = node.op
        template = TEMPLATES.get(op)
        if template is not None and len(texts) >= template.count("{"):
            return template.format(*texts)
        if op in ("concatenate", "stack") and texts:
            return f"{op}([{', '.join(texts[1:])}], axis={texts[0]})"
        kwargs = ", ".join(f"{k}={format_constant(v, self.digits)}" for k, v in (node.kwargs or {}).items())
        return f"{op}({', '.join(texts + ([kwargs] if kwargs else []))})"

    def expression(self, node: Node, inline: bool = True) -> str:
        """How ``node`` was computed, compactly: ``(x @ W) + b``, ``tanh(z)``, or ``input``.

        A parent with only a generated name (``v3``) is shown by its own
        expression when that is short, which is how the student wrote it.
        """
        if node.fun is None:
            return "input"
        parts = self.arguments(node)
        for argnum, parent in node.parents:
            if inline and parent.fun is not None and self.names(parent) == f"v{parent.id}":
                inner = self.expression(parent, inline=False)
                if len(inner) <= 30:
                    parts[argnum] = f"({inner})" if parent.op in TEMPLATES else inner
        template = TEMPLATES.get(node.op)
        if template:
            try:
                return template.format(*parts)
            except (IndexError, KeyError):
                pass
        return f"{node.op}({', '.join(parts)})"

    def formula(self, node: Node, argnum: int) -> str | None:
        """The local derivative d node / d (argument ``argnum``) as a formula in names, or None."""
        formula = node.fun.formulas.get(argnum) if node.fun is not None else None
        if not formula:
            return None
        parent_at = dict(node.parents)
        if node.op == "power" and argnum == 0 and 1 not in parent_at:      # x ** constant
            y = unwrap(node.args[1])
            if numpy.ndim(y) == 0:
                base = self.names(parent_at[0])
                if y == 2:
                    return f"2·{base}"
                return f"{format_number(y, self.digits)}·{base}^{format_number(y - 1, self.digits)}"
        try:
            return formula.format(*self.arguments(node))
        except (IndexError, KeyError):
            return None

    def chain_rule(self, node: Node, parent: Node, argnum: int, upstream: str) -> str:
        """How the gradient ``upstream`` at ``node`` becomes ``parent``'s share, for arrays too."""
        up = upstream
        args = self.arguments(node)
        other = args[1 - argnum] if len(args) > 1 and argnum < 2 else ""
        op = node.op
        parent_shape = numpy.shape(unwrap(parent.value))
        broadcast = parent_shape != numpy.shape(unwrap(node.value)) and op in BROADCASTING
        tail = f", summed over the broadcast axes down to shape {parent_shape}" if broadcast else ""
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
            name = self.names(parent)
            if op == "sum":
                return (f"{up} copied to every entry of {name} (shape {parent_shape}): "
                        "each entry adds to the sum with slope 1")
            n = numpy.size(unwrap(parent.value)) // max(numpy.size(unwrap(node.value)), 1)
            return (f"{up} / {n}, copied to every entry of {name} (shape {parent_shape}): "
                    f"each of the {n} entries adds 1/{n} of itself to the mean")
        if op == "getitem":
            return f"{up} placed at the selected entries, zeros elsewhere"
        if op in ("reshape", "ravel", "squeeze", "expand_dims", "transpose"):
            return f"{up} reshaped back to shape {parent_shape}"
        formula = self.formula(node, argnum)
        if formula:
            return f"{up} * ({formula}) (elementwise){tail}"
        return f"the vector-Jacobian product of {op} applied to {up}"
