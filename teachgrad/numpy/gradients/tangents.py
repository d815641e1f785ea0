"""Forward-mode (tangent) rules for the most common functions.

Without a rule, forward mode derives one from the gradient rule with a nested
reverse pass: correct, but slow. These cover what most code spends its time in.
"""
from __future__ import annotations

import numpy as onp

from .. import namespace as np
from ...extend import def_linear, defjvp, defjvp_argnum
from ...graph import Node
from ...tracing import unwrap
from .. import array_node
from ..utility_primitives import concatenate_args, stack_args
from .arithmetic import COMPLEX_SIGN_IS_SMOOTH, log_of_base
from .elementwise import split_ties
from .helpers import is_complex, shape_of
from .shapes import memory_order

# Elementwise functions of one argument: the Jacobian is diagonal, so the
# tangent is the same product as the gradient (g times the local derivative).
ELEMENTWISE = [np.exp, np.log, np.log1p, np.expm1, np.sin, np.cos, np.tan, np.tanh, np.sinh,
               np.cosh, np.arctan, np.sqrt, np.square, np.reciprocal, np.negative, array_node.negative,
               np.arcsin, np.arccos, np.arctanh, np.arcsinh, np.arccosh, np.log2, np.log10,
               np.exp2, np.sinc, np.deg2rad, np.rad2deg]


def _same_as_gradient(prim):
    maker = prim.vjp_makers[0]
    return lambda g, ans, *args, **kwargs: maker(ans, *args, **kwargs)(g)


for _prim in ELEMENTWISE:
    if 0 in _prim.vjp_makers:
        defjvp(_prim, _same_as_gradient(_prim))

# Linear in each argument separately: the tangent is the function of the tangent.
for _prim in (np.multiply, array_node.multiply, np.dot, np.matmul, array_node.matmul, np.tensordot,
              np.outer, np.inner, np.einsum, np.mean, np.transpose,
              np.expand_dims, np.squeeze, np.swapaxes, np.moveaxis, array_node.getitem, np.real,
              np.imag, np.conj, np.copy, np.broadcast_to,
              # linear maps of one array (the other arguments are sizes, axes or indices)
              np.cumsum, np.trace, np.diagonal, np.diag, np.tril, np.triu, np.flip, np.fliplr,
              np.flipud, np.roll, np.rot90, np.tile, np.repeat, np.take, np.take_along_axis):
    def_linear(_prim)


# reshape and ravel with order='A' or 'K' read x in its memory layout; the tangent, a
# separate array with a layout of its own, must be read in x's order, not in its own.
def _reshape_tangent(g, ans, x, *args, order="C", **kwargs):
    return np.reshape(g, shape_of(ans), order=memory_order(x, order) or "C")


def _ravel_tangent(g, ans, x, order="C"):
    read = memory_order(x, order)
    if read is not None:
        return np.ravel(g, order=read)
    value = onp.asarray(unwrap(x))
    where = onp.empty_like(value, dtype=onp.intp)          # the same memory layout as x
    where[...] = onp.arange(value.size).reshape(value.shape)
    return np.ravel(g)[onp.ravel(where, order="K")]


defjvp(np.reshape, _reshape_tangent)
defjvp(np.ravel, _ravel_tangent)


def _sum_tangent(argnum, g, ans, args, kwargs):
    """sum is linear in x but for ``initial``, a constant added to the result: not in the tangent."""
    args = [g] + list(args[1:])
    if len(args) > 5:
        args[5] = 0.0                     # np.sum(a, axis, dtype, out, keepdims, initial, where)
    kwargs = {k: v for k, v in kwargs.items() if k != "initial"}
    return np.sum(*args, **kwargs)


defjvp_argnum(np.sum, _sum_tangent)


def _spread(ans, t):
    """A tangent of a smaller, broadcast argument, spread to the output's shape."""
    return t if shape_of(t) == shape_of(ans) else np.broadcast_to(t, shape_of(ans))


for _prim in (np.add, array_node.add):
    defjvp(_prim, lambda g, ans, x, y: _spread(ans, g), lambda g, ans, x, y: _spread(ans, g))
for _prim in (np.subtract, array_node.subtract):
    defjvp(_prim, lambda g, ans, x, y: _spread(ans, g), lambda g, ans, x, y: _spread(ans, -g))
for _prim in (np.divide, np.true_divide, array_node.true_divide):
    defjvp(_prim, lambda g, ans, x, y: _spread(ans, g / y),
           lambda g, ans, x, y: _spread(ans, -g * x / y ** 2))


def _power_jvp_x(g, ans, x, y):
    """The same cases as the gradient (gradients/arithmetic.py), so 0 ** y is not nan."""
    if not isinstance(y, (Node, onp.ndarray)):       # a constant exponent
        if y == 0:
            return _spread(ans, g * 0.0 * x)
        if y == 1:
            return _spread(ans, g)
        return _spread(ans, g * (y * x ** (y - 1)))
    if onp.any(unwrap(x) == 0):                     # 0 ** (0 - 1) is inf: use any finite power
        return _spread(ans, g * y * x ** np.where(y, y - 1, 1.0))
    return _spread(ans, g * y * x ** (y - 1))


for _prim in (np.power, array_node.power):
    defjvp(_prim, _power_jvp_x,
           lambda g, ans, x, y: _spread(ans, g * log_of_base(x, ans) * ans))

from . import linalg_tangents  # noqa: F401,E402  (np.linalg: decompositions need rules of their own)


# Pieces chosen by a comparison: the tangent of the piece that was chosen (ties split
# as in the gradient rules, gradients/elementwise.py).
for _prim in (np.maximum, np.fmax, np.minimum, np.fmin):
    defjvp(_prim, lambda g, ans, x, y: _spread(ans, g * split_ties(x, y, ans)),
           lambda g, ans, x, y: _spread(ans, g * split_ties(y, x, ans)))
defjvp(np.where, None, lambda g, ans, c, x=None, y=None: _spread(ans, np.where(c, g, 0.0)),
       lambda g, ans, c, x=None, y=None: _spread(ans, np.where(c, 0.0, g)))


def _clip_jvp(argnum):
    def rule(g, ans, a, a_min=None, a_max=None, **kwargs):
        lo = onp.full(np.shape(ans), True) if a_min is None else unwrap(a) >= unwrap(a_min)
        hi = onp.full(np.shape(ans), True) if a_max is None else unwrap(a) <= unwrap(a_max)
        chosen = (lo & hi, ~lo, ~hi & lo)[argnum]
        return _spread(ans, np.where(chosen, g, 0.0))
    return rule


defjvp(np.clip, _clip_jvp(0), _clip_jvp(1), _clip_jvp(2))


def _joined_tangent(prim):
    """concatenate and stack (axis, *arrays): the tangent of one array, zeros for the others."""
    def rule(argnum, g, ans, args, kwargs):
        parts = [g if i == argnum else onp.zeros(np.shape(a)) for i, a in enumerate(args)]
        return prim(args[0], *parts[1:], **kwargs)
    return rule


for _prim in (concatenate_args, stack_args):
    defjvp_argnum(_prim, _joined_tangent(_prim))


def _abs_jvp(g, ans, x):
    if is_complex(x):                  # d|z| = Re(conj(z) dz) / |z|
        return np.real(np.conj(x) * g) / np.where(ans == 0, 1.0, ans)
    return g * np.sign(x)


for _prim in (np.absolute, np.abs, np.fabs, array_node.absolute):
    defjvp(_prim, _abs_jvp)
def _sign_jvp(g, ans, x):
    if not (is_complex(x) and COMPLEX_SIGN_IS_SMOOTH):
        return 0.0 * ans
    r = np.abs(x)
    safe = np.where(r == 0, 1.0, r)            # d(z/r) = dz/r - z Re(conj(z) dz)/r³
    return np.where(r == 0, 0.0, g / safe - x * np.real(np.conj(x) * g) / safe ** 3)


defjvp(np.sign, _sign_jvp)
