"""Hypothesis property tests: random compositions, random broadcasting shapes and
random reduction axes; gradients (and second derivatives) vs finite differences.

All tests are derandomized (fixed example sequence) and have no example
database, so a CI run is reproducible and not flaky.
"""


import numpy as onp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from gradcheck import BACKEND, check_grads, grad, hessian, jacobian, np

pytestmark = pytest.mark.filterwarnings("ignore:Output seems independent of input")


def _settings(n):
    return settings(
        max_examples=n,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# ---------------------------------------------------------------------------
# random expression trees
# ---------------------------------------------------------------------------

# Smooth unary ops with bounded derivative growth on the reals.
UNARY = {
    "sin": lambda z: np.sin(z),
    "cos": lambda z: np.cos(z),
    "tanh": lambda z: np.tanh(z),
    "arctan": lambda z: np.arctan(z),
    "neg": lambda z: -z,
    "exp_tanh": lambda z: np.exp(np.tanh(z)),
    "log1p_sq": lambda z: np.log1p(z * z),
    "log_1_sq": lambda z: np.log(1.0 + z * z),
    "sqrt_1_sq": lambda z: np.sqrt(1.0 + np.square(z)),
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-np.tanh(z) * 3.0)),
    "expm1_sin": lambda z: np.expm1(np.sin(z)),
    "half": lambda z: 0.5 * z,
    "cosh_tanh": lambda z: np.cosh(np.tanh(z)),
    "mean_bcast": lambda z: z - np.mean(z),  # a reduction broadcast back
}

# Binary ops; division only by a well-conditioned denominator.
BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div_1_sq": lambda a, b: a / (1.0 + b * b),
    "div_sin": lambda a, b: a / (2.0 + np.sin(b)),
    # exponent kept away from 0: the exact-zero exponent is tested on its own in
    # test_operators.py::test_pow_second_derivative_at_zero_exponent
    "pow_pos": lambda a, b: (1.5 + np.sin(a)) ** (0.5 + 0.25 * np.tanh(b)),
    "dot_bcast": lambda a, b: a * np.sum(b * np.tanh(b)),
}

N_VARS = 2

leaves = st.one_of(
    st.tuples(st.just("var"), st.integers(0, N_VARS - 1)),
    st.tuples(st.just("const"), st.sampled_from([-1.5, -0.5, 0.25, 1.0, 2.0])),
)


def _extend(children):
    return st.one_of(
        st.tuples(st.just("unary"), st.sampled_from(sorted(UNARY)), children),
        st.tuples(st.just("binary"), st.sampled_from(sorted(BINARY)), children, children),
    )


def _has_var(tree):
    if tree[0] == "var":
        return True
    if tree[0] == "const":
        return False
    return any(_has_var(t) for t in tree[2:])


# every expression depends on at least one variable
expressions = st.recursive(leaves, _extend, max_leaves=8).filter(_has_var)


def evaluate(tree, env):
    kind = tree[0]
    if kind == "var":
        return env[tree[1]]
    if kind == "const":
        return tree[1]
    if kind == "unary":
        return UNARY[tree[1]](evaluate(tree[2], env))
    return BINARY[tree[1]](evaluate(tree[2], env), evaluate(tree[3], env))


def to_source(tree):
    kind = tree[0]
    if kind == "var":
        return "xy"[tree[1]]
    if kind == "const":
        return repr(tree[1])
    if kind == "unary":
        return "%s(%s)" % (tree[1], to_source(tree[2]))
    return "%s(%s, %s)" % (tree[1], to_source(tree[2]), to_source(tree[3]))


def make_fun(tree):
    def f(x, y):
        # "+ 0 * x" keeps the output shape fixed even for constant sub-expressions
        return evaluate(tree, (x, y)) + 0.0 * x + 0.0 * y

    f.__name__ = "expr[%s]" % to_source(tree)
    return f


points = hnp.arrays(onp.float64, (3,), elements=st.floats(-1.5, 1.5, allow_nan=False, width=64))


def _tol(f, *args):
    """Tolerances scaled to the magnitude of the expression (FD rounding error ~ |f|)."""
    scale = 1.0 + float(onp.max(onp.abs(onp.asarray(f(*args)))))
    return dict(rtol=1e-5, atol=1e-6 * scale)


@_settings(80)
@given(tree=expressions, x=points, y=points)
def test_random_expression_first_order(tree, x, y):
    f = make_fun(tree)
    check_grads(f, x, y, order=1, **_tol(f, x, y))


@_settings(40)
@given(tree=expressions, x=points, y=points)
def test_random_expression_second_order(tree, x, y):
    f = make_fun(tree)
    check_grads(f, x, y, order=2, **_tol(f, x, y))


@_settings(40)
@given(tree=expressions, x=st.floats(-1.5, 1.5), y=st.floats(-1.5, 1.5))
def test_random_expression_python_scalars(tree, x, y):
    """Same trees on Python floats: grad returns a scalar of matching value."""

    def f(x, y):
        return evaluate(tree, (x, y)) + 0.0 * x + 0.0 * y

    check_grads(f, x, y, order=2, **_tol(f, x, y))


# ---------------------------------------------------------------------------
# broadcasting of binary ops over random shapes
# ---------------------------------------------------------------------------

def _checkerboard(sa, sb):
    return onp.indices(onp.broadcast_shapes(sa, sb)).sum(axis=0) % 2 == 0


BCAST_OPS = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "truediv": lambda a, b: a / (1.5 + np.cos(b)),
    "pow": lambda a, b: (1.0 + a * a) ** b,
    "maximum_shifted": lambda a, b: np.maximum(a, b + 5.0),  # never ties: b + 5 > a
    "minimum_shifted": lambda a, b: np.minimum(a - 5.0, np.sin(b)),
    "where": lambda a, b: np.where(_checkerboard(onp.shape(a), onp.shape(b)), a * b, b),
}
if BACKEND == "autograd":
    # autograd's where VJP does not unbroadcast (see test_elementwise.py::test_where)
    del BCAST_OPS["where"]


@_settings(60)
@given(
    shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3),
    op=st.sampled_from(sorted(BCAST_OPS)),
    seed=st.integers(0, 2**16),
)
def test_broadcasting_binary_ops(shapes, op, seed):
    sa, sb = shapes.input_shapes
    rng = onp.random.default_rng(seed)
    a = rng.uniform(-1.5, 1.5, size=sa)
    b = rng.uniform(-1.5, 1.5, size=sb)
    fun = BCAST_OPS[op]
    out = fun(a, b)
    assert onp.shape(out) == shapes.result_shape
    check_grads(lambda a, b: np.sin(fun(a, b)), a, b, order=2)


# ---------------------------------------------------------------------------
# reductions over random axes
# ---------------------------------------------------------------------------


@st.composite
def reduction_cases(draw):
    ndim = draw(st.integers(1, 3))
    shape = tuple(draw(st.lists(st.integers(1, 3), min_size=ndim, max_size=ndim)))
    kind = draw(st.sampled_from(["none", "int", "tuple"]))
    if kind == "none":
        axis = None
    elif kind == "int":
        axis = draw(st.integers(-ndim, ndim - 1))
    else:
        axes = draw(st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True))
        axis = tuple(a - ndim if draw(st.booleans()) else a for a in axes)  # mix negative axes
    keepdims = draw(st.booleans())
    name = draw(st.sampled_from(["sum", "mean", "prod", "max", "min", "var", "std"]))
    return shape, axis, keepdims, name


@_settings(80)
@given(case=reduction_cases(), seed=st.integers(0, 2**16))
def test_reductions_random_axes(case, seed):
    shape, axis, keepdims, name = case
    rng = onp.random.default_rng(seed)
    n = int(onp.prod(shape))
    if name in ("max", "min"):
        x = (rng.permutation(n) * 0.25 + rng.uniform(0, 0.05, n)).reshape(shape)  # no ties
    elif name == "prod":
        x = rng.uniform(0.5, 1.5, shape) * rng.choice([-1.0, 1.0], shape)
    else:
        x = rng.uniform(-1.5, 1.5, shape)
    if name == "std":
        count = n if axis is None else int(onp.prod([shape[a] for a in onp.atleast_1d(axis)]))
        if count == 1:
            return  # std of a single element: sqrt at 0, not differentiable
    fun = getattr(np, name)
    expected = getattr(onp, name)(x, axis=axis, keepdims=keepdims)
    got = fun(x, axis=axis, keepdims=keepdims)
    onp.testing.assert_allclose(got, expected, rtol=1e-12)
    assert onp.shape(got) == onp.shape(expected)
    check_grads(lambda x: fun(np.sin(x) + x, axis=axis, keepdims=keepdims), x, order=2)


# ---------------------------------------------------------------------------
# API-level properties (no finite differences needed)
# ---------------------------------------------------------------------------


@_settings(40)
@given(tree=expressions, x=points, alpha=st.floats(-2, 2), beta=st.floats(-2, 2))
def test_gradient_is_linear_in_the_function(tree, x, alpha, beta):
    f = make_fun(tree)
    g1 = grad(lambda x: np.sum(f(x, 0.5 * x)))
    g2 = grad(lambda x: np.sum(np.sin(x) * f(x, x)))
    combined = grad(lambda x: alpha * np.sum(f(x, 0.5 * x)) + beta * np.sum(np.sin(x) * f(x, x)))
    onp.testing.assert_allclose(combined(x), alpha * g1(x) + beta * g2(x), rtol=1e-9, atol=1e-9)


@_settings(25)
@given(tree=expressions, x=points)
def test_hessian_and_jacobian_agree_with_grad(tree, x):
    f = make_fun(tree)
    scalar = lambda x: np.sum(f(x, x * x))  # noqa: E731
    H = onp.asarray(hessian(scalar)(x))
    J = onp.asarray(jacobian(grad(scalar))(x))
    assert H.shape == (3, 3)
    onp.testing.assert_allclose(H, J, rtol=1e-10, atol=1e-10)
    onp.testing.assert_allclose(H, H.T, rtol=1e-8, atol=1e-8 * (1 + onp.abs(H).max()))
    # columns of the Hessian are finite differences of the gradient
    eps = 1e-6
    g = grad(scalar)
    num = onp.stack([(g(x + eps * e) - g(x - eps * e)) / (2 * eps) for e in onp.eye(3)], axis=1)
    onp.testing.assert_allclose(H, num, rtol=1e-5, atol=1e-6 * (1 + onp.abs(H).max()))
