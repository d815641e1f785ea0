"""The products table (numpy/gradients/products.py): dot, matmul (@), outer, tensordot,
einsum; values and 1st/2nd derivatives."""


import numpy as onp
import pytest

from gradcheck import autograd_lacks, check_grads, grad, np, rand

# autograd warns when a (second) derivative is identically zero, e.g. for bilinear maps
pytestmark = pytest.mark.filterwarnings("ignore:Output seems independent of input")


def _pair(sa, sb, seed=0):
    return rand(sa, -1.5, 1.5, seed=seed), rand(sb, -1.5, 1.5, seed=seed + 1)


def _check_value(fun, onp_fun, *args):
    expected = onp_fun(*args)
    got = fun(*args)
    onp.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14)
    assert onp.shape(got) == onp.shape(expected)


DOT_SHAPES = [
    ((3,), (3,)),
    ((2, 3), (3,)),
    ((3,), (3, 4)),
    ((2, 3), (3, 4)),
    ((2, 3, 4), (4,)),
    ((2, 3, 4), (4, 2)),
    ((2, 3, 4), (5, 4, 2)),
    ((), (2, 3)),
    ((2, 3), ()),
]


@pytest.mark.parametrize("sa,sb", DOT_SHAPES, ids=str)
def test_dot(sa, sb):
    a, b = _pair(sa, sb)
    _check_value(np.dot, onp.dot, a, b)
    check_grads(np.dot, a, b, order=2)
    # nonlinear wrapper: second derivatives are not just the bilinear cross terms
    check_grads(lambda a, b: np.sin(np.dot(np.tanh(a), b)), a, b, order=2)


MATMUL_SHAPES = [
    ((3,), (3,)),
    ((2, 3), (3,)),
    ((3,), (3, 4)),
    ((2, 3), (3, 4)),
    ((2, 2, 3), (2, 3, 4)),
    ((2, 3, 4), (4,)),
    ((3,), (2, 3, 4)),
    ((2, 1, 2, 3), (3, 3, 2)),  # batch broadcasting
    ((1, 2, 3), (4, 3, 2)),  # batch broadcasting with a size-1 batch dim
]


@pytest.mark.parametrize("sa,sb", MATMUL_SHAPES, ids=str)
def test_matmul(sa, sb):
    a, b = _pair(sa, sb, seed=2)
    _check_value(np.matmul, onp.matmul, a, b)
    check_grads(np.matmul, a, b, order=2)
    check_grads(lambda a, b: np.exp(np.matmul(a, np.sin(b))), a, b, order=2)


@pytest.mark.parametrize("sa,sb", MATMUL_SHAPES, ids=str)
def test_matmul_operator(sa, sb):
    a, b = _pair(sa, sb, seed=3)
    check_grads(lambda a, b: a @ b, a, b, order=2)
    check_grads(lambda a, b: np.cos(a @ b), a, b, order=2)


def test_matmul_operator_with_plain_left_and_right_operand():
    a, b = _pair((2, 3), (3, 4), seed=4)
    check_grads(lambda b: a @ b, b, order=2)  # plain ndarray @ traced -> __rmatmul__
    check_grads(lambda a: a @ b, a, order=2)


_OUTER_NOT_1D = autograd_lacks("outer of non-1-D inputs (numpy flattens them)")


@pytest.mark.parametrize(
    "sa,sb", [((3,), (4,)), ((1,), (2,)), pytest.param((), (3,), marks=_OUTER_NOT_1D)], ids=str
)
def test_outer(sa, sb):
    a, b = _pair(sa, sb, seed=5)
    _check_value(np.outer, onp.outer, a, b)
    check_grads(np.outer, a, b, order=2)
    check_grads(lambda a, b: np.outer(a * a, np.sin(b)), a, b, order=2)


@_OUTER_NOT_1D
def test_outer_flattens_2d_inputs():
    a, b = _pair((2, 3), (2, 2), seed=6)
    _check_value(np.outer, onp.outer, a, b)
    check_grads(np.outer, a, b, order=2)


TENSORDOT_CASES = [
    ((3, 4), (4, 5), 1),
    ((2, 3, 4), (3, 4, 5), 2),
    ((2, 3), (4,), 0),
    ((2, 3, 4), (4, 3, 2), 0),
    ((3,), (3,), 1),
    ((2, 3, 4), (4, 3, 5), ([1, 2], [1, 0])),
    ((2, 3, 4), (3, 5), ([1], [0])),
    ((2, 3, 4), (5, 2), (0, 1)),
    ((2, 3, 4), (2, 3, 4), ([0, 1, 2], [0, 1, 2])),
    ((2, 3, 4), (4, 2), ([-1, 0], [0, -1])),
]


@pytest.mark.parametrize("sa,sb,axes", TENSORDOT_CASES, ids=str)
def test_tensordot(sa, sb, axes):
    a, b = _pair(sa, sb, seed=7)
    _check_value(lambda a, b: np.tensordot(a, b, axes=axes), lambda a, b: onp.tensordot(a, b, axes=axes), a, b)
    check_grads(lambda a, b: np.tensordot(a, b, axes=axes), a, b, order=2)
    check_grads(lambda a, b: np.tanh(np.tensordot(a * b.sum(), b, axes)), a, b, order=2)


def test_tensordot_default_axes():
    a, b = _pair((2, 3, 4), (3, 4, 2), seed=8)
    _check_value(np.tensordot, onp.tensordot, a, b)
    check_grads(np.tensordot, a, b, order=2)


# (subscripts, operand shapes)
EINSUM_CASES = [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("ij,jk", [(2, 3), (3, 4)]),  # implicit output
    ("ij->ji", [(2, 3)]),
    ("ij", [(2, 3)]),
    ("ji", [(2, 3)]),  # implicit output is sorted -> a transpose
    ("ij->", [(2, 3)]),
    ("ij->j", [(2, 3)]),
    ("i,i->", [(3,), (3,)]),
    ("i,i", [(3,), (3,)]),
    ("i,j->ij", [(3,), (4,)]),
    ("i,j", [(3,), (4,)]),
    ("bij,bjk->bik", [(2, 2, 3), (2, 3, 4)]),
    ("ijk,k->ij", [(2, 3, 4), (4,)]),
    ("ijk,jil->kl", [(2, 3, 4), (3, 2, 5)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)]),
    ("ij,ij->i", [(2, 3), (2, 3)]),
    ("ij,ij", [(2, 3), (2, 3)]),  # implicit: full contraction -> scalar
    ("...ij,...jk->...ik", [(2, 2, 3), (2, 3, 4)]),
    ("...ij,...jk->...ik", [(2, 1, 2, 3), (3, 3, 2)]),  # '...' with broadcasting
    ("...ij,jk", [(5, 2, 3), (3, 4)]),  # implicit output with ellipsis
    ("i...,i->...", [(2, 3, 4), (2,)]),
    ("...i,...i->...", [(2, 3), (3,)]),  # broadcasting of '...' against nothing
    ("ij,j->i", [(2, 3), (3,)]),
]


@pytest.mark.parametrize("subscripts,shapes", EINSUM_CASES, ids=lambda v: str(v))
def test_einsum(subscripts, shapes):
    ops = [rand(s, -1.5, 1.5, seed=10 + k) for k, s in enumerate(shapes)]
    _check_value(lambda *a: np.einsum(subscripts, *a), lambda *a: onp.einsum(subscripts, *a), *ops)
    check_grads(lambda *a: np.einsum(subscripts, *a), *ops, order=2)
    check_grads(lambda *a: np.sin(np.einsum(subscripts, *[np.tanh(o) for o in a])), *ops, order=2)


EINSUM_REPEATED = [
    ("ii->", [(3, 3)]),  # trace
    ("ii", [(3, 3)]),  # implicit trace
    ("ii->i", [(3, 3)]),  # diagonal
    ("iij->j", [(2, 2, 3)]),
    ("ij,ii->j", [(3, 4), (3, 3)]),
]


@autograd_lacks("einsum with an index repeated within one operand (trace/diagonal)")
@pytest.mark.parametrize("subscripts,shapes", EINSUM_REPEATED, ids=lambda v: str(v))
def test_einsum_repeated_index(subscripts, shapes):
    ops = [rand(s, -1.5, 1.5, seed=20 + k) for k, s in enumerate(shapes)]
    _check_value(lambda *a: np.einsum(subscripts, *a), lambda *a: onp.einsum(subscripts, *a), *ops)
    check_grads(lambda *a: np.einsum(subscripts, *a), *ops, order=2)
    check_grads(lambda *a: np.sin(np.einsum(subscripts, *a) * 2.0), *ops, order=2)


def test_einsum_with_plain_operand():
    a, b = _pair((2, 3), (3, 4), seed=30)
    check_grads(lambda a: np.einsum("ij,jk->ik", a, b), a, order=2)
    check_grads(lambda b: np.einsum("ij,jk->ik", a, b), b, order=2)


def test_quadratic_form_hessian_is_symmetric_part():
    rng = onp.random.default_rng(31)
    A = rng.standard_normal((4, 4))
    x = rng.standard_normal(4)
    f = lambda x: np.dot(x, np.dot(A, x))  # noqa: E731
    onp.testing.assert_allclose(grad(f)(x), (A + A.T) @ x, rtol=1e-12)
    check_grads(f, x, order=2)
