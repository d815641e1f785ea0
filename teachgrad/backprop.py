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

from typing import Any, Iterator, Sequence

from .errors import NoGradientError, explain
from .graph import Graph, Node


class Step:
    """One application of the chain rule.

    ``node`` received the gradient ``upstream`` (d output / d node, complete:
    every use of the node has already sent its part) and sent one gradient to
    each of its parents: ``contributions`` lists ``(parent, argnum, gradient)``,
    each gradient being the upstream gradient times the local derivative
    d node / d parent.
    """
    __slots__ = ("node", "upstream", "gradients")

    def __init__(self, node: Node, upstream: Any, gradients: Sequence):
        self.node = node
        self.upstream = upstream
        self.gradients = gradients      # one per entry of node.parents

    @property
    def contributions(self) -> tuple:
        return tuple((parent, argnum, g)
                     for (argnum, parent), g in zip(self.node.parents, self.gradients))

    def __repr__(self) -> str:
        return f"<Step at {self.node.name}: {len(self.gradients)} contribution(s)>"


def backward(graph: Graph, output: Node, seed: Any) -> Iterator[Step]:
    """Yield the steps of backpropagating ``seed`` from ``output``.

    ``output`` may also be a list of nodes with ``seed`` a list of seeds, one
    each (a function returning a tuple, list or dict of values).

    >>> import teachgrad.numpy as np
    >>> from teachgrad import trace
    >>> g = trace(lambda x: np.sin(x) * 2.0, 0.0)
    >>> [(s.node.op, float(s.upstream)) for s in g.steps]
    [('multiply', 1.0), ('sin', 2.0), ('input', 2.0)]
    """
    nodes = graph.nodes
    if isinstance(output, Node):
        pending = {output.id: seed}     # node id -> gradient summed so far
        start = output.id
    else:
        pending = {}
        for node, part in zip(output, seed):
            pending[node.id] = part if node.id not in pending else pending[node.id] + part
        start = max(pending, default=-1)
    pop, get = pending.pop, pending.get
    for i in range(start, -1, -1):
        upstream = pop(i, None)
        if upstream is None:
            continue              # does not lead to the output
        node = nodes[i]
        parents = node.parents
        if not parents:
            yield Step(node, upstream, ())
            continue
        prim = node.fun
        if prim.vjp_argnums_maker is None:
            makers, args, kwargs = prim.vjp_makers, node.args, node.kwargs
            sent = []
            for argnum, parent in parents:
                maker = makers.get(argnum)
                if maker is None:
                    raise NoGradientError(no_gradient_message(prim, argnum))
                vjp = maker(node.value, *args, **kwargs) if kwargs else maker(node.value, *args)
                sent.append(vjp(upstream))
        else:
            argnums = [argnum for argnum, _ in parents]
            sent = list(prim.vjp_argnums_maker(argnums, node.value, node.args,
                                               node.kwargs or {})(upstream))
            if len(sent) < len(argnums):
                raise TypeError(too_few_gradients_message(prim, argnums, sent))
        for k, (_, parent) in enumerate(parents):     # (quicker than zipping with sent)
            g = sent[k]
            prev = get(parent.id)
            if prev is None:
                pending[parent.id] = g
            elif type(prev) is tuple:      # a primitive with several outputs: add output by output
                pending[parent.id] = tuple(a + b for a, b in zip(prev, g))
            else:
                pending[parent.id] = prev + g
        yield Step(node, upstream, sent)


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


def too_few_gradients_message(prim, argnums: list, sent: list) -> str:
    name = getattr(prim, "qualified_name", prim.name)
    return explain(
        f"The gradient maker of {name} was asked for the gradients of arguments {argnums} "
        f"but returned {len(sent)} gradient(s).",
        "a maker registered with defvjp_argnums returns a function of g that gives one "
        "gradient per entry of argnums, in that order; a missing one would silently be zero.",
        "return a tuple with one entry per argnum, for example "
        "lambda g: tuple(gradient_for(i, g) for i in argnums).")
