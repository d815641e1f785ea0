"""The Dirichlet distribution: ``teachgrad.scipy.stats.dirichlet``.

``logpdf(x, alpha)`` and ``pdf`` are differentiable with respect to ``x``
and ``alpha``; ``rvs`` draws samples (no gradient). As in SciPy, ``x`` holds
the components along its first axis: shape ``(K,)`` for one point or
``(K, N)`` for N points. From

    logpdf = sum((alpha - 1) log(x)) + gammaln(sum(alpha)) - sum(gammaln(alpha))

d/dx = (alpha - 1) / x and d/d alpha = log(x) + psi(sum(alpha)) - psi(alpha).
SciPy checks that ``x`` lies on the simplex (its components sum to 1), so a
gradient with respect to ``x`` is only meaningful along the simplex: build
``x`` from free parameters (a softmax, say) and differentiate those.
"""
import scipy.stats as _st

import teachgrad.numpy as np

from ...extend import defvjp
from .._primitive import ScipyPrimitive, scipy_primitive
from ..special import psi

__all__ = ["logpdf", "pdf", "rvs"]


@scipy_primitive("scipy.stats.dirichlet.logpdf")
def logpdf(x, alpha):
    """Log density of the Dirichlet distribution with concentrations ``alpha``."""
    return _st.dirichlet.logpdf(x, alpha)


@scipy_primitive("scipy.stats.dirichlet.pdf")
def pdf(x, alpha):
    """Density of the Dirichlet distribution."""
    return _st.dirichlet.pdf(x, alpha)


# Sampling is not differentiable: used on a traced alpha, the gradient raises.
rvs = ScipyPrimitive(_st.dirichlet.rvs, "scipy.stats.dirichlet.rvs")


def _along_first_axis(alpha, x):
    """alpha with trailing axes of length 1, to line up with x of shape (K, N...)."""
    return np.reshape(alpha, np.shape(alpha) + (1,) * (np.ndim(x) - 1))


def _x_maker(times_pdf):
    def make(ans, x, alpha):
        def vjp(g):
            factor = g * ans if times_pdf else g
            return factor * (_along_first_axis(alpha, x) - 1.0) / x
        return vjp
    return make


def _alpha_maker(times_pdf):
    def make(ans, x, alpha):
        def vjp(g):
            factor = g * ans if times_pdf else g
            local = np.log(x) + psi(np.sum(alpha)) - _along_first_axis(psi(alpha), x)
            total = factor * local
            return np.sum(total, axis=tuple(range(1, np.ndim(x)))) if np.ndim(x) > 1 else total
        return vjp
    return make


defvjp(logpdf, _x_maker(False), _alpha_maker(False))
defvjp(pdf, _x_maker(True), _alpha_maker(True))
