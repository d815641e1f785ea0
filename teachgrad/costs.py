"""``cost``: what forward and reverse mode each pay for the derivative of one function.

The whole Jacobian of ``f: R^n -> R^m`` takes reverse mode one recording of
the forward pass plus one backward pass per output entry (one for a scalar
loss), and forward mode one pass per input entry. :func:`cost` runs both on
the student's own function and counts the work each pass really did, read
from the graphs those passes recorded; it never edits the engine and adds
nothing to the path of ``grad``.
"""
from __future__ import annotations

import html
import time
import warnings
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy

from . import tracing
from .backprop import backward
from .containers import differentiable_kind, map_leaves, named_leaves, not_differentiable_message
from .arguments import Signature, locate
from .differential_operators import GradientWarning, make_jvp, make_vjp
from .errors import (ArgumentError, NotDifferentiableInputError, NonScalarOutputError,
                     TeachgradError, explain)
from .graph import Graph, Node
from .options import separates_function_keywords

MAX_PASSES = 10_000
# The reverse-mode Jacobian is kept (m x n floats); beyond this many entries, only samples are.
MAX_JACOBIAN_ENTRIES = 10_000_000


class CostError(TeachgradError, ValueError):
    """cost was asked for something it cannot count (too many passes, no float input, ...)."""


class ModesDisagreeError(TeachgradError, AssertionError):
    """Forward and reverse mode gave different Jacobians: a wrong gradient or tangent rule."""


@dataclass(frozen=True)
class ModeCost:
    """What one mode paid for the whole Jacobian.

    ``passes``: the passes the mode needs (reverse: backward passes, one per
    output entry; forward: one per input entry); ``passes_run``: how many were
    run (fewer only with ``sample=``, and then the totals are scaled up from
    them); ``evaluations``: primitive evaluations in forward passes (reverse:
    its one recording); ``rules``: gradient rules (reverse) or tangent rules
    (forward) applied in all passes; ``evaluations_per_pass`` and
    ``rules_per_pass``: the same for one pass (the mean over the passes run);
    ``seconds``: wall time of the passes run (reverse: its recording included).
    """

    mode: str
    passes: int
    passes_run: int
    evaluations: int
    rules: int
    evaluations_per_pass: float
    rules_per_pass: float
    seconds: float

    @property
    def work(self) -> int:
        """Operations in all: primitive evaluations plus rules applied, each counted as one."""
        return self.evaluations + self.rules

    @property
    def sampled(self) -> bool:
        return self.passes_run < self.passes


@dataclass(frozen=True, eq=False)
class Cost:
    """The result of :func:`cost`; ``print`` it, or show it in a notebook as a table.

    ``inputs`` (n) and ``outputs`` (m) count entries (every float of every array
    differentiated; every number returned); ``operations`` is the primitive
    evaluations of one forward recording; ``reverse`` and ``forward`` are
    :class:`ModeCost`; ``jacobian`` is the Jacobian (output shape followed by
    input shape when one array goes in and one comes out, else m x n with the
    entries of containers in order), or None when a mode was sampled.
    """

    function: str
    inputs: int                   # n: entries of the arguments differentiated
    outputs: int                  # m: entries of the output
    operations: int               # primitive evaluations in one forward recording
    reverse: ModeCost
    forward: ModeCost
    jacobian_shape: tuple
    jacobian: numpy.ndarray | None    # None when a mode was sampled
    input_text: str               # "x: shape (3,)", "params: {'W': (3, 2), 'b': (2,)}"
    output_text: str

    @property
    def cheaper(self) -> str | None:
        """``'reverse'`` or ``'forward'``: the mode that did less work here (None if equal)."""
        r, f = self.reverse.work, self.forward.work
        return None if r == f else "reverse" if r < f else "forward"

    @property
    def ratio(self) -> float:
        """How many times more work the costlier mode did (1.0 when equal)."""
        small, big = sorted((self.reverse.work, self.forward.work))
        return big / small if small else float("inf") if big else 1.0

    def _mode_lines(self) -> list[tuple[str, str, str]]:
        r, f = self.reverse, self.forward
        backward_passes = _plural(r.passes, "backward pass", "backward passes")
        reverse = (f"reverse mode: 1 forward recording ({_plural(r.evaluations, 'op')}) + "
                   f"{backward_passes} x {_plural(_count(r.rules_per_pass), 'gradient rule')}")
        forward = (f"forward mode: {_plural(f.passes, 'pass', 'passes')} x "
                   f"({_plural(_count(f.evaluations_per_pass), 'op')} + "
                   f"{_plural(_count(f.rules_per_pass), 'tangent rule')})")
        return [(reverse, _approx(r) + f"{r.work:,} operations", _seconds(r)),
                (forward, _approx(f) + f"{f.work:,} operations", _seconds(f))]

    def _verdict(self) -> str:
        n, m = self.inputs, self.outputs
        per_output = f"one backward pass per output ({m:,})"
        per_input = f"one pass per input ({n:,})"
        if self.cheaper is None or self.ratio < 1.05:
            return (f"Both modes do about the same work here: reverse mode needs {per_output}, "
                    f"forward mode {per_input}.")
        if self.cheaper == "reverse":
            return (f"Reverse mode is {_times(self.ratio)} less work here: it needs {per_output}, "
                    f"forward mode {per_input}.")
        return (f"Forward mode is {_times(self.ratio)} less work here: it needs {per_input}, "
                f"reverse mode {per_output}.")

    def _notes(self) -> list[str]:
        notes = []
        for mode in (self.reverse, self.forward):
            if mode.sampled:
                notes.append(f"{mode.mode.capitalize()} mode ran {mode.passes_run:,} of its "
                             f"{mode.passes:,} passes (spread evenly); its totals (~) are "
                             "scaled up from them.")
        if self.jacobian is None:
            notes.append("Both modes agree on every Jacobian entry they both computed.")
        else:
            notes.append(f"Both modes give the same Jacobian, shape {self.jacobian_shape}.")
        return notes

    def __str__(self) -> str:
        head = f"{self.function}: {_space(self.inputs)} -> {_space(self.outputs)}   " \
               f"(input {self.input_text}; output {self.output_text})"
        rows = self._mode_lines()
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        lines = [f"{a:<{widths[0]}} = {b:>{widths[1]}}   {c:>{widths[2]}}" for a, b, c in rows]
        return "\n".join([head, *lines, self._verdict(), *self._notes()])

    __repr__ = __str__

    def _repr_html_(self) -> str:
        e = html.escape
        r, f = self.reverse, self.forward
        rows = [("reverse", f"1 recording + {r.passes:,} backward", _approx(r) + f"{r.evaluations:,}",
                 _approx(r) + f"{r.rules:,} gradient rules", _approx(r) + f"{r.work:,}", _seconds(r)),
                ("forward", f"{f.passes:,}", _approx(f) + f"{f.evaluations:,}",
                 _approx(f) + f"{f.rules:,} tangent rules", _approx(f) + f"{f.work:,}", _seconds(f))]
        head = ("mode", "passes", "primitive evaluations", "rules applied", "operations", "time")
        cells = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" if i < 2 else
                                         f"<td style='text-align:right'>{e(c)}</td>"
                                         for i, c in enumerate(row)) + "</tr>" for row in rows)
        caption = (f"{e(self.function)}: {_space(self.inputs, html=True)} &rarr; "
                   f"{_space(self.outputs, html=True)} (input {e(self.input_text)}; "
                   f"output {e(self.output_text)})")
        notes = "".join(f"<p>{e(text)}</p>" for text in [self._verdict(), *self._notes()])
        return (f"<div class='teachgrad-cost'><table><caption>{caption}</caption><tr>"
                + "".join(f"<th>{e(h)}</th>" for h in head) + f"</tr>{cells}</table>{notes}</div>")


@separates_function_keywords
def cost(fun: Callable, *args, wrt: Sequence[int | str] | int | str | None = None,
         max_passes: int = MAX_PASSES, sample: int | None = None,
         kwargs: dict | None = None) -> Cost:
    """Run forward and reverse mode on ``fun(*args)`` and count what each did for the Jacobian.

    Reverse mode records the forward pass once (``make_vjp``), then runs one
    backward pass per output entry; forward mode runs one pass (``make_jvp``)
    per input entry, along each basis direction. Both Jacobians are compared
    (``numpy.allclose``); if they differ, :class:`ModesDisagreeError` is raised.

    What is counted, in the graphs the passes recorded: *primitive
    evaluations* (the nodes a forward pass recorded, inputs not counted);
    *gradient rules* (the nodes a backward pass reached that have parents,
    counted by running the backward pass of :func:`teachgrad.backward` once
    more on the recorded graph: every backward pass reaches the same nodes,
    since each seeds every output); *tangent rules* (in each forward pass, the
    nodes computed from an input, each of which got its tangent). A rule
    applied or a primitive evaluated counts as one operation; the wall time of
    each mode is measured as well.

    ``wrt`` chooses the arguments (positions or names; by default every
    argument holding floats), which may be numbers, arrays, or lists, tuples
    and dicts of them. A mode needing more than ``max_passes`` passes is
    refused, unless ``sample=k``: then at most ``k`` of its passes run (spread
    evenly) and its totals are scaled up. Other keywords go to ``fun``.

    >>> import teachgrad.numpy as np
    >>> from teachgrad.costs import cost
    >>> c = cost(lambda x: np.sum(np.tanh(x * 2.0)), np.ones(100))
    >>> c.inputs, c.outputs, c.operations, c.reverse.passes, c.forward.passes
    (100, 1, 3, 1, 100)
    >>> print(c)      # doctest: +ELLIPSIS
    f: R^100 -> R   (input x: shape (100,); output a number)
    reverse mode: 1 forward recording (3 ops) + 1 backward pass x 3 gradient rules =   6 operations ...
    forward mode: 100 passes x (3 ops + 3 tangent rules)                            = 600 operations ...
    Reverse mode is 100x less work here: it needs one backward pass per output (1), forward mode one pass per input (100).
    Both modes give the same Jacobian, shape (100,).
    """
    kwargs = kwargs or {}
    if not callable(fun):
        raise CostError(explain(
            f"cost needs a function as its first argument, but got a {type(fun).__name__} "
            f"({_preview(fun)}).",
            "cost runs the function many times, in both modes, to count their work.",
            "pass the function itself, then its arguments: cost(f, x), not cost(f(x))."))
    _check_limit(max_passes, "max_passes")
    if sample is not None:
        _check_limit(sample, "sample")
    name = getattr(fun, "__name__", "f")
    name = "f" if name == "<lambda>" else name
    arguments = _Arguments(fun, args, kwargs, name)
    if wrt is None:
        keys = arguments.default_keys()
        if not keys:
            raise CostError(explain(
                f"None of the arguments of {name} holds floats, so there is nothing "
                "to differentiate.",
                "cost compares the work of computing the derivatives with respect to the "
                "inputs; integers, strings and booleans cannot change a little, so they have none.",
                "pass floats (2.0 instead of 2, np.array([1.0, 2.0]) instead of "
                "np.array([1, 2])), or choose the arguments with wrt=."))
    else:
        keys = list(wrt) if isinstance(wrt, (list, tuple)) else [wrt]
    names, values = zip(*(arguments.name_and_value(key) for key in keys))
    names, values = list(names), tuple(values)
    _check_inputs(values, names)
    n = sum(numpy.size(leaf) for leaf in _leaves(values))
    if n == 0:
        raise CostError(explain(
            f"The arguments differentiated ({', '.join(names)}) hold no numbers: their arrays "
            "are empty.",
            "with no input entries there is no derivative to compute, and nothing to count.",
            "pass arguments with at least one float entry."))
    if n > max_passes and sample is None:
        raise CostError(_too_many_passes(name, n, "forward", "input", max_passes))
    passes = _Passes(arguments, keys, values, name)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        reverse, rows, jacobian_rows, value = passes.reverse(max_passes, sample)
        forward, mismatches = passes.forward(n, rows, jacobian_rows, sample)
    _warn_once(caught)
    unused = [path for node, (path, _) in zip(passes.graph.inputs, _all_paths(values, names))
              if node.id not in passes.reached]
    if unused:
        warnings.warn(f"The output of {name} does not depend on {', '.join(unused)}, so its "
                      "derivatives there are zero (and no backward pass reaches it).",
                      GradientWarning, stacklevel=3)
    if mismatches:
        raise ModesDisagreeError(_disagree_message(name, mismatches, rows, values, names, value))
    m = reverse.passes
    in_shapes = [numpy.shape(leaf) for leaf in _leaves(values)]
    out_shapes = [numpy.shape(leaf) for leaf in _leaves(value)]
    single = len(in_shapes) == 1 and len(out_shapes) == 1
    shape = out_shapes[0] + in_shapes[0] if single else (m, n)
    complete = not reverse.sampled and not forward.sampled
    return Cost(name, n, m, reverse.evaluations, reverse, forward, shape,
                jacobian_rows.reshape(shape) if complete else None,
                _describe_inputs(values, names), _describe(value))


class _Passes:
    """The passes of both modes over one function, each recorded through ``probe``, which
    keeps the graph the pass recorded so that its work can be counted."""

    def __init__(self, arguments: "_Arguments", keys: list, values: tuple, name: str):
        self.arguments, self.keys, self.values, self.name = arguments, keys, values, name
        self.seen: list = []          # (graph, output) of each pass not yet counted
        self.graph: Graph | None = None       # reverse mode's recording
        self.reached: set = set()     # ids of its nodes a backward pass reaches

    def probe(self, xs: tuple) -> Any:
        out = self.arguments.call(self.keys, xs)
        _check_output(out, self.name)
        self.seen.append((_recording(xs), out))
        return out

    def reverse(self, max_passes: int, sample: int | None):
        """One recording, then a backward pass along each output entry (or a sample of them).

        Returns the ModeCost, the output entries run, the Jacobian rows, the output.
        """
        start = time.perf_counter()
        vjp, value = make_vjp(self.probe)(self.values)
        seconds = time.perf_counter() - start
        self.graph, out = self.seen.pop()
        n = sum(numpy.size(leaf) for leaf in _leaves(self.values))
        m = sum(numpy.size(leaf) for leaf in _leaves(value))
        if sample is None:
            _check_size(n, m, max_passes, self.name)
        rows = _indices(m, sample)
        start = time.perf_counter()
        jacobian_rows = [_flat(vjp(_unflat(value, _unit(m, i)))) for i in rows]
        seconds += time.perf_counter() - start
        recorded = _operations(self.graph)
        per_backward, self.reached = _gradient_rules(self.graph, out)
        mode = ModeCost("reverse", m, len(rows), recorded,
                        _scaled(per_backward * len(rows), len(rows), m), recorded,
                        per_backward, seconds)
        return mode, rows, numpy.array(jacobian_rows).reshape(len(rows), n), value

    def forward(self, n: int, rows, jacobian_rows, sample: int | None):
        """A forward pass along each input entry (or a sample of them), each column checked
        against reverse mode's rows as it comes. Returns the ModeCost and the mismatches."""
        jvp = make_jvp(self.probe)(self.values)
        columns = _indices(n, sample)
        evaluations = tangent_rules = 0
        seconds = 0.0
        mismatches = []
        for j in columns:
            start = time.perf_counter()
            _, tangent = jvp(_unflat(self.values, _unit(n, j)))
            seconds += time.perf_counter() - start
            graph, _ = self.seen.pop()
            evaluations += _operations(graph)
            tangent_rules += _tangent_rules(graph)
            column = _flat(tangent)[rows]
            if not numpy.allclose(column, jacobian_rows[:, j], equal_nan=True):
                mismatches.append((j, column, jacobian_rows[:, j]))
        ran = len(columns)
        mode = ModeCost("forward", n, ran, _scaled(evaluations, ran, n),
                        _scaled(tangent_rules, ran, n), evaluations / ran, tangent_rules / ran,
                        seconds)
        return mode, mismatches


# --------------------------------------------------------------------------
# Choosing and placing the arguments
# --------------------------------------------------------------------------

class _Arguments:
    """The call ``fun(*args, **kwargs)``, with some arguments (chosen by position or name)
    to be replaced by other values; placed as grad places them (arguments.locate)."""

    def __init__(self, fun: Callable, args: tuple, kwargs: dict, name: str):
        self.sig = Signature(fun)
        self.args, self.kwargs, self.name = args, kwargs, name

    def default_keys(self) -> list:
        """Every argument holding floats, as trace and step_through choose them."""
        bound = self.sig.bind(self.args, self.kwargs)
        if bound is None:
            return [i for i, a in enumerate(self.args) if _holds_float(a)]
        return [k for k, v in bound.arguments.items() if k != self.sig.varargs and _holds_float(v)]

    def _locate(self, key: Any, bound, args: list):
        """(value, setter, the name a student writes) of the argument ``key``, or why not."""
        named = isinstance(key, str) and self.sig.sig is not None and key in self.sig.sig.parameters
        numbered = isinstance(key, int) and not isinstance(key, bool) and key >= 0
        if named or numbered:
            try:
                return locate(self.sig, bound, args, key)
            except ArgumentError:
                pass
        known = ", ".join(f"{i} or {n!r}" for i, n in enumerate(self.sig.positional)) or \
            ", ".join(map(str, range(len(self.args))))
        raise CostError(explain(
            f"wrt={key!r} does not name an argument of {self.name} as it was called.",
            "wrt chooses the arguments to differentiate: by position, counting from 0, or by "
            "name.",
            f"use one of: {known or '(none)'}, or a list of them (wrt=[0, 'b'])."))

    def name_and_value(self, key: Any) -> tuple[str, Any]:
        value, _, name = self._locate(key, self.sig.bind(self.args, self.kwargs), list(self.args))
        return name, value

    def call(self, keys: list, values: tuple) -> Any:
        """``fun`` called with ``values[i]`` as the argument ``keys[i]``."""
        bound, args = self.sig.bind(self.args, self.kwargs), list(self.args)
        for key, value in zip(keys, values):
            self._locate(key, bound, args)[1](value)
        if bound is None:
            return self.sig.fun(*args, **self.kwargs)
        return self.sig.fun(*bound.args, **bound.kwargs)


def _leaves(structure: Any) -> list:
    found: list = []
    map_leaves(found.append, structure)
    return found


def _holds_float(value: Any) -> bool:
    return any(differentiable_kind(leaf) is not None for leaf in _leaves(value))


def _check_inputs(values: tuple, names: list[str]) -> None:
    """Every leaf a real float, explained by the name the student gave it."""
    for value, name in zip(values, names):
        for path, leaf in _paths(value, name):
            kind = differentiable_kind(leaf)
            if kind is None:
                raise NotDifferentiableInputError(not_differentiable_message(leaf, path))
            if kind == "c":
                raise CostError(explain(
                    f"{path} is complex, and cost counts the derivatives of real functions.",
                    "with complex inputs the forward and reverse Jacobians are not the same "
                    "table of numbers, so the two modes cannot be compared entry by entry.",
                    f"pass the real and imaginary parts of {path} as two real arguments and "
                    "combine them inside the function: z = a + 1j * b."))


def _paths(value: Any, name: str) -> list:
    """(how a student writes it, leaf) for each leaf: params['W'], layers[0]."""
    return [(leaf_name, leaf) for leaf_name, _, leaf in named_leaves(value, name)]


def _all_paths(values: tuple, names: list[str]) -> list:
    """(path, leaf) of every input leaf, in the order the passes made them input nodes."""
    return [pair for value, name in zip(values, names) for pair in _paths(value, name)]


def _check_limit(value: Any, option: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise CostError(explain(
            f"{option}= must be a whole number of passes, 1 or more, not {value!r}.",
            f"{option}= says how many passes of each mode cost may run.",
            f"cost(f, x, {option}=100)."))


def _check_output(out: Any, name: str) -> None:
    """Refuse, while the function is recorded, an output that has no derivatives to count."""
    for leaf in _leaves(out):
        plain = tracing.unwrap(leaf)
        if plain is None:
            raise NonScalarOutputError(explain(
                f"cost needs {name} to return numbers or arrays, but it returned None. "
                "Did you forget return?",
                "a Python function without a return statement returns None, which has no "
                "derivative.",
                f"end {name} with a return statement, for example return np.sum(err ** 2)."))
        kind = getattr(numpy.asarray(plain) if _numeric(plain) else None, "dtype", None)
        kind = kind.kind if kind is not None else None
        if kind is None or kind not in "biufc":
            raise NonScalarOutputError(explain(
                f"cost needs {name} to return numbers or arrays, but it returned a "
                f"{type(plain).__name__} ({_preview(plain)}).",
                "the Jacobian holds the derivative of each output number with respect to each "
                "input number; text and other objects have no derivative.",
                f"return the number(s) {name} computes (a loss, an array of predictions); "
                "print or keep other results outside the function."))
        if kind == "b":
            raise NonScalarOutputError(explain(
                f"cost needs {name} to return numbers, but it returned a yes/no value "
                f"({_preview(plain)}).",
                "a comparison jumps from False to True, so it has no slope to count.",
                "return the number the comparison is about (np.sum((a - b) ** 2) rather "
                "than np.allclose(a, b))."))
        if kind == "c":
            raise NonScalarOutputError(explain(
                f"cost needs {name} to return real numbers, but it returned a complex one.",
                "the two modes are compared entry by entry on the Jacobian of a real function.",
                "return np.real(...) and np.imag(...) of the result, or np.abs(...) ** 2."))


def _numeric(value: Any) -> bool:
    return isinstance(value, (bool, int, float, complex, numpy.number, numpy.bool_, numpy.ndarray))


def _preview(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _too_many_passes(name: str, many: int, mode: str, per: str, max_passes: int) -> str:
    return explain(
        f"{name} has {many:,} {per} entries, so {mode} mode would need {many:,} passes: "
        f"more than max_passes={max_passes:,}.",
        f"{mode} mode runs one pass per {per} entry; that many passes of your function "
        "would take long, and every pass costs the same, so a sample tells the same story.",
        f"cost(f, ..., sample=100) runs 100 of the passes, spread evenly over the "
        f"{per}s, and scales the counts up; or try a smaller {per} first.")


def _check_size(n: int, m: int, max_passes: int, name: str) -> None:
    if m > max_passes:
        raise CostError(_too_many_passes(name, m, "reverse", "output", max_passes))
    if n * m > MAX_JACOBIAN_ENTRIES:
        raise CostError(explain(
            f"The Jacobian of {name} has {m:,} x {n:,} = {n * m:,} entries, more than cost "
            f"keeps ({MAX_JACOBIAN_ENTRIES:,}).",
            "cost keeps the whole Jacobian to compare the two modes entry by entry.",
            "cost(f, ..., sample=100) runs 100 passes of each mode and compares only "
            "the entries those computed."))


# --------------------------------------------------------------------------
# Counting, in the graphs the passes recorded
# --------------------------------------------------------------------------

def _recording(xs: Any) -> Graph:
    """The graph now recording the input nodes ``xs`` (the innermost trace at their level)."""
    level = max(leaf.level for leaf in _leaves(xs) if isinstance(leaf, Node))
    return tracing.recording_graph(level)


def _operations(graph: Graph) -> int:
    """Primitive evaluations: every node the pass recorded, inputs aside."""
    return sum(1 for node in graph.nodes if node.fun is not None)


def _gradient_rules(graph: Graph, out: Any) -> tuple[int, set]:
    """Gradient rules one backward pass applies, and the ids of the nodes it reaches:
    run it once and count its steps."""
    outputs = [leaf for leaf in _leaves(out)
               if isinstance(leaf, Node) and leaf.level == graph.level]
    if not outputs:
        return 0, set()
    seeds = [numpy.ones_like(tracing.unwrap(node.value)) for node in outputs]
    reached = {step.node.id for step in backward(graph, outputs, seeds)}
    return sum(1 for i in reached if graph.nodes[i].fun is not None), reached


def _tangent_rules(graph: Graph) -> int:
    """Nodes of a forward pass that got a tangent: those computed from an input.

    make_jvp gives every input a tangent (zero or not), so a node's tangent rule
    runs when one of its parents carries a tangent.
    """
    carrying = {node.id for node in graph.inputs}
    count = 0
    for node in graph.nodes:
        if node.fun is not None and any(p.id in carrying for _, p in node.parents):
            carrying.add(node.id)
            count += 1
    return count


def _indices(count: int, sample: int | None) -> numpy.ndarray:
    if sample is None or sample >= count:
        return numpy.arange(count)
    return numpy.unique(numpy.linspace(0, count - 1, sample).round().astype(int))


def _scaled(total: float, ran: int, passes: int) -> int:
    return round(total / ran * passes) if ran else 0


def _unit(size: int, index: int) -> numpy.ndarray:
    e = numpy.zeros(size)
    e[index] = 1.0
    return e


def _flat(structure: Any) -> numpy.ndarray:
    parts = [numpy.ravel(numpy.asarray(tracing.unwrap(leaf), dtype=float))
             for leaf in _leaves(structure)]
    return numpy.concatenate(parts) if parts else numpy.zeros(0)


def _unflat(template: Any, flat: numpy.ndarray) -> Any:
    """``flat`` cut into the leaves of ``template``: same nesting, shapes and float type."""
    offset = 0

    def leaf(value):
        nonlocal offset
        plain = tracing.unwrap(value)
        size, shape = numpy.size(plain), numpy.shape(plain)
        dtype = plain.dtype if getattr(plain, "dtype", numpy.dtype(int)).kind == "f" else float
        piece = flat[offset:offset + size].astype(dtype).reshape(shape)
        offset += size
        return piece if shape else piece[()]
    return map_leaves(leaf, template)


def _warn_once(caught: list) -> None:
    """Pass on the warnings the passes raised, each once (not once per pass).

    The engine's own GradientWarning names the inputs as the passes saw them (packed
    in one tuple); cost says it again in the student's names.
    """
    for (category, message) in dict.fromkeys((w.category, str(w.message)) for w in caught
                                             if not issubclass(w.category, GradientWarning)):
        warnings.warn(message, category, stacklevel=4)


def _entry(pairs: list, flat_index: int) -> str:
    """How a student writes entry ``flat_index`` of the leaves ``pairs``: x[1], params['W'][0, 1]."""
    for path, leaf in pairs:
        shape = numpy.shape(tracing.unwrap(leaf))
        size = int(numpy.prod(shape))
        if flat_index < size:
            if not shape:
                return path
            index = numpy.unravel_index(flat_index, shape)
            return f"{path}[{', '.join(str(int(i)) for i in index)}]"
        flat_index -= size
    raise IndexError(flat_index)


def _disagree_message(name: str, mismatches: list, rows, values, names, value) -> str:
    def gap(a, b):       # how far apart, a nan on one side only counting as the furthest
        far = numpy.abs(a - b)
        return numpy.where(numpy.isnan(far) & ~(numpy.isnan(a) & numpy.isnan(b)), numpy.inf, far)
    # the entry where the modes are furthest apart
    j, column, reverse = max(mismatches, key=lambda m: numpy.nanmax(gap(m[1], m[2])))
    i = int(numpy.nanargmax(gap(column, reverse)))
    output = _entry(list(_paths(value, "output")), int(rows[i]))
    wrt = _entry(_all_paths(values, names), int(j))
    what = (f"Forward and reverse mode give different Jacobians for {name}: d {output} / "
            f"d {wrt} is {float(column[i])!r} in forward mode and {float(reverse[i])!r} in reverse "
            f"mode ({len(mismatches)} of the columns compared differ).")
    if not all(numpy.isfinite(a).all() and numpy.isfinite(b).all() for _, a, b in mismatches):
        return explain(
            what,
            "some derivative here is not a finite number. Most often the function is not "
            "differentiable at this point (log, sqrt or a division at 0): an infinite local "
            "derivative times a zero is nan (0 x inf), and forward mode multiplies it by the "
            "zero tangents of the other inputs, where reverse mode multiplies it by other "
            "numbers, so the nan lands on different entries. Or a rule returns nan.",
            "compare the modes at a point where every operation is differentiable (x > 0 for "
            "log and sqrt). If they still disagree there, check your own rules (defvjp, defjvp) "
            "with teachgrad.check_grad, or report a teachgrad bug.")
    return explain(
        what,
        "both modes compute the same derivatives, so one of the rules used is wrong: a "
        "gradient rule (defvjp) or a tangent rule (defjvp). If you registered one yourself, "
        "it is the first suspect; otherwise this is a bug in teachgrad.",
        "check your own rules with teachgrad.check_grad; if none of them is involved, please "
        "report this function and its arguments as a teachgrad bug.")


# --------------------------------------------------------------------------
# Words
# --------------------------------------------------------------------------

def _describe(value: Any) -> str:
    if isinstance(value, (list, tuple, dict)):
        def leaf(v):
            shape = numpy.shape(tracing.unwrap(v))
            return _Code(repr(shape) if shape else "number")
        text = repr(map_leaves(leaf, value))
        return text if len(text) <= 80 else text[:77] + "..."
    shape = numpy.shape(tracing.unwrap(value))
    return "a number" if shape == () else f"shape {shape}"


def _describe_inputs(values: tuple, names: list[str]) -> str:
    return ", ".join(f"{name}: {_describe(value)}" for value, name in zip(values, names))


class _Code(str):
    def __repr__(self) -> str:
        return str(self)


def _space(size: int, html: bool = False) -> str:
    if size == 1:
        return "R"
    return f"R<sup>{size:,}</sup>" if html else f"R^{size:,}"


def _plural(count: Any, word: str, words: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else words or word + 's'}"


def _count(value: float) -> Any:
    """A per-pass count: whole when it is, else one decimal."""
    return int(value) if float(value).is_integer() else round(value, 1)


def _approx(mode: ModeCost) -> str:
    return "~" if mode.sampled else ""


def _times(ratio: float) -> str:
    return f"{ratio:,.0f}x" if ratio >= 10 else f"{ratio:.1f}x"


def _seconds(mode: ModeCost) -> str:
    seconds = mode.seconds * (mode.passes / mode.passes_run if mode.sampled else 1)
    text = f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"
    return _approx(mode) + text
