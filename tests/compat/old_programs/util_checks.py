"""autograd 1.0-1.1's checks: util.quick_grad_check, util.check_grads(fun, *args), util.nd."""
import numpy as onp

import teachgrad.numpy as np
from teachgrad.util import check_grads, nd, quick_grad_check


def logistic_loss(w, X, y):
    p = 1.0 / (1.0 + np.exp(-np.dot(X, w)))
    return -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p))


rs = onp.random.RandomState(0)
X, y = rs.randn(6, 3), (rs.rand(6) > 0.5) * 1.0
w = rs.randn(3)
quick_grad_check(logistic_loss, w, extra_args=(X, y), verbose=False)
check_grads(lambda w, b: np.sum(np.tanh(w) * b), w, onp.array([1.0, 2.0, -1.0]))

# the checks can fail: a primitive with a wrong gradient is caught
from teachgrad.core import primitive


@primitive
def cube(x):
    return x ** 3


cube.defgrad(lambda ans, x: lambda g: g * 3 * x)       # wrong: should be 3 * x ** 2
try:
    check_grads(lambda a: np.sum(cube(a)), w)
except AssertionError:
    pass
else:
    raise SystemExit("check_grads did not catch a wrong gradient")
try:
    quick_grad_check(lambda a: np.sum(cube(a)), w, verbose=False)
except AssertionError:
    pass
else:
    raise SystemExit("quick_grad_check did not catch a wrong gradient")

numeric = nd(lambda a, b: a * b ** 2, 3.0, 2.0)
assert onp.allclose(numeric, (4.0, 12.0), atol=1e-6), numeric
print("checks passed")
