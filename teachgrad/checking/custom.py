"""Checking custom gradients: each maker registered with defvjp, on its own.

When f's gradient disagrees with finite differences and f uses primitives
made with ``teachgrad.extend.primitive``, the culprit is found by checking
every maker where f used it: at the arguments the node was called with, the
maker's vector-Jacobian product ``maker(ans, *args)(v)`` must equal the
gradient of ``sum(primitive(*args) * v)`` with respect to that argument,
which finite differences give without the maker. With ``order=2`` the
maker's own gradient is checked the same way (it is what ``grad(grad(f))``
and ``hessian`` use).
"""
from __future__ import annotations

import sys
import traceback
import warnings
from typing import Any

import numpy

import teachgrad.numpy as tnp

from ..differential_operators import GradientWarning, Signature, grad
from ..graph import Graph, Node
from ..tracing import GradientRule, Primitive, unwrap
from .compare import Item, Reference, compare
from .diagnose import Candidate, diagnose
from .numeric import as_float_array, is_float_leaf, real_scalar, rebuild
from .report import Diagnosis

MAX_OCCURRENCES = 3     # nodes of one primitive checked


def builtin_primitives() -> set[int]:
    """ids of the primitives teachgrad itself defines (numpy's functions, operators)."""
    ids = set()
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "teachgrad" or name.startswith("teachgrad.")):
            continue
        if name.startswith("teachgrad.checking"):
            continue
        for value in list(vars(module).values()):
            if isinstance(value, Primitive):
                ids.add(id(value))
    return ids


def custom_nodes(graph: Graph) -> list[Node]:
    """The nodes of ``graph`` made by user-defined primitives, a few per primitive."""
    builtin = builtin_primitives()
    seen: dict[int, int] = {}
    out = []
    for node in graph.nodes:
        prim = node.fun
        if prim is None or id(prim) in builtin:
            continue
        if seen.get(id(prim), 0) < MAX_OCCURRENCES:
            seen[id(prim)] = seen.get(id(prim), 0) + 1
            out.append(node)
    return out


def parameter_name(prim: Primitive, argnum: int) -> str:
    positional = Signature(prim.fun).positional
    return positional[argnum] if argnum < len(positional) else f"argument {argnum}"


def sent_back(prim: Primitive, argnum: int, upstream: Any, ans: Any, args: tuple,
              kwargs: dict | None) -> Any:
    """What ``prim``'s registered gradient sends to argument ``argnum`` (None: none registered)."""
    if not prim.has_gradient(argnum):
        return None
    return prim.chain_rule(upstream, [argnum], ans, args, kwargs)[0]


def error_text(error: BaseException) -> str:
    """One line: the exception and the last line of user code it came from."""
    frames = traceback.extract_tb(error.__traceback__)
    user = [fr for fr in frames if "/teachgrad/" not in fr.filename.replace("\\", "/")]
    where = ""
    if user:
        fr = user[-1]
        line = (fr.line or "").strip()
        line = line if len(line) <= 60 else line[:57] + "..."
        where = f" (line {fr.lineno} in {fr.name}" + (f": {line})" if line else ")")
    first = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {first}{where}"


def check_makers(graph: Graph, *, order: int, eps: float, rng: numpy.random.Generator) -> list[Item]:
    """One item per (custom primitive, argument): its maker against finite differences.

    A maker is checked where f used it, at up to MAX_OCCURRENCES nodes; the
    first failure is reported, or the pass at the last node checked.
    """
    nodes = custom_nodes(graph)
    last = {(id(n.fun), a): n for n in nodes for a, _ in n.parents}
    items: list[Item] = []
    done: set = set()
    for node in nodes:
        prim = node.fun
        for argnum, _ in node.parents:
            key = (id(prim), argnum)
            if key in done:
                continue
            item = _check_one(node, argnum, eps, rng)
            if item is None:
                continue
            if item.status != "pass" or last[key] is node:
                done.add(key)
                items.append(item)
                if order >= 2 and item.status == "pass":
                    items += _check_second(node, argnum, eps, rng)
    return items


def _title(prim: Primitive, argnum: int) -> str:
    return f"{prim.name}: gradient for {parameter_name(prim, argnum)}"


def _projected(prim: Primitive, node: Node, argnum: int, v: Any):
    """phi(flat) = sum(prim(args with argument ``argnum`` = flat) * v): its gradient is the vjp."""
    template = node.args[argnum]

    def phi(flat):
        args = list(node.args)
        args[argnum] = rebuild(template, flat.reshape(numpy.shape(template)))
        out = prim.fun(*args, **(node.kwargs or {}))
        return float(numpy.sum(numpy.real(numpy.asarray(out) * v)))
    return phi


def _check_one(node: Node, argnum: int, eps: float, rng) -> Item | None:
    prim = node.fun
    template = node.args[argnum]
    if not is_float_leaf(template) or numpy.iscomplexobj(unwrap(node.value)) \
            or numpy.iscomplexobj(unwrap(template)):
        return None
    word, registered_with = registration(prim, argnum)
    item = Item(_title(prim, argnum), kind="maker", reference="finite diff.",
                got_label=f"your {word}", symbol=parameter_name(prim, argnum))
    item.op = f"{registered_with} {word} for argument {argnum}"
    v = _random_like(node.value, rng)
    x = as_float_array(template)
    phi = _projected(prim, node, argnum, v)
    try:
        ref = Reference.from_numeric(phi, x, eps=eps)
    except Exception:                                   # noqa: BLE001 - the primitive fails nearby
        return None
    try:
        got = sent_back(prim, argnum, v, node.value, node.args, node.kwargs)
    except Exception as error:                          # noqa: BLE001 - the student's maker
        item.status, item.error = "fail", f"the {word} raised {error_text(error)}"
        item.shape = x.shape
        return item
    compare(item, got, ref)
    candidates = []
    if item.status == "fail":
        for other, _ in node.parents:
            if other != argnum and is_float_leaf(node.args[other]):
                try:
                    ref_other = Reference.from_numeric(_projected(prim, node, other, v),
                                                       as_float_array(node.args[other]), eps=eps)
                except Exception:                       # noqa: BLE001
                    continue
                candidates.append(Candidate(
                    "other_argument", ref_other.value.reshape(ref_other.shape),
                    f"It is the gradient for {parameter_name(prim, other)} instead: the {word}s "
                    "are given in the order of the primitive's arguments; this one is for "
                    f"{parameter_name(prim, argnum)}."))
        item.diagnoses = diagnose(item, candidates=candidates, whose=f"The {prim.name} {word}'s result",
                                  value=template, value_name=parameter_name(prim, argnum))
        item.notes.append(
            f"Checked at the arguments {prim.name} was called with inside f, with a random "
            f"upstream gradient g: the {word} must return g times d {prim.name} / d "
            f"{parameter_name(prim, argnum)}, summed like the argument's shape.")
    return item


def registration(prim: Primitive, argnum: int) -> tuple[str, str]:
    """("rule", "defgradient") or ("maker", "defvjp"): how the gradient was given, for the
    report's words."""
    if type(prim.vjp_makers.get(argnum)) is GradientRule:
        return "rule", "defgradient"
    return "maker", "defvjp"


def _random_like(value: Any, rng) -> Any:
    shape = numpy.shape(unwrap(value))
    return rng.standard_normal(shape) if shape else float(rng.standard_normal())


def _check_second(node: Node, argnum: int, eps: float, rng) -> list[Item]:
    """The maker's own gradient: d/d(args[j]) of sum(maker(args)(v) * u)."""
    prim = node.fun
    word, _ = registration(prim, argnum)
    v = _random_like(node.value, rng)
    u = _random_like(node.args[argnum], rng)
    kwargs = node.kwargs or {}

    def h(*args):
        ans = prim(*args, **kwargs)
        return tnp.sum(sent_back(prim, argnum, v, ans, args, kwargs) * u)

    items = []
    for j, _ in node.parents:
        template = node.args[j]
        if not is_float_leaf(template):
            continue
        item = Item(f"{prim.name}: gradient for {parameter_name(prim, argnum)}, differentiated "
                    f"again by {parameter_name(prim, j)}", kind="second order",
                    reference="finite diff.", got_label="teachgrad", symbol=parameter_name(prim, j))
        item.op = "second order (grad of grad, hessian)"

        def phi(flat, j=j, template=template):
            args = list(node.args)
            args[j] = rebuild(template, flat.reshape(numpy.shape(template)))
            return real_scalar(h(*args))
        try:
            ref = Reference.from_numeric(phi, as_float_array(template), eps=eps)
        except Exception:                               # noqa: BLE001 - fails on plain values
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", GradientWarning)
                got = grad(h, j)(*node.args)
        except Exception as error:                      # noqa: BLE001 - the maker is not traceable
            item.status, item.shape = "fail", ref.shape
            item.error = (f"differentiating the {word} raised {error_text(error)}. Write "
                          f"{word}s with teachgrad.numpy so that their own gradient can be taken.")
            items.append(item)
            continue
        compare(item, got, ref)
        if item.status == "fail":
            item.diagnoses = diagnose(item, whose=f"The {word}'s gradient")
            if numpy.all(numpy.asarray(unwrap(got)) == 0):
                item.diagnoses.append(Diagnosis(
                    "untraced_maker", item.name,
                    f"teachgrad sees no dependence of the {word}'s result on "
                    f"{parameter_name(prim, j)}: the {word} computes with values teachgrad cannot "
                    "follow (float(...), math.*, a value saved outside), so the second derivative "
                    f"is lost. Compute the {word}'s result with teachgrad.numpy from ans and the "
                    "arguments it is given."))
        items.append(item)
    return items
