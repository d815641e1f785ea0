"""The chi-squared distribution: ``teachgrad.scipy.stats.chi2``.

``logpdf(x, df, loc=0, scale=1)`` and ``pdf`` are differentiable with
respect to every argument, ``cdf`` with respect to ``x``, ``loc`` and
``scale``. With ``y = (x - loc) / scale`` the standard log density is
``(df/2 - 1) log(y) - y/2 - (df/2) log(2) - gammaln(df/2)``:
d/dy = (df - 2 - y) / (2 y) and d/d df = (log(y) - log(2) - psi(df/2)) / 2.

(autograd's chi2 gradient is zero for a non-integer ``df``; this one is the
derivative for every ``df > 0``.)
"""
import math

import scipy.stats as _st

import teachgrad.numpy as np

from .._primitive import scipy_primitive
from ..special import psi
from ._common import define_cdf, define_density

__all__ = ["logpdf", "pdf", "cdf"]

LOG2 = math.log(2.0)


@scipy_primitive("scipy.stats.chi2.logpdf")
def logpdf(x, df, loc=0.0, scale=1.0):
    """Log density of the chi-squared distribution with ``df`` degrees of freedom."""
    return _st.chi2.logpdf(x, df, loc, scale)


@scipy_primitive("scipy.stats.chi2.pdf")
def pdf(x, df, loc=0.0, scale=1.0):
    """Density of the chi-squared distribution."""
    return _st.chi2.pdf(x, df, loc, scale)


@scipy_primitive("scipy.stats.chi2.cdf")
def cdf(x, df, loc=0.0, scale=1.0):
    """Distribution function of the chi-squared distribution."""
    return _st.chi2.cdf(x, df, loc, scale)


define_density(logpdf, pdf, 1,
               d_dy=lambda y, df: (df - 2.0 - y) / (2.0 * y),
               d_shapes=(lambda y, df: 0.5 * (np.log(y) - LOG2 - psi(df / 2.0)),))
define_cdf(cdf, pdf, 1)
