"""The normal distribution: ``teachgrad.scipy.stats.norm``.

``logpdf(x, loc=0, scale=1)``, ``pdf``, ``cdf``, ``logcdf``, ``sf`` and
``logsf``, each differentiable with respect to ``x``, ``loc`` and ``scale``.
With ``y = (x - loc) / scale`` the standard log density is
``-y**2 / 2 - log(2 pi) / 2``, whose derivative with respect to y is ``-y``;
the rest follows from the location-scale rules in ``_common.py``.

>>> from teachgrad import grad
>>> from teachgrad.scipy.stats import norm
>>> float(grad(norm.logpdf)(1.0, 0.0, 2.0))      # -(x - loc) / scale**2
-0.25
"""
import scipy.stats as _st

from .._primitive import scipy_primitive
from ._common import define_cdf, define_density

__all__ = ["logpdf", "pdf", "cdf", "logcdf", "sf", "logsf"]


@scipy_primitive("scipy.stats.norm.logpdf")
def logpdf(x, loc=0.0, scale=1.0):
    """Log density of the normal distribution with mean ``loc`` and standard deviation ``scale``."""
    return _st.norm.logpdf(x, loc, scale)


@scipy_primitive("scipy.stats.norm.pdf")
def pdf(x, loc=0.0, scale=1.0):
    """Density of the normal distribution."""
    return _st.norm.pdf(x, loc, scale)


@scipy_primitive("scipy.stats.norm.cdf")
def cdf(x, loc=0.0, scale=1.0):
    """Probability that a normal variable is at most ``x``."""
    return _st.norm.cdf(x, loc, scale)


@scipy_primitive("scipy.stats.norm.logcdf")
def logcdf(x, loc=0.0, scale=1.0):
    """Log of the cdf, accurate far in the left tail."""
    return _st.norm.logcdf(x, loc, scale)


@scipy_primitive("scipy.stats.norm.sf")
def sf(x, loc=0.0, scale=1.0):
    """Survival function 1 - cdf: the probability of exceeding ``x``."""
    return _st.norm.sf(x, loc, scale)


@scipy_primitive("scipy.stats.norm.logsf")
def logsf(x, loc=0.0, scale=1.0):
    """Log of the survival function, accurate far in the right tail."""
    return _st.norm.logsf(x, loc, scale)


define_density(logpdf, pdf, 0, d_dy=lambda y: -y, d_shapes=())
define_cdf(cdf, pdf, 0)
define_cdf(sf, pdf, 0, sign=-1.0)
define_cdf(logcdf, pdf, 0, log=True, logpdf=logpdf)
define_cdf(logsf, pdf, 0, sign=-1.0, log=True, logpdf=logpdf)
