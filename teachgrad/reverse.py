"""Reverse mode: record a call, then run the backward pass from its output.

:func:`make_vjp` is the general form (any output, any vector); :func:`scalar_gradients`
is the step every ``grad``-like operator shares (a real scalar output, seeded with 1).
The operators themselves are in :mod:`teachgrad.differential_operators`.
"""
from __future__ import annotations

import functools
from typing import Any, Callable

from .arguments import Signature, trace_call
from .backprop import input_gradients
from .containers import map_leaves
from .errors import NonScalarOutputError
from .graph import Graph, Node
from .outputs import (check_like, gather, in_key_order, is_number_or_array, leaves_of,
                      not_a_number_message, ones_like, scalar_output, unwrap_output, zeros_like)
from .tracing import anything_recording, cycle_collection_paused, unwrap


def scalar_gradients(graph: Graph, boxed: list, loss: Any, fun_name: str, operator: str) -> list:
    """The gradient of the real scalar ``loss`` for each entry of ``boxed`` (from trace_call).

    ``operator`` names the caller in the message when ``loss`` is not a real scalar. An
    argument the loss does not depend on gets zeros and a :class:`GradientWarning`.
    """
    output = scalar_output(loss, graph, fun_name, operator)
    grads = {} if output is None else input_gradients(graph, output, ones_like(output.value),
                                                      in_place=not anything_recording())
    return [gather(graph, b, grads, fun_name) for b in boxed]


def make_vjp(fun: Callable, argnum: int = 0) -> Callable:
    """A function returning ``(vjp, value)``: ``vjp(v)`` is v times the Jacobian.

    The forward pass is recorded once; ``vjp`` can be called many times.

    >>> import teachgrad.numpy as np
    >>> vjp, value = make_vjp(lambda x: x * np.array([1.0, 2.0]))(3.0)
    >>> float(vjp(np.array([1.0, 1.0])))
    3.0
    """
    sig = Signature(fun)
    sig.check_argnum(argnum)

    @functools.wraps(fun)
    def vjp_maker(*args, **kwargs):
        with cycle_collection_paused():
            graph, (boxed,), out = trace_call(sig, args, kwargs, [argnum])
        value = unwrap_output(out, graph)
        if not all(is_number_or_array(unwrap(leaf)) for leaf in leaves_of(out)):
            raise NonScalarOutputError(not_a_number_message(value, sig.fun_name, "make_vjp")
                                       .replace("one number", "numbers or arrays"))
        outputs = [(i, leaf) for i, leaf in enumerate(leaves_of(out))
                   if isinstance(leaf, Node) and leaf.level == graph.level]
        # Each node's local derivatives, made on the first pass that records nothing and
        # reused by the next ones (jacobian's one pass per output entry). A pass made while
        # a trace records (grad of jacobian, a drawing) makes them again, as each rule's
        # operations must be recorded in that trace.
        pullbacks: dict = {}

        def vjp(v):
            check_like(v, value, "The vector given to vjp", "vjp")
            if not outputs:
                return map_leaves(lambda leaf: zeros_like(leaf.value), boxed)
            with cycle_collection_paused():
                alone = not anything_recording()
                reuse = pullbacks if alone else None
                if len(outputs) == 1 and outputs[0][1] is out:
                    grads = input_gradients(graph, out, v, reuse, alone)
                else:
                    seeds = leaves_of(in_key_order(v, value))
                    grads = input_gradients(graph, [node for _, node in outputs],
                                            [seeds[i] for i, _ in outputs], reuse, alone)
            return gather(graph, boxed, grads, sig.fun_name)
        return vjp, value
    return vjp_maker
