"""More reductions: running sums and products, nan-ignoring versions, quantiles, ptp, diff.

Running sums (cumsum) send each upstream gradient to every entry that was
added into it, which is a cumulative sum read backwards. Quantiles and
medians pick (and interpolate between) entries of the sorted input, so their
gradient goes back to the entries that were picked, with the interpolation
weights. The nan-ignoring reductions are the plain ones with the nan entries
left out: those get a zero gradient.
"""
from __future__ import annotations

import numpy as onp

import teachgrad.numpy as np

from ...errors import NoGradientError, explain
from ...extend import defvjp
from ...graph import Node
from ...tracing import unwrap
from ..sequences import has_node, wraps_numpy
from .helpers import count, expand_to, matching_complex, reduced_axes, unbroadcast
from .reductions import extreme_vjp, prod_vjp


def refuse(function: str, option: str, instead: str = "compute without that option, "
           "or with np.where / indexing first") -> NoGradientError:
    return NoGradientError(explain(
        f"np.{function} with {option} has no gradient in teachgrad.",
        "only the common options of this function have a gradient registered.",
        instead))


def given(value) -> bool:
    """Whether an optional numpy argument was passed (numpy marks 'not passed' by _NoValue)."""
    return value is not None and value is not onp._NoValue


def flag(value) -> bool:
    return bool(value) if given(value) else False


# --------------------------------------------------------------------------
# Running sums and products
# --------------------------------------------------------------------------


def reverse_cumsum(g, axis):
    """out[i] = g[i] + g[i+1] + ...: every later running sum contained entry i."""
    return np.flip(np.cumsum(np.flip(g, axis), axis=axis), axis)


def cumsum_vjp(ans, x, axis=None, dtype=None, out=None):
    if axis is None:                     # the running sum of the flattened array
        return lambda g: np.reshape(reverse_cumsum(g, 0), np.shape(x))
    return lambda g: reverse_cumsum(g, axis)


defvjp(np.cumsum, cumsum_vjp, formulas=("1 for every later entry",))


def cumulative_sum_vjp(ans, x, axis=None, dtype=None, out=None, include_initial=False):
    ax = 0 if axis is None else axis % max(np.ndim(x), 1)

    def vjp(g):
        if include_initial:              # the leading 0 does not depend on x
            g = g[(slice(None),) * ax + (slice(1, None),)]
        return np.reshape(reverse_cumsum(g, ax), np.shape(x))
    return vjp


if hasattr(np, "cumulative_sum"):          # (numpy 2.1)
    defvjp(np.cumulative_sum, cumulative_sum_vjp)


def cumprod_along(x, axis):
    """The vjp of the running product along ``axis`` (x already has that axis)."""
    x_v = unwrap(x)
    if onp.all(x_v != 0):
        # d ans[k] / d x[i] = ans[k] / x[i] for every k >= i.
        ans = np.cumprod(x, axis=axis)
        return lambda g: reverse_cumsum(g * ans, axis) / x
    # With zeros ans / x is 0/0: multiply the other entries explicitly. Row i
    # of `others` is x with x[i] replaced by 1; its running product at k >= i
    # is d ans[k] / d x[i].
    moved = np.moveaxis(x, axis, -1)
    n = np.shape(moved)[-1]
    eye = onp.eye(n, dtype=bool)
    others = np.where(eye, 1.0, np.expand_dims(moved, -2))          # (..., i, k)
    partial = np.cumprod(others, axis=-1) * onp.triu(onp.ones((n, n)))   # keep k >= i

    def vjp(g):
        gm = np.expand_dims(np.moveaxis(g, axis, -1), -2)             # (..., 1, k)
        return np.moveaxis(np.sum(partial * gm, axis=-1), -1, axis)
    return vjp


def cumprod_vjp(ans, x, axis=None, dtype=None, out=None):
    if axis is None:
        inner = cumprod_along(np.ravel(x), 0)
        return lambda g: np.reshape(inner(g), np.shape(x))
    return cumprod_along(x, axis % max(np.ndim(x), 1))


defvjp(np.cumprod, cumprod_vjp, formulas=("product of the other earlier entries",))


def cumulative_prod_vjp(ans, x, axis=None, dtype=None, out=None, include_initial=False):
    ax = 0 if axis is None else axis % max(np.ndim(x), 1)
    inner = cumprod_along(np.reshape(x, (-1,)) if np.ndim(x) == 0 else x, ax)

    def vjp(g):
        if include_initial:              # the leading 1 does not depend on x
            g = g[(slice(None),) * ax + (slice(1, None),)]
        return np.reshape(inner(g), np.shape(x))
    return vjp


if hasattr(np, "cumulative_prod"):          # (numpy 2.1)
    defvjp(np.cumulative_prod, cumulative_prod_vjp)


def nancumsum_vjp(ans, x, axis=None, dtype=None, out=None):
    inner = cumsum_vjp(ans, x, axis)
    nan = onp.isnan(unwrap(x))
    return lambda g: np.where(nan, 0.0, inner(g))


def nancumprod_vjp(ans, x, axis=None, dtype=None, out=None):
    nan = onp.isnan(unwrap(x))
    inner = cumprod_vjp(ans, np.where(nan, 1.0, x), axis)     # nan counts as 1
    return lambda g: np.where(nan, 0.0, inner(g))


defvjp(np.nancumsum, nancumsum_vjp)
defvjp(np.nancumprod, nancumprod_vjp)

# --------------------------------------------------------------------------
# nan-ignoring reductions
# --------------------------------------------------------------------------


def check_where(function, where):
    if given(where) and where is not True:
        raise refuse(function, "where=")


def nansum_vjp(ans, x, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
    check_where("nansum", where)
    nan = onp.isnan(unwrap(x))
    return lambda g: np.where(nan, 0.0, expand_to(g, x, axis, flag(keepdims)))


def nanmean_vjp(ans, x, axis=None, dtype=None, out=None, keepdims=False, where=None):
    check_where("nanmean", where)
    nan = onp.isnan(unwrap(x))
    n = onp.sum(~nan, axis=axis, keepdims=True)      # how many entries each mean averaged
    return lambda g: np.where(nan, 0.0, expand_to(g, x, axis, flag(keepdims)) / n)


def nanvar_parts(function, x, axis, ddof, keepdims, where, mean, correction):
    check_where(function, where)
    if given(mean):
        raise refuse(function, "mean=")
    if given(correction):
        ddof = correction
    nan = onp.isnan(unwrap(x))
    n = onp.sum(~nan, axis=axis, keepdims=True)
    centred = np.where(nan, 0.0, x - np.nanmean(x, axis=axis, keepdims=True))
    return nan, n - ddof, np.conj(centred) if onp.iscomplexobj(unwrap(x)) else centred


def nanvar_vjp(ans, x, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *,
               where=None, mean=None, correction=None):
    _, dof, centred = nanvar_parts("nanvar", x, axis, ddof, keepdims, where, mean, correction)
    return lambda g: expand_to(g, x, axis, flag(keepdims)) * 2.0 * centred / dof


def nanstd_vjp(ans, x, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *,
               where=None, mean=None, correction=None):
    _, dof, centred = nanvar_parts("nanstd", x, axis, ddof, keepdims, where, mean, correction)
    std = expand_to(ans, x, axis, flag(keepdims))
    return lambda g: expand_to(g, x, axis, flag(keepdims)) * centred / (dof * std)


def nanprod_vjp(ans, x, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
    check_where("nanprod", where)
    nan = onp.isnan(unwrap(x))
    inner = prod_vjp(ans, np.where(nan, 1.0, x), axis, keepdims=flag(keepdims))   # nan counts as 1
    return lambda g: np.where(nan, 0.0, inner(g))


def nan_extreme_vjp(ans, x, axis=None, out=None, keepdims=False, initial=None, where=None):
    check_where("nanmax/nanmin", where)
    return extreme_vjp(ans, x, axis, keepdims=flag(keepdims))   # nan never equals the winner


defvjp(np.nansum, nansum_vjp)
defvjp(np.nanmean, nanmean_vjp)
defvjp(np.nanvar, nanvar_vjp)
defvjp(np.nanstd, nanstd_vjp)
defvjp(np.nanprod, nanprod_vjp)
defvjp(np.nanmax, nan_extreme_vjp)
defvjp(np.nanmin, nan_extreme_vjp)


def ptp_vjp(ans, x, axis=None, out=None, keepdims=False):
    """ptp = max - min: +g to the maxima and -g to the minima (ties share)."""
    kd = flag(keepdims)
    to_max = extreme_vjp(np.max(x, axis=axis, keepdims=kd), x, axis, keepdims=kd)
    to_min = extreme_vjp(np.min(x, axis=axis, keepdims=kd), x, axis, keepdims=kd)
    return lambda g: to_max(g) - to_min(g)


defvjp(np.ptp, ptp_vjp)

# --------------------------------------------------------------------------
# Quantiles, percentiles, medians
# --------------------------------------------------------------------------


def quantile_picks(a_v, q_v, axis, ignore_nan, method):
    """Which entries a quantile interpolates between, and with what weights.

    Returns flat indices into ``a`` (``lo``, ``hi``), the weight ``frac`` of
    ``hi`` (``lo`` gets 1 - frac), and the number of entries ``n`` of each
    slice, each of shape ``q.shape + kept_shape`` (the output without keepdims).
    """
    shape = a_v.shape
    axes = reduced_axes(a_v, axis)
    kept = [i for i in range(a_v.ndim) if i not in axes]
    order_axes = kept + list(axes)
    kept_shape = tuple(shape[i] for i in kept)
    rows = int(onp.prod(kept_shape, dtype=int))
    width = int(onp.prod([shape[i] for i in axes], dtype=int))
    positions = onp.arange(a_v.size).reshape(shape).transpose(order_axes).reshape(rows, width)
    values = a_v.transpose(order_axes).reshape(rows, width)
    order = onp.argsort(values, axis=1, kind="stable")                 # nan sort last
    sorted_positions = onp.take_along_axis(positions, order, axis=1)
    n = onp.sum(~onp.isnan(values), axis=1) if ignore_nan else onp.full(rows, width)
    q_flat = onp.reshape(q_v, (-1, 1))                                    # (quantiles, 1)
    index = q_flat * (n - 1)                                              # (quantiles, rows)
    lo = onp.floor(index)
    if method == "linear":
        frac = index - lo
    elif method == "lower":
        frac = onp.zeros_like(index)
    elif method == "higher":
        frac = (index > lo).astype(float)
    elif method == "nearest":
        frac = (onp.around(index) > lo).astype(float)
    elif method == "midpoint":
        frac = onp.where(index > lo, 0.5, 0.0)
    else:
        raise refuse("quantile", f"method={method!r}", "use method='linear' (the default), "
                     "'lower', 'higher', 'nearest' or 'midpoint'")
    rank = onp.clip(lo.astype(int), 0, onp.maximum(n - 1, 0))
    hi = onp.minimum(rank + 1, onp.maximum(n - 1, 0))
    row = onp.arange(rows)
    out_shape = onp.shape(q_v) + kept_shape
    pick = lambda k: sorted_positions[row, k].reshape(out_shape)
    n = onp.broadcast_to(n.reshape(kept_shape), out_shape)
    return pick(rank), pick(hi), frac.reshape(out_shape), n, rank.reshape(out_shape)


def quantile_maker(function, scale, ignore_nan):
    """The makers for a and q of quantile-like functions; q is divided by ``scale``."""
    def parts(a, q, axis, method, keepdims, weights):
        if given(weights):
            raise refuse(function, "weights=")
        a_v = onp.asarray(unwrap(a))
        q_v = onp.asarray(unwrap(q), dtype=float) / scale
        lo, hi, frac, n, rank = quantile_picks(a_v, q_v, axis, ignore_nan, method)
        out_shape = lo.shape
        if method == "linear" and isinstance(q, Node):
            # The weights move with q: keep them traced (for mixed second derivatives).
            q_b = np.reshape(q, onp.shape(q_v) + (1,) * (len(out_shape) - onp.ndim(q_v)))
            frac = q_b / scale * (n - 1) - rank

        def canonical(g):              # the output without keepdims' length-1 axes
            return np.reshape(g, out_shape) if flag(keepdims) else g
        return a_v, lo, hi, frac, n, canonical

    def a_maker(ans, a, q, axis=None, out=None, overwrite_input=False, method="linear",
                keepdims=False, *, weights=None):
        a_v, lo, hi, frac, _, canonical = parts(a, q, axis, method, keepdims, weights)
        from .shapes import scatter_add

        def vjp(g):
            g = canonical(g)
            flat = scatter_add(np.ravel(g * (1.0 - frac)), (lo.ravel(),), (a_v.size,)) + \
                scatter_add(np.ravel(g * frac), (hi.ravel(),), (a_v.size,))
            return np.reshape(flat, a_v.shape)
        return vjp

    def q_maker(ans, a, q, axis=None, out=None, overwrite_input=False, method="linear",
                keepdims=False, *, weights=None):
        if method != "linear":
            raise refuse(function, f"method={method!r} and a traced q",
                         "only the linear method moves smoothly with q")
        _, lo, hi, _, n, canonical = parts(a, q, axis, method, keepdims, weights)
        flat = np.ravel(a)

        def vjp(g):
            # d/dq of a[lo] + frac · (a[hi] - a[lo]) with frac = q·(n-1) - lo
            slope = (flat[hi] - flat[lo]) * (n - 1) / scale
            per_q = canonical(g) * slope
            extra = tuple(range(np.ndim(q), np.ndim(per_q)))
            return np.reshape(np.sum(per_q, axis=extra) if extra else per_q, np.shape(q))
        return vjp
    return a_maker, q_maker


for _fun, _name, _scale, _nan in [(np.quantile, "quantile", 1.0, False),
                                  (np.nanquantile, "nanquantile", 1.0, True),
                                  (np.percentile, "percentile", 100.0, False),
                                  (np.nanpercentile, "nanpercentile", 100.0, True)]:
    defvjp(_fun, *quantile_maker(_name, _scale, _nan))


def median_maker(ignore_nan):
    a_maker, _ = quantile_maker("median", 1.0, ignore_nan)

    def maker(ans, a, axis=None, out=None, overwrite_input=False, keepdims=False):
        return a_maker(ans, a, 0.5, axis, keepdims=flag(keepdims))
    return maker


defvjp(np.median, median_maker(False))
defvjp(np.nanmedian, median_maker(True))

# --------------------------------------------------------------------------
# Differences
# --------------------------------------------------------------------------


def undiff(g, axis):
    """The vjp of one difference out[i] = x[i+1] - x[i]: x[j] gets g[j-1] - g[j]."""
    shape = list(np.shape(g))
    shape[axis] = 1
    zero = onp.zeros(shape)
    return np.concatenate([zero, g], axis=axis) - np.concatenate([g, zero], axis=axis)


def extent(value, axis):
    """How many entries prepend= or append= add along ``axis``."""
    return 1 if onp.ndim(unwrap(value)) == 0 else onp.shape(unwrap(value))[axis]


def diff_vjp(argnum):
    """diff of a (argnum 0), or of the values prepend= (3) and append= (4) put before and after it."""
    def maker(ans, a, n=1, axis=-1, prepend=onp._NoValue, append=onp._NoValue):
        ax = axis % np.ndim(a)
        start = extent(prepend, ax) if given(prepend) else 0
        length = np.shape(a)[ax]
        piece = {0: slice(start, start + length), 3: slice(0, start), 4: slice(start + length, None)}[argnum]
        target = {0: a, 3: prepend, 4: append}[argnum]

        def vjp(g):
            for _ in range(n):
                g = undiff(g, ax)
            if given(prepend) or given(append):
                g = g[(slice(None),) * ax + (piece,)]
            return matching_complex(a, g) if argnum == 0 else unbroadcast(target, g)  # (a scalar: spread)
        return vjp
    return maker


defvjp(np.diff, diff_vjp(0), diff_vjp(3), diff_vjp(4), argnums=(0, 3, 4), formulas=("±1 per difference",))


def ediff1d_vjp(argnum):
    def maker(ans, ary, to_end=None, to_begin=None):
        n_begin = 0 if to_begin is None else onp.size(unwrap(to_begin))
        n_end = 0 if to_end is None else onp.size(unwrap(to_end))
        total = onp.size(unwrap(ans))
        if argnum == 0:
            return lambda g: matching_complex(
                ary, np.reshape(undiff(g[n_begin:total - n_end], 0), np.shape(ary)))
        if argnum == 1:
            return lambda g: matching_complex(to_end, np.reshape(g[total - n_end:], np.shape(to_end)))
        return lambda g: matching_complex(to_begin, np.reshape(g[:n_begin], np.shape(to_begin)))
    return maker


defvjp(np.ediff1d, ediff1d_vjp(0), ediff1d_vjp(1), ediff1d_vjp(2))

# --------------------------------------------------------------------------
# Functions written with differentiable pieces when given traced values
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
