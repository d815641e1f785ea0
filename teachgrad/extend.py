"""Adding your own differentiable functions: ``primitive`` and ``defvjp``.

A primitive is recorded as one node of the graph; its gradient is given by
one *maker* per argument. A maker receives the primitive's output ``ans`` and
its arguments, and returns a function from the upstream gradient ``g`` to the
gradient for that argument (a vector-Jacobian product)::

    from teachgrad.extend import primitive, defvjp
    import teachgrad.numpy as np

    @primitive
    def softplus(x):
        return np.logaddexp(0.0, x)        # stable for large x

    defvjp(softplus, lambda ans, x: lambda g: g / (1.0 + np.exp(-x)))

The same gradient can be given as one function of ``g`` (a *rule*, quicker in the
backward pass as no function is made per node)::

    defgradient(softplus, lambda g, ans, x: g / (1.0 + np.exp(-x)))

Write makers and rules with ``teachgrad.numpy`` so that the gradient can itself be
differentiated (``grad(grad(softplus))``). Each registration form is turned, when it
is registered, into the primitive's one entry point :meth:`Primitive.chain_rule`.

``Box``, ``VSpace``, ``vspace`` and ``SparseObject`` are autograd's extension types
(:mod:`teachgrad.box`, :mod:`teachgrad.vspaces`), for code written against
``autograd.extend``.
"""
from __future__ import annotations

from typing import Callable

import numpy

from .box import Box
from .errors import explain
from .graph import Node
from .tracing import GradientRule, Primitive, notrace_primitive, unwrap
from .vspaces import SparseObject, VSpace, vspace

__all__ = ["primitive", "notrace_primitive", "defvjp", "defgradient", "defvjp_argnum", "defvjp_argnums",
           "defjvp", "defjvp_argnum", "defjvp_argnums", "def_linear", "Primitive", "Node", "Box",
           "VSpace", "vspace", "SparseObject", "register_notrace"]


def register_notrace(trace_type, primitive_fun) -> None:
    """autograd's hook for marking a primitive untraced under one trace type.

    teachgrad has one kind of trace; use :func:`notrace_primitive` instead.
    """
    raise NotImplementedError(
        "register_notrace is autograd-internal: teachgrad has one kind of trace. "
        "Wrap the function with teachgrad.extend.notrace_primitive instead.")


def primitive(fun: Callable) -> Primitive:
    """Make ``fun`` a primitive: recorded as one node, differentiated by its defvjp.

    >>> @primitive
    ... def cube(x):
    ...     return x ** 3
    >>> defvjp(cube, lambda ans, x: lambda g: g * 3 * x ** 2)
    >>> from teachgrad import grad
    >>> float(grad(cube)(2.0))
    12.0
    """
    return fun if isinstance(fun, Primitive) else Primitive(fun)


def defvjp(fun: Primitive, *makers: Callable | None, argnums=None,
           formulas: tuple[str | None, ...] | None = None) -> None:
    """Register the gradient makers of a primitive, one per argument.

    ``makers[i]`` is ``lambda ans, *args, **kwargs: lambda g: ...`` for
    argument ``argnums[i]`` (by default ``i``); ``None`` means that argument
    has zero gradient. ``formulas`` optionally gives, per argument, a short
    human-readable local derivative (``"1 - tanh(x)**2"``) that drawings and
    the stepper show beside the numbers.
    """
    _check_primitive(fun, "defvjp")
    if any(_first_parameter(maker) == "g" for maker in makers):
        raise TypeError(_swapped_forms_message(fun, "defvjp", "a rule of g"))
    argnums = range(len(makers)) if argnums is None else argnums
    for i, (argnum, maker) in enumerate(zip(argnums, makers)):
        fun.vjp_makers[argnum] = _zero_maker(argnum) if maker is None else maker
        if formulas and i < len(formulas) and formulas[i]:
            fun.formulas[argnum] = formulas[i]


def defgradient(fun: Primitive, *rules: Callable | None, argnums=None,
                formulas: tuple[str | None, ...] | None = None) -> None:
    """Register a primitive's gradient as one function per argument, of ``g`` directly.

    ``rules[i]`` is ``lambda g, ans, *args, **kwargs: ...``, the gradient for argument
    ``argnums[i]`` (by default ``i``): the upstream gradient ``g`` times the local
    derivative d ans / d that argument. It means what the maker
    ``lambda ans, *args, **kwargs: lambda g: ...`` of :func:`defvjp` means, and is
    quicker in the backward pass (no function made per node). Prefer :func:`defvjp`
    when the maker does work worth doing once per node (a matrix inverse that
    ``jacobian``'s many passes reuse). ``None`` and ``formulas`` as in :func:`defvjp`.

    >>> @primitive
    ... def cube(x):
    ...     return x ** 3
    >>> defgradient(cube, lambda g, ans, x: g * 3 * x ** 2)
    >>> from teachgrad import grad
    >>> float(grad(cube)(2.0))
    12.0
    """
    _check_primitive(fun, "defgradient")
    if any(_first_parameter(rule) == "ans" for rule in rules):
        raise TypeError(_swapped_forms_message(fun, "defgradient", "a maker"))
    defvjp(fun, *[None if rule is None else GradientRule(rule) for rule in rules],
           argnums=argnums, formulas=formulas)


def defvjp_argnum(fun: Primitive, maker: Callable) -> None:
    """Register one maker for every argument: ``maker(argnum, ans, args, kwargs)``.

    It returns the function from the upstream gradient to argument ``argnum``'s gradient.
    """
    _check_primitive(fun, "defvjp_argnum")

    def all_args(argnums, ans, args, kwargs):
        vjps = [maker(argnum, ans, args, kwargs) for argnum in argnums]
        return lambda g: [vjp(g) for vjp in vjps]
    fun.vjp_argnums_maker = all_args


def defvjp_argnums(fun: Primitive, maker: Callable) -> None:
    """Register a maker for several arguments at once: ``maker(argnums, ans, args, kwargs)``.

    It returns a function from the upstream gradient to a sequence of
    gradients, one per entry of ``argnums``.
    """
    _check_primitive(fun, "defvjp_argnums")
    fun.vjp_argnums_maker = maker


def _first_parameter(function) -> str | None:
    """The name of a Python function's first parameter (None for anything else)."""
    code = getattr(function, "__code__", None)
    return code.co_varnames[0] if code is not None and code.co_argcount else None


def _swapped_forms_message(fun: Primitive, registered_with: str, looks_like: str) -> str:
    name = getattr(fun, "qualified_name", fun.name)
    return explain(
        f"{registered_with}({name}, ...) was given {looks_like}: its first parameter is "
        f"called {'g' if registered_with == 'defvjp' else 'ans'}.",
        "defvjp takes makers, lambda ans, x: lambda g: ..., which return a function of "
        "the upstream gradient g; defgradient takes rules, lambda g, ans, x: ..., which "
        "return the gradient itself. Mixed up, the gradient would be a function, or the "
        "call would fail with a confusing error.",
        f"write defvjp({name}, lambda ans, x: lambda g: g * ...) or "
        f"defgradient({name}, lambda g, ans, x: g * ...).")


def _zero_maker(argnum: int) -> Callable:
    def maker(ans, *args, **kwargs):
        plain = unwrap(args[argnum])
        return lambda g: numpy.zeros_like(plain) if numpy.ndim(plain) else 0.0 * plain
    return maker


def _check_primitive(fun, what: str) -> None:
    if not isinstance(fun, Primitive):
        raise TypeError(
            f"{what} needs a primitive, but got {fun!r}.\n"
            "Why: gradients are attached to functions made with teachgrad.extend.primitive.\n"
            "Instead: decorate the function with @primitive first, then call "
            f"{what}(that_function, ...).")


# --------------------------------------------------------------------------
# Forward mode: tangent rules (used by make_jvp and deriv)
# --------------------------------------------------------------------------

def defjvp(fun: Primitive, *makers: Callable | None, argnums=None) -> None:
    """Register forward-mode rules, one per argument: ``lambda g, ans, *args, **kwargs: ...``.

    ``g`` is the tangent of that argument; the rule returns the tangent it
    causes in the output (the Jacobian times ``g``). ``None`` means zero.
    Without a rule, forward mode derives one from the primitive's defvjp.
    """
    _check_primitive(fun, "defjvp")
    argnums = range(len(makers)) if argnums is None else argnums
    for argnum, maker in zip(argnums, makers):
        fun.jvp_makers[argnum] = (lambda g, ans, *args, **kwargs: 0.0 * ans) if maker is None else maker


def defjvp_argnum(fun: Primitive, maker: Callable) -> None:
    """One forward-mode rule for every argument: ``maker(argnum, g, ans, args, kwargs)``."""
    _check_primitive(fun, "defjvp_argnum")
    fun.jvp_argnum_maker = maker


def defjvp_argnums(fun: Primitive, maker: Callable) -> None:
    """A rule for several arguments at once: ``maker(argnums, gs, ans, args, kwargs)`` returns the summed tangent."""
    _check_primitive(fun, "defjvp_argnums")
    fun.jvp_argnum_maker = lambda argnum, g, ans, args, kwargs: maker([argnum], [g], ans, args, kwargs)


def def_linear(fun: Primitive) -> None:
    """Declare ``fun`` linear in each argument separately (like ``x * y`` or ``A @ x``).

    The tangent for argument i is ``fun`` with argument i replaced by its tangent.
    """
    defjvp_argnum(fun, lambda argnum, g, ans, args, kwargs:
                  fun(*args[:argnum], g, *args[argnum + 1:], **kwargs))
