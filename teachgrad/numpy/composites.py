"""numpy functions that teachgrad writes with differentiable operations.

Given plain values each of these is numpy's own function. Given traced
values it computes the same result with teachgrad.numpy operations, so every
step is recorded and the gradient comes from theirs: no gradient rule of its
own is needed. ``wraps_numpy`` (numpy/sequences.py) makes each one
teachgrad.numpy's version of that name once the namespace is assembled.

* statistics: ``average``, ``cov``, ``corrcoef``;
* calculus on samples: ``trapezoid``, ``gradient``;
* polynomials: ``poly`` (from roots), ``polydiv`` (long division);
* choosing between arrays: ``select``, ``choose``, ``piecewise``;
* applying a function along axes: ``apply_along_axis``, ``apply_over_axes``;
* ufuncs with two outputs: ``divmod``, ``modf``, ``frexp``.
"""
from __future__ import annotations

import numpy as onp

from . import namespace as np

from ..errors import AssignmentError, explain
from ..tracing import unwrap
from .gradients.helpers import count, flag, refuse
from .sequences import has_node, stack, wraps_numpy
from .utility_primitives import scatter_add

# --------------------------------------------------------------------------
# Statistics
# --------------------------------------------------------------------------


@wraps_numpy("average")
def average(a, axis=None, weights=None, returned=False, *, keepdims=onp._NoValue):
    """numpy.average: a weighted mean, differentiable in ``a`` and ``weights``.

    sum(a·w) / sum(w) along ``axis``; 1-D weights line up with that axis.
    """
    if not has_node((a, weights)):
        kw = {} if keepdims is onp._NoValue else {"keepdims": keepdims}
        return onp.average(a, axis, weights, returned, **kw)
    kd = flag(keepdims)
    a = np.asarray(a)                     # (a list of traced values becomes one array)
    if weights is None:
        avg = np.mean(a, axis=axis, keepdims=kd)
        total = onp.asarray(count(a, axis) * 1.0)
        scale = onp.broadcast_to(total, np.shape(avg)) if returned else None
        return (avg, scale) if returned else avg
    w = np.asarray(weights)
    if np.ndim(w) != np.ndim(a):
        if axis is None or np.ndim(w) != 1:
            raise TypeError("Axis must be specified when shapes of a and weights differ.")
        shape = [1] * np.ndim(a)
        shape[axis % np.ndim(a)] = np.shape(w)[0]
        w = np.reshape(w, tuple(shape))
    total = np.sum(w * onp.ones(np.shape(a)), axis=axis, keepdims=kd)
    avg = np.sum(a * w, axis=axis, keepdims=kd) / total
    return (avg, total) if returned else avg


def as_rows(m, rowvar):
    m = np.asarray(m)
    m = np.reshape(m, (1,) + np.shape(m)) if np.ndim(m) < 2 else m
    return m if rowvar or np.shape(m)[0] == 1 else np.transpose(m)


@wraps_numpy("cov")
def cov(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, *, dtype=None):
    """numpy.cov, differentiable in m and y (the weights are constants).

    Rows are variables, columns observations: centre each row on its
    (weighted) mean, then c = X·W·Xᴴ / (number of observations - ddof).
    """
    if not has_node((m, y)):
        return onp.cov(m, y, rowvar, bias, ddof, fweights, aweights, dtype=dtype)
    if has_node((fweights, aweights)):
        raise refuse("cov", "traced weights", "pass the weights as plain arrays")
    X = as_rows(m, rowvar)
    if y is not None:
        X = np.concatenate([X, as_rows(y, rowvar)], axis=0)
    if ddof is None:
        ddof = 0 if bias else 1
    n_obs = np.shape(X)[1]
    w = None
    if fweights is not None:
        w = onp.asarray(fweights, dtype=float)
    if aweights is not None:
        aw = onp.asarray(aweights, dtype=float)
        w = aw if w is None else w * aw
    if w is None:
        avg = np.mean(X, axis=1, keepdims=True)
        fact = n_obs - ddof
    else:
        w_sum = onp.sum(w)
        avg = np.sum(X * w, axis=1, keepdims=True) / w_sum
        if ddof == 0:
            fact = w_sum
        elif aweights is None:
            fact = w_sum - ddof
        else:
            fact = w_sum - ddof * onp.sum(w * onp.asarray(aweights, dtype=float)) / w_sum
    X = X - avg
    Xw = X if w is None else X * w
    Xw_h = np.conj(Xw) if onp.iscomplexobj(unwrap(Xw)) else Xw
    c = np.dot(X, np.transpose(Xw_h)) / fact
    return np.squeeze(c)


@wraps_numpy("corrcoef")
def corrcoef(x, y=None, rowvar=True, *, dtype=None):
    """numpy.corrcoef: the covariance divided by both standard deviations."""
    if not has_node((x, y)):
        return onp.corrcoef(x, y, rowvar, dtype=dtype)
    c = cov(x, y, rowvar)
    if np.ndim(c) == 0:
        return c / c
    sd = np.sqrt(np.real(np.diagonal(c)))
    c = c / np.reshape(sd, (-1, 1)) / np.reshape(sd, (1, -1))
    if not onp.iscomplexobj(unwrap(c)):
        c = np.clip(c, -1.0, 1.0)      # as numpy does, against rounding just past ±1
    return c


# --------------------------------------------------------------------------
# Calculus on samples: integrals and derivatives
# --------------------------------------------------------------------------


@wraps_numpy("trapezoid")
def trapezoid(y, x=None, dx=1.0, axis=-1):
    """numpy.trapezoid, differentiable in y, x and dx: the sum of the trapezoids' areas."""
    if not has_node((y, x, dx)):
        return onp.trapezoid(y, x, dx, axis)
    ndim = np.ndim(y)
    ax = axis % ndim
    if x is None:
        d = dx
    elif np.ndim(x) == 1:
        shape = [1] * ndim
        shape[ax] = np.shape(x)[0] - 1
        d = np.reshape(np.diff(x), tuple(shape))
    else:
        d = np.diff(x, axis=axis)
    upper = y[(slice(None),) * ax + (slice(1, None),)]
    lower = y[(slice(None),) * ax + (slice(None, -1),)]
    return np.sum(d * (upper + lower) / 2.0, axis=axis)


@wraps_numpy("gradient")
def gradient(f, *varargs, axis=None, edge_order=1):
    """numpy.gradient: central differences inside, one-sided ones at the two ends.

    Each derivative is a fixed linear combination of neighbouring entries
    (with coefficients from the spacings), written here with slices, so it is
    differentiable in f and in traced spacings.
    """
    if not has_node((f,) + varargs):
        return onp.gradient(f, *varargs, axis=axis, edge_order=edge_order)
    nd = np.ndim(f)
    axes = list(range(nd)) if axis is None else [a % nd for a in onp.atleast_1d(axis)]
    if not varargs:
        spacings = [1.0] * len(axes)
    elif len(varargs) == 1 and np.ndim(varargs[0]) == 0:
        spacings = list(varargs) * len(axes)
    elif len(varargs) == len(axes):
        spacings = list(varargs)
    else:
        raise TypeError("invalid number of arguments")
    if edge_order not in (1, 2):
        raise ValueError("'edge_order' greater than 2 not supported")
    results = [_derivative_along(f, ax, h, edge_order) for ax, h in zip(axes, spacings)]
    return results[0] if len(results) == 1 else tuple(results)


def _derivative_along(f, ax, h, edge_order):
    n = np.shape(f)[ax]
    if n < edge_order + 1:
        raise ValueError("Shape of array too small to calculate a numerical gradient, "
                         "at least (edge_order + 1) elements are required.")

    def part(start, stop=None):               # f[..., start:stop, ...] along ax
        return f[(slice(None),) * ax + (slice(start, stop),)]

    def along(v):                             # a 1-D array of coefficients lined up with ax
        shape = [1] * np.ndim(f)
        shape[ax] = -1
        return np.reshape(v, tuple(shape))

    if np.ndim(h) == 0:                       # uniform spacing h
        inside = (part(2) - part(None, -2)) / (2.0 * h)
        if edge_order == 1:
            first = (part(1, 2) - part(0, 1)) / h
            last = (part(-1) - part(-2, -1)) / h
        else:
            first = (-1.5 * part(0, 1) + 2.0 * part(1, 2) - 0.5 * part(2, 3)) / h
            last = (0.5 * part(-3, -2) - 2.0 * part(-2, -1) + 1.5 * part(-1)) / h
        return np.concatenate([first, inside, last], axis=ax)
    dx = np.diff(h)                           # coordinates: uneven steps
    d1, d2 = dx[:-1], dx[1:]
    a = -d2 / (d1 * (d1 + d2))
    b = (d2 - d1) / (d1 * d2)
    c = d1 / (d2 * (d1 + d2))
    inside = along(a) * part(None, -2) + along(b) * part(1, -1) + along(c) * part(2)
    if edge_order == 1:
        first = (part(1, 2) - part(0, 1)) / dx[0]
        last = (part(-1) - part(-2, -1)) / dx[-1]
    else:
        d1, d2 = dx[0], dx[1]
        first = (-(2.0 * d1 + d2) / (d1 * (d1 + d2)) * part(0, 1) + (d1 + d2) / (d1 * d2) * part(1, 2)
                 - d1 / (d2 * (d1 + d2)) * part(2, 3))
        d1, d2 = dx[-2], dx[-1]
        last = (d2 / (d1 * (d1 + d2)) * part(-3, -2) - (d2 + d1) / (d1 * d2) * part(-2, -1)
                + (2.0 * d2 + d1) / (d2 * (d1 + d2)) * part(-1))
    return np.concatenate([first, inside, last], axis=ax)


# --------------------------------------------------------------------------
# Polynomials (coefficients from the highest power down, as numpy's poly*)
# --------------------------------------------------------------------------


@wraps_numpy("poly")
def poly(seq_of_zeros):
    """numpy.poly for a 1-D sequence of roots: the product of the factors (x - r).

    Each factor multiplies the coefficients by [1, -r] (a convolution), so
    the result is differentiable in the roots. (A square matrix, whose
    characteristic polynomial numpy.poly computes from eigenvalues, has no
    gradient here.)
    """
    if not has_node(seq_of_zeros):
        return onp.poly(seq_of_zeros)
    roots = np.asarray(seq_of_zeros)
    if np.ndim(roots) != 1:
        raise refuse("poly", "a matrix", "pass its eigenvalues, np.linalg.eigvals(A)")
    coefficients = onp.ones(1)
    for k in range(np.shape(roots)[0]):
        coefficients = np.convolve(coefficients, np.stack([1.0, -roots[k]]))
    values = onp.asarray(unwrap(roots))
    if onp.iscomplexobj(values) and onp.all(onp.sort(values) == onp.sort(values.conjugate())):
        coefficients = np.real(coefficients)  # conjugate pairs of roots: real coefficients
    return coefficients


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


# --------------------------------------------------------------------------
# Choosing between arrays
# --------------------------------------------------------------------------


@wraps_numpy("select")
def select(condlist, choicelist, default=0):
    """numpy.select: the first choice whose condition holds, else ``default``.

    Written as nested np.where, from the last condition to the first, so that
    the first true condition wins.
    """
    if not has_node((list(choicelist), default)):
        return onp.select(condlist, choicelist, default)
    if len(condlist) != len(choicelist):
        raise ValueError("list of cases must be same length as list of conditions")
    shape = onp.broadcast_shapes(*[onp.shape(unwrap(c)) for c in list(condlist) + list(choicelist)]
                                   + [onp.shape(unwrap(default))])
    result = np.broadcast_to(default, shape) if onp.shape(unwrap(default)) != shape else default
    for cond, choice in reversed(list(zip(condlist, choicelist))):
        result = np.where(unwrap(cond), choice, result)
    return result


@wraps_numpy("choose")
def choose(a, choices, out=None, mode="raise"):
    """numpy.choose: entry i of ``choices[a[i]]``; differentiable in the choices."""
    choices = list(choices)
    if not has_node(choices):
        return onp.choose(a, choices, out=out, mode=mode)
    if out is not None:
        raise AssignmentError(explain(
            "np.choose(..., out=) was given traced values.",
            "writing into an existing array cannot be recorded.",
            "use the returned array: result = np.choose(a, choices)."))
    which = onp.choose(unwrap(a), onp.arange(len(choices)), mode=mode)   # applies mode
    result = choices[0]
    for k in range(1, len(choices)):
        result = np.where(which == k, choices[k], result)
    shape = onp.broadcast_shapes(onp.shape(which), *[onp.shape(unwrap(c)) for c in choices])
    return result if onp.shape(unwrap(result)) == shape else np.broadcast_to(result, shape)


@wraps_numpy("piecewise")
def piecewise(x, condlist, funclist, *args, **kw):
    """numpy.piecewise: each function applied to the entries where its condition holds.

    Each function sees only its own entries (as numpy does), and its results
    are added into place; entries no condition claims are 0 (or the extra,
    last function's). A later condition overrides an earlier one.
    """
    if not has_node(x):
        return onp.piecewise(x, condlist, funclist, *args, **kw)
    x_v = onp.asarray(unwrap(x))
    if onp.isscalar(condlist) or (
            not isinstance(condlist[0], (list, onp.ndarray)) and x_v.ndim != 0):
        condlist = [condlist]                     # one condition, as numpy reads it
    conds = [onp.broadcast_to(onp.asarray(c, dtype=bool), x_v.shape) for c in condlist]
    funcs = list(funclist)
    if len(funcs) == len(conds) + 1:
        conds.append(~onp.any(conds, axis=0))
    elif len(funcs) != len(conds):
        raise ValueError(f"with {len(conds)} condition(s), either {len(conds)} or "
                         f"{len(conds) + 1} functions are expected")
    owner = onp.full(x_v.shape, -1)
    for k, c in enumerate(conds):
        owner[c] = k                              # the later condition wins
    flat_owner = owner.ravel()
    flat_x = np.ravel(x)
    result = onp.zeros(x_v.size)
    for k, func in enumerate(funcs):
        where = onp.flatnonzero(flat_owner == k)
        if not where.size:
            continue
        values = func(flat_x[where], *args, **kw) if callable(func) else \
            onp.full(where.size, func, dtype=float)
        result = result + scatter_add(values, (where,), (x_v.size,))
    return np.reshape(result, x_v.shape)


# --------------------------------------------------------------------------
# Applying a function along axes
# --------------------------------------------------------------------------


@wraps_numpy("apply_along_axis")
def apply_along_axis(func1d, axis, arr, *args, **kwargs):
    """numpy.apply_along_axis: func1d on each 1-D slice, the results stacked.

    With traced values it loops over the slices in Python (each call of
    func1d is recorded) and stacks the results where the axis was.
    """
    if not has_node(arr):
        try:
            return onp.apply_along_axis(func1d, axis, arr, *args, **kwargs)
        except AssignmentError:           # func1d returned traced values (a closure)
            pass
    nd = onp.ndim(unwrap(arr))
    axis = axis % nd
    moved = np.moveaxis(arr, axis, -1)
    outer = onp.shape(unwrap(moved))[:-1]
    results = [func1d(moved[index], *args, **kwargs) for index in onp.ndindex(*outer)]
    stacked = stack(results, axis=0)
    out_shape = onp.shape(unwrap(stacked))[1:]
    stacked = np.reshape(stacked, outer + out_shape)
    # (outer..., out...) -> outer[:axis] + out + outer[axis:]
    k = len(out_shape)
    order = list(range(axis)) + list(range(len(outer), len(outer) + k)) + list(range(axis, len(outer)))
    return np.transpose(stacked, order) if k else stacked


@wraps_numpy("apply_over_axes")
def apply_over_axes(func, a, axes):
    """numpy.apply_over_axes: func(a, axis) for each axis in turn, keeping the dimensions."""
    if not has_node(a):
        return onp.apply_over_axes(func, a, axes)
    nd = onp.ndim(unwrap(a))
    for axis in onp.atleast_1d(axes):
        axis = int(axis) % nd
        result = func(a, axis)
        if onp.ndim(unwrap(result)) != nd:
            result = np.expand_dims(result, axis)
            if onp.ndim(unwrap(result)) != nd:
                raise ValueError("function is not returning an array of the correct shape")
        a = result
    return a


# --------------------------------------------------------------------------
# Ufuncs with two outputs
# --------------------------------------------------------------------------


@wraps_numpy("divmod")
def divmod_(x1, x2, /, *args, **kwargs):
    """numpy.divmod: (x1 // x2, x1 % x2); the remainder is differentiable."""
    if not has_node((x1, x2)):
        return onp.divmod(x1, x2, *args, **kwargs)
    return np.floor_divide(x1, x2), np.mod(x1, x2)


@wraps_numpy("modf")
def modf(x, /, *args, **kwargs):
    """numpy.modf: (fractional part, integer part); the fractional part is x - trunc(x)."""
    if not has_node(x):
        return onp.modf(x, *args, **kwargs)
    whole = onp.trunc(unwrap(x))
    return x - whole, whole


@wraps_numpy("frexp")
def frexp(x, /, *args, **kwargs):
    """numpy.frexp: (mantissa, exponent) with x = mantissa · 2**exponent."""
    if not has_node(x):
        return onp.frexp(x, *args, **kwargs)
    exponent = onp.frexp(unwrap(x))[1]
    return x * onp.ldexp(1.0, -exponent), exponent
