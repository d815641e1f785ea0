"""check_grad and assert_grad (checking/check.py): a value or a function, several
points, a function teachgrad cannot trace, the public names.
"""
import numpy as onp
import pytest

import teachgrad
import teachgrad.numpy as np
from teachgrad import assert_grad, check_grad
from teachgrad.checking import CheckGradError

from checking_helpers import kinds, X, W, B, layer_loss, dW


def test_gradient_value_instead_of_function():
    assert check_grad(layer_loss, dW(W, B, X), W, B, X)
    assert not check_grad(layer_loss, dW(W, B, X) * 2, W, B, X)
    with pytest.raises(CheckGradError, match="points"):
        check_grad(layer_loss, dW(W, B, X), W, B, X, points=3)


def test_several_points_are_seeded_and_catch_a_lucky_point():
    x = onp.array([0.0, 1.0, -1.0])
    f = lambda x: np.sum(x ** 3)                                       # noqa: E731
    lucky = lambda x: 3 * x ** 2 + x * (x ** 2 - 1)                    # right only at 0, 1, -1
    assert check_grad(f, lucky, x)
    report = check_grad(f, lucky, x, points=4, seed=3)
    assert not report and "failed at 3" in report.point_summary
    again = check_grad(f, lucky, x, points=4, seed=3)
    assert str(again) == str(report)
    assert check_grad(f, lambda x: 3 * x ** 2, x, points=6)


def test_points_stay_where_f_is_defined():
    x = onp.array([0.05, 2.0])
    report = check_grad(lambda x: np.sum(np.log(x)), lambda x: 1 / x, x, points=5, spread=1.0)
    assert report and "Checked at" in report.point_summary


def test_function_teachgrad_cannot_trace_is_checked_by_finite_differences():
    x = onp.array([0.3, 1.1])

    def f(x):
        return onp.sum(onp.sin(onp.asarray(x)))          # asarray leaves teachgrad's graph
    report = check_grad(f, lambda x: onp.cos(x), x)
    assert report and "finite differences only" in str(report)
    assert kinds(check_grad(f, lambda x: -onp.cos(x), x)) == ["sign"]
    # plain numpy functions given traced values are traced (numpy hands them over)
    assert check_grad(lambda x: onp.sum(onp.sin(x)), lambda x: onp.cos(x), x)


def test_assert_grad():
    assert assert_grad(layer_loss, dW, W, B, X).passed
    with pytest.raises(AssertionError, match="Wrong sign"):
        assert_grad(layer_loss, lambda W, b, x: -dW(W, b, x), W, B, X)
    with pytest.raises(AssertionError, match="CANNOT TELL"):
        assert_grad(lambda x: np.sum(np.sqrt(x)), lambda x: 0.5 / onp.sqrt(x), onp.array([0.0, 1.0]))


def test_public_names():
    assert teachgrad.check_grad is check_grad and teachgrad.assert_grad is assert_grad
    assert {"check_grad", "assert_grad", "numeric_grad"} <= set(teachgrad.__all__)
