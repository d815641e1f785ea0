"""autograd 1.9's ``misc.tracers`` node classes, for code that builds graphs with ``trace``.

``full_graph(f, *args)`` records ``f``'s computation as autograd's
``FullGraphNode`` objects (``value`` and ``recipe``); ``ConstGraphNode`` is
the node autograd's ``const_graph`` replays (teachgrad's own ``const_graph``
replays teachgrad's graph instead, so this class is for users' code).

>>> import teachgrad.numpy as np
>>> end = full_graph(lambda x, y: np.sin(x) * y, 0.5, 2.0)
>>> fun, args, kwargs, parents = end.recipe
>>> fun.__name__, [argnum for argnum, _ in parents]
('mul', [0, 1])
"""
from __future__ import annotations

from typing import Any, Callable

from .tracer import Node, subvals, trace

__all__ = ["FullGraphNode", "full_graph", "ConstGraphNode"]


class FullGraphNode(Node):
    """A node keeping its value and how it was computed: ``(fun, args, kwargs, parents)``."""

    __slots__ = ["value", "recipe"]

    def __init__(self, value, fun, args, kwargs, parent_argnums, parents):
        self.value = value
        self.recipe = (fun, args, kwargs, list(zip(parent_argnums, parents)))

    def initialize_root(self):
        self.value = None
        self.recipe = (lambda x: x, (), {}, [])


def full_graph(fun: Callable, *args, **kwargs) -> FullGraphNode | None:
    """The :class:`FullGraphNode` of ``fun(*args, **kwargs)``'s output (None if it is constant)."""
    _, end = trace(FullGraphNode.new_root(), lambda xs: fun(*xs, **kwargs), args)
    return end


class ConstGraphNode(Node):
    """A node that can recompute its value from its parents' values: ``partial_fun(values)``."""

    __slots__ = ["parents", "partial_fun"]

    def __init__(self, value, fun, args, kwargs, parent_argnums, parents):
        fixed = subvals(args, [(i, None) for i in parent_argnums])

        def partial_fun(parent_values: list) -> Any:
            return fun(*subvals(fixed, zip(parent_argnums, parent_values)), **kwargs)
        self.parents = parents
        self.partial_fun = partial_fun

    def initialize_root(self):
        self.parents = []
