"""autograd 1.1: logsumexp from teachgrad.scipy.misc (softmax regression, as in the lab notebooks)."""
import numpy as onp

import teachgrad.numpy as np
from teachgrad.convenience_wrappers import grad
from teachgrad.scipy.misc import logsumexp


def log_softmax(z):
    return z - logsumexp(z, axis=1, keepdims=True)


def nll(W, X, Y):
    return -np.sum(log_softmax(np.dot(X, W)) * Y)


rs = onp.random.RandomState(1)
X, W = rs.randn(5, 3), rs.randn(3, 4)
Y = onp.eye(4)[rs.randint(0, 4, 5)]
Z = X @ W
softmax = onp.exp(Z) / onp.exp(Z).sum(axis=1, keepdims=True)
assert onp.allclose(grad(nll)(W, X, Y), X.T @ (softmax - Y))    # closed form
print("gradient of the softmax loss is right")
