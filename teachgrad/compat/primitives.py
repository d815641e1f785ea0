"""Primitives that also accept autograd 1.0-1.1's way of giving them a gradient.

In 2016 a gradient was attached with a method of the primitive::

    @primitive
    def cube(x):
        return x ** 3
    cube.defgrad(lambda ans, x: lambda g: g * 3 * x ** 2)          # autograd 1.0
    cube.defvjp(lambda g, ans, vs, gvs, x: g * 3 * x ** 2)          # autograd 1.1.8

:class:`OldPrimitive` is teachgrad's :class:`~teachgrad.tracing.Primitive`
with those methods; each translates into today's ``defvjp`` (one maker per
argument), so the engine, the drawing and the checker see one kind of
primitive. The first use of each method prints one line saying how it is
written today.
"""
from __future__ import annotations

import functools
from typing import Callable, Iterable

from ..extend import defvjp
from ..tracing import Primitive, notrace_primitive
from .notes import note
from ..vspaces import vspace

__all__ = ["OldPrimitive", "primitive", "primitive_with_aux", "nograd_primitive", "primitive_vjps"]

_TODAY = "defvjp(f, lambda ans, x: lambda g: ...)"


class OldPrimitive(Primitive):
    """A primitive with autograd 1.0-1.1's registration methods as well.

    >>> import warnings; warnings.simplefilter("ignore")
    >>> from teachgrad import grad
    >>> square = OldPrimitive(lambda x: x * x, "square")
    >>> square.defgrad(lambda ans, x: lambda g: 2 * x * g)
    >>> float(grad(square)(3.0))
    6.0
    """

    def defgrad(self, gradmaker: Callable, argnum: int = 0) -> None:
        """autograd 1.0: ``gradmaker(ans, *args)`` returns ``g -> g times d f / d args[argnum]``."""
        note("f.defgrad(...)", "autograd 1.0's way of registering a gradient", _TODAY)
        defvjp(self, gradmaker, argnums=[argnum])

    def defgrads(self, gradmaker: Callable, argnums: Iterable[int]) -> None:
        """autograd 1.0: one ``gradmaker(argnum, ans, *args)`` for several arguments."""
        note("f.defgrads(...)", "autograd 1.0's way of registering gradients for several arguments",
             "defvjp(f, maker_0, maker_1, ...)")
        for argnum in argnums:
            defvjp(self, functools.partial(gradmaker, argnum), argnums=[argnum])

    def defgrad_is_zero(self, argnums: Iterable[int] = (0,)) -> None:
        """autograd 1.0: the output does not change with these arguments."""
        note("f.defgrad_is_zero(...)", "autograd 1.0's way of saying a gradient is zero",
             "defvjp(f, None, ...)  # None for each such argument")
        argnums = list(argnums)
        defvjp(self, *[None] * len(argnums), argnums=argnums)

    def defvjp(self, vjp: Callable, argnum: int = 0) -> None:
        """autograd 1.1.8: ``vjp(g, ans, vs, gvs, *args)`` returns the gradient for ``args[argnum]``.

        ``vs`` is the vector space of that argument and ``gvs`` the space of ``g``.
        """
        note("f.defvjp(vjp, argnum)", "autograd 1.1's way of registering a gradient", _TODAY)

        def maker(ans, *args, **kwargs):
            return lambda g: vjp(g, ans, vspace(args[argnum]), vspace(g), *args, **kwargs)
        defvjp(self, maker, argnums=[argnum])

    def defvjps(self, vjp: Callable, argnums: Iterable[int]) -> None:
        """autograd 1.1.8: one ``vjp(argnum, g, ans, vs, gvs, *args)`` for several arguments."""
        note("f.defvjps(...)", "autograd 1.1's way of registering gradients for several arguments",
             "defvjp(f, maker_0, maker_1, ...)")
        for argnum in argnums:
            self.defvjp(functools.partial(vjp, argnum), argnum)

    def defvjp_is_zero(self, argnums: Iterable[int] = (0,)) -> None:
        """autograd 1.1.8: the output does not change with these arguments."""
        note("f.defvjp_is_zero(...)", "autograd 1.1's way of saying a gradient is zero",
             "defvjp(f, None, ...)  # None for each such argument")
        argnums = list(argnums)
        defvjp(self, *[None] * len(argnums), argnums=argnums)


class _PrimitiveMaker(type):
    """``primitive(f)`` makes a primitive; ``isinstance(g, primitive)`` asks if g is one (as in 1.1)."""

    def __instancecheck__(cls, x) -> bool:
        return isinstance(x, Primitive)

    def __subclasscheck__(cls, other) -> bool:
        return issubclass(other, Primitive)

    def __call__(cls, fun: Callable) -> Primitive:
        if isinstance(fun, OldPrimitive):
            return fun
        if isinstance(fun, Primitive):
            # already a primitive (np.sin): the old methods, sharing its gradient table
            old = OldPrimitive.__new__(OldPrimitive)
            old.__dict__.update(fun.__dict__)
            return old
        return OldPrimitive(fun)


class primitive(metaclass=_PrimitiveMaker):
    """``autograd.core.primitive``: a primitive that also has 2016's methods (``defgrad``, ...).

    In autograd 1.1 ``primitive`` was a class, so ``isinstance(f, primitive)``
    asks whether ``f`` is a primitive; that works here too.

    >>> import warnings; warnings.simplefilter("ignore")
    >>> from teachgrad import grad
    >>> import teachgrad.numpy as np
    >>> @primitive
    ... def cube(x):
    ...     return x ** 3
    >>> cube.defgrad(lambda ans, x: lambda g: g * 3 * x ** 2)
    >>> float(grad(cube)(2.0)), isinstance(cube, primitive), isinstance(np.sin, primitive)
    (12.0, True, True)
    """


class OldPrimitiveWithAux(OldPrimitive):
    """autograd 1.0's ``primitive_with_aux``: ``fun`` returns ``(result, aux)``; callers get
    ``result``, and gradient makers are called as ``maker(aux, ans, *args)``.

    The aux value is recomputed when the gradient is needed, so the recorded
    node holds only the result (as a plain primitive's does).
    """

    def __init__(self, fun: Callable):
        self.with_aux = fun
        super().__init__(functools.wraps(fun)(lambda *args, **kwargs: fun(*args, **kwargs)[0]))

    def defgrad(self, gradmaker: Callable, argnum: int = 0) -> None:
        note("primitive_with_aux", "autograd 1.0's primitive whose gradient sees extra values",
             "a primitive returning a tuple, or defvjp with the values recomputed in the maker")
        with_aux = self.with_aux

        def maker(ans, *args, **kwargs):
            return gradmaker(with_aux(*args, **kwargs)[1], ans, *args, **kwargs)
        defvjp(self, maker, argnums=[argnum])


def primitive_with_aux(fun: Callable) -> OldPrimitiveWithAux:
    """autograd 1.0: a primitive whose function returns ``(result, aux)`` (see OldPrimitiveWithAux).

    >>> import warnings; warnings.simplefilter("ignore")
    >>> from teachgrad import grad
    >>> @primitive_with_aux
    ... def square(x):
    ...     return x * x, 2 * x          # aux: the derivative, kept for the gradient
    >>> square.defgrad(lambda aux, ans, x: lambda g: g * aux)
    >>> float(square(3.0)), float(grad(square)(3.0))
    (9.0, 6.0)
    """
    return OldPrimitiveWithAux(fun)


def nograd_primitive(fun: Callable) -> Callable:
    """autograd 1.1.8: a function whose result is never traced (today: ``notrace_primitive``)."""
    note("nograd_primitive", "autograd 1.1's name for an untraced function", "notrace_primitive")
    return notrace_primitive(fun)


class _PrimitiveVjps:
    """``autograd.core.primitive_vjps``: each primitive's gradient, as autograd's nodes call it.

    ``primitive_vjps[f](argnums, ans, args, kwargs)`` returns ``g -> gradients``,
    one per entry of ``argnums`` (what autograd's ``VJPNode`` calls); ``pop(f)``
    removes ``f``'s gradient and ``primitive_vjps[f] = that`` puts it back, or
    installs any maker of that form.
    """

    def __contains__(self, fun) -> bool:
        return isinstance(fun, Primitive) and fun.has_gradient()

    def __getitem__(self, fun) -> Callable:
        if fun not in self:
            raise KeyError(fun)
        saved = (dict(fun.vjp_makers), fun.vjp_argnums_maker)
        by_argnum, together = saved

        def vjp_argnums(argnums, ans, args, kwargs):
            if together is not None:
                return together(list(argnums), ans, args, kwargs)
            missing = [i for i in argnums if i not in by_argnum]
            if missing:
                raise NotImplementedError(f"VJP of {fun.name} wrt argnums {tuple(missing)} not defined")
            vjps = [by_argnum[i](ans, *args, **kwargs) for i in argnums]
            return lambda g: tuple(vjp(g) for vjp in vjps)
        vjp_argnums.saved = saved
        return vjp_argnums

    def __setitem__(self, fun, maker: Callable) -> None:
        saved = getattr(maker, "saved", None)
        if saved is not None:                         # put back what pop() took
            fun.vjp_makers, fun.vjp_argnums_maker = dict(saved[0]), saved[1]
        else:
            fun.vjp_makers, fun.vjp_argnums_maker = {}, maker

    def pop(self, fun, *default):
        if fun not in self:
            if default:
                return default[0]
            raise KeyError(fun)
        maker = self[fun]
        fun.vjp_makers, fun.vjp_argnums_maker = {}, None
        return maker

    def get(self, fun, default=None):
        return self[fun] if fun in self else default


primitive_vjps = _PrimitiveVjps()
