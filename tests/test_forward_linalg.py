"""Forward mode through every function of teachgrad.numpy.linalg: each has a tangent
rule that agrees with central differences (first order, and second order by forward
over forward), on real and complex matrices and on stacks of them, or it is refused
with an explanation. Decompositions are checked output by output, eigenvectors and
singular vectors included, also inside make_jvp(grad(f)) and grad of a jvp."""
import numpy as onp
import pytest

import teachgrad.numpy as np
from teachgrad import deriv, grad, make_jvp
from teachgrad.errors import NoGradientError
from teachgrad.tracing import Primitive
from test_forward_structure import (assert_tangent, central_difference, check_jvp,
                                    check_second_order)

L = np.linalg
rng = onp.random.default_rng(5)


def real(*shape):
    return rng.normal(size=shape)


def cplx(*shape):
    return rng.normal(size=shape) + 1j * rng.normal(size=shape)


def spd(M):
    """A well-conditioned Hermitian positive definite matrix (stack) from M."""
    n = M.shape[-1]
    return M @ onp.conj(onp.swapaxes(M, -1, -2)) + n * onp.eye(n)


def hermitian(M):
    return M + onp.conj(onp.swapaxes(M, -1, -2))


def gauge_free_eigh(out):
    """V diag(w**2) H(V) and |V|: do not depend on the free phase of complex eigenvectors."""
    w, V = out
    return V @ (w[..., :, None] ** 2 * np.conj(np.swapaxes(V, -1, -2))), np.abs(V)


def gauge_free_svd(out):
    U, s, Vh = out
    return U @ (s[..., :, None] ** 2 * Vh), np.abs(U), np.abs(Vh), U @ Vh


b3, B32, SPD3 = real(3), real(3, 2), spd(real(3, 3))
# name -> [(label, function, point)]: every case is checked to first and second order.
CASES = {
    "inv": [("real", L.inv, real(3, 3)), ("complex", L.inv, cplx(3, 3)),
            ("stack", L.inv, real(2, 3, 3))],
    "det": [("real", L.det, real(3, 3)), ("complex", L.det, cplx(3, 3)),
            ("stack", L.det, real(2, 3, 3))],
    "slogdet": [("real", lambda a: L.slogdet(a)[1], real(3, 3)),
                ("complex", lambda a: tuple(L.slogdet(a)), cplx(3, 3))],
    "solve": [("a, vector b", lambda a: L.solve(a, b3), real(3, 3)),
              ("a, matrix b", lambda a: L.solve(a, B32), real(3, 3)),
              ("b", lambda b: L.solve(SPD3, b), real(3, 2)),
              ("stacked a", lambda a: L.solve(a, b3), real(2, 3, 3)),
              ("complex", lambda a: L.solve(a, b3 + 1j), cplx(3, 3))],
    "matrix_power": [(f"n={n}", (lambda a, n=n: L.matrix_power(a, n)), real(3, 3))
                     for n in (0, 1, 3, -1, -2)] +
                    [("complex", lambda a: L.matrix_power(a, 2), cplx(3, 3))],
    "pinv": [("tall", L.pinv, real(4, 3)), ("wide", L.pinv, real(2, 4)),
             ("complex", L.pinv, cplx(3, 2)),
             ("hermitian", lambda a: L.pinv(spd(onp.eye(3)) + a + a.T, hermitian=True), real(3, 3))],
    "cholesky": [("real", lambda a: L.cholesky(a), spd(real(3, 3))),
                 ("upper", lambda a: L.cholesky(a, upper=True), spd(real(3, 3))),
                 ("complex", L.cholesky, spd(cplx(3, 3))),
                 ("stack", L.cholesky, spd(real(2, 3, 3)))],
    "eigh": [("real", lambda a: L.eigh(a), hermitian(real(3, 3))),
             ("upper triangle", lambda a: L.eigh(a, "U"), hermitian(real(3, 3))),
             ("not symmetric: reads one triangle", lambda a: L.eigh(a), real(3, 3)),
             ("stack", lambda a: L.eigh(a), hermitian(real(2, 3, 3))),
             ("complex", lambda a: gauge_free_eigh(L.eigh(a)), hermitian(cplx(3, 3))),
             ("complex, numpy's phase", lambda a: L.eigh(a), hermitian(cplx(3, 3))),
             ("complex, numpy's phase, upper", lambda a: L.eigh(a, "U"), hermitian(cplx(3, 3))),
             ("complex stack", lambda a: L.eigh(a), hermitian(cplx(2, 3, 3)))],
    "eigvalsh": [("real", L.eigvalsh, hermitian(real(3, 3))),
                 ("complex", L.eigvalsh, hermitian(cplx(3, 3)))],
    "eig": [("real", lambda a: L.eig(a), real(3, 3) + 3 * onp.diag([1.0, 2.0, 3.0])),
            ("complex eigenvalues of a real matrix", lambda a: L.eig(a), real(4, 4)),
            ("complex", lambda a: L.eig(a), cplx(3, 3)),
            ("stack", lambda a: L.eig(a), cplx(2, 3, 3))],
    "eigvals": [("real", L.eigvals, real(4, 4)), ("complex", L.eigvals, cplx(3, 3))],
    "svd": [("square", lambda a: L.svd(a), real(3, 3)),
            ("tall", lambda a: L.svd(a, full_matrices=False), real(4, 3)),
            ("wide", lambda a: L.svd(a, full_matrices=False), real(2, 4)),
            ("values only", lambda a: L.svd(a, compute_uv=False), real(4, 2)),
            ("hermitian", lambda a: L.svd(a, hermitian=True), hermitian(real(3, 3))),
            ("stack", lambda a: L.svd(a, full_matrices=False), real(2, 4, 3)),
            ("complex tall", lambda a: gauge_free_svd(L.svd(a, full_matrices=False)), cplx(4, 3)),
            ("complex wide", lambda a: gauge_free_svd(L.svd(a, full_matrices=False)), cplx(2, 3)),
            ("complex, numpy's phase, square", lambda a: L.svd(a), cplx(3, 3)),
            ("complex, numpy's phase, tall", lambda a: L.svd(a, full_matrices=False), cplx(4, 3)),
            ("complex, numpy's phase, wide", lambda a: L.svd(a, full_matrices=False), cplx(2, 4)),
            ("complex, numpy's phase, hermitian", lambda a: L.svd(a, hermitian=True),
             hermitian(cplx(3, 3))),
            ("complex stack", lambda a: L.svd(a, full_matrices=False), cplx(2, 4, 3))],
    "svdvals": [("real", L.svdvals, real(3, 4)), ("complex", L.svdvals, cplx(3, 2))],
    "norm": [(f"vector ord={o}", (lambda x, o=o: L.norm(x, o)), real(4)) for o in (None, 1, 2, 3, -1)] +
            [(f"matrix ord={o}", (lambda x, o=o: L.norm(x, o)), real(3, 3))
             for o in (None, "fro", "nuc", 2, -2, 1, -1, onp.inf)] +
            [("axis", lambda x: L.norm(x, axis=1, keepdims=True), real(3, 4)),
             ("complex", lambda x: L.norm(x), cplx(3))],
    "vector_norm": [("axes", lambda x: L.vector_norm(x, axis=(0, 2), ord=3), real(2, 3, 2))],
    "matrix_norm": [("nuc", lambda x: L.matrix_norm(x, ord="nuc"), real(2, 3, 3))],
    "cond": [("2", L.cond, real(3, 3)), ("fro", lambda x: L.cond(x, "fro"), real(3, 3))],
    "multi_dot": [("three", lambda x: L.multi_dot([x, x.T, x]), real(3, 3))],
    "tensorinv": [("ind=2", lambda x: L.tensorinv(x, 2), real(2, 3, 6) + onp.eye(6).reshape(2, 3, 6))],
    "tensorsolve": [("a", lambda a: L.tensorsolve(a, B32.T),
                     real(2, 3, 2, 3) + onp.eye(6).reshape(2, 3, 2, 3))],
    "matrix_transpose": [("stack", L.matrix_transpose, real(2, 3, 4))],
    "matmul": [("square", lambda x: L.matmul(x, x), real(3, 3))],
    "tensordot": [("axes=1", lambda x: L.tensordot(x, x, axes=1), real(3, 3))],
    "outer": [("vectors", lambda x: L.outer(x, x ** 2), real(3))],
    "vecdot": [("complex", lambda x: L.vecdot(x, x * 2.0), cplx(2, 3))],
    "trace": [("offset", lambda x: L.trace(x ** 2, offset=1), real(2, 3, 3))],
    "diagonal": [("stack", lambda x: L.diagonal(x ** 3), real(2, 3, 3))],
    "cross": [("vectors", lambda x: L.cross(x, x ** 2), real(3))],
}
# Functions with no derivative to take, or none that teachgrad knows: refused (see below).
REFUSED = {"qr": lambda a: L.qr(a)[0], "lstsq": lambda a: L.lstsq(a, b3)[0]}
NOT_DIFFERENTIABLE = {"matrix_rank"}                  # an integer


def test_every_function_of_np_linalg_is_checked_here():
    public = {name for name in dir(L) if not name.startswith("_") and callable(getattr(L, name))
              and not isinstance(getattr(L, name), type) and name != "test"}
    internal = {name for name in public if name.endswith("_packed") or name == "log_det"}
    unclassified = public - internal - set(CASES) - set(REFUSED) - NOT_DIFFERENTIABLE
    assert not unclassified, f"add forward-mode tests for {sorted(unclassified)}"
    for name in internal:          # every primitive behind them has a rule of its own
        prim = getattr(L, name)
        assert isinstance(prim, Primitive) and 0 in prim.jvp_makers, name


ALL = [(name, label, f, x) for name, cases in CASES.items() for (label, f, x) in cases]
IDS = [f"{name}-{label}" for name, label, _, _ in ALL]


def direction(x, seed):
    r = onp.random.default_rng(seed)
    v = r.normal(size=onp.shape(x))
    return v + 1j * r.normal(size=onp.shape(x)) if onp.iscomplexobj(x) else v


@pytest.mark.parametrize("name, label, f, x", ALL, ids=IDS)
def test_first_order(name, label, f, x):
    check_jvp(f, x, direction(x, 1), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("name, label, f, x", ALL, ids=IDS)
def test_second_order_forward_over_forward(name, label, f, x):
    check_second_order(f, x, direction(x, 1), direction(x, 2), rtol=1e-5, atol=1e-6)


def test_the_eigenvector_example_of_issue_10():
    S = onp.array([[2.0, 1.0], [1.0, 3.0]])
    V = onp.array([[0.0, 1.0], [1.0, 0.0]])
    f = lambda t: np.linalg.eigh(S + t * V)[1][:, 0]          # noqa: E731
    onp.testing.assert_allclose(deriv(f)(0.0), central_difference(f, 0.0, 1.0), rtol=1e-7)
    assert onp.all(onp.abs(deriv(f)(0.0)) > 0.1)


def test_eig_vectors_follow_numpys_own_phase():
    """numpy makes the largest entry of each complex eigenvector real: the tangent keeps it so."""
    a, v = cplx(3, 3), direction(cplx(3, 3), 3)
    _, tangent = make_jvp(lambda a: L.eig(a)[1])(a)(v)
    U = onp.linalg.eig(a)[1]
    top = onp.argmax(onp.abs(U), axis=0)
    assert onp.allclose(onp.imag(tangent[top, range(3)]), 0.0, atol=1e-12)
    assert onp.allclose(onp.real(onp.sum(onp.conj(U) * tangent, axis=0)), 0.0, atol=1e-12)  # |u| = 1


# --------------------------------------------------------------------------
# Through the gradient: make_jvp(grad(f)) and grad of a jvp
# --------------------------------------------------------------------------

WEIGHTS = real(3, 3)
SCALAR = {
    "eigh vectors": (lambda a: np.sum(L.eigh(a)[1] ** 2 * WEIGHTS) + np.sum(L.eigh(a)[0] ** 3),
                     hermitian(real(3, 3))),
    "eig vectors": (lambda a: np.sum(np.real(L.eig(a)[1]) * WEIGHTS) + np.sum(np.real(L.eig(a)[0]) ** 2),
                    real(3, 3) + 3 * onp.diag([1.0, 2.0, 3.0])),
    "svd U and Vh": (lambda a: np.sum(L.svd(a)[0] * WEIGHTS) + np.sum(L.svd(a)[2] ** 3 * WEIGHTS),
                     real(3, 3)),
    "cholesky": (lambda a: np.sum(L.cholesky(a) * WEIGHTS), spd(real(3, 3))),
    "slogdet and inv": (lambda a: L.slogdet(a)[1] * np.sum(L.inv(a) * WEIGHTS), real(3, 3)),
}


@pytest.mark.parametrize("name", SCALAR)
def test_forward_over_reverse_through_decompositions(name):
    f, a = SCALAR[name]
    v = direction(a, 4)
    assert_tangent(make_jvp(grad(f))(a)(v)[1], central_difference(grad(f), a, v, h=1e-5),
                   rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", SCALAR)
def test_reverse_over_forward_through_decompositions(name):
    f, a = SCALAR[name]
    v, u = direction(a, 5), direction(a, 6)
    directional = lambda a: make_jvp(f)(a)(v)[1]               # noqa: E731
    gradient = grad(directional)(a)
    assert gradient.shape == a.shape
    assert onp.sum(gradient * u) == pytest.approx(float(central_difference(directional, a, u, h=1e-5)),
                                                  rel=1e-5, abs=1e-6)


# --------------------------------------------------------------------------
# Refusals
# --------------------------------------------------------------------------

@pytest.mark.parametrize("name", REFUSED)
def test_functions_without_a_derivative_are_refused_in_forward_mode(name):
    with pytest.raises(NoGradientError) as info:
        make_jvp(REFUSED[name])(real(3, 3))(real(3, 3))
    message = str(info.value)
    assert f"np.linalg.{name}" in message and "Forward mode" in message
    assert "Why:" in message and "defjvp" in message


def test_full_svd_of_a_rectangular_matrix_is_refused_in_forward_mode_too():
    with pytest.raises(NoGradientError, match="full_matrices=False"):
        make_jvp(lambda a: L.svd(a)[0])(real(3, 2))(real(3, 2))


def test_repeated_eigenvalues_give_no_made_up_eigenvectors():
    a = onp.diag([1.0, 1.0, 2.0])
    v = hermitian(real(3, 3))
    w_dot = make_jvp(L.eigvalsh)(a)(v)[1]
    # The two equal eigenvalues split along v: only their sum has a derivative.
    assert w_dot[0] + w_dot[1] == pytest.approx(v[0, 0] + v[1, 1], rel=1e-12)
    assert w_dot[2] == pytest.approx(v[2, 2], rel=1e-12)
    V_dot = make_jvp(lambda a: L.eigh(a)[1])(a)(v)[1]
    assert not onp.all(onp.isfinite(V_dot))          # no derivative there: not a wrong number


def test_make_jvp_reversemode_through_eigenvectors():
    from teachgrad import make_jvp_reversemode
    S = onp.array([[2.0, 1.0], [1.0, 3.0]])
    V = onp.array([[0.0, 1.0], [1.0, 0.0]])
    f = lambda t: np.linalg.eigh(S + t * V)[1][:, 0]          # noqa: E731
    onp.testing.assert_allclose(make_jvp_reversemode(f)(0.0)(1.0)[1], central_difference(f, 0.0, 1.0),
                                rtol=1e-7)


COMPLEX_SCALAR = {
    "eig": lambda a: np.sum(np.real(L.eig(a)[1] * WEIGHTS)),
    "eigh": lambda a: np.sum(np.imag(L.eigh(a + np.conj(a.T))[1] * WEIGHTS)),
    "svd": lambda a: np.sum(np.real(L.svd(a)[0] * WEIGHTS) + np.imag(L.svd(a)[2] * WEIGHTS)),
}


@pytest.mark.parametrize("name", COMPLEX_SCALAR)
def test_forward_over_reverse_of_phase_dependent_complex_functions(name):
    """The gradient of a function of complex vectors depends on their phase; forward mode
    follows numpy's phase, so it differentiates the gradient exactly as computed."""
    f, a, v = COMPLEX_SCALAR[name], cplx(3, 3), direction(cplx(3, 3), 7)
    assert_tangent(make_jvp(grad(f))(a)(v)[1], central_difference(grad(f), a, v, h=1e-6),
                   rtol=1e-6, atol=1e-7)
