"""Gradients of elementwise functions: exp, log, trigonometry, maximum, where, clip."""
from __future__ import annotations

import numpy as onp

import teachgrad.numpy as np
from ...extend import defvjp
from ...tracing import unwrap
from .helpers import (both, matching_complex,
                      to)


defvjp(np.exp, lambda ans, x: lambda g: g * ans, formulas=("exp({0})",))
defvjp(np.log, lambda ans, x: lambda g: g / x, formulas=("1/{0}",))
defvjp(np.log1p, lambda ans, x: lambda g: g / (x + 1.0), formulas=("1/(1+{0})",))
defvjp(np.expm1, lambda ans, x: lambda g: g * (ans + 1.0), formulas=("exp({0})",))
defvjp(np.sin, lambda ans, x: lambda g: g * np.cos(x), formulas=("cos({0})",))
defvjp(np.cos, lambda ans, x: lambda g: -g * np.sin(x), formulas=("-sin({0})",))
defvjp(np.tan, lambda ans, x: lambda g: g / np.cos(x) ** 2, formulas=("1/cos²({0})",))
defvjp(np.tanh, lambda ans, x: lambda g: g * (1.0 - ans ** 2), formulas=("1 - tanh²({0})",))
defvjp(np.sinh, lambda ans, x: lambda g: g * np.cosh(x), formulas=("cosh({0})",))
defvjp(np.cosh, lambda ans, x: lambda g: g * np.sinh(x), formulas=("sinh({0})",))
defvjp(np.arctan, lambda ans, x: lambda g: g / (1.0 + x ** 2), formulas=("1/(1+{0}²)",))
defvjp(np.sqrt, lambda ans, x: lambda g: g * 0.5 / ans, formulas=("1/(2·sqrt({0}))",))
defvjp(np.square, lambda ans, x: lambda g: g * 2.0 * x, formulas=("2·{0}",))
defvjp(np.reciprocal, lambda ans, x: lambda g: -g * ans ** 2, formulas=("-1/{0}²",))
defvjp(np.real, lambda ans, x: lambda g: matching_complex(x, np.real(g)))
defvjp(np.imag, lambda ans, x: lambda g: matching_complex(x, -1j * g))
defvjp(np.conj, lambda ans, x: lambda g: np.conj(g))
defvjp(np.conjugate, lambda ans, x: lambda g: np.conj(g))


def split_ties(x, y, ans):
    """d max(x, y) / dx: 1 where x won, 1/2 where they tie (as autograd splits it)."""
    return np.where(x == y, 0.5, np.where(x == ans, 1.0, 0.0))


both(np.maximum, np.fmax)(
    lambda ans, x, y: to(x, lambda g: g * split_ties(x, y, ans), ans),
    lambda ans, x, y: to(y, lambda g: g * split_ties(y, x, ans), ans))
both(np.minimum, np.fmin)(
    lambda ans, x, y: to(x, lambda g: g * split_ties(x, y, ans), ans),
    lambda ans, x, y: to(y, lambda g: g * split_ties(y, x, ans), ans))
defvjp(np.where, None,
       lambda ans, c, x=None, y=None: to(x, lambda g: np.where(c, g, 0.0)),
       lambda ans, c, x=None, y=None: to(y, lambda g: np.where(c, 0.0, g)))


def clip_vjp(argnum):
    def maker(ans, a, a_min=None, a_max=None, **kwargs):
        target = (a, a_min, a_max)[argnum]
        lo = onp.full(np.shape(ans), True) if a_min is None else unwrap(a) >= unwrap(a_min)
        hi = onp.full(np.shape(ans), True) if a_max is None else unwrap(a) <= unwrap(a_max)
        mask = (lo & hi, ~lo, ~hi & lo)[argnum]
        return to(target, lambda g: np.where(mask, g, 0.0))
    return maker


defvjp(np.clip, clip_vjp(0), clip_vjp(1), clip_vjp(2))


def _clip(a, a_min=onp._NoValue, a_max=onp._NoValue, out=None, **kwargs):
    """numpy.clip, where one bound alone (np.clip(x, min=0.0), recorded as a_min=) leaves the other open."""
    if (a_min is onp._NoValue) != (a_max is onp._NoValue):
        a_min = None if a_min is onp._NoValue else a_min
        a_max = None if a_max is onp._NoValue else a_max
    return onp.clip(a, a_min, a_max, out, **kwargs)


np.clip.fun = _clip
