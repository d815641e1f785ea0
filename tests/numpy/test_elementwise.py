"""Elementwise functions of teachgrad.numpy: values and 1st/2nd derivatives vs finite differences."""


import numpy as onp
import pytest

from gradcheck import (
    autograd_lacks,
    check_grads,
    elementwise_grad,
    grad,
    np,
    rand,
    rand_away_from_zero,
    rand_complex,
    rand_pair_without_ties,
)

# autograd warns when a gradient is identically zero (e.g. sign); harmless here
pytestmark = pytest.mark.filterwarnings("ignore:Output seems independent of input")

SHAPES = [(), (3,), (2, 3), (2, 3, 4)]
BROADCAST_PAIRS = [
    ((), ()),
    ((3,), (3,)),
    ((3,), (2, 3)),
    ((2, 3), (3,)),
    ((2, 1), (1, 3)),
    ((), (2, 3)),
    ((2, 3), ()),
    ((4, 1, 3), (2, 3)),
]

# name -> (domain sampler(shape, seed))
def _uniform(low, high):
    return lambda shape, seed: rand(shape, low, high, seed=seed)


def _nonzero(low, high):
    return lambda shape, seed: rand_away_from_zero(shape, low, high, seed=seed)


UNARY = {
    "exp": _uniform(-2.0, 2.0),
    "log": _uniform(0.5, 3.0),
    "log1p": _uniform(-0.5, 2.0),
    "expm1": _uniform(-2.0, 2.0),
    "sin": _uniform(-3.0, 3.0),
    "cos": _uniform(-3.0, 3.0),
    "tan": _uniform(-1.2, 1.2),
    "tanh": _uniform(-2.0, 2.0),
    "sinh": _uniform(-2.0, 2.0),
    "cosh": _uniform(-2.0, 2.0),
    "arctan": _uniform(-3.0, 3.0),
    "sqrt": _uniform(0.5, 3.0),
    "square": _uniform(-2.0, 2.0),
    "reciprocal": _nonzero(0.5, 2.0),
    "sign": _nonzero(0.1, 2.0),
    "abs": _nonzero(0.1, 2.0),
    "absolute": _nonzero(0.1, 2.0),
    "negative": _uniform(-2.0, 2.0),
}


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_grads(name, shape):
    x = UNARY[name](shape, 0)
    fun = getattr(np, name)
    check_grads(fun, x, order=2)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_values_match_numpy(name, shape):
    x = UNARY[name](shape, 1)
    expected = getattr(onp, name)(x)
    got = getattr(np, name)(x)
    onp.testing.assert_allclose(got, expected, rtol=1e-14)
    assert onp.shape(got) == onp.shape(expected)


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_elementwise_grad_matches_derivative(name):
    """elementwise_grad of f is f' entrywise; compare with 1-D central differences."""
    x = UNARY[name]((2, 3), 2)
    fun = getattr(np, name)
    d = elementwise_grad(fun)(x)
    h = 1e-6
    num = (getattr(onp, name)(x + h) - getattr(onp, name)(x - h)) / (2 * h)
    assert onp.shape(d) == x.shape
    onp.testing.assert_allclose(d, num, rtol=1e-6, atol=1e-7)


def test_sign_gradient_is_zero():
    x = rand_away_from_zero((2, 3), 0.1, 2.0, seed=3)
    g = grad(lambda x: np.sum(np.sign(x) * x))(x)  # d/dx |x| = sign(x)
    onp.testing.assert_allclose(g, onp.sign(x))


def test_composition_third_order():
    x = rand((3,), -1.0, 1.0, seed=4)
    check_grads(lambda x: np.tanh(np.exp(np.sin(x)) * np.log1p(x * x)), x, order=3)


# ---------------------------------------------------------------------------
# maximum / minimum (away from ties), where, clip (away from bounds)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("sa,sb", BROADCAST_PAIRS, ids=str)
@pytest.mark.parametrize("name", ["maximum", "minimum"])
def test_maximum_minimum(name, sa, sb):
    a, b = rand_pair_without_ties(sa, sb, seed=5)
    fun = getattr(np, name)
    onp.testing.assert_allclose(fun(a, b), getattr(onp, name)(a, b))
    check_grads(fun, a, b, order=2)


@pytest.mark.parametrize("sa,sb", BROADCAST_PAIRS, ids=str)
@pytest.mark.parametrize("name", ["maximum", "minimum"])
def test_maximum_minimum_nonlinear(name, sa, sb):
    a, b = rand_pair_without_ties(sa, sb, seed=6)
    fun = getattr(np, name)
    check_grads(lambda a, b: fun(np.sin(a), np.sin(b)) * np.cos(a + b), a, b, order=2)


_WHERE_BROADCAST = autograd_lacks("unbroadcasting in the VJP of where")


@pytest.mark.parametrize(
    "sc,sa,sb",
    [
        ((2, 3), (2, 3), (2, 3)),
        ((), (3,), (3,)),
        pytest.param((2, 3), (3,), (), marks=_WHERE_BROADCAST),
        pytest.param((3,), (2, 3), (2, 1), marks=_WHERE_BROADCAST),
        pytest.param((), (3,), (2, 3), marks=_WHERE_BROADCAST),
        pytest.param((4, 1, 3), (2, 3), (1, 1), marks=_WHERE_BROADCAST),
    ],
    ids=str,
)
def test_where(sc, sa, sb):
    rng = onp.random.default_rng(7)
    cond = rng.uniform(size=sc) > 0.5
    a = rand(sa, -2, 2, seed=8)
    b = rand(sb, -2, 2, seed=9)
    expected = onp.where(cond, a, b)
    onp.testing.assert_allclose(np.where(cond, a, b), expected)
    check_grads(lambda a, b: np.where(cond, a, b), a, b, order=2)
    check_grads(lambda a, b: np.where(cond, a * a, np.exp(b)), a, b, order=2)


def test_where_with_traced_condition():
    x = rand_away_from_zero((2, 3), 0.2, 2.0, seed=10)
    leaky = lambda x: np.where(x > 0, x * x, 0.1 * x)  # noqa: E731
    check_grads(leaky, x, order=2)
    g = elementwise_grad(leaky)(x)
    onp.testing.assert_allclose(g, onp.where(x > 0, 2 * x, 0.1), rtol=1e-12)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_clip_away_from_bounds(shape):
    # values at least 0.1 away from the bounds -0.5 and 0.5
    rng = onp.random.default_rng(11)
    x = rng.choice([-1.0, 1.0], size=shape) * rng.choice([0.2, 0.3, 0.7, 1.2], size=shape)
    x = x + rng.uniform(-0.05, 0.05, size=shape)
    x = float(x) if shape == () else x
    onp.testing.assert_allclose(np.clip(x, -0.5, 0.5), onp.clip(x, -0.5, 0.5))
    check_grads(lambda x: np.clip(x, -0.5, 0.5) * np.sin(x), x, order=2)
    g = grad(lambda x: np.sum(np.clip(x, -0.5, 0.5)))(x)
    onp.testing.assert_allclose(g, (onp.abs(x) < 0.5).astype(float))


def test_clip_keyword_bounds():
    x = onp.array([-1.3, -0.2, 0.35, 0.9])
    g = grad(lambda x: np.sum(np.clip(x, a_min=-0.5, a_max=0.5) ** 2))(x)
    onp.testing.assert_allclose(g, onp.where(onp.abs(x) < 0.5, 2 * x, 0.0))


# ---------------------------------------------------------------------------
# Tie-splitting: autograd's documented convention (gradient shared equally)
# ---------------------------------------------------------------------------


def test_maximum_tie_splits_gradient_equally():
    # autograd: d maximum(x, y)/dx at x == y is 1/2 (and the same for y)
    ga = grad(lambda a: np.maximum(a, 1.5), 0)(1.5)
    gb = grad(lambda b: np.minimum(1.5, b), 0)(1.5)
    onp.testing.assert_allclose([ga, gb], [0.5, 0.5])


def test_max_reduction_tie_splits_gradient_equally():
    x = onp.array([1.0, 3.0, -2.0, 3.0, 3.0])
    g = grad(np.max)(x)
    ties = (x == x.max())
    onp.testing.assert_allclose(g, ties / ties.sum())
    g = grad(np.min)(-x)
    onp.testing.assert_allclose(g, ties / ties.sum())


# ---------------------------------------------------------------------------
# Complex scalars/arrays (autograd convention: df/dx - i df/dy for real f)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(), (3,)], ids=str)
def test_complex_modulus_squared(shape):
    z = rand_complex(shape, seed=12)
    f = lambda z: np.sum(np.real(z * np.conj(z)))  # noqa: E731
    g = grad(f)(z)
    # explicit convention: grad = 2*conj(z)  (= df/dx - i df/dy with f = x^2 + y^2)
    onp.testing.assert_allclose(g, 2 * onp.conj(z), rtol=1e-12)
    check_grads(f, z, order=2)


@pytest.mark.parametrize(
    "name,fun",
    [
        ("real_sin", lambda z: np.real(np.sin(z))),
        ("imag_exp", lambda z: np.imag(np.exp(z))),
        ("abs", lambda z: np.abs(z)),
        ("real_z2_conj", lambda z: np.real(z * z * np.conj(z) + 2.0 * z)),
        ("real_cos_over", lambda z: np.real(np.cos(z) / (z + 3.0))),
        ("angle_free", lambda z: np.imag(z) * np.real(z) ** 2),
    ],
)
@pytest.mark.parametrize("shape", [(), (2, 2)], ids=str)
def test_complex_functions(name, fun, shape):
    z = rand_complex(shape, seed=13)
    check_grads(lambda z: np.sum(fun(z)), z, order=2)


def test_complex_output_is_scalarized():
    z = rand_complex((3,), seed=14)
    check_grads(lambda z: np.exp(z) * np.conj(z), z, order=2)


def test_complex_matches_autograd_reference():
    autograd = pytest.importorskip("autograd")
    import autograd.numpy as anp

    z = 0.3 - 0.7j
    ref = autograd.grad(lambda z: anp.real(anp.sin(z) * anp.conj(z)))(z)
    got = grad(lambda z: np.real(np.sin(z) * np.conj(z)))(z)
    onp.testing.assert_allclose(got, ref, rtol=1e-12)


COMPLEX_COMPOSITES = [
    ("matmul", lambda z: np.abs(np.matmul(_CM, z)) ** 2),
    ("dot_conj", lambda z: np.real(np.dot(np.conj(z), z))),
    ("sum_mean", lambda z: np.real(np.sum(z * z) * np.mean(np.conj(z)))),
    ("exp_log", lambda z: np.real(np.log(np.exp(z) + 2.0))),
    ("division", lambda z: np.imag(1.0 / (z + 2.5)) + np.real(z / (1.0 + 0.5j))),
    ("power", lambda z: np.real((z + 2.0) ** 3) + np.real((z + 2.0) ** 2.5)),
    ("indexing", lambda z: np.real(z[::-1] * z[[0, 0, 1]])),
    ("stack_reshape", lambda z: np.real(np.reshape(np.stack([z, 2j * z]), (-1,)))),
    ("tanh_sinh", lambda z: np.real(np.tanh(z) * np.sinh(z))),
    ("abs_of_sqrt", lambda z: np.abs(np.sqrt(z + 3.0))),
]
_CM = onp.random.default_rng(40).standard_normal((3, 3)) + 1j * onp.random.default_rng(41).standard_normal((3, 3))


@pytest.mark.parametrize("name,fun", COMPLEX_COMPOSITES, ids=[n for n, _ in COMPLEX_COMPOSITES])
def test_complex_arrays_through_ops(name, fun):
    z = rand_complex((3,), seed=42)
    check_grads(fun, z, order=2)


@pytest.mark.parametrize("name,fun", COMPLEX_COMPOSITES, ids=[n for n, _ in COMPLEX_COMPOSITES])
def test_complex_arrays_match_autograd_reference(name, fun):
    autograd = pytest.importorskip("autograd")
    import autograd.numpy as anp

    global np
    z = rand_complex((3,), seed=43)
    backend_np = np
    try:
        np = anp  # evaluate the same expression with autograd's numpy
        ref = autograd.grad(lambda z: anp.sum(fun(z)))(z)
    finally:
        np = backend_np
    got = grad(lambda z: np.sum(fun(z)))(z)
    onp.testing.assert_allclose(got, ref, rtol=1e-10, atol=1e-12)


def test_real_input_through_complex_intermediates_has_real_gradient():
    x = rand((4,), -2, 2, seed=44)
    f = lambda x: np.abs(np.exp(1j * x) + 0.5) ** 2 + np.real(np.exp((1 + 2j) * x))  # noqa: E731
    g = grad(lambda x: np.sum(f(x)))(x)
    assert not onp.iscomplexobj(g)
    check_grads(f, x, order=2)


@pytest.mark.parametrize("z", [0.3 - 0.7j, 1.2 + 0.1j])
def test_complex_python_scalar(z):
    check_grads(lambda z: np.real(z * np.conj(z) * np.exp(1j * z)), z, order=2)
    check_grads(lambda z: np.abs(z) ** 3 + np.imag(z ** 2), z, order=2)


def test_maximum_minimum_ties_in_arrays_with_broadcasting():
    a = onp.array([[0.0, 1.0, -1.0], [2.0, 0.0, 0.5]])
    b = onp.array([0.0, 0.5, 0.5])  # ties at (0, 0), (1, 0), (1, 2)
    tie = a == b
    ga = grad(lambda a: np.sum(np.maximum(a, b)))(a)
    onp.testing.assert_allclose(ga, onp.where(tie, 0.5, (a > b).astype(float)))
    gb = grad(lambda b: np.sum(np.minimum(a, b)))(b)
    onp.testing.assert_allclose(gb, onp.sum(onp.where(tie, 0.5, (b < a).astype(float)), axis=0))


@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("name", ["max", "min"])
def test_max_min_along_axis_tie_splitting(name, keepdims):
    x = onp.array([[1.0, 3.0, 3.0, 0.0], [2.0, 2.0, 2.0, 2.0], [-1.0, 5.0, 0.0, 4.0]])
    x = x if name == "max" else -x
    g = grad(lambda x: np.sum(getattr(np, name)(x, axis=1, keepdims=keepdims) * onp.arange(1.0, 4.0).reshape((3, 1) if keepdims else (3,))))(x)
    hit = x == getattr(onp, name)(x, axis=1, keepdims=True)
    onp.testing.assert_allclose(g, hit / hit.sum(axis=1, keepdims=True) * onp.arange(1.0, 4.0)[:, None])


@pytest.mark.parametrize("lo,hi", [(None, 0.5), (-0.5, None)], ids=str)
def test_clip_with_one_open_bound(lo, hi):
    x = onp.array([-1.3, -0.2, 0.35, 0.9])
    check_grads(lambda x: np.clip(x, lo, hi) ** 3, x, order=2)


@autograd_lacks("a gradient of nan_to_num")
def test_nan_to_num_gradient_is_zero_at_non_finite_entries():
    x = onp.array([1.0, onp.nan, onp.inf, -onp.inf, -2.0])
    g = grad(lambda x: np.sum(np.nan_to_num(x, posinf=9.0, neginf=-9.0) * onp.arange(1.0, 6.0)))(x)
    onp.testing.assert_array_equal(g, [1.0, 0.0, 0.0, 0.0, 5.0])
