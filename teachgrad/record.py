"""``trace``: record a call, run the backward pass, and keep everything.

This is the public entry to the graph that every other part reads: the
renderer draws it, the stepper replays its steps, students inspect it.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy

from .backprop import backward
from .containers import differentiable_kind, map_leaves
from .differential_operators import Signature, check_like, trace_call, unwrap_output
from .graph import Graph, Node
from .options import separates_function_keywords
from .tracing import cycle_collection_paused


@separates_function_keywords
def trace(fun: Callable, *args, wrt: Sequence[int | str] | int | str | None = None,
          seed: Any = None, graph: Graph | None = None, kwargs: dict | None = None) -> Graph:
    """Run ``fun(*args, **kwargs)`` recording its graph, then backpropagate.

    Returns the :class:`~teachgrad.graph.Graph`: ``nodes`` in forward order
    (each with ``name``, ``op``, ``parents``, ``value`` and, after the
    backward pass, ``grad``), ``inputs``, ``output``, ``result`` (the plain
    return value) and ``steps`` (the backward steps, in order).

    ``wrt`` chooses the arguments to differentiate (positions or names; by
    default every argument holding floats). The backward pass runs when the
    output is a real scalar, or from ``seed`` (the upstream gradient) when one
    is given; otherwise ``steps`` is empty and no node has a gradient.
    ``graph`` records into a graph made beforehand (one with a watcher, say).
    Other keywords go to ``fun``; when ``fun`` has a parameter named like an
    option (``seed``, ``wrt``, ``graph``), pass its keywords as ``kwargs={...}``.

    >>> import teachgrad.numpy as np
    >>> g = trace(lambda x, y: np.sin(x) * y, 0.0, 2.0)
    >>> [(n.name, n.op) for n in g.nodes]
    [('x', 'input'), ('y', 'input'), ('v2', 'sin'), ('v3', 'multiply')]
    >>> float(g['x'].grad), float(g['y'].grad)
    (2.0, 0.0)
    """
    with cycle_collection_paused():
        return _trace(fun, args, kwargs or {}, wrt, seed, graph)


def _trace(fun, args, kwargs, wrt, seed, graph) -> Graph:
    sig = Signature(fun)
    if wrt is None:
        bound = sig.bind(args, kwargs)
        if bound is None:
            keys = [i for i, a in enumerate(args) if _holds_float(a)]
        else:
            keys = [k for k, v in bound.arguments.items() if k != sig.varargs and _holds_float(v)]
    else:
        keys = list(wrt) if isinstance(wrt, (list, tuple)) else [wrt]
        for key in keys:
            if isinstance(key, str):
                sig.check_name(key)
            else:
                sig.check_argnum(key)
    graph, _, out = trace_call(sig, args, kwargs, keys, graph=graph)
    graph.result = unwrap_output(out, graph)
    graph.output = out if isinstance(out, Node) and out.level == graph.level else None
    if graph.output is None:
        return graph
    if seed is not None:
        check_like(seed, graph.output.value, "seed=", "the backward pass")
    else:
        value = numpy.asarray(graph.output.value)
        if value.size != 1 or numpy.iscomplexobj(value):
            return graph            # not one real number: nothing to start from without a seed
        seed = numpy.ones(value.shape, value.dtype) if value.shape else numpy.ones((), value.dtype)[()]
    for step in backward(graph, graph.output, seed):
        step.node._grad = step.upstream
        graph.steps.append(step)
    return graph


def _holds_float(value: Any) -> bool:
    found = []
    map_leaves(lambda leaf: found.append(differentiable_kind(leaf) is not None), value)
    return any(found)
