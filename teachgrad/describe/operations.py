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

import re
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

    def backward_rule(self, node: Node, parent: Node, argnum: int, upstream: str = "g") -> str:
        """How the gradient ``upstream`` of ``node`` becomes ``parent``'s share, with the shapes.

        Written as numpy would compute it, so that a 1-D outer product is never
        written ``g @ xᵀ`` (for 1-D arrays numpy reads that as a dot product):

        >>> import numpy, teachgrad.numpy as np
        >>> from teachgrad import trace
        >>> g = trace(lambda W, x: np.sum(W @ x), numpy.ones((3, 2)), numpy.ones(2))
        >>> Wording().backward_rule(g.nodes[2], g.nodes[0], 0)
        'np.outer(g, x): (3,) and (2,) -> (3, 2)'
        >>> g = trace(lambda w, b: np.sum(w + b), numpy.ones(30), 0.5)
        >>> Wording().backward_rule(g.nodes[2], g.nodes[1], 1)
        'g summed over axis 0: (30,) -> ()'
        """
        return _rule(self, node, parent, argnum, upstream, in_words=False)

    def chain_rule(self, node: Node, parent: Node, argnum: int, upstream: str) -> str:
        """How the gradient ``upstream`` at ``node`` becomes ``parent``'s share, in words, with shapes.

        Names the sum a broadcast needs, and writes matrix products as numpy computes them.
        """
        rule = _rule(self, node, parent, argnum, upstream, in_words=True)
        op = node.op
        parent_shape = _shape(parent.value)
        node_shape = _shape(node.value)
        name = self.names(parent)
        if op in ("sum", "mean") and parent_shape != node_shape:
            n = _times(parent_shape, node_shape)
            if op == "sum":
                return f"{rule} (each entry of {name} adds to the sum with slope 1)"
            return f"{rule} (each of the {n} entries adds 1/{n} of itself to the mean)"
        axes = broadcast_axes(node_shape, parent_shape) if op in BROADCASTING else ()
        if axes:
            each = "it was" if parent_shape == () else "each of its entries was"
            return (f"{rule} ({name} was broadcast to shape {node_shape}, so {each} used "
                    f"{_times(node_shape, parent_shape)} times: their contributions add up)")
        return rule


def _shape(value) -> tuple:
    return tuple(numpy.shape(unwrap(value)))


def _times(big: tuple, small: tuple) -> int:
    return max(int(numpy.prod(big, dtype=int)) // max(int(numpy.prod(small, dtype=int)), 1), 1)


def broadcast_axes(result_shape: tuple, shape: tuple) -> tuple[int, ...]:
    """The axes of ``result_shape`` that an array of ``shape`` was broadcast along (its gradient is
    summed over them): the leading axes it lacked, and those where it had size 1.

    >>> broadcast_axes((30, 3), (3,)), broadcast_axes((30, 3), (30, 1)), broadcast_axes((30,), ())
    ((0,), (1,), (0,))
    """
    lead = len(result_shape) - len(shape)
    if lead < 0:
        return ()
    return tuple(range(lead)) + tuple(lead + i for i, (n, m) in enumerate(zip(shape, result_shape[lead:]))
                                      if n == 1 and m != 1)


def _axes_text(axes: tuple[int, ...]) -> str:
    if len(axes) == 1:
        return f"axis {axes[0]}"
    return "axes " + ", ".join(str(a) for a in axes[:-1]) + f" and {axes[-1]}"


def _summed(axes: tuple[int, ...], result_shape: tuple, shape: tuple, in_words: bool) -> str:
    """' summed over axis 0' (and ' (kept, as size 1)' where the argument had size 1 there)."""
    if not axes:
        return ""
    kept = len(shape) == len(result_shape)
    the = "the broadcast " if in_words else ""
    return f" summed over {the}{_axes_text(axes)}" + (" (kept, as size 1)" if kept else "")


def _reduced_axes(node: Node, parent_shape: tuple) -> tuple[int, ...]:
    """The axes a sum or mean reduced: its axis= argument (keyword or positional), else all."""
    axis = (node.kwargs or {}).get("axis", node.args[1] if len(node.args) > 1 else None)
    ndim = len(parent_shape)
    if axis is None:
        return tuple(range(ndim))
    axes = axis if isinstance(axis, (tuple, list)) else (axis,)
    try:
        return tuple(sorted(int(a) % ndim for a in axes)) if ndim else ()
    except (TypeError, ValueError):
        return tuple(range(ndim))


def _matmul_rule(args: list[str], argnum: int, shapes: list[tuple], g_shape: tuple, up: str) -> str | None:
    """``g @ Bᵀ``, ``np.outer(g, x)``, ``Wᵀ @ g``...: the product that gives argument ``argnum``'s
    share, as numpy computes it for the dimensions at hand (None for batched products)."""
    a, b = shapes
    other, other_shape = args[1 - argnum], shapes[1 - argnum]
    if len(a) > 2 or len(b) > 2:
        return None
    if len(a) == 1 and len(b) == 1:                         # dot product: g is a number
        text, g_first = f"{up} * {other}", True
    elif argnum == 0 and len(b) == 1:                       # A (m, k) @ x (k,): g (m,)
        text, g_first = f"np.outer({up}, {other})", True
    elif argnum == 1 and len(a) == 1:                       # x (k,) @ B (k, n): g (n,)
        text, g_first = f"np.outer({other}, {up})", False
    elif argnum == 0 and len(a) == 1:                       # x (k,) @ B (k, n): share B @ g
        text, g_first = f"{other} @ {up}", False
    elif argnum == 1 and len(b) == 1:                       # A (m, k) @ x (k,): share A.T @ g
        text, g_first = f"{other}.T @ {up}", False
    elif argnum == 0:
        text, g_first = f"{up} @ {other}.T", True
    else:
        text, g_first = f"{other}.T @ {up}", False
    operands = (g_shape, other_shape) if g_first else (other_shape, g_shape)
    return f"{text}: {operands[0]} and {operands[1]} -> {shapes[argnum]}"


def _masked(text: str, g_shape: tuple, parent_shape: tuple, in_words: bool) -> str:
    """A rule that keeps some entries of g (maximum, where), then sums what was broadcast."""
    summed = _summed(broadcast_axes(g_shape, parent_shape), g_shape, parent_shape, in_words)
    return f"{text}{',' if summed else ''}{summed}: {g_shape} -> {parent_shape}"


def _rule(wording: Wording, node: Node, parent: Node, argnum: int, up: str, in_words: bool) -> str:
    """The rule of :meth:`Wording.backward_rule`; ``in_words`` adds "(elementwise)" where it helps
    a sentence (an edge's label stays short)."""
    args = wording.arguments(node)
    op = node.op
    parent_shape = _shape(parent.value)
    g_shape = _shape(node.value)
    arrow = f": {g_shape} -> {parent_shape}"
    if op in ("matmul", "dot") and len(node.args) == 2:
        text = _matmul_rule(args, argnum, [_shape(a) for a in node.args], g_shape, up)
        if text is not None:
            return text
    if op in ("sum", "mean"):
        axes = _reduced_axes(node, parent_shape)
        n = _times(parent_shape, g_shape)
        head = up if op == "sum" else f"{up} / {n}"
        of = f" of {wording.names(parent)}" if in_words else ""
        where = (f"to every entry{of}" if len(axes) == len(parent_shape) else f"along {_axes_text(axes)}{of}"
                 ) if axes else ""
        return f"{head} copied {where}{arrow}" if where else f"{head}{arrow}"
    if op == "getitem":
        return f"{up} placed at the selected entries, zeros elsewhere{arrow}"
    if op in ("max", "min", "amax", "amin") and g_shape != parent_shape:
        which = "largest" if op in ("max", "amax") else "smallest"
        return f"{up} placed at the {which} entries, zeros elsewhere{arrow}"
    if op in ("concatenate", "stack"):
        return f"the part of {up} that {wording.names(parent)} filled{arrow}"
    if op in ("maximum", "minimum") and argnum < 2:
        which = "larger" if op == "maximum" else "smaller"
        return _masked(f"{up} where {args[argnum]} was the {which}, else 0", g_shape, parent_shape, in_words)
    if op == "where" and argnum in (1, 2):
        return _masked(f"{up} where the condition {'holds' if argnum == 1 else 'fails'}, else 0",
                       g_shape, parent_shape, in_words)
    if op in ("reshape", "ravel", "squeeze", "expand_dims", "transpose"):
        return f"{up} reshaped back{arrow}" if op != "transpose" else f"{up} transposed back{arrow}"
    other = args[1 - argnum] if len(args) == 2 and argnum < 2 else ""
    if op == "add":
        text = up
    elif op == "subtract":
        text = up if argnum == 0 else f"-{up}"
    elif op == "multiply":
        text = f"{up} * {other}"
    elif op in ("divide", "true_divide"):
        text = f"{up} / {args[1]}" if argnum == 0 else f"-{up} * {args[0]} / {args[1]}²"
    else:
        formula = wording.formula(node, argnum)
        if not formula:
            return f"the vector-Jacobian product of {op} with {up}{arrow}"
        if formula in ("1", "-1"):
            text = up if formula == "1" else f"-{up}"
        elif re.fullmatch(r"[\w.]+(\([^()]*\))?", formula):       # a name or one call: exp(x)
            text = f"{up} * {formula}"
        else:
            text = f"{up} * ({formula})"
    if in_words and text not in (up, f"-{up}") and g_shape != ():
        text += " (elementwise)"
    axes = broadcast_axes(g_shape, parent_shape) if op in BROADCASTING else ()
    summed = _summed(axes, g_shape, parent_shape, in_words)
    if text == up and not summed:
        text += " unchanged"
    return f"{text}{',' if summed and in_words else ''}{summed}{arrow}"
