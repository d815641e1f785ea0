"""``fixed_point``: iterate to a fixed point, and differentiate it without unrolling.

``fixed_point(f, a, x0, distance, tol)`` repeats ``x = f(a)(x)`` from ``x0``
until two successive iterates are closer than ``tol`` (as measured by
``distance(x, x_prev)``), and returns the last one, ``x*``. For example,
Newton's iteration for the square root::

    >>> import teachgrad.numpy as np
    >>> from teachgrad import grad
    >>> from teachgrad.misc.fixed_points import fixed_point
    >>> newton_sqrt = lambda a: lambda x: 0.5 * (x + a / x)
    >>> distance = lambda x, y: np.abs(x - y)
    >>> sqrt = lambda a: fixed_point(newton_sqrt, a, 1.0, distance, 1e-10)
    >>> round(float(grad(sqrt)(2.0)), 8)          # 1 / (2 sqrt(2))
    0.35355339

The gradient does not go back through the iterations. At the fixed point
``x* = f(a)(x*)``; differentiating both sides (the implicit function
theorem) gives ``dx* = J_x dx* + J_a da``, so the gradient ``g`` of ``x*``
becomes ``w J_a`` for the ``w`` that solves ``w = g + w J_x`` -- itself a
fixed point, found by iterating with vector-Jacobian products of ``f``.
"""
from __future__ import annotations

import warnings
from typing import Callable

from ..errors import GradientWarning
from ..reverse import make_vjp
from ..extend import defvjp, primitive
from .flatten import flatten

__all__ = ["fixed_point"]


def _iterate(step: Callable, x, distance: Callable, tol: float):
    x, previous = step(x), x
    while distance(x, previous) > tol:
        x, previous = step(x), x
    return x


@primitive
def _fixed_point(f, a, x0, distance, tol):
    return _iterate(f(a), x0, distance, tol)


_fixed_point.name = "fixed_point"


def _fixed_point_vjp(ans, f, a, x0, distance, tol):
    def vjp(g):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", GradientWarning)
            vjp_x, _ = make_vjp(lambda x: f(a)(x))(ans)          # w -> w J_x at x*
            vjp_a, _ = make_vjp(lambda params: f(params)(ans))(a)  # w -> w J_a at x*
            w = _iterate(lambda w: g + vjp_x(w), g, distance, tol)
            return vjp_a(w)
    return vjp


defvjp(_fixed_point, None, _fixed_point_vjp, None, None, None)


def fixed_point(f: Callable, a, x0, distance: Callable, tol: float):
    """The fixed point of ``x -> f(a)(x)`` reached from ``x0``; differentiable with respect to ``a``.

    ``a`` may be a number, an array, or a list, tuple or dict of them (the
    parameters of ``f``). The fixed point does not depend on the starting
    point ``x0``: its gradient there is zero.
    """
    if isinstance(a, (list, tuple, dict)):
        vector, unflatten = flatten(a)
        return _fixed_point(lambda v: f(unflatten(v)), vector, x0, distance, tol)
    return _fixed_point(f, a, x0, distance, tol)
