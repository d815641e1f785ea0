"""Functions that take a sequence of arrays: np.array([...]), concatenate, stack.

A list is not a traced value, so these look inside it: when it holds traced
values they call a primitive that takes the arrays as separate arguments, so
that each one is a parent in the graph and gets its own gradient.

The second half of the file holds the registry of Python-level versions of
numpy functions (``wraps_numpy``; the others are in plain.py and
composites.py), the other functions that take or return sequences (split,
block, append, ...), and the in-place functions (put, copyto, ...) that
refuse traced values.
"""
from __future__ import annotations

import warnings
from typing import Any, Callable, Sequence

import numpy


from ..errors import AssignmentError, explain
from ..graph import Node
from ..tracing import unwrap
from . import namespace as np
from .utility_primitives import astype, concatenate_args, stack_args


def has_node(items: Any) -> bool:
    """Whether ``items`` is a traced value or a (nested) list or tuple holding one."""
    if isinstance(items, Node):
        return True
    if isinstance(items, (list, tuple)):
        return any(has_node(i) for i in items)
    return False


def concatenate(arrays: Sequence, axis: int | None = 0, **kwargs) -> Any:
    """numpy.concatenate; traced arrays in the sequence are recorded as parents."""
    arrays = list(arrays)
    if not has_node(arrays):
        return numpy.concatenate(arrays, axis=axis, **kwargs)
    if axis is None:
        arrays, axis = [np.ravel(a) for a in arrays], 0
    return _as_dtype(concatenate_args(axis, *arrays), kwargs.get("dtype"))


def _as_dtype(result: Any, dtype: Any) -> Any:
    return result if dtype is None else astype(result, dtype)


def stack(arrays: Sequence, axis: int = 0, **kwargs) -> Any:
    """numpy.stack; traced arrays in the sequence are recorded as parents."""
    arrays = list(arrays)
    if not has_node(arrays):
        return numpy.stack(arrays, axis=axis, **kwargs)
    return _as_dtype(stack_args(axis, *arrays), kwargs.get("dtype"))


def array(obj: Any, dtype=None, *args, **kwargs) -> Any:
    """numpy.array; a (nested) list holding traced scalars or arrays becomes a traced array.

    >>> import teachgrad.numpy as np
    >>> from teachgrad import grad
    >>> grad(lambda a, b: np.sum(np.array([a, 2 * b, a * b])))(1.0, 3.0)
    4.0
    """
    if not has_node(obj):
        return numpy.array(obj, dtype, *args, **kwargs)
    try:
        result = _build(obj)
    except ValueError as error:
        raise ValueError(explain(
            "A list or tuple holding a traced value could not be made one array "
            f"({error}).",
            "teachgrad turns such a list into one traced array, entry by entry, so its entries "
            "must have the same shapes (numpy would refuse them too, or make an array of "
            "objects, which has no gradient). A function that takes a tuple of different "
            "things, such as scipy.linalg.cho_solve((c, lower), b), is also given one.",
            "give entries of the same shape; for a function without a gradient that takes "
            "such a tuple, pass plain values (x.value)")) from error
    result = result if dtype is None else astype(result, dtype)
    ndmin = kwargs.get("ndmin", 0)
    shape = numpy.shape(unwrap(result))
    if ndmin > len(shape):                 # leading axes of length 1, as numpy adds them
        result = np.reshape(result, (1,) * (ndmin - len(shape)) + shape)
    return result


def asarray(obj: Any, dtype=None, *args, **kwargs) -> Any:
    """numpy.asarray; traced values (and lists of them) stay traced."""
    if not has_node(obj):
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
    out = [np.reshape(a, (1,)) if np.ndim(a) == 0 else a for a in arrays]
    return out[0] if len(out) == 1 else out


def atleast_2d(*arrays):
    out = [np.reshape(a, (1,) * (2 - np.ndim(a)) + np.shape(a)) if np.ndim(a) < 2 else a for a in arrays]
    return out[0] if len(out) == 1 else out


def atleast_3d(*arrays):
    def three(a):
        n = np.ndim(a)
        if n == 0:
            return np.reshape(a, (1, 1, 1))
        if n == 1:
            return np.reshape(a, (1,) + np.shape(a) + (1,))
        if n == 2:
            return np.reshape(a, np.shape(a) + (1,))
        return a
    out = [three(a) for a in arrays]
    return out[0] if len(out) == 1 else out


def hstack(arrays: Sequence, **kwargs) -> Any:
    """numpy.hstack, differentiable in each array."""
    arrays = [atleast_1d(a) for a in arrays]
    return concatenate(arrays, axis=0 if np.ndim(arrays[0]) == 1 else 1, **kwargs)


def vstack(arrays: Sequence, **kwargs) -> Any:
    """numpy.vstack, differentiable in each array."""
    return concatenate([atleast_2d(a) for a in arrays], axis=0, **kwargs)


def column_stack(arrays: Sequence) -> Any:
    """numpy.column_stack, differentiable in each array."""
    if not has_node(arrays):
        return numpy.column_stack(arrays)
    # numpy makes a scalar a 1 x 1 block and a vector a column (so column_stack of one
    # vector, a sequence of scalars, is one row).
    cols = [np.reshape(a, np.shape(a) + (1,) if np.ndim(a) else (1, 1)) if np.ndim(a) < 2 else a
            for a in arrays]
    return concatenate(cols, axis=1)


# ==========================================================================
# Python-level versions of numpy functions
# ==========================================================================
#
# Some numpy functions take or return sequences of arrays (split returns a
# list; select takes two lists), and a few are easiest to differentiate by
# writing them with differentiable pieces (average = sum(a*w) / sum(w); those
# are in composites.py). Each such function calls numpy itself when no traced
# value is involved, so plain results are numpy's exactly, and otherwise
# computes the same thing with teachgrad.numpy functions, so every step is
# recorded.
#
# ``wraps_numpy`` registers one for a name; ``install`` (called once
# teachgrad.numpy and its gradients are built) makes it teachgrad.numpy's
# version of that name, in place of the primitive.

WRAPPERS: dict[str, Callable] = {}


def wraps_numpy(*names: str) -> Callable:
    """Register the decorated function as teachgrad.numpy's version of ``names``."""
    def register(fn: Callable) -> Callable:
        for name in names:
            WRAPPERS[name] = fn
        return fn
    return register


def install() -> None:
    """Put every registered Python-level function into the namespace, in place of its primitive."""
    for name, fn in WRAPPERS.items():
        if hasattr(numpy, name):       # (numpy 2's names are left out on numpy 1.x)
            setattr(np, name, fn)


# --------------------------------------------------------------------------
# Splitting: the pieces are slices (getitem), each differentiable
# --------------------------------------------------------------------------


def _pieces(ary, indices_or_sections, axis, equal):
    n = numpy.shape(unwrap(ary))[axis]
    if numpy.ndim(indices_or_sections) == 0:
        sections = int(indices_or_sections)
        if sections <= 0:
            raise ValueError("number sections must be larger than 0.")
        if equal and n % sections:
            raise ValueError("array split does not result in an equal division")
        each, extra = divmod(n, sections)
        sizes = [each + 1] * extra + [each] * (sections - extra)
        bounds = numpy.cumsum([0] + sizes)
    else:
        bounds = [0] + list(indices_or_sections) + [n]
    lead = (slice(None),) * (axis % numpy.ndim(unwrap(ary)))
    return [ary[lead + (slice(bounds[i], bounds[i + 1]),)] for i in range(len(bounds) - 1)]


@wraps_numpy("split")
def split(ary, indices_or_sections, axis=0):
    """numpy.split: a list of slices of ``ary``, each differentiable."""
    if not has_node(ary):
        return numpy.split(ary, indices_or_sections, axis)
    return _pieces(ary, indices_or_sections, axis, equal=True)


@wraps_numpy("array_split")
def array_split(ary, indices_or_sections, axis=0):
    """numpy.array_split: like split, but the pieces may differ in length by one."""
    if not has_node(ary):
        return numpy.array_split(ary, indices_or_sections, axis)
    return _pieces(ary, indices_or_sections, axis, equal=False)


def _split_along(name, axis, min_ndim):
    def split_fn(ary, indices_or_sections):
        if not has_node(ary):
            return getattr(numpy, name)(ary, indices_or_sections)
        nd = numpy.ndim(unwrap(ary))
        if nd < min_ndim:
            raise ValueError(f"{name} only works on arrays of {min_ndim} or more dimensions")
        return _pieces(ary, indices_or_sections, axis if nd > 1 else 0, equal=True)
    split_fn.__name__ = name
    split_fn.__doc__ = f"numpy.{name}: split along axis {axis}, each piece differentiable."
    return wraps_numpy(name)(split_fn)


hsplit = _split_along("hsplit", 1, 1)
vsplit = _split_along("vsplit", 0, 2)
dsplit = _split_along("dsplit", 2, 3)


@wraps_numpy("unstack")
def unstack(x, /, *, axis=0):
    """numpy.unstack: the slices of ``x`` along ``axis``, as a tuple."""
    if not has_node(x):
        return numpy.unstack(x, axis=axis)
    lead = (slice(None),) * (axis % numpy.ndim(unwrap(x)))
    return tuple(x[lead + (i,)] for i in range(numpy.shape(unwrap(x))[axis]))


# --------------------------------------------------------------------------
# Joining
# --------------------------------------------------------------------------


@wraps_numpy("concat")
def concat(arrays, /, axis=0, out=None, *, dtype=None, casting="same_kind"):
    """numpy.concat (the array-API name of concatenate)."""
    if not has_node(list(arrays)):
        return numpy.concat(arrays, axis=axis, out=out, dtype=dtype, casting=casting)
    result = concatenate(arrays, axis=axis)
    return result if dtype is None else astype(result, dtype)


@wraps_numpy("row_stack")
def row_stack(tup, *, dtype=None, casting="same_kind"):
    """numpy.row_stack (deprecated by numpy; the same as vstack)."""
    if not has_node(list(tup)):
        return numpy.row_stack(tup, dtype=dtype, casting=casting)
    warnings.warn("`row_stack` alias is deprecated. Use `np.vstack` directly.",
                  DeprecationWarning, stacklevel=2)
    result = vstack(tup)
    return result if dtype is None else astype(result, dtype)


@wraps_numpy("dstack")
def dstack(tup):
    """numpy.dstack: join along the third axis (after making each array 3-D)."""
    if not has_node(list(tup)):
        return numpy.dstack(tup)
    arrays = [atleast_3d(a) for a in tup]
    return concatenate(arrays, axis=2)


@wraps_numpy("append")
def append(arr, values, axis=None):
    """numpy.append: concatenate ``values`` after ``arr`` (both flattened when axis is None)."""
    if not has_node((arr, values)):
        return numpy.append(arr, values, axis)
    if axis is None:
        return concatenate([np.ravel(arr), np.ravel(values)], axis=0)
    return concatenate([arr, values], axis=axis)


def _block_depth(obj) -> int:
    return 1 + _block_depth(obj[0]) if isinstance(obj, list) and obj else (1 if isinstance(obj, list) else 0)


@wraps_numpy("block")
def block(arrays):
    """numpy.block: nested lists of arrays joined along the last axes.

    The innermost lists are joined along the last axis, the next ones along
    the one before, and so on; every array first gets leading axes of length 1
    up to the result's number of dimensions.
    """
    if not has_node(arrays):
        return numpy.block(arrays)
    depth = _block_depth(arrays)

    def leaves(obj):
        return [x for item in obj for x in leaves(item)] if isinstance(obj, list) else [obj]
    ndim = max([depth] + [numpy.ndim(unwrap(a)) for a in leaves(arrays)])

    def build(obj, level):
        if not isinstance(obj, list):
            shape = numpy.shape(unwrap(obj))
            return np.reshape(obj, (1,) * (ndim - len(shape)) + shape)
        return concatenate([build(item, level + 1) for item in obj], axis=level - depth)
    return build(arrays, 0)


@wraps_numpy("broadcast_arrays")
def broadcast_arrays(*args, subok=False):
    """numpy.broadcast_arrays: each array broadcast to the common shape (np.broadcast_to)."""
    if not has_node(list(args)):
        return numpy.broadcast_arrays(*args, subok=subok)
    shape = numpy.broadcast_shapes(*[numpy.shape(unwrap(a)) for a in args])
    return tuple(np.broadcast_to(a, shape) for a in args)


# --------------------------------------------------------------------------
# Conversions that return their input (as an array)
# --------------------------------------------------------------------------


def _as_array(name):
    original = getattr(numpy, name)

    def convert(a, dtype=None, *args, **kwargs):
        if not has_node(a):
            return original(a, dtype, *args, **kwargs)
        if name == "asarray_chkfinite" and not numpy.all(numpy.isfinite(unwrap(asarray(a)))):
            raise ValueError("array must not contain infs or NaNs")
        return asarray(a, dtype)
    convert.__name__ = name
    convert.__doc__ = f"numpy.{name}: the same values as an array; traced values stay traced."
    return wraps_numpy(name)(convert)


asanyarray = _as_array("asanyarray")
ascontiguousarray = _as_array("ascontiguousarray")
asfortranarray = _as_array("asfortranarray")
asarray_chkfinite = _as_array("asarray_chkfinite")
require = _as_array("require")

# --------------------------------------------------------------------------
# Functions that write into an existing array
# --------------------------------------------------------------------------


def _in_place(name):
    original = getattr(numpy, name)

    def write(*args, **kwargs):
        if has_node(list(args)) or has_node(list(kwargs.values())):
            raise AssignmentError(explain(
                f"np.{name} writes into an existing array, and was given a traced value "
                "inside a function being differentiated.",
                "writing in place overwrites entries, so the graph would lose how the old "
                "entries were computed (or the new ones would be stored as plain numbers), "
                "and the gradient would silently be wrong.",
                "build a new array instead: np.where(mask, values, a) for putmask/place/"
                "copyto, np.concatenate or np.stack of the pieces, or a[...] + "
                "(new - a) * mask."))
        return original(*args, **kwargs)
    write.__name__ = name
    write.__doc__ = f"numpy.{name}; refuses traced values (it writes in place)."
    write.in_place = True
    return wraps_numpy(name)(write)


for _name in ("copyto", "place", "put", "putmask", "fill_diagonal", "put_along_axis"):
    _in_place(_name)
