"""``autograd.core``: today's internals (autograd 1.9) and the 2016-2017 names (1.0-1.1).

A short re-export of :mod:`teachgrad.compat`: ``primitive`` here also accepts
the old ``f.defgrad`` / ``f.defvjp(vjp, argnum)`` methods, and the old names
(``grad``, ``isnode``, ``nograd_primitive``) give a one-line note the first
time they are used.
"""
from .compat.notes import note as _note
from .compat.primitives import nograd_primitive as _nograd_primitive
from .compat.primitives import primitive_with_aux  # noqa: F401
from .compat.primitives import primitive, primitive_vjps  # noqa: F401
from .compat.tracer import (Box, Node, SparseObject, VSpace, backward_pass, def_linear,  # noqa: F401
                            defjvp, defjvp_argnum, defjvp_argnums, defvjp, defvjp_argnum,
                            defvjp_argnums, func, getval, isbox, make_jvp, make_vjp,
                            notrace_primitive, subval, subvals, toposort, trace, vspace)
from .compat.util import old_grad as _old_grad
from .tracing import Primitive  # noqa: F401


def _vspace_flatten(value, covector=False):
    return vspace(value).flatten(value, covector)


_OLD = {
    "grad": (lambda: _old_grad, "from autograd.core import grad", "autograd 1.1's place for grad",
             "from autograd import grad"),
    "isnode": (lambda: isbox, "isnode", "autograd 1.1's name for a traced-value test",
               "from autograd.tracer import isbox"),
    "vspace_flatten": (lambda: _vspace_flatten, "vspace_flatten(x)",
                       "autograd 1.1's way of flattening a value", "from autograd.misc import flatten"),
    "nograd_primitive": (lambda: _nograd_primitive, "nograd_primitive",
                         "autograd 1.1's name for an untraced function",
                         "from autograd.tracer import notrace_primitive"),
}


def __getattr__(name):
    if name not in _OLD:
        raise AttributeError(f"module 'teachgrad.core' has no attribute {name!r}")
    value, form, era, today = _OLD[name]
    _note(form, era, today)
    return value()
