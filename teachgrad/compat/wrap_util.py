"""autograd's ``wrap_util``: make an operator on one-argument functions work on any argument."""
from __future__ import annotations

from typing import Callable

from .tracer import subvals

__all__ = ["unary_to_nary", "wraps", "wrap_nary_f", "get_name", "get_doc"]


def get_name(f) -> str:
    return getattr(f, "__name__", "[unknown name]")


def get_doc(f) -> str:
    return getattr(f, "__doc__", "") or ""


def wraps(fun: Callable, namestr: str = "{fun}", docstr: str = "{doc}", **kwargs) -> Callable:
    """A decorator giving the decorated function a name and docstring made from ``fun``'s."""
    def decorate(f):
        try:
            f.__name__ = namestr.format(fun=get_name(fun), **kwargs)
            f.__doc__ = docstr.format(fun=get_name(fun), doc=get_doc(fun), **kwargs)
        except Exception:      # builtins and partials may refuse new names: keep theirs
            pass
        return f
    return decorate


def wrap_nary_f(fun: Callable, op: Callable, argnum) -> Callable:
    return wraps(fun, "{op}_of_{fun}_wrt_argnum_{argnum}",
                 "{op} of {fun} with respect to argument number {argnum}.",
                 op=get_name(op), argnum=argnum)


def unary_to_nary(unary_operator: Callable) -> Callable:
    """Turn ``op(f, x, ...)`` into ``op(f, argnum=0, ...)(*args, **kwargs)``.

    >>> from teachgrad.compat.tracer import make_vjp
    >>> @unary_to_nary
    ... def grad(fun, x):
    ...     vjp, _ = make_vjp(fun, x)
    ...     return vjp(1.0)
    >>> float(grad(lambda x, y: x * y, 1)(3.0, 2.0))
    3.0
    """
    @wraps(unary_operator)
    def nary_operator(fun, argnum=0, *op_args, **op_kwargs):
        if type(argnum) not in (int, tuple, list):
            raise TypeError(f"argnum must be an int or a tuple of ints, not {argnum!r}")

        @wrap_nary_f(fun, unary_operator, argnum)
        def nary_f(*args, **kwargs):
            @wraps(fun)
            def unary_f(x):
                pairs = [(argnum, x)] if isinstance(argnum, int) else zip(argnum, x)
                return fun(*subvals(args, pairs), **kwargs)
            x = args[argnum] if isinstance(argnum, int) else tuple(args[i] for i in argnum)
            return unary_operator(unary_f, x, *op_args, **op_kwargs)
        return nary_f
    return nary_operator
