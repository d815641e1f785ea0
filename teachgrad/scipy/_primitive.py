"""How a SciPy function becomes a teachgrad primitive.

A :class:`teachgrad.tracing.Primitive` looks for traced values among its
*positional* arguments only. SciPy code is often called with keywords
(``norm.logpdf(x, loc=mu, scale=sigma)``) and with lists of numbers
(``logsumexp([a, b])``), so the primitives here first tidy their arguments:

* a traced value given by keyword is moved to its position (the arguments
  before it are filled in from the call or from their defaults), so that it
  is recorded as a parent and gets a gradient;
* a list or tuple holding traced values is turned into one traced array with
  ``teachgrad.numpy.array``.

After that they are ordinary primitives: ``defvjp`` attaches their gradients.
"""
from __future__ import annotations

import inspect
from typing import Callable

import numpy as onp

import teachgrad.numpy as np

from ..errors import NoGradientError, explain
from ..graph import Node
from ..tracing import Primitive, unwrap

__all__ = ["ScipyPrimitive", "scipy_primitive", "no_gradient"]


def _holds_node(value) -> bool:
    if isinstance(value, Node):
        return True
    if type(value) in (list, tuple):
        return any(_holds_node(v) for v in value)
    return False


class ScipyPrimitive(Primitive):
    """A primitive that also accepts traced values by keyword and in lists."""

    def __init__(self, fun: Callable, qualified_name: str):
        # drawn in graphs as "gammaln", "norm.logpdf", "sqrtm": without "scipy.<module>."
        super().__init__(fun, ".".join(qualified_name.split(".")[2:]) or qualified_name)
        self.qualified_name = qualified_name
        try:
            self.signature = inspect.signature(fun)
        except (TypeError, ValueError):        # numpy ufuncs have no signature
            self.signature = None

    def __call__(self, *args, **kwargs):
        if kwargs and self.signature is not None and any(_holds_node(v) for v in kwargs.values()):
            args, kwargs = self._traced_keywords_to_positions(args, kwargs)
        if any(type(a) in (list, tuple) and _holds_node(a) for a in args):
            args = tuple(np.array(a) if type(a) in (list, tuple) and _holds_node(a) else a
                         for a in args)
        return Primitive.__call__(self, *args, **kwargs)

    def _traced_keywords_to_positions(self, args, kwargs):
        self.signature.bind(*args, **kwargs)          # a clear TypeError for a bad call
        names = [p.name for p in self.signature.parameters.values()
                 if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        last = max((names.index(k) for k, v in kwargs.items()
                    if k in names and _holds_node(v)), default=-1)
        args, kwargs = list(args), dict(kwargs)
        for name in names[len(args):last + 1]:
            if name in kwargs:
                args.append(kwargs.pop(name))
            else:
                args.append(self.signature.parameters[name].default)
        return tuple(args), kwargs

    def __repr__(self) -> str:
        return f"<teachgrad primitive {self.qualified_name}>"


def scipy_primitive(qualified_name: str) -> Callable[[Callable], ScipyPrimitive]:
    """Decorator: make a Python function (calling SciPy) a primitive named ``qualified_name``."""
    def make(fun: Callable) -> ScipyPrimitive:
        return ScipyPrimitive(fun, qualified_name)
    return make


def no_gradient(what: str, why: str) -> Callable:
    """A maker for an argument that has no derivative teachgrad can compute."""
    def maker(ans, *args, **kwargs):
        def vjp(g):
            raise NoGradientError(explain(
                f"{what} has no gradient in teachgrad.",
                why,
                "treat that argument as a constant (pass a plain number), or compute the "
                "value another way with functions that have gradients."))
        return vjp
    return maker


def zeros_for(x):
    """A zero gradient shaped like ``x`` (for arguments the output does not depend on)."""
    plain = unwrap(x)
    return onp.zeros(onp.shape(plain), onp.result_type(plain, onp.float64))
