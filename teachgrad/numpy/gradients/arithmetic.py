"""Gradients of the arithmetic operators and their numpy functions."""
from __future__ import annotations

import numpy as onp

import teachgrad.numpy as np
from ...graph import Node
from ...tracing import unwrap
from .. import boxes
from .helpers import (both, is_complex, to)


both(np.add, boxes.add)(
    lambda ans, x, y: to(x, lambda g: g, ans),
    lambda ans, x, y: to(y, lambda g: g, ans), formulas=("1", "1"))
both(np.subtract, boxes.subtract)(
    lambda ans, x, y: to(x, lambda g: g, ans),
    lambda ans, x, y: to(y, lambda g: -g, ans), formulas=("1", "-1"))
both(np.multiply, boxes.multiply)(
    lambda ans, x, y: to(x, lambda g: y * g, ans),
    lambda ans, x, y: to(y, lambda g: x * g, ans), formulas=("{1}", "{0}"))
both(np.divide, np.true_divide, boxes.true_divide)(
    lambda ans, x, y: to(x, lambda g: g / y, ans),
    lambda ans, x, y: to(y, lambda g: -g * x / y ** 2, ans), formulas=("1/{1}", "-{0}/{1}²"))


def power_vjp_x(ans, x, y):
    if not isinstance(y, (Node, onp.ndarray)):       # a constant exponent: x ** 2, x ** 0.5
        if y == 0:
            return lambda g: g * 0.0 * x
        if y == 1:
            return to(x, lambda g: g, ans)
        if y == 2:
            return to(x, lambda g: g * (2.0 * x), ans)        # the common square, without a power
        return to(x, lambda g: g * (y * x ** (y - 1)), ans)
    if onp.any(unwrap(x) == 0):
        # 0 ** (0 - 1) is inf and 0 * inf is nan: where y == 0 use x ** 1 (any finite value will do).
        return to(x, lambda g: g * y * x ** np.where(y, y - 1, 1.0), ans)
    return to(x, lambda g: g * y * x ** (y - 1), ans)     # keeps d/dy of this exact, even at y == 0


both(np.power, boxes.power)(
    power_vjp_x,
    lambda ans, x, y: to(y, lambda g: g * np.log(np.where(x, x, 1.0)) * ans, ans),
    formulas=("{1}·{0}^({1}-1)", "log({0})·{0}^{1}"))
both(np.negative, boxes.negative)(lambda ans, x: lambda g: -g, formulas=("-1",))
both(np.floor_divide, boxes.floor_divide)(None, None)
both(np.mod, np.remainder, boxes.mod)(
    lambda ans, x, y: to(x, lambda g: g, ans),
    lambda ans, x, y: to(y, lambda g: -g * np.floor_divide(x, y), ans))
both(np.sign)(None)


def abs_vjp(ans, x):
    if is_complex(x):
        return lambda g: g * np.conj(x) / np.where(ans == 0, 1.0, ans)
    return lambda g: g * np.sign(x)


both(np.absolute, np.abs, np.fabs, boxes.absolute)(abs_vjp, formulas=("sign({0})",))
