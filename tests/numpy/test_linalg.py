"""np.linalg: values against numpy, 1st and 2nd derivatives against finite differences.

Inputs are chosen where the functions are smooth: well-conditioned matrices
(random + n * identity) for inv/solve/det, Hermitian positive definite ones
(distinct eigenvalues) for cholesky/eigh, random ones (distinct singular
values) for svd. Eigenvectors and singular vectors are only defined up to a
sign (a phase, for complex matrices), so their tests differentiate functions
that do not depend on it (|V|**2, U @ Vh, V diag(w) V^T), as autograd's
own tests do.
"""


import numpy as onp
import pytest

from gradcheck import autograd_lacks, check_grads, grad, np, rand, rand_away_from_zero, rand_complex

pytestmark = pytest.mark.filterwarnings("ignore:Output seems independent of input")


def random(shape, seed=0, complex_=False):
    return rand_complex(shape, seed=seed) if complex_ else rand(shape, seed=seed)


def well_conditioned(shape, seed=0, complex_=False):
    return random(shape, seed, complex_) + shape[-1] * onp.eye(shape[-1])


def positive_definite(shape, seed=0, complex_=False):
    a = random(shape, seed, complex_)
    return a @ onp.conj(onp.swapaxes(a, -1, -2)) + shape[-1] * onp.eye(shape[-1])


def T(x):
    return np.swapaxes(x, -1, -2)


def sym(x):
    """The Hermitian part: for checking functions of Hermitian matrices in any engine."""
    return 0.5 * (x + np.conj(T(x)))


def _check_value(got, expected):
    onp.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)
    assert onp.shape(got) == onp.shape(expected)


def _abs2(z):
    """|z|**2, smooth everywhere (np.abs is not at 0)."""
    return np.real(z * np.conj(z))


def _rebuild(a, uplo):
    """V diag(sin(w)) H(V): a function of A that does not depend on the eigenvectors' phases."""
    w, v = np.linalg.eigh(a, uplo)
    return (v * np.expand_dims(np.sin(w), -2)) @ np.conj(T(v))


def _polar(a, **svd_kwargs):
    """U @ Vh: the unitary factor of the polar decomposition, free of the SVD's phases."""
    u, _, vh = np.linalg.svd(a, **svd_kwargs)
    return u @ vh


SQUARE = [(1, 1), (3, 3), (2, 3, 3), (2, 1, 2, 2)]


# --------------------------------------------------------------------------
# inv, det, slogdet
# --------------------------------------------------------------------------

@pytest.mark.parametrize("complex_", [False, True], ids=["real", "complex"])
@pytest.mark.parametrize("shape", SQUARE, ids=str)
def test_inv(shape, complex_):
    a = well_conditioned(shape, seed=1, complex_=complex_)
    _check_value(np.linalg.inv(a), onp.linalg.inv(a))
    check_grads(np.linalg.inv, a)


def test_inv_in_a_nonlinear_function():
    a = well_conditioned((3, 3), seed=2)
    check_grads(lambda a: np.tanh(np.linalg.inv(np.sin(a) + 3.0 * a)), a)


@pytest.mark.parametrize("complex_", [False, True], ids=["real", "complex"])
@pytest.mark.parametrize("shape", SQUARE, ids=str)
def test_det(shape, complex_):
    a = well_conditioned(shape, seed=3, complex_=complex_)
    _check_value(np.linalg.det(a), onp.linalg.det(a))
    check_grads(np.linalg.det, a)


def test_det_gradient_is_cofactor_matrix():
    a = well_conditioned((3, 3), seed=4)
    expected = onp.linalg.det(a) * onp.linalg.inv(a).T
    onp.testing.assert_allclose(grad(np.linalg.det)(a), expected, rtol=1e-12)


@pytest.mark.parametrize("shape", [(3, 3), (2, 3, 3)], ids=str)
@pytest.mark.parametrize("negative", [False, True])
def test_slogdet_real(shape, negative):
    a = well_conditioned(shape, seed=5)
    if negative:
        a = a * onp.array([-1.0] + [1.0] * (shape[-1] - 1))   # flip a column: det < 0
    sign, logabsdet = np.linalg.slogdet(a)
    expected = onp.linalg.slogdet(a)
    _check_value(sign, expected[0])
    _check_value(logabsdet, expected[1])
    check_grads(lambda a: np.linalg.slogdet(a)[1], a)
    check_grads(lambda a: np.linalg.slogdet(a)[1] * np.linalg.slogdet(a)[0], a)


@pytest.mark.parametrize("shape", [(3, 3), (2, 2, 2)], ids=str)
def test_slogdet_complex_logabsdet(shape):
    a = well_conditioned(shape, seed=6, complex_=True)
    _check_value(np.linalg.slogdet(a)[1], onp.linalg.slogdet(a)[1])
    check_grads(lambda a: np.linalg.slogdet(a)[1], a)


@autograd_lacks("the gradient of the sign (phase) of a complex slogdet")
def test_slogdet_complex_sign():
    a = well_conditioned((3, 3), seed=7, complex_=True)
    _check_value(np.linalg.slogdet(a)[0], onp.linalg.slogdet(a)[0])
    check_grads(lambda a: np.linalg.slogdet(a)[0], a)


# --------------------------------------------------------------------------
# solve
# --------------------------------------------------------------------------

_BATCHED_VECTOR = autograd_lacks("solve of a stack of matrices with one 1-D right-hand side")
_BROADCAST = autograd_lacks("solve with broadcast batch axes (gradient not summed back)")

SOLVE_CASES = [
    ((3, 3), (3,)),
    ((3, 3), (3, 2)),
    ((2, 3, 3), (2, 3, 4)),
    ((2, 3, 3), (2, 3, 1)),
    pytest.param((2, 3, 3), (3,), marks=_BATCHED_VECTOR),
    pytest.param((3, 3), (2, 3, 2), marks=_BROADCAST),
    pytest.param((2, 1, 3, 3), (4, 3, 2), marks=_BROADCAST),
]


@pytest.mark.parametrize("sa,sb", SOLVE_CASES, ids=str)
def test_solve(sa, sb):
    a, b = well_conditioned(sa, seed=8), rand(sb, seed=9)
    _check_value(np.linalg.solve(a, b), onp.linalg.solve(a, b))
    check_grads(np.linalg.solve, a, b)


def test_solve_complex():
    a, b = well_conditioned((3, 3), seed=10, complex_=True), rand_complex((3, 2), seed=11)
    check_grads(np.linalg.solve, a, b)
    check_grads(lambda a, b: np.linalg.solve(a, b), a, rand_complex((3,), seed=12))


@autograd_lacks("a real gradient for a real matrix solved against a complex right-hand side")
def test_solve_real_matrix_complex_right_hand_side():
    a, b = well_conditioned((3, 3), seed=13), rand_complex((3,), seed=14)
    check_grads(np.linalg.solve, a, b)


# --------------------------------------------------------------------------
# matrix_power, pinv
# --------------------------------------------------------------------------

@autograd_lacks("the gradient of matrix_power")
@pytest.mark.parametrize("n", [0, 1, 2, 3, -1, -3])
@pytest.mark.parametrize("shape,complex_", [((3, 3), False), ((2, 2, 2), False), ((2, 2), True)], ids=str)
def test_matrix_power(shape, complex_, n):
    a = well_conditioned(shape, seed=15, complex_=complex_) / shape[-1]
    _check_value(np.linalg.matrix_power(a, n), onp.linalg.matrix_power(a, n))
    check_grads(lambda a: np.linalg.matrix_power(a, n) * a, a)


PINV_SHAPES = [(3, 3), (4, 2), (2, 4), (2, 4, 3), (2, 2, 3)]


@pytest.mark.parametrize("shape", PINV_SHAPES, ids=str)
def test_pinv(shape):
    a = rand(shape, seed=16)
    _check_value(np.linalg.pinv(a), onp.linalg.pinv(a))
    check_grads(np.linalg.pinv, a)


@autograd_lacks("pinv of complex matrices (plain transposes where conjugates are needed)")
@pytest.mark.parametrize("shape", [(3, 2), (2, 3)], ids=str)
def test_pinv_complex(shape):
    check_grads(np.linalg.pinv, rand_complex(shape, seed=17))


@autograd_lacks("pinv(hermitian=True), which reads one triangle")
def test_pinv_hermitian():
    a = positive_definite((3, 3), seed=18) - 4.0 * onp.eye(3)       # indefinite
    _check_value(np.linalg.pinv(a, hermitian=True), onp.linalg.pinv(a, hermitian=True))
    check_grads(lambda a: np.linalg.pinv(a, hermitian=True), a)


# --------------------------------------------------------------------------
# cholesky
# --------------------------------------------------------------------------

@pytest.mark.parametrize("shape", [(1, 1), (3, 3), (2, 3, 3)], ids=str)
def test_cholesky_of_symmetric_matrices(shape):
    a = positive_definite(shape, seed=19)
    _check_value(np.linalg.cholesky(a), onp.linalg.cholesky(a))
    check_grads(lambda a: np.linalg.cholesky(sym(a)), a)


@autograd_lacks("cholesky's exact gradient: numpy reads only the lower triangle")
@pytest.mark.parametrize("shape", [(3, 3), (2, 3, 3)], ids=str)
def test_cholesky_reads_the_lower_triangle(shape):
    a = positive_definite(shape, seed=20)
    check_grads(np.linalg.cholesky, a)
    g = grad(lambda a: np.sum(np.linalg.cholesky(a)))(a)
    assert onp.all(onp.triu(g[..., :, :], 1) == 0)


@autograd_lacks("cholesky(upper=True)")
def test_cholesky_upper():
    a = positive_definite((3, 3), seed=21)
    _check_value(np.linalg.cholesky(a, upper=True), onp.linalg.cholesky(a, upper=True))
    check_grads(lambda a: np.linalg.cholesky(a, upper=True), a)


@autograd_lacks("cholesky of complex Hermitian matrices")
@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_complex(upper):
    a = positive_definite((3, 3), seed=22, complex_=True)
    _check_value(np.linalg.cholesky(a, upper=upper), onp.linalg.cholesky(a, upper=upper))
    check_grads(lambda a: np.linalg.cholesky(a, upper=upper), a)


def test_cholesky_log_det():
    """log det A = 2 sum(log diag(L)): the gradient is inv(A) (for symmetric changes)."""
    a = positive_definite((3, 3), seed=23)
    f = lambda a: 2.0 * np.sum(np.log(np.linalg.cholesky(sym(a)) * onp.eye(3) + (1.0 - onp.eye(3))))  # noqa: E731
    onp.testing.assert_allclose(f(a), onp.linalg.slogdet(a)[1], rtol=1e-12)
    onp.testing.assert_allclose(grad(f)(a), onp.linalg.inv(a), rtol=1e-10)


# --------------------------------------------------------------------------
# eigh
# --------------------------------------------------------------------------

EIGH_FUNCTIONS = {
    "eigenvalues": lambda a, uplo: np.linalg.eigh(a, uplo)[0],
    "squared_vectors": lambda a, uplo: _abs2(np.linalg.eigh(a, uplo)[1]),
    "rebuild": _rebuild,
}


@pytest.mark.parametrize("uplo", ["L", "U"])
@pytest.mark.parametrize("fun", list(EIGH_FUNCTIONS), ids=str)
@pytest.mark.parametrize("shape", [(3, 3), (2, 3, 3)], ids=str)
def test_eigh(shape, fun, uplo):
    a = positive_definite(shape, seed=24)
    w, v = np.linalg.eigh(a, uplo)
    _check_value(w, onp.linalg.eigh(a, uplo)[0])
    _check_value(onp.abs(v), onp.abs(onp.linalg.eigh(a, uplo)[1]))
    check_grads(lambda a: EIGH_FUNCTIONS[fun](a, uplo), a)


@pytest.mark.parametrize("fun", list(EIGH_FUNCTIONS), ids=str)
def test_eigh_complex(fun):
    a = positive_definite((3, 3), seed=25, complex_=True)
    check_grads(lambda a: EIGH_FUNCTIONS[fun](a, "L"), a)


def test_eigh_eigenvalues_with_repeated_eigenvalues():
    """sum(w**2) = |A|_F**2 is smooth even where eigenvalues repeat (here 1, 1, 3)."""
    q = onp.linalg.qr(rand((3, 3), seed=26))[0]
    a = q @ onp.diag([1.0, 1.0, 3.0]) @ q.T
    f = lambda a: np.sum(np.linalg.eigh(sym(a))[0] ** 2)  # noqa: E731
    onp.testing.assert_allclose(grad(f)(a), 2.0 * a, rtol=1e-10, atol=1e-12)
    check_grads(f, a, order=1)


@autograd_lacks("the gradient of eigvalsh")
def test_eigvalsh():
    a = positive_definite((2, 3, 3), seed=27)
    _check_value(np.linalg.eigvalsh(a), onp.linalg.eigvalsh(a))
    check_grads(np.linalg.eigvalsh, a)


# --------------------------------------------------------------------------
# eig
# --------------------------------------------------------------------------

def _real_eigenvalues(shape, seed):
    """P diag(d) inv(P): a non-symmetric matrix with real eigenvalues d = 1, 2, 3, ..."""
    p = well_conditioned(shape, seed=seed)
    d = onp.arange(1.0, shape[-1] + 1.0)
    return (p * d) @ onp.linalg.inv(p)


EIG_INPUTS = {
    "real_eigenvalues": lambda: _real_eigenvalues((3, 3), 28),
    "batched": lambda: _real_eigenvalues((2, 3, 3), 29),
    "complex_eigenvalues": lambda: rand((3, 3), seed=3),       # eigenvalues -0.7 and 0.5 ± 0.4i
    "complex_matrix": lambda: rand_complex((3, 3), seed=30),
}

EIG_FUNCTIONS = {
    "eigenvalues": lambda a: np.linalg.eig(a)[0],
    "squared_vectors": lambda a: _abs2(np.linalg.eig(a)[1]),
}


@pytest.mark.parametrize("fun", list(EIG_FUNCTIONS), ids=str)
@pytest.mark.parametrize("which", list(EIG_INPUTS), ids=str)
def test_eig(which, fun):
    a = EIG_INPUTS[which]()
    w, v = np.linalg.eig(a)
    _check_value(w, onp.linalg.eig(a)[0])
    _check_value(onp.abs(v), onp.abs(onp.linalg.eig(a)[1]))
    check_grads(EIG_FUNCTIONS[fun], a)


@autograd_lacks("the gradient of eigvals")
def test_eigvals():
    a = _real_eigenvalues((3, 3), 31)
    _check_value(np.linalg.eigvals(a), onp.linalg.eigvals(a))
    check_grads(np.linalg.eigvals, a)


# --------------------------------------------------------------------------
# svd
# --------------------------------------------------------------------------

SVD_SHAPES = [(3, 3), (4, 2), (2, 4), (2, 3, 2), (2, 2, 3)]

SVD_FUNCTIONS = {
    "singular_values": lambda a: np.linalg.svd(a, full_matrices=False)[1],
    "squared_U": lambda a: _abs2(np.linalg.svd(a, full_matrices=False)[0]),
    "squared_Vh": lambda a: _abs2(np.linalg.svd(a, full_matrices=False)[2]),
    "U_Vh": lambda a: _polar(a, full_matrices=False),
}


@pytest.mark.parametrize("fun", list(SVD_FUNCTIONS), ids=str)
@pytest.mark.parametrize("shape", SVD_SHAPES, ids=str)
def test_svd(shape, fun):
    a = rand(shape, seed=32)
    u, s, vh = np.linalg.svd(a, full_matrices=False)
    expected = onp.linalg.svd(a, full_matrices=False)
    _check_value(s, expected[1])
    _check_value(onp.abs(u), onp.abs(expected[0]))
    _check_value(u * s[..., None, :] @ vh, a)
    check_grads(SVD_FUNCTIONS[fun], a)


@pytest.mark.parametrize("fun", list(SVD_FUNCTIONS), ids=str)
@pytest.mark.parametrize("shape", [(3, 2), (2, 3)], ids=str)
def test_svd_complex(shape, fun):
    check_grads(SVD_FUNCTIONS[fun], rand_complex(shape, seed=33))


@pytest.mark.parametrize("shape,complex_", [((3, 3), False), ((2, 4, 3), False), ((2, 3), True)], ids=str)
def test_svd_singular_values_only(shape, complex_):
    a = random(shape, seed=34, complex_=complex_)
    _check_value(np.linalg.svd(a, compute_uv=False), onp.linalg.svd(a, compute_uv=False))
    check_grads(lambda a: np.linalg.svd(a, compute_uv=False), a)


@autograd_lacks("svd(full_matrices=True), even of square matrices")
def test_svd_full_matrices_of_a_square_matrix():
    a = rand((3, 3), seed=35)
    check_grads(_polar, a)


def test_svd_full_matrices_of_a_rectangular_matrix_has_no_gradient():
    a = rand((3, 2), seed=36)
    with pytest.raises(NotImplementedError):
        grad(lambda a: np.sum(np.linalg.svd(a)[0]))(a)


def test_singular_values_with_repeated_singular_values():
    """At the identity every singular value is 1; their sum (the nuclear norm) still has a gradient."""
    a = onp.eye(3)
    onp.testing.assert_allclose(grad(lambda a: np.sum(np.linalg.svd(a, compute_uv=False)))(a),
                                onp.eye(3), atol=1e-12)


@autograd_lacks("svd(hermitian=True)")
def test_svd_hermitian():
    a = positive_definite((3, 3), seed=37) - 4.0 * onp.eye(3)
    check_grads(lambda a: np.linalg.svd(a, hermitian=True)[1], a)
    check_grads(lambda a: _polar(a, hermitian=True), a)


@autograd_lacks("svdvals")
def test_svdvals():
    a = rand((2, 3, 2), seed=38)
    _check_value(np.linalg.svdvals(a), onp.linalg.svdvals(a))
    check_grads(np.linalg.svdvals, a)


# --------------------------------------------------------------------------
# norm
# --------------------------------------------------------------------------

_NOT_IN_AUTOGRAD = autograd_lacks("this order of norm")

VECTOR_ORDS = [None, 2, 3, pytest.param(1, marks=_NOT_IN_AUTOGRAD),
               pytest.param(0.5, marks=_NOT_IN_AUTOGRAD), pytest.param(-1, marks=_NOT_IN_AUTOGRAD),
               pytest.param(onp.inf, marks=_NOT_IN_AUTOGRAD),
               pytest.param(-onp.inf, marks=_NOT_IN_AUTOGRAD), pytest.param(0, marks=_NOT_IN_AUTOGRAD)]


@pytest.mark.parametrize("complex_", [False, True], ids=["real", "complex"])
@pytest.mark.parametrize("ord", VECTOR_ORDS, ids=str)
def test_vector_norm(ord, complex_):
    x = rand_complex((5,), seed=39) if complex_ else rand_away_from_zero((5,), seed=39)
    _check_value(np.linalg.norm(x, ord), onp.linalg.norm(x, ord))
    check_grads(lambda x: np.linalg.norm(x, ord), x)


@pytest.mark.parametrize("keepdims", [False, pytest.param(True, marks=autograd_lacks("keepdims"))])
@pytest.mark.parametrize("ord", [None, 3, pytest.param(1, marks=_NOT_IN_AUTOGRAD),
                                 pytest.param(-onp.inf, marks=_NOT_IN_AUTOGRAD)], ids=str)
@pytest.mark.parametrize("axis", [0, 1, -1])
def test_vector_norm_along_an_axis(axis, ord, keepdims):
    x = rand_away_from_zero((3, 4, 2), seed=40)
    _check_value(np.linalg.norm(x, ord, axis=axis, keepdims=keepdims),
                 onp.linalg.norm(x, ord, axis=axis, keepdims=keepdims))
    check_grads(lambda x: np.linalg.norm(x, ord, axis=axis, keepdims=keepdims), x)


MATRIX_ORDS = [None, "fro", "nuc"] + [pytest.param(o, marks=_NOT_IN_AUTOGRAD)
                                      for o in (1, -1, 2, -2, onp.inf, -onp.inf)]


@pytest.mark.parametrize("complex_", [False, True], ids=["real", "complex"])
@pytest.mark.parametrize("ord", MATRIX_ORDS, ids=str)
def test_matrix_norm(ord, complex_):
    x = random((3, 4), seed=41, complex_=complex_)
    _check_value(np.linalg.norm(x, ord), onp.linalg.norm(x, ord))
    check_grads(lambda x: np.linalg.norm(x, ord), x)


@pytest.mark.parametrize("keepdims", [False, pytest.param(True, marks=autograd_lacks("keepdims"))])
@pytest.mark.parametrize("axis", [(0, 2), (2, 0), pytest.param((1, -1), marks=autograd_lacks(
    "a negative axis in a matrix norm"))], ids=str)
@pytest.mark.parametrize("ord", MATRIX_ORDS, ids=str)
def test_matrix_norm_over_two_axes(ord, axis, keepdims):
    x = rand((3, 4, 2), seed=42)
    _check_value(np.linalg.norm(x, ord, axis=axis, keepdims=keepdims),
                 onp.linalg.norm(x, ord, axis=axis, keepdims=keepdims))
    check_grads(lambda x: np.linalg.norm(x, ord, axis=axis, keepdims=keepdims), x)


def test_norm_of_a_3d_array_without_axis_is_the_2_norm_of_all_entries():
    x = rand((2, 3, 2), seed=43)
    check_grads(np.linalg.norm, x)


@autograd_lacks("a zero gradient for the norm of a zero vector (autograd gives nan)")
def test_norm_of_zero_has_zero_gradient():
    onp.testing.assert_array_equal(grad(np.linalg.norm)(onp.zeros(3)), onp.zeros(3))


# --------------------------------------------------------------------------
# The array-API additions of numpy 2 and multi_dot
# --------------------------------------------------------------------------

@autograd_lacks("numpy 2's matrix_norm, vector_norm, matrix_transpose; multi_dot")
def test_numpy2_functions():
    x = rand((2, 3, 4), seed=44)
    _check_value(np.linalg.matrix_norm(x, ord="nuc"), onp.linalg.matrix_norm(x, ord="nuc"))
    check_grads(lambda x: np.linalg.matrix_norm(x, ord="nuc", keepdims=True), x)
    for axis in [None, 1, (0, 2)]:
        _check_value(np.linalg.vector_norm(x, axis=axis, keepdims=True),
                     onp.linalg.vector_norm(x, axis=axis, keepdims=True))
        check_grads(lambda x, axis=axis: np.linalg.vector_norm(x, axis=axis, ord=3), x)
    check_grads(lambda x: np.linalg.matrix_transpose(x) * 2.0, x)
    a, b, c = rand((3,), seed=45), rand((3, 4), seed=46), rand((4, 2), seed=47)
    _check_value(np.linalg.multi_dot([a, b, c]), onp.linalg.multi_dot([a, b, c]))
    check_grads(lambda a, b, c: np.linalg.multi_dot([a, b, c]), a, b, c)


@autograd_lacks("numpy 2's array-API names in np.linalg (matmul, trace, ...)")
def test_array_api_names():
    x, y = rand((2, 3, 3), seed=53), rand((2, 3, 3), seed=54)
    cases = [
        (lambda x, y: np.linalg.matmul(x, y), lambda x, y: onp.linalg.matmul(x, y)),
        (lambda x, y: np.linalg.tensordot(x, y[0], axes=1), lambda x, y: onp.linalg.tensordot(x, y[0], axes=1)),
        (lambda x, y: np.linalg.outer(x[0, 0], y[0, 0]), lambda x, y: onp.linalg.outer(x[0, 0], y[0, 0])),
        (lambda x, y: np.linalg.vecdot(x, y, axis=1), lambda x, y: onp.linalg.vecdot(x, y, axis=1)),
        (lambda x, y: np.linalg.trace(x, offset=1) * y[:, 0, 0], lambda x, y: onp.linalg.trace(x, offset=1) * y[:, 0, 0]),
        (lambda x, y: np.linalg.diagonal(x) * y[0, 0], lambda x, y: onp.linalg.diagonal(x) * y[0, 0]),
        (lambda x, y: np.linalg.cross(x, y, axis=1), lambda x, y: onp.linalg.cross(x, y, axis=1)),
    ]
    for fun, numpy_fun in cases:
        _check_value(fun(x, y), numpy_fun(x, y))
        check_grads(fun, x, y)


def test_functions_without_a_gradient_say_so():
    a = rand((3, 3), seed=48)
    with pytest.raises(NotImplementedError):
        grad(lambda a: np.sum(np.linalg.qr(a)[0]))(a)


@autograd_lacks("the gradient of cond")
@pytest.mark.parametrize("p", [None, 2, -2, 1, -1, onp.inf, -onp.inf, "fro", "nuc"], ids=str)
def test_cond(p):
    a = well_conditioned((2, 3, 3), seed=49)
    _check_value(np.linalg.cond(a, p), onp.linalg.cond(a, p))
    check_grads(lambda a: np.linalg.cond(a, p), a)


@autograd_lacks("the gradients of tensorinv and tensorsolve")
def test_tensorinv_and_tensorsolve():
    a = (well_conditioned((6, 6), seed=50)).reshape(2, 3, 2, 3)
    b = rand((2, 3), seed=51)
    _check_value(np.linalg.tensorinv(a), onp.linalg.tensorinv(a))
    check_grads(np.linalg.tensorinv, a)
    for axes in [None, (0, 1), (1, 0)]:
        _check_value(np.linalg.tensorsolve(a, b, axes), onp.linalg.tensorsolve(a, b, axes))
        check_grads(lambda a, b, axes=axes: np.linalg.tensorsolve(a, b, axes), a, b)


@autograd_lacks("matrix_rank of a traced matrix (an integer, not recorded)")
def test_matrix_rank_is_a_plain_integer():
    a = rand((3, 3), seed=52)
    g = grad(lambda a: np.sum(a) * np.linalg.matrix_rank(a))(a)
    onp.testing.assert_array_equal(g, onp.full((3, 3), 3.0))
