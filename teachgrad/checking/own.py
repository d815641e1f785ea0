"""check_grad(f, None, ...): teachgrad's own gradient of f, and the custom gradients it uses.

The reference is finite differences. First order compares ``grad(f)`` with
them; second order differentiates a random projection of the gradient,
``sum(grad(f, i)(*args) * v)``, with respect to every argument checked (so
mixed second derivatives are covered), like autograd's ``check_grads``. Every
custom gradient f uses is then checked on its own (custom.py), which says
which maker, for which argument, is wrong.
"""
from __future__ import annotations

import functools

import numpy

import teachgrad.numpy as tnp

from ..containers import map_leaves
from ..differential_operators import grad
from ..record import trace
from ..tracing import unwrap
from .arguments import arg_name, dedupe
from .compare import Item, Reference, compare
from .custom import check_makers, custom_nodes, error_text
from .diagnose import diagnose
from .nodes import sizes_of
from .numeric import LeafFunction, get_in, leaf_paths, rebuild
from .report import Diagnosis


def self_point(f, sig, args, keys, *, eps, order, rng):
    fun_name = getattr(f, "__name__", "f")
    graph = trace(f, *args, wrt=keys, kwargs={})
    sizes = sizes_of([a for a in args if not isinstance(a, (list, tuple, dict))])
    items, notes = [], []
    inputs = iter(graph.inputs)
    for key in keys:
        argname = arg_name(sig, key)
        for leaf_name, path in leaf_paths(args[key], argname):
            node = next(inputs)
            phi = LeafFunction(f, args, key, path, node.name)
            exact = node.grad if node.has_grad else numpy.zeros_like(phi.x)
            item = Item(node.name, reference="finite diff.", got_label="teachgrad")
            compare(item, exact, Reference.from_numeric(phi, phi.x, eps=eps))
            if item.status == "fail":
                item.diagnoses = diagnose(item, value=get_in(args[key], path), sizes=sizes,
                                          whose="teachgrad's gradient")
            items.append(item)
    makers = check_makers(graph, order=order, eps=eps, rng=rng) if custom_nodes(graph) else []
    if order >= 2:
        items += second_order(f, sig, args, keys, eps=eps, rng=rng,
                               has_custom=bool(custom_nodes(graph)))
    bad_makers = [m for m in makers if m.status == "fail"]
    for item in items:
        if item.status != "fail":
            continue
        if bad_makers:
            item.diagnoses.append(Diagnosis(
                "custom_gradient", item.name,
                f"{fun_name} uses custom gradients, and {item_names(bad_makers)} "
                f"{'is' if len(bad_makers) == 1 else 'are'} wrong (checked one by one below): "
                "that is where this difference comes from."))
        elif not makers:
            notes.append(f"{fun_name} uses no custom gradient, so a difference here is "
                         "unexpected: f may be badly conditioned at this point (try another eps "
                         "or point), or this is a bug in teachgrad worth reporting.")
    return items + makers, dedupe(notes)


def second_order(f, sig, args, keys, *, eps, rng, has_custom):
    """d/d(args[j]) of sum(grad(f, i)(*args) * v): the second derivatives, mixed ones too."""
    items = []
    for i in keys:
        arg_i = arg_name(sig, i)
        paths = leaf_paths(args[i], arg_i)
        v = map_leaves(lambda leaf: _random_direction(leaf, rng), args[i])

        @functools.wraps(f)           # f's signature: inputs are named like f's arguments
        def h(*a, i=i, v=v, paths=paths):
            g = grad(f, i)(*a)
            return tnp.real(sum(tnp.sum(get_in(g, p) * get_in(v, p)) for _, p in paths))
        try:
            graph = trace(h, *args, wrt=keys, kwargs={})
        except Exception as error:                          # noqa: BLE001
            item = Item(f"second derivatives through {arg_i}", kind="second order",
                        status="fail" if has_custom else "inconclusive")
            item.error = f"they could not be computed: {error_text(error)}"
            items.append(item)
            continue
        inputs = iter(graph.inputs)
        for j in keys:
            for leaf_name, path in leaf_paths(args[j], arg_name(sig, j)):
                node = next(inputs)
                phi = LeafFunction(h, args, j, path, node.name)
                exact = node.grad if node.has_grad else numpy.zeros_like(phi.x)
                item = Item(f"second derivatives, {arg_i} and {node.name}", kind="second order",
                            reference="finite diff.", got_label="teachgrad", symbol=node.name)
                item.op = f"d/d{node.name} of (grad with respect to {arg_i}) · random v"
                compare(item, exact, Reference.from_numeric(phi, phi.x, eps=eps))
                if item.status == "fail":
                    item.diagnoses = diagnose(item, whose="teachgrad's second derivative")
                items.append(item)
    return items


def _random_direction(leaf, rng):
    """Standard normal numbers of ``leaf``'s shape and kind (complex for a complex leaf)."""
    noise = rng.standard_normal(numpy.shape(unwrap(leaf)))
    if numpy.iscomplexobj(unwrap(leaf)):
        noise = noise + 1j * rng.standard_normal(noise.shape)
    return rebuild(leaf, numpy.asarray(noise))


def exact_disagrees(fun_name, disagree, makers) -> str:
    where = ", ".join(name for name, _ in disagree)
    bad = [m for m in makers if m.status == "fail"]
    text = (f"teachgrad's own gradient of {fun_name} disagrees with finite differences for "
            f"{where} (at entries where {fun_name} is smooth), so finite differences were the "
            "reference there. ")
    if bad:
        return text + (f"The cause is a custom gradient: {item_names(bad)} "
                       f"{'is' if len(bad) == 1 else 'are'} wrong (see below).")
    if makers:
        return text + "f uses custom gradients, but each checked right where it was used."
    return text + ("f uses no custom gradient, so this is unexpected: f may be badly "
                   "conditioned here, or this is a bug in teachgrad worth reporting.")


def item_names(items) -> str:
    return ", ".join(f"'{m.name}'" for m in items)
