"""The differential operators: functions that turn a function into its derivative.

All of them share one recipe: record a call of the function with the chosen
arguments as input nodes (:func:`trace_call`), then run the backward pass
(:func:`teachgrad.backprop.backward`) from the output. The returned functions
take exactly the arguments of the original function.
"""
from __future__ import annotations

import functools
import inspect
import warnings
from typing import Any, Callable, Sequence

import numpy

from . import numpy as tnp
from .numpy.boxes import CONVERTED_MESSAGE
from .backprop import backward
from .containers import box_leaves, differentiable_kind, map_leaves
from .errors import ArgumentError, AssignmentError, NonScalarOutputError, explain
from .graph import Graph, Node
from .tracing import cycle_collection_paused, recording, unwrap

ArgKey = int | str     # an argument given by position or by name


class GradientWarning(UserWarning):
    """The output does not depend on an argument being differentiated."""


# --------------------------------------------------------------------------
# Recording one call
# --------------------------------------------------------------------------

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
    simple = not kwargs and all(type(k) is int and k < len(args) and k < len(sig.positional)
                                for k in keys)
    bound = None if simple else sig.bind(args, kwargs)
    boxed = []
    with recording(graph):
        for key in keys:
            if simple:
                b = box_leaves(args[key], sig.positional[key], graph, strict)
                args[key] = b
            else:
                value, setter, name = _locate(sig, bound, args, key)
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


def _locate(sig: Signature, bound, args: list, key: ArgKey):
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


# --------------------------------------------------------------------------
# Running the backward pass
# --------------------------------------------------------------------------

def input_gradients(graph: Graph, output: Node, seed: Any) -> dict[int, Any]:
    """Drain the backward pass; return the gradient of each input node by id."""
    grads = {}
    for step in backward(graph, output, seed):
        if step.node.fun is None:
            grads[step.node.id] = step.upstream
    return grads


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
        if hasattr(g, "to_dense"):
            g = g.to_dense()         # a SparseObject (teachgrad.extend) never reaches the student
        if type(leaf.value) is numpy.float64 and isinstance(g, numpy.float64):
            return float(g)          # print as 0.54, not np.float64(0.54)
        if isinstance(g, numpy.ndarray) and not g.flags.writeable:
            return g.copy()          # a broadcast view: give the student an ordinary array
        return g
    result = map_leaves(leaf_grad, boxed)
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
    if not _is_number_or_array(plain) or numpy.result_type(plain).kind == "b":
        raise NonScalarOutputError(_not_a_number_message(plain, fun_name, operator))
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


def _is_number_or_array(value: Any) -> bool:
    if isinstance(value, (bool, int, float, complex, numpy.number, numpy.bool_)):
        return True
    return isinstance(value, numpy.ndarray) and value.dtype.kind in "biufc"


def _not_a_number_message(value: Any, fun_name: str, operator: str) -> str:
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
    elif _is_number_or_array(value):      # True or False: a yes/no answer has no slope
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
                    f"{len(reference)}, but it is {_describe(given)}")
        for i, (g, r) in enumerate(zip(given, reference)):
            problem = _mismatch(g, r, f"{path}[{i}]")
            if problem:
                return problem
        return None
    if isinstance(reference, dict):
        if not isinstance(given, dict) or set(given) != set(reference):
            return (f"at {path or 'the top'} the output is a dict with keys {sorted(map(repr, reference))}, "
                    f"but it is {_describe(given)}")
        for k in reference:
            problem = _mismatch(given[k], reference[k], f"{path}[{k!r}]")
            if problem:
                return problem
        return None
    given = unwrap(given)
    if not _is_number_or_array(given):
        return f"at {path or 'the top'} the output is a number or array, but it is {_describe(given)}"
    if numpy.shape(given) != numpy.shape(unwrap(reference)):
        return (f"at {path or 'the top'} the output has shape {numpy.shape(unwrap(reference))}, "
                f"but it has shape {numpy.shape(given)}")
    return None


def _in_key_order(given: Any, reference: Any) -> Any:
    """``given`` with each dict's entries in the order of ``reference``'s (same keys)."""
    if isinstance(reference, dict):
        return {k: _in_key_order(given[k], reference[k]) for k in reference}
    if isinstance(reference, (list, tuple)):
        return [_in_key_order(g, r) for g, r in zip(given, reference)]
    return given


def _describe(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {len(value)}"
    if isinstance(value, dict):
        return f"a dict with keys {sorted(map(repr, value))}"
    if value is None:
        return "None"
    if not _is_number_or_array(value):
        return f"a {type(value).__name__}"
    shape = numpy.shape(value)
    return f"an array of shape {shape}" if shape else f"one number ({_preview(value)})"


def unwrap_output(out: Any, graph: Graph) -> Any:
    """The function's result with this trace's nodes replaced by their values."""
    return map_leaves(lambda v: v.value if isinstance(v, Node) and v.level == graph.level else v, out)


def _keys_from_argnum(sig: Signature, argnum) -> tuple[list[ArgKey], bool]:
    if isinstance(argnum, (tuple, list)):
        for a in argnum:
            sig.check_argnum(a)
        return list(argnum), True
    sig.check_argnum(argnum)
    return [argnum], False


def _gradient_function(fun: Callable, sig: Signature, keys: list[ArgKey], several: bool,
                       with_value: bool = False, has_aux: bool = False, as_dict: bool = False,
                       operator: str = "grad"):
    """Build the function that returns the gradient(s) of ``fun`` at its arguments."""
    @functools.wraps(fun)
    def gradient(*args, **kwargs):
        with cycle_collection_paused():
            return compute(args, kwargs)

    def compute(args, kwargs):
        call_keys = keys
        if as_dict:
            values = sig.with_defaults(sig.bind(args, kwargs))
            call_keys = [k for k, v in values.items()
                         if k != sig.varargs and _has_float(v)]
        graph, boxed, out = trace_call(sig, args, kwargs, call_keys, strict=not as_dict)
        if has_aux and not (isinstance(out, (tuple, list)) and len(out) == 2):
            raise NonScalarOutputError(explain(
                f"grad_and_aux needs {sig.fun_name} to return a pair (loss, aux), but it "
                f"returned {_describe(unwrap_output(out, graph))}.",
                "grad_and_aux differentiates the first entry and hands back the second as it is.",
                f"end {sig.fun_name} with return loss, aux; or use grad(f) for a function "
                "that returns only the loss."))
        loss, aux = (out[0], out[1]) if has_aux else (out, None)
        output = scalar_output(loss, graph, sig.fun_name, operator)
        if output is None:
            grads = {}
        else:
            grads = input_gradients(graph, output, ones_like(output.value))
        result = [gather(graph, b, grads, sig.fun_name) for b in boxed]
        if as_dict:
            result = dict(zip(call_keys, result))
        elif several:
            result = tuple(result)
        else:
            result = result[0]
        if with_value:
            value = unwrap_output(loss, graph)
            return (float(value) if type(value) is numpy.float64 else value), result
        if has_aux:
            return result, unwrap_output(aux, graph)
        return result
    return gradient


def _has_float(value: Any) -> bool:
    found = []
    map_leaves(lambda leaf: found.append(differentiable_kind(leaf) is not None), value)
    return any(found)


# --------------------------------------------------------------------------
# The public operators
# --------------------------------------------------------------------------

def grad(fun: Callable, argnum: int | Sequence[int] = 0) -> Callable:
    """The gradient of a scalar function, as a function of the same arguments.

    ``grad(f)`` differentiates with respect to the first argument,
    ``grad(f, 1)`` the second, ``grad(f, (0, 1))`` both (a tuple of gradients).
    Each gradient has the shape and nesting of its argument.

    >>> import teachgrad.numpy as np
    >>> def f(x, y):
    ...     return np.sin(x) * y + x ** 2
    >>> float(grad(f)(0.0, 2.0))          # cos(0) * 2 + 2 * 0
    2.0
    >>> float(grad(f, 1)(0.0, 2.0))       # sin(0)
    0.0
    """
    sig = Signature(fun)
    keys, several = _keys_from_argnum(sig, argnum)
    return _gradient_function(fun, sig, keys, several)


def grad_named(fun: Callable, argname: str) -> Callable:
    """The gradient with respect to the argument called ``argname``.

    >>> import teachgrad.numpy as np
    >>> float(grad_named(lambda x, y: x * y, 'y')(3.0, 2.0))
    3.0
    """
    sig = Signature(fun)
    sig.check_name(argname)
    return _gradient_function(fun, sig, [argname], False, operator="grad_named")


def multigrad(fun: Callable, argnums: Sequence[int] = (0,)) -> Callable:
    """The gradients with respect to several arguments, as a tuple.

    >>> tuple(float(g) for g in multigrad(lambda x, y: x * y, [0, 1])(3.0, 2.0))
    (2.0, 3.0)
    """
    sig = Signature(fun)
    keys, _ = _keys_from_argnum(sig, tuple(argnums))
    return _gradient_function(fun, sig, keys, True, operator="multigrad")


def multigrad_dict(fun: Callable) -> Callable:
    """The gradients with respect to every float argument, in a dict by name.

    Arguments given by keyword and defaults left out of the call are included;
    arguments that hold no floats (ints, strings, None) are left out.

    >>> {k: float(v) for k, v in multigrad_dict(lambda x, y=2.0: x * y)(3.0).items()}
    {'x': 2.0, 'y': 3.0}
    """
    sig = Signature(fun)
    if sig.sig is None:
        raise ArgumentError(f"multigrad_dict needs a function with an inspectable signature; {sig.fun_name} has none.")
    return _gradient_function(fun, sig, [], True, as_dict=True, operator="multigrad_dict")


def value_and_grad(fun: Callable, argnum: int | Sequence[int] = 0) -> Callable:
    """A function returning ``(f(...), grad(f)(...))`` from one forward pass.

    >>> v, g = value_and_grad(lambda x: x ** 2)(3.0)
    >>> float(v), float(g)
    (9.0, 6.0)
    """
    sig = Signature(fun)
    keys, several = _keys_from_argnum(sig, argnum)
    return _gradient_function(fun, sig, keys, several, with_value=True, operator="value_and_grad")


def grad_and_aux(fun: Callable, argnum: int | Sequence[int] = 0) -> Callable:
    """For ``fun`` returning ``(loss, aux)``: a function returning ``(grad of loss, aux)``.

    >>> g, aux = grad_and_aux(lambda x: (x ** 2, 'note'))(3.0)
    >>> float(g), aux
    (6.0, 'note')
    """
    sig = Signature(fun)
    keys, several = _keys_from_argnum(sig, argnum)
    return _gradient_function(fun, sig, keys, several, has_aux=True, operator="grad_and_aux")


def make_vjp(fun: Callable, argnum: int = 0) -> Callable:
    """A function returning ``(vjp, value)``: ``vjp(v)`` is v times the Jacobian.

    The forward pass is recorded once; ``vjp`` can be called many times.

    >>> import teachgrad.numpy as np
    >>> vjp, value = make_vjp(lambda x: x * np.array([1.0, 2.0]))(3.0)
    >>> float(vjp(np.array([1.0, 1.0])))
    3.0
    """
    sig = Signature(fun)
    sig.check_argnum(argnum)

    @functools.wraps(fun)
    def vjp_maker(*args, **kwargs):
        with cycle_collection_paused():
            graph, (boxed,), out = trace_call(sig, args, kwargs, [argnum])
        value = unwrap_output(out, graph)
        if not all(_is_number_or_array(unwrap(leaf)) for leaf in leaves_of(out)):
            raise NonScalarOutputError(_not_a_number_message(value, sig.fun_name, "make_vjp")
                                       .replace("one number", "numbers or arrays"))
        outputs = [(i, leaf) for i, leaf in enumerate(leaves_of(out))
                   if isinstance(leaf, Node) and leaf.level == graph.level]

        def vjp(v):
            check_like(v, value, "The vector given to vjp", "vjp")
            if not outputs:
                return map_leaves(lambda leaf: zeros_like(leaf.value), boxed)
            with cycle_collection_paused():
                if len(outputs) == 1 and outputs[0][1] is out:
                    grads = input_gradients(graph, out, v)
                else:
                    seeds = leaves_of(_in_key_order(v, value))
                    grads = input_gradients(graph, [node for _, node in outputs],
                                            [seeds[i] for i, _ in outputs])
            return gather(graph, boxed, grads, sig.fun_name)
        return vjp, value
    return vjp_maker


def vector_jacobian_product(fun: Callable, argnum: int = 0) -> Callable:
    """A function of ``(*args, vector)`` returning ``vector`` times the Jacobian of ``fun``.

    ``vector`` is contracted with the leading axes of the output: shaped like
    the output it gives one gradient, shaped like the output's first axes
    only it gives one gradient per remaining output entry (autograd's
    ``tensor_jacobian_product``).

    >>> import teachgrad.numpy as np
    >>> vjp = vector_jacobian_product(lambda x: x ** 2)
    >>> vjp(np.array([1.0, 2.0]), np.array([1.0, 1.0]))
    array([2., 4.])
    >>> vector_jacobian_product(lambda x: np.outer(x, x))(np.array([1.0, 2.0]), np.array([1.0, 0.0]))
    array([[2., 0.],
           [2., 1.]])
    """
    maker = make_vjp(fun, argnum)

    def vjp(*args, **kwargs):
        *args, vector = args
        pullback, value = maker(*args, **kwargs)
        out_shape, v_shape = numpy.shape(unwrap(value)), numpy.shape(unwrap(vector))
        if isinstance(value, (list, tuple, dict)) or out_shape == v_shape:
            return pullback(vector)
        if out_shape[:len(v_shape)] != v_shape:
            raise ArgumentError(explain(
                f"The vector has shape {v_shape}, but the output of "
                f"{getattr(fun, '__name__', 'f')} has shape {out_shape}.",
                "the vector is multiplied with the leading axes of the output, so its shape "
                "must be the output's shape or its beginning.",
                f"give a vector of shape {out_shape} (or {out_shape[:1]}, {out_shape[:2]}, ...)."))
        rest = out_shape[len(v_shape):]
        plain_v = unwrap(vector)
        rows = []
        for index in numpy.ndindex(*rest):
            unit = numpy.zeros(rest)
            unit[index] = 1.0
            rows.append(pullback(numpy.multiply.outer(plain_v, unit)))
        return tnp.reshape(tnp.stack(rows), rest + numpy.shape(rows[0]))
    return vjp


def elementwise_grad(fun: Callable, argnum: int = 0) -> Callable:
    """The sum of the Jacobian's rows: for an elementwise function, each entry's derivative.

    >>> import teachgrad.numpy as np
    >>> elementwise_grad(np.sin)(np.array([0.0, np.pi]))
    array([ 1., -1.])
    """
    maker = make_vjp(fun, argnum)

    @functools.wraps(fun)
    def egrad(*args, **kwargs):
        vjp, value = maker(*args, **kwargs)
        if any(numpy.iscomplexobj(unwrap(leaf)) for leaf in leaves_of(value)):
            raise NonScalarOutputError("elementwise_grad needs a real-valued function; take np.real or np.abs first.")
        return vjp(map_leaves(ones_like, value))
    return egrad


def jacobian(fun: Callable, argnum: int = 0) -> Callable:
    """The Jacobian: entry ``[i..., j...]`` is d output[i...] / d input[j...].

    Its shape is the output's shape followed by the input's shape.

    >>> import teachgrad.numpy as np
    >>> jacobian(lambda x: x ** 2)(np.array([1.0, 2.0]))
    array([[2., 0.],
           [0., 4.]])
    """
    maker = make_vjp(fun, argnum)

    @functools.wraps(fun)
    def jac(*args, **kwargs):
        vjp, value = maker(*args, **kwargs)
        if isinstance(value, (list, tuple, dict)):
            raise NonScalarOutputError(explain(
                f"jacobian needs {getattr(fun, '__name__', 'f')} to return one array, but it "
                f"returned {_describe(value)}.",
                "the Jacobian is one table of derivatives: every entry of one output against "
                "every entry of the input.",
                "take the Jacobian of each output on its own, for example "
                "jacobian(lambda x: f(x)[0]), or stack the outputs into one array "
                "with np.stack or np.concatenate."))
        out_shape = numpy.shape(unwrap(value))
        plain_x = _argument(fun, argnum, args, kwargs)
        if isinstance(unwrap(plain_x), (list, tuple, dict)):
            raise ArgumentError("jacobian differentiates with respect to one array, "
                                "not a list, tuple or dict; pass an array (np.array(...)).")
        in_shape = numpy.shape(unwrap(plain_x))
        dtype = numpy.result_type(unwrap(value))
        rows = []
        for index in numpy.ndindex(*out_shape):
            basis = numpy.zeros(out_shape, dtype)
            basis[index] = 1
            rows.append(vjp(basis))
        if not out_shape:
            return tnp.reshape(rows[0], in_shape)
        return tnp.reshape(tnp.stack(rows), out_shape + in_shape)
    return jac


def _argument(fun: Callable, argnum: int, args: tuple, kwargs: dict) -> Any:
    if argnum < len(args):
        return args[argnum]
    sig = Signature(fun)
    return sig.bind(args, kwargs).arguments[sig.positional[argnum]]


def hessian(fun: Callable, argnum: int = 0) -> Callable:
    """The matrix (or tensor) of second derivatives: the Jacobian of the gradient.

    >>> import teachgrad.numpy as np
    >>> hessian(lambda x: np.sum(x ** 3))(np.array([1.0, 2.0]))
    array([[ 6.,  0.],
           [ 0., 12.]])
    """
    return jacobian(jacobian(fun, argnum), argnum)


def make_hvp(fun: Callable, argnum: int = 0) -> Callable:
    """A function returning ``(hvp, gradient)``; ``hvp(v)`` is the Hessian times ``v``.

    The gradient is computed once; each ``hvp(v)`` reuses it.

    >>> import teachgrad.numpy as np
    >>> hvp, g = make_hvp(lambda x: np.sum(x ** 3))(np.array([1.0, 2.0]))
    >>> hvp(np.array([1.0, 0.0]))
    array([6., 0.])
    """
    return make_vjp(grad(fun, argnum), argnum)


def hessian_vector_product(fun: Callable, argnum: int = 0) -> Callable:
    """A function of ``(*args, vector)`` returning the Hessian of ``fun`` times ``vector``.

    >>> import teachgrad.numpy as np
    >>> hvp = hessian_vector_product(lambda x: np.sum(x ** 3))
    >>> hvp(np.array([1.0, 2.0]), np.array([0.0, 1.0]))
    array([ 0., 12.])
    """
    fun_grad = grad(fun, argnum)

    @functools.wraps(fun)
    def gradient_dot_vector(*args, **kwargs):
        *args, vector = args
        return tnp.tensordot(fun_grad(*args, **kwargs), vector, numpy.ndim(vector))

    def hvp(*args, **kwargs):
        *args, vector = args
        return grad(functools.wraps(fun)(lambda *a, **k: gradient_dot_vector(*a, vector, **k)),
                    argnum)(*args, **kwargs)
    return hvp


hessian_tensor_product = hessian_vector_product
tensor_jacobian_product = vector_jacobian_product


def holomorphic_grad(fun: Callable, argnum: int = 0) -> Callable:
    """The complex derivative of a holomorphic function of a complex argument.

    >>> import teachgrad.numpy as np
    >>> complex(holomorphic_grad(lambda z: z ** 2)(1.0 + 2.0j))
    (2+4j)
    """
    real_part = functools.wraps(fun)(lambda *a, **k: tnp.real(fun(*a, **k)))
    gradient = grad(real_part, argnum)

    @functools.wraps(fun)
    def derivative(*args, **kwargs):
        if differentiable_kind(_argument(fun, argnum, args, kwargs)) != "c":
            warnings.warn("holomorphic_grad expects a complex argument.", stacklevel=2)
        return gradient(*args, **kwargs)
    return derivative


from .misc.checkpoint import checkpoint  # noqa: E402,F401  (where autograd has it)
from .forward import deriv, make_ggnvp, make_jvp, make_jvp_reversemode  # noqa: E402,F401
