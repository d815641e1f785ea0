"""The Poisson distribution: ``teachgrad.scipy.stats.poisson``.

``logpmf(k, mu, loc=0)``, ``pmf`` and ``cdf``, differentiable with respect
to the rate ``mu`` (the counts ``k`` are whole numbers: no derivative).
``logpmf = k log(mu) - mu - log(k!)`` gives d/dmu = k/mu - 1 (zero where
``k`` is not a whole number, where the pmf is 0), and
``cdf(k) = sum over j <= k of pmf(j)`` gives d/dmu = -pmf(floor(k)).
"""
import scipy.stats as _st

import teachgrad.numpy as np

from ...numpy.gradients.helpers import unbroadcast
from .._primitive import no_gradient, scipy_primitive
from ...extend import defvjp

__all__ = ["logpmf", "pmf", "cdf"]


@scipy_primitive("scipy.stats.poisson.logpmf")
def logpmf(k, mu, loc=0):
    """Log probability of ``k`` events at rate ``mu``."""
    return _st.poisson.logpmf(k, mu, loc)


@scipy_primitive("scipy.stats.poisson.pmf")
def pmf(k, mu, loc=0):
    """Probability of ``k`` events at rate ``mu``."""
    return _st.poisson.pmf(k, mu, loc)


@scipy_primitive("scipy.stats.poisson.cdf")
def cdf(k, mu, loc=0):
    """Probability of at most ``k`` events at rate ``mu``."""
    return _st.poisson.cdf(k, mu, loc)


_counts = no_gradient("The count k of a Poisson distribution",
                      "counts are whole numbers, so the probability does not change smoothly with them.")
_loc = no_gradient("The loc of a Poisson distribution", "it shifts whole-number counts.")


def _dlogpmf_dmu(k, mu, loc):
    k = k - loc
    return np.where(k % 1 == 0, k / mu - 1.0, 0.0)


defvjp(logpmf, _counts,
       lambda ans, k, mu, loc=0: lambda g: unbroadcast(mu, g * _dlogpmf_dmu(k, mu, loc)), _loc)
defvjp(pmf, _counts,
       lambda ans, k, mu, loc=0: lambda g: unbroadcast(mu, g * ans * _dlogpmf_dmu(k, mu, loc)), _loc)
defvjp(cdf, _counts,
       lambda ans, k, mu, loc=0: lambda g: unbroadcast(mu, -g * pmf(np.floor(k - loc), mu)), _loc)
