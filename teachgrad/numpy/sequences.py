"""Functions that take a sequence of arrays: np.array([...]), concatenate, stack.

A list is not a traced value, so these look inside it: when it holds traced
values they call a primitive that takes the arrays as separate arguments, so
that each one is a parent in the graph and gets its own gradient.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy

from ..graph import Node
from ..tracing import Primitive

concatenate_args = Primitive(lambda axis, *arrays: numpy.concatenate(arrays, axis=axis), "concatenate")
stack_args = Primitive(lambda axis, *arrays: numpy.stack(arrays, axis=axis), "stack")
astype = Primitive(lambda x, dtype: numpy.asarray(x).astype(dtype), "astype")


def _has_node(items: Any) -> bool:
    if isinstance(items, Node):
        return True
    if isinstance(items, (list, tuple)):
        return any(_has_node(i) for i in items)
    return False


def concatenate(arrays: Sequence, axis: int | None = 0, **kwargs) -> Any:
    """numpy.concatenate; traced arrays in the sequence are recorded as parents."""
    arrays = list(arrays)
    if not _has_node(arrays):
        return numpy.concatenate(arrays, axis=axis, **kwargs)
    if axis is None:
        from . import ravel
        arrays, axis = [ravel(a) for a in arrays], 0
    return concatenate_args(axis, *arrays)


def stack(arrays: Sequence, axis: int = 0, **kwargs) -> Any:
    """numpy.stack; traced arrays in the sequence are recorded as parents."""
    arrays = list(arrays)
    if not _has_node(arrays):
        return numpy.stack(arrays, axis=axis, **kwargs)
    return stack_args(axis, *arrays)


def array(obj: Any, dtype=None, *args, **kwargs) -> Any:
    """numpy.array; a (nested) list holding traced scalars or arrays becomes a traced array.

    >>> import teachgrad.numpy as np
    >>> from teachgrad import grad
    >>> grad(lambda a, b: np.sum(np.array([a, 2 * b, a * b])))(1.0, 3.0)
    4.0
    """
    if not _has_node(obj):
        return numpy.array(obj, dtype, *args, **kwargs)
    result = _build(obj)
    return result if dtype is None else astype(result, dtype)


def asarray(obj: Any, dtype=None, *args, **kwargs) -> Any:
    """numpy.asarray; traced values (and lists of them) stay traced."""
    if not _has_node(obj):
        return numpy.asarray(obj, dtype, *args, **kwargs)
    return array(obj, dtype)


def _build(obj: Any) -> Any:
    if isinstance(obj, (list, tuple)):
        items = [_build(o) for o in obj]
        if any(isinstance(i, Node) for i in items):
            return stack_args(0, *items)
        return numpy.array(items)
    return obj


def atleast_1d(*arrays):
    from . import ndim, reshape
    out = [reshape(a, (1,)) if ndim(a) == 0 else a for a in arrays]
    return out[0] if len(out) == 1 else out


def atleast_2d(*arrays):
    from . import ndim, reshape, shape
    out = [reshape(a, (1,) * (2 - ndim(a)) + shape(a)) if ndim(a) < 2 else a for a in arrays]
    return out[0] if len(out) == 1 else out


def atleast_3d(*arrays):
    from . import ndim, reshape, shape

    def three(a):
        n = ndim(a)
        if n == 0:
            return reshape(a, (1, 1, 1))
        if n == 1:
            return reshape(a, (1,) + shape(a) + (1,))
        if n == 2:
            return reshape(a, shape(a) + (1,))
        return a
    out = [three(a) for a in arrays]
    return out[0] if len(out) == 1 else out


def hstack(arrays: Sequence, **kwargs) -> Any:
    """numpy.hstack, differentiable in each array."""
    arrays = [atleast_1d(a) for a in arrays]
    from . import ndim
    return concatenate(arrays, axis=0 if ndim(arrays[0]) == 1 else 1, **kwargs)


def vstack(arrays: Sequence, **kwargs) -> Any:
    """numpy.vstack, differentiable in each array."""
    return concatenate([atleast_2d(a) for a in arrays], axis=0, **kwargs)


def column_stack(arrays: Sequence) -> Any:
    """numpy.column_stack, differentiable in each array."""
    from . import ndim, reshape, shape
    cols = [reshape(a, shape(a) + (1,)) if ndim(a) < 2 else a for a in arrays]
    return concatenate(cols, axis=1)
