"""``teachgrad.scipy``: the SciPy functions that autograd can differentiate.

Like ``teachgrad.numpy``, every function here is SciPy's own when given plain
numbers, and records one node of the graph when given traced values::

    import teachgrad.numpy as np
    from teachgrad import grad
    from teachgrad.scipy.special import gammaln
    from teachgrad.scipy.stats import norm

    grad(gammaln)(2.5)                          # digamma(2.5)
    grad(norm.logpdf, 1)(0.3, 0.0, 1.0)        # d/d loc

Submodules: ``special`` (gamma, beta, Bessel and error functions,
logsumexp, ...), ``stats`` (norm, t, gamma, beta, chi2, poisson,
multivariate_normal, dirichlet), ``signal`` (``convolve``), ``linalg``
(``sqrtm``, ``solve_triangular``, ``cholesky``, ...) and ``integrate``
(``odeint``). The same names as ``autograd.scipy``: code written for autograd
runs with ``autograd`` replaced by ``teachgrad`` in the imports.

SciPy is an optional dependency: ``pip install scipy``.
"""
try:
    import scipy as _scipy  # noqa: F401
except ImportError as _error:          # pragma: no cover - depends on the environment
    raise ImportError(
        "teachgrad.scipy needs SciPy, which is not installed.\n"
        "Why: these functions call SciPy to compute their values; teachgrad only adds "
        "their gradients.\n"
        "Instead: install it with  pip install scipy  (or  pip install 'teachgrad[scipy]'), "
        "then run your code again.") from _error

from . import integrate, linalg, signal, special, stats  # noqa: E402,F401
from . import _options  # noqa: E402

_options.install()      # each option of each differentiable function: followed or refused

__all__ = ["integrate", "linalg", "signal", "special", "stats"]
