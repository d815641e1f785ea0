"""``checkpoint``: trade time for memory by recomputing a function in the backward pass.

Normally every intermediate value of a function stays in the graph until the
backward pass has used it. ``checkpoint(f)`` makes ``f`` one primitive: the
forward pass records a single node (its output) and keeps none of ``f``'s
intermediate values; the backward pass runs ``f`` again, this time
recording, to get the vector-Jacobian product. (Chen et al., "Training deep
nets with sublinear memory cost", arXiv:1604.06174.)

    >>> import teachgrad.numpy as np
    >>> from teachgrad import grad
    >>> from teachgrad.misc import checkpoint
    >>> block = checkpoint(lambda x: np.tanh(np.tanh(x) * 2.0))
    >>> bool(abs(grad(block)(0.3) - grad(lambda x: np.tanh(np.tanh(x) * 2.0))(0.3)) < 1e-12)
    True

In the drawing of the graph a checkpointed function is one node. The
gradient is exactly the same as without checkpointing, to any order.
"""
from __future__ import annotations

import warnings
from typing import Callable

from ..errors import GradientWarning
from ..reverse import make_vjp
from ..extend import defvjp_argnum
from ..tracing import Primitive

__all__ = ["checkpoint"]


def checkpoint(fun: Callable) -> Primitive:
    """``fun`` as one primitive whose gradient recomputes ``fun`` (see the module docstring)."""
    wrapped = Primitive(fun, getattr(fun, "__name__", "checkpointed"))

    def maker(argnum, ans, args, kwargs):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", GradientWarning)
            vjp, _ = make_vjp(fun, argnum)(*args, **kwargs)

        def quiet_vjp(g):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", GradientWarning)
                return vjp(g)
        return quiet_vjp

    defvjp_argnum(wrapped, maker)
    return wrapped
