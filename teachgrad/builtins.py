"""``teachgrad.builtins``: autograd's container constructors and type tests.

In autograd, a list, tuple or dict that holds traced values must be built
with ``autograd.builtins.list`` / ``tuple`` / ``dict`` to be differentiated
through, and ``autograd.builtins.isinstance`` / ``type`` look through the
"box" that wraps a traced value. Code written for autograd imports them::

    from teachgrad.builtins import isinstance, tuple, list, dict

In teachgrad traced values live in ordinary Python lists, tuples and dicts,
so ``list``, ``tuple`` and ``dict`` here are Python's own (kept so that such
code runs unchanged). ``isinstance`` and ``type`` look at the value under a
traced one, so code that checks types behaves the same inside and outside
``grad``::

    >>> import teachgrad.numpy as np
    >>> from teachgrad import grad
    >>> from teachgrad.builtins import isinstance, type
    >>> def f(x):
    ...     assert isinstance(x, np.ndarray) and type(x) is np.ndarray
    ...     return np.sum(x ** 2)
    >>> grad(f)(np.array([1.0, 2.0]))
    array([2., 4.])

One difference from autograd: a Python float argument is traced as a numpy
float64 (numpy's rules for nan and division by zero apply to it), so inside
``grad`` ``type(x)`` is ``np.float64``, which is a subclass of ``float``:
``isinstance(x, float)`` is True in both.
"""
import builtins as _builtins

from .tracing import notrace_primitive

__all__ = ["isinstance", "type", "tuple", "list", "dict",
           "isinstance_", "type_", "tuple_", "list_", "dict_"]

# Python's own, under the names autograd gives them.
isinstance_ = _builtins.isinstance
type_ = _builtins.type
tuple_, list_, dict_ = _builtins.tuple, _builtins.list, _builtins.dict

# Traced values are replaced by the plain values under them before the test.
isinstance = notrace_primitive(_builtins.isinstance)
type = notrace_primitive(_builtins.type)

# Plain Python containers already hold traced values in teachgrad.
tuple = _builtins.tuple
list = _builtins.list
dict = _builtins.dict
