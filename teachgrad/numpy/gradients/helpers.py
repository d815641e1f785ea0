"""Shared pieces of the gradient table: undoing broadcasting, reduction shapes."""
from __future__ import annotations

import numpy as onp

import teachgrad.numpy as np
from ...extend import defvjp
from ...graph import Node


def shape_of(v):
    return getattr(v, "shape", ())


def ndim_of(v) -> int:
    return len(getattr(v, "shape", ()))


def is_complex(v) -> bool:
    t = type(v)
    if t is float or t is onp.float64:
        return False
    if t is complex:
        return True
    dtype = getattr(v, "dtype", None)
    return dtype is not None and dtype.kind == "c"


def unbroadcast(target, g):
    """Sum ``g`` down to the shape of ``target``, undoing broadcasting.

    A real ``target`` gets the real part of a complex ``g``.
    """
    target_shape = shape_of(target)
    g_shape = shape_of(g)
    if g_shape != target_shape:
        if len(g_shape) < len(target_shape):         # a scalar g for an array target
            g = np.broadcast_to(g, onp.broadcast_shapes(g_shape, target_shape))
            g_shape = shape_of(g)
        extra = len(g_shape) - len(target_shape)
        axes = tuple(range(extra)) + tuple(extra + i for i, n in enumerate(target_shape)
                                           if n == 1 and g_shape[extra + i] != 1)
        if axes:
            g = g.sum(axis=axes)            # the method: works on arrays and traced values
        g = g.reshape(target_shape)
    if is_complex(g) and not is_complex(target):
        g = np.real(g)
    return g


def to(target, vjp, ans=None):
    """Wrap a vjp so that its result is unbroadcast to ``target``.

    Called inside a maker, where the output ``ans`` is known: when ``target``
    already has the output's shape (and is complex if it is), nothing needs
    summing and ``vjp`` is returned as it is.
    """
    if ans is not None and shape_of(target) == shape_of(ans) and \
            (is_complex(target) or not is_complex(ans)):
        return vjp
    return lambda g: unbroadcast(target, vjp(g))


def matching_complex(x, g):
    """The gradient for ``x`` in x's own space: real for a real x, complex for a complex one."""
    if is_complex(x):
        return g if is_complex(g) else g + 0j
    return np.real(g) if is_complex(g) else g


def both(*prims):
    """Register the same makers on several primitives (np.multiply and ``*``).

    A ``None`` stands for a name this numpy does not have (see :func:`named`).
    """
    def register(*makers, **kwargs):
        for prim in prims:
            if prim is not None:
                defvjp(prim, *makers, **kwargs)
    return register


def named(name: str):
    """np.<name>, or None when this numpy does not have it (numpy 2's names on numpy 1.x)."""
    return getattr(np, name, None)


def reduced_axes(x, axis):
    ndim = len(shape_of(x))
    if axis is None:
        return tuple(range(ndim))
    axes = axis if isinstance(axis, (tuple, list)) else (axis,)
    return tuple(a % ndim if ndim else 0 for a in axes)


def expand_to(g, x, axis, keepdims):
    """Broadcast the gradient of a reduction back to the shape of its input."""
    shape = shape_of(x)
    if axis is None and not isinstance(g, Node) and shape_of(g) in ((), (1,) * len(shape)):
        return broadcast_scalar(g, shape)
    if not keepdims:
        axes = reduced_axes(x, axis)
        g = np.reshape(g, tuple(1 if i in axes else n for i, n in enumerate(shape)))
    return np.broadcast_to(g, shape)


def broadcast_scalar(g, shape):
    """A read-only array of ``shape`` whose every entry is the number ``g``.

    The same as numpy.broadcast_to(g, shape) (a view, no copy), ten times
    faster: reductions over everything are the most common last step.
    """
    g = onp.asarray(g).reshape(())
    view = onp.ndarray(shape, g.dtype, g, 0, (0,) * len(shape))
    view.flags.writeable = False
    return view


def count(x, axis):
    shape = shape_of(x)
    n = 1
    for a in reduced_axes(x, axis):
        n *= shape[a]
    return n
