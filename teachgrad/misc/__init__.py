"""``teachgrad.misc``: helpers around gradients, as in ``autograd.misc``.

* :func:`flatten` -- nested lists, tuples and dicts of arrays as one vector
  (and the function back), both ways differentiable;
* :mod:`optimizers` -- ``sgd``, ``rmsprop`` and ``adam`` on nested parameters;
* :func:`fixed_points.fixed_point` -- a fixed-point iteration whose gradient
  comes from the implicit function theorem;
* :func:`checkpoint` -- recompute a function in the backward pass instead of
  storing its intermediate values;
* :func:`const_graph` -- record a function's graph once, replay it afterwards.
"""
from . import fixed_points, optimizers  # noqa: F401
from .checkpoint import checkpoint
from .flatten import flatten, flatten_func
from .tracers import const_graph

__all__ = ["flatten", "flatten_func", "optimizers", "fixed_points", "checkpoint", "const_graph"]
