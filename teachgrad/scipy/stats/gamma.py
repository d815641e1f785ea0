"""The gamma distribution: ``teachgrad.scipy.stats.gamma``.

``logpdf(x, a, loc=0, scale=1)`` and ``pdf`` are differentiable with respect
to every argument, ``cdf`` with respect to ``x``, ``loc`` and ``scale``.
With ``y = (x - loc) / scale`` the standard log density is
``(a - 1) log(y) - y - gammaln(a)``: d/dy = (a - 1)/y - 1 and
d/da = log(y) - psi(a).
"""
import scipy.stats as _st

import teachgrad.numpy as np

from .._primitive import scipy_primitive
from ..special import psi
from ._common import define_cdf, define_density

__all__ = ["logpdf", "pdf", "cdf"]


@scipy_primitive("scipy.stats.gamma.logpdf")
def logpdf(x, a, loc=0.0, scale=1.0):
    """Log density of the gamma distribution with shape ``a``."""
    return _st.gamma.logpdf(x, a, loc, scale)


@scipy_primitive("scipy.stats.gamma.pdf")
def pdf(x, a, loc=0.0, scale=1.0):
    """Density of the gamma distribution."""
    return _st.gamma.pdf(x, a, loc, scale)


@scipy_primitive("scipy.stats.gamma.cdf")
def cdf(x, a, loc=0.0, scale=1.0):
    """Distribution function of the gamma distribution."""
    return _st.gamma.cdf(x, a, loc, scale)


define_density(logpdf, pdf, 1,
               d_dy=lambda y, a: (a - 1.0) / y - 1.0,
               d_shapes=(lambda y, a: np.log(y) - psi(a),))
define_cdf(cdf, pdf, 1)
