"""What a recorded call does with what is not traced: keywords and options.

A primitive's optional tables (filled for teachgrad.numpy's primitives by
teachgrad/numpy/keywords.py) say, per keyword, whether the gradient rule
follows it (:data:`KEEP`), which keyword it is another name for, or that it is
:class:`Refused` unless left at its default, with the reason and what to write
instead. A refused option is an error, never a silently wrong gradient.

>>> Refused("out", None).allows(None), Refused("keepdims", False).allows(True)
(True, False)
"""
from __future__ import annotations

import inspect
from typing import Any

from .errors import RefusedOptionError, explain
from .graph import Node


class _Marker:
    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return self.name


KEEP = _Marker("KEEP")     # Primitive.keywords: the gradient rule follows this keyword
ARRAY = _Marker("ARRAY")   # keywords.py: an array argument (Primitive.array_positions)


class Refused:
    """An option a recorded call refuses unless it has its default value.

    ``reason`` says why its effect is not followed; ``instead`` what to write.
    """

    __slots__ = ("name", "default", "reason", "instead")

    def __init__(self, name: str, default: Any, reason: str = "", instead: str = ""):
        self.name, self.default, self.reason, self.instead = name, default, reason, instead

    def allows(self, value: Any) -> bool:
        default = self.default
        if value is default or type(value).__name__ == "_NoValueType":   # numpy's "not given"
            return True
        t = type(value)
        if t.__module__ == "numpy" and getattr(value, "ndim", None) == 0:   # np.True_, np.float64(0.0)
            t, value = type(value.item()), value.item()
        return (t is bool or t is int or t is float or t is str) and type(default) is t \
            and value == default

    def __repr__(self) -> str:
        return f"Refused({self.name!r})"


def refused_message(prim, key: str, rule: "Refused | None") -> str:
    name = getattr(prim, "qualified_name", prim.name)
    if rule is None:
        return explain(
            f"{name} was given {key}= together with a traced value, and teachgrad does not "
            f"know what {key}= does to the gradient of {name}.",
            "a keyword teachgrad cannot follow would change the value but not the gradient, "
            "so the gradient would silently be wrong.",
            f"leave out {key}=, or compute its effect with other teachgrad.numpy functions.")
    return explain(
        f"{name}(..., {key}=...) was given a traced value, and teachgrad's gradient of "
        f"{name} does not follow {key}=.",
        rule.reason or f"the gradient rule of {name} assumes the default {key}=, so the "
        "gradient would silently be wrong.",
        rule.instead or f"leave out {key}= (or compute its effect with other teachgrad.numpy "
        "functions).")


def recorded_keywords(prim, kwargs: dict) -> dict:
    """The keywords of a recorded call: aliases renamed, unfollowed options refused."""
    if kwargs.get("out") is not None:
        raise TypeError(explain(
            f"{prim.name}(..., out=...) would write a traced result into an existing array.",
            "writing into an array in place hides how its entries were computed, so the "
            "gradient through it would be lost.",
            f"leave out out= and use the returned value: y = np.{prim.name}(...)."))
    rules = prim.keywords
    if rules is None:
        return kwargs
    kept = {}
    for key, value in kwargs.items():
        rule = rules.get(key, KEEP if key == "out" else None)
        if rule is KEEP:
            kept[key] = value
        elif type(rule) is str:                    # an alias: correction= is ddof=
            if rule in kwargs:
                raise RefusedOptionError(f"{prim.name}() got both {key}= and {rule}=, which mean the same.")
            kept[rule] = value
        elif rule is None or not rule.allows(value):
            raise RefusedOptionError(refused_message(prim, key, rule))
    return kept


def traced_keywords_to_positions(prim, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
    """``np.clip(x, a_min=lo)`` with a traced ``lo``: pass it by position, so it is a parent."""
    rules = prim.keywords
    if rules is not None and any(type(rules.get(k)) is str for k in kwargs):
        kwargs = {rules[k] if type(rules.get(k)) is str else k: v for k, v in kwargs.items()}
    try:
        signature = inspect.signature(prim.fun)
        bound = signature.bind(*args, **kwargs)
    except (TypeError, ValueError):
        bound = None
    if bound is not None:
        # np.diff(x, prepend=p): the skipped n= and axis= take their defaults, so p has a position
        params = [p for p in signature.parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        last = max((i for i, p in enumerate(params) if isinstance(bound.arguments.get(p.name), Node)),
                   default=-1)
        for p in params[:last]:
            if p.name not in bound.arguments and p.default is not p.empty:
                bound.arguments[p.name] = p.default
        bound = signature.bind(*bound.args, **bound.kwargs)
    if bound is None or any(isinstance(v, Node) for v in bound.kwargs.values()):
        name = next(k for k, v in kwargs.items() if isinstance(v, Node))
        raise TypeError(explain(
            f"{prim.name} got the traced value {name}= by keyword, and teachgrad can only "
            "follow traced values given by position here.",
            "each traced argument becomes a parent in the graph, found by its position.",
            f"pass {name} by position, in the order of {prim.name}'s arguments."))
    return bound.args, bound.kwargs
