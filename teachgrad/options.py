"""Keeping teachgrad's options apart from the keyword arguments of the user's function.

``trace``, ``show_graph``, ``step_through`` and ``check_grad`` take options
(``seed=``, ``wrt=``, ``digits=`` ...) and pass every other keyword on to the
function they run. When the function has a parameter with an option's name,
``show_graph(f, x, seed=5.0)`` could mean either; rather than guess, the
call is refused. ``kwargs={...}`` is the unambiguous way in: with it, the
function's keyword arguments come only from that dict and every other
keyword is an option.

>>> from teachgrad import trace
>>> def f(x, seed=1.0):
...     return x * seed
>>> float(trace(f, 2.0, kwargs={"seed": 5.0}).result)
10.0
"""
from __future__ import annotations

import functools
import inspect
from typing import Any, Callable

from .errors import ArgumentError, explain


def separates_function_keywords(entry: Callable) -> Callable:
    """Decorate ``entry(fun, *args, <keyword-only options>, kwargs=None)``.

    The decorated entry accepts the function's keyword arguments either loose
    (any keyword that is not an option) or as ``kwargs={...}``, and calls
    ``entry`` with them gathered in ``kwargs``.
    """
    parameters = inspect.signature(entry).parameters
    options = frozenset(name for name, p in parameters.items()
                        if p.kind is inspect.Parameter.KEYWORD_ONLY and name != "kwargs")
    entry_name = entry.__name__

    @functools.wraps(entry)
    def call(fun, *args, **given):
        explicit = given.pop("kwargs", None)
        chosen = {k: given.pop(k) for k in list(given) if k in options}
        if explicit is None:
            clash = sorted(set(chosen) & parameter_names(fun))
            if clash:
                raise ArgumentError(_clash_message(entry_name, fun, clash, chosen))
            fun_kwargs = given
        else:
            if not isinstance(explicit, dict):
                raise ArgumentError(explain(
                    f"{entry_name}(..., kwargs=...) needs a dict, but got a "
                    f"{type(explicit).__name__}.",
                    "kwargs= holds the keyword arguments of your function, by name.",
                    f"{entry_name}(f, x, kwargs={{'name': value}})."))
            if given:
                unknown = ", ".join(map(repr, given))
                raise ArgumentError(explain(
                    f"{entry_name} has no option {unknown}, and kwargs= was given too.",
                    "with kwargs= the keyword arguments of your function come only from that "
                    f"dict, so every other keyword must be an option of {entry_name} "
                    f"({', '.join(sorted(options))}).",
                    f"move {unknown} into kwargs={{...}}."))
            fun_kwargs = dict(explicit)
        return entry(fun, *args, **chosen, kwargs=fun_kwargs)
    return call


def parameter_names(fun: Callable) -> set[str]:
    """The names ``fun`` accepts as keywords (empty when it has no inspectable signature)."""
    try:
        parameters = inspect.signature(fun).parameters.values()
    except (TypeError, ValueError):
        return set()
    return {p.name for p in parameters
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}


def _clash_message(entry_name: str, fun: Callable, clash: list[str], chosen: dict[str, Any]) -> str:
    fun_name = getattr(fun, "__name__", "your function")
    names = ", ".join(f"{k}=" for k in clash)
    first = clash[0]
    return explain(
        f"{entry_name} got {names}, which is both an option of {entry_name} and a parameter "
        f"of {fun_name}, so it is not clear which one you meant.",
        f"{entry_name} passes keywords it does not know to {fun_name}; a keyword that both "
        "understand would silently be taken by one of them.",
        f"give {fun_name}'s keyword arguments in a dict, and teachgrad's options as keywords: "
        f"{entry_name}(f, ..., kwargs={{{first!r}: {chosen[first]!r}}}) passes {first} to "
        f"{fun_name}; {entry_name}(f, ..., {first}={chosen[first]!r}, kwargs={{}}) sets "
        f"{entry_name}'s option.")
