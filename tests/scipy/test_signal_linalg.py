"""teachgrad.scipy.signal.convolve, teachgrad.scipy.linalg and
teachgrad.scipy.integrate.odeint: values against SciPy (and autograd's
convolve), gradients against finite differences (first and second order) and
against autograd's own.

Run with TEACHGRAD_TEST_BACKEND=autograd to check the tests on autograd.scipy.
"""
import importlib

import numpy as onp
import pytest

scipy_signal = pytest.importorskip("scipy.signal")   # scipy is in the dev extra
import scipy.linalg as scipy_linalg

from gradcheck import BACKEND, autograd_lacks, check_grads, grad, np, rand

signal = importlib.import_module(f"{BACKEND}.scipy.signal")
linalg = importlib.import_module(f"{BACKEND}.scipy.linalg")
integrate = importlib.import_module(f"{BACKEND}.scipy.integrate")

pytestmark = pytest.mark.filterwarnings("ignore:Output seems independent of input")


# --------------------------------------------------------------------------
# convolve
# --------------------------------------------------------------------------

SHAPES = [((5,), (3,)), ((3,), (5,)), ((4,), (4,)), ((4, 5), (2, 3)), ((3, 4), (3, 2))]


@pytest.mark.parametrize("mode", ["full", "valid", "same"])
@pytest.mark.parametrize("sa, sb", SHAPES, ids=[f"{a}*{b}" for a, b in SHAPES])
def test_convolve_matches_scipy_and_differentiates(sa, sb, mode):
    if mode == "valid" and not (all(a >= b for a, b in zip(sa, sb)) or all(a <= b for a, b in zip(sa, sb))):
        pytest.skip("'valid' needs one array at least as large as the other along every axis")
    A, B = rand(sa, seed=1), rand(sb, seed=2)
    onp.testing.assert_allclose(signal.convolve(A, B, mode=mode),
                                scipy_signal.convolve(A, B, mode=mode), rtol=1e-12, atol=1e-14)
    check_grads(lambda A, B: signal.convolve(A, B, mode=mode), A, B)


@pytest.mark.parametrize("mode", ["full", "valid", "same"])
def test_convolve_with_dot_axes_like_a_convolutional_layer(mode):
    images = rand((2, 3, 5, 4), seed=3)             # batch, channels in, height, width
    kernels = rand((3, 2, 2, 3), seed=4)            # channels in, channels out, kh, kw
    conv = lambda x, k: signal.convolve(x, k, axes=([2, 3], [2, 3]), dot_axes=([1], [0]), mode=mode)  # noqa: E731
    out = conv(images, kernels)
    assert out.shape[:2] == (2, 2)                  # A's kept axes, B's kept axes, conv axes
    check_grads(conv, images, kernels, order=1)
    check_grads(conv, images[:1, :2, :3, :3], kernels[:2, :1], order=2)


def test_convolve_equals_autograds():
    ag = pytest.importorskip("autograd")
    from autograd.scipy.signal import convolve as ag_convolve
    A, B = rand((2, 3, 5, 4), seed=5), rand((3, 2, 2, 3), seed=6)
    kw = dict(axes=([2, 3], [2, 3]), dot_axes=([1], [0]), mode="valid")
    onp.testing.assert_allclose(signal.convolve(A, B, **kw), ag_convolve(A, B, **kw), rtol=1e-12)
    for argnum in (0, 1):
        got = grad(lambda a, b: np.sum(np.sin(signal.convolve(a, b, **kw))), argnum)(A, B)
        expected = ag.grad(lambda a, b: ag.numpy.sum(ag.numpy.sin(ag_convolve(a, b, **kw))),
                           argnum)(A, B)
        onp.testing.assert_allclose(got, expected, rtol=1e-10)


# --------------------------------------------------------------------------
# linalg
# --------------------------------------------------------------------------

def spd(A):
    """Symmetric positive definite, from any square A."""
    return np.dot(A, A.T) + A.shape[0] * onp.eye(A.shape[0])


def test_sqrtm():
    A = rand((3, 3), seed=7)
    S = linalg.sqrtm(spd(A))
    onp.testing.assert_allclose(onp.dot(S, S), spd(A), rtol=1e-10)
    check_grads(lambda A: linalg.sqrtm(spd(A)), A)
    # a general (non-symmetric) matrix with a real square root
    M = rand((3, 3), seed=8) + 3 * onp.eye(3)
    check_grads(linalg.sqrtm, M)


def test_solve_sylvester():
    a = rand((3, 3), seed=9) + 3 * onp.eye(3)
    b = rand((2, 2), seed=10) + 3 * onp.eye(2)
    q = rand((3, 2), seed=11)
    X = linalg.solve_sylvester(a, b, q)
    onp.testing.assert_allclose(onp.dot(a, X) + onp.dot(X, b), q, atol=1e-12)
    check_grads(linalg.solve_sylvester, a, b, q)


@pytest.mark.parametrize("lower", [True, False])
@pytest.mark.parametrize("trans", [0, 1, "T", "N"])
@pytest.mark.parametrize("b_shape", [(3,), (3, 2)])
def test_solve_triangular(lower, trans, b_shape):
    tri = onp.tril if lower else onp.triu
    a = tri(rand((3, 3), seed=12)) + 3 * onp.eye(3)
    b = rand(b_shape, seed=13)
    onp.testing.assert_allclose(linalg.solve_triangular(a, b, trans=trans, lower=lower),
                                scipy_linalg.solve_triangular(a, b, trans=trans, lower=lower))
    check_grads(lambda a, b: linalg.solve_triangular(a, b, trans=trans, lower=lower), a, b)


@autograd_lacks("the unit_diagonal option in the gradient of solve_triangular")
def test_solve_triangular_unit_diagonal():
    a = onp.tril(rand((3, 3), seed=14))
    b = rand((3,), seed=15)
    check_grads(lambda a, b: linalg.solve_triangular(a, b, lower=True, unit_diagonal=True), a, b)


@pytest.mark.parametrize("l_and_u", [(1, 1), (1, 0), (0, 2), (2, 1)])
@pytest.mark.parametrize("b_shape", [(5,), pytest.param(
    (5, 2), marks=autograd_lacks("solve_banded gradients for a 2-D right-hand side"))])
def test_solve_banded(l_and_u, b_shape):
    lower, upper = l_and_u
    ab = rand((lower + upper + 1, 5), seed=16)
    ab[upper] += 4.0                                 # a strong main diagonal: well conditioned
    b = rand(b_shape, seed=17)
    onp.testing.assert_allclose(linalg.solve_banded(l_and_u, ab, b),
                                scipy_linalg.solve_banded(l_and_u, ab, b), rtol=1e-12)
    # the entries of ab outside the matrix are not read: differentiate the others only
    mask = onp.ones_like(ab)
    for r in range(lower + upper + 1):
        k = r - upper
        if k < 0:
            mask[r, :-k] = 0
        elif k > 0:
            mask[r, 5 - k:] = 0
    check_grads(lambda ab, b: linalg.solve_banded(l_and_u, ab * mask, b), ab, b)


@autograd_lacks("a gradient for scipy.linalg.cholesky")
@pytest.mark.parametrize("lower", [True, False])
def test_cholesky(lower):
    A = rand((3, 3), seed=18)
    onp.testing.assert_allclose(linalg.cholesky(spd(A), lower=lower),
                                scipy_linalg.cholesky(spd(A), lower=lower))
    check_grads(lambda A: linalg.cholesky(spd(A), lower=lower), A)


def test_linalg_gradients_equal_autograds():
    ag = pytest.importorskip("autograd")
    ag_linalg = importlib.import_module("autograd.scipy.linalg")
    a = onp.tril(rand((3, 3), seed=19)) + 3 * onp.eye(3)
    b = rand((3, 2), seed=20)
    for argnum in (0, 1):
        got = grad(lambda a, b: np.sum(np.sin(linalg.solve_triangular(a, b, lower=True))), argnum)(a, b)
        expected = ag.grad(lambda a, b: ag.numpy.sum(ag.numpy.sin(
            ag_linalg.solve_triangular(a, b, lower=True))), argnum)(a, b)
        onp.testing.assert_allclose(got, expected, rtol=1e-10)
    M = rand((3, 3), seed=21) + 3 * onp.eye(3)
    onp.testing.assert_allclose(
        grad(lambda M: np.sum(np.sin(linalg.sqrtm(M))))(M),
        ag.grad(lambda M: ag.numpy.sum(ag.numpy.sin(ag_linalg.sqrtm(M))))(M), rtol=1e-8)


@pytest.mark.skipif(BACKEND != "teachgrad", reason="teachgrad's own error message")
def test_a_scipy_linalg_function_without_gradient_says_so():
    from teachgrad.errors import NoGradientError
    assert onp.allclose(linalg.inv(onp.eye(2) * 2), onp.eye(2) / 2)
    with pytest.raises(NoGradientError, match="scipy.linalg.inv"):
        grad(lambda a: np.sum(linalg.inv(a)))(onp.eye(2) * 2)


# --------------------------------------------------------------------------
# odeint
# --------------------------------------------------------------------------

def test_odeint():
    def dynamics(y, t, A, c):
        return np.dot(A, y) * c + np.sin(t)

    y0 = onp.array([1.0, 0.5])
    times = onp.array([0.0, 0.4, 1.0])
    A = onp.array([[-0.5, 0.3], [-0.2, -0.4]])
    tol = dict(rtol=1e-10, atol=1e-10)

    builtins = importlib.import_module(f"{BACKEND}.builtins")

    def solve(y0, times, A, c):
        # autograd needs its builtins.tuple to trace the args; in teachgrad it is Python's tuple
        return integrate.odeint(dynamics, y0, times, builtins.tuple((A, c)), **tol)

    # forward mode through odeint is refused (explained; odeint is a reverse-mode rule)
    check_grads(solve, y0, times, A, 0.8, order=1, rtol=1e-4, atol=1e-6, modes=["rev"])


# --------------------------------------------------------------------------
# teachgrad.test_util on these primitives: forward and reverse mode, order 2
# --------------------------------------------------------------------------

@pytest.mark.skipif(BACKEND != "teachgrad", reason="autograd.scipy lacks some forward-mode rules")
def test_test_util_check_grads_in_both_modes():
    from teachgrad.scipy import special, stats
    from teachgrad.test_util import check_grads as check_both_modes
    onp.random.seed(0)
    x = onp.array([0.5, 1.2, 2.0])
    a = onp.tril(rand((3, 3), seed=30)) + 3 * onp.eye(3)
    check_both_modes(special.gammaln)(x)
    check_both_modes(lambda x: special.logsumexp(np.reshape(x, (1, 3)), axis=1))(x)
    check_both_modes(stats.norm.logpdf, (0, 1, 2))(x, 0.3, 1.5)
    check_both_modes(linalg.solve_triangular, (0, 1))(a, x)
    check_both_modes(lambda A, B: signal.convolve(A, B, mode="same"), (0, 1))(x, onp.array([1.0, 2.0]))
    check_both_modes(linalg.sqrtm)(onp.dot(a, a.T))
