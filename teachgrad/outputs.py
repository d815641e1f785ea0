"""Shaping results: checking what a function returned, and giving gradients the
structure of the arguments they belong to.

>>> import numpy
>>> zeros_like(2.0), ones_like(numpy.zeros(2))
(0.0, array([1., 1.]))
>>> leaves_of({'a': 1.0, 'b': [2.0, 3.0]})
[1.0, 2.0, 3.0]
"""
from __future__ import annotations

import warnings
from typing import Any

import numpy

from .containers import differentiable_kind, map_leaves
from .errors import ArgumentError, GradientWarning, NonScalarOutputError, explain
from .graph import Graph, Node
from .tracing import unwrap


def gather(graph: Graph, boxed: Any, grads: dict[int, Any], what: str) -> Any:
    """The gradients in the same nesting as ``boxed`` (zeros where none arrived)."""
    missing = []

    def leaf_grad(leaf):
        if not (isinstance(leaf, Node) and leaf.level == graph.level):
            return None          # a leaf that was not differentiated (multigrad_dict)
        g = grads.get(leaf.id)
        if g is None:
            missing.append(leaf.name)
            return zeros_like(leaf.value)
        if type(g) is not numpy.ndarray and hasattr(g, "to_dense"):   # (quicker than asking an array)
            g = g.to_dense()         # a SparseObject (teachgrad.extend) never reaches the student
        if type(leaf.value) is numpy.float64 and isinstance(g, numpy.float64):
            return float(g)          # print as 0.54, not np.float64(0.54)
        if isinstance(g, numpy.ndarray) and not g.flags.writeable:
            return g.copy()          # a broadcast view: give the student an ordinary array
        return g
    result = leaf_grad(boxed) if isinstance(boxed, Node) else map_leaves(leaf_grad, boxed)
    if missing:
        warnings.warn(
            f"The output of {what} does not depend on {', '.join(missing)}, so the "
            "gradient there is zero. If you expected it to, check that the function "
            "uses that argument in the returned value.", GradientWarning, stacklevel=4)
    return result


def zeros_like(value: Any) -> Any:
    plain = unwrap(value)
    if isinstance(plain, (float, complex, int)):
        return type(plain)(0) if not isinstance(plain, bool) else 0.0
    return numpy.zeros_like(plain)


def ones_like(value: Any) -> Any:
    plain = unwrap(value)
    if isinstance(plain, (float, complex)):
        return type(plain)(1)
    return numpy.ones_like(plain)


def scalar_output(out: Any, graph: Graph, fun_name: str, operator: str = "grad") -> Node | None:
    """The output node after checking it is a real scalar; None if it is constant.

    An array holding one number (shape ``(1,)`` or ``(1, 1)``) counts as a
    scalar, as in autograd.
    """
    value = out.value if isinstance(out, Node) and out.level == graph.level else out
    plain = unwrap(value)
    if type(plain) is numpy.float64 and isinstance(out, Node) and out.level == graph.level:
        return out                                   # the usual case: a real scalar
    if not is_number_or_array(plain) or numpy.result_type(plain).kind == "b":
        raise NonScalarOutputError(not_a_number_message(plain, fun_name, operator))
    if numpy.size(plain) != 1:
        raise NonScalarOutputError(explain(
            f"{operator} needs {fun_name} to return one number, but it returned an array "
            f"of shape {numpy.shape(plain)}.",
            "the gradient says how one number (like a loss) changes with each input; "
            "for many outputs there is one gradient per output.",
            "return a scalar (for example np.sum(...) or np.mean(...)); use "
            "elementwise_grad(f) for the derivative of each entry of an elementwise "
            "function, or jacobian(f) for all derivatives of every output."))
    if numpy.iscomplexobj(plain):
        raise NonScalarOutputError(explain(
            f"{operator} needs {fun_name} to return a real number, but it returned a complex one ({plain}).",
            "a gradient is defined for real-valued functions.",
            "differentiate np.abs(f(z)) ** 2 or np.real(f(z)), or use jacobian."))
    if isinstance(out, Node) and out.level == graph.level:
        return out
    return None


def is_number_or_array(value: Any) -> bool:
    if isinstance(value, (bool, int, float, complex, numpy.number, numpy.bool_)):
        return True
    return isinstance(value, numpy.ndarray) and value.dtype.kind in "biufc"


def not_a_number_message(value: Any, fun_name: str, operator: str) -> str:
    if value is None:
        return explain(
            f"{operator} needs {fun_name} to return one number, but it returned None. "
            "Did you forget return?",
            "a Python function without a return statement returns None, which has no gradient.",
            f"end {fun_name} with a return statement giving the number to differentiate, "
            "for example return np.sum(err ** 2).")
    if isinstance(value, (list, tuple, dict)):
        got = f"a {type(value).__name__}"
        instead = ("return one of its entries, or their sum; use jacobian(f) or make_vjp(f) "
                   "for the derivatives of several outputs")
        if isinstance(value, tuple) and len(value) == 2:
            instead += ", or grad_and_aux(f) if the second entry is extra information to return"
    elif is_number_or_array(value):      # True or False: a yes/no answer has no slope
        got = f"a yes/no value ({_preview(value)})"
        instead = ("return the number the comparison is about (for example the distance "
                   "np.sum((a - b) ** 2) rather than np.allclose(a, b))")
    else:
        got = f"a {type(value).__name__} ({_preview(value)})"
        instead = "return a float or a numpy scalar computed from the arguments"
    return explain(
        f"{operator} needs {fun_name} to return one number, but it returned {got}.",
        "the gradient says how one number (like a loss) changes with each input.",
        instead + ".")


def _preview(value: Any) -> str:
    text = str(value) if isinstance(value, (numpy.number, numpy.ndarray)) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def leaves_of(structure: Any) -> list:
    """The leaves of nested lists, tuples and dicts, in order."""
    found: list = []
    map_leaves(found.append, structure)
    return found


def check_like(given: Any, reference: Any, what: str, operator: str) -> None:
    """Refuse ``given`` unless it has the nesting and shapes of ``reference``.

    ``what`` names ``given`` for the message ("the vector given to vjp").
    """
    if type(given) is numpy.ndarray and (type(reference) is numpy.ndarray or
                                         isinstance(reference, Node)) \
            and given.shape == reference.shape:
        return                                   # the usual case, checked in passing
    problem = _mismatch(given, reference, "")
    if problem is not None:
        raise ArgumentError(explain(
            f"{what} does not match: {problem}.",
            f"{operator} multiplies it entry by entry with the derivatives of the function's "
            "output, so it needs exactly the output's structure and shapes.",
            "give a value shaped like the output, for example np.ones_like(output) "
            "(for a tuple or dict output, a tuple or dict of such values)."))


def _mismatch(given: Any, reference: Any, path: str) -> str | None:
    if isinstance(reference, (list, tuple)):
        if not isinstance(given, (list, tuple)) or len(given) != len(reference):
            return (f"at {path or 'the top'} the output is a {type(reference).__name__} of "
                    f"{len(reference)}, but it is {describe(given)}")
        for i, (g, r) in enumerate(zip(given, reference)):
            problem = _mismatch(g, r, f"{path}[{i}]")
            if problem:
                return problem
        return None
    if isinstance(reference, dict):
        if not isinstance(given, dict) or set(given) != set(reference):
            return (f"at {path or 'the top'} the output is a dict with keys {sorted(map(repr, reference))}, "
                    f"but it is {describe(given)}")
        for k in reference:
            problem = _mismatch(given[k], reference[k], f"{path}[{k!r}]")
            if problem:
                return problem
        return None
    given = unwrap(given)
    if not is_number_or_array(given):
        return f"at {path or 'the top'} the output is a number or array, but it is {describe(given)}"
    if numpy.shape(given) != numpy.shape(unwrap(reference)):
        return (f"at {path or 'the top'} the output has shape {numpy.shape(unwrap(reference))}, "
                f"but it has shape {numpy.shape(given)}")
    return None


def in_key_order(given: Any, reference: Any) -> Any:
    """``given`` with each dict's entries in the order of ``reference``'s (same keys)."""
    if isinstance(reference, dict):
        return {k: in_key_order(given[k], reference[k]) for k in reference}
    if isinstance(reference, (list, tuple)):
        return [in_key_order(g, r) for g, r in zip(given, reference)]
    return given


def describe(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {len(value)}"
    if isinstance(value, dict):
        return f"a dict with keys {sorted(map(repr, value))}"
    if value is None:
        return "None"
    if not is_number_or_array(value):
        return f"a {type(value).__name__}"
    shape = numpy.shape(value)
    return f"an array of shape {shape}" if shape else f"one number ({_preview(value)})"


def unwrap_output(out: Any, graph: Graph) -> Any:
    """The function's result with this trace's nodes replaced by their values."""
    return map_leaves(lambda v: v.value if isinstance(v, Node) and v.level == graph.level else v, out)


def has_float(value: Any) -> bool:
    found = []
    map_leaves(lambda leaf: found.append(differentiable_kind(leaf) is not None), value)
    return any(found)

