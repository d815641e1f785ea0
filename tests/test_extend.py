"""Custom gradients: primitive, defvjp and friends."""
import numpy as onp
import pytest

import teachgrad.numpy as np
from teachgrad import grad, hessian, trace
from teachgrad.extend import (defvjp, defvjp_argnum, defvjp_argnums, notrace_primitive,
                              primitive)
from gradcheck import numeric_grad


@primitive
def logsumexp(x):
    """Stable log(sum(exp(x)))."""
    m = onp.max(x)
    return m + onp.log(onp.sum(onp.exp(x - m)))


defvjp(logsumexp, lambda ans, x: lambda g: g * np.exp(x - ans))


def test_custom_primitive_is_one_node_and_its_gradient_is_used():
    x = onp.array([1000.0, 1000.5, 999.0])       # exp would overflow without the trick
    tr = trace(lambda x: logsumexp(x) * 2.0, x)
    assert [n.op for n in tr.nodes] == ['input', 'logsumexp', 'multiply']
    softmax = onp.exp(x - x.max()) / onp.exp(x - x.max()).sum()
    onp.testing.assert_allclose(tr.inputs[0].grad, 2 * softmax)
    assert onp.all(onp.isfinite(tr.inputs[0].grad))


def test_custom_gradient_differentiates_again():
    x = onp.array([0.1, -0.3, 0.2])
    H = hessian(logsumexp)(x)
    s = onp.exp(x) / onp.exp(x).sum()
    onp.testing.assert_allclose(H, onp.diag(s) - onp.outer(s, s), rtol=1e-10, atol=1e-12)


def test_makers_for_several_arguments_and_none():
    @primitive
    def scaled(x, k, label):
        return x * k

    defvjp(scaled, lambda ans, x, k, label: lambda g: g * k,
           lambda ans, x, k, label: lambda g: g * x, None)
    assert grad(scaled, 0)(2.0, 3.0, "a") == pytest.approx(3.0)
    assert grad(scaled, 1)(2.0, 3.0, "a") == pytest.approx(2.0)


def test_none_maker_gives_zero_gradient():
    @primitive
    def first(x, y):
        return x + 0.0 * y

    defvjp(first, lambda ans, x, y: lambda g: g, None)
    assert grad(first, 1)(1.0, 2.0) == 0.0


def test_defvjp_argnum_and_argnums():
    @primitive
    def mul(x, y):
        return x * y

    defvjp_argnum(mul, lambda argnum, ans, args, kwargs:
                  lambda g: g * args[1 - argnum])
    assert grad(mul, (0, 1))(2.0, 5.0) == pytest.approx((5.0, 2.0))

    @primitive
    def add3(x, y, z):
        return x + 2 * y + 3 * z

    defvjp_argnums(add3, lambda argnums, ans, args, kwargs:
                   lambda g: [g * (i + 1) for i in argnums])
    assert grad(add3, (0, 1, 2))(1.0, 1.0, 1.0) == pytest.approx((1.0, 2.0, 3.0))


def test_defvjp_argnums_maker_returning_too_few_gradients_is_an_error():
    @primitive
    def add2(x, y):
        return x + y

    # one gradient whatever argnums asks for: right for one traced argument, not for two
    defvjp_argnums(add2, lambda argnums, ans, args, kwargs: lambda g: (g,))
    assert grad(lambda x: add2(x, 2.0))(1.0) == 1.0
    with pytest.raises(TypeError, match=r"arguments \[0, 1\] but returned 1 gradient"):
        grad(lambda x: add2(x, x))(1.0)      # was silently 1.0 (the y part dropped)


def test_wrong_custom_gradient_is_caught_by_finite_differences():
    @primitive
    def cube(x):
        return x ** 3

    defvjp(cube, lambda ans, x: lambda g: g * 3 * x)      # wrong: should be 3 x^2
    assert grad(cube)(2.0) != pytest.approx(float(numeric_grad(lambda x: x ** 3, 2.0)))


def test_notrace_primitive_returns_plain_values():
    @notrace_primitive
    def count_positive(x):
        return int(onp.sum(x > 0))

    def f(x):
        return np.sum(x) * count_positive(x)
    tr = trace(f, onp.array([1.0, -2.0, 3.0]))
    assert 'count_positive' not in [n.op for n in tr.nodes]
    onp.testing.assert_allclose(tr.inputs[0].grad, [2.0, 2.0, 2.0])


def test_defvjp_on_a_plain_function_explains():
    with pytest.raises(TypeError, match="@primitive"):
        defvjp(lambda x: x, lambda ans, x: lambda g: g)


def test_missing_maker_for_an_argument():
    @primitive
    def two(x, y):
        return x * y
    defvjp(two, lambda ans, x, y: lambda g: g * y)
    with pytest.raises(NotImplementedError, match="argument 1"):
        grad(two, 1)(1.0, 2.0)


def test_primitive_returning_a_tuple_of_different_shapes():
    @primitive
    def two(x):
        return x * 2.0, x[:2] * 3.0

    def two_vjp(ans, x):
        return lambda g: 2.0 * g[0] + onp.concatenate([3.0 * g[1], onp.zeros(1)])
    defvjp(two, two_vjp)
    x = onp.ones(3)
    onp.testing.assert_allclose(grad(lambda x: np.sum(two(x)[1]))(x), [3.0, 3.0, 0.0])
    onp.testing.assert_allclose(grad(lambda x: np.sum(two(x)[0]) + np.sum(two(x)[1] ** 2))(x),
                                [2.0 + 18.0, 2.0 + 18.0, 2.0])

    def both_outputs(x):
        a, b = two(x)                     # unpacking a traced tuple
        return np.sum(a) * np.sum(b)
    numeric = numeric_grad(lambda x: both_outputs(x), x)
    onp.testing.assert_allclose(grad(both_outputs)(x), numeric, rtol=1e-6)


def _product(x, y):
    return x * y


@pytest.mark.parametrize("register", [
    lambda f: defvjp(f, lambda ans, x, y: lambda g: g * y, lambda ans, x, y: lambda g: g * x),
    lambda f: defvjp_argnum(f, lambda argnum, ans, args, kwargs: lambda g: g * args[1 - argnum]),
    lambda f: defvjp_argnums(f, lambda argnums, ans, args, kwargs:
                             lambda g: [g * args[1 - i] for i in argnums]),
], ids=["defvjp", "defvjp_argnum", "defvjp_argnums"])
def test_every_registration_form_is_reached_through_chain_rule(register):
    from teachgrad.errors import NoGradientError
    f = primitive(_product)
    assert not f.has_gradient() and not f.has_gradient(0)
    with pytest.raises(NoGradientError, match="argument 0"):
        f.chain_rule(1.0, [0], 6.0, (2.0, 3.0), None)
    register(f)
    assert f.has_gradient() and f.has_gradient(0) and f.has_gradient(1)
    assert f.chain_rule(1.0, [0, 1], 6.0, (2.0, 3.0), None) == [3.0, 2.0]
    assert f.chain_rule(2.0, [1], 6.0, (2.0, 3.0), {}) == [4.0]
    assert grad(f, (0, 1))(2.0, 3.0) == (3.0, 2.0)


def test_chain_rule_follows_a_gradient_removed_and_put_back():
    from teachgrad.core import primitive_vjps
    f = primitive(_product)
    defvjp(f, lambda ans, x, y: lambda g: g * y, lambda ans, x, y: lambda g: g * x)
    saved = primitive_vjps.pop(f)
    assert not f.has_gradient()
    primitive_vjps[f] = lambda argnums, ans, args, kwargs: lambda g: tuple(10.0 * g for _ in argnums)
    assert f.chain_rule(1.0, [0, 1], 6.0, (2.0, 3.0), None) == [10.0, 10.0]
    primitive_vjps[f] = saved
    assert f.chain_rule(1.0, [0, 1], 6.0, (2.0, 3.0), None) == [3.0, 2.0]
