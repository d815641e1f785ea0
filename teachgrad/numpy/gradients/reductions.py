"""Gradients of reductions: sum, mean, max/min, prod, var, std."""
from __future__ import annotations

import numpy as onp

import teachgrad.numpy as np
from ...extend import defvjp
from ...tracing import unwrap
from .helpers import count, expand_to, is_complex, matching_complex, reduced_axes


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


defvjp(np.sum, sum_vjp)
defvjp(np.mean, mean_vjp)


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
