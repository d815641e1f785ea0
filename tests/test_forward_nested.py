"""Nested forward mode: forward over forward (to third order), forward over
reverse (make_jvp(grad(f))), reverse over forward (grad of a function that calls
make_jvp), and a jvp whose tangent is itself being differentiated, on arrays and
on structured inputs. Every result is checked against central differences of the
derivative one order below (which is itself checked elsewhere)."""
import numpy as onp
import pytest

import teachgrad.numpy as np
from teachgrad import grad, hessian, make_jvp, make_vjp
from test_forward_structure import assert_tangent, central_difference, random_like

rng = onp.random.default_rng(11)
A = rng.normal(size=(3, 3))

FUNCTIONS = {
    "array": (lambda x: np.sin(A @ x) * x + np.exp(x[0] * x[1]), rng.normal(size=3) * 0.5),
    "scalar out": (lambda x: np.sum(np.tanh(A @ x) ** 2) + np.prod(x), rng.normal(size=3) * 0.5),
    "matrix": (lambda X: (X @ X.T) @ np.log(1.0 + X ** 2), rng.normal(size=(2, 3))),
    "dict": (lambda p: {'y': np.sin(p['w'] * p['x']), 's': np.sum(p['w'] ** 3) * p['x'][0]},
             {'w': rng.normal(size=3), 'x': rng.normal(size=3)}),
    "complex": (lambda z: z ** 3 * np.exp(1j * z), rng.normal(size=2) + 1j * rng.normal(size=2)),
}


def jvp_along(f, v):
    return lambda x: make_jvp(f)(x)(v)[1]


@pytest.mark.parametrize("name", FUNCTIONS)
def test_forward_over_forward_second_and_third_order(name):
    f, x = FUNCTIONS[name]
    v, u, w = (random_like(x, seed=s) for s in (1, 2, 3))
    first = jvp_along(f, v)
    second = jvp_along(first, u)
    assert_tangent(second(x), central_difference(first, x, u, h=1e-5), rtol=1e-6, atol=1e-7)
    third = jvp_along(second, w)
    assert_tangent(third(x), central_difference(second, x, w, h=1e-5), rtol=1e-6, atol=1e-7)


def test_third_derivative_of_a_quartic_is_exact():
    x, v = onp.array([0.5, -1.0, 2.0]), onp.array([1.0, 2.0, -0.5])
    third = jvp_along(jvp_along(jvp_along(lambda x: x ** 4, v), v), v)
    onp.testing.assert_allclose(third(x), 24 * x * v ** 3, rtol=1e-14)


def scalar_version(f, x, seed=7):
    """sum(real(f(x) * weights)), leaf by leaf: a real scalar function to take gradients of."""
    out = f(x)
    weights = random_like(out, seed=seed)
    leaves = []

    def collect(a, b):
        leaves.append(b)
        return a
    from test_forward_structure import zip_structure
    zip_structure(collect, out, weights)

    def scalar(y):
        parts = []
        zip_structure(lambda a, b: parts.append(np.sum(np.real(a * b))), f(y), weights)
        total = parts[0]
        for p in parts[1:]:
            total = total + p
        return total
    return scalar


@pytest.mark.parametrize("name", FUNCTIONS)
def test_forward_over_reverse(name):
    f, x = FUNCTIONS[name]
    scalar = scalar_version(f, x)
    v = random_like(x, seed=4)
    assert_tangent(make_jvp(grad(scalar))(x)(v)[1],
                   central_difference(grad(scalar), x, v, h=1e-5), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_reverse_over_forward(name):
    f, x = FUNCTIONS[name]
    v = random_like(x, seed=5)
    directional = scalar_version(jvp_along(f, v), x)
    gradient = grad(directional)(x)
    u = random_like(x, seed=6)
    # gradient · u is the derivative of the directional derivative along u
    # (for complex leaves: Re(sum(g * u)) in teachgrad's convention)
    along_u = central_difference(directional, x, u, h=1e-5)
    from test_forward_structure import zip_structure
    products = []
    zip_structure(lambda g, d: products.append(float(onp.real(onp.sum(g * d)))), gradient, u)
    assert sum(products) == pytest.approx(float(along_u), rel=1e-6, abs=1e-7)
    assert_tangent(gradient, zip_structure(lambda a, _: a, gradient, x), rtol=0, atol=0)


def test_hessian_vector_products_agree_in_all_three_nestings():
    f = FUNCTIONS["scalar out"][0]
    x, v = rng.normal(size=3), rng.normal(size=3)
    H = hessian(f)(x)
    onp.testing.assert_allclose(make_jvp(grad(f))(x)(v)[1], H @ v, rtol=1e-10)
    onp.testing.assert_allclose(grad(jvp_along(f, v))(x), H @ v, rtol=1e-10)
    onp.testing.assert_allclose(jvp_along(jvp_along(f, v), onp.eye(3)[0])(x), (H @ v)[0], rtol=1e-10)


def test_a_jvp_differentiated_with_respect_to_its_tangent_and_point_together():
    """What autograd's check_grads does at second order: (x, v) -> J(x) v as one function."""
    f, x = FUNCTIONS["dict"]
    v = random_like(x, seed=8)
    joint = lambda xv: make_jvp(f)(xv[0])(xv[1])[1]        # noqa: E731
    point = (x, v)
    direction = (random_like(x, seed=9), random_like(x, seed=10))
    assert_tangent(make_jvp(joint)(point)(direction)[1],
                   central_difference(joint, point, direction, h=1e-5), rtol=1e-6, atol=1e-7)
    scalar = scalar_version(joint, point)
    g = grad(scalar)(point)
    products = []
    from test_forward_structure import zip_structure
    zip_structure(lambda a, b: products.append(float(onp.sum(a * b))), g, direction)
    assert sum(products) == pytest.approx(float(central_difference(scalar, point, direction, h=1e-5)),
                                          rel=1e-6)


def test_forward_over_a_vjp_whose_cotangent_is_traced():
    """autograd's check_grads for 'rev' at order 2: (x, u) -> u J(x), differentiated forward."""
    f, x = FUNCTIONS["matrix"]
    u = rng.normal(size=(2, 3))
    pullback = lambda xu: make_vjp(f)(xu[0])[0](xu[1])     # noqa: E731
    point, direction = (x, u), (rng.normal(size=x.shape), rng.normal(size=u.shape))
    assert_tangent(make_jvp(pullback)(point)(direction)[1],
                   central_difference(pullback, point, direction, h=1e-5), rtol=1e-6, atol=1e-7)


def test_nested_jvps_with_several_array_inputs_do_not_compare_arrays():
    # The inner trace has two array inputs: finding which one a node came from must not use ==.
    f = lambda p: p[0] * np.sin(p[1])                     # noqa: E731
    x = [onp.array([1.0, 2.0]), onp.array([0.5, 0.3])]
    v = [onp.array([1.0, 0.0]), onp.array([0.0, 1.0])]
    outer = lambda p: make_jvp(f)(p)(v)[1]                # noqa: E731
    u = [onp.array([0.0, 1.0]), onp.array([1.0, 1.0])]
    assert_tangent(make_jvp(outer)(x)(u)[1], central_difference(outer, x, u, h=1e-5),
                   rtol=1e-6, atol=1e-7)


def test_fixed_point_and_checkpoint_in_forward_and_nested_modes():
    from teachgrad.misc.checkpoint import checkpoint
    from teachgrad.misc.fixed_points import fixed_point
    newton_sqrt = lambda a: lambda x: 0.5 * (x + a / x)       # noqa: E731
    sqrt = lambda a: fixed_point(newton_sqrt, a, 1.0, lambda x, y: np.abs(x - y), 1e-12)  # noqa: E731
    first = jvp_along(sqrt, 1.0)
    assert float(first(2.0)) == pytest.approx(0.5 / onp.sqrt(2.0), rel=1e-10)
    assert float(jvp_along(first, 1.0)(2.0)) == pytest.approx(-0.25 * 2.0 ** -1.5, rel=1e-8)
    f = lambda x: checkpoint(lambda y: np.sin(y) * y)(x) * 2.0   # noqa: E731
    x, v = onp.array([0.3, 0.5]), onp.array([1.0, -1.0])
    assert_tangent(jvp_along(f, v)(x), central_difference(f, x, v))
    assert_tangent(jvp_along(jvp_along(f, v), v)(x), central_difference(jvp_along(f, v), x, v, h=1e-5))


@pytest.mark.parametrize("name", ["array", "dict"])
def test_mixed_third_order(name):
    """grad of make_jvp(grad(f)), and make_jvp of grad of a jvp: third derivatives of f."""
    f, x = FUNCTIONS[name]
    scalar = scalar_version(f, x)
    v, u = random_like(x, seed=12), random_like(x, seed=13)
    hvp = lambda y: make_jvp(grad(scalar))(y)(v)[1]               # noqa: E731
    hvp_dot_u = scalar_version(hvp, x, seed=14)
    assert_tangent(make_jvp(grad(hvp_dot_u))(x)(u)[1],
                   central_difference(grad(hvp_dot_u), x, u, h=1e-5), rtol=1e-5, atol=1e-6)
    directional = lambda y: make_jvp(scalar)(y)(v)[1]             # noqa: E731
    second = lambda y: make_jvp(grad(directional))(y)(u)[1]       # noqa: E731
    w = random_like(x, seed=15)
    assert_tangent(make_jvp(second)(x)(w)[1], central_difference(second, x, w, h=1e-5),
                   rtol=1e-5, atol=1e-6)
