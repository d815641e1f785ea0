"""``teachgrad.test_util``: checking derivatives against finite differences, as autograd's.

``check_grads(f, argnum=0, modes=['fwd', 'rev'], order=2)`` returns a
function of ``f``'s arguments that raises ``AssertionError`` when a
derivative of ``f`` disagrees with finite differences::

    >>> import teachgrad.numpy as np
    >>> from teachgrad.test_util import check_grads
    >>> check_grads(np.tanh, modes=['rev'], order=2)(np.array([0.1, -0.4]))

teachgrad's derivatives are taken of the function as it is given: its
argument keeps its structure (a number, an array, or lists, tuples and dicts
of them), and ``make_vjp`` and ``make_jvp`` are called on it directly. What
is required, for random directions ``v`` (an input change) and ``u`` (an
output weighting) drawn from ``numpy.random`` (seed it to repeat):

* the value that ``make_vjp``/``make_jvp`` report is ``f(x)``;
* ``'rev'``: ``vjp(u)`` has the structure of ``x`` (the same containers, the
  same dict keys, the same shapes, real where ``x`` is real and complex where
  it is complex), and ``vjp(u) · v`` equals ``u · (J v)``, with ``J v`` from
  central differences;
* ``'fwd'``: ``jvp(v)`` has the structure of ``f(x)`` and equals the central
  difference ``J v``;
* ``order=2`` repeats both checks on the derivative functions themselves:
  ``(x, u) -> vjp(u)`` and ``(x, v) -> jvp(v)``, so forward over forward,
  forward over reverse, reverse over forward and reverse over reverse are all
  exercised. ``order=3`` goes one level further, and so on.

Tangents and cotangents for dicts are built with their keys in the opposite
order to the argument's, so a rule that pairs dict entries by position
instead of by key is caught. Complex numbers follow autograd's convention.
Finite differences need numbers, so they are computed leaf by leaf, but
teachgrad's own derivatives always see the real structure.
"""
from __future__ import annotations

import itertools
import warnings
from typing import Any, Callable, Sequence

import numpy as onp

from .errors import GradientWarning
from .reverse import make_vjp
from .tracing import unwrap

__all__ = ["check_grads", "check_vjp", "check_jvp", "check_equivalent", "combo_check",
           "make_numerical_jvp", "scalar_close", "TOL", "RTOL", "EPS"]

TOL = 1e-6      # absolute tolerance
RTOL = 1e-6     # relative tolerance
EPS = 1e-6      # the finite-difference step


def scalar_close(a, b) -> bool:
    """True when two numbers agree to TOL absolutely or RTOL relatively.

    >>> scalar_close(1.0, 1.0 + 1e-9), scalar_close(1.0, 1.1)
    (True, False)
    """
    a, b = complex(unwrap(a)), complex(unwrap(b))
    diff = abs(a - b)
    return diff < TOL or (abs(a + b) > 0 and diff / abs(a + b) < RTOL)


def _name(f) -> str:
    return getattr(f, "__name__", repr(f))


# --------------------------------------------------------------------------
# Structures: numbers and arrays inside lists, tuples and dicts
# --------------------------------------------------------------------------

def _kind(leaf) -> str:
    dtype = onp.asarray(leaf).dtype
    return {"f": "real", "c": "complex", "i": "integer", "u": "integer",
            "b": "boolean"}.get(dtype.kind, str(dtype))


def _space(value) -> str:
    """A description of ``value``'s space: containers, dict keys, shapes and kinds.

    Two values belong to the same space when their descriptions are equal.

    >>> _space({'b': [1.0, 2j], 'a': onp.ones((2, 3))})
    "dict{'a': real (2, 3), 'b': list[real (), complex ()]}"
    """
    value = unwrap(value)
    if isinstance(value, dict):
        items = sorted(value.items(), key=lambda item: repr(item[0]))
        inner = ", ".join(f"{k!r}: {_space(v)}" for k, v in items)
        return f"{type(value).__name__}{{{inner}}}"
    if isinstance(value, (list, tuple)):
        inner = ", ".join(_space(v) for v in value)
        return f"{type(value).__name__}[{inner}]"
    return f"{_kind(value)} {onp.shape(value)}"


def _map(fn: Callable, first, *others):
    """Apply ``fn`` leaf by leaf to structures of one space, keeping ``first``'s layout."""
    first = unwrap(first)
    if isinstance(first, dict):
        return type(first)((k, _map(fn, v, *(unwrap(o)[k] for o in others)))
                           for k, v in first.items())
    if isinstance(first, (list, tuple)):
        items = [_map(fn, v, *(unwrap(o)[i] for o in others)) for i, v in enumerate(first)]
        return type(first)(*items) if hasattr(first, "_fields") else type(first)(items)
    return fn(first, *map(unwrap, others))


def _random_leaf(leaf):
    shape, kind = onp.shape(leaf), _kind(leaf)
    noise = onp.asarray(onp.random.randn(*shape))
    if kind == "complex":
        noise = noise + 1j * onp.random.randn(*shape)
    if type(leaf) in (float, complex):
        return type(leaf)(noise)
    return noise.astype(onp.asarray(leaf).dtype)


def _random_like(x):
    """Standard normal numbers in the space of ``x``; dicts get their keys in reverse order."""
    x = unwrap(x)
    if isinstance(x, dict):
        return type(x)((k, _random_like(x[k])) for k in reversed(list(x)))
    if isinstance(x, (list, tuple)):
        items = [_random_like(v) for v in x]
        return type(x)(*items) if hasattr(x, "_fields") else type(x)(items)
    return _random_leaf(x)


def _covector(x):
    """The conjugate of every complex leaf (what autograd's vspaces call a covector)."""
    return _map(lambda leaf: onp.conj(leaf) if _kind(leaf) == "complex" else leaf, x)


def _inner(x, y) -> float:
    """The real inner product: the sum over leaves of Re(sum(conj(a) * b)), dicts paired by key."""
    terms: list = []
    _map(lambda a, b: terms.append(float(onp.real(onp.vdot(onp.ravel(a), onp.ravel(b))))), x, y)
    return sum(terms)


def _step(x, v, scale: float):
    """``x + scale * v`` leaf by leaf, with plain numpy (each leaf keeps its Python type)."""
    def leaf_step(a, b):
        moved = a + scale * onp.asarray(b)
        return type(a)(moved) if type(a) in (float, complex) else moved
    return _map(leaf_step, x, v)


def _same_space(what: str, expected, got, expected_name: str, got_name: str) -> None:
    expected_space, got_space = _space(expected), _space(got)
    assert expected_space == got_space, (
        f"{what}: {got_name} is not in the space of {expected_name}.\n"
        f"  {expected_name}: {expected_space}\n"
        f"  {got_name}: {got_space}\n"
        "(each must have the same containers, dict keys and shapes, and be real or complex alike)")


def _same_value(what: str, expected, got) -> None:
    """The value reported with a derivative must be the function's own value."""
    _same_space(what, expected, got, "f(x)", "the reported value")
    agree = _map(lambda a, b: bool(onp.allclose(a, b, rtol=1e-9, atol=1e-12, equal_nan=True)),
                 expected, got)
    assert all(_leaf_list(agree)), (
        f"{what}: the value reported with the derivative is not f(x).\n"
        f"  f(x):      {expected!r}\n  reported:  {got!r}")


def _leaf_list(value) -> list:
    found: list = []
    _map(found.append, value)
    return found


# --------------------------------------------------------------------------
# A function of one (structured) argument, and its derivatives
# --------------------------------------------------------------------------

class _Function:
    """``f(x)`` for the argument(s) being checked, with teachgrad's derivative makers.

    At the top level with one ``argnum``, ``make_vjp(fun, argnum)`` is called on the
    user's function itself, with its other arguments and keywords.
    """

    def __init__(self, call: Callable, name: str, vjp_maker: Callable | None = None,
                 jvp_maker: Callable | None = None):
        self.call, self.name = call, name
        self.vjp_maker = vjp_maker or make_vjp(call)
        if jvp_maker is None:
            from .forward import make_jvp          # forward imports this package's operators
            jvp_maker = make_jvp(call)
        self.jvp_maker = jvp_maker

    def __call__(self, x):
        return self.call(x)

    @classmethod
    def of(cls, fun: Callable, argnum, args: tuple, kwargs: dict) -> tuple["_Function", Any]:
        """The function of the chosen argument(s), and their values."""
        from .forward import make_jvp
        name = _name(fun)
        if isinstance(argnum, (tuple, list)):
            positions = list(argnum)

            def call(x):
                new_args = list(args)
                for position, value in zip(positions, x):
                    new_args[position] = value
                return fun(*new_args, **kwargs)
            call.__name__ = name
            return cls(call, name), tuple(args[i] for i in positions)

        def with_x(x):
            return args[:argnum] + (x,) + args[argnum + 1:]

        vjp_of, jvp_of = make_vjp(fun, argnum), make_jvp(fun, argnum)
        return cls(lambda x: fun(*with_x(x), **kwargs), name,
                   lambda x: vjp_of(*with_x(x), **kwargs),
                   lambda x: jvp_of(*with_x(x), **kwargs)), args[argnum]

    @classmethod
    def of_pair(cls, binary: Callable, name: str) -> "_Function":
        """A function ``(x, w) -> ...`` checked in both arguments at once."""
        def call(pair):
            return binary(*pair)
        call.__name__ = name
        return cls(call, name)


# --------------------------------------------------------------------------
# The checks
# --------------------------------------------------------------------------

def _as_function(f) -> "_Function":
    return f if isinstance(f, _Function) else _Function(f, _name(f))


def make_numerical_jvp(f: Callable, x) -> Callable:
    """v -> the central difference (f(x + eps v/2) - f(x - eps v/2)) / eps, leaf by leaf."""
    y = f(x)

    def jvp(v):
        plus, minus = f(_step(x, v, EPS / 2)), f(_step(x, v, -EPS / 2))
        _same_space("make_numerical_jvp", y, plus, "f(x)", "f(x + eps v)")
        return _map(lambda p, m: (onp.asarray(p) - onp.asarray(m)) / EPS, plus, minus)
    jvp.value = y
    return jvp


def check_vjp(f: Callable, x) -> None:
    """Check reverse mode: ``vjp(u) · v`` against ``u · J v`` from finite differences.

    ``vjp(u)`` must also be in the space of ``x`` (same structure, shapes and kinds).
    """
    f = _as_function(f)
    vjp, value = f.vjp_maker(x)
    numeric = make_numerical_jvp(f, x)
    what = f"Reverse-mode (VJP) check of {f.name}"
    _same_value(what, numeric.value, value)
    x_v, y_v = _random_like(x), _random_like(numeric.value)
    vjp_y = vjp(_covector(y_v))
    _same_space(what, x, vjp_y, "the input x", "the gradient vjp(u)")
    exact = _inner(x_v, _covector(vjp_y))
    approx = _inner(y_v, numeric(x_v))
    assert scalar_close(approx, exact), (
        f"{what} failed at x = {x!r}:\n"
        f"  teachgrad:           {exact!r}\n"
        f"  finite differences:  {approx!r}\n"
        "(both are u · J v for random directions u and v; a mismatch means the "
        "gradient is wrong somewhere on the path from this input to the output)")


def check_jvp(f: Callable, x) -> None:
    """Check forward mode: ``jvp(v)`` against the finite-difference ``J v``, in the space of f(x)."""
    f = _as_function(f)
    jvp = f.jvp_maker(x)
    numeric = make_numerical_jvp(f, x)
    what = f"Forward-mode (JVP) check of {f.name}"
    x_v = _random_like(x)
    value, tangent = jvp(x_v)
    _same_value(what, numeric.value, value)
    _same_space(what, numeric.value, tangent, "the output f(x)", "the tangent jvp(v)")
    check_equivalent(tangent, numeric(x_v), what=f"{what} at x = {x!r}",
                     names=("teachgrad", "finite differences"))


def check_equivalent(x, y, what: str = "check_equivalent", names=("x", "y")) -> None:
    """Assert that two values are in one space and (nearly) equal.

    The numbers are compared through their inner product with a random vector.

    >>> check_equivalent({'a': [1.0, 2.0]}, {'a': [1.0, 2.0 + 1e-12]})
    """
    width = max(len(n) for n in names) + 1
    first, second = (f"{n}:".ljust(width) for n in names)
    assert _space(x) == _space(y), (
        f"{what}: different shapes or kinds:\n  {first} {_space(x)}\n  {second} {_space(y)}")
    v = _random_like(x)
    assert scalar_close(_inner(v, x), _inner(v, y)), (
        f"{what} failed: the values differ.\n  {first} {x!r}\n  {second} {y!r}")


def _check_grads(f: _Function, x, modes: Sequence[str], order: int) -> None:
    if "fwd" in modes:
        check_jvp(f, x)
        if order > 1:
            jvp_f = _Function.of_pair(lambda x, v: f.jvp_maker(x)(v)[1], f"jvp_{f.name}")
            _check_grads(jvp_f, (x, _random_like(x)), modes, order - 1)
    if "rev" in modes:
        check_vjp(f, x)
        if order > 1:
            vjp_f = _Function.of_pair(lambda x, u: f.vjp_maker(x)[0](u), f"vjp_{f.name}")
            _check_grads(vjp_f, (x, _random_like(f(x))), modes, order - 1)


def check_grads(fun: Callable, argnum: int | Sequence[int] = 0,
                modes: Sequence[str] = ("fwd", "rev"), order: int = 2) -> Callable:
    """A function of ``fun``'s arguments that checks ``fun``'s derivatives there.

    ``check_grads(f, modes=['rev'], order=2)(x)`` checks first and second
    derivatives of ``f`` at ``x`` in reverse mode; ``argnum`` chooses the
    argument (or a tuple of arguments, checked together as one tuple).
    Raises ``AssertionError`` saying what differs when a check fails.

    >>> import teachgrad.numpy as np
    >>> check_grads(lambda p: p[0] * np.sin(p[1]))([2.0, np.array([0.5, 1.0])])
    """
    if isinstance(modes, str):
        modes = [modes]
    unknown = [m for m in modes if m not in ("fwd", "rev")]
    if unknown:
        raise ValueError(f"check_grads: modes must be 'fwd' and/or 'rev', not {unknown}.")

    def checker(*args, **kwargs):
        f, x = _Function.of(fun, argnum, args, kwargs)
        with warnings.catch_warnings():
            # a derivative that is identically zero (a linear map's second derivative) is fine here
            warnings.simplefilter("ignore", GradientWarning)
            _check_grads(f, x, modes, order)
    return checker


def combo_check(fun: Callable, *check_args, **check_kwargs) -> Callable:
    """Run check_grads over every combination of candidate arguments.

    ``combo_check(f, argnum, modes=['rev'])(xs, ys, axis=[0, 1])`` checks
    ``f(x, y, axis=a)`` for every x in xs, y in ys and a in [0, 1].
    """
    def combos(*arg_lists, **kwarg_lists):
        keyword_choices = [[(key, value) for value in values] for key, values in kwarg_lists.items()]
        for chosen_args in itertools.product(*arg_lists):
            for chosen_kwargs in itertools.product(*keyword_choices):
                check_grads(fun, *check_args, **check_kwargs)(*chosen_args, **dict(chosen_kwargs))
    return combos
