"""autograd 1.0-1.1's ``autograd.util``: numeric gradients, checks and ``flatten``.

``check_grads(fun, *args)`` and ``quick_grad_check`` are the checks course
code of 2016-2017 calls; they compare teachgrad's gradients with central
differences, as autograd's did (tolerances EPS, RTOL, ATOL below).
"""
from __future__ import annotations

import functools
import itertools
from copy import copy
from typing import Any, Callable

import numpy as onp

from ..differential_operators import grad as _grad
from ..misc.flatten import flatten as _flatten
from ..tracing import unwrap
from .notes import note

__all__ = ["nd", "unary_nd", "check_grads", "check_equivalent", "quick_grad_check", "flatten",
           "flatten_func", "to_scalar", "base_class", "EPS", "RTOL", "ATOL"]

EPS, RTOL, ATOL = 1e-4, 1e-4, 1e-6


def old_grad(fun: Callable, argnum: int = 0) -> Callable:
    """autograd 1.1's ``grad``: as teachgrad's, but an int argument is taken as a float,
    and of a complex output the real part is differentiated (as 1.1.8 did)."""
    @functools.wraps(fun)
    def real_output(*args, **kwargs):
        out = fun(*args, **kwargs)
        if onp.iscomplexobj(unwrap(out)):
            import teachgrad.numpy as tnp
            return tnp.real(out)
        return out
    gradient = _grad(real_output, argnum)

    def gradfun(*args, **kwargs):
        if argnum < len(args) and type(args[argnum]) is int:
            args = args[:argnum] + (float(args[argnum]),) + args[argnum + 1:]
        return gradient(*args, **kwargs)
    gradfun.__name__ = f"grad_{getattr(fun, '__name__', 'f')}_wrt_argnum_{argnum}"
    gradfun.__doc__ = f"Gradient of {getattr(fun, '__name__', 'f')} with respect to argument {argnum}."
    return gradfun


def _float(x):
    return float(x) if type(x) is int else x


def unary_nd(f: Callable, x: Any, eps: float = EPS) -> Any:
    """Central differences of ``f`` at ``x``, entry by entry, in ``x``'s structure."""
    if isinstance(x, onp.ndarray):
        result = onp.zeros(x.shape, complex if onp.iscomplexobj(x) else float)
        for index in itertools.product(*map(range, x.shape)):
            result[index] = unary_nd(_replacing(f, x, index), x[index], eps)
        return result
    if isinstance(x, (tuple, list)):
        return type(x)(unary_nd(_replacing(f, x, i), v, eps) for i, v in enumerate(x))
    if isinstance(x, dict):
        return {k: unary_nd(_replacing(f, x, k), v, eps) for k, v in x.items()}
    x = _float(x)
    real = _number(f(x + eps / 2) - f(x - eps / 2)) / eps
    if onp.iscomplexobj(x):
        return real - 1j * _number(f(x + 1j * eps / 2) - f(x - 1j * eps / 2)) / eps
    return real


def _number(value):
    """An output as grad takes it: a size-1 array as its number, a complex number as its real part."""
    value = onp.real(unwrap(value))
    return onp.reshape(value, ())[()] if onp.ndim(value) and onp.size(value) == 1 else value


def _replacing(f: Callable, container, index) -> Callable:
    """``f`` as a function of one entry of ``container``, the other entries fixed."""
    def of_entry(v):
        if isinstance(container, tuple):
            changed = container[:index] + (v,) + container[index + 1:]
        elif isinstance(container, list):
            changed = container[:index] + [v] + container[index + 1:]
        else:
            changed = copy(container)
            changed[index] = v
        return f(changed)
    return of_entry


def nd(f: Callable, *args) -> tuple:
    """The numeric gradient of ``f`` with respect to each of its arguments, as a tuple."""
    return unary_nd(lambda xs: f(*xs), tuple(_float(a) for a in args))


def check_equivalent(A: Any, B: Any, rtol: float = RTOL, atol: float = ATOL) -> None:
    """Assert that two gradients have the same structure and close numbers."""
    if isinstance(A, (tuple, list)):
        assert isinstance(B, (tuple, list)) and len(A) == len(B), \
            f"Structures differ: analytic {type(A).__name__} of {len(A)}, numeric {B!r}"
        for a, b in zip(A, B):
            check_equivalent(a, b, rtol, atol)
        return
    if isinstance(A, dict):
        assert isinstance(B, dict) and set(A) == set(B), f"Keys differ: {sorted(A)} and {B!r}"
        for k in A:
            check_equivalent(A[k], B[k], rtol, atol)
        return
    A, B = unwrap(A), unwrap(B)
    assert onp.shape(A) == onp.shape(B), f"Shapes differ: analytic {onp.shape(A)}, numeric {onp.shape(B)}"
    assert onp.allclose(A, B, rtol=rtol, atol=atol), \
        f"Gradients differ.\nanalytic: {A}\nnumeric:  {B}\ndifference: {onp.subtract(A, B)}"


def check_grads(fun: Callable, *args) -> None:
    """autograd 1.1: check the gradient of ``fun`` with respect to every argument at ``args``."""
    note("util.check_grads(f, *args)", "autograd 1.1's gradient check",
         "from autograd.test_util import check_grads; check_grads(f, modes=['rev'])(*args)")
    if not args:
        raise TypeError("check_grads(fun, *args) needs the arguments to check at, "
                        "for example check_grads(f, 1.5).")
    exact = tuple(old_grad(fun, i)(*args) for i in range(len(args)))
    check_equivalent(exact, nd(fun, *args))


def quick_grad_check(fun: Callable, arg0: Any, extra_args: tuple = (), kwargs: dict | None = None,
                     verbose: bool = True, eps: float = EPS, rtol: float = RTOL, atol: float = ATOL,
                     rs=None) -> None:
    """autograd 1.0-1.1: check ``grad(fun)`` at ``arg0`` along one random direction."""
    note("quick_grad_check(f, x)", "autograd 1.0's quick gradient check",
         "from autograd.test_util import check_grads; check_grads(f, modes=['rev'], order=1)(x)")
    kwargs = kwargs or {}
    if verbose:
        print(f"Checking the gradient of {getattr(fun, '__name__', fun)} at {arg0}")
    rs = onp.random.RandomState() if rs is None else rs
    direction = rs.standard_normal(onp.shape(arg0))
    direction = direction / onp.sqrt(onp.sum(direction * direction))
    along = lambda t: fun(arg0 + t * direction, *extra_args, **kwargs)
    numeric = unary_nd(along, 0.0, eps=eps)
    analytic = onp.sum(old_grad(fun)(arg0, *extra_args, **kwargs) * direction)
    assert onp.allclose(numeric, analytic, rtol=rtol, atol=atol), \
        f"Gradient check failed: numeric {numeric}, analytic {analytic} (along a random direction)"
    if verbose:
        print(f"Gradient OK along a random direction: numeric {numeric}, analytic {analytic}")


def base_class(t: type) -> type:
    """``float`` for numpy's float types, ``complex`` for its complex types, else ``t`` (1.1's helper)."""
    if issubclass(t, onp.floating):
        return float
    if issubclass(t, onp.complexfloating):
        return complex
    return t


def to_scalar(x: Any) -> Any:
    """A scalar that depends on every entry of ``x`` (autograd 1.1's test helper)."""
    import teachgrad.numpy as tnp
    if isinstance(unwrap(x), (list, tuple)):
        return sum(to_scalar(item) for item in x)
    return tnp.sum(tnp.real(tnp.sin(x)))


def flatten(value: Any):
    """autograd 1.1's ``util.flatten``: ``(vector, unflatten)`` (today in ``autograd.misc``)."""
    note("util.flatten", "autograd 1.1's place for flatten", "from autograd.misc import flatten")
    return _flatten(value)


def flatten_func(func: Callable, example: Any):
    """``(flat_func, unflatten, flat_example)``: ``func`` on flat vectors, output flattened too."""
    note("util.flatten_func", "autograd 1.1's place for flatten_func",
         "from autograd.misc.flatten import flatten_func")
    flat_example, unflatten = _flatten(example)

    def flat_func(vector, *args, **kwargs):
        return _flatten(func(unflatten(vector), *args, **kwargs))[0]
    return flat_func, unflatten, flat_example
