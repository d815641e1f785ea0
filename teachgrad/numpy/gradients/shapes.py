"""Gradients of functions that move entries around: reshape, transpose, indexing, stacking."""
from __future__ import annotations

import numpy as onp

import teachgrad.numpy as np
from ...extend import defvjp, defvjp_argnums
from ...tracing import Primitive, unwrap
from .. import boxes
from .helpers import matching_complex, unbroadcast
from ..sequences import astype, concatenate_args, stack_args


def memory_order(x, order):
    """The order ('C' or 'F') in which numpy reads x for order='A'; None for 'K' (any layout)."""
    order = (order or "C").upper()
    if order == "A":
        flags = onp.asarray(unwrap(x)).flags
        return "F" if flags.f_contiguous and not flags.c_contiguous else "C"
    return None if order == "K" else order


def reshape_vjp(ans, x, shape=None, order="C", **kw):
    """reshape reads and writes entries in ``order``; the gradient reads them back the same way."""
    order = memory_order(x, order) or "C"         # (numpy itself refuses order='K' here)
    return lambda g: np.reshape(g, np.shape(x), order=order)


def ravel_vjp(ans, x, order="C"):
    """ravel in C or F order is a reshape; in 'K' order it follows x's memory layout."""
    read = memory_order(x, order)
    if read is not None:
        return lambda g: np.reshape(g, np.shape(x), order=read)
    value = onp.asarray(unwrap(x))
    where = onp.empty_like(value, dtype=onp.intp)     # the same memory layout as x
    where[...] = onp.arange(value.size).reshape(value.shape)
    back = onp.argsort(onp.ravel(where, order="K"))   # flat entry i of x sits at back[i] in ans
    return lambda g: np.reshape(g[back], np.shape(x))


defvjp(np.reshape, reshape_vjp)
defvjp(np.ravel, ravel_vjp)
defvjp(np.squeeze, lambda ans, x, *args, **kw: lambda g: np.reshape(g, np.shape(x)))
defvjp(np.expand_dims, lambda ans, x, *args, **kw: lambda g: np.reshape(g, np.shape(x)))
defvjp(np.copy, lambda ans, x, *args, **kw: lambda g: g)
defvjp(np.broadcast_to, lambda ans, x, *args, **kw: lambda g: unbroadcast(x, g))
defvjp(astype, lambda ans, x, dtype: lambda g: astype(g, np.result_type(x)))


def transpose_vjp(ans, x, axes=None):
    if axes is None:
        return lambda g: np.transpose(g)
    return lambda g: np.transpose(g, onp.argsort([a % np.ndim(x) for a in axes]))


defvjp(np.transpose, transpose_vjp)
defvjp(np.swapaxes, lambda ans, x, axis1, axis2: lambda g: np.swapaxes(g, axis1, axis2))
defvjp(np.moveaxis, lambda ans, x, source, destination: lambda g: np.moveaxis(g, destination, source))


def repeat_vjp(ans, x, repeats, axis=None):
    shape = np.shape(x)
    if axis is None:
        flat_shape = (int(onp.prod(shape)),)
        index = onp.repeat(onp.arange(flat_shape[0]), repeats)
        return lambda g: np.reshape(scatter_add(g, (index,), flat_shape), shape)
    axis = axis % len(shape)
    index = (slice(None),) * axis + (onp.repeat(onp.arange(shape[axis]), repeats),)
    return lambda g: scatter_add(g, index, shape)


defvjp(np.repeat, repeat_vjp)


def tile_vjp(ans, x, reps):
    reps = (reps,) if onp.isscalar(reps) else tuple(reps)
    shape = np.shape(x)
    n = max(len(shape), len(reps))
    shape_n = (1,) * (n - len(shape)) + tuple(shape)
    reps_n = (1,) * (n - len(reps)) + reps
    interleaved = tuple(v for pair in zip(reps_n, shape_n) for v in pair)
    return lambda g: np.reshape(np.sum(np.reshape(g, interleaved), axis=tuple(range(0, 2 * n, 2))), shape)


defvjp(np.tile, tile_vjp)


def concatenate_vjp(argnums, ans, args, kwargs):
    axis, arrays = args[0], args[1:]
    sizes = [np.shape(a)[axis] if np.ndim(a) else 1 for a in arrays]
    starts = onp.cumsum([0] + sizes)

    def vjp(g):
        ndim = np.ndim(g)
        ax = axis % ndim
        return [matching_complex(arrays[i - 1], g[(slice(None),) * ax + (slice(starts[i - 1], starts[i]),)])
                for i in argnums]
    return vjp


defvjp_argnums(concatenate_args, concatenate_vjp)


def stack_vjp(argnums, ans, args, kwargs):
    axis = args[0] % np.ndim(ans)
    return lambda g: [matching_complex(args[i], g[(slice(None),) * axis + (i - 1,)]) for i in argnums]


defvjp_argnums(stack_args, stack_vjp)

scatter_add = Primitive(lambda g, index, shape: _scatter_add(g, index, shape), "scatter_add")


def _scatter_add(g, index, shape):
    """An array of zeros of ``shape`` with ``g`` added at ``index`` (repeats accumulate)."""
    dtype = onp.result_type(g)
    out = onp.zeros(shape, dtype if dtype.kind in "fc" else float)
    onp.add.at(out, index, g)
    return out


defvjp(scatter_add, lambda ans, g, index, shape: lambda h: h[index])
def getitem_vjp(ans, x, index):
    if isinstance(x, (tuple, list)):
        # one output of a primitive that returns several: zeros for the others
        return lambda g: tuple(g if i == index else onp.zeros_like(unwrap(v)) for i, v in enumerate(x))
    return lambda g: scatter_add(g, index, np.shape(x))


defvjp(boxes.getitem, getitem_vjp,
       formulas=("1 at the selected entries",))
