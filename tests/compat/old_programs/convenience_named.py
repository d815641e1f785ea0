"""The tutorial's era: grad_named, multigrad and multigrad_dict from convenience_wrappers."""
import numpy as onp

import teachgrad.numpy as np
from teachgrad.convenience_wrappers import (elementwise_grad, grad_named, hessian,
                                            hessian_vector_product, jacobian, multigrad,
                                            multigrad_dict, value_and_grad)


def predict(weights, bias, inputs):
    return np.tanh(np.dot(inputs, weights) + bias)


def loss(weights, bias, inputs=onp.array([[1.0, 2.0], [-1.0, 0.5]]), targets=onp.array([0.5, -0.2])):
    return np.sum((predict(weights, bias, inputs) - targets) ** 2)


W, b = onp.array([0.3, -0.1]), 0.2
inputs, targets = onp.array([[1.0, 2.0], [-1.0, 0.5]]), onp.array([0.5, -0.2])
z = inputs @ W + b
residual = onp.tanh(z) - targets
dW = inputs.T @ (2 * residual * (1 - onp.tanh(z) ** 2))
db = onp.sum(2 * residual * (1 - onp.tanh(z) ** 2))

assert onp.allclose(grad_named(loss, "bias")(W, b), db)
gW, gb = multigrad(loss, argnums=[0, 1])(W, b)
assert onp.allclose(gW, dW) and onp.allclose(gb, db)
grads = multigrad_dict(loss)(W, b)
assert onp.allclose(grads["weights"], dW) and onp.allclose(grads["bias"], db)
value, g = value_and_grad(loss)(W, b)
assert onp.isclose(value, onp.sum(residual ** 2)) and onp.allclose(g, dW)

x = onp.array([0.5, -1.0])
assert onp.allclose(elementwise_grad(np.sin)(x), onp.cos(x))
assert onp.allclose(jacobian(lambda x: x ** 3)(x), onp.diag(3 * x ** 2))
assert onp.allclose(hessian(lambda x: np.sum(x ** 3))(x), onp.diag(6 * x))
v = onp.array([1.0, 2.0])
assert onp.allclose(hessian_vector_product(lambda x: np.sum(x ** 3))(x, v), 6 * x * v)
print("gradients by name:", grads)
