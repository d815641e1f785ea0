"""``trace``: record a call, run the backward pass, and keep everything.

This is the public entry to the graph that every other part reads: the
renderer draws it, the stepper replays its steps, check_grad explains it,
students inspect it. A trace is for looking, so it also captures what people
need (:mod:`teachgrad.describe.capture`: local variable names, helper calls,
source lines) and names every node as pictures show it; plain ``grad`` does
none of this.
"""
from __future__ import annotations

import sys
from typing import Any, Callable, Sequence

import numpy

from .backprop import backward
from .containers import differentiable_kind, map_leaves
from .describe.capture import Recorder
from .describe.names import assign_names, output_name
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
    return value), ``steps`` (the backward steps, in order) and ``calls``
    (the calls of helper functions seen).

    Each node is named as ``show_graph`` and ``check_grad`` name it: an
    argument's name, a name given with :func:`teachgrad.name`, the local
    variable that held it (``z = x * y``: ``z``; ``h₁``, ``h₂`` when a loop
    reuses ``h``), the function's name for the output (``out`` for a lambda or a gradient),
    else a generated ``v7``.

    ``wrt`` chooses the arguments to differentiate (positions or names; by
    default every argument holding floats). The backward pass runs when the
    output is a real scalar, or from ``seed`` (the upstream gradient) when one
    is given; otherwise ``steps`` is empty and no node has a gradient.
    ``graph`` records into a graph made beforehand; when it has a watcher of
    its own, nothing is captured and nodes keep the names the engine gave them.
    Other keywords go to ``fun``; when ``fun`` has a parameter named like an
    option (``seed``, ``wrt``, ``graph``), pass its keywords as ``kwargs={...}``.

    >>> import teachgrad.numpy as np
    >>> g = trace(lambda x, y: np.sin(x) * y, 0.0, 2.0)
    >>> [(n.name, n.op) for n in g.nodes]
    [('x', 'input'), ('y', 'input'), ('v2', 'sin'), ('out', 'multiply')]
    >>> float(g['x'].grad), float(g['y'].grad)
    (2.0, 0.0)
    """
    graph = Graph() if graph is None else graph
    if graph.watcher is not None:
        with cycle_collection_paused():
            return _trace(fun, args, kwargs or {}, wrt, seed, graph)
    recorder = Recorder(graph, boundary=sys._getframe())
    graph.watcher = recorder.watch
    try:
        with cycle_collection_paused():
            return _trace(fun, args, kwargs or {}, wrt, seed, graph, recorder)
    finally:
        graph.watcher = None
        recorder.finish()


def _trace(fun, args, kwargs, wrt, seed, graph, recorder: Recorder | None = None) -> Graph:
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
    if recorder is not None:
        graph.watcher = None
        graph.calls = recorder.finish()
        assign_names(graph, output_name(fun, graph))
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
        step.node.grad = step.upstream
        graph.steps.append(step)
    return graph


def _holds_float(value: Any) -> bool:
    found = []
    map_leaves(lambda leaf: found.append(differentiable_kind(leaf) is not None), value)
    return any(found)
