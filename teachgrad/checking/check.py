"""check_grad and assert_grad: is this hand-derived gradient right, and if not, why?

check_grad prepares f's arguments once (:class:`_Check`) and hands over to
one function per kind of ``my_grad``: a dict of node gradients
(:func:`_check_node_by_node`, nodes.py), ``None`` (:func:`_check_teachgrad`,
own.py and custom.py), a gradient function (:func:`_check_function`) or a
gradient value (:func:`_check_value`, a function that ignores its
arguments). A function is compared at each point with :func:`_function_point`,
and its diagnoses are confirmed at more points by :func:`_confirm`.
"""
from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy

from ..containers import map_leaves
from ..differential_operators import GradientWarning, Signature
from ..errors import TeachgradError
from ..options import separates_function_keywords
from ..record import trace
from .arguments import (arg_name, as_float64, call_student, check_float, check_options, dedupe,
                        evaluate, holds_float, infer_keys, one_point_only, plain_float,
                        resolve_keys, sample, student_part)
from .compare import Item, Reference, as_array, compare
from .custom import check_makers, custom_nodes, error_text
from .diagnose import confirmed, diagnose, is_explanation, simplest
from .nodes import (Names, candidates_for, check_nodes, contributions, sizes_of,
                    transpose_hint)
from .numeric import (CheckGradError, LeafFunction, as_float_array, get_in, leaf_paths,
                      real_scalar, rebuild)
from .own import exact_disagrees, self_point
from .report import GradReport

CONFIRM_POINTS = 3      # extra points at which a diagnosis must hold too


@separates_function_keywords
def check_grad(f: Callable, my_grad: Any, *args, argnum: int | Sequence[int] | None = None,
               wrt: str | Sequence[str] | None = None, rtol: float = 1e-5, atol: float = 1e-8,
               eps: float = 1e-6, points: int = 1, spread: float = 0.1, seed: int = 0,
               order: int = 2, fd_limit: int = 1000, kwargs: dict | None = None) -> GradReport:
    """Compare a hand-derived gradient with teachgrad's and with finite differences.

    ``my_grad`` is one of:

    * a function of the same arguments as ``f`` returning the gradient with
      respect to the first argument (``argnum``/``wrt`` choose others; with a
      tuple of them it returns a tuple, or a dict by name);
    * the gradient itself, an array (checked at this point only);
    * a dict from node names to gradients, ``{"h": dh, "W": dW}``: checked
      node by node, in backward order, to find the step of the chain rule
      where a mistake entered (names from ``trace(f, ...)``, from
      ``teachgrad.name(value, 'h')``, or f's local variables);
    * ``None``: check teachgrad's own gradient of ``f`` against finite
      differences, first and second order (``order``), and every custom
      gradient (``defvjp``) that f uses, one maker at a time.

    An entry passes when ``|yours - teachgrad| <= atol + rtol * |teachgrad|``.
    ``points=5`` checks at the given point and at 4 random points around it
    (the arguments checked moved by about ``spread`` times their size,
    reproducibly from ``seed``). Central finite differences with step ``eps``
    confirm teachgrad's values (at ``fd_limit`` entries per array at most).
    Other keywords go to ``f`` (and to ``my_grad``); when ``f`` has a
    parameter named like one of these options, pass them as ``kwargs={...}``.

    A diagnosis that explains the difference (a sign, a factor, another
    argument's gradient, ...) is stated only when the evidence supports it:
    for a gradient function it must also hold at 3 more random points near
    the one shown (seeded from ``seed``; the arguments checked and the other
    float arguments moved, except arrays of only 0s and 1s such as labels or
    masks), where your function and teachgrad's gradient are evaluated again.
    A single number given as a value (or returned by a function that ignores
    its arguments) cannot be checked that way: it gets at most the simplest
    explanation (a sign, then a factor), or one that is the only match.

    The returned :class:`GradReport` is true when the check passed; print it,
    or show it in a notebook.

    >>> import teachgrad.numpy as np
    >>> from teachgrad import check_grad
    >>> def f(w, x):
    ...     return np.sum((x @ w) ** 2)
    >>> def my_dfdw(w, x):
    ...     return -2 * x.T @ (x @ w)          # oops: a sign
    >>> x = np.array([[1.0, 2.0], [0.5, -1.0]])
    >>> report = check_grad(f, my_dfdw, np.array([0.3, -0.2]), x)
    >>> bool(report), [d.kind for d in report.diagnoses]
    (False, ['sign'])
    """
    fun_name = getattr(f, "__name__", "f")
    if kwargs:
        f = _with_keywords(f, kwargs)
        if callable(my_grad):
            my_grad = _with_keywords(my_grad, kwargs)
    check_options(f, args, rtol, atol, eps, points, spread, order, fd_limit)
    sig = Signature(f)
    floats, notes = as_float64(args)
    check = _Check(f, fun_name, sig, floats, notes, argnum, wrt, rtol, atol, eps, points, spread,
                   seed, order, fd_limit)
    with warnings.catch_warnings(), numpy.errstate(all="ignore"):
        warnings.simplefilter("ignore", GradientWarning)
        evaluate(f, floats, fun_name)
        if isinstance(my_grad, dict):
            return _check_node_by_node(check, my_grad)
        if my_grad is None:
            return _check_teachgrad(check)
        if callable(my_grad):
            return _check_function(check, my_grad)
        return _check_value(check, my_grad)


@dataclass
class _Check:
    """What every kind of check is given: f, its arguments (in float64) and the options."""
    f: Callable
    fun_name: str
    sig: Signature
    args: tuple
    notes: list[str]                  # for the report, from preparing the arguments
    argnum: int | Sequence[int] | None
    wrt: str | Sequence[str] | None
    rtol: float
    atol: float
    eps: float
    points: int
    spread: float
    seed: int
    order: int
    fd_limit: int

    @property
    def tolerance(self) -> str:
        return (f"An entry is right when |yours - teachgrad| <= {self.atol:g} + {self.rtol:g} * "
                f"|teachgrad|; central finite differences (eps={self.eps:g}) confirm teachgrad's "
                "values.")

    @property
    def chosen(self) -> bool:
        """Whether the arguments to check were chosen (argnum or wrt)."""
        return self.argnum is not None or self.wrt is not None

    def random_points(self, keys) -> list[tuple]:
        """The point given, then points - 1 random ones around it (seeded)."""
        return _random_points(self.f, self.args, keys, self.points, self.spread,
                              numpy.random.default_rng(self.seed))


@dataclass
class _Answer:
    """The student's gradient function, and how to read what it returns."""
    student: Callable
    keys: list[int]         # the arguments checked, by position
    several: bool           # one gradient per argument checked (a tuple, or a dict by name)
    returned: bool          # a function of the student's (False: a value given, wrapped as one)


def _check_node_by_node(check: _Check, given: dict) -> GradReport:
    """A dict of node gradients: each against teachgrad's, in backward order."""
    if check.points != 1:
        raise CheckGradError(one_point_only("a dict of node gradients"))
    keys = None
    if check.chosen:
        keys = resolve_keys(check.sig, check.args, check.argnum, check.wrt)[0]
        check_float(check.sig, check.args, keys)
    items, first, more = check_nodes(check.f, given, check.args, check.sig, keys, rtol=check.rtol,
                                     atol=check.atol, eps=check.eps)
    return GradReport(f"check_grad({check.fun_name}, node by node)", items,
                      subtitle="Your gradients in backward order (the order the chain rule "
                      "computes them), each against teachgrad's.",
                      notes=check.notes + more, first_wrong=first, tolerance=check.tolerance,
                      node_by_node=True)


def _check_teachgrad(check: _Check) -> GradReport:
    """``None``: teachgrad's own gradient of f, and the custom gradients it uses."""
    sig, args = check.sig, check.args
    if check.chosen:
        keys = resolve_keys(sig, args, check.argnum, check.wrt)[0]
    else:
        keys = [i for i, a in enumerate(args) if holds_float(a)]
        if not keys:
            check_float(sig, args, [0])
    check_float(sig, args, keys)
    rng = numpy.random.default_rng(check.seed)
    point_args = check.random_points(keys)
    results = [self_point(check.f, sig, point, keys, eps=check.eps, order=check.order, rng=rng)
               for point in point_args]
    orders = " (first and second order)" if check.order >= 2 else ""
    title = (f"check_grad({check.fun_name}, None): teachgrad's gradient of {check.fun_name}"
             f"{orders} against finite differences")
    tolerance = (f"Finite differences (central, eps={check.eps:g}) are the reference, to their "
                 "accuracy (about 1e-4 relative).")
    return _combine(title, results, check.points, check.notes, tolerance)


def _check_value(check: _Check, value: Any) -> GradReport:
    """A gradient given as a value: checked at this point only, as a function that returns it."""
    if check.points != 1:
        raise CheckGradError(one_point_only("a gradient value (not a function)"))
    return _check_function(check, lambda *a: value, "your gradient", returned=False)


def _check_function(check: _Check, student: Callable, grad_name: str | None = None, *,
                    returned: bool = True) -> GradReport:
    """The student's gradient function against teachgrad's, at each point.

    A diagnosis of a function is confirmed at more points (:func:`_confirm`);
    a value (``returned=False``) cannot be, so a single number gets at most
    the simplest explanation.
    """
    sig, args, notes = check.sig, check.args, check.notes
    keys, several = resolve_keys(sig, args, check.argnum, check.wrt)
    first_call = call_student(student, args)
    if not check.chosen:
        keys, several, note = infer_keys(first_call[0], sig, args, keys)
        if note:
            notes.append(note)
    check_float(sig, args, keys)
    answer = _Answer(student, keys, several, returned)
    rng = numpy.random.default_rng(check.seed)
    outputs: list = []

    def run(point, index):
        result = first_call if index == 0 else call_student(student, point)
        outputs.append(result)
        return _function_point(check, answer, point, result, rng=rng)
    point_args = check.random_points(keys)
    results = [run(p, i) for i, p in enumerate(point_args)]
    shown = _shown(results)
    items = results[shown][0]
    if returned:
        _confirm(items, check, answer, point_args[shown], outputs[shown])
    else:
        for item in items:
            if item.size == 1:
                item.diagnoses = simplest(item.diagnoses)
    grad_name = grad_name or getattr(student, "__name__", "my_grad")
    title = (f"check_grad({check.fun_name}, {grad_name}) with respect to "
             f"{', '.join(arg_name(sig, k) for k in keys)}")
    return _combine(title, results, check.points, notes, check.tolerance)


def _with_keywords(fun: Callable, kwargs: dict) -> Callable:
    """``fun`` with its keyword arguments fixed, keeping its name for the report."""
    bound = functools.partial(fun, **kwargs)
    bound.__name__ = getattr(fun, "__name__", "f")
    return bound


def assert_grad(f: Callable, my_grad: Any, *args, **options) -> GradReport:
    """Like :func:`check_grad`, but raise AssertionError with the report unless it passed.

    For autograders and pytest: ``assert_grad(loss, student.dloss_dW, W, x, y)``.

    >>> import teachgrad.numpy as np
    >>> from teachgrad import assert_grad
    >>> _ = assert_grad(np.sin, np.cos, 0.5)                    # passes quietly
    >>> assert_grad(np.sin, lambda x: -np.cos(x), 0.5)          # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    AssertionError: ...FAIL...
    """
    __tracebackhide__ = True      # pytest: show the report, not this frame
    report = check_grad(f, my_grad, *args, **options)
    if not report.passed:
        raise AssertionError("\n" + str(report))
    return report


# --------------------------------------------------------------------------
# One point
# --------------------------------------------------------------------------

def _function_point(check: _Check, answer: _Answer, args: tuple, student_result, *, rng,
                    numeric: bool = True):
    """The items (one per leaf of the arguments checked) and notes at one point.

    ``student_result`` is what :func:`call_student` gave at ``args``.
    ``numeric=False`` compares with teachgrad's gradient only, without finite
    differences (to confirm diagnoses at more points, cheaply).
    """
    f, sig, keys, eps = check.f, check.sig, answer.keys, check.eps
    got, student_error = student_result
    notes: list[str] = []
    fun_name = getattr(f, "__name__", "f")
    other = [i for i in range(len(args)) if i not in keys and plain_float(args[i])]
    graph = None
    try:
        graph = trace(f, *args, wrt=list(keys) + other, kwargs={})
    except TeachgradError as error:
        notes.append(f"teachgrad could not differentiate {fun_name} ({error_text(error)}), so "
                     "your gradient was compared with finite differences only, to their accuracy "
                     "(about 1e-4 relative).")
    names = Names(graph) if graph is not None else None
    sizes = sizes_of([a for a in args if not isinstance(a, (list, tuple, dict))])
    inputs = iter(graph.inputs) if graph is not None else None
    items, refs = [], []
    for position, key in enumerate(keys):
        argname = arg_name(sig, key)
        for leaf_name, path in leaf_paths(args[key], argname):
            node = next(inputs) if inputs is not None else None
            name = node.name if node is not None else leaf_name
            phi = LeafFunction(f, args, key, path, name)
            if node is not None:
                exact = node.grad if node.has_grad else numpy.zeros_like(phi.x)
                ref = Reference(exact, phi if numeric else None, phi.x, eps=eps, rtol=check.rtol,
                                atol=check.atol)
                ref.check_numeric(sample(phi.x.size, check.fd_limit, rng))
            else:
                ref = Reference.from_numeric(phi, phi.x, eps=eps)
            refs.append(ref)
            item = Item(name, reference="teachgrad" if node is not None else "finite diff.")
            items.append(item)
            if student_error:
                item.status, item.error, item.shape = "fail", student_error, ref.shape
                item.size = phi.x.size
                continue
            part, error = student_part(got, position, key, argname, path, leaf_name,
                                        answer.several, args[key], len(keys))
            if error:
                item.status, item.error, item.shape, item.size = "fail", error, ref.shape, phi.x.size
                continue
            compare(item, part, ref, returned=answer.returned)
            if item.status == "fail":
                extra = {}
                if graph is not None:
                    extra = dict(candidates=candidates_for(graph, node, names, name),
                                 contributions=contributions(graph, node, names),
                                 transpose_hint=transpose_hint(graph, node, names, name))
                item.diagnoses = diagnose(item, value=get_in(args[key], path), sizes=sizes, **extra)
    if student_error and items:
        items = [items[0]]
        items[0].name = ", ".join(arg_name(sig, k) for k in keys)
    disagree = [(i.name, r) for i, r in zip(items, refs) if r.exact_wrong.any()]
    if disagree and graph is not None:
        makers = check_makers(graph, order=1, eps=eps, rng=rng) if custom_nodes(graph) else []
        notes.append(exact_disagrees(fun_name, disagree, makers))
        items += makers
    return items, notes


# --------------------------------------------------------------------------
# Confirming diagnoses at more points
# --------------------------------------------------------------------------

def _confirm(items, check: _Check, answer: _Answer, args: tuple, output) -> None:
    """Keep each item's explanations only where they hold at CONFIRM_POINTS more points.

    A match at one point can be a coincidence: for (w*x - y)**2 at w = 1.5,
    x = 3 the gradients for w and for x are equal, so half the gradient for w
    "is" the gradient for x there. The student's function and teachgrad's
    gradient are evaluated again at random points near ``args`` (the float
    arguments all moved, so that no relation between them survives), and an
    explanation is kept only if it is made again at every one of them. A
    point says nothing when the student's function raises there, returns
    exactly what it returned here (it ignores its arguments: a value, in
    effect), or f is not differentiable there; with no point left, a single
    number gets :func:`simplest`, as for a value.
    """
    # items where an array was compared (of the right shape or not), with an explanation
    todo = [i for i in items if i.got_shape is not None and any(map(is_explanation, i.diagnoses))]
    if not todo:
        return
    keys = answer.keys
    moved = list(keys) + [i for i in range(len(args)) if i not in keys and _data_to_move(args[i])]
    rng = numpy.random.default_rng([check.seed, 1])    # not the stream of the points checked
    points = _random_points(check.f, args, moved, CONFIRM_POINTS + 1, check.spread or 0.1,
                            rng)[1:]
    numeric = any(i.ref is not None and i.ref.exact_wrong.any() for i in items)
    elsewhere: dict[str, list] = {i.name: [] for i in todo}
    for point in points:
        result = call_student(answer.student, point)
        if result[1] is not None or _unchanged(result[0], output[0]):
            continue
        there = {i.name: i for i in _function_point(check, answer, point, result, rng=rng,
                                                    numeric=numeric)[0]}
        for item in todo:
            other = there.get(item.name)
            if other is not None and other.got_shape is not None and \
                    other.status in ("pass", "fail"):
                elsewhere[item.name].append(other)
    for item in todo:
        if elsewhere[item.name]:
            item.diagnoses = confirmed(item.diagnoses, elsewhere[item.name])
        elif item.size == 1:
            item.diagnoses = simplest(item.diagnoses)


def _data_to_move(value) -> bool:
    """A float argument not checked, moved to confirm a diagnosis: not labels or a mask."""
    if not plain_float(value):
        return False
    x = as_float_array(value)
    return x.size == 1 or not numpy.all((x == 0) | (x == 1))


def _unchanged(a, b) -> bool:
    """Whether two results of the student's function are exactly the same."""
    if isinstance(a, dict) or isinstance(b, dict):
        return isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys() and \
            all(_unchanged(a[k], b[k]) for k in a)
    if isinstance(a, (tuple, list)) or isinstance(b, (tuple, list)):
        return type(a) is type(b) and len(a) == len(b) and \
            all(_unchanged(x, y) for x, y in zip(a, b))
    if a is None or b is None or a is Ellipsis or b is Ellipsis:
        return a is b
    x, y = as_array(a), as_array(b)
    if x is None or y is None:
        return False
    return x.shape == y.shape and bool(numpy.array_equal(x, y))


# --------------------------------------------------------------------------
# Several points
# --------------------------------------------------------------------------

def _random_points(f, args, keys, n, spread, rng) -> list[tuple]:
    """The given point, then up to ``n - 1`` random points near it where f is finite."""
    points, tries = [tuple(args)], 0
    while len(points) < n and tries < 20 * n:
        tries += 1
        new = list(args)
        for key in keys:
            new[key] = map_leaves(lambda leaf: _moved(leaf, spread, rng), args[key])
        try:
            if not numpy.isfinite(real_scalar(f(*new))):
                continue
        except Exception:                                   # noqa: BLE001 - outside f's domain
            continue
        points.append(tuple(new))
    return points


def _moved(leaf, spread, rng):
    """``leaf`` with every entry moved at random by about ``spread`` times its size (at least 1)."""
    x = as_float_array(leaf)
    noise = rng.standard_normal(x.shape)
    if x.dtype.kind == "c":
        noise = noise + 1j * rng.standard_normal(x.shape)
    return rebuild(leaf, x + spread * numpy.maximum(1.0, numpy.abs(x)) * noise)


def _failed_unsure(results) -> tuple[list[int], list[int]]:
    failed = [p for p, (items, _) in enumerate(results)
              if any(i.status in ("fail", "missing") for i in items)]
    unsure = [p for p, (items, _) in enumerate(results)
              if any(i.status == "inconclusive" for i in items)]
    return failed, unsure


def _shown(results) -> int:
    """The point whose details the report shows: the first that failed, else the first unsure."""
    failed, unsure = _failed_unsure(results)
    return failed[0] if failed else (unsure[0] if unsure else 0)


def _combine(title, results, points, notes, tolerance) -> GradReport:
    failed, unsure = _failed_unsure(results)
    shown = _shown(results)
    items, point_notes = results[shown]
    summary = ""
    if points > 1:
        n = len(results)
        summary = (f"Checked at {n} points: the given one and {n - 1} random points around it "
                   f"(seeded, reproducible). Passed at {n - len(failed) - len(unsure)}"
                   + (f", failed at {len(failed)} (points {', '.join(str(p + 1) for p in failed)})"
                      if failed else "")
                   + (f", cannot tell at {len(unsure)}" if unsure else "") + ".")
        if shown:
            summary += f" Details below are for point {shown + 1}."
        if failed and 0 not in failed:
            notes = notes + ["Right at the given point but wrong at other points: the formula "
                             "happens to agree here (at a special point such as 0, or with "
                             "square or symmetric inputs). It is not right in general."]
        if len(results) < points:
            notes = notes + [f"Only {len(results) - 1} random points where f is finite were "
                             "found near the given one."]
    return GradReport(title, items, notes=dedupe(notes + point_notes), point_summary=summary,
                      tolerance=tolerance)


