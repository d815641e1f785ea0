"""Gradients of reductions: sum, mean, max/min, prod, var/std, running sums, quantiles, diff.

A reduction's gradient spreads the upstream gradient back over the entries
that were reduced (``expand_to``), weighted by how much each entry counted.
Running sums (cumsum) send each upstream gradient to every entry that was
added into it, which is a cumulative sum read backwards. Quantiles and
medians pick (and interpolate between) entries of the sorted input, so their
gradient goes back to the entries that were picked, with the interpolation
weights. The nan-ignoring reductions are the plain ones with the nan entries
left out: those get a zero gradient.
"""
from __future__ import annotations

import numpy as onp

from .. import namespace as np

from ...extend import def_linear, defjvp_argnum, defvjp
from ...graph import Node
from ...tracing import unwrap
from ..utility_primitives import scatter_add
from .helpers import (broadcast_scalar, count, expand_to, flag, given, is_complex,
                      matching_complex, quick_rule, reduced_axes, refuse, unbroadcast)


# --------------------------------------------------------------------------
# Sums and means
# --------------------------------------------------------------------------


def mask_of(x, where):
    """``where=`` as a boolean array of x's shape (None when every entry counts)."""
    if where is True or where is None or type(where).__name__ == "_NoValueType":
        return None
    return onp.broadcast_to(onp.asarray(unwrap(where), dtype=bool), onp.shape(unwrap(x)))


def sum_vjp(ans, x, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=True):
    mask = mask_of(x, where)            # initial= adds a constant: no effect on the gradient
    if mask is None:
        return lambda g: expand_to(g, x, axis, keepdims)
    return lambda g: np.where(mask, expand_to(g, x, axis, keepdims), 0.0)


def mean_vjp(ans, x, axis=None, dtype=None, out=None, keepdims=False, *, where=True):
    mask = mask_of(x, where)
    if mask is None:
        return lambda g: expand_to(g, x, axis, keepdims) / count(x, axis)
    n = onp.sum(mask, axis=axis, keepdims=True)     # how many entries each mean averaged
    return lambda g: np.where(mask, expand_to(g, x, axis, keepdims) / onp.maximum(n, 1), 0.0)


def sum_tangent(argnum, g, ans, args, kwargs):
    """sum is linear in x but for ``initial``, a constant added to the result: not in the tangent."""
    args = [g] + list(args[1:])
    if len(args) > 5:
        args[5] = 0.0                     # np.sum(a, axis, dtype, out, keepdims, initial, where)
    kwargs = {k: v for k, v in kwargs.items() if k != "initial"}
    return np.sum(*args, **kwargs)


def sum_gradient(g, ans, x, axis=None, dtype=None, out=None, keepdims=False, initial=None,
                 where=True):
    """sum_vjp's gradient, with the commonest case first: a number summing a whole array
    (a loss) sends that number to every entry, a read-only view, no maker made per node."""
    if axis is None and where is True and type(g) is onp.float64 and type(x) is onp.ndarray:
        return broadcast_scalar(g, x.shape)
    return sum_vjp(ans, x, axis, dtype, out, keepdims, initial, where)(g)


def mean_gradient(g, ans, x, axis=None, dtype=None, out=None, keepdims=False, *, where=True):
    """mean_vjp's gradient, with the commonest case first: the mean of a whole array sends
    g / n to every entry (divided once, not once per entry: the same numbers)."""
    if axis is None and where is True and type(g) is onp.float64 and type(x) is onp.ndarray \
            and x.ndim and x.size:
        return broadcast_scalar(g / x.size, x.shape)
    return mean_vjp(ans, x, axis, dtype, out, keepdims, where=where)(g)


defvjp(np.sum, quick_rule(sum_gradient, sum_vjp))
defjvp_argnum(np.sum, sum_tangent)
defvjp(np.mean, quick_rule(mean_gradient, mean_vjp))
def_linear(np.mean)

# --------------------------------------------------------------------------
# Extremes: max, min, ptp (the gradient goes to the winners)
# --------------------------------------------------------------------------


def extreme_vjp(ans, x, axis=None, out=None, keepdims=False, initial=None, where=True, **kw):
    """max/min: the gradient goes to the winning entries, split evenly between ties.

    Entries left out by where= never win; when initial= wins, no entry gets a gradient.
    """
    mask = mask_of(x, where)

    def vjp(g):
        winners = np.equal(x, expand_to(ans, x, axis, keepdims))
        if mask is not None:
            winners = winners & mask
        n_winners = np.sum(winners, axis=axis, keepdims=True)
        return expand_to(g, x, axis, keepdims) * winners / onp.maximum(n_winners, 1)
    return vjp


for _extreme in (np.max, np.min, np.amax, np.amin):
    defvjp(_extreme, extreme_vjp)


def ptp_vjp(ans, x, axis=None, out=None, keepdims=False):
    """ptp = max - min: +g to the maxima and -g to the minima (ties share)."""
    kd = flag(keepdims)
    to_max = extreme_vjp(np.max(x, axis=axis, keepdims=kd), x, axis, keepdims=kd)
    to_min = extreme_vjp(np.min(x, axis=axis, keepdims=kd), x, axis, keepdims=kd)
    return lambda g: to_max(g) - to_min(g)


defvjp(np.ptp, ptp_vjp)

# --------------------------------------------------------------------------
# Products
# --------------------------------------------------------------------------


def prod_vjp(ans, x, axis=None, dtype=None, out=None, keepdims=False, **kw):
    """d prod / d x_i is the product of all the other entries."""
    if onp.all(unwrap(x) != 0):
        return lambda g: expand_to(g, x, axis, keepdims) * expand_to(ans, x, axis, keepdims) / x
    # With zeros, ans / x is 0/0: multiply the other entries explicitly.
    axes = reduced_axes(x, axis)
    kept = [a for a in range(np.ndim(x)) if a not in axes]
    moved = np.transpose(x, kept + list(axes))
    k = count(x, axis)
    flat = np.reshape(moved, np.shape(moved)[:len(kept)] + (k,))
    leave_one_out = np.where(onp.eye(k, dtype=bool), 1.0, np.expand_dims(flat, -2))
    others = np.prod(leave_one_out, axis=-1)
    others = np.reshape(others, np.shape(moved))
    others = np.transpose(others, onp.argsort(kept + list(axes)))
    return lambda g: expand_to(g, x, axis, keepdims) * others


defvjp(np.prod, prod_vjp)

# --------------------------------------------------------------------------
# Spread: var, std
# --------------------------------------------------------------------------


def var_vjp(ans, x, axis=None, dtype=None, out=None, ddof=0, keepdims=False, **kw):
    centred = x - np.mean(x, axis=axis, keepdims=True)
    if is_complex(x):
        centred = np.conj(centred)      # var = mean |x - mean|²: a real function of complex x
    return lambda g: expand_to(g, x, axis, keepdims) * 2.0 * centred / (count(x, axis) - ddof)


def std_vjp(ans, x, axis=None, dtype=None, out=None, ddof=0, keepdims=False, **kw):
    if count(x, axis) == 1:          # the std of one entry is always 0
        return lambda g: matching_complex(x, expand_to(g, x, axis, keepdims) * 0.0)
    centred = x - np.mean(x, axis=axis, keepdims=True)
    if is_complex(x):
        centred = np.conj(centred)
    return lambda g: (expand_to(g, x, axis, keepdims) * centred
                      / ((count(x, axis) - ddof) * expand_to(ans, x, axis, keepdims)))


defvjp(np.var, var_vjp)
defvjp(np.std, std_vjp)

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
def_linear(np.cumsum)


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
