"""``const_graph``: record a function's graph once, then replay it on new inputs.

For a function whose sequence of operations does not depend on its input
values (no ``if`` on the numbers, the same loop lengths), the graph that
teachgrad records is the same at every call. ``const_graph(f)`` records it
at the first call and afterwards only replays the recorded primitives on
the new inputs, skipping the Python code around them::

    >>> import teachgrad.numpy as np
    >>> from teachgrad.misc import const_graph
    >>> fast = const_graph(lambda x: np.sum(np.sin(x) ** 2))
    >>> float(fast(np.zeros(3))), round(float(fast(np.ones(3))), 6)
    (0.0, 2.12422)

Control flow is frozen at the first call: a branch taken then is taken
every time. Extra ``args``/``kwargs`` given to ``const_graph`` are fixed
(as with ``functools.partial``). Replayed calls go through the same
primitives, so they can be differentiated like the original function.
"""
from __future__ import annotations

import functools
from typing import Callable

from ..compat.graph_nodes import ConstGraphNode, FullGraphNode, full_graph  # noqa: F401  (autograd's)
from ..containers import box_leaves, map_leaves
from ..graph import Graph, Node, replay
from ..tracing import recording

__all__ = ["const_graph", "const_graph_unary", "full_graph", "FullGraphNode", "ConstGraphNode"]


def const_graph_unary(fun: Callable) -> Callable:
    """``const_graph`` for a function of one argument (a value or a tuple/list/dict of them)."""
    recorded: list = []

    def replay_or_record(x):
        if recorded:
            graph, inputs, output = recorded[0]
            leaves = []
            map_leaves(leaves.append, x)
            values = replay(graph, {node.id: value for node, value in zip(inputs, leaves)}, output)
            return values[output.id]
        graph = Graph()
        with recording(graph):
            boxed = box_leaves(x, "x", graph)
            out = fun(boxed)
        if not (isinstance(out, Node) and out.level == graph.level):
            raise ValueError("const_graph: the output does not depend on the input, so there is "
                             "no graph to replay. Call the function directly instead.")
        recorded.append((graph, list(graph.inputs), out))
        return out.value
    return replay_or_record


def const_graph(fun: Callable, *args, **kwargs) -> Callable:
    """``fun`` with its graph recorded at the first call and replayed afterwards.

    Every positional argument of the returned function must be a number or
    an array of floats (or a list, tuple or dict of them).
    """
    fixed = functools.partial(fun, *args, **kwargs)
    unary = const_graph_unary(lambda inputs: fixed(*inputs))

    @functools.wraps(fun)
    def replayed(*inputs):
        return unary(inputs)
    return replayed
