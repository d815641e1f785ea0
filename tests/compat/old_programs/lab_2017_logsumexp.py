"""A lab exercise from 2017 (autograd 1.1), as the first-gradients notebook shows it."""
import numpy as onp

import teachgrad.numpy as np
from teachgrad import show_graph
from teachgrad.convenience_wrappers import multigrad_dict
from teachgrad.core import primitive
from teachgrad.util import quick_grad_check


@primitive
def logsumexp(x):
    max_x = np.max(x)
    return max_x + np.log(np.sum(np.exp(x - max_x)))


def make_grad_logsumexp(ans, x):
    return lambda g: np.full(x.shape, g) * np.exp(x - np.full(x.shape, ans))


logsumexp.defgrad(make_grad_logsumexp)


def loss(weights, bias):
    return logsumexp(2.0 * weights + bias)


weights = np.array([0.5, -1.0, 2.0])
quick_grad_check(logsumexp, weights)
grads = multigrad_dict(loss)(weights, 0.1)
z = 2.0 * weights + 0.1
softmax = onp.exp(z) / onp.exp(z).sum()
assert onp.allclose(grads["weights"], 2 * softmax) and abs(grads["bias"] - 1.0) < 1e-12
assert onp.allclose(grads["weights"], [0.0946, 0.0047, 1.9007], atol=1e-4)
picture = show_graph(loss, weights, 0.1, display=False)
assert [n.op for n in picture.graph.nodes].count("logsumexp") == 1
print(grads)
