"""What a recorded call of each differentiable SciPy function does with its options.

The same three columns as teachgrad/numpy/keywords.py (arrays | followed |
refused; ``@ufunc`` for scipy.special's ufuncs, whose out=, where=, dtype=, ...
are refused). An option not listed is refused when given with a traced value,
and tests/scipy/test_options.py fails until it is classified here.
"""
from __future__ import annotations

import functools
import inspect

import numpy

from ..numpy.keywords import UFUNC_DEFAULTS, give_rules, parse, rules_for
from ..tracing import Primitive
from . import integrate, linalg, signal, special, stats

MODULES = {"integrate": integrate, "linalg": linalg, "signal": signal, "special": special,
           "stats": stats}

TABLE = """
special.beta: x1 x2 | | @ufunc
special.betaln: x1 x2 | | @ufunc
special.betainc: x1 x2 x3 | | @ufunc
special.digamma: x | | @ufunc
special.psi: x | | @ufunc
special.gamma: x | | @ufunc
special.gammaln: x | | @ufunc
special.rgamma: x | | @ufunc
special.gammasgn: x | | @ufunc
special.gammainc: x1 x2 | | @ufunc
special.gammaincc: x1 x2 | | @ufunc
special.erf: x | | @ufunc
special.erfc: x | | @ufunc
special.erfinv: x | | @ufunc
special.erfcinv: x | | @ufunc
special.expit: x | | @ufunc
special.logit: x | | @ufunc
special.i0: x | | @ufunc
special.i1: x | | @ufunc
special.iv: x1 x2 | | @ufunc
special.ive: x1 x2 | | @ufunc
special.j0: x | | @ufunc
special.j1: x | | @ufunc
special.jn: x1 x2 | | @ufunc
special.y0: x | | @ufunc
special.y1: x | | @ufunc
special.yn: x1 x2 | | @ufunc
special.polygamma: n x | |
special.multigammaln: a d | |
special.logsumexp: a b | axis keepdims | return_sign
linalg.cholesky: a | lower check_finite | overwrite_a
linalg.sqrtm: A | blocksize | disp
linalg.solve_triangular: a b | trans lower unit_diagonal check_finite | overwrite_b
linalg.solve_banded: ab b | l_and_u check_finite | overwrite_ab overwrite_b
linalg.solve_sylvester: a b q | |
signal.convolve: A B | axes dot_axes mode |
stats.norm.pdf: x loc scale | |
stats.norm.logpdf: x loc scale | |
stats.norm.cdf: x loc scale | |
stats.norm.logcdf: x loc scale | |
stats.norm.sf: x loc scale | |
stats.norm.logsf: x loc scale | |
stats.t.pdf: x df loc scale | |
stats.t.logpdf: x df loc scale | |
stats.t.cdf: x df loc scale | |
stats.t.logcdf: x df loc scale | |
stats.beta.pdf: x a b loc scale | |
stats.beta.logpdf: x a b loc scale | |
stats.beta.cdf: x a b loc scale | |
stats.gamma.pdf: x a loc scale | |
stats.gamma.logpdf: x a loc scale | |
stats.gamma.cdf: x a loc scale | |
stats.chi2.pdf: x df loc scale | |
stats.chi2.logpdf: x df loc scale | |
stats.chi2.cdf: x df loc scale | |
stats.poisson.pmf: k mu loc | |
stats.poisson.logpmf: k mu loc | |
stats.poisson.cdf: k mu loc | |
stats.dirichlet.pdf: x alpha | |
stats.dirichlet.logpdf: x alpha | |
stats.multivariate_normal.pdf: x mean cov | allow_singular |
stats.multivariate_normal.logpdf: x mean cov | allow_singular |
stats.multivariate_normal.entropy: mean cov | |
"""

ENTRIES = parse(TABLE)

# Options a function takes through **kwargs (so its signature does not name them).
THROUGH_KWARGS = {"linalg.sqrtm": {"blocksize", "disp"}}

REASONS = {"overwrite": ("overwrite_...=True lets LAPACK write into the traced array's own entries, "
                         "which other steps of the computation and of its gradient still read.",
                         "leave out overwrite_...= (SciPy then works on a copy)."),
           "return_sign": ("the sign is piecewise constant and the log of the absolute value needs "
                           "another gradient rule.", "use positive weights b and leave out return_sign=.")}


def function(qualified: str):
    """teachgrad.scipy's function for a table name (``special.gammaln``)."""
    first, *rest = qualified.split(".")
    return functools.reduce(getattr, rest, MODULES[first])


def parameters(fun) -> list[inspect.Parameter] | None:
    target = fun.fun if isinstance(fun, Primitive) else fun
    try:
        params = list(inspect.signature(target).parameters.values())
    except (TypeError, ValueError):
        if not isinstance(target, numpy.ufunc):
            return None
        names = ["x"] if target.nin == 1 else [f"x{i + 1}" for i in range(target.nin)]
        params = [inspect.Parameter(n, inspect.Parameter.POSITIONAL_ONLY) for n in names] + [
            inspect.Parameter(k, inspect.Parameter.KEYWORD_ONLY, default=d) for k, d in UFUNC_DEFAULTS.items()]
    return [p for p in params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


def guard_overwrites() -> None:
    """scipy.linalg's primitives without a gradient still refuse overwrite_*=True on a traced array.

    LAPACK would write into the traced array's own entries, which other steps
    of the computation (and their gradients) still read.
    """
    for name in dir(linalg):
        fun = getattr(linalg, name)
        if not isinstance(fun, Primitive) or fun.keywords is not None:
            continue
        params = parameters(fun) or []
        overwrites = [p.name for p in params if p.name.startswith("overwrite")]
        if not overwrites:
            continue
        entry = parse(f"{name}: | {' '.join(p.name for p in params if p.name not in overwrites)} | "
                      f"{' '.join(overwrites)}")[name]
        give_rules(fun, *rules_for(entry, params, {}))
        for rule in list(fun.keywords.values()) + list(fun.positions.values()):
            if getattr(rule, "name", "").startswith("overwrite"):
                rule.reason = REASONS["overwrite"][0]
                rule.instead = REASONS["overwrite"][1]


def install() -> None:
    """Give each listed primitive of teachgrad.scipy its rules (called once its modules are loaded)."""
    for qualified, entry in ENTRIES.items():
        fun = function(qualified)
        if isinstance(fun, Primitive):
            give_rules(fun, *rules_for(entry, parameters(fun) or [], {}))
            for rule in list(fun.keywords.values()) + list(fun.positions.values()):
                if getattr(rule, "name", None) in REASONS:
                    rule.reason, rule.instead = REASONS[rule.name]
                elif getattr(rule, "name", "").startswith("overwrite"):
                    rule.reason, rule.instead = REASONS["overwrite"]
    guard_overwrites()
