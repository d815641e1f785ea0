"""``teachgrad.scipy.special``: special functions with gradients.

The same functions as ``autograd.scipy.special``. Each is SciPy's function
(given plain values it returns exactly what SciPy returns) made a primitive,
with its derivative written in terms of other functions of this module and of
``teachgrad.numpy``, so second (and higher) derivatives work too::

    >>> from teachgrad import grad
    >>> from teachgrad.scipy.special import gammaln, digamma
    >>> bool(abs(grad(gammaln)(3.0) - digamma(3.0)) < 1e-12)
    True

Integer orders (``n`` of ``polygamma(n, x)``, ``jn(n, x)``, ...) are not
differentiable; the gradient is with respect to ``x``. The derivatives used:

======================  =================================================
function                derivative with respect to x (or a, b)
======================  =================================================
gamma(x)                gamma(x) psi(x)
gammaln(x)              psi(x)
rgamma(x) = 1/gamma(x)  -rgamma(x) psi(x)
psi(x) = digamma(x)     polygamma(1, x)
polygamma(n, x)         polygamma(n + 1, x)
multigammaln(a, d)      sum over j < d of psi(a - j/2)
gammainc(a, x)          x**(a-1) exp(-x) / gamma(a)   (x only)
gammaincc(a, x)         minus the same                (x only)
beta(a, b)              beta(a, b) (psi(a) - psi(a + b)), and for b
betaln(a, b)            psi(a) - psi(a + b), and for b
betainc(a, b, x)        x**(a-1) (1-x)**(b-1) / beta(a, b)   (x only)
j0, y0                  -j1, -y1
j1, y1                  (j0 - jn(2, x)) / 2, (y0 - yn(2, x)) / 2
jn(n, x), yn(n, x)      (jn(n-1, x) - jn(n+1, x)) / 2, and the same for yn
i0, i1                  i1, (i0 + iv(2, x)) / 2
iv(v, x)                (iv(v-1, x) + iv(v+1, x)) / 2
ive(v, x)               (ive(v-1, x) + ive(v+1, x)) / 2 - sign(x) ive(v, x)
erf, erfc               ±2/sqrt(pi) exp(-x**2)
erfinv, erfcinv         ±sqrt(pi)/2 exp(answer**2)
expit                   expit(x) (1 - expit(x))
logit                   1 / (x (1 - x))
logsumexp(a, b=b)       b exp(a - answer) for a, exp(a - answer) for b
======================  =================================================
"""
from __future__ import annotations

import math

import numpy as onp
import scipy.special as _sp

import teachgrad.numpy as np

from ..extend import defvjp, defvjp_argnums
from ..tracing import unwrap
from ..numpy.gradients.helpers import unbroadcast
from ._primitive import ScipyPrimitive, no_gradient

__all__ = [
    "beta", "betainc", "betaln",
    "polygamma", "psi", "digamma", "gamma", "gammaln", "gammainc", "gammaincc",
    "gammasgn", "rgamma", "multigammaln",
    "j0", "y0", "j1", "y1", "jn", "yn", "i0", "i1", "iv", "ive",
    "erf", "erfc", "erfinv", "erfcinv",
    "logit", "expit", "logsumexp",
]


def _wrap(name: str) -> ScipyPrimitive:
    return ScipyPrimitive(getattr(_sp, name), f"scipy.special.{name}")


def _not_in_order(name: str):
    return no_gradient(f"The order argument of scipy.special.{name}",
                       "the order counts terms or picks a function of a family; teachgrad "
                       "differentiates with respect to x only.")


# --------------------------------------------------------------------------
# The gamma function and its relatives
# --------------------------------------------------------------------------

gamma = _wrap("gamma")
gammaln = _wrap("gammaln")
rgamma = _wrap("rgamma")
gammasgn = _wrap("gammasgn")
psi = _wrap("psi")
digamma = _wrap("digamma")          # another name for psi
polygamma = _wrap("polygamma")
multigammaln = _wrap("multigammaln")
gammainc = _wrap("gammainc")
gammaincc = _wrap("gammaincc")

defvjp(gamma, lambda ans, x: lambda g: g * ans * psi(x))
defvjp(gammaln, lambda ans, x: lambda g: g * psi(x))
defvjp(rgamma, lambda ans, x: lambda g: -g * ans * psi(x))
defvjp(gammasgn, None)               # the sign of gamma is piecewise constant
defvjp(psi, lambda ans, x: lambda g: g * polygamma(1, x))
defvjp(digamma, lambda ans, x: lambda g: g * polygamma(1, x))
defvjp(polygamma, _not_in_order("polygamma"),
       lambda ans, n, x: lambda g: g * polygamma(n + 1, x))


def _multigammaln_vjp(ans, a, d):
    # log of the multivariate gamma function: a constant plus the sum over
    # j = 0 .. d-1 of gammaln(a - j/2); each term differentiates to psi.
    halves = onp.arange(d) / 2.0

    def vjp(g):
        return g * np.sum(psi(np.expand_dims(a, -1) - halves), axis=-1)
    return vjp


defvjp(multigammaln, _multigammaln_vjp,
       no_gradient("The dimension d of scipy.special.multigammaln", "d is a whole number."))


def _lower_incomplete_density(a, x):
    # d/dx of the regularized lower incomplete gamma function P(a, x)
    return np.exp(-x) * np.power(x, a - 1) / gamma(a)


_a_of_gammainc = no_gradient(
    "The shape a of scipy.special.gammainc / gammaincc",
    "its derivative with respect to a has no closed form; teachgrad (like autograd) "
    "differentiates with respect to x only.")
defvjp(gammainc, _a_of_gammainc,
       lambda ans, a, x: lambda g: unbroadcast(x, g * _lower_incomplete_density(a, x)))
defvjp(gammaincc, _a_of_gammainc,
       lambda ans, a, x: lambda g: unbroadcast(x, -g * _lower_incomplete_density(a, x)))


# --------------------------------------------------------------------------
# The beta function
# --------------------------------------------------------------------------

beta = _wrap("beta")
betaln = _wrap("betaln")
betainc = _wrap("betainc")

defvjp(beta,
       lambda ans, a, b: lambda g: unbroadcast(a, g * ans * (psi(a) - psi(a + b))),
       lambda ans, a, b: lambda g: unbroadcast(b, g * ans * (psi(b) - psi(a + b))))
defvjp(betaln,
       lambda ans, a, b: lambda g: unbroadcast(a, g * (psi(a) - psi(a + b))),
       lambda ans, a, b: lambda g: unbroadcast(b, g * (psi(b) - psi(a + b))))

_ab_of_betainc = no_gradient(
    "The parameters a and b of scipy.special.betainc",
    "their derivatives have no closed form; teachgrad (like autograd) differentiates "
    "with respect to x only.")
defvjp(betainc, _ab_of_betainc, _ab_of_betainc,
       lambda ans, a, b, x: lambda g: unbroadcast(
           x, g * np.power(x, a - 1) * np.power(1 - x, b - 1) / beta(a, b)))


# --------------------------------------------------------------------------
# Bessel functions
# --------------------------------------------------------------------------

j0, j1, jn = _wrap("j0"), _wrap("j1"), _wrap("jn")
y0, y1, yn = _wrap("y0"), _wrap("y1"), _wrap("yn")
i0, i1, iv, ive = _wrap("i0"), _wrap("i1"), _wrap("iv"), _wrap("ive")

defvjp(j0, lambda ans, x: lambda g: -g * j1(x))
defvjp(y0, lambda ans, x: lambda g: -g * y1(x))
defvjp(j1, lambda ans, x: lambda g: g * (j0(x) - jn(2, x)) / 2.0)
defvjp(y1, lambda ans, x: lambda g: g * (y0(x) - yn(2, x)) / 2.0)
defvjp(jn, _not_in_order("jn"),
       lambda ans, n, x: lambda g: unbroadcast(x, g * (jn(n - 1, x) - jn(n + 1, x)) / 2.0))
defvjp(yn, _not_in_order("yn"),
       lambda ans, n, x: lambda g: unbroadcast(x, g * (yn(n - 1, x) - yn(n + 1, x)) / 2.0))

defvjp(i0, lambda ans, x: lambda g: g * i1(x))
defvjp(i1, lambda ans, x: lambda g: g * (i0(x) + iv(2, x)) / 2.0)
defvjp(iv, _not_in_order("iv"),
       lambda ans, v, x: lambda g: unbroadcast(x, g * (iv(v - 1, x) + iv(v + 1, x)) / 2.0))
# ive(v, x) = iv(v, x) exp(-|x|): the product rule on the two factors.
defvjp(ive, _not_in_order("ive"),
       lambda ans, v, x: lambda g: unbroadcast(
           x, g * ((ive(v - 1, x) + ive(v + 1, x)) / 2.0 - np.sign(x) * ans)))


# --------------------------------------------------------------------------
# Error functions
# --------------------------------------------------------------------------

TWO_OVER_ROOT_PI = 2.0 / math.sqrt(math.pi)
HALF_ROOT_PI = math.sqrt(math.pi) / 2.0

erf, erfc = _wrap("erf"), _wrap("erfc")
erfinv, erfcinv = _wrap("erfinv"), _wrap("erfcinv")

defvjp(erf, lambda ans, x: lambda g: g * TWO_OVER_ROOT_PI * np.exp(-x * x))
defvjp(erfc, lambda ans, x: lambda g: -g * TWO_OVER_ROOT_PI * np.exp(-x * x))
# The inverse function's derivative is 1 / erf'(y) at y = erfinv(x) = ans.
defvjp(erfinv, lambda ans, x: lambda g: g * HALF_ROOT_PI * np.exp(ans * ans))
defvjp(erfcinv, lambda ans, x: lambda g: -g * HALF_ROOT_PI * np.exp(ans * ans))


# --------------------------------------------------------------------------
# The logistic function and its inverse
# --------------------------------------------------------------------------

expit, logit = _wrap("expit"), _wrap("logit")

defvjp(expit, lambda ans, x: lambda g: g * ans * (1 - ans))
defvjp(logit, lambda ans, x: lambda g: g / (x * (1 - x)))


# --------------------------------------------------------------------------
# logsumexp
# --------------------------------------------------------------------------

logsumexp = _wrap("logsumexp")


def _reduced_axes(ndim, axis):
    if axis is None:
        return tuple(range(ndim))
    axes = axis if isinstance(axis, (tuple, list)) else (axis,)
    return tuple(sorted(a % ndim for a in axes))


def _logsumexp_vjp(argnums, ans, args, kwargs):
    """logsumexp(a, axis, b, keepdims) = log(sum(b * exp(a))) over ``axis``.

    Its derivative is the softmax: b * exp(a) / sum(b * exp(a)) = b * exp(a - ans)
    for a, and exp(a - ans) for b. ``ans`` and the upstream gradient are put
    back into the shape of ``a * b`` (the reduced axes restored) first.
    """
    params = dict(zip(("a", "axis", "b", "keepdims", "return_sign"), args))
    params.update(kwargs)
    a, b = params["a"], params.get("b")
    axis = params.get("axis")        # with keepdims, ans and g already have the kept shape
    if params.get("return_sign"):
        raise NotImplementedError(
            "logsumexp(..., return_sign=True) has no gradient in teachgrad (nor in autograd).\n"
            "Instead: differentiate logsumexp without return_sign (with positive weights b).")
    full_shape = onp.broadcast_shapes(onp.shape(unwrap(a)), onp.shape(unwrap(b)) if b is not None else ())
    axes = _reduced_axes(len(full_shape), axis)
    kept = tuple(1 if i in axes else n for i, n in enumerate(full_shape))

    def vjp(g):
        softmax = np.exp(a - np.reshape(ans, kept))
        g = np.reshape(g, kept)
        grads = []
        for argnum in argnums:
            if argnum == 0:
                grads.append(unbroadcast(a, g * softmax * (1.0 if b is None else b)))
            elif argnum == 2:
                grads.append(unbroadcast(b, g * softmax))
            else:
                raise NotImplementedError(f"logsumexp has no gradient for argument {argnum}.")
        return grads
    return vjp


defvjp_argnums(logsumexp, _logsumexp_vjp)


def __getattr__(name: str):
    if hasattr(_sp, name):
        raise AttributeError(
            f"teachgrad.scipy.special has no {name!r} (autograd.scipy.special has not either).\n"
            f"Why: only functions whose gradient teachgrad knows are here.\n"
            f"Instead: call scipy.special.{name} on plain numbers, write the computation with "
            f"teachgrad.numpy, or make it a primitive with teachgrad.extend.primitive and defvjp.")
    raise AttributeError(f"module 'teachgrad.scipy.special' has no attribute {name!r}")
