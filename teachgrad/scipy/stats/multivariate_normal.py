"""The multivariate normal distribution: ``teachgrad.scipy.stats.multivariate_normal``.

``logpdf(x, mean=None, cov=1, allow_singular=False)`` and ``pdf`` are
differentiable with respect to ``x``, ``mean`` and ``cov`` (with
``allow_singular=True``, a singular constant ``cov``: with respect to ``x``
and ``mean`` only, through SciPy's pseudo-inverse); ``entropy(mean,
cov)`` with respect to ``cov``. ``x`` is one point (shape ``(d,)``) or a
stack of points (shape ``(..., d)``); ``cov`` is a ``(d, d)`` matrix (a
vector of variances or one number also work, as in SciPy).

For one point, with z = x - mean and P = inv(cov),

    logpdf = -z P z / 2 - log det(cov) / 2 - d log(2 pi) / 2

so d/dx = -P z, d/dmean = P z and d/dcov = (P z zᵀ P - P) / 2; for many points
these are summed (for mean and cov) over the points. The gradient with
respect to ``cov`` is symmetric: it is right for symmetric changes of the
covariance, the only ones that keep it a covariance. (SciPy reads only one
triangle of ``cov``, so finite differences that change one entry alone
disagree; check them through a parametrization such as ``cov = A @ A.T``.)
"""
import numpy as onp
import scipy.stats as _st

import teachgrad.numpy as np

from ...errors import NoGradientError, explain
from ...extend import defvjp
from ...graph import Node
from ...tracing import unwrap
from ...numpy.gradients.helpers import unbroadcast
from .._primitive import scipy_primitive, zeros_for

__all__ = ["logpdf", "pdf", "entropy"]


@scipy_primitive("scipy.stats.multivariate_normal.logpdf")
def logpdf(x, mean=None, cov=1, allow_singular=False):
    """Log density of the multivariate normal distribution."""
    return _st.multivariate_normal.logpdf(x, mean, cov, allow_singular)


@scipy_primitive("scipy.stats.multivariate_normal.pdf")
def pdf(x, mean=None, cov=1, allow_singular=False):
    """Density of the multivariate normal distribution."""
    return _st.multivariate_normal.pdf(x, mean, cov, allow_singular)


@scipy_primitive("scipy.stats.multivariate_normal.entropy")
def entropy(mean=None, cov=1):
    """Differential entropy: log det(2 pi e cov) / 2 (it does not depend on the mean)."""
    return _st.multivariate_normal.entropy(mean, cov)


def _dimension(mean, cov):
    """The dimension d, found as SciPy finds it: from mean, else from a 2-D cov, else 1."""
    if mean is not None:
        return int(onp.size(unwrap(mean)))
    return onp.shape(unwrap(cov))[0] if onp.ndim(unwrap(cov)) == 2 else 1


def _as_matrix(cov, d):
    """cov as a (d, d) matrix: SciPy also accepts one variance or a vector of them."""
    if np.ndim(cov) == 2:
        return cov
    return np.reshape(cov, np.shape(cov) + (1,)) * onp.eye(d) if np.ndim(cov) == 1 \
        else cov * onp.eye(d)


def _from_matrix(cov, G):
    """Sum a (d, d) gradient back to the shape cov was given in."""
    if np.ndim(cov) == 2:
        return G
    if np.ndim(cov) == 1:
        return np.diagonal(G)
    return np.trace(G)


def _pieces(x, mean, cov, allow_singular, which):
    """(P z for each point, one per row; the precision matrix P) for the formulas."""
    d = _dimension(mean, cov)
    C = _as_matrix(cov, d)
    z = np.reshape(x, (-1, d)) if mean is None else np.reshape(x, (-1, d)) - mean
    if allow_singular:
        if which == "cov" or isinstance(cov, Node):
            raise NoGradientError(explain(
                "multivariate_normal with allow_singular=True was differentiated with respect "
                "to cov.",
                "the density of a singular covariance lives on a subspace that moves with cov: "
                "its gradient with respect to cov is not defined (with respect to x and mean "
                "it is, and teachgrad gives it).",
                "keep cov a constant, or add a small multiple of the identity to cov and leave "
                "out allow_singular="))
        P = _pseudo_inverse(onp.asarray(C))
    else:
        P = np.linalg.inv(C)
    return z @ P, P              # rows of z @ P are (P z)ᵀ: P is symmetric


def _pseudo_inverse(C):
    """SciPy's pseudo-inverse of a singular covariance: eigenvalues below its cutoff are 0."""
    s, u = onp.linalg.eigh(C)
    factor = 1e3 if C.dtype.char.lower() == "f" else 1e6
    cutoff = factor * onp.finfo(C.dtype).eps * onp.max(onp.abs(s))
    inverse = onp.where(onp.abs(s) > cutoff, 1.0 / onp.where(onp.abs(s) > cutoff, s, 1.0), 0.0)
    return (u * inverse) @ u.T


def _maker(which, times_pdf):
    def make(ans, x, mean=None, cov=1, allow_singular=False):
        def vjp(g):
            Pz, P = _pieces(x, mean, cov, allow_singular, which)
            w = np.reshape(g * ans if times_pdf else g, (-1, 1))   # one weight per point
            if which == "x":
                return np.reshape(-w * Pz, np.shape(x))
            if which == "mean":
                return unbroadcast(mean, np.sum(w * Pz, axis=0))
            G = 0.5 * (np.transpose(w * Pz) @ Pz - np.sum(w) * P)
            return _from_matrix(cov, G)
        return vjp
    return make


for _prim, _times_pdf in ((logpdf, False), (pdf, True)):
    defvjp(_prim, _maker("x", _times_pdf), _maker("mean", _times_pdf), _maker("cov", _times_pdf))


def _entropy_cov(ans, mean=None, cov=1):
    d = _dimension(mean, cov)
    return lambda g: _from_matrix(cov, 0.5 * g * np.linalg.inv(_as_matrix(cov, d)))


defvjp(entropy, lambda ans, mean=None, cov=1: lambda g: zeros_for(mean), _entropy_cov)
