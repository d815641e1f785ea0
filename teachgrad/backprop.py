"""The backward pass: one generator of steps, in reverse order of computation.

Nodes are appended to the graph in the order they are computed, so walking
the list backwards visits every node after all the nodes that used it: a
reverse topological order for free, with no search. At each node the chain rule
turns the gradient arriving from above (``upstream``) into one contribution
per parent, and contributions to the same parent add up.

The drawing, the stepper and ``trace`` replay the steps of :func:`backward`;
``grad`` and ``make_vjp`` run :func:`input_gradients`, the same pass without a
step object per node, since they keep only the inputs' gradients
(tests/test_speed_paths.py checks that the two agree bit for bit).
"""
from __future__ import annotations

from typing import Any, Iterator, Sequence

from . import tracing
from .errors import NoGradientError
from .tracing import GradientRule, no_gradient_message
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
    pending, start = _seeded(output, seed)
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
        argnums = [parents[0][0]] if len(parents) == 1 else [argnum for argnum, _ in parents]
        sent = node.fun.chain_rule(upstream, argnums, node.value, node.args, node.kwargs)
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



def input_gradients(graph: Graph, output: Node, seed: Any,
                    pullbacks: dict | None = None, in_place: bool = False) -> dict[int, Any]:
    """The gradient of each input node reached, by id: :func:`backward` drained.

    The same pass as :func:`backward`, node for node and sum for sum (so the same
    gradients bit for bit), for callers that keep only the inputs' gradients (``grad``,
    ``make_vjp``'s ``vjp``): no :class:`Step` per node and no generator to resume, which
    ``grad``'s single pass over a long chain pays for on every node.

    ``pullbacks``, for a graph walked back many times, is a dict the caller keeps
    between passes: each node's local derivatives (:meth:`Primitive.pullback`) are
    made on the first pass and reused on the next. Only where making them again
    would record nothing (no trace recording), else a pass would record fewer nodes.

    ``in_place``: the third and later gradients reaching a node are added into the
    array the second one made (``+=``, the same sums as ``+``), instead of a new array
    each. That array is one this pass made and nobody else holds, so nothing anyone
    sees changes; only when no trace records (else the additions must be recorded).

    >>> import teachgrad.numpy as np
    >>> from teachgrad import trace
    >>> g = trace(lambda x: np.sin(x) * 2.0, 0.0)
    >>> {i: float(v) for i, v in input_gradients(g, g.output, 1.0).items()}
    {0: 2.0}
    """
    nodes = graph.nodes
    pending, start = _seeded(output, seed)
    pop, get = pending.pop, pending.get
    grads = {}
    # ids of the nodes whose sum so far is an array this pass made (numpy.ndarray)
    array_type = tracing.mutable_array_type
    owned = set() if in_place and array_type is not None else None
    for i in range(start, -1, -1):
        upstream = pop(i, None)
        if upstream is None:
            continue
        node = nodes[i]
        parents = node.parents
        if not parents:
            if node.fun is None:
                grads[i] = upstream
            continue
        fun = node.fun
        if pullbacks is None and fun._vjp_argnums_maker is None:
            # chain_rule for gradients registered per argument, done here: one Python call
            # fewer per node (tests/test_speed_paths.py holds the two equal)
            makers = fun.vjp_makers
            sent = []
            kwargs = node.kwargs
            for argnum, _ in parents:
                maker = makers.get(argnum)
                if type(maker) is GradientRule:         # the gradient at once, no closure
                    rule = maker.rule
                    sent.append(rule(upstream, node.value, *node.args, **kwargs) if kwargs
                                else rule(upstream, node.value, *node.args))
                    continue
                if maker is None:
                    raise NoGradientError(no_gradient_message(fun, argnum))
                vjp = maker(node.value, *node.args, **kwargs) if kwargs else maker(node.value, *node.args)
                sent.append(vjp(upstream))
        elif pullbacks is None:
            argnums = [argnum for argnum, _ in parents]
            sent = fun.chain_rule(upstream, argnums, node.value, node.args, node.kwargs)
        else:
            pullback = pullbacks.get(i)
            if pullback is None:
                argnums = [argnum for argnum, _ in parents]
                pullback = pullbacks[i] = fun.pullback(argnums, node.value, node.args,
                                                       node.kwargs)
            sent = pullback(upstream)
        for k, (_, parent) in enumerate(parents):
            g = sent[k]
            prev = get(parent.id)
            if prev is None:
                pending[parent.id] = g
            elif type(prev) is tuple:
                pending[parent.id] = tuple(a + b for a, b in zip(prev, g))
            elif owned is None:
                pending[parent.id] = prev + g
            elif parent.id in owned and type(g) is array_type and g.shape == prev.shape \
                    and g.dtype == prev.dtype:
                prev += g
            else:
                total = pending[parent.id] = prev + g
                if type(total) is array_type and total is not prev and total is not g:
                    owned.add(parent.id)
    return grads


def _seeded(output: Node | list, seed: Any) -> tuple[dict, int]:
    """The gradients waiting at the start of a pass, by node id, and the last node's id."""
    if isinstance(output, Node):
        return {output.id: seed}, output.id
    pending: dict = {}
    for node, part in zip(output, seed):
        pending[node.id] = part if node.id not in pending else pending[node.id] + part
    return pending, max(pending, default=-1)
