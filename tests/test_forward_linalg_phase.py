"""Reverse mode of eigh, eig and svd agrees with forward mode and with finite differences,
to second order, for functions that depend on the phase numpy gives complex eigenvectors and
singular vectors, and for functions whose eigenvector gradient vanishes at the point only."""
import numpy as onp
import pytest

import teachgrad.numpy as np
from teachgrad.test_util import check_grads

L = np.linalg
rng = onp.random.default_rng(11)


def cplx(*shape):
    return rng.normal(size=shape) + 1j * rng.normal(size=shape)


def hermitian(M):
    return M + onp.conj(onp.swapaxes(M, -1, -2))


W = cplx(4, 4)


def weigh(X):
    """A real number that depends on the phase of every column of X."""
    return np.sum(np.real(X * W[:X.shape[-2], :X.shape[-1]]) + np.imag(X) ** 2 * 0.3)


def svd_vectors(full=False, hermitian=False):
    def f(a):
        U, s, Vh = L.svd(a, full_matrices=full, hermitian=hermitian)
        return weigh(U) + weigh(np.swapaxes(Vh, -1, -2)) * 0.7 + np.sum(s)
    return f


PHASE = {
    "eigh": (lambda a: weigh(L.eigh(a)[1]), hermitian(cplx(3, 3))),
    "eigh upper": (lambda a: weigh(L.eigh(a, UPLO="U")[1]), hermitian(cplx(3, 3))),
    "eigh stack": (lambda a: weigh(L.eigh(a)[1][1]), hermitian(cplx(2, 3, 3))),
    "eig": (lambda a: weigh(L.eig(a)[1]), cplx(3, 3)),
    "eig of a real matrix": (lambda a: weigh(L.eig(a)[1]), rng.normal(size=(4, 4))),
    "svd square": (svd_vectors(), cplx(3, 3)),
    "svd tall": (svd_vectors(), cplx(4, 3)),
    "svd wide": (svd_vectors(), cplx(2, 4)),
    "svd U only, wide": (lambda a: weigh(L.svd(a, full_matrices=False)[0]), cplx(2, 3)),
    "svd Vh only, tall": (lambda a: weigh(L.svd(a, full_matrices=False)[2]), cplx(3, 2)),
    "svd hermitian": (svd_vectors(hermitian=True), hermitian(cplx(3, 3))),
    "svd stack": (svd_vectors(), cplx(2, 3, 2)),
}


@pytest.mark.parametrize("name", PHASE)
def test_gradients_follow_numpys_phase(name):
    f, a = PHASE[name]
    check_grads(f, modes=["fwd", "rev"], order=2)(a)


def test_eigh_phase_example_of_the_bug_report():
    """grad of a phase-dependent function of eigh's vectors: -0.673 by finite differences
    (teachgrad used to give -0.659, the gradient for another phase convention)."""
    from teachgrad import grad
    A = hermitian(cplx(3, 3))
    f = PHASE["eigh"][0]
    v = cplx(3, 3)
    v = (v + onp.conj(v.T)) / 2
    h = 1e-6
    numeric = (f(A + h * v) - f(A - h * v)) / (2 * h)
    g = grad(f)(A)
    assert abs(onp.real(onp.sum(g * v)) - numeric) < 1e-6


# f = (trace(A) - trace(A0)) * (something of the vectors): at A0 the vectors' gradient
# is zero, but not nearby, so the Hessian needs their term.
A0 = {"eigh": hermitian(rng.normal(size=(3, 3))), "eig": rng.normal(size=(3, 3)),
      "svd": rng.normal(size=(3, 2)), "eigh complex": hermitian(cplx(3, 3)),
      "svd complex": cplx(2, 3)}
VECTORS = {
    "eigh": lambda a: np.sum(L.eigh(a)[1] * W[:3, :3].real),
    "eig": lambda a: np.sum(np.abs(L.eig(a)[1]) ** 2 * W[:3, :3].real),
    "svd": lambda a: np.sum(L.svd(a, full_matrices=False)[0] ** 2 * W[:3, :2].real),
    "eigh complex": lambda a: weigh(L.eigh(a)[1]),
    "svd complex": lambda a: weigh(L.svd(a, full_matrices=False)[2]),
}


@pytest.mark.parametrize("name", VECTORS)
def test_vectors_whose_gradient_vanishes_only_at_the_point(name):
    a0 = A0[name]
    t0 = onp.trace(a0)
    check_grads(lambda a: np.real(np.trace(a) - t0) * VECTORS[name](a),
                modes=["fwd", "rev"], order=2)(a0)
