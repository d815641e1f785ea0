"""autograd 1.0: defgrad for each argument (argnum=1) and defgrad_is_zero for an index."""
import numpy as onp

import teachgrad.numpy as np
from teachgrad.core import primitive
from teachgrad.convenience_wrappers import grad, multigrad


@primitive
def scaled_power(x, p, unused_index):
    return x ** p


scaled_power.defgrad(lambda ans, x, p, i: lambda g: g * p * x ** (p - 1))
scaled_power.defgrad(lambda ans, x, p, i: lambda g: g * ans * np.log(x), argnum=1)
scaled_power.defgrad_is_zero(argnums=(2,))


def f(x, p):
    return scaled_power(x, p, 3.0) + 0.0 * scaled_power(1.5, p, x)


x, p = 2.0, 3.0
eps = 1e-6
dx_fd = (f(x + eps, p) - f(x - eps, p)) / (2 * eps)
dp_fd = (f(x, p + eps) - f(x, p - eps)) / (2 * eps)
dx, dp = multigrad(f, argnums=[0, 1])(x, p)
assert abs(dx - 12.0) < 1e-12 and abs(dx - dx_fd) < 1e-6, dx      # p x^(p-1) = 12
assert abs(dp - 8.0 * onp.log(2.0)) < 1e-12 and abs(dp - dp_fd) < 1e-6, dp
assert grad(lambda i: scaled_power(x, p, i))(1.0) == 0.0          # defgrad_is_zero
print("dx, dp:", dx, dp)
