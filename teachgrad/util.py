"""``autograd.util``: today's helpers (``func``, ``subvals``, ``toposort``) and 2016's checks.

``check_grads(fun, *args)``, ``quick_grad_check``, ``nd``, ``flatten`` and
``flatten_func`` are autograd 1.0-1.1's; each says once how it is written today.
Re-exported from :mod:`teachgrad.compat`.
"""
import itertools as it  # noqa: F401  (1.1's `from autograd.util import *` gave these too)
from copy import copy  # noqa: F401

import teachgrad.numpy as np  # noqa: F401

from .compat.tracer import func, getval, subval, subvals, toposort, vspace  # noqa: F401
from .compat.containers import make_tuple  # noqa: F401
from .compat.util import (ATOL, EPS, RTOL, base_class, check_equivalent, check_grads,  # noqa: F401
                          flatten, flatten_func, nd, quick_grad_check, to_scalar, unary_nd)
from .compat.util import old_grad as grad  # noqa: F401

# autograd 1.1's util had no __all__: course code wrote `from autograd.util import *`
# and then used np, it, grad, make_tuple and base_class, which that module had.
__all__ = ["func", "subval", "subvals", "toposort", "check_grads", "quick_grad_check", "nd",
           "unary_nd", "flatten", "flatten_func", "check_equivalent", "to_scalar", "np", "it",
           "copy", "grad", "getval", "vspace", "make_tuple", "base_class", "EPS", "RTOL", "ATOL"]
