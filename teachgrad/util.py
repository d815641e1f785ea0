"""``autograd.util``: today's helpers (``func``, ``subvals``, ``toposort``) and 2016's checks.

``check_grads(fun, *args)``, ``quick_grad_check``, ``nd``, ``flatten`` and
``flatten_func`` are autograd 1.0-1.1's; each says once how it is written today.
Re-exported from :mod:`teachgrad.compat`.
"""
from .compat.tracer import func, subval, subvals, toposort  # noqa: F401
from .compat.util import (ATOL, EPS, RTOL, check_equivalent, check_grads, flatten,  # noqa: F401
                          flatten_func, nd, quick_grad_check, to_scalar, unary_nd)

__all__ = ["func", "subval", "subvals", "toposort", "check_grads", "quick_grad_check", "nd",
           "unary_nd", "flatten", "flatten_func", "check_equivalent", "to_scalar"]
