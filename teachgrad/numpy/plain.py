"""Functions with plain results, and the arguments where a traced value would be lost.

Most of wrapping.PASS_THROUGH returns something with no derivative (a shape,
an index, a count, a boolean). But some arguments of those functions carry
values into the result: the fill value of ``full_like``, the ``weights`` of
``bincount``, the entries that ``unique`` returns, the arrays ``meshgrid``
copies. A plain result there would drop the gradient silently, so:

* ``meshgrid``, ``full_like``, ``bincount`` (weights) and ``unique`` (and
  numpy 2's ``unique_*``) are written here with differentiable pieces;
* the other value-carrying arguments (``histogram``'s weights, the arrays of
  the set operations, ...) refuse a traced value with an explanation.
"""
from __future__ import annotations

import inspect
from typing import Any, Callable

import numpy

from . import namespace as np

from ..errors import LostValueError, explain
from ..tracing import unwrap
from .sequences import has_node, wraps_numpy
from .utility_primitives import scatter_add


def lost(function: str, argument: str, instead: str) -> LostValueError:
    return LostValueError(explain(
        f"np.{function} was given a traced value as {argument}, and its result would be a "
        "plain array that no longer depends on it.",
        f"np.{function} has no gradient in teachgrad, and its result carries the value of "
        f"{argument}: handing back plain numbers would silently make that gradient zero.",
        instead + "."))


# --------------------------------------------------------------------------
# Value-carrying arguments of plain-result functions: refused when traced
# --------------------------------------------------------------------------

def _edges_move(bound: dict) -> bool:
    """The bin edges follow the data when neither explicit edges nor range= are given."""
    bins = bound.get("bins", 10)
    return bound.get("range") is None and (isinstance(bins, (int, str)) or numpy.ndim(bins) == 0)


SET_ADVICE = ("compute with plain values (x.value) if you do not need the gradient, or select "
              "the entries with indices: x[np.isin(x.value, other)]")

# name -> [(parameter, when the traced value would be lost (None: always), what to write)]
REFUSED = {
    "histogram": [("weights", None, "sum the weights per bin yourself: np.bincount(np.digitize("
                   "x, edges) - 1, weights=w)"),
                  ("a", _edges_move, "give the bin edges (bins=edges) or range=, so they do not "
                   "move with the data")],
    "histogram_bin_edges": [("a", _edges_move, "give range= (the edges are then constants)")],
    "histogram2d": [("weights", None, "sum the weights per bin with np.bincount"),
                    ("x", _edges_move, "give the bin edges or range="),
                    ("y", _edges_move, "give the bin edges or range=")],
    "histogramdd": [("weights", None, "sum the weights per bin with np.bincount"),
                    ("sample", _edges_move, "give the bin edges or range=")],
    "intersect1d": [("ar1", None, SET_ADVICE), ("ar2", None, SET_ADVICE)],
    "union1d": [("ar1", None, SET_ADVICE), ("ar2", None, SET_ADVICE)],
    "setdiff1d": [("ar1", None, SET_ADVICE)],
    "setxor1d": [("ar1", None, SET_ADVICE), ("ar2", None, SET_ADVICE)],
    "arange": [(None, None, "start + step * np.arange(n), with a plain count n")],
    "nested_iters": [("op", None, "iterate over the traced array itself (for row in x: ...)")],
}


def guard(name: str, fun: Callable) -> Callable:
    """The plain-result ``fun``, refusing traced values in its value-carrying arguments.

    An argument named None in REFUSED stands for every argument (arange's start, stop and step).
    """
    try:
        signature = inspect.signature(getattr(numpy, name))
    except (TypeError, ValueError):          # (numpy 1.x builtins)
        signature = None
    checks = REFUSED[name]

    def call(*args, **kwargs):
        if has_node(list(args)) or has_node(list(kwargs.values())):
            if signature is None or checks[0][0] is None:
                raise lost(name, "an argument", checks[0][2])
            bound = signature.bind(*args, **kwargs).arguments
            for argument, when, instead in checks:
                if has_node(bound.get(argument)) and (when is None or when(bound)):
                    raise lost(name, f"{argument}=", instead)
        return fun(*args, **kwargs)
    call.__name__ = name
    call.__doc__ = fun.__doc__
    call.__wrapped__ = fun
    call.notrace = True
    return call


def install_guards(namespace: Any) -> None:
    for name in REFUSED:
        fun = getattr(namespace, name, None)
        if fun is not None and getattr(fun, "notrace", False):
            setattr(namespace, name, guard(name, fun))


# --------------------------------------------------------------------------
# Plain-result functions with a value that has a gradient
# --------------------------------------------------------------------------

@wraps_numpy("meshgrid")
def meshgrid(*xi, copy=True, sparse=False, indexing="xy"):
    """numpy.meshgrid: each 1-D array repeated along the other axes, differentiable."""
    if not has_node(list(xi)):
        return numpy.meshgrid(*xi, copy=copy, sparse=sparse, indexing=indexing)
    if indexing not in ("xy", "ij"):
        raise ValueError("Valid values for `indexing` are 'xy' and 'ij'.")
    n = len(xi)
    flat = [np.ravel(x) for x in xi]
    sizes = [int(numpy.size(unwrap(x))) for x in xi]
    grids = []
    for i, x in enumerate(flat):
        shape = [1] * n
        shape[i] = sizes[i]
        if indexing == "xy" and n > 1 and i < 2:
            shape[0], shape[1] = shape[1], shape[0]
        grids.append(np.reshape(x, tuple(shape)))
    if not sparse:
        full = numpy.broadcast_shapes(*[numpy.shape(unwrap(g)) for g in grids])
        grids = [np.broadcast_to(g, full) for g in grids]
    return tuple(grids)


@wraps_numpy("full_like")
def full_like(a, fill_value, dtype=None, order="K", subok=True, shape=None, **kwargs):
    """numpy.full_like: an array shaped like ``a`` filled with ``fill_value`` (differentiable in it)."""
    if not has_node(fill_value):
        return numpy.full_like(unwrap(a), fill_value, dtype, order, subok, shape, **kwargs)
    target = numpy.dtype(dtype) if dtype is not None else numpy.result_type(unwrap(a))
    if target.kind not in "fc":
        raise lost("full_like", "fill_value", "an integer or boolean result has no gradient: "
                   "fill a float array instead (dtype=float)")
    shape = numpy.shape(unwrap(a)) if shape is None else shape
    result = np.full(shape, fill_value)
    return result if np.result_type(result) == target else np.astype(result, target)


@wraps_numpy("bincount")
def bincount(x, /, weights=None, minlength=0):
    """numpy.bincount: the weights summed per bin are differentiable in the weights."""
    if not has_node(weights):
        return numpy.bincount(unwrap(x), None if weights is None else weights, minlength)
    index = numpy.asarray(unwrap(x))
    counts = numpy.bincount(index, minlength=minlength)      # numpy's checks of x and minlength
    w = np.asarray(weights)
    if numpy.shape(unwrap(w)) != index.shape:
        raise ValueError("The weights and list don't have the same length.")
    return scatter_add(np.astype(w, float) if np.result_type(w).kind not in "fc" else w,
                       (index,), counts.shape)


def _unique_values(x, first):
    """The unique values of traced x: its entries at the first occurrences."""
    return np.ravel(x)[first]


@wraps_numpy("unique")
def unique(ar, return_index=False, return_inverse=False, return_counts=False, axis=None, **kwargs):
    """numpy.unique: the unique values are entries of ``ar``, so they carry its gradient."""
    if not has_node(ar):
        return numpy.unique(ar, return_index, return_inverse, return_counts, axis, **kwargs)
    plain = numpy.asarray(unwrap(ar))
    result = numpy.unique(plain, True, return_inverse, return_counts, axis, **kwargs)
    first = result[1]
    if axis is None:
        values = _unique_values(ar, first)
    else:
        values = np.take(ar, first, axis=axis)
    rest = [first] if return_index else []
    rest += list(result[2:])
    return (values, *rest) if rest else values


def _numpy2_unique(name: str) -> None:
    original = getattr(numpy, name, None)
    if original is None:
        return

    def fn(x):
        if not has_node(x):
            return original(x)
        plain = numpy.asarray(unwrap(x))
        result = original(plain)
        found = result if name == "unique_values" else result[0]
        sorted_values, first = numpy.unique(plain.ravel(), return_index=True)
        values = _unique_values(x, first[numpy.searchsorted(sorted_values, found)])
        if name == "unique_values":
            return values
        return type(result)(values, *result[1:])
    fn.__name__ = name
    fn.__doc__ = f"numpy.{name}: the unique values are entries of x, so they carry its gradient."
    wraps_numpy(name)(fn)


for _name in ("unique_values", "unique_counts", "unique_inverse", "unique_all"):
    _numpy2_unique(_name)


# --------------------------------------------------------------------------
# np.random: a traced parameter would give a draw with a silently zero gradient
# --------------------------------------------------------------------------

def random_function(name: str, fun: Callable) -> Callable:
    """numpy.random.<name>, refusing traced arguments (a draw does not depend on them smoothly)."""
    def draw(*args, **kwargs):
        if has_node(list(args)) or has_node(list(kwargs.values())):
            raise LostValueError(explain(
                f"np.random.{name} was given a traced value.",
                "a random draw is returned as plain numbers, so the gradient with respect to "
                "its parameters would silently be zero.",
                "draw with plain parameters and transform the draw, which teachgrad can "
                "differentiate (the reparametrization trick): loc + scale * "
                "np.random.normal(size=shape), low + (high - low) * np.random.uniform(size=shape)."))
        return fun(*args, **kwargs)
    draw.__name__ = name
    draw.__doc__ = fun.__doc__
    draw.__wrapped__ = fun
    draw.notrace = True
    return draw
