"""Gradients of the arithmetic operators and their numpy functions (``x + y`` and ``np.add``).

Each operator's gradient (defgradient, or defvjp) is followed by its forward-mode tangent rule
(defjvp): ``g`` there is the tangent of one argument, and the rule returns
the tangent it causes in the output.
"""
from __future__ import annotations

import numpy as onp

from ...extend import def_linear
from ...graph import Node
from ...tracing import unwrap
from .. import array_node
from .. import namespace as np
from .helpers import (broadcast_tangent, defgradient_for, defjvp_for, defjvp_like_gradient,
                      defvjp_for, is_complex, quick_rule, unbroadcast_to, unbroadcast_vjp)

defgradient_for(np.add, array_node.add)(
    lambda g, ans, x, y: unbroadcast_to(x, ans, g),
    lambda g, ans, x, y: unbroadcast_to(y, ans, g), formulas=("1", "1"))
defjvp_for(np.add, array_node.add)(lambda g, ans, x, y: broadcast_tangent(ans, g),
                                   lambda g, ans, x, y: broadcast_tangent(ans, g))

defgradient_for(np.subtract, array_node.subtract)(
    lambda g, ans, x, y: unbroadcast_to(x, ans, g),
    lambda g, ans, x, y: unbroadcast_to(y, ans, -g), formulas=("1", "-1"))
defjvp_for(np.subtract, array_node.subtract)(lambda g, ans, x, y: broadcast_tangent(ans, g),
                                             lambda g, ans, x, y: broadcast_tangent(ans, -g))

defgradient_for(np.multiply, array_node.multiply)(
    lambda g, ans, x, y: unbroadcast_to(x, ans, y * g),
    lambda g, ans, x, y: unbroadcast_to(y, ans, x * g), formulas=("{1}", "{0}"))
def_linear(np.multiply)
def_linear(array_node.multiply)

defgradient_for(np.divide, np.true_divide, array_node.true_divide)(
    lambda g, ans, x, y: unbroadcast_to(x, ans, g / y),
    lambda g, ans, x, y: unbroadcast_to(y, ans, -g * x / y ** 2), formulas=("1/{1}", "-{0}/{1}²"))
defjvp_for(np.divide, np.true_divide, array_node.true_divide)(
    lambda g, ans, x, y: broadcast_tangent(ans, g / y),
    lambda g, ans, x, y: broadcast_tangent(ans, -g * x / y ** 2))


def power_vjp_x(ans, x, y):
    if not isinstance(y, (Node, onp.ndarray)):       # a constant exponent: x ** 2, x ** 0.5
        if y == 0:
            return lambda g: g * 0.0 * x
        if y == 1:
            return unbroadcast_vjp(x, lambda g: g, ans)
        if y == 2:
            return unbroadcast_vjp(x, lambda g: g * (2.0 * x), ans)        # the common square, without a power
        return unbroadcast_vjp(x, lambda g: g * (y * x ** (y - 1)), ans)
    if onp.any(unwrap(x) == 0):
        # 0 ** (0 - 1) is inf and 0 * inf is nan: where y == 0 use x ** 1 (any finite value will do).
        return unbroadcast_vjp(x, lambda g: g * y * x ** np.where(y, y - 1, 1.0), ans)
    return unbroadcast_vjp(x, lambda g: g * y * x ** (y - 1), ans)     # keeps d/dy of this exact, even at y == 0


def power_jvp_x(g, ans, x, y):
    """The same cases as the gradient, so 0 ** y is not nan."""
    if not isinstance(y, (Node, onp.ndarray)):       # a constant exponent
        if y == 0:
            return broadcast_tangent(ans, g * 0.0 * x)
        if y == 1:
            return broadcast_tangent(ans, g)
        return broadcast_tangent(ans, g * (y * x ** (y - 1)))
    if onp.any(unwrap(x) == 0):                     # 0 ** (0 - 1) is inf: use any finite power
        return broadcast_tangent(ans, g * y * x ** np.where(y, y - 1, 1.0))
    return broadcast_tangent(ans, g * y * x ** (y - 1))


def log_of_base(x, ans):
    """log(x) for d(x**y)/dy (1 where x is 0, whose term is 0 anyway); complex when the
    power is (a negative real x with a complex y: numpy's result is complex too)."""
    base = np.where(x, x, 1.0)
    return np.log(base + 0j) if is_complex(ans) and not is_complex(x) else np.log(base)


def power_gradient_x(g, ans, x, y):
    """power_vjp_x's gradient, with the commonest case first: a constant Python exponent
    other than 0 and 1 (x ** 2, x ** 0.5), with no maker per node."""
    kind = type(y)
    if (kind is int or kind is float) and y != 0 and y != 1:
        if y == 2:
            return unbroadcast_to(x, ans, g * (2.0 * x))
        return unbroadcast_to(x, ans, g * (y * x ** (y - 1)))
    return power_vjp_x(ans, x, y)(g)


defvjp_for(np.power, array_node.power)(
    quick_rule(power_gradient_x, power_vjp_x),
    lambda ans, x, y: unbroadcast_vjp(y, lambda g: g * log_of_base(x, ans) * ans, ans),
    formulas=("{1}·{0}^({1}-1)", "log({0})·{0}^{1}"))
defjvp_for(np.power, array_node.power)(
    power_jvp_x, lambda g, ans, x, y: broadcast_tangent(ans, g * log_of_base(x, ans) * ans))

defgradient_for(np.negative, array_node.negative)(lambda g, ans, x: -g, formulas=("-1",))
defjvp_like_gradient(np.negative, array_node.negative)
defvjp_for(np.floor_divide, array_node.floor_divide)(None, None)
defgradient_for(np.mod, np.remainder, array_node.mod)(
    lambda g, ans, x, y: unbroadcast_to(x, ans, g),
    lambda g, ans, x, y: unbroadcast_to(y, ans, -g * np.floor_divide(x, y)))
# numpy >= 2: the sign of a complex z is z / |z|, smooth away from 0 (of a real x, and of a
# complex z on numpy 1.x, it is piecewise constant: no gradient to carry).
COMPLEX_SIGN_IS_SMOOTH = onp.sign(1j) == 1j


def sign_vjp(ans, x):
    if not (is_complex(x) and COMPLEX_SIGN_IS_SMOOTH):
        return lambda g: 0.0 * g
    r = np.abs(x)
    safe = np.where(r == 0, 1.0, r)
    # d(z/r) = dz/r - z Re(conj(z) dz)/r³; moved across Re(sum(g * dy)):
    return lambda g: np.where(r == 0, 0.0, g / safe - np.real(g * x) * np.conj(x) / safe ** 3)


def sign_jvp(g, ans, x):
    if not (is_complex(x) and COMPLEX_SIGN_IS_SMOOTH):
        return 0.0 * ans
    r = np.abs(x)
    safe = np.where(r == 0, 1.0, r)            # d(z/r) = dz/r - z Re(conj(z) dz)/r³
    return np.where(r == 0, 0.0, g / safe - x * np.real(np.conj(x) * g) / safe ** 3)


defvjp_for(np.sign)(sign_vjp)
defjvp_for(np.sign)(sign_jvp)


def abs_vjp(ans, x):
    if is_complex(x):
        return lambda g: g * np.conj(x) / np.where(ans == 0, 1.0, ans)
    return lambda g: g * np.sign(x)


def abs_jvp(g, ans, x):
    if is_complex(x):                  # d|z| = Re(conj(z) dz) / |z|
        return np.real(np.conj(x) * g) / np.where(ans == 0, 1.0, ans)
    return g * np.sign(x)


defvjp_for(np.absolute, np.abs, np.fabs, array_node.absolute)(abs_vjp, formulas=("sign({0})",))
defjvp_for(np.absolute, np.abs, np.fabs, array_node.absolute)(abs_jvp)
