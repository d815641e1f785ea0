"""The beta distribution: ``teachgrad.scipy.stats.beta``.

``logpdf(x, a, b, loc=0, scale=1)`` and ``pdf`` are differentiable with
respect to every argument, ``cdf`` with respect to ``x``, ``loc`` and
``scale``. With ``y = (x - loc) / scale`` the standard log density is
``(a-1) log(y) + (b-1) log(1-y) - betaln(a, b)``: d/dy = (a-1)/y - (b-1)/(1-y),
d/da = log(y) - psi(a) + psi(a+b), d/db = log(1-y) - psi(b) + psi(a+b).
"""
import scipy.stats as _st

import teachgrad.numpy as np

from .._primitive import scipy_primitive
from ..special import psi
from ._common import define_cdf, define_density

__all__ = ["logpdf", "pdf", "cdf"]


@scipy_primitive("scipy.stats.beta.logpdf")
def logpdf(x, a, b, loc=0.0, scale=1.0):
    """Log density of the beta distribution with shapes ``a`` and ``b``."""
    return _st.beta.logpdf(x, a, b, loc, scale)


@scipy_primitive("scipy.stats.beta.pdf")
def pdf(x, a, b, loc=0.0, scale=1.0):
    """Density of the beta distribution."""
    return _st.beta.pdf(x, a, b, loc, scale)


@scipy_primitive("scipy.stats.beta.cdf")
def cdf(x, a, b, loc=0.0, scale=1.0):
    """Distribution function of the beta distribution."""
    return _st.beta.cdf(x, a, b, loc, scale)


define_density(logpdf, pdf, 2,
               d_dy=lambda y, a, b: (a - 1.0) / y - (b - 1.0) / (1.0 - y),
               d_shapes=(lambda y, a, b: np.log(y) - psi(a) + psi(a + b),
                         lambda y, a, b: np.log1p(-y) - psi(b) + psi(a + b)))
define_cdf(cdf, pdf, 2)
