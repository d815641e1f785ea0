"""autograd 1.1's ``autograd.optimizers``: ``sgd``, ``rmsprop``, ``adam``, by 1.1's exact signatures.

They run teachgrad's optimizers (:mod:`teachgrad.misc.optimizers`); only the
parameter names are 1.1's (``init_params``), so calls by keyword keep working.
``grad(params, i)`` gives the gradient at iteration ``i``; ``callback(params,
i, g)`` is called before each step; ``params`` may be any nesting of lists,
tuples and dicts of arrays.
"""
from __future__ import annotations

from typing import Any, Callable

from ..misc import optimizers as _today

__all__ = ["sgd", "rmsprop", "adam"]


def sgd(grad: Callable, init_params: Any, callback: Callable | None = None, num_iters: int = 200,
        step_size: float = 0.1, mass: float = 0.9) -> Any:
    """Gradient descent with momentum (autograd 1.1's signature)."""
    return _today.sgd(grad, init_params, callback, num_iters=num_iters, step_size=step_size,
                      mass=mass)


def rmsprop(grad: Callable, init_params: Any, callback: Callable | None = None, num_iters: int = 100,
            step_size: float = 0.1, gamma: float = 0.9, eps: float = 10**-8) -> Any:
    """RMSProp (autograd 1.1's signature)."""
    return _today.rmsprop(grad, init_params, callback, num_iters=num_iters, step_size=step_size,
                          gamma=gamma, eps=eps)


def adam(grad: Callable, init_params: Any, callback: Callable | None = None, num_iters: int = 100,
         step_size: float = 0.001, b1: float = 0.9, b2: float = 0.999, eps: float = 10**-8) -> Any:
    """Adam (autograd 1.1's signature).

    >>> round(float(adam(lambda x, i: 2 * (x - 3.0), 0.0, num_iters=1000, step_size=0.05)), 6)
    3.0
    """
    return _today.adam(grad, init_params, callback, num_iters=num_iters, step_size=step_size,
                       b1=b1, b2=b2, eps=eps)
