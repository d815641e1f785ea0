"""``teachgrad.test_util``: checking gradients against finite differences, as autograd's.

``check_grads(f, argnum=0, modes=['fwd', 'rev'], order=2)`` returns a
function of ``f``'s arguments that raises ``AssertionError`` when a
derivative of ``f`` disagrees with finite differences::

    >>> import teachgrad.numpy as np
    >>> from teachgrad.test_util import check_grads
    >>> check_grads(np.tanh, modes=['rev'], order=2)(np.array([0.1, -0.4]))

What is compared, for random directions ``v`` (an input change) and ``u``
(an output weighting), drawn from ``numpy.random`` (seed it to repeat):

* ``'rev'``: ``u · (J v)``, with ``J v`` from central differences of ``f``,
  against ``(u J) · v``, with ``u J`` from teachgrad's reverse mode
  (``make_vjp``);
* ``'fwd'``: ``J v`` from teachgrad's forward mode (``make_jvp``) against
  the central difference. Where a primitive has no tangent rule of its own,
  teachgrad derives ``J v`` from its gradient rule, by reverse mode twice
  (the vector-Jacobian product is linear in ``u``, and its own
  vector-Jacobian product with ``v`` is ``J v``), so 'fwd' checks that route
  too -- for a primitive with only ``defvjp``, 'fwd' and 'rev' test the same
  rule in two ways;
* ``order=2`` repeats the checks on the derivative itself (the function
  ``(x, u) -> u J(x)`` for 'rev', ``(x, v) -> J(x) v`` for 'fwd'), which
  checks second derivatives; ``order=3`` goes one further, and so on.

``argnum`` may be a tuple of positions: the arguments are then checked
together. Arguments and outputs may be numbers, arrays, or lists, tuples
and dicts of them. Complex numbers follow autograd's convention.
"""
from __future__ import annotations

import itertools
import warnings
from typing import Callable, Sequence

import numpy as onp

from .differential_operators import GradientWarning, make_vjp
from .misc.flatten import flatten
from .tracing import unwrap

__all__ = ["check_grads", "check_vjp", "check_jvp", "check_equivalent", "combo_check",
           "make_numerical_jvp", "scalar_close", "TOL", "RTOL", "EPS"]

TOL = 1e-6      # absolute tolerance
RTOL = 1e-6     # relative tolerance
EPS = 1e-6      # the finite-difference step


def scalar_close(a, b) -> bool:
    """True when two numbers agree to TOL absolutely or RTOL relatively."""
    a, b = complex(unwrap(a)), complex(unwrap(b))
    diff = abs(a - b)
    return diff < TOL or (abs(a + b) > 0 and diff / abs(a + b) < RTOL)


def _name(f) -> str:
    return getattr(f, "__name__", repr(f))


# --------------------------------------------------------------------------
# Vectors: every structure is handled through its flat vector
# --------------------------------------------------------------------------

def _vector(x):
    return flatten(x)[0]


def _is_complex(x) -> bool:
    return onp.iscomplexobj(unwrap(_vector(x)))


def _random_like(x):
    """A random standard normal structure like ``x`` (complex where x is)."""
    vector, unflatten = flatten(x)
    plain = unwrap(vector)
    noise = onp.random.randn(*onp.shape(plain))
    if onp.iscomplexobj(plain):
        noise = noise + 1j * onp.random.randn(*onp.shape(plain))
    return unflatten(noise)


def _inner(x, y):
    """The real inner product Re(sum(conj(x) y)) of two structures."""
    a, b = onp.asarray(unwrap(_vector(x))), onp.asarray(unwrap(_vector(y)))
    return float(onp.real(onp.dot(onp.conj(a), b)))


def _conj(x):
    vector, unflatten = flatten(x)
    return unflatten(onp.conj(unwrap(vector))) if _is_complex(x) else x


def _same_space(x, y) -> bool:
    vx, vy = unwrap(_vector(x)), unwrap(_vector(y))
    return onp.shape(vx) == onp.shape(vy) and onp.iscomplexobj(vx) == onp.iscomplexobj(vy)


def _flat_function(f, x):
    """(F, x_vector, unflatten_x): F maps x's vector to the vector of f's output."""
    x_vector, unflatten_x = flatten(x)

    def F(vector):
        return flatten(f(unflatten_x(vector)))[0]
    F.__name__ = _name(f)
    return F, x_vector, unflatten_x


def _quiet(compute):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GradientWarning)
        return compute()


def _vjp_of(f, x) -> Callable:
    """u -> u J at x (u shaped like f(x), the result shaped like x), by reverse mode."""
    F, x_vector, unflatten_x = _flat_function(f, x)
    vjp, _ = _quiet(lambda: make_vjp(F)(x_vector))
    return lambda u: unflatten_x(_quiet(lambda: vjp(_vector(u))))


def _jvp_of(f, x) -> Callable:
    """v -> J v at x (v shaped like x, the result shaped like f(x)), by make_jvp."""
    from teachgrad import make_jvp          # the public one, wherever the engine defines it
    F, x_vector, _ = _flat_function(f, x)
    _, unflatten_y = flatten(f(x))
    jvp = _quiet(lambda: make_jvp(F)(x_vector))
    return lambda v: unflatten_y(_quiet(lambda: jvp(_vector(v)))[1])


# --------------------------------------------------------------------------
# The checks
# --------------------------------------------------------------------------

def make_numerical_jvp(f: Callable, x) -> Callable:
    """v -> the central difference (f(x + eps v/2) - f(x - eps v/2)) / eps."""
    x_vector, unflatten_x = flatten(x)
    _, unflatten_y = flatten(f(x))
    x_vector = unwrap(x_vector)

    def jvp(v):
        step = onp.asarray(unwrap(_vector(v))) * (EPS / 2)
        plus = unwrap(_vector(f(unflatten_x(x_vector + step))))
        minus = unwrap(_vector(f(unflatten_x(x_vector - step))))
        return unflatten_y((onp.asarray(plus) - onp.asarray(minus)) / EPS)
    return jvp


def check_vjp(f: Callable, x) -> None:
    """Check reverse mode: (u J) · v against u · (finite-difference J v), random u and v."""
    y = f(x)
    vjp = _vjp_of(f, x)
    x_v, y_v = _random_like(x), _random_like(y)
    vjp_y = _conj(vjp(_conj(y_v)))
    assert _same_space(vjp_y, x), (
        f"Reverse-mode check of {_name(f)}: the gradient does not have the shape of the input "
        f"({onp.shape(unwrap(_vector(vjp_y)))} numbers instead of {onp.shape(unwrap(_vector(x)))}).")
    exact = _inner(x_v, vjp_y)
    numeric = _inner(y_v, make_numerical_jvp(f, x)(x_v))
    assert scalar_close(numeric, exact), (
        f"Reverse-mode (VJP) check of {_name(f)} failed at {unwrap(x)!r}:\n"
        f"  teachgrad:           {exact!r}\n"
        f"  finite differences:  {numeric!r}\n"
        "(both are u · J v for random directions u and v; a mismatch means the "
        "gradient is wrong somewhere on the path from this input to the output)")


def check_jvp(f: Callable, x) -> None:
    """Check make_jvp's J v against the finite-difference J v for a random v."""
    v = _random_like(x)
    check_equivalent(_jvp_of(f, x)(v), make_numerical_jvp(f, x)(v),
                     what=f"Forward-mode (JVP) check of {_name(f)} "
                          f"at {unwrap(x)!r}", names=("teachgrad", "finite differences"))


def check_equivalent(x, y, what: str = "check_equivalent", names=("x", "y")) -> None:
    """Assert that two structures have the same shape and (nearly) the same numbers.

    The numbers are compared through their inner product with a random vector.
    """
    width = max(len(n) for n in names) + 1
    first, second = (f"{n}:".ljust(width) for n in names)
    assert _same_space(x, y), (
        f"{what}: different shapes or kinds:\n  {first} {unwrap(_vector(x))!r}\n"
        f"  {second} {unwrap(_vector(y))!r}")
    v = _random_like(x)
    assert scalar_close(_inner(x, v), _inner(y, v)), (
        f"{what} failed: the values differ.\n  {first} {x!r}\n  {second} {y!r}")


def _check_grads(f: Callable, x, modes: Sequence[str], order: int) -> None:
    if "fwd" in modes:
        check_jvp(f, x)
        if order > 1:
            def jvp_f(xv, f=f):
                return _jvp_of(f, xv[0])(xv[1])
            jvp_f.__name__ = f"jvp_{_name(f)}"
            _check_grads(jvp_f, (x, _random_like(x)), modes, order - 1)
    if "rev" in modes:
        check_vjp(f, x)
        if order > 1:
            def vjp_f(xu, f=f):
                return _vjp_of(f, xu[0])(xu[1])
            vjp_f.__name__ = f"vjp_{_name(f)}"
            _check_grads(vjp_f, (x, _random_like(f(x))), modes, order - 1)


def check_grads(fun: Callable, argnum: int | Sequence[int] = 0,
                modes: Sequence[str] = ("fwd", "rev"), order: int = 2) -> Callable:
    """A function of ``fun``'s arguments that checks ``fun``'s derivatives there.

    ``check_grads(f, modes=['rev'], order=2)(x)`` checks first and second
    derivatives of ``f`` at ``x`` in reverse mode; ``argnum`` chooses the
    argument (or a tuple of arguments, checked together). Raises
    ``AssertionError`` with both numbers when a check fails.
    """
    if isinstance(modes, str):
        modes = [modes]
    unknown = [m for m in modes if m not in ("fwd", "rev")]
    if unknown:
        raise ValueError(f"check_grads: modes must be 'fwd' and/or 'rev', not {unknown}.")

    def checker(*args, **kwargs):
        several = isinstance(argnum, (tuple, list))
        positions = list(argnum) if several else [argnum]

        def unary(x):
            new_args = list(args)
            for position, value in zip(positions, x if several else [x]):
                new_args[position] = value
            return fun(*new_args, **kwargs)
        unary.__name__ = _name(fun)
        x = tuple(args[i] for i in positions) if several else args[argnum]
        _check_grads(unary, x, modes, order)
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
