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
    sums = _Sums(pending, in_place=False)
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
            prev = get(parent.id)
            if prev is None:
                pending[parent.id] = sent[k]
            else:
                sums.add(parent.id, prev, sent[k])
        yield Step(node, upstream, sent)



def input_gradients(graph: Graph, output: Node, seed: Any,
                    pullbacks: dict | None = None, in_place: bool = False) -> dict[int, Any]:
    """The gradient of each input node reached, by id: :func:`backward` drained.

    The same pass as :func:`backward`, node for node and sum for sum (so the same
    gradients bit for bit), for callers that keep only the inputs' gradients (``grad``,
    ``make_vjp``'s ``vjp``): no :class:`Step` per node and no generator to resume, which
    ``grad``'s single pass over a long chain pays for on every node.

    ``pullbacks``, for a graph walked back many times from the same outputs, is a dict
    the caller keeps between passes: the nodes the pass reaches, with each node's local
    derivatives (its rules, or its makers' functions of ``g``), are found on the first
    pass and reused on the next. Only where making them again would record nothing (no
    trace recording), else a pass would record fewer nodes.

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
    pending, start = _seeded(output, seed)
    sums = _Sums(pending, in_place)
    if pullbacks is not None:
        return _repeated_pass(graph, pending, start, pullbacks, sums)
    nodes = graph.nodes
    pop, get = pending.pop, pending.get
    grads = {}
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
        if fun._vjp_argnums_maker is None:
            # chain_rule for gradients registered per argument, done here, each parent's
            # gradient added as soon as it is made: one Python call and one list fewer per
            # node (tests/test_speed_paths.py holds the two equal)
            makers = fun.vjp_makers
            kwargs = node.kwargs
            for argnum, parent in parents:
                maker = makers.get(argnum)
                if type(maker) is GradientRule:         # the gradient at once, no closure
                    rule = maker.rule
                    g = rule(upstream, node.value, *node.args, **kwargs) if kwargs \
                        else rule(upstream, node.value, *node.args)
                elif maker is None:
                    raise NoGradientError(no_gradient_message(fun, argnum))
                else:
                    g = (maker(node.value, *node.args, **kwargs) if kwargs
                         else maker(node.value, *node.args))(upstream)
                prev = get(parent.id)
                if prev is None:
                    pending[parent.id] = g
                else:
                    sums.add(parent.id, prev, g)
            continue
        argnums = [argnum for argnum, _ in parents]
        sent = fun.chain_rule(upstream, argnums, node.value, node.args, node.kwargs)
        for k, (_, parent) in enumerate(parents):
            prev = get(parent.id)
            if prev is None:
                pending[parent.id] = sent[k]
            else:
                sums.add(parent.id, prev, sent[k])
    return grads


def _repeated_pass(graph: Graph, pending: dict, start: int, cache: dict, sums: "_Sums") -> dict:
    """:func:`input_gradients` over a plan kept in ``cache``: the nodes the pass reaches from
    the seeded ones, in the order it reaches them, each with its parents' ids and its local
    gradients (made when first used). A pass then does no search and no lookup by node."""
    key = tuple(pending)
    plan = cache.get(key)
    if plan is None:
        plan = cache[key] = _plan(graph, pending, start)
    steps, inputs = plan
    pop, get = pending.pop, pending.get
    for step in steps:
        i, parent_ids, local, node = step
        if local is None:
            local = step[2] = _local_gradients(node)
        upstream = pop(i)
        per_parent = type(local) is list
        if not per_parent:
            sent = local(upstream)                   # a pullback: all parents' gradients at once
        for k, parent in enumerate(parent_ids):
            if per_parent:
                function, fixed = local[k]
                g = function(upstream, *fixed)
            else:
                g = sent[k]
            prev = get(parent)
            if prev is None:
                pending[parent] = g
            else:
                sums.add(parent, prev, g)
    return {i: pending[i] for i in inputs if i in pending}


def _local_gradients(node: Node):
    """What a repeated pass applies at ``node``, made once: its primitive's local gradients
    (:meth:`Primitive.local_gradients`), or for a primitive registered for all arguments at
    once (defvjp_argnums), its pullback."""
    fun = node.fun
    argnums = [argnum for argnum, _ in node.parents]
    if fun._vjp_argnums_maker is not None:
        return fun.pullback(argnums, node.value, node.args, node.kwargs)
    return fun.local_gradients(argnums, node.value, node.args, node.kwargs)


def _plan(graph: Graph, pending: dict, start: int) -> tuple[list, list]:
    """The steps of a pass from the seeded nodes: ``[id, parent ids, None, node]`` for each
    node reached that has parents, in reverse order of computation; and the input ids."""
    nodes = graph.nodes
    reached = set(pending)
    steps, inputs = [], []
    for i in range(start, -1, -1):
        if i not in reached:
            continue
        node = nodes[i]
        if node.parents:
            parent_ids = tuple(parent.id for _, parent in node.parents)
            reached.update(parent_ids)
            steps.append([i, parent_ids, None, node])
        elif node.fun is None:
            inputs.append(i)
    return steps, inputs


class _Sums:
    """Adds a gradient to the one already waiting at a node (a node used more than once)."""

    __slots__ = ("pending", "owned", "array_type")

    def __init__(self, pending: dict, in_place: bool):
        self.pending = pending
        self.array_type = tracing.mutable_array_type
        # ids of the nodes whose sum so far is an array this pass made (numpy.ndarray)
        self.owned = set() if in_place and self.array_type is not None else None

    def add(self, i: int, prev: Any, g: Any) -> None:
        owned = self.owned
        if type(prev) is tuple:          # a primitive with several outputs: add output by output
            self.pending[i] = tuple(a + b for a, b in zip(prev, g))
        elif owned is None:
            self.pending[i] = prev + g
        elif i in owned and type(g) is self.array_type and g.shape == prev.shape \
                and g.dtype == prev.dtype:
            prev += g
        else:
            total = self.pending[i] = prev + g
            if type(total) is self.array_type and total is not prev and total is not g:
                owned.add(i)


def _seeded(output: Node | list, seed: Any) -> tuple[dict, int]:
    """The gradients waiting at the start of a pass, by node id, and the last node's id."""
    if isinstance(output, Node):
        return {output.id: seed}, output.id
    pending: dict = {}
    for node, part in zip(output, seed):
        pending[node.id] = part if node.id not in pending else pending[node.id] + part
    return pending, max(pending, default=-1)
