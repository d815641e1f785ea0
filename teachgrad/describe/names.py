"""The one name each node is shown under, in pictures, the stepper and check_grad's reports."""
from __future__ import annotations

from collections import Counter
from typing import Callable

from ..graph import Graph, Node


def subscript(n: int) -> str:
    """2 -> '₂': for telling apart values that share a name (h₁, h₂ in a loop)."""
    return str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def output_name(fun, graph: Graph) -> str:
    """What the output is called: the function's name, or ``out`` for a lambda
    and when the graph holds a backward pass (``grad(f)`` is not ``f``)."""
    name = getattr(fun, "__name__", "f")
    has_backward = any(n.info is not None and n.info.backward for n in graph.nodes)
    return "out" if has_backward or not name.isidentifier() else name


NameOf = Callable[[Node], str]
"""Says what to call a node: :func:`node_name`, or check_grad's, which prefers the student's keys."""


def node_name(node: Node) -> str:
    """The name a node is shown under (its ``name``, set by :func:`assign_names`)."""
    return node.name


def assign_names(graph: Graph, output_name: str = "f") -> None:
    """Give every node of a captured graph the name pictures and reports show it under."""
    namer = Namer(graph, output_name)
    for node in graph.nodes:
        if node.id in namer.named:
            node.info.name = namer(node)


def is_named(node: Node) -> bool:
    """True when the node's name says something: not a generated ``v7``."""
    return node.info.name is not None if node.info is not None else node.has_name


class Namer:
    """Display names: the user's names, local variable names, else v7; duplicates numbered.

    The output, unless named, is called by the function's name (``f``).
    ``named`` holds the ids of nodes whose name says something (not a generated ``v7``).
    """

    def __init__(self, graph: Graph, output_name: str = "f"):
        base = {}
        for node in graph.nodes:
            if node.has_name:
                base[node.id] = node.name
            elif node is graph.output:
                base[node.id] = output_name
            elif node.info is not None and node.info.local_name:
                base[node.id] = node.info.local_name
        self.named = set(base)
        scope_counts = Counter((self._scope(graph.nodes[i]), n) for i, n in base.items())
        seen: Counter = Counter()
        self.names = {}
        for node in graph.nodes:
            if node.id not in base:
                self.names[node.id] = node.name            # generated: v7
                continue
            key = (self._scope(node), base[node.id])
            if scope_counts[key] > 1 and node.fun is not None:
                seen[key] += 1
                self.names[node.id] = base[node.id] + subscript(seen[key])
            else:
                self.names[node.id] = base[node.id]

    @staticmethod
    def _scope(node: Node):
        return node.info.call.id if node.info is not None and node.info.call else None

    def __call__(self, node: Node) -> str:
        return self.names[node.id]
