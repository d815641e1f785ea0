"""Helpers of autograd's ``numpy_vjps`` that users' gradient definitions call.

Written with ``teachgrad.numpy``, so the gradients built with them can be
differentiated again.

>>> import numpy
>>> unbroadcast_f(numpy.ones(3), lambda g: g * 2.0)(numpy.ones((4, 3)))
array([8., 8., 8.])
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as onp

from ..tracing import unwrap

__all__ = ["metadata", "unbroadcast", "unbroadcast_f", "repeat_to_match_shape", "match_complex",
           "balanced_eq"]


def _tnp():
    import teachgrad.numpy as tnp
    return tnp


def metadata(A: Any) -> tuple:
    """``(shape, ndim, dtype, iscomplex)`` of an array or number (traced or not)."""
    A = unwrap(A)
    return onp.shape(A), onp.ndim(A), onp.result_type(A), onp.iscomplexobj(A)


def unbroadcast(x: Any, target_meta: tuple, broadcast_idx: int = 0) -> Any:
    """Sum ``x`` over the axes broadcasting added, so it has the target's shape."""
    tnp = _tnp()
    target_shape, target_ndim, _, target_iscomplex = target_meta
    while onp.ndim(unwrap(x)) > target_ndim:
        x = tnp.sum(x, axis=broadcast_idx)
    for axis, size in enumerate(target_shape):
        if size == 1:
            x = tnp.sum(x, axis=axis, keepdims=True)
    if onp.iscomplexobj(unwrap(x)) and not target_iscomplex:
        x = tnp.real(x)
    return x


def unbroadcast_f(target: Any, f: Callable) -> Callable:
    """``g -> f(g)`` summed back to ``target``'s shape (for a gradient through broadcasting)."""
    meta = metadata(target)
    return lambda g: unbroadcast(f(g), meta)


def repeat_to_match_shape(g: Any, shape: tuple, dtype, axis, keepdims: bool) -> tuple:
    """``g`` (a reduction's gradient) spread back over ``shape``; also how many entries each got."""
    if shape == ():
        return g, 1
    axis = list(axis) if isinstance(axis, tuple) else axis
    kept = onp.array(shape)
    kept[axis] = 1
    repeats = onp.prod(onp.array(shape)[axis])
    return _tnp().reshape(g, tuple(kept)) + onp.zeros(shape, dtype=dtype), repeats


def match_complex(target: Any, x: Any) -> Any:
    """``x`` made real or complex like ``target``."""
    target_complex, x_complex = onp.iscomplexobj(unwrap(target)), onp.iscomplexobj(unwrap(x))
    if x_complex and not target_complex:
        return _tnp().real(x)
    if target_complex and not x_complex:
        return x + 0j
    return x


def balanced_eq(x: Any, z: Any, y: Any) -> Any:
    """Where ``x`` equals the result ``z``: 1, or 1/2 where ``y`` ties with it (for max/min)."""
    return (x == z) / (1.0 + (x == y))
