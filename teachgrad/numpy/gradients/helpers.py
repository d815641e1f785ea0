"""Shared pieces of the gradient tables.

* shapes and kinds: ``shape_of``, ``ndim_of``, ``is_complex``;
* undoing broadcasting: ``unbroadcast`` (a gradient summed down to an
  argument's shape), ``unbroadcast_vjp`` (a vjp whose results are) and
  ``unbroadcast_to`` (the same for a rule registered with ``defgradient``);
* real or complex gradients: ``matching_complex``, ``real_like``;
* registering: ``defvjp_for``, ``defgradient_for`` and ``defjvp_for`` (the same
  makers or rules on several primitives), ``named`` (numpy 2's names),
  ``share_gradient`` (an alias's gradient);
* forward mode: ``defjvp_like_gradient`` (elementwise functions), ``broadcast_tangent``;
* reductions: ``reduced_axes``, ``expand_to``, ``broadcast_scalar``, ``count``;
* numpy's optional arguments and refusals: ``given``, ``flag``, ``refuse``.
"""
from __future__ import annotations

import numpy as onp

from .. import namespace as np
from ...errors import NoGradientError, explain
from ...extend import defgradient, defjvp, defvjp, defvjp_argnums
from ...graph import Node
from ...tracing import GradientRule


def shape_of(v):
    return getattr(v, "shape", ())


def ndim_of(v) -> int:
    return len(getattr(v, "shape", ()))


def is_complex(v) -> bool:
    t = type(v)
    if t is float or t is onp.float64:
        return False
    if t is complex:
        return True
    dtype = getattr(v, "dtype", None)
    return dtype is not None and dtype.kind == "c"


def unbroadcast(target, g):
    """Sum ``g`` down to the shape of ``target``, undoing broadcasting.

    A real ``target`` gets the real part of a complex ``g``.
    """
    target_shape = shape_of(target)
    g_shape = shape_of(g)
    if g_shape != target_shape:
        if len(g_shape) < len(target_shape):         # a scalar g for an array target
            g = np.broadcast_to(g, onp.broadcast_shapes(g_shape, target_shape))
            g_shape = shape_of(g)
        extra = len(g_shape) - len(target_shape)
        axes = tuple(range(extra)) + tuple(extra + i for i, n in enumerate(target_shape)
                                           if n == 1 and g_shape[extra + i] != 1)
        if axes:
            g = g.sum(axis=axes)            # the method: works on arrays and traced values
        g = g.reshape(target_shape)
    if is_complex(g) and not is_complex(target):
        g = np.real(g)
    return g


def unbroadcast_vjp(target, vjp, ans=None):
    """Wrap a vjp so that its result is unbroadcast to ``target``.

    Called inside a maker, where the output ``ans`` is known: when ``target``
    already has the output's shape (and is complex if it is), nothing needs
    summing and ``vjp`` is returned as it is.
    """
    if ans is not None and fits(target, ans):
        return vjp
    return lambda g: unbroadcast(target, vjp(g))


def unbroadcast_to(target, ans, g):
    """``g``, a gradient shaped like the output ``ans``, as a gradient for ``target``.

    The form of :func:`unbroadcast_vjp` for rules registered with ``defgradient``:
    ``g`` itself when ``target`` has the output's shape, else summed down to it.
    """
    kind = type(ans)
    if type(target) is kind and (kind is onp.float64 or kind is float or (
            kind is onp.ndarray and target.shape == ans.shape and ans.dtype.kind != "c")):
        return g            # the commonest cases of fits(), without calling it: this runs
        #                     once per node on every backward pass
    return g if fits(target, ans) else unbroadcast(target, g)


def fits(target, ans) -> bool:
    """Whether a gradient shaped like ``ans`` is already one for ``target``: the same
    shape, and complex only if ``target`` is (no summing, no real part to take)."""
    kind = type(ans)
    # The commonest cases first, decided by type alone (this runs once per node and
    # backward pass): a real scalar from scalars of its type, a real array from an
    # array of its shape. Anything else is decided by the general test below.
    if kind is onp.float64 or kind is float:
        if type(target) is kind:
            return True
    elif kind is onp.ndarray and type(target) is onp.ndarray:
        if target.shape == ans.shape and ans.dtype.kind != "c":
            return True
    return _same_space(target, ans)


def _same_space(target, ans) -> bool:
    """Whether a gradient shaped like ``ans`` is already one for ``target`` (no summing,
    no real part to take)."""
    return shape_of(target) == shape_of(ans) and (is_complex(target) or not is_complex(ans))


def matching_complex(x, g):
    """The gradient for ``x`` in x's own space: real for a real x, complex for a complex one."""
    if is_complex(x):
        return g if is_complex(g) else g + 0j
    return np.real(g) if is_complex(g) else g


def real_like(x, g):
    """The gradient for ``x``: real if ``x`` is real, complex if it is complex."""
    if is_complex(g) and not is_complex(x):
        return np.real(g)
    return matching_complex(x, g)


def _on_each(register_one):
    """``register_one(prim, *entries, **options)`` made to register on several primitives at
    once: ``defvjp_for(np.multiply, array_node.multiply)(maker_x, maker_y)``. A ``None``
    primitive stands for a name this numpy does not have (see :func:`named`) and is skipped."""
    def for_prims(*prims):
        def register(*entries, **options):
            for prim in prims:
                if prim is not None:
                    register_one(prim, *entries, **options)
        return register
    return for_prims


defvjp_for = _on_each(defvjp)              # the same makers on several primitives
defgradient_for = _on_each(defgradient)    # the same rules (defgradient) on several primitives
defjvp_for = _on_each(defjvp)              # the same forward-mode rules on several primitives


def quick_rule(rule, maker) -> GradientRule:
    """A gradient given both ways, to register with defvjp: ``rule(g, ans, *args)`` does
    the commonest cases of ``maker`` itself (no function of g made per node, as grad's
    one pass wants) and calls ``maker(ans, *args)(g)`` for the rest; passes repeated over
    one node (jacobian, hessian) use ``maker``, which decides its case once per node.
    The two must give the same numbers (tests/test_speed_paths.py checks them)."""
    return GradientRule(rule, maker)


def defjvp_like_gradient(*prims):
    """Forward mode for elementwise functions of one argument, from their gradient rule.

    Their Jacobian is diagonal, so the tangent is the same product as the
    gradient (``g`` times the local derivative): a rule of its own, faster than
    forward mode's general one derived from the gradient with a nested reverse pass.
    """
    for prim in prims:
        defjvp(prim, _tangent_from_gradient(prim))


def _tangent_from_gradient(prim):
    return lambda g, ans, *args, **kwargs: prim.chain_rule(g, [0], ans, args, kwargs)[0]


def broadcast_tangent(ans, t):
    """A tangent of a smaller, broadcast argument, spread to the output's shape."""
    return t if shape_of(t) == shape_of(ans) else np.broadcast_to(t, shape_of(ans))


def named(name: str):
    """np.<name>, or None when this numpy does not have it (numpy 2's names on numpy 1.x)."""
    return getattr(np, name, None)


def share_gradient(alias, original) -> None:
    """Give ``alias`` (another name numpy has for the same function) ``original``'s gradient.

    numpy 2 added array-API names (acos, pow, permute_dims, ...) that are the
    very same functions as the old ones; teachgrad wraps each name separately.
    ``None`` (a name this numpy does not have) is skipped.
    """
    if alias is None:
        return
    defvjp_argnums(alias, lambda argnums, ans, args, kwargs:
                   lambda g: original.chain_rule(g, argnums, ans, args, kwargs))
    alias.formulas.update(original.formulas)


def reduced_axes(x, axis):
    ndim = len(shape_of(x))
    if axis is None:
        return tuple(range(ndim))
    axes = axis if isinstance(axis, (tuple, list)) else (axis,)
    return tuple(a % ndim if ndim else 0 for a in axes)


def expand_to(g, x, axis, keepdims):
    """Broadcast the gradient of a reduction back to the shape of its input."""
    shape = shape_of(x)
    if axis is None and not isinstance(g, Node) and shape_of(g) in ((), (1,) * len(shape)):
        return broadcast_scalar(g, shape)
    if not keepdims:
        axes = reduced_axes(x, axis)
        g = np.reshape(g, tuple(1 if i in axes else n for i, n in enumerate(shape)))
    return np.broadcast_to(g, shape)


def broadcast_scalar(g, shape):
    """A read-only array of ``shape`` whose every entry is the number ``g``.

    The same as numpy.broadcast_to(g, shape) (a view, no copy), ten times
    faster: reductions over everything are the most common last step.
    """
    g = onp.asarray(g).reshape(())
    view = onp.ndarray(shape, g.dtype, g, 0, (0,) * len(shape))
    view.flags.writeable = False
    return view


def count(x, axis):
    shape = shape_of(x)
    n = 1
    for a in reduced_axes(x, axis):
        n *= shape[a]
    return n


def given(value) -> bool:
    """Whether an optional numpy argument was passed (numpy marks 'not passed' by _NoValue)."""
    return value is not None and value is not onp._NoValue


def flag(value) -> bool:
    """A boolean option (keepdims=) as given, False when it was not passed."""
    return bool(value) if given(value) else False


def refuse(function: str, option: str, instead: str = "compute without that option, "
           "or with np.where / indexing first") -> NoGradientError:
    """The error for an option of np.<function> that has no gradient registered."""
    return NoGradientError(explain(
        f"np.{function} with {option} has no gradient in teachgrad.",
        "only the common options of this function have a gradient registered.",
        instead))
