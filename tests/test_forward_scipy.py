"""Forward mode through every differentiable function of teachgrad.scipy: the tangent
agrees with central differences (first order, and forward over forward), or forward
mode refuses with an explanation exactly where reverse mode does. A new SciPy
primitive fails the completeness test until it has a case here."""
import importlib
import warnings

import numpy as onp
import pytest

pytest.importorskip("scipy")

import teachgrad.numpy as np  # noqa: E402
from teachgrad import grad, make_jvp, make_vjp  # noqa: E402
from teachgrad.differential_operators import GradientWarning  # noqa: E402
from teachgrad.errors import NoGradientError  # noqa: E402
from teachgrad.tracing import Primitive  # noqa: E402
from test_forward_structure import check_jvp, check_second_order  # noqa: E402

MODULES = ["special", "linalg", "signal", "integrate", "stats.norm", "stats.t", "stats.beta",
           "stats.gamma", "stats.chi2", "stats.dirichlet", "stats.poisson",
           "stats.multivariate_normal"]

rng = onp.random.default_rng(2)


def between(low, high, *shape):
    return rng.uniform(low, high, size=shape)


def spd(n):
    M = rng.normal(size=(n, n))
    return M @ M.T + n * onp.eye(n)


def symmetric(v):
    return v + v.T


def zero_sum(v):
    return v - onp.mean(v)


def upper(n):
    return onp.triu(rng.normal(size=(n, n))) + 3 * onp.eye(n)


POS = between(0.6, 2.5, 3)
UNIT = between(0.2, 0.8, 3)
X = between(-1.5, 1.5, 3)

# qualified name -> list of (args, {argnum: direction maker or None for a random one}).
# Only the listed arguments are moved; the others are held fixed.
CASES = {
    **{f"scipy.special.{name}": [((x,), {0: None})] for name, x in [
        ("gamma", POS), ("gammaln", POS), ("rgamma", POS), ("psi", POS), ("digamma", POS),
        ("gammasgn", POS), ("j0", X), ("j1", X), ("y0", POS), ("y1", POS), ("i0", X), ("i1", X),
        ("erf", X), ("erfc", X), ("erfinv", between(-0.8, 0.8, 3)), ("erfcinv", between(0.2, 1.8, 3)),
        ("expit", X), ("logit", UNIT)]},
    "scipy.special.beta": [((POS, POS[::-1]), {0: None, 1: None})],
    "scipy.special.betaln": [((POS, POS[::-1]), {0: None, 1: None})],
    "scipy.special.betainc": [((POS, POS[::-1], UNIT), {0: None, 1: None, 2: None})],
    "scipy.special.gammainc": [((POS, UNIT), {0: None, 1: None})],
    "scipy.special.gammaincc": [((POS, UNIT), {0: None, 1: None})],
    "scipy.special.iv": [((1.5, POS), {0: None, 1: None})],
    "scipy.special.ive": [((2.0, X), {0: None, 1: None})],
    "scipy.special.jn": [((2.0, X), {0: None, 1: None})],
    "scipy.special.yn": [((2.0, POS), {0: None, 1: None})],
    "scipy.special.polygamma": [((2.0, POS), {0: None, 1: None})],
    "scipy.special.multigammaln": [((between(2.0, 4.0, 2), 3), {0: None})],
    "scipy.special.logsumexp": [((rng.normal(size=(2, 3)),), {0: None})],
    "scipy.linalg.cholesky": [((spd(3),), {0: symmetric}), ((spd(3), True), {0: symmetric})],
    "scipy.linalg.sqrtm": [((spd(3),), {0: None})],
    "scipy.linalg.solve_sylvester": [((spd(2), spd(2), rng.normal(size=(2, 2))),
                                      {0: None, 1: None, 2: None})],
    "scipy.linalg.solve_triangular": [((upper(3), rng.normal(size=3)), {0: onp.triu, 1: None})],
    "scipy.linalg.solve_banded": [(((1, 1), onp.array([[0.0, 0.5, 0.4], [3.0, 3.5, 4.0],
                                                       [0.3, 0.2, 0.0]]), rng.normal(size=3)),
                                   {1: lambda v: v * onp.array([[0, 1, 1], [1, 1, 1], [1, 1, 0]]),
                                    2: None})],
    "scipy.signal.convolve": [((rng.normal(size=4), rng.normal(size=3)), {0: None, 1: None})],
    **{f"scipy.stats.norm.{name}": [((X, 0.2, 1.5), {0: None, 1: None, 2: None})]
       for name in ("pdf", "logpdf", "cdf", "logcdf", "sf", "logsf")},
    **{f"scipy.stats.t.{name}": [((X, 3.5, 0.2, 1.5), {0: None, 1: None, 2: None, 3: None})]
       for name in ("pdf", "logpdf", "cdf", "logcdf")},
    **{f"scipy.stats.beta.{name}": [((UNIT, 2.0, 3.0), {0: None, 1: None, 2: None})]
       for name in ("pdf", "logpdf", "cdf")},
    **{f"scipy.stats.gamma.{name}": [((POS, 2.5), {0: None, 1: None})]
       for name in ("pdf", "logpdf", "cdf")},
    **{f"scipy.stats.chi2.{name}": [((POS, 3.0), {0: None, 1: None})]
       for name in ("pdf", "logpdf", "cdf")},
    **{f"scipy.stats.dirichlet.{name}": [((onp.array([0.2, 0.3, 0.5]), onp.array([1.5, 2.0, 0.7])),
                                          {0: zero_sum, 1: None})]
       for name in ("pdf", "logpdf")},
    **{f"scipy.stats.poisson.{name}": [((onp.array([0.0, 2.0, 5.0]), 2.5), {1: None})]
       for name in ("pmf", "logpmf", "cdf")},
    **{f"scipy.stats.multivariate_normal.{name}": [((rng.normal(size=2), rng.normal(size=2), spd(2)),
                                                    {0: None, 1: None, 2: symmetric})]
       for name in ("pdf", "logpdf")},
    "scipy.stats.multivariate_normal.entropy": [((rng.normal(size=2), spd(2)), {1: symmetric})],
}


def primitives():
    found = {}
    for name in MODULES:
        module = importlib.import_module(f"teachgrad.scipy.{name}")
        for attr in dir(module):
            value = getattr(module, attr)
            if isinstance(value, Primitive) and value.has_gradient():
                found[getattr(value, "qualified_name", value.name)] = value
    return found


PRIMITIVES = primitives()


def test_every_differentiable_scipy_function_has_a_forward_mode_case():
    missing = set(PRIMITIVES) - set(CASES) - {"scipy.integrate.odeint"}   # odeint: below
    assert not missing, f"add forward-mode cases for {sorted(missing)}"


def moved_one(prim, args, i):
    return lambda xi: prim(*args[:i], xi, *args[i + 1:])


def direction(x, make, seed):
    v = onp.random.default_rng(seed).normal(size=onp.shape(x))
    v = v if make is None else make(v)
    return float(v) if onp.shape(x) == () else v


def reverse_refuses(f, x, order):
    """Does reverse mode refuse this derivative (NoGradientError)?"""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", GradientWarning)     # a zero derivative is fine here
            return _reverse_refuses(f, x, order)
    except NoGradientError:
        return True


def _reverse_refuses(f, x, order):
    try:
        if order == 1:
            vjp, value = make_vjp(f)(x)
            vjp(onp.ones_like(value))
        else:
            grad(lambda y: np.sum(grad(lambda z: np.sum(f(z)))(y)))(x)
    except NoGradientError:
        return True
    return False


CASE_LIST = [(name, k) for name in CASES for k in range(len(CASES[name]))]


@pytest.mark.parametrize("name, k", CASE_LIST, ids=[f"{n}-{k}" for n, k in CASE_LIST])
def test_forward_mode_agrees_with_central_differences_or_refuses_like_reverse_mode(name, k):
    prim = PRIMITIVES[name]
    args, moved = CASES[name][k]
    for i, make in moved.items():
        f, x = moved_one(prim, args, i), args[i]
        v, u = direction(x, make, 1), direction(x, make, 2)
        if reverse_refuses(f, x, 1):
            with pytest.raises(NoGradientError, match="Forward mode|no gradient"):
                make_jvp(f)(x)(v)
            continue
        check_jvp(f, x, v, rtol=1e-5, atol=1e-7)
        if reverse_refuses(f, x, 2):
            with pytest.raises(NoGradientError):
                check_second_order(f, x, v, u)
        else:
            check_second_order(f, x, v, u, rtol=1e-4, atol=1e-6)


def test_odeint_is_refused_in_forward_mode_with_an_explanation():
    from teachgrad.scipy.integrate import odeint
    times = onp.array([0.0, 0.5, 1.0])
    solve = lambda y0: odeint(lambda y, t: -y * t, y0, times)      # noqa: E731
    with pytest.raises(NoGradientError) as info:
        make_jvp(solve)(onp.array([1.0, 2.0]))(onp.array([1.0, 0.0]))
    message = str(info.value)
    assert "scipy.integrate.odeint" in message and "Forward mode" in message
    assert "plain numbers" in message and "reverse mode" in message
    # reverse mode, which it points to, does work
    g = grad(lambda y0: np.sum(solve(y0)[-1]))(onp.array([1.0, 2.0]))
    onp.testing.assert_allclose(g, onp.exp(-0.5) * onp.ones(2), rtol=1e-5)


def test_a_scipy_function_without_any_gradient_is_refused_in_forward_mode():
    from teachgrad.scipy import linalg
    with pytest.raises(NoGradientError, match="expm"):
        make_jvp(linalg.expm)(onp.eye(2))(onp.ones((2, 2)))
