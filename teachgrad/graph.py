"""The record of a forward pass: a graph of named nodes.

Every traced value *is* a node of the graph it was computed in. A node
remembers which primitive made it, from which parents, and its forward value;
the backward pass later fills in its gradient. Everything else in teachgrad
(the backward pass, drawing, stepping) reads this one record.

>>> import teachgrad.numpy as np
>>> from teachgrad import trace
>>> g = trace(lambda x: np.sin(x) * x, 2.0)
>>> [node.op for node in g.nodes]
['input', 'sin', 'multiply']
"""
from __future__ import annotations

import itertools
from typing import Any, Iterator

_levels = itertools.count(1)
_NOT_COMPUTED = object()


class Node:
    """One value of a traced computation, and how it was computed.

    ``parents`` is a tuple of ``(argnum, parent_node)`` pairs: which
    positional argument of the primitive each parent was. ``args`` and
    ``kwargs`` are the primitive's arguments with this graph's nodes replaced
    by their values (constants stay as they were), which is what gradient
    makers are called with.
    """

    __slots__ = ("id", "level", "fun", "parents", "value", "args", "kwargs",
                 "_name", "_grad", "info", "__weakref__")

    def __init__(self, id: int, level: int, fun, parents: tuple, value: Any,
                 args: tuple, kwargs: dict | None, name: str | None = None):
        self.id = id
        self.level = level
        self.fun = fun
        self.parents = parents
        self.value = value
        self.args = args
        self.kwargs = kwargs
        self._name = name
        self._grad = _NOT_COMPUTED
        self.info = None   # filled only by trace: shown name, source line, local name

    @property
    def name(self) -> str:
        """What a student would call this value: ``x``, ``params['W']``, ``z``, or ``v7``.

        After :func:`teachgrad.trace`, the name pictures and reports show
        (local variable names included); before, the name given by the user.
        """
        info = self.info
        if info is not None and info.name is not None:
            return info.name
        return self._name if self._name is not None else f"v{self.id}"

    @name.setter
    def name(self, value: str) -> None:
        self._name = value
        if self.info is not None:
            self.info.name = value

    @property
    def has_name(self) -> bool:
        """True when the name came from the user (an argument or ``teachgrad.name``)."""
        return self._name is not None

    @property
    def op(self) -> str:
        """The primitive's name (``sin``, ``multiply``) or ``input``."""
        return "input" if self.fun is None else self.fun.name

    @property
    def grad(self) -> Any:
        """The derivative of the output with respect to this node.

        Raises a clear error before a backward pass has filled it in, rather
        than returning a misleading zero.
        """
        if self._grad is _NOT_COMPUTED:
            raise AttributeError(
                f"The gradient of node {self.name!r} has not been computed yet: "
                "it is filled in by the backward pass. Use teachgrad.trace(f, *args), "
                "which runs the backward pass, and read node.grad from its graph. "
                "Use node.has_grad to ask first.")
        return self._grad

    @grad.setter
    def grad(self, value: Any) -> None:
        self._grad = value

    @property
    def has_grad(self) -> bool:
        return self._grad is not _NOT_COMPUTED

    @property
    def parent_nodes(self) -> list["Node"]:
        return [p for _, p in self.parents]

    def __repr__(self) -> str:
        return f"<Node {self.name} = {self.op}(...) value={_short(self.value)}>"


def replay(graph: "Graph", given: dict[int, Any], last: Node | None = None, *,
           differentiable: bool = True) -> dict[int, Any]:
    """Recompute the graph from new values at some nodes, following the recorded path.

    ``given`` maps node ids to new values. Every later node (up to ``last``)
    that depends on them is recomputed from its recorded primitive and
    arguments: branches taken and indices used stay as they were recorded.
    With ``differentiable=False`` the plain numpy functions are called (no
    tracing), which is what finite differences want. Returns every value
    known, given and recomputed, by node id.

    >>> import teachgrad.numpy as np
    >>> from teachgrad import trace
    >>> g = trace(lambda x: np.sin(x) * 2.0, 0.0)
    >>> float(replay(g, {0: 1.5707963267948966})[2])
    2.0
    """
    values = dict(given)
    stop = len(graph.nodes) if last is None else last.id + 1
    for node in graph.nodes[min(values, default=stop):stop]:
        if node.id in values or not any(p.id in values for _, p in node.parents):
            continue
        args = list(node.args)
        for argnum, parent in node.parents:
            if parent.id in values:
                args[argnum] = values[parent.id]
        call = node.fun if differentiable else node.fun.fun
        values[node.id] = call(*args, **(node.kwargs or {}))
    return values


def _short_value(value: Any, constant: bool = False) -> str:
    import numpy
    while isinstance(value, Node):
        value = value.value
    try:
        array = numpy.asarray(value)
    except (TypeError, ValueError):
        return type(value).__name__
    if array.dtype.kind not in "biufc":
        return repr(value) if constant and isinstance(value, str) else type(value).__name__
    if array.ndim == 0:
        return f"{array[()]:.4g}"
    if constant:
        return f"const{array.shape}"
    return numpy.array2string(array, precision=4, threshold=6, edgeitems=2,
                              separator=", ").replace("\n", "")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


class Graph:
    """The nodes recorded by one trace, in the order they were computed.

    ``level`` orders nested traces: a graph made inside another
    (``grad(grad(f))``) has a higher level, and a primitive records into the
    innermost (highest) one. ``inputs`` are the input nodes; ``output`` is the
    output node once the traced function has returned; ``result`` is what it
    returned, with traced values made plain; ``steps`` are the backward steps
    once :func:`teachgrad.trace` has run the backward pass; ``calls`` are the
    calls of the user's helper functions that trace saw (the boxes of a drawing).
    """

    def __init__(self) -> None:
        self.level = next(_levels)
        self.nodes: list[Node] = []
        self.inputs: list[Node] = []
        self.output: Node | None = None
        self.result: Any = None
        self.steps: list = []
        self.calls: list = []
        self.recording = False
        self.watcher = None   # called with each new node; set only while drawing
        self.frozen: list = []   # the user's arrays made read-only while this trace records
        self.seen_arrays: set = set()   # ids of the constant arrays looked at (frozen or not)

    def __iter__(self) -> Iterator[Node]:
        return iter(self.nodes)

    def __len__(self) -> int:
        return len(self.nodes)

    def __getitem__(self, name: str) -> Node:
        """The node called ``name`` (the last one, if a name was reused)."""
        for node in reversed(self.nodes):
            if node.name == name:
                return node
        known = ", ".join(n.name for n in self.nodes[:20])
        raise KeyError(f"No node is named {name!r}. Nodes: {known}")

    def __repr__(self) -> str:
        return f"<Graph of {len(self.nodes)} nodes, level {self.level}>"

    def __str__(self) -> str:
        """One line per node: name = op(parents), value, gradient.

        >>> import teachgrad.numpy as np
        >>> from teachgrad import trace
        >>> print(trace(lambda x: np.sin(x) * 2.0, 0.0))
        x = input               value 0   grad 2
        v1 = sin(x)             value 0   grad 2
        out = multiply(v1, 2)   value 0   grad 1
        """
        rows = []
        for node in self.nodes:
            parent_at = dict(node.parents)
            args = ", ".join(parent_at[i].name if i in parent_at else _short_value(a, constant=True)
                             for i, a in enumerate(node.args))
            lhs = f"{node.name} = {node.op}" + (f"({args})" if node.fun is not None else "")
            grad = _short_value(node.grad) if node.has_grad else "-"
            rows.append((lhs, _short_value(node.value), grad))
        width = max((len(r[0]) for r in rows), default=0)
        value_width = max((len(r[1]) for r in rows), default=0)
        return "\n".join(f"{lhs:<{width}}   value {value:<{value_width}}   grad {grad}"
                         for lhs, value, grad in rows)
