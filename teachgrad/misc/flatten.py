"""``flatten``: nested lists, tuples and dicts of arrays as one vector, and back.

Optimizers and numerical routines want one flat vector of numbers; models
keep their parameters in a structure (``{'W': ..., 'b': ...}``). ``flatten``
goes from the structure to the vector and gives back the function that goes
the other way::

    >>> import teachgrad.numpy as np
    >>> from teachgrad.misc import flatten
    >>> vector, unflatten = flatten({'W': np.ones((2, 2)), 'b': [0.5, np.zeros(1)]})
    >>> vector
    array([1. , 1. , 1. , 1. , 0.5, 0. ])
    >>> unflatten(vector * 2)['W']
    array([[2., 2.],
           [2., 2.]])

The order: lists and tuples in order, dicts by sorted key (as autograd), each
array in numpy's ravel order. Both directions are written with
``teachgrad.numpy`` (``ravel``, ``concatenate``, slicing, ``reshape``), so
gradients pass through them in both directions. Every leaf comes back as a
float array (a number as a float scalar); integers are not kept as integers.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as onp

import teachgrad.numpy as np

from ..tracing import unwrap

__all__ = ["flatten", "flatten_func"]


class _Leaf:
    __slots__ = ("start", "size", "shape", "real")

    def __init__(self, start, size, shape, real):
        self.start, self.size, self.shape, self.real = start, size, shape, real


def _is_namedtuple(value) -> bool:
    return isinstance(value, tuple) and hasattr(value, "_fields")


def _describe(value, path):
    kind = type(unwrap(value)).__name__
    return (f"flatten found a {kind} at {path or 'the top'}; only numbers and numeric arrays "
            "(inside lists, tuples and dicts) can be flattened.")


def _walk(value, parts: list, path: str, count: list) -> Any:
    """Collect the raveled leaves of ``value`` into ``parts``; return its template."""
    t = type(value)
    if t is list or t is tuple or _is_namedtuple(value):
        items = [_walk(v, parts, f"{path}[{i}]", count) for i, v in enumerate(value)]
        return (t, items)
    if isinstance(value, dict):
        keys = sorted(value)
        items = [_walk(value[k], parts, f"{path}[{k!r}]", count) for k in keys]
        return (t, list(zip(keys, items)), list(value))     # keep the original key order
    plain = unwrap(value)
    if getattr(onp.asarray(plain), "dtype", onp.dtype(object)).kind not in "biufc":
        raise TypeError(_describe(value, path))
    flat = np.ravel(value)
    size = int(onp.size(plain))
    parts.append(flat)
    leaf = _Leaf(count[0], size, onp.shape(plain), not onp.iscomplexobj(plain))
    count[0] += size
    return leaf


def _build(template, vector, complex_vector: bool):
    if isinstance(template, _Leaf):
        if template.shape == ():
            piece = vector[template.start]
        else:
            piece = np.reshape(vector[template.start:template.start + template.size], template.shape)
        return np.real(piece) if complex_vector and template.real else piece
    t = template[0]
    if isinstance(template[1], list) and len(template) == 3:      # a dict
        built = {k: _build(v, vector, complex_vector) for k, v in template[1]}
        return t((k, built[k]) for k in template[2])
    items = [_build(v, vector, complex_vector) for v in template[1]]
    return t(*items) if (t is not list and t is not tuple) else t(items)


def flatten(value: Any) -> tuple[Any, Callable[[Any], Any]]:
    """``(vector, unflatten)``: the numbers of ``value`` in one 1-D array, and the way back.

    ``value`` is a number, an array, or any nesting of lists, tuples
    (namedtuples too) and dicts of them. ``unflatten(v)`` builds the same
    structure from any vector ``v`` of the same length.
    """
    parts: list = []
    count = [0]
    template = _walk(value, parts, "", count)
    vector = np.concatenate(parts) if parts else onp.zeros(0)
    complex_vector = onp.iscomplexobj(unwrap(vector))
    total = count[0]

    def unflatten(v):
        if onp.shape(unwrap(v)) != (total,):
            raise ValueError(
                f"unflatten needs a vector of length {total} (what flatten produced), "
                f"but got shape {onp.shape(unwrap(v))}.")
        return _build(template, v, complex_vector or onp.iscomplexobj(unwrap(v)))
    return vector, unflatten


def flatten_func(func: Callable, example: Any):
    """Turn ``func(structure, *args) -> structure`` into a function of flat vectors.

    Returns ``(flat_func, unflatten, flat_example)`` where
    ``flat_func(vector, *args)`` is ``flatten(func(unflatten(vector), *args))[0]``.
    """
    flat_example, unflatten = flatten(example)

    def flat_func(vector, *args):
        return flatten(func(unflatten(vector), *args))[0]
    return flat_func, unflatten, flat_example
