"""autograd's ``Box``: teachgrad's traced value, with ``register`` for users' own types.

In teachgrad a traced value is its graph node (:class:`teachgrad.graph.Node`),
so ``isinstance(x, Box)`` is true of every traced value. autograd lets a
user's class carry traced values of a new type::

    class RKHSFunBox(Box, RKHSFun): ...
    RKHSFunBox.register(RKHSFun)

After ``register``, a primitive whose result is an ``RKHSFun`` makes an
``RKHSFunBox`` node, so the result keeps ``RKHSFun``'s methods. Until some
type is registered the engine makes its nodes exactly as before (registering
is the only moment anything changes, so plain ``grad`` keeps its speed).
"""
from __future__ import annotations

from typing import Any

from . import containers
from . import graph as _graph
from . import tracing as _tracing

__all__ = ["Box", "registered_box_types"]

registered_box_types: dict[type, type] = {}     # value type -> Box subclass for its nodes
_plain_node_type: list = []


class _BoxType(type):
    def __instancecheck__(cls, x: Any) -> bool:
        if cls is Box:
            return isinstance(x, _graph.Node)
        return type.__instancecheck__(cls, x)

    def __subclasscheck__(cls, other: type) -> bool:
        if cls is Box:
            return issubclass(other, _graph.Node)
        return type.__subclasscheck__(cls, other)


def _node_for_value(id, level, fun, parents, value, args, kwargs, name=None):
    cls = registered_box_types.get(type(value), _plain_node_type[0])
    return cls(id, level, fun, parents, value, args, kwargs, name)


class Box(_graph.Node, metaclass=_BoxType):
    """A traced value (any teachgrad node); subclass it with your own type to trace that type."""

    @property
    def _value(self) -> Any:
        """autograd's name for the value a box holds."""
        return self.value

    @classmethod
    def register(cls, value_type: type) -> None:
        """Make results of type ``value_type`` traced as instances of this class."""
        if cls is Box:
            raise TypeError("register a subclass of Box (class MyBox(Box, MyType)), not Box itself")
        registered_box_types[value_type] = cls
        if not _plain_node_type:
            _plain_node_type.append(_tracing.replace_node_factory(_node_for_value))
        _accept_registered_inputs()


def _accept_registered_inputs() -> None:
    """Let grad take an argument of a registered type (an input node of its Box class)."""
    for value_type in registered_box_types:
        containers.extra_kinds[value_type] = "f"
