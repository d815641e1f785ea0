"""Forward mode replayed over a recorded graph: each node's tangent, for the stepper.

The engine's forward mode (:func:`teachgrad.make_jvp`) carries tangents while
the function runs and keeps only the output's. The stepper needs every
node's, and the share each argument added, so this module replays the same
rule over a graph that :func:`teachgrad.trace` recorded: in forward order,
a node's tangent is the sum over its arguments of the tangent rule
(:func:`teachgrad.forward.tangent_of`, the one make_jvp uses) applied to the
argument's tangent. A node none of whose arguments moves has no tangent
(``None``: it stays still, exactly zero), as in make_jvp.

>>> import teachgrad.numpy as np
>>> from teachgrad import trace
>>> g = trace(lambda x: np.sin(x) * x, 0.0)
>>> moves = replay(g, {g.inputs[0].id: 1.0})
>>> [float(moves.tangents[n.id]) for n in g.nodes]
[1.0, 1.0, 0.0]
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy

from ..forward import tangent_leaves, tangent_of
from ..graph import Graph, Node
from ..tracing import unwrap


@dataclass(frozen=True)
class Term:
    """What one argument of a node adds to the node's tangent: rule(argument's tangent)."""
    argnum: int
    parent: Node
    part: Any


@dataclass
class TangentPass:
    """One forward-mode pass over a graph: ``tangents[node.id]`` (None: does not move) and,
    for each computed node, the ``terms`` its moving arguments added."""
    tangents: dict[int, Any] = field(default_factory=dict)
    terms: dict[int, list[Term]] = field(default_factory=dict)

    def tangent(self, node: Node) -> Any:
        """The node's tangent, zeros shaped like its value when it does not move."""
        t = self.tangents.get(node.id)
        return _zeros_like(node.value) if t is None else t


def replay(graph: Graph, seeds: dict[int, Any]) -> TangentPass:
    """Push ``seeds`` (input node id -> tangent) forward through ``graph``."""
    moves = TangentPass()
    for node in graph.nodes:
        if node.fun is None:
            moves.tangents[node.id] = seeds.get(node.id)
            continue
        terms = [Term(argnum, parent, _spread(tangent_of(node, argnum, moves.tangents[parent.id]),
                                              node.value))
                 for argnum, parent in node.parents if moves.tangents.get(parent.id) is not None]
        moves.terms[node.id] = terms
        total = None
        for term in terms:
            total = term.part if total is None else _add(total, term.part)
        moves.tangents[node.id] = total
    return moves


def _add(a: Any, b: Any) -> Any:
    if type(a) is tuple:                # a primitive with several outputs: output by output
        return tuple(x + y for x, y in zip(a, b))
    return a + b


def _spread(tangent: Any, value: Any) -> Any:
    """A tangent given as a broadcastable part (a scalar for an array) spread to the value's shape,
    so that what the stepper shows has the shape of the value it moves."""
    plain = unwrap(value)
    if isinstance(plain, (tuple, list)) or isinstance(tangent, (tuple, list)):
        return tangent
    shape = numpy.shape(plain)
    if numpy.shape(tangent) == shape:
        return tangent
    return numpy.broadcast_to(tangent, shape).copy()


def _zeros_like(value: Any) -> Any:
    plain = unwrap(value)
    if isinstance(plain, (tuple, list)):
        return type(plain)(_zeros_like(v) for v in plain)
    return numpy.zeros_like(plain)[()] if numpy.ndim(plain) == 0 else numpy.zeros_like(plain)


# --- the seed: which way the moved argument moves ------------------------------------

@dataclass(frozen=True)
class Seed:
    """The tangent of each leaf of the moved argument, in the order trace makes their input
    nodes; ``chosen`` is True when the student gave it, False for the default
    (1 for a number, the first unit vector for an array, zeros for the other leaves)."""
    leaves: list
    chosen: bool


def seed_of(argument: Any, tangent: Any, name: str) -> Seed:
    """The tangents for the leaves of ``argument`` (called ``name``), checked against it.

    ``tangent`` has the argument's structure (dict entries matched by key, list and tuple
    entries by position); None chooses the default.

    >>> seed_of({'a': 2.0, 'b': numpy.ones(2)}, None, 'p').leaves
    [1.0, array([0., 0.])]
    """
    if tangent is None:
        return Seed(_default(argument), chosen=False)
    given = tangent_leaves(argument, tangent, name)
    return Seed([_as_number(t, x) for t, x in zip(given, _leaves(argument))], chosen=True)


def _default(x: Any) -> list:
    """Tangent 1 on the first entry of the first leaf, 0 everywhere else."""
    out = []
    for leaf in _leaves(x):
        plain = numpy.asarray(unwrap(leaf))
        t = numpy.zeros(plain.shape, numpy.result_type(plain.dtype, numpy.float64))
        if not out and t.size:
            t.flat[0] = 1.0                 # the first leaf moves along its first entry
        out.append(float(t) if t.ndim == 0 and t.dtype.kind == "f" else t[()] if t.ndim == 0 else t)
    return out


def _leaves(x: Any):
    """The leaves of an argument, in the order trace makes their input nodes."""
    if isinstance(x, (list, tuple)):
        for xi in x:
            yield from _leaves(xi)
    elif isinstance(x, dict):
        for xi in x.values():
            yield from _leaves(xi)
    else:
        yield x


def _as_number(tangent: Any, x: Any) -> Any:
    """A checked tangent as the stepper shows it: a float (or complex) array, or a number."""
    plain = numpy.asarray(unwrap(x))
    if tangent is None:                 # a leaf that is not differentiated (an integer) stays still
        tangent = numpy.zeros(plain.shape)
    array = numpy.asarray(unwrap(tangent)).astype(numpy.result_type(plain.dtype, numpy.float64))
    return float(array) if array.ndim == 0 and array.dtype.kind == "f" else array[()] if array.ndim == 0 else array
