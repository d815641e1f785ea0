"""Every option of every differentiable teachgrad.scipy function is followed or refused (issue 10).

teachgrad/scipy/_options.py classifies each parameter; these tests walk the
functions' own signatures (a new function or parameter fails until it is
classified), check every followed option with finite differences, and every
refused one for a readable error, by keyword and by position.
"""
from __future__ import annotations

import importlib
import inspect
import warnings

import numpy as onp
import pytest

pytest.importorskip("scipy")

from gradcheck import BACKEND, check_grads, np, rand

pytestmark = [
    pytest.mark.skipif(BACKEND != "teachgrad", reason="checks teachgrad's own option table"),
    pytest.mark.filterwarnings("ignore:Output seems independent of input"),
]

if BACKEND == "teachgrad":
    from teachgrad import grad, make_vjp
    from teachgrad.graph import Node
    from teachgrad.scipy import _options, linalg, signal, special
    from teachgrad.scipy.stats import multivariate_normal, norm
    from teachgrad.tracing import Primitive

MODULES = ["special", "linalg", "signal", "stats.norm", "stats.t", "stats.beta", "stats.gamma", "stats.chi2",
           "stats.poisson", "stats.dirichlet", "stats.multivariate_normal"]


def differentiable():
    names = set()
    for module in MODULES:
        mod = importlib.import_module(f"teachgrad.scipy.{module}")
        for name in dir(mod):
            obj = getattr(mod, name)
            own = getattr(obj, "qualified_name", "") == f"scipy.{module}.{name}"      # (not psi imported by stats)
            if own and isinstance(obj, Primitive) and (obj.vjp_makers or obj.vjp_argnums_maker):
                names.add(f"{module}.{name}")
    return names


def test_every_parameter_of_every_differentiable_scipy_function_is_classified():
    functions = differentiable()
    assert functions == set(_options.ENTRIES), (
        f"missing from teachgrad/scipy/_options.py: {sorted(functions - set(_options.ENTRIES))}; "
        f"listed but not differentiable: {sorted(set(_options.ENTRIES) - functions)}")
    unclassified = {}
    for name in sorted(functions):
        entry = _options.ENTRIES[name]
        params = _options.parameters(_options.function(name))
        assert params is not None, name
        extra = [p.name for p in params if p.name not in entry.names()]
        if extra:
            unclassified[name] = extra
        known = {p.name for p in params} | _options.THROUGH_KWARGS.get(name, set())
        assert entry.names() <= known, (name, entry.names() - known)
    assert not unclassified, f"parameters not classified in teachgrad/scipy/_options.py: {unclassified}"


def test_array_column_holds_the_arguments_with_gradients():
    for name in sorted(differentiable()):
        fun = _options.function(name)
        if fun.vjp_argnums_maker is not None:
            continue
        positional = [p.name for p in _options.parameters(fun) if p.kind != p.KEYWORD_ONLY]
        entry = _options.ENTRIES[name]       # (a refused option may carry a maker that explains)
        assert {positional[i] for i in fun.vjp_makers} <= set(entry.arrays) | set(entry.refused), name


def u(*shape, lo=-1.0, hi=1.0, seed=0):
    return rand(shape, lo, hi, seed=seed)


SPD = onp.array([[2.0, 0.3, 0.1], [0.3, 1.5, -0.2], [0.1, -0.2, 1.8]])
UPPER = onp.triu(u(3, 3, seed=3)) + 2.0 * onp.eye(3)
BANDED = onp.array([[0.0, 0.3, -0.2], [2.0, 1.8, 2.2], [0.4, 0.1, 0.0]])   # (1, 1) bands of a 3 x 3 matrix

CASES = {
    "special.logsumexp": [(lambda a: special.logsumexp(a, axis=1, keepdims=True) ** 2, (u(2, 3),)),
                          (lambda a, b: special.logsumexp(a, axis=0, b=b, return_sign=False), (u(2, 3), u(2, 3, lo=0.5)))],
    "linalg.cholesky": [(lambda a: linalg.cholesky(a + SPD, lower=True, check_finite=False), (0.1 * u(3, 3),))],
    "linalg.sqrtm": [(lambda a: linalg.sqrtm(a + SPD, blocksize=2), (0.1 * u(3, 3),))],
    "linalg.solve_triangular": [
        (lambda a, b: linalg.solve_triangular(a + UPPER, b, trans=1, lower=False, unit_diagonal=False,
                                              check_finite=True), (0.1 * u(3, 3), u(3))),
        (lambda a, b: linalg.solve_triangular(a + UPPER.T, b, 0, True, True), (0.1 * u(3, 3), u(3, 2)))],
    "linalg.solve_banded": [(lambda ab, b: linalg.solve_banded(l_and_u=(1, 1), ab=ab + BANDED, b=b,
                                                               check_finite=True), (0.1 * u(3, 3), u(3)))],
    "signal.convolve": [(lambda a, b: signal.convolve(a, b, axes=([1], [0]), dot_axes=([0], [1]), mode="valid"),
                         (u(2, 4), u(3, 2)))],
    "stats.multivariate_normal.logpdf": [(lambda x: multivariate_normal.logpdf(x, onp.zeros(3), SPD,
                                                                               allow_singular=False), (u(3),))],
    "stats.multivariate_normal.pdf": [(lambda x: multivariate_normal.pdf(x, [0.0, 0.5, 0.0], SPD.tolist(),
                                                                         allow_singular=False), (u(3),)),
                                      (lambda x: multivariate_normal.pdf(x * [1.0, 1.0, 0.0], None,
                                                                         SPD * [1.0, 1.0, 0.0] * [[1.0], [1.0], [0.0]],
                                                                         allow_singular=True), (u(3),))],
}


def _recorded(fun, args):
    seen = set()
    saved = []

    def recorder(qualified, original):
        signature = inspect.signature(original.fun)

        def call(*a, **k):
            if any(isinstance(v, Node) for v in list(a) + list(k.values())):
                seen.update((qualified, p) for p in signature.bind_partial(*a, **k).arguments)
                seen.update((qualified, p) for p in k)
            return original(*a, **k)
        return call
    for qualified in CASES:
        module, _, name = qualified.rpartition(".")
        mod = importlib.import_module(f"teachgrad.scipy.{module}")
        saved.append((mod, name, getattr(mod, name)))
        setattr(mod, name, recorder(qualified, getattr(mod, name)))
    try:
        for k in range(len(args)):
            make_vjp(fun, k)(*args)
    finally:
        for mod, name, original in saved:
            setattr(mod, name, original)
    return seen


def test_every_followed_option_is_used_by_a_checked_case():
    used = set()
    for cases in CASES.values():
        for fun, args in cases:
            used |= _recorded(fun, args)
    missing = {name: sorted(o for o in entry.followed if (name, o) not in used)
               for name, entry in _options.ENTRIES.items() if entry.followed}
    missing = {k: v for k, v in missing.items() if v}
    assert not missing, f"followed options without a finite-difference case in CASES: {missing}"


@pytest.mark.parametrize("name,i", [(n, i) for n in sorted(CASES) for i in range(len(CASES[n]))])
def test_followed_option_gradient(name, i):
    fun, args = CASES[name][i]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        check_grads(fun, *args, order=2)


SENTINEL = object()


def _refused():
    for name in sorted(_options.ENTRIES):
        for option in _options.ENTRIES[name].refused:
            yield pytest.param(name, option, id=f"{name}-{option}")


@pytest.mark.parametrize("name,option", list(_refused()))
def test_refused_option_raises_an_explanation(name, option):
    fun = _options.function(name)
    params = _options.parameters(fun)
    names = [p.name for p in params]
    x = onp.array([0.5, 0.25, 0.75])
    calls = [lambda x: fun(x, **{option: SENTINEL})]
    index = names.index(option) if option in names else -1
    if index > 0 and params[index].kind != params[index].KEYWORD_ONLY:
        calls.append(lambda x: fun(x, *[p.default if p.default is not p.empty else x for p in params[1:index]],
                                   SENTINEL))
    for call in calls:
        with pytest.raises(TypeError, match=f"{option}=") as info:
            grad(lambda x: np.sum(call(x)))(x)
        assert "Why:" in str(info.value) and "Instead:" in str(info.value)


def test_list_constants_in_array_positions():
    x = onp.array([0.3, -0.2])
    check_grads(lambda x: norm.logpdf(x, [0.0, 0.5], (1.0, 2.0)), x, order=2)
    check_grads(lambda s: norm.logpdf([0.3, -0.2], 0.0, s), onp.array([1.0, 2.0]), order=2)
    check_grads(lambda b: special.logsumexp([[0.5, 1.0], [0.2, -0.1]], b=b), onp.array([1.0, 2.0]), order=2)


def test_scipy_linalg_refuses_overwriting_a_traced_array():
    """Even without a gradient, overwrite_a=True would let LAPACK write into the traced array."""
    from teachgrad.errors import RefusedOptionError
    guarded = [name for name in dir(linalg) if isinstance(getattr(linalg, name), Primitive)
               and any(p.name.startswith("overwrite") for p in _options.parameters(getattr(linalg, name)) or [])]
    assert len(guarded) > 20
    for name in guarded:
        fun = getattr(linalg, name)
        option = next(p.name for p in _options.parameters(fun) if p.name.startswith("overwrite"))
        with pytest.raises(RefusedOptionError, match=option):
            grad(lambda a: np.sum(a) + 0.0 * np.sum(fun(a * 1.0, **{option: True})))(2.0 * onp.eye(2))
    a = onp.array([[4.0, 1.0], [1.0, 3.0]])
    before = a.copy()
    check_grads(lambda a: linalg.cholesky(a, lower=True, overwrite_a=False), a, order=1)
    onp.testing.assert_array_equal(a, before)
