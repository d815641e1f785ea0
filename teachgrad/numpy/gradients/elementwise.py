"""Gradients of elementwise functions: each output entry depends on the entries at its place.

Each maker gives the local derivative f'(x) of one entry; the gradient is the
upstream ``g`` times it, and so is forward mode's tangent (``defjvp_like_gradient``;
tangent rules follow the gradient rules they go with). For complex inputs the
same formula is used (these functions are holomorphic where numpy defines
them), which is the convention of the rest of the table. Binary functions broadcast, so their gradients are
summed back to each argument's shape with ``unbroadcast_vjp``.

Sections: exponentials and logarithms; trigonometric and hyperbolic
functions and their inverses; powers and roots; scalings and identities;
steps and rounding; complex numbers; choosing between values (maximum,
where, clip); interp.
"""
from __future__ import annotations

import math

import numpy as onp

from .. import namespace as np

from ...errors import NoGradientError, explain
from ...extend import def_linear, defgradient, defjvp, defvjp
from ...tracing import unwrap
from ..utility_primitives import scatter_add
from .helpers import (broadcast_tangent, defgradient_for, defjvp_for, defjvp_like_gradient,
                      is_complex, matching_complex, named, real_like, share_gradient,
                      unbroadcast_to, unbroadcast_vjp)

LOG2 = math.log(2.0)
LOG10 = math.log(10.0)


# --------------------------------------------------------------------------
# Exponentials and logarithms
# --------------------------------------------------------------------------

defgradient(np.exp, lambda g, ans, x: g * ans, formulas=("exp({0})",))
defgradient(np.log, lambda g, ans, x: g / x, formulas=("1/{0}",))
defgradient(np.log1p, lambda g, ans, x: g / (x + 1.0), formulas=("1/(1+{0})",))
defgradient(np.expm1, lambda g, ans, x: g * (ans + 1.0), formulas=("exp({0})",))
defgradient(np.log2, lambda g, ans, x: g / (x * LOG2), formulas=("1/({0}·ln 2)",))
defgradient(np.log10, lambda g, ans, x: g / (x * LOG10), formulas=("1/({0}·ln 10)",))
defgradient(np.exp2, lambda g, ans, x: g * ans * LOG2, formulas=("2^{0}·ln 2",))
defjvp_like_gradient(np.exp, np.log, np.log1p, np.expm1, np.log2, np.log10, np.exp2)

# logaddexp(x, y) = log(eˣ + eʸ): the weights eˣ/(eˣ+eʸ) = e^(x - ans) (a softmax).
defgradient(np.logaddexp,
            lambda g, ans, x, y: unbroadcast_to(x, ans, g * np.exp(x - ans)),
            lambda g, ans, x, y: unbroadcast_to(y, ans, g * np.exp(y - ans)),
            formulas=("exp({0}-ans)", "exp({1}-ans)"))
defgradient(np.logaddexp2,
            lambda g, ans, x, y: unbroadcast_to(x, ans, g * np.exp2(x - ans)),
            lambda g, ans, x, y: unbroadcast_to(y, ans, g * np.exp2(y - ans)),
            formulas=("2^({0}-ans)", "2^({1}-ans)"))


# --------------------------------------------------------------------------
# Trigonometric and hyperbolic functions, and their inverses
# --------------------------------------------------------------------------

defgradient(np.sin, lambda g, ans, x: g * np.cos(x), formulas=("cos({0})",))
defgradient(np.cos, lambda g, ans, x: -g * np.sin(x), formulas=("-sin({0})",))
defgradient(np.tan, lambda g, ans, x: g / np.cos(x) ** 2, formulas=("1/cos²({0})",))
defgradient(np.tanh, lambda g, ans, x: g * (1.0 - ans ** 2), formulas=("1 - tanh²({0})",))
defgradient(np.sinh, lambda g, ans, x: g * np.cosh(x), formulas=("cosh({0})",))
defgradient(np.cosh, lambda g, ans, x: g * np.sinh(x), formulas=("sinh({0})",))
defgradient(np.arctan, lambda g, ans, x: g / (1.0 + x ** 2), formulas=("1/(1+{0}²)",))
defjvp_like_gradient(np.sin, np.cos, np.tan, np.tanh, np.sinh, np.cosh, np.arctan)

defgradient_for(np.arcsin, named("asin"))(lambda g, ans, x: g / np.sqrt(1.0 - x * x),
                                          formulas=("1/√(1-{0}²)",))
defgradient_for(np.arccos, named("acos"))(lambda g, ans, x: -g / np.sqrt(1.0 - x * x),
                                          formulas=("-1/√(1-{0}²)",))
share_gradient(named("atan"), np.arctan)
defgradient_for(np.arcsinh, named("asinh"))(lambda g, ans, x: g / np.sqrt(x * x + 1.0),
                                            formulas=("1/√({0}²+1)",))
defgradient_for(np.arccosh, named("acosh"))(lambda g, ans, x: g / np.sqrt(x * x - 1.0),
                                            formulas=("1/√({0}²-1)",))
defgradient_for(np.arctanh, named("atanh"))(lambda g, ans, x: g / (1.0 - x * x),
                                            formulas=("1/(1-{0}²)",))
defjvp_like_gradient(np.arcsin, np.arccos, np.arctanh, np.arcsinh, np.arccosh)

# arctan2(y, x) is the angle of the point (x, y): its gradient is (x, -y) / r²
# with respect to (y, x), perpendicular to the radius.
defgradient_for(np.arctan2, named("atan2"))(
    lambda g, ans, y, x: unbroadcast_to(y, ans, g * x / (x * x + y * y)),
    lambda g, ans, y, x: unbroadcast_to(x, ans, -g * y / (x * x + y * y)),
    formulas=("{1}/({0}²+{1}²)", "-{0}/({0}²+{1}²)"))

# hypot(x, y) = √(x² + y²): each coordinate over the length.
defgradient(np.hypot,
            lambda g, ans, x, y: unbroadcast_to(x, ans, g * x / ans),
            lambda g, ans, x, y: unbroadcast_to(y, ans, g * y / ans),
            formulas=("{0}/hypot", "{1}/hypot"))

# --------------------------------------------------------------------------
# Powers and roots (np.power itself is with the operators, in arithmetic.py)
# --------------------------------------------------------------------------

defgradient(np.sqrt, lambda g, ans, x: g * 0.5 / ans, formulas=("1/(2·sqrt({0}))",))
defgradient(np.square, lambda g, ans, x: g * 2.0 * x, formulas=("2·{0}",))
defgradient(np.reciprocal, lambda g, ans, x: -g * ans ** 2, formulas=("-1/{0}²",))
defjvp_like_gradient(np.sqrt, np.square, np.reciprocal)
defgradient(np.cbrt, lambda g, ans, x: g / (3.0 * ans * ans), formulas=("1/(3·∛{0}²)",))

# pow and float_power are x ** y: the same gradient as np.power.
share_gradient(named("pow"), np.power)
share_gradient(np.float_power, np.power)

# --------------------------------------------------------------------------
# Scalings and identities
# --------------------------------------------------------------------------

DEG = 180.0 / math.pi
defgradient_for(np.deg2rad, np.radians)(lambda g, ans, x: g / DEG, formulas=("π/180",))
defgradient_for(np.rad2deg, np.degrees)(lambda g, ans, x: g * DEG, formulas=("180/π",))
defjvp_like_gradient(np.deg2rad, np.rad2deg)
defgradient(np.positive, lambda g, ans, x: g, formulas=("1",))

# unwrap adds whole periods where the phase jumps: a constant, piecewise.
defgradient(np.unwrap, lambda g, ans, p, *args, **kwargs: g, formulas=("1",))

# --------------------------------------------------------------------------
# Steps and rounding: piecewise smooth
# --------------------------------------------------------------------------

# nextafter(x, y) moves x by one rounding step towards y: x, for derivatives.
defgradient(np.nextafter, lambda g, ans, x, y: unbroadcast_to(x, ans, g), None)

# ldexp(x, i) = x · 2ⁱ with an integer i.
defgradient(np.ldexp,
            lambda g, ans, x, i: unbroadcast_to(x, ans, g * onp.ldexp(1.0, unwrap(i))), None)

# nan_to_num replaces nan and ±inf by constants: gradient 1 where x was finite.
defgradient(np.nan_to_num, lambda g, ans, x, *args, **kwargs: np.where(np.isfinite(x), g, 0.0))

# copysign(x, y) = |x| with y's sign: ±1 for x (-1 where the signs differ), 0 for y.
defgradient(np.copysign,
            lambda g, ans, x, y: unbroadcast_to(x, ans, g * onp.where(
           onp.signbit(unwrap(x)) != onp.signbit(unwrap(y)), -1.0, 1.0)),
            None)

# fmod(x, y) = x - trunc(x / y) · y, with trunc piecewise constant.
defgradient(np.fmod,
            lambda g, ans, x, y: unbroadcast_to(x, ans, g),
            lambda g, ans, x, y: unbroadcast_to(y, ans, -g * np.trunc(x / y)),
            formulas=("1", "-trunc({0}/{1})"))

# heaviside(x, h0) is a step: flat in x; equal to h0 exactly where x == 0.
defgradient(np.heaviside, None,
            lambda g, ans, x, h0: unbroadcast_to(h0, ans, np.where(x == 0, g, 0.0)))


# --------------------------------------------------------------------------
# sinc
# --------------------------------------------------------------------------


def sinc_vjp(ans, x):
    """sinc(x) = sin(πx)/(πx); its derivative is (cos(πx) - sinc(x)) / x.

    Near 0 that is 0/0 in floating point, so there the start of its Taylor
    series, -π²x/3, is used (the error is below 1e-12 where it is used). Both
    branches are written with teachgrad.numpy, so second derivatives work too.
    """
    small = onp.abs(unwrap(x)) < 1e-4
    if not onp.any(small):
        return lambda g: g * (np.cos(math.pi * x) - ans) / x
    safe_x = np.where(small, 1.0, x)
    return lambda g: g * np.where(small, -(math.pi ** 2 / 3.0) * x,
                                  (np.cos(math.pi * safe_x) - np.sinc(safe_x)) / safe_x)


defvjp(np.sinc, sinc_vjp, formulas=("(cos(π{0}) - sinc({0}))/{0}",))
defjvp_like_gradient(np.sinc)

# --------------------------------------------------------------------------
# Complex numbers: parts, conjugate, angle
# --------------------------------------------------------------------------

defgradient(np.real, lambda g, ans, x: matching_complex(x, np.real(g)))
defgradient(np.imag, lambda g, ans, x: matching_complex(x, -1j * g))
defgradient(np.conj, lambda g, ans, x: np.conj(g))
defgradient(np.conjugate, lambda g, ans, x: np.conj(g))
for _linear in (np.real, np.imag, np.conj):
    def_linear(_linear)


def angle_vjp(ans, z, deg=False):
    """angle(z) = atan2(Im z, Re z); its gradient is -i·conj(z)/|z|² (times 180/π in degrees).

    For a real z the angle is 0 or π, flat: the real part of that is 0.
    """
    scale = DEG if deg else 1.0
    return lambda g: real_like(z, g * scale * -1j * np.conj(z) / (np.real(z * np.conj(z))))


defvjp(np.angle, angle_vjp)

# real_if_close drops a negligible imaginary part: like np.real when it did.
defgradient(np.real_if_close, lambda g, ans, x, *args, **kwargs:
            real_like(x, np.real(g) if not is_complex(ans) else g))

# --------------------------------------------------------------------------
# Choosing between values: maximum, minimum, where, clip
# --------------------------------------------------------------------------


def split_ties(x, y, ans):
    """d max(x, y) / dx: 1 where x won, 1/2 where they tie (as autograd splits it)."""
    return np.where(x == y, 0.5, np.where(x == ans, 1.0, 0.0))


defgradient_for(np.maximum, np.fmax)(
    lambda g, ans, x, y: unbroadcast_to(x, ans, g * split_ties(x, y, ans)),
    lambda g, ans, x, y: unbroadcast_to(y, ans, g * split_ties(y, x, ans)))
defgradient_for(np.minimum, np.fmin)(
    lambda g, ans, x, y: unbroadcast_to(x, ans, g * split_ties(x, y, ans)),
    lambda g, ans, x, y: unbroadcast_to(y, ans, g * split_ties(y, x, ans)))
defjvp_for(np.maximum, np.fmax, np.minimum, np.fmin)(   # the tangent of the piece that was chosen
    lambda g, ans, x, y: broadcast_tangent(ans, g * split_ties(x, y, ans)),
    lambda g, ans, x, y: broadcast_tangent(ans, g * split_ties(y, x, ans)))
defvjp(np.where, None,
       lambda ans, c, x=None, y=None: unbroadcast_vjp(x, lambda g: np.where(c, g, 0.0)),
       lambda ans, c, x=None, y=None: unbroadcast_vjp(y, lambda g: np.where(c, 0.0, g)))
defjvp(np.where, None, lambda g, ans, c, x=None, y=None: broadcast_tangent(ans, np.where(c, g, 0.0)),
       lambda g, ans, c, x=None, y=None: broadcast_tangent(ans, np.where(c, 0.0, g)))


def clip_vjp(argnum):
    def maker(ans, a, a_min=None, a_max=None, **kwargs):
        target = (a, a_min, a_max)[argnum]
        lo = onp.full(np.shape(ans), True) if a_min is None else unwrap(a) >= unwrap(a_min)
        hi = onp.full(np.shape(ans), True) if a_max is None else unwrap(a) <= unwrap(a_max)
        mask = (lo & hi, ~lo, ~hi & lo)[argnum]
        return unbroadcast_vjp(target, lambda g: np.where(mask, g, 0.0))
    return maker


def clip_jvp(argnum):
    def rule(g, ans, a, a_min=None, a_max=None, **kwargs):
        lo = onp.full(np.shape(ans), True) if a_min is None else unwrap(a) >= unwrap(a_min)
        hi = onp.full(np.shape(ans), True) if a_max is None else unwrap(a) <= unwrap(a_max)
        chosen = (lo & hi, ~lo, ~hi & lo)[argnum]
        return broadcast_tangent(ans, np.where(chosen, g, 0.0))
    return rule


defvjp(np.clip, clip_vjp(0), clip_vjp(1), clip_vjp(2))
defjvp(np.clip, clip_jvp(0), clip_jvp(1), clip_jvp(2))


def _clip(a, a_min=onp._NoValue, a_max=onp._NoValue, out=None, **kwargs):
    """numpy.clip, where one bound alone (np.clip(x, min=0.0), recorded as a_min=) leaves the other open."""
    if (a_min is onp._NoValue) != (a_max is onp._NoValue):
        a_min = None if a_min is onp._NoValue else a_min
        a_max = None if a_max is onp._NoValue else a_max
    return onp.clip(a, a_min, a_max, out, **kwargs)


np.clip.fun = _clip

# --------------------------------------------------------------------------
# interp: piecewise-linear interpolation
# --------------------------------------------------------------------------


def interp_vjp(argnum):
    """Gradients of interp(x, xp, fp) for x, xp and fp.

    Between the knots xp[j] <= x <= xp[j+1] the result is
    fp[j] + s·t with the slope s = fp[j+1] - fp[j] and t = (x - xp[j]) / (xp[j+1] - xp[j]):
    d/dx = s / (xp[j+1] - xp[j]); d/dfp[j] = 1 - t and d/dfp[j+1] = t;
    d/dxp[j] = s·(t - 1) / (xp[j+1] - xp[j]) and d/dxp[j+1] = -s·t / (xp[j+1] - xp[j]).
    Outside [xp[0], xp[-1]] the result is fp[0] or fp[-1] (or left/right): flat in x.
    """
    def maker(ans, x, xp, fp, left=None, right=None, period=None):
        if period is not None:
            raise NoGradientError(explain(
                "np.interp with period= has no gradient in teachgrad.",
                "the periodic case sorts and extends the knots first.",
                "wrap x yourself (x % period) and extend xp, fp by one period, then call np.interp."))
        x_v, xp_v = onp.asarray(unwrap(x), dtype=float), onp.asarray(unwrap(xp), dtype=float)
        n = xp_v.shape[0]
        flat_x = onp.ravel(x_v)
        j = onp.clip(onp.searchsorted(xp_v, flat_x, side="right") - 1, 0, max(n - 2, 0))
        inside = (flat_x >= xp_v[0]) & (flat_x <= xp_v[-1])
        below, above = flat_x < xp_v[0], flat_x > xp_v[-1]
        shape = onp.shape(x_v)
        if n == 1:                        # one knot: a constant
            inside[:] = False
        j1 = onp.minimum(j + 1, n - 1)

        def parts():
            width = np.where(onp.asarray(j1 != j), xp[j1] - xp[j], 1.0)
            slope = (fp[j1] - fp[j]) / width
            t = (np.ravel(x) - xp[j]) / width
            return width, slope, t

        if argnum == 0:
            def vjp(g):
                _, slope, _ = parts()
                return real_like(x, np.reshape(np.where(inside, slope, 0.0), shape) * g)
            return vjp

        def scatter(values, index):
            return scatter_add(values, (index,), (n,))

        if argnum == 2:
            def vjp(g):
                _, _, t = parts()
                g = np.ravel(g) if np.ndim(g) else np.reshape(g, (1,))
                g_in = np.where(inside, g, 0.0)
                out = scatter(g_in * (1.0 - t), j) + scatter(g_in * t, j1)
                if left is None:
                    out = out + scatter(np.where(below, g, 0.0), onp.zeros_like(j))
                if right is None:
                    out = out + scatter(np.where(above, g, 0.0), onp.full_like(j, n - 1))
                return matching_complex(fp, out)
            return vjp

        def vjp(g):                       # argnum 1: the knots
            _, slope, t = parts()
            g = np.ravel(g) if np.ndim(g) else np.reshape(g, (1,))
            g_in = np.where(inside, g, 0.0) * slope          # slope is already per unit of x
            return real_like(xp, scatter(g_in * (t - 1.0), j) + scatter(-g_in * t, j1))
        return vjp
    return maker


defvjp(np.interp, interp_vjp(0), interp_vjp(1), interp_vjp(2))
