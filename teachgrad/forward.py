"""Forward mode: a tangent carried along with each value as it is computed.

Reverse mode records the whole graph, then walks it backwards once per
output. Forward mode pushes one direction ``v`` through the computation while
it runs: next to its value, each node gets its tangent, the derivative of the
value along ``v``. One forward pass gives the Jacobian times ``v``.

A primitive's tangent rule comes from :func:`teachgrad.extend.defjvp` when one
was registered. Otherwise it is derived from its gradient rule: the map
``u -> vjp(u)`` is linear, so its own vector-Jacobian product along the
tangent is the Jacobian times the tangent.
"""
from __future__ import annotations

import functools
import warnings
from typing import Any, Callable

from .containers import map_leaves
from .differential_operators import (GradientWarning, Signature, _argument, make_hvp, make_vjp,
                                     ones_like, trace_call, unwrap_output, zeros_like)
from .errors import NoGradientError
from .graph import Graph, Node
from .backprop import no_gradient_message
from .tracing import cycle_collection_paused


def tangent_of(node: Node, argnum: int, tangent: Any) -> Any:
    """The change in ``node`` when its argument ``argnum`` moves along ``tangent``."""
    prim = node.fun
    kwargs = node.kwargs or {}
    rule = prim.jvp_makers.get(argnum)
    if rule is not None:
        return rule(tangent, node.value, *node.args, **kwargs)
    if prim.jvp_argnum_maker is not None:
        return prim.jvp_argnum_maker(argnum, tangent, node.value, node.args, kwargs)
    gradient_rule = _vjp(node, argnum)
    transpose, _ = make_vjp(gradient_rule)(zeros_like(node.value))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GradientWarning)   # a constant local derivative is fine
        return transpose(tangent)


def _vjp(node: Node, argnum: int) -> Callable:
    prim = node.fun
    kwargs = node.kwargs or {}
    if prim.vjp_argnums_maker is not None:
        return lambda u: prim.vjp_argnums_maker([argnum], node.value, node.args, kwargs)(u)[0]
    maker = prim.vjp_makers.get(argnum)
    if maker is None:
        raise NoGradientError(no_gradient_message(prim, argnum))
    return lambda u: maker(node.value, *node.args, **kwargs)(u)


def make_jvp(fun: Callable, argnum: int = 0) -> Callable:
    """A function returning ``jvp``, where ``jvp(v)`` is ``(value, Jacobian times v)``, in forward mode.

    >>> import teachgrad.numpy as np
    >>> jvp = make_jvp(lambda x: x ** 2)(np.array([1.0, 2.0]))
    >>> jvp(np.array([1.0, 0.0]))[1]
    array([2., 0.])
    """
    sig = Signature(fun)
    sig.check_argnum(argnum)

    @functools.wraps(fun)
    def jvp_maker(*args, **kwargs):
        def jvp(v):
            with cycle_collection_paused():
                return _forward(sig, args, kwargs, argnum, v)
        return jvp
    return jvp_maker


def _forward(sig: Signature, args, kwargs, argnum: int, v):
    graph = Graph()
    tangents: dict[int, Any] = {}
    directions = []
    map_leaves(directions.append, v)

    def watch(node: Node) -> None:
        total = None
        for argnum_, parent in node.parents:
            t = tangents.get(parent.id)
            if t is None and parent.fun is None:          # an input: its part of v
                t = tangents[parent.id] = directions[graph.inputs.index(parent)]
            if t is None:
                continue
            part = tangent_of(node, argnum_, t)
            total = part if total is None else total + part
        if total is not None:
            tangents[node.id] = total

    graph.watcher = watch
    graph, _, out = trace_call(sig, args, kwargs, [argnum], graph=graph)
    value = unwrap_output(out, graph)
    if isinstance(out, Node) and out.level == graph.level:
        if out.fun is None:
            tangent = directions[graph.inputs.index(out)]
        else:
            tangent = tangents.get(out.id)
        if tangent is not None:
            return value, tangent
    return value, zeros_like(value)


def deriv(fun: Callable, argnum: int = 0) -> Callable:
    """The derivative along all inputs at once: the Jacobian times a vector of ones.

    >>> import teachgrad.numpy as np
    >>> float(deriv(np.tanh)(0.0))
    1.0
    """
    jvp_maker = make_jvp(fun, argnum)

    @functools.wraps(fun)
    def derivative(*args, **kwargs):
        ones = ones_like(_argument(fun, argnum, args, kwargs))
        return jvp_maker(*args, **kwargs)(ones)[1]
    return derivative


def make_jvp_reversemode(fun: Callable, argnum: int = 0) -> Callable:
    """``make_jvp`` computed in reverse mode: ``u -> vjp(u)`` is linear, and its own
    vector-Jacobian product along ``v`` is the Jacobian times ``v``.

    >>> import teachgrad.numpy as np
    >>> make_jvp_reversemode(lambda x: x ** 2)(np.array([1.0, 2.0]))(np.array([0.0, 1.0]))[1]
    array([0., 4.])
    """
    vjp_maker = make_vjp(fun, argnum)

    @functools.wraps(fun)
    def jvp_maker(*args, **kwargs):
        vjp, value = vjp_maker(*args, **kwargs)

        def jvp(v):
            vjp_of_vjp, _ = make_vjp(vjp)(zeros_like(value))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", GradientWarning)
                return value, vjp_of_vjp(v)
        return jvp
    return jvp_maker


def make_ggnvp(f: Callable, g: Callable | None = None, f_argnum: int = 0) -> Callable:
    """Generalized Gauss-Newton products: ``ggnvp(v)`` is Jᵀ H J v.

    J is the Jacobian of ``f`` and H the Hessian of ``g`` at ``f(x)`` (by
    default ``g(y) = sum(y**2, axis=-1) / 2``, so H = I and the product is Jᵀ J v).

    >>> import teachgrad.numpy as np
    >>> ggnvp = make_ggnvp(lambda x: 2.0 * x)(np.array([1.0, 1.0]))
    >>> ggnvp(np.array([1.0, 0.0]))
    array([4., 0.])
    """
    from . import numpy as tnp
    if g is None:
        g = lambda y: 0.5 * tnp.sum(y ** 2, axis=-1)      # noqa: E731

    @functools.wraps(f)
    def ggnvp_maker(*args, **kwargs):
        vjp, fx = make_vjp(f, f_argnum)(*args, **kwargs)
        jvp = make_jvp(f, f_argnum)(*args, **kwargs)
        hvp, _ = make_hvp(g)(fx)
        return lambda v: vjp(hvp(jvp(v)[1]))
    return ggnvp_maker
