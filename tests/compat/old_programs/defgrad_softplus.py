"""autograd 1.0: a primitive whose gradient is registered with f.defgrad."""
import numpy as onp

import teachgrad.numpy as np
from teachgrad.core import primitive, grad


@primitive
def softplus(x):
    return np.log(1.0 + np.exp(x))


softplus.defgrad(lambda ans, x: lambda g: g / (1.0 + np.exp(-x)))


def loss(w):
    return np.sum(softplus(w * 2.0))


w = onp.array([-1.0, 0.0, 0.5])
expected = 2.0 / (1.0 + onp.exp(-2.0 * w))          # d/dw softplus(2w), in closed form
assert onp.allclose(grad(loss)(w), expected, rtol=1e-12), grad(loss)(w)
print("defgrad gradient:", grad(loss)(w))
