"""autograd 1.1: teachgrad.optimizers.adam / sgd / rmsprop with grad(params, i) and callbacks."""
import numpy as onp

import teachgrad.numpy as np
from teachgrad.convenience_wrappers import grad
from teachgrad.optimizers import adam, rmsprop, sgd
from teachgrad.util import flatten

target = {"w": onp.array([1.0, -2.0]), "b": 0.5}


def objective(params, i):
    return np.sum((params["w"] - target["w"]) ** 2) + (params["b"] - target["b"]) ** 2


seen = []
start = {"w": onp.zeros(2), "b": 0.0}
found = adam(grad(objective), start, callback=lambda p, i, g: seen.append(i),
             num_iters=500, step_size=0.05)
assert seen == list(range(500))
assert onp.allclose(flatten(found)[0], flatten(target)[0], atol=1e-3), found
found = sgd(grad(objective), start, num_iters=300, step_size=0.5, mass=0.5)
assert onp.allclose(flatten(found)[0], flatten(target)[0], atol=1e-3), found
found = rmsprop(grad(objective), start, num_iters=300, step_size=0.01)
assert onp.allclose(flatten(found)[0], flatten(target)[0], atol=2e-2), found
print("optimum:", found)
