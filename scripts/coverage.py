"""How much of numpy teachgrad.numpy covers: wrapped, differentiable, passed through, without gradient.

Run from the repository root:

    .venv/bin/python scripts/coverage.py            # the summary (for the README)
    .venv/bin/python scripts/coverage.py --list     # ... and every function by category

A numpy *function* is any public callable of the namespace that is not a
class or a module (ufuncs included). In teachgrad.numpy each one is:

* differentiable: a primitive with a registered gradient, or a Python-level
  version written with differentiable pieces (split, select, average, ...);
  "zero gradient" marks the piecewise-constant ones whose gradient is 0;
* passed through: traced inputs are unwrapped and the result is plain
  (shapes, comparisons, argmax, constructors, files, settings);
* without gradient: recorded in the graph, but differentiating through it
  raises NoGradientError;
* in place: writes into an existing array, so refuses traced values.

It also counts the options (keyword parameters) of the differentiable
functions, as teachgrad/numpy/keywords.py classifies them: arrays (get a
gradient), followed by the gradient, or refused with an explanation.
"""
from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy

import teachgrad.numpy as tnp
from teachgrad.numpy.wrapping import is_function
from teachgrad.tracing import Primitive


def functions(module) -> list[str]:
    return sorted(n for n in dir(module) if not n.startswith("_") and is_function(getattr(module, n)))


def is_zero_maker(maker) -> bool:
    return "_zero_maker" in getattr(maker, "__qualname__", "")


def category(obj) -> str:
    if isinstance(obj, Primitive):
        if obj.has_gradient():
            # a gradient registered as zero (defvjp with None) is read from the raw record
            makers = list(obj.vjp_makers.values())
            if makers and obj.vjp_argnums_maker is None and all(is_zero_maker(m) for m in makers):
                return "zero gradient"
            return "differentiable"
        return "without gradient"
    if getattr(obj, "notrace", False):
        return "passed through"
    if getattr(obj, "in_place", False):
        return "in place"
    return "differentiable"          # a Python-level version built from primitives


def autograd_differentiable() -> set[str] | None:
    """The names autograd 1.9's numpy wrapper differentiates (None if autograd is absent)."""
    try:
        import autograd.numpy as anp
        from autograd.core import primitive_vjps
    except ImportError:
        return None
    names = {n for n, o in vars(anp).items()
             if not n.startswith("_") and callable(o) and not isinstance(o, type) and o in primitive_vjps}
    # Python-level functions of autograd's wrapper built from differentiable primitives
    names |= {"array", "concatenate", "stack", "hstack", "vstack", "row_stack", "column_stack",
              "append", "select", "where", "mean", "var", "std"}
    return {n for n in names if n in dir(numpy) and is_function(getattr(numpy, n, None))}


def report(title: str, source, target, show_list: bool) -> dict[str, list[str]]:
    names = functions(source)
    groups: dict[str, list[str]] = {}
    missing = []
    for name in names:
        obj = getattr(target, name, None)
        if obj is None or not callable(obj):
            missing.append(name)
            continue
        groups.setdefault(category(obj), []).append(name)
    wrapped = len(names) - len(missing)
    differentiable = len(groups.get("differentiable", [])) + len(groups.get("zero gradient", []))
    print(f"{title}: {len(names)} public functions, {wrapped} wrapped")
    print(f"  differentiable    {differentiable:4d}"
          f"  (of which {len(groups.get('zero gradient', []))} with zero gradient: "
          f"{', '.join(groups.get('zero gradient', [])) or '-'})")
    print(f"  passed through    {len(groups.get('passed through', [])):4d}")
    print(f"  without gradient  {len(groups.get('without gradient', [])):4d}  "
          f"{', '.join(groups.get('without gradient', [])) or '-'}")
    if groups.get("in place"):
        print(f"  in place          {len(groups['in place']):4d}  {', '.join(groups['in place'])}")
    if missing:
        print(f"  not wrapped       {len(missing):4d}  {', '.join(missing)}")
    if show_list:
        for key in ("differentiable", "passed through"):
            print(f"\n  {key}:\n    " + "\n    ".join(
                _wrap(", ".join(groups.get(key, [])), 92)))
    return groups


def options_report() -> None:
    """How the parameters of the differentiable functions are classified (keywords.py)."""
    from teachgrad.numpy import keywords
    counts = {"arrays": 0, "followed": 0, "refused": 0}
    functions = 0
    for name, entry in keywords.ENTRIES.items():
        params = keywords.parameters(name)
        if params is None or keywords.numpy_function(name) is None:
            continue
        functions += 1
        for p in params:
            column = ("arrays" if p.name in entry.arrays else "followed" if p.name in entry.followed
                      else "refused")
            counts[column] += 1
    print(f"\noptions of {functions} differentiable functions (np, np.linalg, np.fft): "
          f"{counts['arrays']} array arguments, {counts['followed']} options followed by the "
          f"gradient, {counts['refused']} refused with an explanation when given with a traced value")


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return lines + ([line] if line else [])


def main(argv: list[str]) -> None:
    show_list = "--list" in argv
    print(f"numpy {numpy.__version__}\n")
    groups = report("numpy", numpy, tnp, show_list)
    for sub in ("linalg", "fft"):
        print()
        report(f"numpy.{sub}", getattr(numpy, sub), getattr(tnp, sub), show_list)
    print()
    n_random = len(functions(numpy.random))
    passed = sum(getattr(getattr(tnp.random, n, None), "notrace", False) for n in functions(numpy.random))
    print(f"numpy.random: {n_random} public functions, {passed} passed through with plain values "
          "(a draw has no gradient: traced parameters are refused with an explanation)")
    options_report()
    reference = autograd_differentiable()
    if reference is not None:
        ours = set(groups.get("differentiable", [])) | set(groups.get("zero gradient", []))
        lacking = sorted(reference - ours)
        print(f"\nautograd 1.9 differentiates {len(reference)} of numpy's top-level functions; "
              f"teachgrad differentiates {len(reference & ours)} of those"
              + (f" (not: {', '.join(lacking)})" if lacking else " (all of them)")
              + f", and {len(ours - reference)} more.")


if __name__ == "__main__":
    main(sys.argv[1:])
