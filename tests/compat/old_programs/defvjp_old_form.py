"""autograd 1.1.8: f.defvjp(vjp, argnum) with vjp(g, ans, vs, gvs, *args) and defvjp_is_zero."""
import numpy as onp

import teachgrad.numpy as np
from teachgrad import grad
from teachgrad.core import primitive


@primitive
def weighted_sum(x, w, label):
    return np.sum(x * w)


weighted_sum.defvjp(lambda g, ans, vs, gvs, x, w, label: g * w + onp.zeros(vs.shape))
weighted_sum.defvjp(lambda g, ans, vs, gvs, x, w, label: g * x, argnum=1)
weighted_sum.defvjp_is_zero(argnums=(2,))

x = onp.array([1.0, -2.0, 3.0])
w = onp.array([0.5, 0.25, 2.0])
gx = grad(lambda x: weighted_sum(x, w, 0.0) ** 2)(x)
gw = grad(lambda x, w: weighted_sum(x, w, 0.0) ** 2, 1)(x, w)
total = onp.sum(x * w)
assert onp.allclose(gx, 2 * total * w) and onp.allclose(gw, 2 * total * x)
print("gradients:", gx, gw)
