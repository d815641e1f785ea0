"""autograd 1.9's ``tracer`` and ``core`` internals, over teachgrad's graph.

In autograd a traced value is a ``Box`` holding a ``Node``, and ``trace``
builds one node object per primitive call with the node class it is given.
In teachgrad a traced value *is* its node (:class:`teachgrad.graph.Node`),
so ``Box`` is that class, and :func:`trace` watches teachgrad's recording and
builds the user's node objects alongside it, with exactly the arguments
autograd gives them. That is what autograd's examples ``print_trace.py`` and
``dot_graph.py`` rely on::

    class PrintNode(Node):
        def __init__(self, value, fun, args, kwargs, parent_argnums, parents): ...
        def initialize_root(self, x): ...

    trace(PrintNode.new_root(x), f, x)
"""
from __future__ import annotations

import types
import warnings
from typing import Any, Callable, Iterator

from .. import graph as _graph
from ..containers import box_leaves
from ..reverse import make_vjp as _make_vjp
from ..errors import explain
from ..extend import primitive, defvjp, defjvp, defvjp_argnum, defvjp_argnums, defjvp_argnum, \
    defjvp_argnums, def_linear, SparseObject, register_notrace  # noqa: F401  (re-exported)
from ..forward import make_jvp as _make_jvp
from ..tracing import cycle_collection_paused, notrace_primitive, recording, unwrap
from ..box import Box
from .notes import note
from ..vspaces import VSpace, vspace  # noqa: F401

__all__ = ["Node", "trace", "Box", "new_box", "isbox", "getval", "primitive", "notrace_primitive",
           "toposort", "make_vjp", "make_jvp", "backward_pass", "vspace", "VSpace", "SparseObject",
           "defvjp", "defjvp", "func", "subval", "subvals"]

getval = unwrap            # the plain value under every trace


def isbox(x: Any) -> bool:
    """True for a traced value."""
    return isinstance(x, Box)


class Node:
    """Base class for the node objects a user's :func:`trace` builds (autograd's ``tracer.Node``).

    A subclass defines ``__init__(self, value, fun, args, kwargs, parent_argnums, parents)``,
    called once per primitive call, and ``initialize_root(self, ...)`` for the start node,
    made with ``MyNode.new_root(...)``.
    """

    __slots__ = []

    def __init__(self, value, fun, args, kwargs, parent_argnums, parents):
        raise NotImplementedError("a Node subclass defines __init__(value, fun, args, kwargs, "
                                  "parent_argnums, parents)")

    def initialize_root(self, *args, **kwargs):
        raise NotImplementedError("a Node subclass defines initialize_root(...) for its start node")

    @classmethod
    def new_root(cls, *args, **kwargs):
        root = cls.__new__(cls)
        root.initialize_root(*args, **kwargs)
        return root


def trace(start_node: Node, fun: Callable, x: Any) -> tuple[Any, Node | None]:
    """Run ``fun(x)``, building one ``type(start_node)`` object per primitive call.

    Returns ``(value, end_node)``: the output's plain value and the node object
    made for it, or ``(output, None)`` (with a warning) when the output does not
    depend on ``x``.
    """
    cls = type(start_node)
    made: dict[int, Any] = {}
    graph = _graph.Graph()

    def watch(node: _graph.Node) -> None:
        argnums = tuple(argnum for argnum, _ in node.parents)
        parents = tuple(made[parent.id] for _, parent in node.parents)
        mine = cls.__new__(cls)
        mine.__init__(node.value, node.fun, node.args, node.kwargs or {}, argnums, parents)
        made[node.id] = mine

    graph.watcher = watch
    with cycle_collection_paused(), recording(graph):
        start = box_leaves(x, "x", graph, strict=False)
        for node in graph.inputs:
            made[node.id] = start_node
        out = fun(start)
    if isinstance(out, Box) and out.level == graph.level:
        return out.value, made[out.id]
    warnings.warn("Output seems independent of input.", stacklevel=2)
    return out, None


def new_box(value: Any, trace: Any, node: Any):
    """autograd's way to wrap a value in a box by hand; teachgrad has no separate boxes."""
    raise TypeError(explain(
        "new_box(value, trace, node) makes an autograd box by hand, and teachgrad has no boxes "
        "apart from its nodes.",
        "in teachgrad a traced value is its node, created by the primitive that computed it.",
        "call a primitive (made with teachgrad.extend.primitive) on the traced value instead; "
        "to follow a computation, subclass teachgrad.tracer.Node and use trace(MyNode.new_root(x), f, x)."))


def _parents_of(node) -> list:
    return node.parent_nodes if isinstance(node, Box) else node.parents


def toposort(end_node, parents: Callable = _parents_of) -> Iterator:
    """Every node leading to ``end_node``, each after all the nodes that use it."""
    uses: dict[int, int] = {}
    stack = [end_node]
    while stack:
        node = stack.pop()
        if id(node) in uses:
            uses[id(node)] += 1
        else:
            uses[id(node)] = 1
            stack.extend(parents(node))
    ready = [end_node]
    while ready:
        node = ready.pop()
        yield node
        for parent in parents(node):
            uses[id(parent)] -= 1
            if uses[id(parent)] == 0:
                ready.append(parent)


def func(f):
    """autograd's marker for a method used as a function (``defvjp(func(C.method), ...)``)."""
    return f


def subvals(x: tuple, ivs) -> tuple:
    """``x`` with the entries at the given positions replaced: ``subvals((1, 2), [(0, 9)])`` is ``(9, 2)``."""
    x = list(x)
    for i, v in ivs:
        x[i] = v
    return tuple(x)


def subval(x: tuple, i: int, v) -> tuple:
    """``x`` with entry ``i`` replaced by ``v``."""
    return subvals(x, [(i, v)])


_MISSING = object()


def make_vjp(fun: Callable, x: Any = _MISSING, argnum: int | None = None):
    """``make_vjp(fun, x)`` (autograd 1.9): ``(vjp, value)`` at ``x``.

    ``make_vjp(fun)``, ``make_vjp(fun, argnum=i)`` or ``make_vjp(fun, i)`` with an
    int ``i`` is autograd 1.1.8's form: a function of ``fun``'s arguments returning
    ``(vjp, value)``. (An int cannot be the point ``x`` of today's form: ints
    have no derivative.)
    """
    if x is _MISSING or (type(x) is int and argnum is None):
        if x is not _MISSING:
            argnum = x
        note("autograd.core.make_vjp(fun, argnum)", "autograd 1.1.8's place for this form",
             "from autograd import make_vjp; make_vjp(fun, argnum)(*args)")
        return _make_vjp(fun, 0 if argnum is None else argnum)
    return _make_vjp(fun)(x)


def make_jvp(fun: Callable, x: Any):
    """``make_jvp(fun, x)`` (autograd 1.9's core): a function ``g -> (value, tangent)``."""
    return _make_jvp(fun)(x)


def backward_pass(g: Any, end_node: Box, start_node: Box | None = None) -> Any:
    """Send ``g`` back from ``end_node`` to the input it came from; return that input's gradient.

    ``end_node`` is a traced value of a trace that is still recording (for
    example, inside a function given to ``trace``).
    """
    from ..backprop import backward
    nodes = {node.id: node for node in toposort(end_node)}
    result = None
    for step in backward(types.SimpleNamespace(nodes=nodes), end_node, g):
        if not step.node.parents and (start_node is None or step.node is start_node):
            result = step.upstream
    return result
