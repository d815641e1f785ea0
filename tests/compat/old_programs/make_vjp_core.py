"""autograd 1.1.8: make_vjp(fun)(x) from teachgrad.core, and getval on traced values."""
import numpy as onp

import teachgrad.numpy as np
from teachgrad.core import getval, make_vjp

seen = []


def f(x):
    y = np.sin(x) * x
    seen.append(getval(y))           # a plain value, for logging while tracing
    return y


x = onp.array([0.5, 1.5])
vjp, ans = make_vjp(f)(x)
v = onp.array([1.0, -2.0])
assert onp.allclose(vjp(v), v * (onp.cos(x) * x + onp.sin(x)))
assert type(seen[0]) is onp.ndarray and onp.allclose(seen[0], onp.sin(x) * x)
print("vjp:", vjp(v))
