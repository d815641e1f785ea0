"""The differential operators a tutorial teaches, checked against finite differences."""
import inspect

import numpy as onp
import pytest

import teachgrad.numpy as np
from teachgrad import (deriv, elementwise_grad, grad, grad_and_aux, grad_named, hessian,
                       hessian_vector_product, jacobian, make_hvp, make_jvp, make_vjp,
                       multigrad, multigrad_dict, value_and_grad, vector_jacobian_product)
from gradcheck import numeric_grad


def f(x, y):
    return np.sin(x) * y + x ** 2


def dfdx(x, y):
    return onp.cos(x) * y + 2 * x


def dfdy(x, y):
    return onp.sin(x)


def test_the_issue_example():
    assert grad(f)(1.0, 2.0) == pytest.approx(dfdx(1.0, 2.0), rel=1e-12)
    assert grad(f, 1)(1.0, 2.0) == pytest.approx(dfdy(1.0, 2.0), rel=1e-12)
    gx, gy = grad(f, (0, 1))(1.0, 2.0)
    assert (gx, gy) == pytest.approx((dfdx(1.0, 2.0), dfdy(1.0, 2.0)), rel=1e-12)
    assert grad_named(f, 'y')(1.0, 2.0) == pytest.approx(dfdy(1.0, 2.0), rel=1e-12)
    assert multigrad(f, [0, 1])(1.0, 2.0) == pytest.approx((gx, gy), rel=1e-12)
    assert multigrad_dict(f)(1.0, 2.0) == pytest.approx({'x': gx, 'y': gy}, rel=1e-12)
    # d3/dx3 tanh = -2 sech^2 (1 - 3 tanh^2), and by finite differences of the second derivative
    t = onp.tanh(0.5)
    assert grad(grad(grad(np.tanh)))(0.5) == pytest.approx(-2 * (1 - t ** 2) * (1 - 3 * t ** 2), rel=1e-10)
    second = grad(grad(np.tanh))
    assert grad(grad(grad(np.tanh)))(0.5) == pytest.approx(numeric_grad(second, 0.5), rel=1e-6)


def test_scalar_gradients_print_as_floats():
    g = grad(f)(1.0, 2.0)
    assert type(g) is float


def test_gradient_function_keeps_signature():
    for op in (grad(f), grad(f, 1), grad_named(f, 'y'), multigrad(f, [0, 1]), multigrad_dict(f),
               value_and_grad(f), elementwise_grad(f), jacobian(f), hessian(f)):
        assert inspect.signature(op) == inspect.signature(f)
        assert op.__name__ == 'f'


def test_argument_passed_by_keyword_and_default():
    def g(x, y=3.0):
        return x * y ** 2
    assert grad(g, 1)(2.0, y=3.0) == pytest.approx(12.0)
    assert grad(g, 1)(2.0) == pytest.approx(12.0)          # differentiated at its default
    assert grad_named(g, 'y')(x=2.0) == pytest.approx(12.0)
    assert multigrad_dict(g)(2.0) == pytest.approx({'x': 9.0, 'y': 12.0})


def test_multigrad_dict_keyword_only_and_non_float_arguments():
    def g(x, *, scale=2.0, n=3, label="loss"):
        return np.sum(x) * scale * n
    grads = multigrad_dict(g)(np.ones(2), scale=0.5)
    assert set(grads) == {'x', 'scale'}                     # ints and strings have no gradient
    onp.testing.assert_allclose(grads['x'], [1.5, 1.5])
    assert grads['scale'] == pytest.approx(6.0)


def test_varargs():
    def g(*xs):
        return xs[0] * xs[1] ** 2
    assert grad(g, 1)(2.0, 3.0) == pytest.approx(12.0)


def test_value_and_grad_and_aux():
    value, g = value_and_grad(f)(1.0, 2.0)
    assert value == pytest.approx(onp.sin(1.0) * 2 + 1)
    assert type(value) is float and type(g) is float        # print as 2.68, not np.float64(2.68)
    assert g == pytest.approx(dfdx(1.0, 2.0))
    g, aux = grad_and_aux(lambda x: (x ** 3, {'x_was': x}))(2.0)
    assert g == pytest.approx(12.0)
    assert aux == {'x_was': 2.0}
    assert not hasattr(aux['x_was'], 'parents')   # aux comes back as a plain value


def test_elementwise_grad_and_deriv():
    x = onp.linspace(-2, 2, 7)
    onp.testing.assert_allclose(elementwise_grad(np.tanh)(x), 1 - onp.tanh(x) ** 2)
    onp.testing.assert_allclose(elementwise_grad(lambda x: x ** 3)(x), 3 * x ** 2)
    assert deriv(np.sin)(0.3) == pytest.approx(onp.cos(0.3))


def test_jacobian_against_finite_differences():
    A = onp.random.default_rng(0).normal(size=(3, 4))

    def g(x):
        return np.tanh(A @ x) * x[0]
    x = onp.random.default_rng(1).normal(size=4)
    J = jacobian(g)(x)
    assert J.shape == (3, 4)
    for i in range(3):
        onp.testing.assert_allclose(J[i], numeric_grad(lambda x: g(x)[i], x), rtol=1e-6, atol=1e-8)


def test_jacobian_and_holomorphic_grad_of_an_argument_left_at_its_default():
    # (both raised KeyError: they looked the argument up among those given)
    f = lambda x, y=np.array([1.0, 2.0]): x * y                      # noqa: E731
    onp.testing.assert_allclose(jacobian(f, 1)(np.array([3.0, 4.0])), onp.diag([3.0, 4.0]))
    from teachgrad import holomorphic_grad
    assert complex(holomorphic_grad(lambda x, z=1.0 + 1.0j: z ** 2, 1)(1.0)) == 2.0 + 2.0j


def test_jacobian_of_matrix_output_has_output_then_input_shape():
    x = onp.arange(6.0).reshape(2, 3)
    J = jacobian(lambda x: x * 2.0)(x)
    assert J.shape == (2, 3, 2, 3)
    onp.testing.assert_allclose(J.reshape(6, 6), 2 * onp.eye(6))


def test_hessian_against_finite_differences():
    A = onp.random.default_rng(2).normal(size=(4, 4))

    def g(x):
        return np.sum(np.tanh(A @ x) ** 2) + np.sum(x ** 4)
    x = onp.random.default_rng(3).normal(size=4)
    H = hessian(g)(x)
    assert H.shape == (4, 4)
    onp.testing.assert_allclose(H, H.T, rtol=1e-10, atol=1e-12)
    gradient = grad(g)
    for i in range(4):
        onp.testing.assert_allclose(H[i], numeric_grad(lambda x: gradient(x)[i], x), rtol=1e-5, atol=1e-7)


def test_hessian_vector_products():
    A = onp.random.default_rng(4).normal(size=(3, 3))

    def g(x):
        return np.sum(np.sin(A @ x) * x)
    x = onp.array([0.1, -0.4, 0.7])
    v = onp.array([1.0, 2.0, -1.0])
    H = hessian(g)(x)
    onp.testing.assert_allclose(hessian_vector_product(g)(x, v), H @ v, rtol=1e-10)
    hvp, gradient = make_hvp(g)(x)
    onp.testing.assert_allclose(hvp(v), H @ v, rtol=1e-10)
    onp.testing.assert_allclose(hvp(2 * v), 2 * H @ v, rtol=1e-10)   # reusable
    onp.testing.assert_allclose(gradient, grad(g)(x))


def test_vjp_and_jvp():
    A = onp.random.default_rng(5).normal(size=(2, 3))

    def g(x):
        return np.tanh(A @ x)
    x = onp.array([0.3, -0.2, 0.5])
    J = jacobian(g)(x)
    vjp, value = make_vjp(g)(x)
    onp.testing.assert_allclose(value, onp.tanh(A @ x))
    u = onp.array([1.0, -2.0])
    onp.testing.assert_allclose(vjp(u), u @ J, rtol=1e-12)
    onp.testing.assert_allclose(vjp(2 * u), 2 * u @ J, rtol=1e-12)    # called again
    onp.testing.assert_allclose(vector_jacobian_product(g)(x, u), u @ J, rtol=1e-12)
    v = onp.array([0.5, 1.0, -1.0])
    value, Jv = make_jvp(g)(x)(v)
    onp.testing.assert_allclose(Jv, J @ v, rtol=1e-10)


# ---------------------------------------------------------------- higher order

def test_no_perturbation_confusion():
    assert grad(lambda x: grad(lambda y: x * y)(2.0))(3.0) == 1.0
    # d/dx [x * d/dy (x + y)] = d/dx [x] = 1
    assert grad(lambda x: x * grad(lambda y: x + y)(1.0))(5.0) == 1.0


@pytest.mark.parametrize("order", [1, 2, 3, 4, 5, 6])
def test_derivatives_of_sin_cycle(order):
    d = np.sin
    for _ in range(order):
        d = grad(d)
    expected = [onp.sin, onp.cos, lambda x: -onp.sin(x), lambda x: -onp.cos(x)][order % 4](0.7)
    assert d(0.7) == pytest.approx(expected, rel=1e-12)


def test_second_derivative_mixed_partials():
    def g(x, y):
        return np.exp(x * y) + x ** 3 * y
    d2_dxdy = grad(grad(g, 0), 1)(0.5, 0.3)
    d2_dydx = grad(grad(g, 1), 0)(0.5, 0.3)
    expected = onp.exp(0.15) * (1 + 0.15) + 3 * 0.25
    assert d2_dxdy == pytest.approx(expected, rel=1e-12)
    assert d2_dydx == pytest.approx(expected, rel=1e-12)


# ---------------------------------------------------------------- control flow

def test_python_control_flow():
    def g(x, n):
        total = 0.0
        for i in range(n):
            if x > 0:
                total = total + x ** i
            else:
                total = total - x
        k = 0
        while k < 2:
            total = total * 1.5
            k += 1
        return total

    def g_by_hand(x, n):
        return 2.25 * sum(i * x ** (i - 1) for i in range(1, n)) if x > 0 else -2.25 * n
    assert grad(g)(1.3, 4) == pytest.approx(g_by_hand(1.3, 4))
    assert grad(g)(-1.3, 4) == pytest.approx(g_by_hand(-1.3, 4))


def test_recursion():
    def power(x, n):
        return 1.0 if n == 0 else x * power(x, n - 1)
    assert grad(power)(1.5, 5) == pytest.approx(5 * 1.5 ** 4)


def test_complex_scalars():
    # |z|^2 = x^2 + y^2: autograd's convention gives df/dx - i df/dy = 2 conj(z)
    z = 1.0 + 2.0j
    g = grad(lambda z: np.real(z * np.conj(z)))(z)
    assert g == pytest.approx(2 * onp.conj(z))
    numeric = numeric_grad(lambda z: onp.real(z * onp.conj(z)), z)
    assert g == pytest.approx(complex(numeric), rel=1e-6)


def test_lists_of_traced_values_given_to_numpy_functions():
    assert grad(lambda a: np.mean([a, 2 * a]))(1.0) == pytest.approx(1.5)
    assert grad(lambda a: np.sum([a ** 2, 3 * a, 1.0]))(2.0) == pytest.approx(7.0)
    assert grad(lambda a: np.max([a, 2.0]))(3.0) == pytest.approx(1.0)


def test_array_methods_call_the_recorded_functions():
    x = onp.arange(1.0, 5.0).reshape(2, 2)
    onp.testing.assert_allclose(grad(lambda x: x.cumsum().sum())(x), [[4, 3], [2, 1]])
    onp.testing.assert_allclose(grad(lambda x: x.trace())(x), onp.eye(2))
    onp.testing.assert_allclose(grad(lambda x: x.diagonal().sum() * 2)(x), 2 * onp.eye(2))
    onp.testing.assert_allclose(grad(lambda x: x.swapaxes(0, 1)[0, 1])(x), [[0, 0], [1, 0]])
    assert grad(lambda x: x.sum() if x.any() and x.round().all() else 0.0)(x).shape == (2, 2)


def test_teachgrad_numpy_teaches_the_engine_about_arrays_in_one_call():
    from teachgrad import tracing
    from teachgrad.numpy.array_node import ArrayNode
    from teachgrad import trace
    # (a Box.register elsewhere in the session wraps the factory, but floats stay ArrayNodes)
    assert type(trace(lambda x: x * 2.0, 1.0).nodes[1]) is ArrayNode   # array operators
    assert tracing.list_to_array is np.array               # np.mean([x, 2 * x]) is recorded
    assert tracing.mutable_array_type is onp.ndarray       # constants are frozen while recorded
    assert float(grad(lambda x: np.mean([x, 2.0 * x]))(1.0)) == 1.5
