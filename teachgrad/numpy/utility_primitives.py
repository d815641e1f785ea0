"""Primitives that teachgrad.numpy builds on and numpy has no function for.

* ``concatenate_args(axis, *arrays)`` and ``stack_args(axis, *arrays)``:
  numpy's concatenate and stack take a *list* of arrays, which is not a
  traced value; these take the arrays as separate arguments, so that each is
  a parent in the graph and gets its own gradient (np.concatenate, np.stack
  and np.array([...]) call them when the list holds traced values).
* ``astype(x, dtype)``: ``x.astype(dtype)`` as a function of x.
* ``scatter_add(g, index, shape)``: zeros of ``shape`` with ``g`` added at
  ``index``: the gradient of every selection (indexing, take, sort, ...).

Their gradients are registered in numpy/gradients/shapes.py, with those of
the numpy functions that move entries around.
"""
from __future__ import annotations

import numpy

from ..tracing import Primitive

concatenate_args = Primitive(lambda axis, *arrays: numpy.concatenate(arrays, axis=axis), "concatenate")
stack_args = Primitive(lambda axis, *arrays: numpy.stack(arrays, axis=axis), "stack")
astype = Primitive(lambda x, dtype: numpy.asarray(x).astype(dtype), "astype")
scatter_add = Primitive(lambda g, index, shape: _scatter_add(g, index, shape), "scatter_add")


def _scatter_add(g, index, shape):
    """An array of zeros of ``shape`` with ``g`` added at ``index`` (repeats accumulate)."""
    dtype = numpy.result_type(g)
    out = numpy.zeros(shape, dtype if dtype.kind in "fc" else float)
    numpy.add.at(out, index, g)
    return out
