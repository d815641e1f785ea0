"""Gradients of functions that move entries around: reshape, transpose, indexing, joining, sort.

Most of these *select* entries of their input: every output entry is a copy
of one input entry (or a constant, for padding). The gradient of a selection
sends each upstream entry back to the input entry it was copied from, adding
where one input entry was copied several times (``scatter_add``).

To know where each output entry came from, the same numpy function is applied
to an array of *positions* (0, 1, 2, ... in the input's shape): what comes out
is, entry by entry, the flat position of the source. Positions are shifted
by one first when the function can also fill in zeros (diag, triu, pad), so
that a 0 in the result means "a constant, from no input entry".

All of them are linear in the array they move: forward mode's tangent is the
same function applied to the tangent (``def_linear``), next to each gradient.
"""
from __future__ import annotations

import numpy as onp

from .. import namespace as np

from ...extend import def_linear, defjvp, defjvp_argnum, defvjp, defvjp_argnums
from ...tracing import unwrap
from .. import array_node
from ..utility_primitives import astype, concatenate_args, scatter_add, stack_args
from .helpers import matching_complex, real_like, refuse, shape_of, share_gradient, unbroadcast


# --------------------------------------------------------------------------
# Reshaping: the same entries in another shape
# --------------------------------------------------------------------------


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


# reshape and ravel with order='A' or 'K' read x in its memory layout; the tangent, a
# separate array with a layout of its own, must be read in x's order, not in its own.
def reshape_tangent(g, ans, x, *args, order="C", **kwargs):
    return np.reshape(g, shape_of(ans), order=memory_order(x, order) or "C")


def ravel_tangent(g, ans, x, order="C"):
    read = memory_order(x, order)
    if read is not None:
        return np.ravel(g, order=read)
    value = onp.asarray(unwrap(x))
    where = onp.empty_like(value, dtype=onp.intp)          # the same memory layout as x
    where[...] = onp.arange(value.size).reshape(value.shape)
    return np.ravel(g)[onp.ravel(where, order="K")]


defvjp(np.reshape, reshape_vjp)
defjvp(np.reshape, reshape_tangent)
defvjp(np.ravel, ravel_vjp)
defjvp(np.ravel, ravel_tangent)
defvjp(np.squeeze, lambda ans, x, *args, **kw: lambda g: np.reshape(g, np.shape(x)))
defvjp(np.expand_dims, lambda ans, x, *args, **kw: lambda g: np.reshape(g, np.shape(x)))
defvjp(np.copy, lambda ans, x, *args, **kw: lambda g: g)
defvjp(np.broadcast_to, lambda ans, x, *args, **kw: lambda g: unbroadcast(x, g))
defvjp(astype, lambda ans, x, dtype: lambda g: astype(g, np.result_type(x)))
for _linear in (np.squeeze, np.expand_dims, np.copy, np.broadcast_to):
    def_linear(_linear)

# --------------------------------------------------------------------------
# Axes moved: the gradient moves them back
# --------------------------------------------------------------------------


def transpose_vjp(ans, x, axes=None):
    if axes is None:
        return lambda g: np.transpose(g)
    return lambda g: np.transpose(g, onp.argsort([a % np.ndim(x) for a in axes]))


defvjp(np.transpose, transpose_vjp)
defvjp(np.swapaxes, lambda ans, x, axis1, axis2: lambda g: np.swapaxes(g, axis1, axis2))
defvjp(np.moveaxis, lambda ans, x, source, destination: lambda g: np.moveaxis(g, destination, source))
for _linear in (np.transpose, np.swapaxes, np.moveaxis):
    def_linear(_linear)

defvjp(np.flip, lambda ans, m, axis=None: lambda g: np.flip(g, axis), formulas=("1 (flipped)",))
defvjp(np.fliplr, lambda ans, m: lambda g: np.fliplr(g), formulas=("1 (flipped)",))
defvjp(np.flipud, lambda ans, m: lambda g: np.flipud(g), formulas=("1 (flipped)",))
defvjp(np.rot90, lambda ans, m, k=1, axes=(0, 1): lambda g: np.rot90(g, -k, axes),
       formulas=("1 (rotated back)",))
defvjp(np.roll, lambda ans, a, shift, axis=None: lambda g: np.roll(g, onp.negative(shift), axis),
       formulas=("1 (rolled back)",))
for _linear in (np.flip, np.fliplr, np.flipud, np.rot90, np.roll):
    def_linear(_linear)
if hasattr(np, "matrix_transpose"):     # (numpy 2.0's array-API names)
    defvjp(np.matrix_transpose, lambda ans, x: lambda g: np.matrix_transpose(g))
    share_gradient(np.permute_dims, np.transpose)


def rollaxis_vjp(ans, a, axis, start=0):
    """rollaxis is a transpose; its gradient is the inverse transpose."""
    n = np.ndim(a)
    axis, start = axis % n, start + n if start < 0 else start
    order = list(range(n))
    order.remove(axis)
    order.insert(start - 1 if axis < start else start, axis)
    return lambda g: np.transpose(g, onp.argsort(order))


defvjp(np.rollaxis, rollaxis_vjp)

# --------------------------------------------------------------------------
# Indexing and selections: the gradient goes back where each entry came from
# --------------------------------------------------------------------------

defvjp(scatter_add, lambda ans, g, index, shape: lambda h: h[index])


def getitem_vjp(ans, x, index):
    if isinstance(x, (tuple, list)):
        # one output of a primitive that returns several: zeros for the others
        return lambda g: tuple(g if i == index else onp.zeros_like(unwrap(v)) for i, v in enumerate(x))
    return lambda g: scatter_add(g, index, np.shape(x))


defvjp(array_node.getitem, getitem_vjp, formulas=("1 at the selected entries",))
def_linear(array_node.getitem)


def positions(x, shift=0):
    """An integer array of ``x``'s shape holding each entry's flat position (+ shift)."""
    shape = onp.shape(unwrap(x))
    return onp.arange(shift, shift + int(onp.prod(shape, dtype=int))).reshape(shape)


def gather_vjp(x, source):
    """The vjp of ``out = x.flat[source]``; entries of ``source`` below 0 are constants.

    Each upstream entry is added back at the flat position it came from.
    """
    shape = onp.shape(unwrap(x))
    size = int(onp.prod(shape, dtype=int))
    source = onp.asarray(source).ravel()
    keep = source >= 0
    if keep.all():
        return lambda g: real_like(x, np.reshape(scatter_add(np.ravel(g), (source,), (size,)), shape))
    kept = onp.flatnonzero(keep)
    source = source[kept]
    return lambda g: real_like(x, np.reshape(scatter_add(np.ravel(g)[kept], (source,), (size,)), shape))


def selection(select, argnum=0, may_fill=False):
    """A maker for a function that selects entries of argument ``argnum``.

    ``select(args, kwargs)`` reruns the numpy function on plain arguments in
    which argument ``argnum`` has been replaced by its positions.
    """
    def maker(ans, *args, **kwargs):
        plain = [unwrap(a) for a in args]
        plain[argnum] = positions(args[argnum], shift=1 if may_fill else 0)
        source = onp.asarray(select(plain, kwargs))
        return gather_vjp(args[argnum], source - 1 if may_fill else source)
    return maker


def rerun(name):
    fun = getattr(onp, name)
    return lambda args, kwargs: fun(*args, **kwargs)


defvjp(np.take, selection(rerun("take")))
defvjp(np.take_along_axis, selection(rerun("take_along_axis")))
def_linear(np.take)
def_linear(np.take_along_axis)
defvjp(np.compress, None, selection(rerun("compress"), argnum=1))
defvjp(np.extract, None, selection(rerun("extract"), argnum=1))
defvjp(np.delete, selection(rerun("delete")))
defvjp(np.resize, selection(rerun("resize")))


def insert_vjp(argnum):
    """insert(arr, obj, values, axis): arr's entries move over; the values fill the gaps."""
    def maker(ans, arr, obj, values, axis=None):
        arr_v, values_v = unwrap(arr), onp.asarray(unwrap(values))
        if argnum == 0:
            source = onp.insert(positions(arr_v, 1), obj, 0, axis) - 1
            return gather_vjp(arr, source)
        holes = onp.zeros(onp.shape(arr_v), dtype=int)
        source = onp.insert(holes, obj, positions(values_v, 1), axis) - 1
        return gather_vjp(values, source)
    return maker


defvjp(np.insert, insert_vjp(0), None, insert_vjp(2))

# --------------------------------------------------------------------------
# Copies: repeat, tile
# --------------------------------------------------------------------------


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
def_linear(np.repeat)


def tile_vjp(ans, x, reps):
    reps = (reps,) if onp.isscalar(reps) else tuple(reps)
    shape = np.shape(x)
    n = max(len(shape), len(reps))
    shape_n = (1,) * (n - len(shape)) + tuple(shape)
    reps_n = (1,) * (n - len(reps)) + reps
    interleaved = tuple(v for pair in zip(reps_n, shape_n) for v in pair)
    return lambda g: np.reshape(np.sum(np.reshape(g, interleaved), axis=tuple(range(0, 2 * n, 2))), shape)


defvjp(np.tile, tile_vjp)
def_linear(np.tile)

# --------------------------------------------------------------------------
# Joining: concatenate, stack (each array a separate argument, see utility_primitives.py)
# --------------------------------------------------------------------------


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


def joined_tangent(prim):
    """concatenate and stack (axis, *arrays): the tangent of one array, zeros for the others."""
    def rule(argnum, g, ans, args, kwargs):
        parts = [g if i == argnum else onp.zeros(np.shape(a)) for i, a in enumerate(args)]
        return prim(args[0], *parts[1:], **kwargs)
    return rule


defjvp_argnum(concatenate_args, joined_tangent(concatenate_args))
defjvp_argnum(stack_args, joined_tangent(stack_args))

# --------------------------------------------------------------------------
# Diagonals and triangles
# --------------------------------------------------------------------------


def diag_vjp(ans, v, k=0):
    if np.ndim(v) == 1:          # diag built a matrix: read its diagonal back
        return lambda g: np.diag(g, k)
    return selection(rerun("diag"))(ans, v, k)


defvjp(np.diag, diag_vjp)
defvjp(np.diagflat, selection(rerun("diagflat"), may_fill=True))
defvjp(np.diagonal, selection(rerun("diagonal")))
defvjp(np.triu, selection(rerun("triu"), may_fill=True))
defvjp(np.tril, selection(rerun("tril"), may_fill=True))
for _linear in (np.diag, np.diagonal, np.triu, np.tril):
    def_linear(_linear)


def trace_vjp(ans, a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    """trace sums a diagonal: each diagonal entry gets the gradient of its sum."""
    source = onp.diagonal(positions(a), offset, axis1, axis2)           # (..., length)
    vjp = gather_vjp(a, source)
    return lambda g: vjp(np.broadcast_to(np.expand_dims(g, -1), source.shape))


defvjp(np.trace, trace_vjp, formulas=("1 on the diagonal",))
def_linear(np.trace)

# --------------------------------------------------------------------------
# Sorting
# --------------------------------------------------------------------------


def sort_source(a, axis, argsort):
    a_v = onp.asarray(unwrap(a))
    if axis is None:
        return argsort(a_v.ravel(), 0)
    return onp.take_along_axis(positions(a_v), argsort(a_v, axis), axis)


def sort_vjp(ans, a, axis=-1, kind=None, order=None, *, stable=None):
    """sort permutes: each sorted entry's gradient goes back to where it came from."""
    if order is not None:
        raise refuse("sort", "order= (structured arrays)")
    return gather_vjp(a, sort_source(a, axis, lambda v, ax: onp.argsort(v, axis=ax, kind="stable")))


def partition_vjp(ans, a, kth, axis=-1, kind="introselect", order=None):
    if order is not None:
        raise refuse("partition", "order= (structured arrays)")
    source = sort_source(a, axis, lambda v, ax: onp.argpartition(v, kth, axis=ax, kind=kind))
    return gather_vjp(a, source)


defvjp(np.sort, sort_vjp, formulas=("1 (unsorted)",))
defvjp(np.partition, partition_vjp)
defvjp(np.sort_complex, lambda ans, a: gather_vjp(
    a, sort_source(a, -1, lambda v, ax: onp.argsort(v, axis=ax, kind="stable"))))

# --------------------------------------------------------------------------
# Padding and trimming
# --------------------------------------------------------------------------


def pad_vjp(ans, array, pad_width, mode="constant", **kwargs):
    """pad copies the array into the middle; the modes that copy edge entries
    (edge, reflect, symmetric, wrap) send those copies' gradients back too."""
    if callable(mode) or mode not in ("constant", "empty", "edge", "reflect", "symmetric", "wrap"):
        raise refuse("pad", f"mode={mode!r}", "use mode='constant', 'edge', 'reflect', "
                     "'symmetric' or 'wrap', or build the padding with np.concatenate")
    if kwargs.get("reflect_type", "even") != "even":
        raise refuse("pad", "reflect_type='odd'")
    if mode in ("constant", "empty"):
        source = onp.pad(positions(array, 1), pad_width, mode="constant") - 1
    else:
        source = onp.pad(positions(array), pad_width, mode=mode, **kwargs)
    return gather_vjp(array, source)


defvjp(np.pad, pad_vjp)


def trim_zeros_vjp(ans, filt, trim="fb", axis=None):
    """trim_zeros slices off leading/trailing zeros: the gradient pads them back with 0."""
    f = onp.asarray(unwrap(filt))
    nonzero = onp.nonzero(f)
    axes = range(f.ndim) if axis is None else [a % f.ndim for a in onp.atleast_1d(axis)]
    index = [slice(None)] * f.ndim
    for ax in axes:
        if nonzero[ax].size == 0:
            index[ax] = slice(0, 0)
            continue
        start = nonzero[ax].min() if "f" in trim.lower() else 0
        stop = nonzero[ax].max() + 1 if "b" in trim.lower() else f.shape[ax]
        index[ax] = slice(int(start), int(stop))
    index = tuple(index)
    return lambda g: real_like(filt, scatter_add(g, index, f.shape))


defvjp(np.trim_zeros, trim_zeros_vjp)

# --------------------------------------------------------------------------
# Constructors with a differentiable value
# --------------------------------------------------------------------------

# full(shape, v): every entry is v (a scalar or an array broadcast to shape).
defvjp(np.full, None, lambda ans, shape, fill_value, *args, **kwargs:
       lambda g: unbroadcast(fill_value, g))


def spaced_vjp(kind, argnum):
    """linspace, logspace and geomspace, for start (argnum 0) and stop (argnum 1).

    With t running from 0 to 1 over the samples: linspace is
    start·(1 - t) + stop·t; logspace is base ** linspace; geomspace is
    start·(stop/start)**t. Each sample's derivative is a weight times t or 1 - t.
    """
    def maker(ans, start, stop, num=50, endpoint=True, *args, **kwargs):
        named = dict(zip(("retstep", "dtype", "axis") if kind == "linspace" else
                         ("base", "dtype", "axis") if kind == "logspace" else ("dtype", "axis"), args))
        named.update(kwargs)
        if named.get("retstep"):
            raise refuse(kind, "retstep=True", "compute the step as (stop - start) / (num - 1)")
        axis = named.get("axis", 0)
        n_dim = np.ndim(ans)
        axis = axis % n_dim if n_dim else 0
        t = onp.linspace(0.0, 1.0, num, endpoint=endpoint)
        shape = [1] * n_dim
        shape[axis] = num
        weight = onp.reshape(t if argnum == 1 else 1.0 - t, shape)
        if kind == "linspace":
            scale = weight
        elif kind == "logspace":
            base = named.get("base", 10.0)
            if onp.ndim(base):
                raise refuse(kind, "an array base")
            scale = ans * onp.log(base) * weight
        else:
            end = np.expand_dims(stop if argnum == 1 else start, axis)
            scale = ans * weight / end
        target = stop if argnum == 1 else start
        return lambda g: unbroadcast(target, np.sum(g * scale, axis=axis))
    return maker


for _kind in ("linspace", "logspace", "geomspace"):
    defvjp(getattr(np, _kind), spaced_vjp(_kind, 0), spaced_vjp(_kind, 1))
