"""``autograd.tracer``: ``trace`` with your own ``Node`` class, ``Box``, ``isbox``, ``getval``.

A short re-export of :mod:`teachgrad.compat.tracer` (see there for how it maps
onto teachgrad's graph).
"""
from .compat.tracer import (Box, Node, getval, isbox, new_box, notrace_primitive,  # noqa: F401
                            primitive, register_notrace, toposort, trace)

__all__ = ["trace", "Node", "Box", "new_box", "isbox", "getval", "primitive",
           "notrace_primitive", "register_notrace", "toposort"]
