"""Forward mode: make_jvp pushes a direction through the computation as it runs."""
import numpy as onp
import pytest

import teachgrad.numpy as np
from teachgrad import deriv, grad, hessian, jacobian, make_jvp
from teachgrad.errors import NoGradientError
from teachgrad.extend import (SparseObject, def_linear, defjvp, defjvp_argnum, defvjp, primitive,
                              vspace)

rng = onp.random.default_rng(0)
A = rng.normal(size=(3, 4))

FUNCTIONS = {
    "elementwise": (lambda x: np.tanh(x) * np.exp(-x ** 2), rng.normal(size=4)),
    "matmul": (lambda x: np.sin(A @ x), rng.normal(size=4)),
    "broadcast": (lambda x: x[:, None] * onp.ones((4, 2)) + x.sum(), rng.normal(size=4)),
    "reduce": (lambda x: np.max(np.reshape(x, (2, 2)), axis=0) * np.mean(x), rng.normal(size=4)),
    "index": (lambda x: np.concatenate([x[::-1], x[:2] ** 3]), rng.normal(size=4)),
    "scalar": (lambda x: np.sin(x) * np.cos(x) + x ** 2.5, 0.7),
}


@pytest.mark.parametrize("name", FUNCTIONS)
def test_jvp_equals_jacobian_times_v(name):
    f, x = FUNCTIONS[name]
    v = onp.linspace(-1, 1, onp.size(x)).reshape(onp.shape(x)) + 0.3
    value, tangent = make_jvp(f)(x)(v)
    onp.testing.assert_allclose(value, f(x))
    J = jacobian(f)(x)
    expected = onp.tensordot(J, v, onp.ndim(x))
    onp.testing.assert_allclose(tangent, expected, rtol=1e-10, atol=1e-12)


def test_forward_over_reverse_is_a_hessian_vector_product():
    f = lambda x: np.sum(np.sin(A @ x) ** 2)
    x, v = rng.normal(size=4), rng.normal(size=4)
    _, hv = make_jvp(grad(f))(x)(v)
    onp.testing.assert_allclose(hv, hessian(f)(x) @ v, rtol=1e-10)


def test_deriv_of_elementwise_functions():
    x = onp.linspace(-1, 1, 5)
    onp.testing.assert_allclose(deriv(np.tanh)(x), 1 - onp.tanh(x) ** 2)


def test_user_tangent_rule_is_used_and_needs_no_gradient_rule():
    @primitive
    def cube(x):
        return x ** 3
    calls = []

    def cube_jvp(g, ans, x):
        calls.append(1)
        return g * 3 * x ** 2
    defjvp(cube, cube_jvp)
    assert make_jvp(cube)(2.0)(1.0)[1] == pytest.approx(12.0)
    assert calls
    with pytest.raises(NoGradientError):          # reverse mode still needs defvjp
        grad(cube)(2.0)


def test_defjvp_argnum_and_def_linear():
    @primitive
    def scaled_product(x, y):              # linear in each argument (multilinear)
        return 2.0 * x * y
    def_linear(scaled_product)
    # d/dx 2 * x * (3x) = 12 x
    assert make_jvp(lambda x: scaled_product(x, 3.0 * x))(1.0)(1.0)[1] == pytest.approx(12.0)

    @primitive
    def mul(x, y):
        return x * y
    defjvp_argnum(mul, lambda argnum, g, ans, args, kwargs: g * args[1 - argnum])
    assert make_jvp(lambda x: mul(x, 3.0 * x))(2.0)(1.0)[1] == pytest.approx(12.0)


def test_vspace_and_sparse_gradients():
    vs = vspace(onp.zeros((2, 3)))
    assert vs.shape == (2, 3) and vs.size == 6 and not vs.iscomplex
    assert len(list(vs.standard_basis())) == 6 and vs.ones().sum() == 6

    @primitive
    def pick(x, i):
        return x[i]

    def pick_vjp(ans, x, i):
        def add_into(A, g):
            onp.add.at(A, i, g)
            return A
        return lambda g: SparseObject(vspace(x), lambda A: add_into(A, g))
    defvjp(pick, pick_vjp)
    x = onp.arange(4.0)
    g = grad(lambda x: pick(x, 1) * 2.0 + pick(x, 1) + pick(x, 3))(x)
    onp.testing.assert_allclose(g, [0.0, 3.0, 0.0, 1.0])


def test_autograd_extras():
    from teachgrad import holomorphic_grad, make_ggnvp, make_jvp_reversemode, tensor_jacobian_product
    assert complex(holomorphic_grad(lambda z: z ** 3)(1.0 + 1.0j)) == pytest.approx(3 * (1 + 1j) ** 2)
    f = lambda x: np.tanh(A @ x)
    x, v = rng.normal(size=4), rng.normal(size=4)
    J = jacobian(f)(x)
    onp.testing.assert_allclose(make_ggnvp(f)(x)(v), J.T @ J @ v, rtol=1e-10)
    onp.testing.assert_allclose(make_jvp_reversemode(f)(x)(v)[1], J @ v, rtol=1e-10)
    u = rng.normal(size=3)
    onp.testing.assert_allclose(tensor_jacobian_product(f)(x, u), u @ J, rtol=1e-10)


B = rng.normal(size=(2, 4))
RULES = {
    "add_broadcast": lambda x: x + B,
    "subtract_from": lambda x: B - x,
    "divide_both": lambda x: (x + 3.0) / (x ** 2 + 1.0),
    "divide_by_x": lambda x: B / (x + 3.0),
    "power_both": lambda x: (x ** 2 + 1.0) ** (0.5 + 0.1 * x),
    "multiply_broadcast": lambda x: B * x,
    "einsum": lambda x: np.einsum("ij,j->i", B, x) * np.einsum("i,i->", x, x),
    "tensordot": lambda x: np.tensordot(B, np.outer(x, x), axes=1),
    "getitem_transpose": lambda x: np.transpose(np.reshape(x, (2, 2)))[::-1, 0],
    "reductions": lambda x: np.sum(B * x, axis=0, keepdims=True) * np.mean(x),
    "elementwise_chain": lambda x: np.arctan(np.exp(np.sin(x)) * np.sqrt(x ** 2 + 1.0)),
}


@pytest.mark.parametrize("name", RULES)
def test_tangent_rules_agree_with_the_jacobian(name):
    f = RULES[name]
    x = rng.normal(size=4)
    v = rng.normal(size=4)
    J = jacobian(f)(x)
    onp.testing.assert_allclose(make_jvp(f)(x)(v)[1], onp.tensordot(J, v, 1), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("f, x", [
    (lambda y: np.power(0.0, y), 0.3),                       # d/dy 0**y = 0, not nan
    (lambda y: np.power(onp.array([0.0, 2.0]), y), onp.array([0.5, 1.5])),
    (lambda x: np.power(x, 0.0), onp.array([0.0, 2.0])),     # x**0 = 1 even at 0
    (lambda x: np.power(x, onp.array([0.0, 2.0])), onp.array([0.0, 0.0])),
    (lambda x: x ** 1 + x ** 3.5, onp.array([0.5, 2.0])),
])
def test_power_tangents_at_zero_match_the_gradient(f, x):
    v = onp.ones_like(x) if onp.ndim(x) else 1.0
    _, tangent = make_jvp(f)(x)(v)
    assert onp.all(onp.isfinite(tangent))
    J = jacobian(f)(x)
    onp.testing.assert_allclose(tangent, onp.tensordot(J, v, onp.ndim(x)), rtol=1e-12)


@pytest.mark.parametrize("f", [
    lambda x: np.sum(x, axis=0, initial=1.5) ** 2,
    lambda x: np.sum(x, 1, None, None, True, 0.5, onp.array([True, False, True])) ** 2,
    lambda x: np.sum(x ** 2, where=onp.array([[True, False, True], [False, True, True]])),
])
def test_sum_with_initial_and_where(f):
    x, v = rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    J = jacobian(f)(x)
    _, tangent = make_jvp(f)(x)(v)
    onp.testing.assert_allclose(tangent, onp.tensordot(J, v, 2), rtol=1e-12)


C = rng.normal(size=4)
MORE_RULES = {
    "cumsum": lambda x: np.cumsum(np.reshape(x, (2, 2)), axis=1),
    "trace_diagonal_diag": lambda x: np.trace(np.outer(x, x), 1) * np.diag(np.diag(x, 1), 1) + np.diagonal(
        np.outer(x, C)),
    "triangles": lambda x: np.tril(np.outer(x, x), -1) + np.triu(np.outer(C, x)),
    "flips_and_rolls": lambda x: np.flip(x) * np.roll(x, 1) + np.fliplr(np.reshape(x, (2, 2)))[0, 0]
    + np.flipud(np.reshape(x, (2, 2)))[1] @ np.rot90(np.reshape(x, (2, 2)))[0],
    "tile_repeat_take": lambda x: np.tile(x, 2) * np.repeat(x, 2) + np.take(x, [3, 0, 0, 1, 2, 3, 1, 2])
    + np.take_along_axis(x, onp.array([1, 1, 0, 3, 2, 2, 0, 1]), 0),
    "maximum_minimum": lambda x: np.maximum(x, C) * np.minimum(x ** 2, 0.3) + np.fmax(x, 0.0),
    "maximum_tie": lambda x: np.maximum(x, onp.array([0.5, -1.0, 2.0, 0.0])),
    "where": lambda x: np.where(x > 0, x ** 2, C * x) + np.where(C > 0, 1.0, x),
    "clip": lambda x: np.clip(x, -0.5, 0.5) + np.clip(x, 0.0, None) * np.clip(C, x, None),
    "clip_by_keyword": lambda x: np.clip(x, min=-0.2) + np.clip(x, max=0.3),
    "concatenate_stack_array": lambda x: np.concatenate([x[:2] * 2.0, C, x ** 2])[1:5] * np.ravel(
        np.stack([x, C], axis=1))[::2] + np.array([x[0], 1.0, x[1] * x[2], x[3]]),
    "abs_sign": lambda x: np.abs(x) * np.sign(C) + np.fabs(x - 0.1) + np.absolute(x * C),
}


@pytest.mark.parametrize("name", MORE_RULES)
def test_more_tangent_rules_agree_with_the_jacobian(name):
    f = MORE_RULES[name]
    x = onp.array([0.5, -1.0, 1.5, 0.0]) if name == "maximum_tie" else rng.normal(size=4)
    v = rng.normal(size=4)
    J = jacobian(f)(x)
    onp.testing.assert_allclose(make_jvp(f)(x)(v)[1], onp.tensordot(J, v, 1), rtol=1e-10, atol=1e-12)


def test_abs_of_complex_values():
    z, v = rng.normal(size=3) + 1j * rng.normal(size=3), rng.normal(size=3) + 1j * rng.normal(size=3)
    h = 1e-6
    expected = (onp.abs(z + h * v) - onp.abs(z - h * v)) / (2 * h)
    _, tangent = make_jvp(np.abs)(z)(v)
    assert tangent.dtype.kind == "f"
    onp.testing.assert_allclose(tangent, expected, rtol=1e-8)
