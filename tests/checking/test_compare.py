"""Comparing with the reference (checking/compare.py): where f is not differentiable,
no one is blamed.
"""
import numpy as onp

import teachgrad.numpy as np
from teachgrad import check_grad


def test_not_differentiable_at_the_point_is_not_blamed_on_the_student():
    x = onp.array([1.0, -2.0, 0.0, 3.0])
    relu = lambda x: np.sum(np.maximum(x, 0.0))                         # noqa: E731
    for at_zero in (0.0, 1.0):                                         # any subgradient
        report = check_grad(relu, lambda x, a=at_zero: (x > 0) + a * (x == 0), x)
        assert report and "not differentiable" in str(report)
    assert check_grad(relu, lambda x: (x > 0) + 0.5 * (x == 0), x)      # teachgrad's own choice
    assert not check_grad(relu, lambda x: (x > 0) + 2.0 * (x == 0), x)  # outside [0, 1]
    sqrt = check_grad(lambda x: np.sum(np.sqrt(x)), lambda x: 0.5 / onp.sqrt(x), onp.array([0.0, 1.0]))
    assert sqrt.status == "inconclusive" and not sqrt and "not your gradient" in str(sqrt)
    step = check_grad(lambda x: np.sum(np.round(x) + x), lambda x: onp.ones_like(x), onp.array([0.5, 0.2]))
    assert step.status == "inconclusive" and "not continuous" in str(step)
    assert check_grad(lambda x: np.sum(np.abs(x)), None, x, order=1)   # teachgrad picks 0 at 0
