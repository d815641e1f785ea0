"""Errors (and the one warning) written for students: what happened, why, and what to write instead."""
from __future__ import annotations


def explain(what: str, why: str, instead: str) -> str:
    """Format a three-part message.

    >>> print(explain("x is an int.", "ints have no derivative.", "grad(f)(1.0)"))
    x is an int.
    Why: ints have no derivative.
    Instead: grad(f)(1.0)
    """
    return f"{what}\nWhy: {why}\nInstead: {instead}"


class TeachgradError(Exception):
    """Base class of every error teachgrad raises on purpose."""


class NonScalarOutputError(TeachgradError, TypeError):
    """grad was asked for the gradient of an output that is not a real scalar."""


class NotDifferentiableInputError(TeachgradError, TypeError):
    """The argument to differentiate is an int, bool, string, ... not a float."""


class AssignmentError(TeachgradError, TypeError):
    """Item assignment into an array was attempted inside a traced function."""


class NoGradientError(TeachgradError, NotImplementedError):
    """A function was used on the path to the output but has no gradient."""


class DetachedValueError(TeachgradError, TypeError):
    """A traced value was turned into a plain number or array, losing its graph."""


class EscapedValueError(TeachgradError, RuntimeError):
    """A traced value was used after the grad call that made it had returned."""


class ArgumentError(TeachgradError, ValueError):
    """argnum or argname does not name an argument of the function."""


class RefusedOptionError(TeachgradError, TypeError):
    """An option was given with a traced value, and the gradient would not follow it."""


class LostValueError(TeachgradError, TypeError):
    """A traced value was given where a plain-result function would drop it."""


class GradientWarning(UserWarning):
    """The output does not depend on an argument being differentiated."""


# A traced value turned into a plain array (assignment into a numpy array, numpy.asarray):
# the traced array raises it, and so does binding a call that sees the result.
CONVERTED_MESSAGE = explain(
    "A traced value was turned into a plain numpy array. The usual cause is "
    "assignment into a numpy array (a[i] = x or a[i:j] = x, including arrays made "
    "by np.zeros), or a function from outside teachgrad.numpy (numpy.asarray, "
    "scipy, ...).",
    "assignment copies the number into the array and forgets how it was computed; "
    "the graph, and so the gradient, would silently lose it.",
    "build a new array instead of assigning into one: collect values in a list "
    "and call np.array(values) or np.stack(values), or use "
    "np.where(mask, x, a) or np.concatenate([a[:i], x, a[i + 1:]]).")
