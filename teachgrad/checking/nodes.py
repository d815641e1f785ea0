"""Node by node: finding the step of the chain rule where a mistake entered.

The student gives a dict from names to hand-derived gradients, output side
first or in any order: ``{"z": dz, "h": dh, "W": dW}``. Names are those the
graph shows (arguments ``x``, ``params['W']``; values named with
``teachgrad.name(v, 'h')``; generated ``v7``), or the names of the traced
function's local variables.

Each given gradient is compared with teachgrad's, in backward order. The
first wrong one is where the mistake entered: everything after it in the
forward pass was right. A later wrong one may just carry that mistake along,
or add a new one; to tell which, the chain rule is applied to the student's
own answers (exactly, through teachgrad's backward pass) and compared with
what the student wrote at the next node.
"""
from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy

from ..backprop import backward
from ..graph import Graph, Node, replay
from ..describe.operations import Wording
from ..tracing import unwrap
from .compare import Item, Reference, as_array, compare
from .diagnose import Candidate, diagnose, simplest
from .numeric import as_float_array, get_in, leaf_paths, rebuild


# --------------------------------------------------------------------------
# Reading the graph in the student's words
# --------------------------------------------------------------------------

class Names:
    """What to call each node in a report: the key the student gave for it, else its name.

    Node names are those of :func:`teachgrad.trace` (and so of the pictures):
    arguments, ``teachgrad.name``, local variables, ``v7``.
    """

    def __init__(self, graph: Graph):
        self.graph = graph
        self.by_id: dict[int, str] = {}

    def prefer(self, node: Node, name: str) -> None:
        self.by_id[node.id] = name

    def __call__(self, node: Node) -> str:
        return self.by_id.get(node.id, node.name)


def describe(node: Node, names: Callable[[Node], str], inline: bool = True) -> str:
    """How ``node`` was computed, in names: ``(x @ W) + b``, ``tanh(z)``, or ``input``."""
    return _wording(names).expression(node, inline)


def _wording(names: Callable[[Node], str]) -> Wording:
    return Wording(names, constant=_short)


def _short(value: Any) -> str:
    plain = unwrap(value)
    if isinstance(plain, (int, float, complex, numpy.number)):
        return f"{plain:.4g}" if not isinstance(plain, (int, numpy.integer)) else str(plain)
    if isinstance(plain, numpy.ndarray):
        return f"array{plain.shape}"
    text = repr(plain)
    return text if len(text) <= 16 else text[:13] + "..."


def children(graph: Graph, node: Node) -> list[tuple[Node, int]]:
    """``(child, argnum)`` for every use of ``node`` on the way to the output."""
    out = []
    for m in graph.nodes[node.id + 1:]:
        for argnum, parent in m.parents:
            if parent is node and m.has_grad:
                out.append((m, argnum))
    return out


def local_derivative_formula(child: Node, argnum: int, names) -> str:
    """The formula registered for d child / d (argument argnum), in names, or ''."""
    return _wording(names).formula(child, argnum) or ""


def contributions(graph: Graph, node: Node, names) -> list[tuple[str, Any]]:
    """``(from which use, gradient)`` sent to ``node`` by each use, from the backward steps."""
    out = []
    for step in graph.steps:
        for parent, argnum, g in step.contributions:
            if parent is node:
                out.append((f"{names(step.node)} = {describe(step.node, names)}", g))
    return out


def candidates_for(graph: Graph, node: Node, names, subject: str) -> list[Candidate]:
    """Gradients a wrong one is often confused with: the next node's, another input's."""
    out = []
    for child, argnum in children(graph, node):
        formula = local_derivative_formula(child, argnum, names)
        formula = f" ({formula})" if formula else ""
        out.append(Candidate(
            "pass_through", child.grad,
            f"It equals the gradient of {names(child)} = {describe(child, names)}, the value "
            f"computed from {subject}: the chain rule multiplies that by the local derivative of "
            f"{child.op} with respect to {subject}{formula}, and that factor is missing."))
    for other in graph.inputs:
        if other is not node and other.has_grad:
            out.append(Candidate(
                "other_argument", other.grad,
                f"It matches the gradient with respect to {names(other)} instead of {subject}."))
    return out


MATMUL_OPS = ("matmul", "dot")


def transpose_hint(graph: Graph, node: Node, names, subject: str) -> str | None:
    """How ``node`` enters a matrix product, for a "transposed" diagnosis; None if unclear.

    Read from the graph: ``subject`` is the left factor of ``W @ x`` (its
    gradient is dy @ x.T) or the right one of ``x @ W`` (x.T @ dy). When it
    is used otherwise (through .T, einsum, on both sides, not at all), None:
    the diagnosis then gives the rule for both factors.
    """
    uses = children(graph, node)
    products = [(child, argnum) for child, argnum in uses if child.op in MATMUL_OPS]
    if not products or len(products) != len(uses) or len({a for _, a in products}) != 1:
        return None
    child, argnum = products[0]
    if len(products) > 1 or len(child.args) != 2 or argnum not in (0, 1):
        return None
    other = _operand(child, 1 - argnum, names)
    expr = describe(child, names)
    if argnum == 0:
        b = other or "B"
        return (f"Here {subject} is the left factor, in {expr}: its gradient is dy @ {b}.T, with "
                f"dy the gradient of {expr} (np.outer(dy, {b}) when {b} is a vector). Check the "
                "order of the factors and where the .T goes.")
    a = other or "A"
    return (f"Here {subject} is the right factor, in {expr}: its gradient is {a}.T @ dy, with dy "
            f"the gradient of {expr} (np.outer({a}, dy) when {a} is a vector). Check the order "
            "of the factors and where the .T goes.")


def _operand(child: Node, argnum: int, names) -> str | None:
    """The other factor of a product, as the student would write it; None for a constant."""
    for i, parent in child.parents:
        if i != argnum:
            continue
        text = names(parent)
        if parent.fun is not None and text == f"v{parent.id}":
            inner = describe(parent, names, inline=False)
            if len(inner) > 30:
                return None
            text = f"({inner})" if " " in inner else inner
        return text
    return None


def sizes_of(values) -> list[int]:
    out = set()
    for v in values:
        shape = numpy.shape(unwrap(v))
        out.update(n for n in shape if n > 1)
        if len(shape) > 1:
            out.add(int(numpy.prod(shape)))
    return sorted(out)


# --------------------------------------------------------------------------
# Finite differences at an intermediate node: replay the rest of the graph
# --------------------------------------------------------------------------

def node_function(graph: Graph, node: Node) -> Callable[[numpy.ndarray], float]:
    """The output as a function of ``node``'s value, the other inputs held fixed.

    Recomputes every later node from its recorded primitive and arguments:
    the path the forward pass took (branches, indices) is kept.
    """
    output = graph.output
    template = node.value

    def phi(flat):
        start = rebuild(template, flat.reshape(numpy.shape(unwrap(template))))
        values = replay(graph, {node.id: start}, output, differentiable=False)
        out = numpy.asarray(values.get(output.id, unwrap(output.value)))
        return float(numpy.real(out))
    return phi


# --------------------------------------------------------------------------
# The check
# --------------------------------------------------------------------------

def check_nodes(f: Callable, given: dict, args: tuple, sig, wrt, *, rtol: float, atol: float,
                eps: float) -> tuple[list[Item], str | None, list[str]]:
    """Items in backward order, the name where the mistake entered (or None), notes."""
    from ..record import trace
    notes: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        graph = trace(f, *args, wrt=wrt, kwargs={})
    local_names = local_variables(graph)
    names = Names(graph)
    resolved, items = _resolve(given, graph, local_names, args, sig, names)
    if graph.output is None or not graph.steps:
        notes.append("f's output does not depend on the arguments differentiated, so every "
                     "gradient is zero.")
    sizes = sizes_of([n.value for n in graph.inputs])
    corrections: dict[int, Any] = {}
    checked = []
    for name, node, student in sorted(resolved, key=lambda r: -r[1].id):
        exact = node.grad if node.has_grad else numpy.zeros_like(as_float_array(node.value))
        item = Item(name, kind="node", op=describe(node, names))
        phi = node_function(graph, node) if graph.output is not None else None
        x = as_float_array(node.value)
        ref = Reference(exact, phi, x, eps=eps, rtol=rtol, atol=atol)
        if phi is not None:
            ref.check_numeric(range(x.size) if x.size <= 200 else range(0, x.size, x.size // 200 + 1))
        compare(item, student, ref)
        implied = as_float_array(exact) + corrections.get(node.id, 0.0)
        carried = node.id in corrections and not _close(implied, as_float_array(exact), ref)
        if item.status == "fail":
            if carried:
                # Compare with what the chain rule gives from the student's later answers.
                local = compare(Item(name, kind="node"), student, Reference(implied, rtol=rtol, atol=atol))
                if local.status == "pass":
                    item.label = ("wrong, but it follows from your answers for later nodes "
                                  "(no new mistake here)")
                else:
                    item.label = "a new mistake here"
                    item.diagnoses = diagnose(local, value=node.value, sizes=sizes,
                                              transpose_hint=transpose_hint(graph, node, names, name))
                    for d in item.diagnoses:
                        d.text += (" (Compared with what the chain rule gives from your own "
                                   "answers for the nodes after it.)")
            else:
                item.diagnoses = diagnose(
                    item, value=node.value, sizes=sizes,
                    candidates=candidates_for(graph, node, names, name),
                    contributions=contributions(graph, node, names),
                    transpose_hint=transpose_hint(graph, node, names, name))
            if item.size == 1:
                # one number given, not a function: it cannot be checked at other points
                item.diagnoses = simplest(item.diagnoses)
        checked.append(item)
        _inject(graph, node, student, implied, corrections)
    first = next((i for i in checked if i.status == "fail"), None)
    if first is not None:
        first.label = "the mistake entered here"
        node = next(n for nm, n, _ in resolved if nm == first.name)
        notes.insert(0, _where_it_entered(graph, node, first.name, checked, names))
    return items + checked, (first.name if first else None), notes


def _close(a, b, ref) -> bool:
    if numpy.shape(a) != numpy.shape(b):
        return False
    return bool(numpy.all(numpy.abs(a - b) <= ref.atol + ref.rtol * numpy.abs(b)))


def _inject(graph: Graph, node: Node, student: Any, implied: Any, corrections: dict) -> None:
    """Add to ``corrections`` what the student's value at ``node`` changes upstream.

    The backward pass is linear in the gradient it carries, so replacing the
    gradient at ``node`` by the student's is the same as sending the
    difference back from ``node``: every earlier node's "implied" gradient
    (from the student's answers) is the exact one plus these corrections.
    """
    s = as_array(student)
    if s is None or s.shape != numpy.shape(implied) or not numpy.all(numpy.isfinite(s)):
        return
    delta = s.astype(numpy.result_type(s, numpy.float64)) - implied
    if not numpy.any(delta):
        return
    seed = delta if delta.shape else numpy.float64(delta)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for step in backward(graph, node, seed):
                if step.node is not node:
                    corrections[step.node.id] = corrections.get(step.node.id, 0.0) + \
                        as_float_array(step.upstream)
    except Exception:                                   # noqa: BLE001 - best effort only
        pass


def _where_it_entered(graph, node, name, checked, names) -> str:
    position = next(i for i, c in enumerate(checked) if c.name == name)
    right_after = [c.name for c in checked[:position]]
    uses = children(graph, node)
    if not uses:
        step = f"{name} is the output (its gradient is 1)" if node is graph.output else \
            f"{name} does not lead to the output (its gradient is 0)"
        return f"The mistake entered at {name}: {step}."
    parts = []
    for child, argnum in uses:
        formula = local_derivative_formula(child, argnum, names)
        parts.append(f"{names(child)} = {describe(child, names)}"
                     + (f" (local derivative {formula})" if formula else ""))
    if right_after:
        lead = (f"The mistake entered at {name}: your gradients for {', '.join(right_after)} "
                "are right, so it is in ")
    else:
        lead = f"The mistake entered at {name}, the first node you gave; look at "
    sum_note = (" The uses add up: the gradient is the sum over all of them." if len(uses) > 1 else "")
    return (lead + f"the chain rule step from the gradient of what uses {name} back to {name}: "
            f"upstream gradient times local derivative, for {'; '.join(parts)}.{sum_note}")


def local_variables(graph: Graph) -> dict[str, Node]:
    """Each local variable name trace saw, and the last node it held.

    A node is shown under one name (``h₂``, or ``f`` for the output), but the
    student may call it by the variable that held it (``h``, ``total``).
    """
    found = {}
    for node in graph.nodes:
        if node.info is not None and node.info.local_name:
            found[node.info.local_name] = node
    return found


def _resolve(given: dict, graph: Graph, local_names: dict, args: tuple, sig, names):
    """``(name, node, student value)`` for each entry, and items for names not found."""
    graph_names = {n.name: n for n in graph.nodes}
    resolved, missing = [], []
    for key, student in given.items():
        key_text = str(key)
        if key_text in graph_names:
            node = graph_names[key_text]
            resolved.append((key_text, node, student))
            continue
        arg_inputs = [n for n in graph.inputs
                      if n.name.startswith(key_text + "[") or n.name.startswith(key_text + ".")]
        if arg_inputs and key_text in sig.names:
            argnum = sig.positional.index(key_text) if key_text in sig.positional else None
            value = args[argnum] if argnum is not None else None
            leaves = leaf_paths(value, key_text) if value is not None else []
            for (leaf_name, path) in leaves:
                node = graph_names.get(leaf_name)
                if node is None:
                    continue
                try:
                    part = get_in(student, path)
                except (KeyError, IndexError, TypeError):
                    part = None
                    missing.append(Item(leaf_name, kind="node", status="fail",
                                        error=f"your gradient for {key_text} has no entry for "
                                        f"{leaf_name}: give it the same structure as {key_text}"))
                    continue
                resolved.append((leaf_name, node, part))
            continue
        if key_text in local_names:
            node = local_names[key_text]
            names.prefer(node, key_text)
            resolved.append((key_text, node, student))
            continue
        missing.append(Item(key_text, kind="node", status="missing",
                            error=_unknown_name(key_text, graph, local_names)))
    for name, node, _ in resolved:
        names.prefer(node, name)
    return resolved, missing


def _unknown_name(key: str, graph: Graph, local_names: dict) -> str:
    shown = [f"{n.name} ({n.op})" for n in graph.nodes[:30]]
    locals_text = ", ".join(sorted(local_names)) or "none that hold traced values"
    return (f"no node or local variable is called {key!r}. Nodes of the graph: "
            f"{', '.join(shown)}{' ...' if len(graph.nodes) > 30 else ''}. Local variables of f "
            f"holding traced values: {locals_text}. Use one of these names, or name a value inside "
            f"f with teachgrad.name(value, {key!r}).")
