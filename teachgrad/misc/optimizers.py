"""Gradient-based optimizers: ``sgd``, ``rmsprop`` and ``adam``, as in autograd.

Each takes a gradient function ``grad(x, i)`` (``i`` is the iteration
number, for minibatches or schedules), a starting point ``x0``, and returns
the point reached after ``num_iters`` steps. ``x0`` may be a number, an
array, or any nesting of lists, tuples and dicts of arrays (the parameters
of a model): the optimizer works on one flat vector (see ``flatten``) and
gives ``grad`` and ``callback`` the original structure::

    import teachgrad.numpy as np
    from teachgrad import grad
    from teachgrad.misc.optimizers import adam

    def loss(params, i):
        return np.sum((params['w'] - 3.0) ** 2) + params['b'] ** 2

    def report(params, i, g):                    # called before each step
        if i % 100 == 0:
            print(i, loss(params, i))

    params = adam(grad(loss), {'w': np.zeros(2), 'b': 1.0},
                  callback=report, num_iters=500, step_size=0.05)

``callback(x, i, g)`` is called at the start of every iteration with the
current point, the iteration number and the gradient there. The update
rules are written with ``teachgrad.numpy``, so the optimizers can
themselves be differentiated (for instance with respect to the step size).
"""
from __future__ import annotations

import functools
from typing import Callable

import teachgrad.numpy as np

from .flatten import flatten

__all__ = ["sgd", "rmsprop", "adam", "unflatten_optimizer"]


def unflatten_optimizer(optimize: Callable) -> Callable:
    """Make an optimizer of flat vectors work on nested structures of arrays.

    ``optimize(grad, x, callback, *args, **kwargs)`` sees flat vectors; the
    returned optimizer flattens ``x0``, and turns each gradient (and the
    arguments of ``callback``) back and forth.
    """
    @functools.wraps(optimize)
    def optimize_structure(grad, x0, callback=None, *args, **kwargs):
        x0_flat, unflatten = flatten(x0)

        def flat_grad(x, i):
            return flatten(grad(unflatten(x), i))[0]

        if callback:
            def flat_callback(x, i, g):
                return callback(unflatten(x), i, unflatten(g))
        else:
            flat_callback = None
        return unflatten(optimize(flat_grad, x0_flat, flat_callback, *args, **kwargs))
    return optimize_structure


@unflatten_optimizer
def sgd(grad, x, callback=None, num_iters=200, step_size=0.1, mass=0.9):
    """Gradient descent with momentum.

    The velocity is a running average of past gradients,
    ``v = mass * v - (1 - mass) * g``, and each step moves ``x`` by ``step_size * v``.
    """
    velocity = np.zeros(len(x))
    for i in range(num_iters):
        g = grad(x, i)
        if callback:
            callback(x, i, g)
        velocity = mass * velocity - (1.0 - mass) * g
        x = x + step_size * velocity
    return x


@unflatten_optimizer
def rmsprop(grad, x, callback=None, num_iters=100, step_size=0.1, gamma=0.9, eps=10**-8):
    """RMSProp: each coordinate's step is divided by a running root mean square of its gradients."""
    mean_square = np.ones(len(x))
    for i in range(num_iters):
        g = grad(x, i)
        if callback:
            callback(x, i, g)
        mean_square = gamma * mean_square + (1 - gamma) * g ** 2
        x = x - step_size * g / (np.sqrt(mean_square) + eps)
    return x


@unflatten_optimizer
def adam(grad, x, callback=None, num_iters=100, step_size=0.001, b1=0.9, b2=0.999, eps=10**-8):
    """Adam (Kingma and Ba, 2015, arXiv:1412.6980): RMSProp with momentum.

    ``m`` and ``v`` are running averages of the gradient and of its square;
    dividing them by ``1 - b**(i+1)`` removes their bias towards the zeros
    they start from.
    """
    m = np.zeros(len(x))
    v = np.zeros(len(x))
    for i in range(num_iters):
        g = grad(x, i)
        if callback:
            callback(x, i, g)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g ** 2
        m_unbiased = m / (1 - b1 ** (i + 1))
        v_unbiased = v / (1 - b2 ** (i + 1))
        x = x - step_size * m_unbiased / (np.sqrt(v_unbiased) + eps)
    return x
