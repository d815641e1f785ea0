"""Reductions (sum, mean, prod, max, min, var, std) with axis/keepdims/ddof, 1st and 2nd order."""


import numpy as onp
import pytest

from gradcheck import autograd_lacks, check_grads, grad, np, rand, rand_away_from_zero, rand_distinct

pytestmark = pytest.mark.filterwarnings("ignore:Output seems independent of input")

REDUCTIONS = ["sum", "mean", "prod", "max", "min", "var", "std"]

# axis arguments valid for a 3-d input
AXES_3D = [None, 0, 1, 2, -1, -2, (0, 2), (-1, 0), (0, 1, 2), ()]


def _input(name, shape, seed):
    if name == "prod":
        # magnitudes in [0.5, 1.5], no zeros (prod's gradient divides by x in many engines)
        return rand_away_from_zero(shape, 0.5, 1.5, seed=seed)
    if name in ("max", "min"):
        return rand_distinct(shape, seed=seed)  # no ties
    return rand(shape, -2.0, 2.0, seed=seed)


def _kwargs(axis, keepdims):
    kw = {}
    if axis != "default":
        kw["axis"] = axis
    if keepdims is not None:
        kw["keepdims"] = keepdims
    return kw


@pytest.mark.parametrize("keepdims", [None, False, True])
@pytest.mark.parametrize("axis", AXES_3D, ids=str)
@pytest.mark.parametrize("name", REDUCTIONS)
def test_reduction_3d(name, axis, keepdims):
    if axis == () and name in ("max", "min"):
        pytest.skip("numpy max/min with axis=() is an identity; covered elsewhere")
    x = _input(name, (2, 3, 4), seed=10 * REDUCTIONS.index(name) + AXES_3D.index(axis))
    kw = _kwargs(axis, keepdims)
    fun = getattr(np, name)
    expected = getattr(onp, name)(x, **kw)
    got = fun(x, **kw)
    onp.testing.assert_allclose(got, expected, rtol=1e-12)
    assert onp.shape(got) == onp.shape(expected)
    check_grads(lambda x: fun(x, **kw), x, order=2)


@pytest.mark.parametrize("shape", [(), (3,), (2, 3)], ids=str)
@pytest.mark.parametrize("name", REDUCTIONS)
def test_reduction_full(name, shape):
    x = _input(name, shape, seed=3)
    if shape == () and name in ("var", "std"):
        # std of a single element is 0 with an infinite derivative; var is fine
        if name == "std":
            pytest.skip("std of one element is not differentiable")
    fun = getattr(np, name)
    check_grads(fun, x, order=2)
    if shape != ():
        check_grads(lambda x: fun(x, axis=-1, keepdims=True), x, order=2)
        check_grads(lambda x: fun(x, axis=0), x, order=2)


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", [None, 0, -1, (0, 2)], ids=str)
@pytest.mark.parametrize("ddof", [0, 1])
@pytest.mark.parametrize("name", ["var", "std"])
def test_var_std_ddof(name, ddof, axis, keepdims):
    x = rand((2, 3, 4), -2.0, 2.0, seed=4)
    fun = getattr(np, name)
    expected = getattr(onp, name)(x, axis=axis, ddof=ddof, keepdims=keepdims)
    onp.testing.assert_allclose(fun(x, axis=axis, ddof=ddof, keepdims=keepdims), expected, rtol=1e-12)
    check_grads(lambda x: fun(x, axis=axis, ddof=ddof, keepdims=keepdims), x, order=2)


@pytest.mark.parametrize("name", REDUCTIONS)
def test_reduction_method_form(name):
    """x.sum(axis=...) etc. on traced arrays (ndarray method API)."""
    x = _input(name, (2, 3), seed=5)
    check_grads(lambda x: getattr(x * 1.0, name)(axis=1), x, order=2)
    check_grads(lambda x: getattr(x * 1.0, name)(), x, order=2)


@pytest.mark.parametrize("name", REDUCTIONS)
def test_reduction_inside_composition(name):
    """Reduction output broadcast back against the input (like normalisation)."""
    x = _input(name, (3, 4), seed=6)
    fun = getattr(np, name)
    check_grads(lambda x: np.sin(x) * fun(x, axis=0, keepdims=True) + fun(x ** 2, axis=1)[:, None], x, order=2)


def test_softmax_like_composition():
    x = rand((2, 3, 4), -2, 2, seed=7)

    def logsumexp(x, axis):
        m = np.max(x, axis=axis, keepdims=True)
        return np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m

    check_grads(lambda x: x - logsumexp(x, axis=(0, 2)), x, order=2)


def test_sum_gradient_broadcasts_ones():
    x = rand((2, 3, 4), seed=8)
    onp.testing.assert_array_equal(grad(lambda x: np.sum(x))(x), onp.ones_like(x))
    onp.testing.assert_allclose(grad(lambda x: np.mean(x))(x), onp.full(x.shape, 1 / 24))


def test_max_gradient_selects_argmax():
    x = rand_distinct((3, 4), seed=9)
    g = grad(lambda x: np.sum(np.max(x, axis=1)))(x)
    expected = onp.zeros_like(x)
    expected[onp.arange(3), onp.argmax(x, axis=1)] = 1.0
    onp.testing.assert_array_equal(g, expected)


@autograd_lacks("a gradient of median")
def test_median_of_even_count_splits_between_middle_entries():
    x = onp.array([4.0, 1.0, 3.0, 2.0])
    onp.testing.assert_allclose(grad(np.median)(x), [0.0, 0.0, 0.5, 0.5])


@autograd_lacks("a gradient of ptp")
def test_ptp_and_max_ties_split():
    x = onp.array([1.0, 3.0, 3.0, -1.0])
    onp.testing.assert_allclose(grad(np.ptp)(x), [0.0, 0.5, 0.5, -1.0])
