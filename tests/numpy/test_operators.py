"""Python operators on traced arrays: + - * / // ** @, unary minus, abs, comparisons."""

import operator

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
    rand_pair_without_ties,
)

pytestmark = pytest.mark.filterwarnings("ignore:Output seems independent of input")

BROADCAST_PAIRS = [
    ((), ()),
    ((3,), (3,)),
    ((2, 3), (2, 3)),
    ((2, 3, 4), (2, 3, 4)),
    ((3,), (2, 3)),
    ((2, 3), (3,)),
    ((2, 1), (1, 3)),
    ((), (2, 3)),
    ((2, 3), ()),
    ((4, 1, 3), (2, 3)),
    ((2, 3), (4, 1, 3)),
    ((2, 1, 4), (3, 1)),
]


def _operands(op_name, sa, sb, seed=0):
    if op_name == "truediv":
        return rand(sa, -2, 2, seed=seed), rand_away_from_zero(sb, 0.5, 2.0, seed=seed + 1)
    if op_name == "pow":
        return rand(sa, 0.5, 2.0, seed=seed), rand(sb, -2, 2, seed=seed + 1)
    return rand(sa, -2, 2, seed=seed), rand(sb, -2, 2, seed=seed + 1)


ARITH = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "truediv": operator.truediv,
    "pow": operator.pow,
}


@pytest.mark.parametrize("sa,sb", BROADCAST_PAIRS, ids=str)
@pytest.mark.parametrize("op_name", sorted(ARITH))
def test_binary_operator(op_name, sa, sb):
    op = ARITH[op_name]
    a, b = _operands(op_name, sa, sb)
    expected = op(onp.asarray(a), onp.asarray(b))
    got = op(a * np.ones(()), b)  # make the left operand a backend value even for scalars
    onp.testing.assert_allclose(got, expected, rtol=1e-14)
    assert onp.shape(got) == expected.shape
    check_grads(op, a, b, order=2)
    # nonlinear outer function -> non-trivial second derivatives incl. mixed ones
    check_grads(lambda a, b: np.sin(op(a, b)), a, b, order=2)


@pytest.mark.parametrize("sa,sb", [((2, 3), (3,)), ((), (2, 3)), ((2, 1), (1, 3))], ids=str)
@pytest.mark.parametrize("op_name", sorted(ARITH))
def test_operator_with_plain_operand_on_either_side(op_name, sa, sb):
    """traced op plain and plain op traced (reflected operators __radd__, ...)."""
    op = ARITH[op_name]
    a, b = _operands(op_name, sa, sb, seed=3)
    check_grads(lambda a: op(a, b), a, order=2)
    check_grads(lambda b: op(a, b), b, order=2)
    # plain Python scalars on either side
    if op_name == "pow":
        check_grads(lambda a: op(a, 3.0), a, order=2)
        check_grads(lambda b: op(1.7, b), b, order=2)
    elif op_name == "truediv":
        check_grads(lambda a: op(a, 1.7), a, order=2)
        check_grads(lambda b: op(1.7, b), b, order=2)
    else:
        check_grads(lambda a: op(a, 1.7), a, order=2)
        check_grads(lambda a: op(1.7, a), a, order=2)


@pytest.mark.parametrize("exponent", [2, 3, 2.0, 0.5, -1, -2.5, 1])
def test_pow_constant_exponent(exponent):
    x = rand((2, 3), 0.5, 2.0, seed=4)
    check_grads(lambda x: x ** exponent, x, order=2)


@pytest.mark.parametrize("exponent", [2, 3, 4])
def test_pow_integer_exponent_negative_base(exponent):
    x = rand_away_from_zero((2, 3), 0.5, 2.0, seed=5)
    check_grads(lambda x: x ** exponent, x, order=2)


def test_pow_gradient_wrt_exponent_is_log_base_times_value():
    x = rand((3,), 0.5, 2.0, seed=6)
    y = rand((3,), -1.0, 1.0, seed=7)
    g = grad(lambda y: np.sum(x ** y), 0)(y)
    onp.testing.assert_allclose(g, onp.log(x) * x ** y, rtol=1e-12)


@autograd_lacks("correct mixed second derivative of x ** y at exactly y == 0")
@pytest.mark.parametrize("shape", [(), (3,)], ids=str)
def test_pow_second_derivative_at_zero_exponent(shape):
    """d2(x**y)/dxdy = x**(y-1) * (1 + y log x), which is 1/x at y == 0.

    An engine that writes dx(x**y) as y * x**where(y, y-1, 1) gets the right first
    derivative but differentiates x**1 instead of x**(y-1) at y == 0.
    """
    x = rand(shape, 0.5, 2.0, seed=20)
    y = 0.0 if shape == () else onp.zeros(shape)
    check_grads(lambda x, y: x ** y, x, y, order=2)
    check_grads(lambda x, y: np.power(x, y) * x, x, y, order=2)


def _floordiv_operands(sa, sb, seed):
    """a // b with a/b at least 0.2 away from any integer (away from the jumps)."""
    rng = onp.random.default_rng(seed)
    b = rng.choice([-1.0, 1.0], size=sb) * rng.uniform(0.5, 2.0, size=sb)
    shape = onp.broadcast_shapes(sa, sb)
    q = rng.integers(-3, 3, size=shape) + rng.uniform(0.2, 0.8, size=shape)  # desired a / b
    a_full = q * onp.broadcast_to(b, shape)
    # a must have shape sa: only possible if sa == broadcast shape, so choose those pairs
    assert tuple(sa) == shape
    a = a_full
    return (float(a) if sa == () else a), (float(b) if sb == () else b)


@autograd_lacks("the // operator on traced values")
@pytest.mark.parametrize("sa,sb", [((), ()), ((2, 3), (2, 3)), ((2, 3), (3,)), ((2, 3), ()), ((4, 2, 3), (2, 1))], ids=str)
def test_floordiv_operator(sa, sb):
    a, b = _floordiv_operands(sa, sb, seed=8)
    expected = onp.asarray(a) // onp.asarray(b)
    onp.testing.assert_array_equal(np.floor_divide(a, b), expected)
    onp.testing.assert_array_equal((a * np.ones(())) // b, expected)
    # floor division is piecewise constant: its gradient is zero away from jumps,
    # and it must still be usable inside a traced computation.
    check_grads(lambda a, b: a // b + a * b, a, b, order=2)
    check_grads(lambda a, b: np.sin(a) * (a // b), a, b, order=2)
    check_grads(lambda a: 2.5 // (a * 1.0 + 10.0) + a * a, a, order=2)


def test_floor_divide_function():
    a, b = _floordiv_operands((2, 3), (3,), seed=9)
    check_grads(lambda a, b: np.floor_divide(a, b) * a + b, a, b, order=2)


@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (2, 3, 4)], ids=str)
def test_unary_minus_and_plus(shape):
    x = rand(shape, -2, 2, seed=10)
    check_grads(lambda x: -x, x, order=2)
    check_grads(lambda x: -(x * x), x, order=2)
    check_grads(lambda x: -np.sin(-x), x, order=2)
    onp.testing.assert_allclose(grad(lambda x: np.sum(-x))(x), -onp.ones(onp.shape(x)))


@autograd_lacks("unary plus (__pos__) on traced values")
def test_unary_plus():
    x = rand((2, 3), -2, 2, seed=10)
    check_grads(lambda x: +np.sin(x), x, order=2)


@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (2, 3, 4)], ids=str)
def test_builtin_abs(shape):
    x = rand_away_from_zero(shape, 0.1, 2.0, seed=11)
    check_grads(lambda x: abs(x * 1.0), x, order=2)
    check_grads(lambda x: abs(np.sin(x)) * x, x, order=2)
    onp.testing.assert_allclose(elementwise_grad(lambda x: abs(x * 1.0))(x), onp.sign(x))


@pytest.mark.parametrize("sa,sb", [((2, 3), (2, 3)), ((3,), (2, 3)), ((2, 1), (1, 3)), ((), (2, 3)), ((4, 1, 3), (2, 3))], ids=str)
def test_matmul_operator_broadcast(sa, sb):
    a = rand(sa + (2, 3), -1, 1, seed=12) if sa != () else rand((2, 3), -1, 1, seed=12)
    b = rand(sb + (3, 2), -1, 1, seed=13) if sb != () else rand((3, 2), -1, 1, seed=13)
    onp.testing.assert_allclose((a * np.ones(())) @ b, a @ b, rtol=1e-14)
    check_grads(lambda a, b: a @ b, a, b, order=2)
    check_grads(lambda a, b: np.tanh(a @ b), a, b, order=2)


COMPARISONS = {
    "lt": (operator.lt, "less"),
    "le": (operator.le, "less_equal"),
    "gt": (operator.gt, "greater"),
    "ge": (operator.ge, "greater_equal"),
    "eq": (operator.eq, "equal"),
    "ne": (operator.ne, "not_equal"),
}


@pytest.mark.parametrize("sa,sb", BROADCAST_PAIRS, ids=str)
@pytest.mark.parametrize("cmp", sorted(COMPARISONS))
def test_comparisons_pass_through(cmp, sa, sb):
    """Comparisons of traced values (also with ties, for eq/ne) give plain boolean
    results equal to numpy's, with broadcasting, inside differentiated code."""
    op, fname = COMPARISONS[cmp]
    rng = onp.random.default_rng(14)
    # small integer-valued floats so that every comparison has both outcomes
    a = rng.integers(-1, 2, size=sa).astype(float)
    b = rng.integers(-1, 2, size=sb).astype(float)
    a = float(a) if sa == () else a
    b = float(b) if sb == () else b
    expected = op(onp.asarray(a), onp.asarray(b))
    seen = {}

    def f(a, b):
        seen["operator"] = op(a, b)
        seen["function"] = getattr(np, fname)(a, b)
        return np.sum(a * a) * np.sum(b)

    ga, gb = grad(f, 0)(a, b), grad(f, 1)(a, b)
    for key in ("operator", "function"):
        c = seen[key]
        assert onp.asarray(c).dtype == onp.bool_, key
        onp.testing.assert_array_equal(onp.asarray(c), expected, err_msg=key)
        assert onp.shape(c) == expected.shape, key
    onp.testing.assert_allclose(ga, 2 * onp.asarray(a) * onp.sum(b))
    onp.testing.assert_allclose(gb, onp.full(onp.shape(b), onp.sum(onp.asarray(a) ** 2)))


@pytest.mark.parametrize("sa,sb", BROADCAST_PAIRS, ids=str)
@pytest.mark.parametrize("cmp", sorted(COMPARISONS))
def test_comparison_results_used_in_gradients(cmp, sa, sb):
    op, _ = COMPARISONS[cmp]
    a, b = rand_pair_without_ties(sa, sb, seed=15)  # no ties: FD does not cross a jump
    check_grads(lambda a, b: np.where(op(a, b), a * a, 0.5 * b) + a * b, a, b, order=2)
    check_grads(lambda a, b: (a - b) ** 2 * op(a, b), a, b, order=2)


def test_comparison_gradient_pieces_are_selected():
    x = rand_away_from_zero((3, 4), 0.2, 2.0, seed=15)
    g = elementwise_grad(lambda x: x * (x > 0) + 0.1 * x * (x <= 0))(x)
    onp.testing.assert_allclose(g, onp.where(x > 0, 1.0, 0.1))


def test_in_place_style_rebinding():
    """x = x + 1 style code (rebinding, not mutation) in a loop."""
    x = rand((3,), -1, 1, seed=16)

    def f(x):
        y = x
        for k in range(3):
            y = y * x + k
            y = y / 2.0
        return y

    check_grads(f, x, order=2)


@pytest.mark.parametrize(
    "left",
    [onp.float64(1.7), onp.array(1.7), onp.array([1.7, 0.3, 2.2]), 1.7, 2],
    ids=["np_float64", "0d_array", "1d_array", "py_float", "py_int"],
)
@pytest.mark.parametrize("op_name", sorted(ARITH))
def test_numpy_scalar_and_array_on_the_left(left, op_name):
    """numpy scalars/arrays must defer to the traced operand's reflected operator."""
    op = ARITH[op_name]
    x = rand((3,), 0.5, 2.0, seed=30)
    seen = {}

    def f(x):
        out = op(left, x)
        seen["type"] = type(out)
        return np.sum(np.sin(out))

    check_grads(f, x, order=2)
    expected = onp.sum(onp.sin(op(onp.asarray(left), x)))
    onp.testing.assert_allclose(f(x), expected, rtol=1e-14)


def test_augmented_assignment_rebinds():
    x = rand((3,), -1, 1, seed=31)
    x_copy = x.copy()

    def f(x):
        y = x * 1.0
        y += x
        y *= np.sin(x)
        y -= 0.5
        y /= 2.0
        y **= 2
        return y

    check_grads(f, x, order=2)
    onp.testing.assert_array_equal(x, x_copy)  # the input was not mutated


def test_builtin_sum_and_iteration_over_traced_array():
    x = rand((4,), -1, 1, seed=32)
    check_grads(lambda x: sum(r * r for r in x), x, order=2)
    check_grads(lambda x: sum([x[i] * x[-1 - i] for i in range(len(x))]), x, order=2)
    m = rand((3, 2), -1, 1, seed=33)
    check_grads(lambda m: sum(np.sin(row) for row in m), m, order=2)
