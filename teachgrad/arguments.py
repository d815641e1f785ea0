"""Binding a call's arguments: which argument a position or a name refers to, and recording
a call with the chosen arguments made into input nodes.

Every differential operator starts here: ``grad(f, 1)(x, y)`` binds ``y`` by position,
``grad_named(f, 'y')`` by name; :func:`trace_call` makes that argument (each float leaf
of it) an input node named after the parameter, then calls ``f`` while recording.

>>> import teachgrad.numpy as np
>>> sig = Signature(lambda x, y: x * y)
>>> graph, boxed, out = trace_call(sig, (2.0, 3.0), {}, [1])
>>> boxed[0].name, float(out.value)
('y', 6.0)
"""
from __future__ import annotations

import functools
import inspect
from typing import Any, Callable, Sequence

from .containers import box_leaves
from .errors import CONVERTED_MESSAGE, ArgumentError, AssignmentError, explain
from .graph import Graph
from .tracing import recording

ArgKey = int | str     # an argument given by position or by name


class Signature:
    """Which parameter a position or a name refers to, for one function."""

    def __init__(self, fun: Callable):
        self.fun = fun
        self.fun_name = getattr(fun, "__name__", "f")
        try:
            self.sig = inspect.signature(fun)
        except (TypeError, ValueError):      # builtins and ufuncs may have none
            self.sig = None
        params = list(self.sig.parameters.values()) if self.sig else []
        kinds = inspect.Parameter
        self.positional = [p.name for p in params
                           if p.kind in (kinds.POSITIONAL_ONLY, kinds.POSITIONAL_OR_KEYWORD)]
        self.varargs = next((p.name for p in params if p.kind == kinds.VAR_POSITIONAL), None)
        self.names = [p.name for p in params
                      if p.kind not in (kinds.VAR_POSITIONAL, kinds.VAR_KEYWORD)]

    def describe(self) -> str:
        return f"{self.fun_name}{self.sig}" if self.sig else f"{self.fun_name}(...)"

    def check_argnum(self, argnum: Any) -> None:
        if isinstance(argnum, bool) or not isinstance(argnum, int):
            raise ArgumentError(explain(
                f"argnum must be a whole number (or a tuple of them), not {argnum!r}.",
                "argnum says which positional argument to differentiate, counting from 0.",
                "grad(f, 0) for the first argument, grad(f, 1) for the second, or "
                "grad_named(f, 'y') to choose by name."))
        if argnum < 0 or (self.sig is not None and self.varargs is None
                          and argnum >= len(self.positional)):
            raise ArgumentError(explain(
                f"argnum={argnum} is out of range: {self.describe()} takes "
                f"{len(self.positional)} positional argument(s), numbered from 0.",
                "argnum counts the positional arguments of the function from 0.",
                f"use an argnum from 0 to {len(self.positional) - 1}, or grad_named(f, 'name')."))

    def check_name(self, argname: str) -> None:
        if self.sig is not None and argname not in self.names and argname != self.varargs:
            raise ArgumentError(explain(
                f"{self.describe()} has no argument called {argname!r}.",
                "grad_named differentiates with respect to an argument chosen by its name.",
                f"use one of: {', '.join(map(repr, self.names)) or '(none)'}."))

    def bind(self, args: tuple, kwargs: dict) -> inspect.BoundArguments | None:
        if self.sig is None:
            return None
        return self.sig.bind(*args, **kwargs)

    def with_defaults(self, bound) -> dict:
        """Every named argument's value: given in the call, or its default."""
        given = bound.arguments
        return {p.name: given[p.name] if p.name in given else p.default
                for p in self.sig.parameters.values()
                if p.name in given or p.default is not inspect.Parameter.empty}


def trace_call(sig: Signature, args: tuple, kwargs: dict, keys: Sequence[ArgKey],
               strict: bool = True, graph: Graph | None = None):
    """Call the function with the arguments named by ``keys`` made into input nodes.

    Returns ``(graph, boxed, output)``: the recorded graph, the boxed argument
    for each key (the same nesting as the argument, leaves made nodes), and
    what the function returned.
    """
    graph = Graph() if graph is None else graph
    args = list(args)
    # Positions of positional arguments need no binding: the common, fast case.
    # (A loop, not all(...) over a generator: this runs on every grad call.)
    simple = not kwargs
    if simple:
        limit = min(len(args), len(sig.positional))
        for k in keys:
            if type(k) is not int or k >= limit:
                simple = False
                break
    bound = None if simple else sig.bind(args, kwargs)
    boxed = []
    with recording(graph):
        for key in keys:
            if simple:
                b = box_leaves(args[key], sig.positional[key], graph, strict)
                args[key] = b
            else:
                value, setter, name = locate(sig, bound, args, key)
                b = box_leaves(value, name, graph, strict)
                setter(b)
            boxed.append(b)
        try:
            if bound is not None:
                out = sig.fun(*bound.args, **bound.kwargs)
            else:
                out = sig.fun(*args, **kwargs)
        except ValueError as error:
            # numpy's own words for `a[i] = x` with a traced x; say it for students.
            if "setting an array element with a sequence" in str(error) and graph.nodes:
                raise AssignmentError(CONVERTED_MESSAGE) from error
            if "read-only" in str(error) and graph.frozen:
                raise AssignmentError(CHANGED_AFTER_USE_MESSAGE) from error
            raise
    return graph, boxed, out


CHANGED_AFTER_USE_MESSAGE = explain(
    "An array was changed after the function had used it (for example buf[:] = data[i] in a "
    "loop, or buf += 1), and teachgrad does not allow that while it records.",
    "the gradient is computed after the function returns, from the arrays each operation "
    "used; an array changed in between would silently give the gradient of other numbers. "
    "So while a function is differentiated, the arrays it has used are read-only.",
    "make a new array instead of refilling one: buf = data[i] (or data[i].copy()), "
    "buf = buf + 1.")


def locate(sig: Signature, bound, args: list, key: ArgKey):
    """(value, setter, display name) of the argument that ``key`` names."""
    if bound is None:                    # no signature: positions only
        if not isinstance(key, int):
            raise ArgumentError(f"{sig.fun_name} has no inspectable signature; use argnum, not {key!r}.")
        if key >= len(args):
            raise ArgumentError(explain(
                f"argnum={key} is out of range: {sig.fun_name} was called with {len(args)} argument(s).",
                "argnum counts the positional arguments from 0.",
                f"use an argnum from 0 to {len(args) - 1}."))
        name = "x" if len(args) == 1 else f"args[{key}]"
        return args[key], functools.partial(args.__setitem__, key), name
    arguments = bound.arguments
    if isinstance(key, int) and key >= len(sig.positional):
        index = key - len(sig.positional)
        rest = list(arguments.get(sig.varargs, ()))
        if index >= len(rest):
            raise ArgumentError(explain(
                f"argnum={key} is out of range: {sig.fun_name} was called with "
                f"{len(sig.positional) + len(rest)} positional argument(s).",
                "argnum counts the positional arguments from 0.",
                f"use an argnum below {len(sig.positional) + len(rest)}."))

        def set_vararg(v, index=index):
            rest[index] = v
            arguments[sig.varargs] = tuple(rest)
        return rest[index], set_vararg, f"{sig.varargs}[{index}]"
    name = sig.positional[key] if isinstance(key, int) else key
    if name in arguments:
        value = arguments[name]
    else:                                # not passed: differentiate at its default
        value = sig.sig.parameters[name].default
    return value, functools.partial(arguments.__setitem__, name), name


def keys_from_argnum(sig: Signature, argnum) -> tuple[list[ArgKey], bool]:
    if isinstance(argnum, (tuple, list)):
        for a in argnum:
            sig.check_argnum(a)
        return list(argnum), True
    sig.check_argnum(argnum)
    return [argnum], False



def argument_value(sig: Signature, args: tuple, kwargs: dict, argnum: int) -> Any:
    """The value of positional argument ``argnum`` in this call (its default if not given)."""
    if argnum < len(args):
        return args[argnum]
    bound = sig.bind(args, kwargs)
    return locate(sig, bound, list(args), argnum)[0]


def argument_name(sig: Signature, args: tuple, argnum: int) -> str:
    """What to call positional argument ``argnum`` in a message, as :func:`locate` names it:
    its parameter's name, or ``rest[0]`` inside ``*rest``.

    >>> argument_name(Signature(lambda x, *rest: x), (1.0, 2.0), 1)
    'rest[0]'
    """
    if argnum < len(sig.positional):
        return sig.positional[argnum]
    if sig.varargs is not None:
        return f"{sig.varargs}[{argnum - len(sig.positional)}]"
    return "x" if len(args) == 1 else f"args[{argnum}]"
