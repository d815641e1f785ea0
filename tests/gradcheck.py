"""Shared helpers for checking reverse-mode gradients against finite differences.

The backend under test is chosen with the environment variable
``TEACHGRAD_TEST_BACKEND``:

* ``teachgrad`` (default): ``import teachgrad.numpy as np; from teachgrad import grad, ...``
* ``autograd``: the same API from HIPS autograd, used as a reference to validate
  the tests themselves, e.g.::

      TEACHGRAD_TEST_BACKEND=autograd python -m pytest tests/numpy -q

Conventions
-----------
* All finite differences are central differences in float64.
* Complex inputs follow autograd's convention: for a real-valued ``f`` of a
  complex ``z = x + iy`` the gradient is ``df/dx - 1j * df/dy``.
* Non-scalar (or complex) outputs are reduced to a real scalar with fixed
  random weights, ``sum(real(f(...) * w))``, so that every output entry matters.
* ``check_grads(f, *args, order=2)`` checks the gradient with respect to every
  floating/complex argument, then, for the second order, the gradient of a
  random projection of each gradient, ``sum(grad(f, i)(*args) * v)``, with
  respect to every argument (so mixed second derivatives are checked too).
"""

import os
import warnings

import numpy as onp
import pytest

BACKEND = os.environ.get("TEACHGRAD_TEST_BACKEND", "teachgrad").strip().lower()

if BACKEND == "autograd":
    import autograd.numpy as np  # noqa: F401
    from autograd import elementwise_grad, grad, hessian, jacobian  # noqa: F401
elif BACKEND == "teachgrad":
    import teachgrad.numpy as np  # noqa: F401
    from teachgrad import elementwise_grad, grad, hessian, jacobian  # noqa: F401
else:  # pragma: no cover - configuration error
    raise RuntimeError(
        "TEACHGRAD_TEST_BACKEND must be 'teachgrad' or 'autograd', got %r" % BACKEND
    )

RTOL = 1e-5
ATOL = 1e-6
EPS = 1e-6


def autograd_lacks(reason):
    """Mark a test as an expected failure when the reference backend is autograd.

    Used for features the issue list asks of teachgrad that HIPS autograd 1.9
    does not implement.  ``strict=True`` so we notice if autograd gains them.
    """
    return pytest.mark.xfail(
        BACKEND == "autograd", reason="autograd 1.9 lacks: " + reason, strict=True
    )


# ----------------------------------------------------------------------------
# Random inputs
# ----------------------------------------------------------------------------


def _as_input(a, shape):
    """Scalars are returned as Python floats/complex, arrays as float64 arrays."""
    if shape == ():
        a = onp.asarray(a)
        return complex(a) if onp.iscomplexobj(a) else float(a)
    return a


def rand(shape, low=-1.0, high=1.0, seed=0):
    """Uniform float64 values in [low, high); a Python float when shape == ()."""
    rng = onp.random.default_rng(seed)
    return _as_input(rng.uniform(low, high, size=shape), shape)


def rand_away_from_zero(shape, low=0.5, high=2.0, seed=0):
    """Values with random sign and magnitude in [low, high) (away from kinks at 0)."""
    rng = onp.random.default_rng(seed)
    mag = rng.uniform(low, high, size=shape)
    sign = rng.choice([-1.0, 1.0], size=shape)
    return _as_input(mag * sign, shape)


def rand_distinct(shape, seed=0, spacing=0.1):
    """Values that are pairwise at least ``spacing`` apart (no ties for max/min)."""
    rng = onp.random.default_rng(seed)
    n = int(onp.prod(shape, dtype=int))
    vals = (rng.permutation(n) - (n - 1) / 2.0) * spacing * 2
    vals = vals + rng.uniform(0, spacing / 2, size=n)
    return _as_input(vals.reshape(shape), shape)


def rand_pair_without_ties(sa, sb, seed=0, low=-2.0, high=2.0, gap=0.1):
    """a, b of broadcastable shapes with |a - b| >= gap everywhere after broadcasting."""
    rng = onp.random.default_rng(seed)
    shape = onp.broadcast_shapes(sa, sb)
    a = rng.uniform(low, high, size=sa)
    for _ in range(1000):
        b = rng.uniform(low, high, size=sb)
        diff = onp.abs(onp.broadcast_to(a, shape) - onp.broadcast_to(b, shape))
        if diff.size == 0 or diff.min() >= gap:
            return _as_input(a, sa), _as_input(b, sb)
    raise RuntimeError("could not draw a tie-free pair")  # pragma: no cover


def rand_complex(shape, seed=0):
    rng = onp.random.default_rng(seed)
    z = rng.uniform(-1, 1, size=shape) + 1j * rng.uniform(-1, 1, size=shape)
    return _as_input(z, shape)


# ----------------------------------------------------------------------------
# Finite differences
# ----------------------------------------------------------------------------


def _is_differentiable_arg(a):
    if isinstance(a, bool):
        return False
    if isinstance(a, (float, complex)):
        return True
    if isinstance(a, onp.ndarray):
        return onp.issubdtype(a.dtype, onp.floating) or onp.issubdtype(
            a.dtype, onp.complexfloating
        )
    return False


def _rebuild(template, flat_values):
    """Turn perturbed flat values back into the same kind of object as template."""
    if isinstance(template, (float, complex)):
        return type(template)(flat_values[0])
    return flat_values.reshape(onp.shape(template)).astype(template.dtype)


def _to_real_scalar(val, what="function"):
    arr = onp.asarray(val)
    if arr.shape != ():
        raise ValueError("%s must return a scalar, got shape %s" % (what, arr.shape))
    if onp.iscomplexobj(arr):
        if arr.imag != 0:
            raise ValueError("%s must return a real scalar, got %r" % (what, val))
        arr = arr.real
    return float(arr)


def numeric_grad(f, x, eps=EPS):
    """Central-difference gradient of a real scalar function ``f`` at ``x``.

    ``x`` may be a Python float/complex or a float/complex ndarray; the result is
    an ndarray of ``x``'s shape.  For complex ``x`` the result is
    ``df/dRe - 1j df/dIm`` (autograd's convention).
    """
    is_complex = onp.iscomplexobj(x)
    x0 = onp.array(x, dtype=complex if is_complex else float).ravel()
    directions = [1.0, 1j] if is_complex else [1.0]
    out = onp.zeros(x0.shape, dtype=x0.dtype)
    for k in range(x0.size):
        for d in directions:
            xp = x0.copy()
            xm = x0.copy()
            xp[k] += eps * d
            xm[k] -= eps * d
            fp = _to_real_scalar(f(_rebuild(x, xp)))
            fm = _to_real_scalar(f(_rebuild(x, xm)))
            deriv = (fp - fm) / (2 * eps)
            # d == 1: df/dRe;  d == 1j: df/dIm enters as -1j * df/dIm
            out[k] += deriv if d == 1.0 else -1j * deriv
    return out.reshape(onp.shape(x))


def _weights_like(val, rng):
    shape = onp.shape(val)
    w = rng.standard_normal(shape)
    if onp.iscomplexobj(val):
        w = w + 1j * rng.standard_normal(shape)
    return w


def scalarize(f, args, seed=1234):
    """Return a real-scalar-valued version of f: ``sum(real(f(*args) * w))``.

    If ``f`` already returns a real scalar it is returned unchanged.
    """
    out = f(*args)
    if onp.shape(out) == () and not onp.iscomplexobj(out):
        return f
    w = _weights_like(out, onp.random.default_rng(seed))

    if onp.iscomplexobj(out):

        def fs(*a):
            return np.real(np.sum(f(*a) * w))

    else:

        def fs(*a):
            return np.sum(f(*a) * w)

    fs.__name__ = "sum_w_" + getattr(f, "__name__", "f")
    return fs


def _describe(f):
    return getattr(f, "__name__", repr(f))


# Both engines warn when a gradient is identically zero ("output does not depend
# on the input").  Inside check_grads that is expected -- e.g. the second
# derivative of a linear map -- so those warnings (only those) are silenced.
ZERO_GRADIENT_WARNINGS = (
    r"Output seems independent of input",  # autograd
    r"The output of .* does not depend on",  # teachgrad
)


def check_grads(f, *args, **kwargs):
    """Check ``grad(f, i)`` against central differences for every float argument.

    With ``order >= 2`` the check recurses on ``h(*args) = sum(grad(f, i)(*args) * v)``
    for a fixed random ``v``, so ``order=2`` validates second derivatives
    (including mixed ones between different arguments).

    Keyword arguments: order=2, rtol, atol, eps, argnums (default: every
    float/complex argument), seed (for the projection/output weights).

    With the teachgrad backend it then runs teachgrad.test_util.check_grads, the strict
    checker (the function as given, with its real argument structure; forward and
    reverse mode, forward over forward included; the dtype kind of every gradient),
    in ``modes`` (default both; ``modes=()`` leaves it out, say why where you do).
    """
    modes = kwargs.pop("modes", ("fwd", "rev"))
    with warnings.catch_warnings():
        for message in ZERO_GRADIENT_WARNINGS:
            warnings.filterwarnings("ignore", message=message)
        _check_grads(f, *args, **kwargs)
    if BACKEND == "teachgrad" and modes:
        strict_check(f, args, modes, kwargs.get("order", 2), kwargs.get("argnums"))


def strict_check(f, args, modes, order, argnums=None):
    """teachgrad.test_util.check_grads on every float/complex argument at once (numpy.random
    seeded with 0 for its random directions, and its state restored afterwards)."""
    from teachgrad.test_util import check_grads as strict
    if argnums is None:
        argnums = [i for i, a in enumerate(args) if _is_differentiable_arg(a)]
    state = onp.random.get_state()
    onp.random.seed(0)
    try:
        strict(f, tuple(argnums), modes=list(modes), order=order)(*args)
    finally:
        onp.random.set_state(state)


def _check_grads(
    f, *args, order=2, rtol=RTOL, atol=ATOL, eps=EPS, argnums=None, seed=0, _derivative=1
):
    if not args:
        raise TypeError("check_grads needs at least one argument")
    fs = scalarize(f, args, seed=seed + 1000)
    if argnums is None:
        argnums = [i for i, a in enumerate(args) if _is_differentiable_arg(a)]
    if not argnums:
        raise ValueError("no differentiable (float/complex) argument to check")
    rng = onp.random.default_rng(seed)
    for i in argnums:
        x = args[i]

        def f_i(xi, i=i):
            a = list(args)
            a[i] = xi
            return fs(*a)

        ad = grad(fs, i)(*args)
        num = numeric_grad(f_i, x, eps=eps)
        where = "%s: d/d(arg %d) [checking derivatives of order %d]" % (
            _describe(f),
            i,
            _derivative,
        )
        assert onp.shape(ad) == onp.shape(x), "%s: gradient shape %s != input shape %s" % (
            where,
            onp.shape(ad),
            onp.shape(x),
        )
        if not onp.iscomplexobj(x):
            assert not onp.iscomplexobj(ad), "%s: real input got complex gradient" % where
        onp.testing.assert_allclose(
            onp.asarray(ad), num, rtol=rtol, atol=atol, err_msg=where + " (reverse mode vs finite differences)"
        )
        if order >= 2:
            v = _weights_like(x, rng)

            if onp.iscomplexobj(x):

                def h(*a, i=i, v=v):
                    return np.real(np.sum(grad(fs, i)(*a) * v))

            else:

                def h(*a, i=i, v=v):
                    return np.sum(grad(fs, i)(*a) * v)

            h.__name__ = "proj_grad%d_%s" % (i, _describe(f))
            _check_grads(
                h,
                *args,
                order=order - 1,
                rtol=rtol,
                atol=atol,
                eps=eps,
                argnums=argnums,
                seed=seed + 1,
                _derivative=_derivative + 1,
            )
