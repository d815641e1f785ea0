"""Finite differences: the derivative from its definition, one entry at a time.

Change one entry of the input by a small step ``eps`` and watch the output::

    forward:  (f(x + eps) - f(x)) / eps               error ~ eps          (1 + 1 calls)
    central:  (f(x + eps) - f(x - eps)) / (2 * eps)   error ~ eps ** 2     (2 calls)

A smaller step is not always better: the two values of f agree in more and
more of their digits, and the digits that are left are rounding noise. The
error is smallest in between (around 1e-8 for forward, 1e-5 for central
differences in float64). ``numeric_grad`` is the slow, approximate, but
independent check that every gradient here is compared with.

>>> import teachgrad.numpy as np
>>> from teachgrad import numeric_grad
>>> round(float(numeric_grad(np.sin, 0.0)), 9)
1.0
>>> numeric_grad(lambda x: np.sum(x ** 2), np.array([1.0, 2.0])).round(6)
array([2., 4.])
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy

from ..containers import differentiable_kind, named_leaves, not_differentiable_message
from ..arguments import Signature, argument_name
from ..errors import NonScalarOutputError, NotDifferentiableInputError, TeachgradError, explain
from ..tracing import unwrap

METHODS = ("central", "forward", "backward")


class CheckGradError(TeachgradError, ValueError):
    """check_grad or numeric_grad could not run (the arguments, not the gradient, are at fault)."""


# --------------------------------------------------------------------------
# Leaves: the arrays inside an argument (params = {'W': W, 'b': b})
# --------------------------------------------------------------------------

def leaf_paths(value: Any, name: str) -> list[tuple[str, tuple]]:
    """``(name, path)`` of every leaf of ``value``, named and ordered as trace() names them."""
    return [(leaf_name, path) for leaf_name, path, _ in named_leaves(value, name)]


def get_in(value: Any, path: tuple) -> Any:
    for key in path:
        value = value[key]
    return value


def set_in(value: Any, path: tuple, new: Any) -> Any:
    """A copy of ``value`` with the leaf at ``path`` replaced (containers are copied, not changed)."""
    if not path:
        return new
    key, rest = path[0], path[1:]
    if isinstance(value, dict):
        copy = type(value)(value)
        copy[key] = set_in(value[key], rest, new)
        return copy
    items = list(value)
    items[key] = set_in(items[key], rest, new)
    if type(value) is list:
        return items
    if hasattr(value, "_fields"):
        return type(value)(*items)
    return type(value)(items)


def is_float_leaf(value: Any) -> bool:
    """Whether grad would differentiate this leaf (a float or complex number or array)."""
    return differentiable_kind(value) is not None


def as_float_array(value: Any) -> numpy.ndarray:
    """The leaf as a float64 (or complex128) array, copied."""
    value = unwrap(value)
    dtype = numpy.complex128 if numpy.iscomplexobj(value) else numpy.float64
    return numpy.array(value, dtype=dtype)


def rebuild(template: Any, array: numpy.ndarray) -> Any:
    """``array`` given the kind of ``template``: a Python float stays a float."""
    if isinstance(template, (float, complex)) and not isinstance(template, numpy.generic):
        return type(template)(array.reshape(()))
    if isinstance(template, numpy.generic):
        return array.reshape(()).astype(numpy.result_type(template))[()]
    return array.reshape(numpy.shape(template))


def real_scalar(out: Any, what: str = "f") -> float:
    """The output as a Python float, or a clear error if it is not one real number."""
    plain = unwrap(out)
    try:
        arr = numpy.asarray(plain)
    except Exception:                                     # noqa: BLE001 - any odd object
        arr = None
    if arr is None or arr.shape != () or arr.dtype.kind not in "fciub":
        got = (f"an array of shape {arr.shape}" if arr is not None and arr.shape
               else f"{type(plain).__name__} {plain!r:.60}")
        raise NonScalarOutputError(explain(
            f"{what} must return one number to be differentiated, but it returned {got}.",
            "a gradient says how one number (a loss) changes with each input.",
            "return a scalar, for example np.sum(...) or np.mean(...) of the result."))
    if arr.dtype.kind == "c":
        if arr.imag != 0:
            raise NonScalarOutputError(explain(
                f"{what} returned a complex number ({plain}).",
                "a gradient is defined for real-valued functions.",
                "differentiate np.real(...) or np.abs(...) ** 2 of the result."))
        arr = arr.real
    return float(arr)


# --------------------------------------------------------------------------
# One leaf as a function of its entries
# --------------------------------------------------------------------------

class LeafFunction:
    """``f`` as a function of one leaf of one argument, the rest held fixed.

    ``at(flat)`` evaluates f with the leaf's entries replaced by ``flat``.
    """

    def __init__(self, f: Callable, args: tuple, argnum: int, path: tuple, name: str):
        self.f, self.args, self.argnum, self.path, self.name = f, tuple(args), argnum, path, name
        self.template = get_in(args[argnum], path)
        self.x = as_float_array(self.template)
        self.fun_name = getattr(f, "__name__", "f")

    def at(self, flat: numpy.ndarray) -> float:
        leaf = rebuild(self.template, flat.reshape(self.x.shape))
        args = list(self.args)
        args[self.argnum] = set_in(args[self.argnum], self.path, leaf)
        return real_scalar(self.f(*args), self.fun_name)

    def __call__(self, flat: numpy.ndarray) -> float:
        return self.at(flat)


def entry_derivatives(phi: Callable[[numpy.ndarray], float], x: numpy.ndarray,
                      indices: Sequence[int], eps: float, method: str = "central",
                      f0: float | None = None) -> numpy.ndarray:
    """Finite-difference derivatives of ``phi`` along the flat entries ``indices`` of ``x``.

    For complex ``x`` each entry is ``d/dRe - 1j d/dIm`` (autograd's convention).
    """
    flat = x.ravel()
    out = numpy.zeros(len(indices), dtype=flat.dtype)
    directions = (1.0, 1j) if flat.dtype.kind == "c" else (1.0,)
    if method != "central" and f0 is None:
        f0 = phi(flat.copy())
    for n, k in enumerate(indices):
        for d in directions:
            plus, minus = flat.copy(), flat.copy()
            plus[k] += eps * d
            minus[k] -= eps * d
            if method == "central":
                deriv = (phi(plus) - phi(minus)) / (2 * eps)
            elif method == "forward":
                deriv = (phi(plus) - f0) / eps
            else:
                deriv = (f0 - phi(minus)) / eps
            out[n] += deriv if d == 1.0 else -1j * deriv
    return out


def one_sided(phi: Callable, x: numpy.ndarray, k: int, h: float, f0: float) -> tuple[float, float]:
    """(left, right) one-sided derivatives along flat entry ``k`` with step ``h`` (real x)."""
    flat = x.ravel()
    plus, minus = flat.copy(), flat.copy()
    plus[k] += h
    minus[k] -= h
    return (f0 - phi(minus)) / h, (phi(plus) - f0) / h


# --------------------------------------------------------------------------
# The public function
# --------------------------------------------------------------------------

def numeric_grad(f: Callable, *args, argnum: int | Sequence[int] = 0, eps: float = 1e-6,
                 method: str = "central") -> Any:
    """The gradient of ``f`` at ``args`` by finite differences, entry by entry.

    ``argnum`` chooses the argument (a tuple of them gives a tuple of
    gradients); the gradient has the shape and nesting of that argument.
    ``method`` is ``"central"`` (default; error shrinks like eps**2),
    ``"forward"`` or ``"backward"`` (error shrinks like eps). Each entry costs
    two calls of ``f`` (one for forward/backward): slow, but it needs nothing
    but ``f`` itself, which is why it is the reference for checking gradients.

    >>> import teachgrad.numpy as np
    >>> f = lambda x, y: np.sin(x) * y
    >>> [round(float(g), 6) for g in numeric_grad(f, 0.0, 2.0, argnum=(0, 1))]
    [2.0, 0.0]

    The error against the exact derivative, for a few step sizes:

    >>> exact = float(np.cos(1.0))
    >>> for eps in (1e-1, 1e-2, 1e-3):
    ...     fwd = float(numeric_grad(np.sin, 1.0, eps=eps, method="forward")) - exact
    ...     cen = float(numeric_grad(np.sin, 1.0, eps=eps)) - exact
    ...     print(f"eps={eps:.0e}  forward {abs(fwd):.0e}  central {abs(cen):.0e}")
    eps=1e-01  forward 4e-02  central 9e-04
    eps=1e-02  forward 4e-03  central 9e-06
    eps=1e-03  forward 4e-04  central 9e-08

    (Much smaller steps make it worse again: rounding noise, divided by eps.)
    """
    if method not in METHODS:
        raise CheckGradError(explain(
            f"numeric_grad has no method {method!r}.",
            "finite differences step forward, backward, or both ways (central).",
            'use method="central" (most accurate), "forward" or "backward".'))
    if not (isinstance(eps, (int, float)) and not isinstance(eps, bool) and eps > 0):
        raise CheckGradError(explain(
            f"eps must be a positive number, not {eps!r}.",
            "eps is the size of the small change made to each entry.",
            "use eps=1e-6 (the default) or try several to see the error change."))
    several = isinstance(argnum, (tuple, list))
    argnums = list(argnum) if several else [argnum]
    if not args:
        raise CheckGradError("numeric_grad(f, *args) needs the arguments to evaluate f at.")
    results = []
    for a in argnums:
        if isinstance(a, bool) or not isinstance(a, int) or not 0 <= a < len(args):
            raise CheckGradError(explain(
                f"argnum={a!r} does not name one of the {len(args)} argument(s) given.",
                "argnum counts the positional arguments from 0.",
                f"use an argnum from 0 to {len(args) - 1}."))
        name = argument_name(Signature(f), args, a)
        grads = args[a]
        f0 = None
        for leaf_name, path in leaf_paths(args[a], name):
            leaf = get_in(args[a], path)
            if not is_float_leaf(leaf):
                raise NotDifferentiableInputError(not_differentiable_message(leaf, leaf_name))
            phi = LeafFunction(f, args, a, path, leaf_name)
            if method != "central" and f0 is None:
                f0 = phi(phi.x.ravel().copy())
            d = entry_derivatives(phi, phi.x, range(phi.x.size), eps, method, f0)
            grads = set_in(grads, path, rebuild(leaf, d.reshape(phi.x.shape)))
        results.append(grads)
    return tuple(results) if several else results[0]
