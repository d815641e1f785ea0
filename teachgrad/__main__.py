"""Command line: ``python -m teachgrad demo`` and ``python -m teachgrad draw``.

``python -m teachgrad draw "np.tanh(w * x + b)" x=0.5 w=2.0 b=-1 -o neuron.svg``
draws an expression for slides.

The expression is never given to Python's ``eval``: it is parsed with
:mod:`ast`, checked against a short list of what a formula needs (numbers, the
given names, arithmetic, comparisons, subscripts, tuples, lists and calls of
``np`` functions), and walked by a small evaluator that bounds sizes, whole
numbers, memory and time. Every failure is one line on stderr and exit status 2.
"""
from __future__ import annotations

import argparse
import ast
import contextlib
import inspect
import keyword
import math
import operator
import os
import pathlib
import sys
import threading
import time
import warnings
from typing import Any

DEMO = '''\
import teachgrad.numpy as np
from teachgrad import grad, multigrad_dict, trace

def f(x, y):
    return np.sin(x) * y + x ** 2

print("f(1, 2)        =", f(1.0, 2.0))
print("df/dx          =", grad(f)(1.0, 2.0), "  (by hand: cos(1)*2 + 2*1 =", np.cos(1.0) * 2 + 2, ")")
print("df/dy          =", grad(f, 1)(1.0, 2.0), "  (by hand: sin(1) =", np.sin(1.0), ")")
print("all gradients  =", multigrad_dict(f)(1.0, 2.0))
print("d3/dx3 tanh(0.5) =", grad(grad(grad(np.tanh)))(0.5))
print()
print("The graph teachgrad recorded, with each node's value and its gradient d f / d node:")
print(trace(f, 1.0, 2.0))
'''

USAGE = ('usage: python -m teachgrad demo | python -m teachgrad draw "EXPRESSION" name=value ... '
         '[-o FILE] (python -m teachgrad draw --help for more)')

# Bounds on what an expression may compute: a drawing for slides needs far less.
MAX_ELEMENTS = 1_000_000         # entries of any array, and any count or size given to np
MAX_WORK = 10 ** 9               # size(a) * size(b) for products and convolutions
MAX_INT = 2 ** 53                # whole numbers, literal or computed
MAX_STRING = 100                 # characters of a string argument ('ij,j->i')
MAX_SECONDS = 20.0                # evaluating, checked between operations
MAX_COMMAND_SECONDS = 60.0        # the whole command, enforced by a watchdog thread
MAX_EXTRA_MEMORY = 2 * 1024 ** 3

SUBMODULES = {"linalg", "fft", "random"}
CONSTANTS = {"pi", "e", "inf", "nan", "newaxis", "euler_gamma"}
# Reachable from np but no part of a formula: files, global settings, callbacks, in-place writes.
REFUSED_FUNCTIONS = {
    "save", "savetxt", "savez", "savez_compressed", "load", "loadtxt", "genfromtxt", "fromfile",
    "fromregex", "frombuffer", "fromstring", "fromiter", "from_dlpack", "memmap", "info",
    "show_config", "show_runtime", "test", "get_include", "set_printoptions", "printoptions",
    "setbufsize", "seterr", "seterrcall", "errstate", "frompyfunc", "vectorize", "fromfunction",
    "apply_along_axis", "apply_over_axes", "piecewise", "copyto", "place", "put", "putmask",
    "fill_diagonal", "put_along_axis", "nested_iters", "seed", "set_state", "get_state",
    "set_bit_generator", "get_bit_generator", "shuffle", "bytes", "default_rng",
}
# Functions without a gradient that still belong in a formula. Everything else reachable
# from np must have a registered gradient: an allow list, so that a function numpy adds
# later (or one that reads files) is refused until someone decides it belongs here.
PLAIN_ALLOWED = {
    "array", "asarray", "concatenate", "concat", "stack", "hstack", "vstack", "dstack",
    "column_stack", "block", "atleast_1d", "atleast_2d", "atleast_3d", "split", "array_split",
    "hsplit", "vsplit", "dsplit", "unstack", "broadcast_arrays", "append",
    "zeros", "ones", "empty", "zeros_like", "ones_like", "empty_like", "full_like", "eye",
    "identity", "arange", "tri", "meshgrid", "indices", "diag_indices", "tril_indices",
    "triu_indices", "shape", "ndim", "size", "argmax", "argmin", "argsort", "argwhere",
    "nonzero", "flatnonzero", "count_nonzero", "searchsorted", "digitize", "sort_complex",
    "floor", "ceil", "round", "around", "rint", "fix", "trunc", "signbit", "spacing",
    "isfinite", "isinf", "isnan", "isneginf", "isposinf", "isclose", "allclose", "all", "any",
    "equal", "not_equal", "greater", "greater_equal", "less", "less_equal", "logical_and",
    "logical_or", "logical_not", "logical_xor", "array_equal", "average", "cov", "corrcoef",
    "gradient", "trapezoid", "select", "choose", "modf", "frexp", "divmod", "unique",
    "histogram", "bincount", "hamming", "hanning", "bartlett", "blackman",
    "normal", "uniform", "standard_normal", "rand", "randn",       # np.random, as data
}
# Calls whose work grows with the product of their arguments' sizes.
PRODUCTS = {"dot", "matmul", "inner", "outer", "kron", "tensordot", "einsum", "convolve",
            "correlate", "polymul", "multi_dot", "vdot", "cross", "polyval"}

BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
          ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
          ast.Pow: operator.pow, ast.MatMult: operator.matmul}
UNARY = {ast.UAdd: operator.pos, ast.USub: operator.neg, ast.Not: operator.not_,
         ast.Invert: operator.invert}
COMPARE = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
           ast.Gt: operator.gt, ast.GtE: operator.ge}
# What a refused construct is called in the message.
DESCRIBE = {
    ast.Lambda: "a lambda", ast.ListComp: "a list comprehension", ast.SetComp: "a set comprehension",
    ast.DictComp: "a dict comprehension", ast.GeneratorExp: "a generator expression",
    ast.NamedExpr: "the walrus operator :=", ast.JoinedStr: "an f-string",
    ast.FormattedValue: "an f-string", ast.IfExp: "a conditional expression (a if c else b)",
    ast.BoolOp: "'and' / 'or'", ast.Dict: "a dict", ast.Set: "a set", ast.Starred: "* unpacking",
    ast.Await: "await", ast.Yield: "yield", ast.YieldFrom: "yield from",
    ast.LShift: "the operator <<", ast.RShift: "the operator >>", ast.BitOr: "the operator |",
    ast.BitAnd: "the operator &", ast.BitXor: "the operator ^", ast.Is: "'is'",
    ast.IsNot: "'is not'", ast.In: "'in'", ast.NotIn: "'not in'",
}
ALLOWED = ("numbers, the variables given, + - * / // % ** @, comparisons, subscripts, "
           "tuples, lists and calls of np functions such as np.tanh(x)")


def _has_gradient(fun: Any) -> bool:
    """A primitive with a registered gradient, or a function teachgrad writes with them (svd)."""
    from .tracing import Primitive
    if isinstance(fun, Primitive):
        return fun.has_gradient()
    return (getattr(fun, "__module__", "") or "").startswith("teachgrad.") and \
        not getattr(fun, "notrace", False)


class CommandLineError(Exception):
    """A mistake on the command line: reported as one line on stderr, exit status 2."""


class Refused(CommandLineError):
    """Part of the expression is not allowed, or would compute too much."""


def parse_value(text: str):
    """'0.5' -> 0.5, '[1, 2]' -> array([1., 2.]): numbers and lists only, never code."""
    import numpy
    hint = f"Cannot read the value {text!r}: give a number (0.5) or a list ([1, 2])."
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        raise CommandLineError(hint) from None
    if isinstance(value, bool) or not isinstance(value, (int, float, complex, list, tuple)):
        raise CommandLineError(hint)
    if isinstance(value, (list, tuple)):
        try:
            array = numpy.array(value, dtype=float)
        except (ValueError, TypeError, OverflowError):
            raise CommandLineError(hint + " A list must be rectangular and hold numbers only.") from None
        if array.size > MAX_ELEMENTS:
            raise CommandLineError(f"The value {text[:20]!r}... has {array.size:,} numbers; "
                                   f"the limit is {MAX_ELEMENTS:,}.")
        return array
    if isinstance(value, int):
        return float(value)          # a whole number cannot change a little: draw it as 1.0
    return value


class Expression:
    """A checked expression over ``np`` and some variables, evaluated without ``eval``.

    >>> import teachgrad.numpy as np
    >>> float(Expression("np.tanh(w * x)", ["w", "x"], np).evaluate({"w": 2.0, "x": 0.25}))
    0.46211715726000974
    >>> Expression("x.__class__", ["x"], np)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    teachgrad.__main__.Refused: refused: attribute access on a value (.__class__): only np's ...
    """

    def __init__(self, text: str, names: list[str], np_module: Any):
        self.names = set(names)
        self.np = np_module
        try:
            tree = ast.parse(text.strip(), mode="eval")
        except SyntaxError as error:
            raise CommandLineError(f"The expression is not valid Python: {error.msg}.") from None
        except (MemoryError, RecursionError, ValueError):
            raise CommandLineError("The expression is too deeply nested to read.") from None
        self.body = tree.body
        self.resolved: dict[int, Any] = {}      # id(Attribute node) -> the np object it names
        try:
            self._check(self.body)
        except RecursionError:
            raise Refused("refused: the expression is too deeply nested.") from None
        self.deadline = math.inf

    # --- what may be written ------------------------------------------------
    def _refuse(self, what: str, extra: str = "") -> None:
        raise Refused(f"refused: {what}" + (f": {extra}" if extra else f" (allowed: {ALLOWED})."))

    def _check(self, node: ast.AST, argument: bool = False, index: bool = False) -> None:
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, str):
                if not argument:
                    self._refuse(f"the string {value[:20]!r}", "a string may only be an argument of an "
                                 "np function, as in np.einsum('ij,j->i', A, x).")
                if len(value) > MAX_STRING:
                    self._refuse("a string longer than 100 characters", "shorten it.")
            elif value is Ellipsis:
                if not index:
                    self._refuse("... outside a subscript", "use it in x[..., 0].")
            elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
                self._refuse(f"the whole number {str(value)[:20]}...", f"whole numbers are limited to "
                             f"2**53; write a float such as {float(value):.3g} if it is a value.")
            elif not isinstance(value, (int, float, complex, type(None))):
                self._refuse(f"the constant {value!r:.20}")
        elif isinstance(node, ast.Name):
            self._check_name(node.id)
        elif isinstance(node, ast.Attribute):
            obj, path = self._resolve(node)
            if callable(obj):
                self._refuse(f"{path} without a call", f"call it, as in {path}(x).")
            self.resolved[id(node)] = obj
        elif isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Attribute):
                if not isinstance(node.func, ast.Name) or node.func.id.startswith("__"):
                    self._check(node.func)    # name the innermost problem first
                what = ast.unparse(node.func)[:30]
                self._refuse(f"the call {what}(...)", "only functions reached from np may be called, "
                             "as in np.tanh(x) or np.linalg.norm(x).")
            fun, path = self._resolve(node.func)
            if not callable(fun) or isinstance(fun, type):
                self._refuse(f"calling {path}", f"{path} is not a function.")
            self.resolved[id(node.func)] = (fun, path)
            for arg in node.args:
                self._check(arg, argument=True)
            for kw in node.keywords:
                if kw.arg is None:
                    self._refuse("** unpacking of keyword arguments")
                if kw.arg.startswith("_"):
                    self._refuse(f"the keyword {kw.arg}=", "keywords starting with _ are refused.")
                self._check(kw.value, argument=True)
        elif isinstance(node, ast.BinOp):
            if type(node.op) not in BINARY:
                self._refuse(DESCRIBE.get(type(node.op), type(node.op).__name__))
            self._check(node.left)
            self._check(node.right)
        elif isinstance(node, ast.UnaryOp):
            self._check(node.operand)
        elif isinstance(node, ast.Compare):
            for op in node.ops:
                if type(op) not in COMPARE:
                    self._refuse(DESCRIBE.get(type(op), type(op).__name__))
            for part in [node.left, *node.comparators]:
                self._check(part)
        elif isinstance(node, ast.Subscript):
            self._check(node.value)
            self._check(node.slice, index=True)
        elif isinstance(node, ast.Slice):
            for part in (node.lower, node.upper, node.step):
                if part is not None:
                    self._check(part)
        elif isinstance(node, (ast.Tuple, ast.List)):
            for item in node.elts:
                self._check(item, index=index and isinstance(node, ast.Tuple))
        else:
            self._refuse(DESCRIBE.get(type(node), type(node).__name__))

    def _check_name(self, name: str) -> None:
        if name.startswith("__") or name.endswith("__"):
            self._refuse(f"the name {name}", "names with double underscores reach Python's "
                         "internals, not the formula.")
        if name == "np":
            self._refuse("np on its own", "use it to call a function, as in np.tanh(x).")
        if name not in self.names:
            given = ", ".join(sorted(self.names)) or "none"
            raise CommandLineError(f"Unknown name {name!r}: the expression may use np and the variables "
                                   f"given as name=value (given: {given}).")

    def _resolve(self, node: ast.Attribute) -> tuple[Any, str]:
        """np.tanh, np.linalg.norm, np.pi: plain public names along np and its submodules only."""
        parts = []
        base = node
        while isinstance(base, ast.Attribute):
            parts.append(base.attr)
            base = base.value
        parts.reverse()
        for part in parts:
            if part.startswith("_"):
                self._refuse(f"the name {part}", "names starting with _ are private or reach "
                             "Python's internals, not the formula.")
        if not isinstance(base, ast.Name) or base.id != "np":
            if not isinstance(base, ast.Name):
                self._check(base)             # name the innermost problem first
            what = "." + parts[-1] if len(parts) == 1 else "." + ".".join(parts)
            self._refuse(f"attribute access on a value ({what})",
                         "only np's functions may be reached with a dot; write np.transpose(x) "
                         "for x.T, np.sum(x) for x.sum().")
        path = "np"
        obj = self.np
        for i, part in enumerate(parts):
            path += "." + part
            last = i == len(parts) - 1
            if i > 0 and not last:
                self._refuse(f"{path}", "np's functions are at most one submodule deep (np.linalg.norm).")
            if not last and part not in SUBMODULES:
                self._refuse(f"{path}", f"the submodules that may be used are np.{', np.'.join(sorted(SUBMODULES))}.")
            if part in REFUSED_FUNCTIONS:
                self._refuse(f"{path}", "it reads or writes files or changes global settings, "
                             "which is no part of a formula.")
            try:
                obj = getattr(obj, part)
            except AttributeError:
                raise CommandLineError(f"{path} does not exist in teachgrad.numpy.") from None
        if callable(obj) and not isinstance(obj, (type, type(self.np))) and \
                parts[-1] not in PLAIN_ALLOWED and not _has_gradient(obj):
            self._refuse(f"{path}", "only functions with a gradient, and a few helpers such as "
                         "np.zeros or np.argmax, may be called in a drawn formula.")
        if isinstance(obj, type(self.np)):
            self._refuse(f"{path}", "it is a module: call one of its functions, as in np.linalg.norm(x).")
        if not callable(obj) and parts[-1] not in CONSTANTS:
            self._refuse(f"{path}", f"of np's values, only {', '.join(sorted(CONSTANTS))} may be used.")
        return obj, path

    # --- evaluating, within bounds --------------------------------------------
    def evaluate(self, env: dict[str, Any]) -> Any:
        self.deadline = time.monotonic() + MAX_SECONDS
        return self._eval(self.body, env)

    def _eval(self, node: ast.AST, env: dict[str, Any]) -> Any:
        if time.monotonic() > self.deadline:
            raise Refused(f"refused: the expression took more than {MAX_SECONDS:g} seconds.")
        kind = type(node)
        if kind is ast.Constant:
            return node.value
        if kind is ast.Name:
            return env[node.id]
        if kind is ast.Attribute:
            return self.resolved[id(node)]
        if kind is ast.Call:
            fun, path = self.resolved[id(node.func)]
            args = [self._eval(a, env) for a in node.args]
            kwargs = {kw.arg: self._eval(kw.value, env) for kw in node.keywords}
            self._check_call(fun, path, args, kwargs)
            return self._bounded(fun(*args, **kwargs), f"{path}(...)")
        if kind is ast.BinOp:
            left, right = self._eval(node.left, env), self._eval(node.right, env)
            self._check_binary(node.op, left, right)
            return self._bounded(BINARY[type(node.op)](left, right), "the result")
        if kind is ast.UnaryOp:
            return UNARY[type(node.op)](self._eval(node.operand, env))
        if kind is ast.Compare:
            left = self._eval(node.left, env)
            result = True
            for op, part in zip(node.ops, node.comparators):
                right = self._eval(part, env)
                self._check_binary(op, left, right)
                result = COMPARE[type(op)](left, right)
                left = right
                if len(node.ops) > 1 and not result:
                    return result
            return result
        if kind is ast.Subscript:
            return self._bounded(self._eval(node.value, env)[self._eval(node.slice, env)], "a subscript")
        if kind is ast.Slice:
            return slice(*(None if p is None else self._eval(p, env) for p in (node.lower, node.upper, node.step)))
        if kind is ast.Tuple:
            return tuple(self._eval(item, env) for item in node.elts)
        if kind is ast.List:
            return [self._eval(item, env) for item in node.elts]
        raise Refused(f"refused: {type(node).__name__}")       # _check let nothing else through

    def _bounded(self, value: Any, what: str) -> Any:
        import numpy
        if isinstance(value, (int, numpy.integer)) and not isinstance(value, bool) and abs(int(value)) > MAX_INT:
            raise Refused(f"refused: {what} is a whole number above 2**53; write floats (2.0 ** 60) for big values.")
        plain = _plain(value)
        if isinstance(plain, numpy.ndarray) and plain.dtype.kind == "O":
            # the entries of an object array are Python objects: 10**15 ** 10**15 would never end
            raise Refused(f"refused: {what} is an array of Python objects; use numbers (dtype float).")
        if isinstance(plain, numpy.ndarray) and plain.nbytes > 16 * MAX_ELEMENTS:
            raise Refused(f"refused: {what} would take {plain.nbytes:,} bytes; the limit is {16 * MAX_ELEMENTS:,}.")
        if _size(value) > MAX_ELEMENTS:
            raise Refused(f"refused: {what} would have {_size(value):,} entries; the limit is {MAX_ELEMENTS:,}.")
        return value

    def _check_binary(self, op: ast.AST, left: Any, right: Any) -> None:
        import numpy
        for side in (left, right):
            if isinstance(side, (list, tuple, str, slice)) or side is None:
                raise Refused(f"refused: arithmetic on a {type(side).__name__}: wrap lists in np.array([...]).")
        if isinstance(op, ast.Pow) and _is_int(left) and _is_int(right):
            base, power = abs(int(left)), int(right)
            if base > 1 and power > 0 and power * math.log2(base) > 53:
                raise Refused(f"refused: {int(left)} ** {power} is a whole number above 2**53; "
                              f"write floats ({int(left)}.0 ** {power}) for big values.")
        if isinstance(op, ast.MatMult):
            _check_work("@", [left, right])
        else:
            try:
                shape = numpy.broadcast_shapes(numpy.shape(_plain(left)), numpy.shape(_plain(right)))
            except ValueError:
                return                    # numpy will say why, in its own words
            if math.prod(shape) > MAX_ELEMENTS:
                raise Refused(f"refused: the result would have shape {shape}, {math.prod(shape):,} "
                              f"entries; the limit is {MAX_ELEMENTS:,}.")

    def _check_call(self, fun: Any, path: str, args: list, kwargs: dict) -> None:
        """Counts and shapes that would ask for more than MAX_ELEMENTS entries are refused before the call."""
        for value in [*args, *kwargs.values()]:
            if _is_int(value) and abs(int(value)) > MAX_ELEMENTS:
                raise Refused(f"refused: {path} was given the whole number {int(value)}, above the limit of "
                              f"{MAX_ELEMENTS:,} for counts and sizes; write a float ({float(value):g}) if it is a value.")
            if isinstance(value, (tuple, list)) and value and all(_is_int(v) for v in value):
                total = math.prod(abs(int(v)) for v in value)
                if total > MAX_ELEMENTS:
                    raise Refused(f"refused: {path} was given the shape {tuple(int(v) for v in value)}, "
                                  f"{total:,} entries; the limit is {MAX_ELEMENTS:,}.")
        name = path.rsplit(".", 1)[-1]
        if name == "arange":
            _check_arange(path, args, kwargs)
        if name in PRODUCTS:
            _check_work(path, [*args, *kwargs.values()])


def _plain(value: Any) -> Any:
    from teachgrad.tracing import unwrap
    return unwrap(value)


def _is_int(value: Any) -> bool:
    import numpy
    return isinstance(value, (int, numpy.integer)) and not isinstance(value, (bool, numpy.bool_))


def _size(value: Any) -> int:
    import numpy
    if isinstance(value, (list, tuple)):
        return sum(_size(v) for v in value)
    value = _plain(value)
    return int(numpy.size(value)) if isinstance(value, numpy.ndarray) else 1


def _check_work(path: str, values: list) -> None:
    sizes = sorted((_size(v) for v in values if not isinstance(v, str)), reverse=True)
    if len(sizes) >= 2 and sizes[0] * sizes[1] > MAX_WORK:
        raise Refused(f"refused: {path} on arrays of {sizes[0]:,} and {sizes[1]:,} entries would take "
                      f"about {sizes[0] * sizes[1]:,} steps; the limit is {MAX_WORK:,}.")


def _check_arange(path: str, args: list, kwargs: dict) -> None:
    import numpy
    try:
        bound = inspect.signature(lambda start=0, stop=None, step=1, dtype=None, **rest: None).bind(*args, **kwargs)
        start, stop, step = (bound.arguments.get(k, d) for k, d in (("start", 0), ("stop", None), ("step", 1)))
        if stop is None:
            start, stop = 0, start
        count = math.ceil((float(_plain(stop)) - float(_plain(start))) / float(_plain(step)))
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return                            # numpy will say why, in its own words
    if not numpy.isfinite(count) or count > MAX_ELEMENTS:
        raise Refused(f"refused: {path} would make {count:,} entries; the limit is {MAX_ELEMENTS:,}.")


def _virtual_memory() -> int | None:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, AttributeError):
        return None


@contextlib.contextmanager
def memory_limit(extra: int = MAX_EXTRA_MEMORY):
    """While evaluating, allocations beyond ``extra`` more bytes fail with MemoryError (Linux)."""
    try:
        import resource
    except ImportError:
        yield
        return
    current = _virtual_memory()
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = None if current is None else current + extra
    if limit is None or (soft != resource.RLIM_INFINITY and soft <= limit) or \
            (hard != resource.RLIM_INFINITY and hard < limit):
        yield
        return
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def make_function(text: str, names: list[str], np_module: Any):
    """``f(*values)`` evaluating the checked expression, with ``names`` as its parameters."""
    expression = Expression(text, names, np_module)

    def f(*values):
        return expression.evaluate(dict(zip(names, values)))
    f.__signature__ = inspect.Signature(
        [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD) for n in names])
    return f


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        looks_like_expression = message.startswith("unrecognized arguments: -") and \
            not message.startswith("unrecognized arguments: --")
        hint = (" (an expression that starts with -, such as -x, reads as an option: "
                "write it in brackets, (-x))") if looks_like_expression else ""
        raise CommandLineError(message[:1].upper() + message[1:] + hint + ".")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to 17, not {text!r}") from None
    if not 1 <= value <= 17:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to 17, not {value}")
    return value


def draw(argv: list[str]) -> int:
    """``python -m teachgrad draw``: raises CommandLineError for anything the user must fix."""
    parser = _Parser(
        prog="python -m teachgrad draw",
        description="Draw the graph of an expression, with values and gradients.",
        epilog='example: python -m teachgrad draw "np.tanh(w * x + b)" x=0.5 w=2.0 b=-1 -o neuron.svg')
    parser.add_argument("expression", help="a teachgrad.numpy expression, e.g. 'np.tanh(w * x + b)'")
    parser.add_argument("values", nargs="*", metavar="name=value", help="the variables, e.g. x=0.5")
    parser.add_argument("-o", "--output", default="graph.svg", help="the file to write (.svg, .png, .pdf, .dot)")
    parser.add_argument("--direction", default="TB", choices=["TB", "LR"])
    parser.add_argument("--digits", type=_positive_int, default=4)
    parser.add_argument("--wrt", default=None, help="comma-separated names to differentiate (default: all)")
    options = parser.parse_args(argv)

    names, values = [], []
    for item in options.values:
        key, equals, text = item.partition("=")
        if not equals:
            raise CommandLineError(f"{item!r} is not name=value (for example x=0.5).")
        if not key.isidentifier() or keyword.iskeyword(key) or key == "np" or key.startswith("__"):
            raise CommandLineError(f"{key!r} cannot be a variable name: use a plain name such as x or w1.")
        if key in names:
            raise CommandLineError(f"{key} is given twice.")
        names.append(key)
        values.append(parse_value(text))
    output = pathlib.Path(options.output)
    if output.suffix.lower() not in (".svg", ".png", ".pdf", ".dot", ".gv"):
        raise CommandLineError(f"Cannot save a graph as {output.name!r}: end the file name with "
                               ".svg, .png, .pdf or .dot.")
    folder = output.parent
    if not folder.is_dir():
        raise CommandLineError(f"The folder {str(folder)!r} does not exist: create it, or write "
                               "the file somewhere else with -o.")
    wrt = [w.strip() for w in options.wrt.split(",")] if options.wrt else None
    for w in wrt or []:
        if w not in names:
            raise CommandLineError(f"--wrt {w}: no variable {w!r} was given (given: {', '.join(names) or 'none'}).")

    import teachgrad.numpy as np
    from teachgrad import show_graph
    fun = make_function(options.expression, names, np)
    fun.__name__ = "f"
    try:
        # numpy's overflow and division warnings would add lines of their own; the
        # drawing marks every nan and inf it produces instead.
        with memory_limit(), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            picture = show_graph(fun, *values, wrt=wrt, direction=options.direction,
                                 digits=options.digits, display=False)
    except CommandLineError:
        raise
    except MemoryError:
        raise CommandLineError("The expression needs more memory than the command line allows "
                               f"({MAX_EXTRA_MEMORY // 1024 ** 3} GB).") from None
    except OverflowError as error:
        raise CommandLineError(f"The expression failed: a number grew too big for a float ({error}); "
                               "numpy arrays give inf instead, Python floats stop.") from None
    except Exception as error:            # the student's formula failed: say how, in one line
        raise CommandLineError(f"The expression failed: {type(error).__name__}: {error}") from None
    from teachgrad.viz import GraphvizMissingError
    try:
        path = picture.save(output)
    except OSError as error:
        raise CommandLineError(f"Cannot write {str(output)!r}: {error.strerror or error}.") from None
    except GraphvizMissingError as error:       # what is missing and the command, in one line
        message = str(error).replace(" The DOT text is still available as .source.", "")
        raise CommandLineError(message.replace("\nWhy: ", " (").replace("\nInstead: ", ") ")) from None
    print(f"wrote {path}")
    return 0


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def main(argv: list[str]) -> int:
    """Run a command; every failure is one line on stderr and exit status 2."""
    try:
        if argv and argv[0] == "demo" and len(argv) == 1:
            print(DEMO)
            print("-" * 60)
            exec(compile(DEMO, "<teachgrad demo>", "exec"), {})
            return 0
        if argv and argv[0] == "draw":
            return draw(argv[1:])
        if argv and argv[0] in ("-h", "--help"):
            print(USAGE)
            return 0
        what = f"unknown command {argv[0]!r}" if argv and argv[0] != "demo" else \
            "demo takes no arguments" if argv else "no command given"
        raise CommandLineError(f"{what}. {USAGE}")
    except CommandLineError as error:
        print(f"teachgrad: error: {_one_line(error)}", file=sys.stderr)
        return 2
    except Exception as error:            # never a traceback: a one-line report instead
        print(f"teachgrad: error: {_one_line(f'{type(error).__name__}: {error}')}", file=sys.stderr)
        return 2


def watchdog(seconds: float) -> None:
    """End this process with a one-line message after ``seconds``, even inside a long numpy call.

    Only for the command run as a program: a thread cannot interrupt numpy's C code, but it can
    end the process.
    """
    def expire():
        sys.stderr.write(f"teachgrad: error: the command took more than {seconds:g} seconds, the limit "
                         "for a drawing (TEACHGRAD_DRAW_SECONDS); simplify the expression.\n")
        sys.stderr.flush()
        os._exit(2)
    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()


if __name__ == "__main__":
    try:
        limit = float(os.environ.get("TEACHGRAD_DRAW_SECONDS", MAX_COMMAND_SECONDS))
    except ValueError:
        limit = MAX_COMMAND_SECONDS
    watchdog(limit)
    sys.exit(main(sys.argv[1:]))
