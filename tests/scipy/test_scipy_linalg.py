"""teachgrad.scipy.linalg: values against SciPy, gradients against finite differences (first
and second order) and against autograd's own.

Run with TEACHGRAD_TEST_BACKEND=autograd to check the tests on autograd.scipy.
"""
import importlib

import numpy as onp
import pytest

scipy_linalg = pytest.importorskip("scipy.linalg")   # scipy is in the dev extra

from gradcheck import BACKEND, autograd_lacks, check_grads, grad, np, rand

linalg = importlib.import_module(f"{BACKEND}.scipy.linalg")

pytestmark = pytest.mark.filterwarnings("ignore:Output seems independent of input")


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
