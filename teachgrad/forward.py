"""Forward mode: a tangent carried along with each value as it is computed.

Reverse mode records the whole graph, then walks it backwards once per
output. Forward mode pushes one direction ``v`` through the computation while
it runs: next to its value, each node gets its tangent, the derivative of the
value along ``v``. One forward pass gives the Jacobian times ``v``.

The input may be a number, an array, or lists, tuples and dicts of them; the
direction ``v`` then has the same structure (dict entries are matched by key,
list and tuple entries by position), and the tangent of an output that is a
list, tuple or dict comes back in the output's structure.

A primitive's tangent rule comes from :func:`teachgrad.extend.defjvp` when one
was registered. Otherwise it is derived from its gradient rule: the map
``u -> vjp(u)`` is linear, so its own vector-Jacobian product along the
tangent is the Jacobian times the tangent.

Nesting works like reverse mode: each forward pass is one trace level, and the
tangent rules are written with ``teachgrad.numpy``, so a tangent computed from
values of an outer trace (``make_jvp(grad(f))``, a jvp of a jvp, or ``grad`` of
a function that calls ``make_jvp``) is itself recorded there.
"""
from __future__ import annotations

import functools
import warnings
from typing import Any, Callable, Sequence

import numpy

from .arguments import (Signature, argument_name, argument_value, keys_from_argnum,
                        trace_call)
from .containers import differentiable_kind, map_leaves
from .errors import (ArgumentError, AssignmentError, GradientWarning, NoGradientError,
                     NonScalarOutputError, explain)
from .graph import Graph, Node
from .outputs import (is_number_or_array, leaves_of, not_a_number_message, ones_like,
                      unwrap_output, zeros_like)
from .reverse import make_vjp
from .tracing import cycle_collection_paused, unwrap


def tangent_of(node: Node, argnum: int, tangent: Any) -> Any:
    """The change in ``node`` when its argument ``argnum`` moves along ``tangent``."""
    prim = node.fun
    kwargs = node.kwargs or {}
    rule = prim.jvp_makers.get(argnum)
    if rule is not None:
        return rule(tangent, node.value, *node.args, **kwargs)
    if prim.jvp_argnum_maker is not None:
        return prim.jvp_argnum_maker(argnum, tangent, node.value, node.args, kwargs)
    return _tangent_from_gradient(node, argnum, tangent)


def _tangent_from_gradient(node: Node, argnum: int, tangent: Any) -> Any:
    """Transpose the gradient rule ``u -> vjp(u)`` (linear in u) by reverse mode.

    The rule is traced at u = ones rather than zeros: the point does not matter
    for a linear map, and a rule that skips work for an all-zero u (an unused
    output of a decomposition) must not be caught skipping it.
    """
    gradient_rule = _vjp(node, argnum)
    try:
        transpose, at_ones = make_vjp(gradient_rule)(map_leaves(ones_like, node.value))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", GradientWarning)
            result = transpose(tangent)
    except AssignmentError as error:    # the rule turned u into plain numbers
        raise NoGradientError(no_tangent_message(node.fun, argnum, plain_rule=True)) from error
    for w in caught:
        if not issubclass(w.category, GradientWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if any(issubclass(w.category, GradientWarning) for w in caught) and _nonzero(at_ones):
        # A linear map that ignores u is zero; this one is not, so it computed
        # with plain numbers that forward mode cannot follow.
        raise NoGradientError(no_tangent_message(node.fun, argnum, plain_rule=True))
    return result


def _nonzero(value: Any) -> bool:
    found = []
    map_leaves(lambda leaf: found.append(bool(numpy.any(numpy.asarray(unwrap(leaf)) != 0))), value)
    return any(found)


def _vjp(node: Node, argnum: int) -> Callable:
    """``u -> u times d node / d argument argnum``: the node's gradient rule as a linear map."""
    prim = node.fun
    if not prim.has_gradient(argnum):
        raise NoGradientError(no_tangent_message(prim, argnum))
    return lambda u: prim.chain_rule(u, [argnum], node.value, node.args, node.kwargs)[0]


def no_tangent_message(prim, argnum: int, plain_rule: bool = False) -> str:
    name = getattr(prim, "qualified_name", prim.name)
    if plain_rule:
        why = ("forward mode needs a tangent rule for each function it passes through; this one "
               "has none of its own, and its gradient rule computes with plain numbers, so "
               "forward mode cannot derive one from it.")
        instead = ("use reverse mode (grad, make_vjp, jacobian), which supports this function, "
                   "or register a rule:\n")
    else:
        why = ("forward mode needs a tangent rule for each function it passes through; teachgrad "
               "has none for this one, and no gradient rule to derive one from.")
        instead = ("compute the value with functions that have derivatives, or register a rule:\n")
    return explain(
        f"Forward mode (make_jvp, deriv) cannot differentiate {name} with respect to "
        f"argument {argnum}, and the output depends on it through this argument.",
        why,
        instead +
        "    from teachgrad.extend import defjvp\n"
        f"    defjvp({name}, lambda g, ans, *args: ...)   "
        f"# the change of the output when argument {argnum} changes by g")


def make_jvp(fun: Callable, argnum: int | Sequence[int] = 0) -> Callable:
    """A function returning ``jvp``, where ``jvp(v)`` is ``(value, Jacobian times v)``, in forward mode.

    ``v`` has the structure of the argument (a dict's entries matched by key);
    the tangent has the structure of the value. With several argnums, ``v`` is
    a tuple holding one tangent per argument.

    >>> import teachgrad.numpy as np
    >>> jvp = make_jvp(lambda x: x ** 2)(np.array([1.0, 2.0]))
    >>> jvp(np.array([1.0, 0.0]))[1]
    array([2., 0.])
    >>> value, tangent = make_jvp(lambda p: (p['a'] * p['b'], p['a']))({'a': 2.0, 'b': 3.0})(
    ...     {'b': 0.0, 'a': 1.0})
    >>> [float(t) for t in tangent]
    [3.0, 1.0]
    """
    sig = Signature(fun)
    keys, several = keys_from_argnum(sig, argnum)

    @functools.wraps(fun)
    def jvp_maker(*args, **kwargs):
        x = _argument_values(sig, args, kwargs, keys, several)

        def jvp(v):
            directions = []
            if several:
                names = [argument_name(sig, args, k) for k in keys]
                _pair(x, v, f"({', '.join(names)})", directions, names=names)
            else:
                _pair(x, v, argument_name(sig, args, keys[0]), directions)
            with cycle_collection_paused():
                return _forward(sig, args, kwargs, keys, directions)
        return jvp
    return jvp_maker


def _argument_values(sig: Signature, args: tuple, kwargs: dict, keys: list, several: bool) -> Any:
    values = [argument_value(sig, args, kwargs, k) for k in keys]
    return tuple(values) if several else values[0]


def tangent_leaves(x: Any, v: Any, where: str) -> list:
    """The tangent ``v`` given for ``x`` (called ``where``), checked, one entry per leaf of ``x``.

    Dict entries are matched by key, list and tuple entries by position; a tangent
    built unlike ``x`` is refused with an explanation. The forward stepper uses it too.

    >>> [float(t) for t in tangent_leaves({'a': 2.0, 'b': [1.0, 3.0]}, {'b': [0, 1], 'a': 1.0}, 'p')]
    [1.0, 0.0, 1.0]
    """
    out: list = []
    _pair(x, v, where, out)
    return out


def _pair(x: Any, v: Any, where: str, out: list, names: list | None = None) -> None:
    """Append the tangent of each leaf of ``x`` to ``out``, in the order its leaves are traced.

    This walks ``x`` as :func:`teachgrad.containers.box_leaves` does, taking
    from ``v`` the entry with the same key or position, so the i-th tangent
    belongs to the i-th input node.
    """
    t = type(x)
    if t is list or t is tuple or (isinstance(x, tuple) and hasattr(x, "_fields")):
        if not isinstance(v, (list, tuple)) or isinstance(v, Node) or len(v) != len(x):
            raise ArgumentError(_mismatch(where, x, v))
        for i, (xi, vi) in enumerate(zip(x, v)):
            if names is not None:                # several arguments: each by its own name
                _pair(xi, vi, names[i], out)
            else:
                _pair(xi, vi, f"{where}.{x._fields[i]}" if hasattr(x, "_fields") else
                      f"{where}[{i}]", out)
    elif isinstance(x, dict):
        if not isinstance(v, dict) or set(v) != set(x):
            raise ArgumentError(_mismatch(where, x, v))
        for key, xi in x.items():
            _pair(xi, v[key], f"{where}[{key!r}]", out)
    else:
        out.append(_leaf_tangent(x, v, where))


def _leaf_tangent(x: Any, v: Any, where: str) -> Any:
    """``v`` checked (and made a float array if it was ints or a list) as the tangent of ``x``."""
    if differentiable_kind(x) is None:
        return None                  # tracing x will explain that it cannot be differentiated
    if isinstance(v, (dict, list, tuple)) and not _numbers_only(v):
        raise ArgumentError(_mismatch(where, x, v))
    plain = unwrap(v)
    try:
        array = numpy.asarray(plain)
    except (TypeError, ValueError):
        array = None
    if array is None or array.dtype.kind not in "biufc":
        raise ArgumentError(_mismatch(where, x, v))
    x_plain = numpy.asarray(unwrap(x))
    if array.shape != x_plain.shape:
        raise ArgumentError(explain(
            f"The tangent for {where} has shape {array.shape}, but {where} has shape "
            f"{x_plain.shape}.",
            "a tangent is a direction in which to move the input, so it needs one entry "
            "for each entry of the input.",
            f"pass a tangent shaped like {where}, for example np.ones_like({where}) or a "
            "unit vector of that shape."))
    if array.dtype.kind == "c" and x_plain.dtype.kind != "c":
        raise ArgumentError(explain(
            f"The tangent for {where} is complex, but {where} is real.",
            "a real input can only move in real directions; a complex tangent would ask for "
            "a derivative the function does not have.",
            f"pass a real tangent for {where} (np.real(v)), or make {where} complex "
            "(x + 0j) to differentiate with respect to complex changes."))
    # A complex input moves in its complex space: a real tangent is made complex (traced,
    # when an outer trace differentiates with respect to it, so its gradient stays real).
    to_complex = x_plain.dtype.kind == "c" and array.dtype.kind != "c"
    if isinstance(v, Node):          # an outer trace's value: forward over forward
        if to_complex:
            from . import numpy as tnp
            return tnp.add(v, 0j)
        return v
    if to_complex or array.dtype.kind in "biu" or isinstance(v, (list, tuple)):
        array = array.astype(numpy.result_type(x_plain.dtype, numpy.float64))
        return array if array.ndim else array[()]
    return v


def _numbers_only(v: Any) -> bool:
    if isinstance(v, (list, tuple)):
        return all(_numbers_only(i) for i in v)
    return isinstance(v, (int, float, complex, numpy.number, numpy.bool_)) or \
        (isinstance(v, numpy.ndarray) and v.dtype.kind in "biufc")


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return f"a dict with keys {', '.join(map(repr, value))}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of length {len(value)}"
    plain = unwrap(value)
    shape = numpy.shape(plain) if hasattr(plain, "shape") or isinstance(plain, (int, float, complex)) \
        else None
    if shape is None:
        return f"a {type(plain).__name__}"
    return "a number" if shape == () else f"an array of shape {shape}"


def _mismatch(where: str, x: Any, v: Any) -> str:
    return explain(
        f"The tangent for {where} is {_kind(v)}, but {where} is {_kind(x)}.",
        "forward mode moves the input along the tangent, so the tangent must have the "
        "input's structure: the same dict keys, the same list and tuple lengths, and "
        "an array of the same shape for each array.",
        f"pass a tangent built like {where}, for example {_example(x)}.")


def _example(x: Any) -> str:
    """A zero tangent for ``x``, written as code: {'a': 0.0, 'b': np.zeros((2,))}."""
    def leaf(value):
        shape = numpy.shape(unwrap(value))
        return _Code("0.0" if shape == () else f"np.zeros({shape})")
    text = repr(map_leaves(leaf, x))
    return text if len(text) <= 120 else text[:117] + "..."


class _Code(str):
    def __repr__(self) -> str:
        return str(self)


def _forward(sig: Signature, args, kwargs, keys: list, directions: list):
    graph = Graph()
    # The i-th input node made by trace_call is graph.nodes[i]: its tangent is directions[i].
    tangents: dict[int, Any] = dict(enumerate(directions))

    def watch(node: Node) -> None:
        total = None
        for argnum_, parent in node.parents:
            t = tangents.get(parent.id)
            if t is None:
                continue
            part = tangent_of(node, argnum_, t)
            total = part if total is None else _add(total, part)
        if total is not None:
            tangents[node.id] = total

    graph.watcher = watch
    graph, _, out = trace_call(sig, args, kwargs, keys, graph=graph)
    assert [n.id for n in graph.inputs] == list(range(len(directions)))
    value = unwrap_output(out, graph)
    if not all(is_number_or_array(unwrap(leaf)) for leaf in leaves_of(value)):
        message = not_a_number_message(value, sig.fun_name, "make_jvp")
        raise NonScalarOutputError(message.replace("one number", "numbers or arrays"))

    def tangent_of_output(leaf: Any) -> Any:
        if isinstance(leaf, Node) and leaf.level == graph.level:
            t = tangents.get(leaf.id)
            return _zero_tangent(leaf.value) if t is None else _shaped_like(t, leaf.value)
        return _zero_tangent(leaf)

    return value, map_leaves(tangent_of_output, out)


def _add(a: Any, b: Any) -> Any:
    if type(a) is tuple:                # a primitive with several outputs: output by output
        return tuple(x + y for x, y in zip(a, b))
    return a + b


def _zero_tangent(value: Any) -> Any:
    """The tangent of an output that does not depend on the input."""
    plain = unwrap(value)
    if isinstance(plain, (tuple, list)):      # a primitive with several outputs
        return type(plain)(_zero_tangent(v) for v in plain)
    if isinstance(plain, (bool, numpy.bool_)):
        return 0.0
    return zeros_like(plain)


def _shaped_like(tangent: Any, value: Any) -> Any:
    """The tangent of an output, in the output's space: its shape (a tangent given only as
    a broadcastable part is spread out) and real or complex like it."""
    plain = unwrap(value)
    if isinstance(plain, (tuple, list)):      # a primitive with several outputs
        return type(plain)(_shaped_like(t, v) for t, v in zip(tangent, plain))
    from . import numpy as tnp
    value_complex, tangent_complex = numpy.iscomplexobj(plain), numpy.iscomplexobj(unwrap(tangent))
    if value_complex and not tangent_complex:
        tangent = tnp.add(tangent, 0j)           # the same numbers, in the output's (complex) space
    elif tangent_complex and not value_complex:
        tangent = tnp.real(tangent)              # a real output moves in real directions only
    shape = numpy.shape(plain)
    if numpy.shape(unwrap(tangent)) == shape:
        return tangent
    spread = tnp.broadcast_to(tangent, shape)
    return spread.copy() if isinstance(spread, numpy.ndarray) else spread


def deriv(fun: Callable, argnum: int | Sequence[int] = 0) -> Callable:
    """The derivative along all inputs at once: the Jacobian times a vector of ones.

    >>> import teachgrad.numpy as np
    >>> float(deriv(np.tanh)(0.0))
    1.0
    """
    sig = Signature(fun)
    jvp_maker = make_jvp(fun, argnum)
    keys, several = keys_from_argnum(sig, argnum)

    @functools.wraps(fun)
    def derivative(*args, **kwargs):
        ones = map_leaves(ones_like, _argument_values(sig, args, kwargs, keys, several))
        return jvp_maker(*args, **kwargs)(ones)[1]
    return derivative


def make_jvp_reversemode(fun: Callable, argnum: int = 0) -> Callable:
    """``make_jvp`` computed in reverse mode: ``u -> vjp(u)`` is linear, and its own
    vector-Jacobian product along ``v`` is the Jacobian times ``v``.

    >>> import teachgrad.numpy as np
    >>> make_jvp_reversemode(lambda x: x ** 2)(np.array([1.0, 2.0]))(np.array([0.0, 1.0]))[1]
    array([0., 4.])
    """
    sig = Signature(fun)
    sig.check_argnum(argnum)
    vjp_maker = make_vjp(fun, argnum)

    @functools.wraps(fun)
    def jvp_maker(*args, **kwargs):
        vjp, value = vjp_maker(*args, **kwargs)
        x = argument_value(sig, args, kwargs, argnum)

        def jvp(v):
            # v checked and put in x's own order (a dict's entries by key, as make_jvp does)
            leaves = []
            _pair(x, v, argument_name(sig, args, argnum), leaves)
            directions = iter(leaves)
            v = map_leaves(lambda _: next(directions), x)
            # Any point will do for a linear map; not zeros, where some rules skip work.
            vjp_of_vjp, _ = make_vjp(vjp)(map_leaves(ones_like, value))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", GradientWarning)
                return value, vjp_of_vjp(v)
        return jvp
    return jvp_maker
