"""Student's t distribution: ``teachgrad.scipy.stats.t``.

``logpdf(x, df, loc=0, scale=1)`` and ``pdf`` are differentiable with
respect to every argument; ``cdf`` and ``logcdf`` with respect to ``x``,
``loc`` and ``scale`` (their derivative in ``df`` has no closed form).

With ``y = (x - loc) / scale`` the standard log density is

    gammaln((df+1)/2) - gammaln(df/2) - log(df pi)/2 - (df+1)/2 log(1 + y**2/df)

so d/dy = -(df+1) y / (df + y**2), and

    d/d df = ( psi((df+1)/2) - psi(df/2) - 1/df - log(1 + y**2/df)
               + (df+1) y**2 / (df (df + y**2)) ) / 2.
"""
import scipy.stats as _st

import teachgrad.numpy as np

from .._primitive import scipy_primitive
from ..special import psi
from ._common import define_cdf, define_density

__all__ = ["logpdf", "pdf", "cdf", "logcdf"]


@scipy_primitive("scipy.stats.t.logpdf")
def logpdf(x, df, loc=0.0, scale=1.0):
    """Log density of Student's t distribution with ``df`` degrees of freedom."""
    return _st.t.logpdf(x, df, loc, scale)


@scipy_primitive("scipy.stats.t.pdf")
def pdf(x, df, loc=0.0, scale=1.0):
    """Density of Student's t distribution."""
    return _st.t.pdf(x, df, loc, scale)


@scipy_primitive("scipy.stats.t.cdf")
def cdf(x, df, loc=0.0, scale=1.0):
    """Distribution function of Student's t distribution."""
    return _st.t.cdf(x, df, loc, scale)


@scipy_primitive("scipy.stats.t.logcdf")
def logcdf(x, df, loc=0.0, scale=1.0):
    """Log of the distribution function."""
    return _st.t.logcdf(x, df, loc, scale)


def _d_dy(y, df):
    return -(df + 1.0) * y / (df + y * y)


def _d_df(y, df):
    y2 = y * y
    return 0.5 * (psi((df + 1.0) / 2.0) - psi(df / 2.0) - 1.0 / df - np.log1p(y2 / df)
                  + (df + 1.0) * y2 / (df * (df + y2)))


define_density(logpdf, pdf, 1, _d_dy, (_d_df,))
define_cdf(cdf, pdf, 1)
define_cdf(logcdf, pdf, 1, log=True, logpdf=logpdf)
