"""``teachgrad.scipy.integrate.odeint``: solving an ODE, differentiable by the adjoint method.

``odeint(func, y0, t, args=())`` is ``scipy.integrate.odeint``: the solution
of ``dy/dt = func(y, t, *args)`` from ``y(t[0]) = y0``, at the times ``t``
(an array of shape ``(len(t), len(y0))``). Its gradient with respect to
``y0``, ``t`` and ``args`` (numbers, arrays, or lists/tuples/dicts of them)
is computed without going back through the solver's steps: the *adjoint*
``a(t)`` (the gradient of the loss with respect to ``y(t)``) obeys its own
ODE backwards in time,

    da/dt = -a ∂func/∂y,      and the gradient for the parameters is
    the integral over time of  a ∂func/∂args,

which ``odeint`` solves from the last time to the first, together with the
original ODE (run backwards to recover ``y``). The vector-Jacobian products
``a ∂func/∂y`` are computed by teachgrad at each step of that solve, so
``func`` must be written with ``teachgrad.numpy``. (See Chen et al.,
"Neural ordinary differential equations", 2018, and Froehlich et al., 2017.)

Only first derivatives are supported (as in autograd's tests); asking for a
second derivative raises an error that says so.
"""
from __future__ import annotations

import warnings

import numpy as onp
import scipy.integrate as _si

import teachgrad.numpy as np

from ..containers import differentiable_kind, map_leaves
from ..differential_operators import GradientWarning, make_vjp
from ..extend import defvjp_argnums
from ..graph import Node
from ._primitive import ScipyPrimitive

__all__ = ["odeint"]

_SLOT = object()


def _split_args(args):
    """(flat vector of the float leaves of args, function rebuilding args from such a vector)."""
    leaves = []

    def take(leaf):
        if differentiable_kind(leaf) is not None:
            leaves.append(leaf)
            return _SLOT
        return leaf
    template = map_leaves(take, tuple(args))
    shapes = [onp.shape(_plain(leaf)) for leaf in leaves]
    vector = np.concatenate([np.ravel(leaf) for leaf in leaves]) if leaves else onp.zeros(0)

    def rebuild(flat):
        position = [0, 0]

        def put(leaf):
            if leaf is not _SLOT:
                return leaf
            shape = shapes[position[0]]
            size = int(onp.prod(shape, dtype=int))
            start = position[1]
            position[0] += 1
            position[1] += size
            return flat[start] if shape == () else np.reshape(flat[start:start + size], shape)
        return map_leaves(put, template)
    return vector, rebuild


def _plain(value):
    while isinstance(value, Node):
        value = value.value
    return value


def _odeint_raw(func, y0, t, flat_args, rebuild, **options):
    return _si.odeint(func, y0, t, args=tuple(rebuild(flat_args)), **options)


_odeint = ScipyPrimitive(_odeint_raw, "scipy.integrate.odeint")


def _odeint_vjp(argnums, ans, args, kwargs):
    func, y0, t, flat_args, rebuild = args
    options = dict(kwargs)
    if any(isinstance(v, Node) for v in (ans, y0, t, flat_args)):
        raise NotImplementedError(
            "Second derivatives through odeint are not supported by teachgrad.\n"
            "Why: its gradient solves another ODE with SciPy, on plain numbers.\n"
            "Instead: take one derivative through odeint (grad, not grad of grad).")
    ys = onp.asarray(ans)
    times = onp.asarray(t, dtype=float)
    n_times, dim = ys.shape
    n_args = onp.size(flat_args)

    def flat_func(y, time, params):
        return np.asarray(func(y, time, *rebuild(params)))     # func may return a list

    def augmented(state, time, params):
        # the state is (y, a, a_t, a_args); run backwards in time
        y, a = state[:dim], state[dim:2 * dim]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", GradientWarning)
            vjp, dy = make_vjp(lambda inputs: flat_func(*inputs))((y, time, params))
            a_y, a_t, a_args = vjp(-a)
        return onp.concatenate([onp.ravel(dy), onp.ravel(a_y), onp.ravel(a_t),
                                onp.ravel(a_args)]).astype(float)

    def vjp(g):
        g = onp.asarray(g)
        adjoint = g[-1]
        adjoint_t0 = 0.0
        adjoint_args = onp.zeros(n_args)
        time_grads = []
        for i in range(n_times - 1, 0, -1):
            # moving the measurement time t[i] moves y(t[i]) by dy/dt there
            slope = onp.dot(onp.ravel(flat_func(ys[i], times[i], flat_args)), g[i])
            time_grads.append(slope)
            adjoint_t0 = adjoint_t0 - slope
            start = onp.concatenate([ys[i], adjoint, [adjoint_t0], adjoint_args])
            back = _si.odeint(augmented, start, onp.array([times[i], times[i - 1]]),
                              args=(flat_args,), **options)[1]
            adjoint = back[dim:2 * dim] + g[i - 1]
            adjoint_t0 = back[2 * dim]
            adjoint_args = back[2 * dim + 1:]
        time_grads.append(adjoint_t0)
        grads = {1: adjoint, 2: onp.array(time_grads[::-1]), 3: adjoint_args}
        out = []
        for argnum in argnums:
            if argnum not in grads:
                raise NotImplementedError("odeint has no gradient with respect to func.")
            out.append(grads[argnum])
        return out
    return vjp


defvjp_argnums(_odeint, _odeint_vjp)


def odeint(func, y0, t, args=(), **options):
    """``scipy.integrate.odeint(func, y0, t, args)``, differentiable with respect to y0, t and args.

    ``func(y, t, *args)`` must be written with ``teachgrad.numpy``. Keyword
    options (``rtol``, ``atol``, ...) go to SciPy; ``full_output`` is not
    supported when differentiating.
    """
    if not isinstance(args, tuple):
        args = (args,)
    flat_args, rebuild = _split_args(args)
    return _odeint(func, y0, t, flat_args, rebuild, **options)
