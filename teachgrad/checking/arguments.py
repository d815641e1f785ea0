"""The arguments of check_grad: which to check, and what the student returned for each."""
from __future__ import annotations

import copy
import warnings
from typing import Any

import numpy

from ..containers import map_leaves, not_differentiable_message
from ..errors import ArgumentError, NotDifferentiableInputError, TeachgradError, explain
from ..tracing import unwrap
from .custom import error_text
from .numeric import CheckGradError, get_in, is_float_leaf, leaf_paths, real_scalar


def check_options(f, args, rtol, atol, eps, points, spread, order, fd_limit) -> None:
    if not callable(f):
        raise CheckGradError(explain(
            f"check_grad needs the function to check first, but got {type(f).__name__} {f!r:.40}.",
            "check_grad(f, my_grad, *args) evaluates f at args and compares gradients.",
            "check_grad(loss, my_dloss_dW, W, x)."))
    if not args:
        raise CheckGradError(explain(
            "check_grad was given no arguments to evaluate f at.",
            "gradients are checked at a point: the arguments of f.",
            "check_grad(f, my_grad, W, x): the arguments come after the two functions."))
    for name, value in (("rtol", rtol), ("atol", atol), ("eps", eps), ("spread", spread)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 \
                or (name == "eps" and value == 0):
            raise CheckGradError(f"{name} must be a non-negative number (eps positive), not {value!r}.")
    for name, value in (("points", points), ("order", order), ("fd_limit", fd_limit)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise CheckGradError(f"{name} must be a whole number of at least 1, not {value!r}.")


def as_float64(args) -> tuple[tuple, list[str]]:
    """Lower-precision floats become float64: finite differences need the digits."""
    converted = []

    def up(leaf):
        dtype = getattr(unwrap(leaf), "dtype", None)
        if dtype is not None and dtype.kind in "fc" and \
                dtype.itemsize < (8 if dtype.kind == "f" else 16):
            converted.append(leaf)
            return numpy.asarray(unwrap(leaf), numpy.complex128 if dtype.kind == "c" else numpy.float64)
        return leaf
    out = tuple(map_leaves(up, a) for a in args)
    notes = (["Arguments in float32 (or float16) were converted to float64: finite differences "
              "need its precision."] if converted else [])
    return out, notes


def evaluate(f, args, fun_name) -> float:
    try:
        out = f(*args)
    except TeachgradError:
        raise
    except Exception as error:                              # noqa: BLE001 - any error in f
        raise CheckGradError(explain(
            f"{fun_name} itself raised {error_text(error)} when called with the arguments given.",
            f"check_grad calls {fun_name}(*args) many times; it has to run at those arguments.",
            f"call {fun_name}(...) with the same arguments yourself to see the error; check their "
            "number, order and shapes.")) from error
    value = real_scalar(out, fun_name)
    if not numpy.isfinite(value):
        raise CheckGradError(explain(
            f"{fun_name}(...) is {value} at the arguments given.",
            "a derivative describes how a finite value changes; there is none to check here.",
            "check at a point where f is finite (log and sqrt need positive inputs, exp of "
            "large numbers overflows)."))
    return value


def resolve_keys(sig, args, argnum, wrt) -> tuple[list[int], bool]:
    """The positions of the arguments to check, and whether several were asked for (a tuple)."""
    if argnum is not None and wrt is not None:
        raise ArgumentError(explain(
            "check_grad was given both argnum and wrt.",
            "both choose the argument(s) to check: argnum by position, wrt by name.",
            "use one of them."))
    if wrt is not None:
        names = [wrt] if isinstance(wrt, str) else list(wrt)
        keys = []
        for name in names:
            if sig.sig is not None and name not in sig.names:
                raise ArgumentError(explain(
                    f"wrt={name!r}, but {sig.describe()} has no argument called {name!r}.",
                    "wrt chooses the argument(s) to check by name.",
                    f"use one of: {', '.join(map(repr, sig.names)) or '(none)'}."))
            if name not in sig.positional or sig.positional.index(name) >= len(args):
                raise ArgumentError(explain(
                    f"wrt={name!r} names an argument that was not given positionally.",
                    "check_grad passes the arguments to f by position.",
                    "pass every argument of f after the two functions, in order."))
            keys.append(sig.positional.index(name))
        return keys, not isinstance(wrt, str)
    argnum = 0 if argnum is None else argnum
    several = isinstance(argnum, (tuple, list))
    keys = list(argnum) if several else [argnum]
    for key in keys:
        sig.check_argnum(key)
        if key >= len(args):
            raise ArgumentError(explain(
                f"argnum={key} but only {len(args)} argument(s) were given.",
                "argnum counts the arguments after the two functions, from 0.",
                f"use an argnum from 0 to {len(args) - 1}."))
    return keys, several


def infer_keys(got, sig, args, keys) -> tuple[list[int], bool, str]:
    """Several gradients returned without argnum: a dict by name or a tuple by position."""
    first = args[0]
    if isinstance(got, dict) and got and not isinstance(first, dict) and \
            all(isinstance(k, str) and k in sig.positional[:len(args)] for k in got):
        keys = [sig.positional.index(k) for k in got]
        if all(holds_float(args[k]) for k in keys):
            return keys, True, ""
    if isinstance(got, tuple) and not isinstance(first, (list, tuple, dict)) and \
            2 <= len(got) <= len(args) and all(holds_float(a) for a in args[:len(got)]):
        if numpy.ndim(unwrap(first)) == 0 or any(numpy.ndim(unwrap(g)) > 0 for g in got
                                                 if not isinstance(g, (list, tuple, dict))):
            keys = list(range(len(got)))
            names = ", ".join(arg_name(sig, k) for k in keys)
            return keys, True, (f"Your function returned {len(got)} gradients; they were "
                                f"checked as the gradients for {names} (argnum={tuple(keys)}).")
    return keys, False, ""


def check_float(sig, args, keys) -> None:
    for key in keys:
        for leaf_name, path in leaf_paths(args[key], arg_name(sig, key)):
            leaf = get_in(args[key], path)
            if not is_float_leaf(leaf):
                raise NotDifferentiableInputError(not_differentiable_message(unwrap(leaf), leaf_name))


def holds_float(value) -> bool:
    return any(is_float_leaf(get_in(value, p)) for _, p in leaf_paths(value, "x"))


def plain_float(value) -> bool:
    return not isinstance(value, (list, tuple, dict)) and is_float_leaf(value)


def arg_name(sig, key: int) -> str:
    if key < len(sig.positional):
        return sig.positional[key]
    if sig.varargs:
        return f"{sig.varargs}[{key - len(sig.positional)}]"
    return "x" if key == 0 and sig.sig is None else f"args[{key}]"


def call_student(student, args) -> tuple[Any, str | None]:
    """The student's gradient at ``args`` (given copies, so in-place changes do no harm)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return student(*copy.deepcopy(args)), None
    except Exception as error:                              # noqa: BLE001 - the student's code
        return None, f"your gradient function raised {error_text(error)}"


def student_part(got, position, key, argname, path, leaf_name, several, arg_value,
                  n_keys) -> tuple[Any, str | None]:
    part = got
    if several and got is not None:
        if isinstance(got, dict):
            if argname in got:
                part = got[argname]
            elif key in got:
                part = got[key]
            else:
                return None, (f"the dict your gradient function returned has no entry {argname!r} "
                              f"(its keys: {', '.join(map(repr, list(got)[:8]))})")
        elif isinstance(got, (tuple, list)) and len(got) == n_keys:
            part = got[position]
        else:
            return None, (f"expected {n_keys} gradients (a tuple, one per argument checked), "
                          f"but got {describe_kind(got)}")
    if path:
        try:
            return get_in(part, path), None
        except (KeyError, IndexError, TypeError):
            return None, (f"your gradient for {argname} has no entry for {leaf_name}: give it the "
                          f"same structure as {argname} ({describe_kind(arg_value)})")
    if isinstance(part, dict):
        return None, (f"a dict was returned (keys {', '.join(map(repr, list(part)[:5]))}), but "
                      f"{argname} is one array; to check several arguments pass wrt=(names...)")
    if isinstance(part, tuple) and part and not all(
            isinstance(p, (int, float, complex, numpy.number)) for p in part):
        return None, (f"a tuple of {len(part)} values was returned, but {argname} is one array. "
                      "If these are the gradients of several arguments, pass argnum=(0, 1, ...) "
                      "or wrt=('W', 'b', ...)")
    return part, None


def describe_kind(value) -> str:
    if isinstance(value, dict):
        return f"a dict with keys {', '.join(map(repr, list(value)[:6]))}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {len(value)}"
    shape = numpy.shape(unwrap(value)) if value is not None else None
    return f"{type(value).__name__}" + (f" of shape {shape}" if shape else "")


def sample(n: int, limit: int, rng) -> list[int]:
    if n <= limit:
        return list(range(n))
    return sorted(int(i) for i in rng.choice(n, limit, replace=False))


def one_point_only(what: str) -> str:
    return explain(
        f"points > 1 needs a gradient function, but {what} was given.",
        "at a new point the gradient has new values; only a function can give them.",
        "give a function of the same arguments as f, or check at one point (points=1).")


def dedupe(items: list) -> list:
    """``items`` without repeats, in their first order."""
    return list(dict.fromkeys(items))
