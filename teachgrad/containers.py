"""Lists, tuples and dicts as arguments and as gradients.

An argument to differentiate may be a number, an array, or any nesting of
lists, tuples and dicts of them (``params = {'W': W, 'b': b}``). Each leaf
becomes one input node, named by its path (``params['W']``, ``layers[0]``),
and the gradient comes back in the same structure.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy

from .errors import NotDifferentiableInputError, explain
from .graph import Graph, Node
from .tracing import new_input


# Users' own differentiable types (autograd's Box.register): type -> 'f' or 'c'.
extra_kinds: dict[type, str] = {}


def differentiable_kind(value: Any) -> str | None:
    """'f' or 'c' for float or complex values (and nodes of them), else None."""
    while isinstance(value, Node):
        value = value.value
    t = type(value)
    if t is float:
        return "f"
    if t is complex:
        return "c"
    dtype = getattr(value, "dtype", None)
    if dtype is not None and dtype.kind in "fc":
        return dtype.kind
    return extra_kinds.get(t)


def box_leaves(value: Any, name: str, graph: Graph, strict: bool = True) -> Any:
    """Replace every float leaf of ``value`` by an input node of ``graph``.

    With ``strict`` a leaf that cannot be differentiated raises a clear error;
    without it such a leaf is left as it is (used by multigrad_dict).
    """
    t = type(value)
    if t is float:                       # the usual argument, first: numpy's scalar rules
        return new_input(graph, numpy.float64(value), name)    # (nan, not errors), as np.* gives
    if t is list or t is tuple:
        return t(box_leaves(v, f"{name}[{i}]", graph, strict) for i, v in enumerate(value))
    if isinstance(value, tuple) and hasattr(value, "_fields"):   # namedtuple
        return t(*(box_leaves(v, f"{name}.{f}", graph, strict)
                   for f, v in zip(value._fields, value)))
    if isinstance(value, dict):
        return t((k, box_leaves(v, f"{name}[{k!r}]", graph, strict)) for k, v in value.items())
    if differentiable_kind(value) is None:
        if strict:
            raise NotDifferentiableInputError(not_differentiable_message(value, name))
        return value
    if t is complex:
        value = numpy.complex128(value)
    return new_input(graph, value, name)


def named_leaves(value: Any, name: str, path: tuple = ()) -> list[tuple[str, tuple, Any]]:
    """``(name, path, leaf)`` of every leaf of ``value``, named and ordered as trace names
    its input nodes (``params['W']``, ``layers[0]``, ``point.x``); ``path`` holds the keys
    and positions that lead from ``value`` to the leaf.

    >>> [(n, p) for n, p, _ in named_leaves({'W': [1.0, 2.0], 'b': 0.5}, 'params')]
    [("params['W'][0]", ('W', 0)), ("params['W'][1]", ('W', 1)), ("params['b']", ('b',))]
    """
    t = type(value)
    if t is list or t is tuple:
        return [leaf for i, v in enumerate(value) for leaf in named_leaves(v, f"{name}[{i}]", path + (i,))]
    if isinstance(value, tuple) and hasattr(value, "_fields"):      # namedtuple
        return [leaf for i, (field, v) in enumerate(zip(value._fields, value))
                for leaf in named_leaves(v, f"{name}.{field}", path + (i,))]
    if isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in named_leaves(v, f"{name}[{k!r}]", path + (k,))]
    return [(name, path, value)]


def map_leaves(fn: Callable[[Any], Any], structure: Any) -> Any:
    """Apply ``fn`` to every leaf of nested lists, tuples and dicts."""
    t = type(structure)
    if t is list or t is tuple:
        return t(map_leaves(fn, v) for v in structure)
    if isinstance(structure, tuple) and hasattr(structure, "_fields"):
        return t(*(map_leaves(fn, v) for v in structure))
    if isinstance(structure, dict):
        return t((k, map_leaves(fn, v)) for k, v in structure.items())
    return fn(structure)


def not_differentiable_message(value: Any, name: str) -> str:
    kind = type(value).__name__
    dtype = getattr(value, "dtype", None)
    if dtype is not None:
        kind = f"an array of {dtype}"
    if isinstance(value, (bool, numpy.bool_)) or (dtype is not None and dtype.kind == "b"):
        instead = f"pass a float such as 1.0 for {name}, or differentiate with respect to another argument."
    elif isinstance(value, (int, numpy.integer)) or (dtype is not None and dtype.kind in "iu"):
        # the student's own number, made a float: 3 -> 3.0
        example = (f"{float(value)!r} instead of {int(value)!r}" if dtype is None or not getattr(value, "ndim", 0)
                   else "np.array([1.0, 2.0]) instead of np.array([1, 2]), or x.astype(float)")
        instead = f"pass floats for {name}: write {example}."
    else:
        instead = (f"differentiate with respect to a float argument (grad(f, argnum) or "
                   f"grad_named(f, 'name')), not {name}.")
    return explain(
        f"Cannot differentiate with respect to {name}: it is {kind} ({value!r:.60}).",
        "a derivative measures how the output changes when the input changes a "
        "little; integers, booleans and other non-float values cannot change a little.",
        instead)
