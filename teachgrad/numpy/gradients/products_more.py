"""More products: inner, vdot, cross, kron, convolve/correlate, the gufunc
products (vecdot, matvec, vecmat) and polynomials.

Every one is linear in each argument, so each gradient is the same kind of
product taken "backwards": the upstream gradient combined with the *other*
argument. No conjugates appear except where numpy's function conjugates
(vdot, vecdot, vecmat, correlate): complex gradients follow the same
convention as the rest of the table (see helpers.py).
"""
from __future__ import annotations

import numpy as onp

import teachgrad.numpy as np

from ...extend import defvjp
from ...tracing import unwrap
from ..sequences import has_node, wraps_numpy
from .elementwise_more import real_like, share_gradient
from .helpers import is_complex, unbroadcast
from .reductions_more import given, refuse


def conj(x):
    """np.conj, skipped (no graph node) for real values."""
    return np.conj(x) if is_complex(x) else x


# --------------------------------------------------------------------------
# inner, vdot
# --------------------------------------------------------------------------


def inner_vjp(argnum):
    """inner(a, b) contracts the last axes: out[I, J] = Σ_k a[I, k] b[J, k]."""
    def maker(ans, a, b):
        na, nb = np.ndim(a), np.ndim(b)
        if na == 0 or nb == 0:                   # a scalar: an ordinary product
            other = b if argnum == 0 else a
            return lambda g: unbroadcast(a if argnum == 0 else b, g * other)
        if argnum == 0:                          # g[I, J] b[J, k] summed over J
            return lambda g: real_like(a, np.tensordot(g, b, (list(range(na - 1, na + nb - 2)),
                                                             list(range(nb - 1)))))
        return lambda g: real_like(b, np.tensordot(g, a, (list(range(na - 1)), list(range(na - 1)))))
    return maker


defvjp(np.inner, inner_vjp(0), inner_vjp(1))

# vdot(a, b) = Σ conj(a) · b over the flattened arrays.
defvjp(np.vdot,
       lambda ans, a, b: lambda g: real_like(a, np.reshape(conj(g * np.ravel(b)), np.shape(a))),
       lambda ans, a, b: lambda g: real_like(b, np.reshape(g * conj(np.ravel(a)), np.shape(b))))

# --------------------------------------------------------------------------
# cross, kron
# --------------------------------------------------------------------------


def cross_vjp(argnum):
    """<g, a × b> = <a, b × g> = <b, g × a>: the gradients are cross products again."""
    def maker(ans, a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
        if axis is not None:
            axisa = axisb = axisc = axis
        if onp.shape(unwrap(a))[axisa] != 3 or onp.shape(unwrap(b))[axisb] != 3:
            raise refuse("cross", "2-element vectors (deprecated by numpy)",
                         "append a zero third component to both vectors")
        if argnum == 0:
            return lambda g: unbroadcast(a, np.cross(b, g, axisa=axisb, axisb=axisc, axisc=axisa))
        return lambda g: unbroadcast(b, np.cross(g, a, axisa=axisc, axisb=axisa, axisc=axisb))
    return maker


defvjp(np.cross, cross_vjp(0), cross_vjp(1))


def kron_vjp(argnum):
    """kron(a, b)[i·nb + j] = a[i]·b[j] along every axis.

    Reshaping the gradient to interleaved axes (a0, b0, a1, b1, ...) separates
    i from j; then a's gradient sums g·b over b's axes, and b's over a's.
    """
    def maker(ans, a, b):
        sa, sb = onp.shape(unwrap(a)), onp.shape(unwrap(b))
        nd = max(len(sa), len(sb))
        sa = (1,) * (nd - len(sa)) + sa
        sb = (1,) * (nd - len(sb)) + sb
        interleaved = tuple(n for pair in zip(sa, sb) for n in pair)
        a_axes, b_axes = tuple(range(0, 2 * nd, 2)), tuple(range(1, 2 * nd, 2))
        if argnum == 0:
            b_spread = tuple(n for m in sb for n in (1, m))
            return lambda g: real_like(a, np.reshape(
                np.sum(np.reshape(g, interleaved) * np.reshape(b, b_spread), axis=b_axes), np.shape(a)))
        a_spread = tuple(n for m in sa for n in (m, 1))
        return lambda g: real_like(b, np.reshape(
            np.sum(np.reshape(g, interleaved) * np.reshape(a, a_spread), axis=a_axes), np.shape(b)))
    return maker


defvjp(np.kron, kron_vjp(0), kron_vjp(1))

# --------------------------------------------------------------------------
# convolve, correlate
# --------------------------------------------------------------------------


def full_offset(kind, mode, n, m):
    """Where numpy's 'same' or 'valid' output starts inside the 'full' one."""
    if mode == "full":
        return 0
    if mode == "valid":
        return min(n, m) - 1
    if kind == "convolve":
        return (min(n, m) - 1) // 2
    return (m - 1) // 2 if n >= m else n // 2


def to_full(g, kind, mode, n, m):
    """Pad the upstream gradient with zeros to the length of the 'full' output."""
    g = np.reshape(g, (-1,))
    if mode == "full":
        return g
    start = full_offset(kind, mode, n, m)
    length = onp.shape(unwrap(g))[0]
    return np.concatenate([onp.zeros(start), g, onp.zeros(n + m - 1 - start - length)])


def convolve_vjp(argnum):
    """out[k] = Σ_i a[i]·v[k - i] (full mode); a[i] gets Σ_k g[k]·v[k - i], a 'valid'
    convolution of g with v reversed (and the same for v with a)."""
    def maker(ans, a, v, mode="full"):
        n, m = onp.size(unwrap(a)), onp.size(unwrap(v))
        mine, other = (a, v) if argnum == 0 else (v, a)
        flipped = np.flip(np.reshape(other, (-1,)))

        def vjp(g):
            full = to_full(g, "convolve", mode, n, m)
            return real_like(mine, np.reshape(np.convolve(full, flipped, "valid"), np.shape(mine)))
        return vjp
    return maker


def correlate_vjp(argnum):
    """correlate(a, v) is convolve(a, w) with w = conj(v) reversed (numpy's definition)."""
    def maker(ans, a, v, mode="valid"):
        n, m = onp.size(unwrap(a)), onp.size(unwrap(v))
        if argnum == 0:
            kernel = conj(np.reshape(v, (-1,)))

            def vjp(g):
                full = to_full(g, "correlate", mode, n, m)
                return real_like(a, np.reshape(np.convolve(full, kernel, "valid"), np.shape(a)))
            return vjp
        flipped = np.flip(np.reshape(a, (-1,)))

        def vjp(g):
            full = to_full(g, "correlate", mode, n, m)
            w_grad = np.convolve(full, flipped, "valid")     # the gradient for w
            return real_like(v, np.reshape(conj(np.flip(w_grad)), np.shape(v)))
        return vjp
    return maker


defvjp(np.convolve, convolve_vjp(0), convolve_vjp(1))
defvjp(np.correlate, correlate_vjp(0), correlate_vjp(1))

# --------------------------------------------------------------------------
# vecdot, matvec, vecmat (numpy 2's generalized ufuncs; they broadcast)
# --------------------------------------------------------------------------


def gufunc_options(function, kwargs):
    if given(kwargs.get("axes")):
        raise refuse(function, "axes=", "move the axes first with np.moveaxis")
    return kwargs.get("axis", -1), bool(kwargs.get("keepdims", False))


def vecdot_vjp(argnum):
    """vecdot(x1, x2) = Σ conj(x1)·x2 along ``axis``."""
    def maker(ans, x1, x2, **kwargs):
        axis, keepdims = gufunc_options("vecdot", kwargs)

        def vjp(g):
            g = g if keepdims else np.expand_dims(g, axis)
            if argnum == 0:
                return unbroadcast(x1, conj(g * x2))
            return unbroadcast(x2, g * conj(x1))
        return vjp
    return maker


def matvec_vjp(argnum):
    """matvec(A, v)[..., i] = Σ_j A[..., i, j]·v[..., j]."""
    def maker(ans, A, v, **kwargs):
        gufunc_options("matvec", kwargs)
        if argnum == 0:
            return lambda g: unbroadcast(A, np.expand_dims(g, -1) * np.expand_dims(v, -2))
        return lambda g: unbroadcast(v, np.matvec(np.matrix_transpose(A), g))
    return maker


def vecmat_vjp(argnum):
    """vecmat(v, A)[..., j] = Σ_i conj(v[..., i])·A[..., i, j]."""
    def maker(ans, v, A, **kwargs):
        gufunc_options("vecmat", kwargs)
        if argnum == 0:
            return lambda g: unbroadcast(v, conj(np.matvec(A, g)))
        return lambda g: unbroadcast(A, np.expand_dims(conj(v), -1) * np.expand_dims(g, -2))
    return maker


for _name, _vjp in (("vecdot", vecdot_vjp), ("matvec", matvec_vjp), ("vecmat", vecmat_vjp)):
    if hasattr(np, _name):               # (numpy 2.0 and 2.2 added these)
        defvjp(getattr(np, _name), _vjp(0), _vjp(1))

# --------------------------------------------------------------------------
# Polynomials (coefficients from the highest power down, as numpy's poly*)
# --------------------------------------------------------------------------


def vander_vjp(ans, x, N=None, increasing=False):
    """vander(x)[i, j] = x[i] ** p[j]: d/dx[i] = Σ_j g[i, j]·p[j]·x[i] ** (p[j] - 1)."""
    n = onp.shape(unwrap(x))[0] if N is None else N
    powers = onp.arange(n) if increasing else onp.arange(n - 1, -1, -1)
    lowered = onp.maximum(powers - 1, 0).astype(float)
    return lambda g: real_like(x, np.sum(g * powers * np.expand_dims(x, 1) ** lowered, axis=1))


defvjp(np.vander, vander_vjp)


def polyval_vjp(argnum):
    """polyval(p, x) = Σ_k p[k]·x ** (n-1-k): linear in p; d/dx is polyval(polyder(p), x)."""
    def maker(ans, p, x):
        if argnum == 1:
            return lambda g: unbroadcast(x, g * np.polyval(np.polyder(p), x))
        n = onp.shape(unwrap(p))[0]

        def vjp(g):
            powers = np.vander(np.ravel(x), n)           # (entries of x, n)
            return real_like(p, np.dot(np.ravel(g), powers))
        return vjp
    return maker


defvjp(np.polyval, polyval_vjp(0), polyval_vjp(1))


def polyadd_vjp(argnum, sign=1.0):
    """polyadd lines the coefficients up at the constant term: each gets the matching tail of g."""
    def maker(ans, a1, a2):
        mine = (a1, a2)[argnum]
        length = onp.size(unwrap(mine))
        return lambda g: real_like(mine, np.reshape(sign * g[onp.size(unwrap(ans)) - length:],
                                                    np.shape(mine)))
    return maker


defvjp(np.polyadd, polyadd_vjp(0), polyadd_vjp(1))
defvjp(np.polysub, polyadd_vjp(0), polyadd_vjp(1, -1.0))
share_gradient(np.polymul, np.convolve)      # polymul is the convolution of the coefficients


def polyder_vjp(ans, p, m=1):
    """One derivative maps p[k] to p[k]·(n-1-k) and drops the constant term."""
    lengths = []
    length = onp.size(unwrap(p))
    for _ in range(m):
        lengths.append(length)
        length = max(length - 1, 0)

    def vjp(g):
        for length in reversed(lengths):
            if length == 0:
                continue
            g = np.concatenate([g * onp.arange(length - 1, 0, -1), onp.zeros(1)])
        return real_like(p, np.reshape(g, np.shape(p)))
    return vjp


def polyint_vjp(ans, p, m=1, k=None):
    """One integral maps p[k] to p[k] / (n-k) and appends a constant: undo both."""
    lengths = [onp.size(unwrap(p)) + i for i in range(m)]

    def vjp(g):
        for length in reversed(lengths):
            g = g[:-1] / onp.arange(length, 0, -1)
        return real_like(p, np.reshape(g, np.shape(p)))
    return vjp


defvjp(np.polyder, polyder_vjp)
defvjp(np.polyint, polyint_vjp)


@wraps_numpy("polydiv")
def polydiv(u, v):
    """numpy.polydiv: (quotient, remainder) by long division, differentiable in u and v.

    Each step divides the leading remaining coefficient by v's leading one
    and subtracts that multiple of v, as numpy does; the steps are recorded.
    """
    if not has_node((u, v)):
        return onp.polydiv(u, v)
    zero = onp.zeros((), onp.result_type(unwrap(u), unwrap(v), 1.0))   # numpy's result dtype
    u = np.atleast_1d(u) + zero
    v = np.atleast_1d(v) + zero
    m, n = np.shape(u)[0] - 1, np.shape(v)[0] - 1
    remainder, quotient = u, []
    for k in range(m - n + 1):
        d = remainder[k] / v[0]
        quotient.append(d)
        shifted = np.concatenate([onp.zeros(k), v, onp.zeros(m - n - k)])
        remainder = remainder - d * shifted
    quotient = np.stack(quotient) if quotient else onp.zeros(1, zero.dtype)
    while onp.allclose(unwrap(remainder)[0], 0, rtol=1e-14) and np.shape(remainder)[0] > 1:
        remainder = remainder[1:]
    return quotient, remainder
