"""The backward pass: one generator of steps, in reverse order of computation.

Nodes are appended to the graph in the order they are computed, so walking
the list backwards visits every node after all the nodes that used it: a
reverse topological order for free, with no search. At each node the chain rule
turns the gradient arriving from above (``upstream``) into one contribution
per parent, and contributions to the same parent add up.

``grad`` drains this generator; the drawing and the stepper replay the same
steps. There is no second backward implementation.
"""
from __future__ import annotations

from typing import Any, Iterator, NamedTuple

from .errors import NoGradientError, explain
from .graph import Graph, Node


class Step(NamedTuple):
    """One application of the chain rule.

    ``node`` received the gradient ``upstream`` (d output / d node, complete:
    every use of the node has already sent its part) and sent
    ``contributions``: one ``(parent, argnum, gradient)`` per parent, each
    the upstream gradient times the local derivative d node / d parent.
    """
    node: Node
    upstream: Any
    contributions: tuple


def backward(graph: Graph, output: Node, seed: Any) -> Iterator[Step]:
    """Yield the steps of backpropagating ``seed`` from ``output``.

    >>> import teachgrad.numpy as np
    >>> from teachgrad import trace
    >>> g = trace(lambda x: np.sin(x) * 2.0, 0.0)
    >>> [(s.node.op, float(s.upstream)) for s in g.steps]
    [('multiply', 1.0), ('sin', 2.0), ('input', 2.0)]
    """
    nodes = graph.nodes
    pending = {output.id: seed}     # node id -> gradient summed so far
    pop = pending.pop
    for i in range(output.id, -1, -1):
        upstream = pop(i, None)
        if upstream is None:
            continue              # does not lead to the output
        node = nodes[i]
        if not node.parents:
            yield Step(node, upstream, ())
            continue
        sent = contributions(node, upstream)
        for (argnum, parent), g in zip(node.parents, sent):
            pid = parent.id
            prev = pending.get(pid)
            pending[pid] = g if prev is None else prev + g
        yield Step(node, upstream,
                   tuple((p, argnum, g) for (argnum, p), g in zip(node.parents, sent)))


def contributions(node: Node, upstream: Any) -> list:
    """Upstream gradient times the local derivative, one entry per parent."""
    prim = node.fun
    kwargs = node.kwargs or {}
    if prim.vjp_argnums_maker is not None:
        argnums = [argnum for argnum, _ in node.parents]
        return list(prim.vjp_argnums_maker(argnums, node.value, node.args, kwargs)(upstream))
    makers = prim.vjp_makers
    out = []
    for argnum, _ in node.parents:
        maker = makers.get(argnum)
        if maker is None:
            raise NoGradientError(no_gradient_message(prim, argnum))
        out.append(maker(node.value, *node.args, **kwargs)(upstream))
    return out


def no_gradient_message(prim, argnum: int) -> str:
    name = prim.name
    qualified = getattr(prim, "qualified_name", name)
    return explain(
        f"{qualified} has no gradient in teachgrad (argument {argnum}), but the "
        "output depends on it through this argument.",
        "teachgrad only differentiates functions whose derivative has been registered.",
        f"compute the value another way with functions that have gradients, or "
        f"register one yourself:\n"
        f"    from teachgrad.extend import defvjp\n"
        f"    defvjp({qualified}, lambda ans, *args: lambda g: ...)   "
        f"# g times d{name}/d(argument {argnum})")
