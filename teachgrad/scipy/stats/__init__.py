"""``teachgrad.scipy.stats``: log densities and distribution functions with gradients.

Each distribution is a submodule of functions, used as in SciPy::

    from teachgrad.scipy.stats import norm
    norm.logpdf(x, loc, scale)

    import teachgrad.scipy.stats as stats
    stats.multivariate_normal.logpdf(x, mean, cov)

========================  ===============================================
distribution              functions (gradients)
========================  ===============================================
norm                      logpdf, pdf, cdf, logcdf, sf, logsf (x, loc, scale)
t                         logpdf, pdf (x, df, loc, scale); cdf, logcdf (x, loc, scale)
gamma                     logpdf, pdf (x, a, loc, scale); cdf (x, loc, scale)
beta                      logpdf, pdf (x, a, b, loc, scale); cdf (x, loc, scale)
chi2                      logpdf, pdf (x, df, loc, scale); cdf (x, loc, scale)
poisson                   logpmf, pmf, cdf (mu)
multivariate_normal       logpdf, pdf (x, mean, cov); entropy (cov)
dirichlet                 logpdf, pdf (x, alpha); rvs (sampling: none)
========================  ===============================================

These are the distributions and functions of ``autograd.scipy.stats``; some
gradients autograd lacks (loc and scale of gamma, beta and chi2, scale of the
cdfs) are here too.
"""
from . import beta, chi2, dirichlet, gamma, multivariate_normal, norm, poisson, t  # noqa: F401

__all__ = ["beta", "chi2", "dirichlet", "gamma", "multivariate_normal", "norm", "poisson", "t"]
