"""Every function of teachgrad.numpy is accounted for (issue 3, item 6).

Walking the namespace, each public function must be exactly one of:

(a) differentiable: in DIFFERENTIABLE below, with small cases whose first and
    second derivatives are checked against finite differences (check_grads),
    and whose value computed on traced inputs equals numpy's;
(b) passed through: in wrapping.PASS_THROUGH, returning plain values even
    when given traced ones (checked on a sample call, or listed in
    NO_FLOAT_INPUT when it takes no float arrays at all);
(c) deliberately without a gradient: in NO_GRADIENT, with the reason, and
    differentiating through it raises NoGradientError; or
(d) writing in place: in IN_PLACE, refusing traced values with AssignmentError.

A function in none of these fails the test, so a new numpy function (or a new
wrapper) cannot slip through unnoticed.
"""

import warnings

import numpy as onp
import pytest

from gradcheck import (
    BACKEND,
    check_grads,
    np,
    rand,
    rand_away_from_zero,
    rand_complex,
    rand_distinct,
    rand_pair_without_ties,
)

pytestmark = [
    pytest.mark.skipif(BACKEND != "teachgrad", reason="walks teachgrad.numpy's own namespace"),
    pytest.mark.filterwarnings("ignore:Output seems independent of input"),
    pytest.mark.filterwarnings("ignore:.*row_stack.*:DeprecationWarning"),
]

if BACKEND == "teachgrad":
    from teachgrad import grad, make_vjp
    from teachgrad.errors import AssignmentError, NoGradientError
    from teachgrad.graph import Node
    from teachgrad.numpy.wrapping import PASS_THROUGH, is_function
    from teachgrad.tracing import Primitive


# --------------------------------------------------------------------------
# Inputs (small: every case is checked to second order by finite differences)
# --------------------------------------------------------------------------


def u(*shape, lo=-1.0, hi=1.0, seed=0):
    return rand(shape, lo, hi, seed=seed)


def pos(*shape, seed=0):
    return rand(shape, 0.5, 2.0, seed=seed)


def nz(*shape, seed=0):
    return rand_away_from_zero(shape, 0.3, 1.5, seed=seed)


def cx(*shape, seed=0):
    return rand_complex(shape, seed=seed)


def distinct(*shape, seed=0):
    return rand_distinct(shape, seed=seed)


def no_ties(sa, sb, seed=0):
    return rand_pair_without_ties(sa, sb, seed=seed)


def case(fun, *args, **check):
    """fun(*args) with float/complex args; ``check`` goes to check_grads (argnums, order, rtol)."""
    return (fun, args, check)


def smooth(f):
    """For linear functions (selections): feed sin(x) and square the result, so
    the second derivative is not trivially zero."""
    return lambda *a: f(*[np.sin(t) for t in a]) ** 2


SQUARE = u(3, 3, seed=7)
ROWS = onp.array([0, 2, 1, 2])
MASK = onp.array([[True, False, True], [False, True, True]])

# Elementwise functions of one argument: name -> inputs (real, and complex
# where numpy defines the function on complex numbers).
UNARY = {
    "abs": [nz(2, 3), cx(3)], "absolute": [nz(3), cx(2, 2)], "fabs": [nz(2, 3)],
    "negative": [u(2, 3), cx(3)], "positive": [u(3), cx(2)],
    "exp": [u(2, 3), cx(3)], "expm1": [u(3)], "exp2": [u(2, 3)],
    "log": [pos(2, 3), cx(3) + 2.0], "log2": [pos(3)], "log10": [pos(2, 2)], "log1p": [u(3, lo=-0.5)],
    "sqrt": [pos(2, 3), cx(3) + 2.0], "cbrt": [nz(3)], "square": [u(2, 3), cx(2)],
    "reciprocal": [nz(2, 3), cx(2) + 2.0],
    "sin": [u(2, 3), cx(3)], "cos": [u(3), cx(2)], "tan": [u(2, 3)],
    "sinh": [u(3)], "cosh": [u(3), cx(2)], "tanh": [u(2, 3)],
    "arcsin": [u(2, 3, lo=-0.8, hi=0.8), cx(2) * 0.5], "asin": [u(3, lo=-0.8, hi=0.8)],
    "arccos": [u(2, 3, lo=-0.8, hi=0.8)], "acos": [u(3, lo=-0.8, hi=0.8)],
    "arctan": [u(2, 3, lo=-2, hi=2), cx(2) * 0.5], "atan": [u(3, lo=-2, hi=2)],
    "arcsinh": [u(2, 3, lo=-2, hi=2)], "asinh": [u(3, lo=-2, hi=2)],
    "arccosh": [u(2, 3, lo=1.2, hi=3.0)], "acosh": [u(3, lo=1.2, hi=3.0)],
    "arctanh": [u(2, 3, lo=-0.8, hi=0.8)], "atanh": [u(3, lo=-0.8, hi=0.8)],
    "deg2rad": [u(3)], "radians": [u(2, 2)], "rad2deg": [u(3)], "degrees": [u(2, 2)],
    "sinc": [u(2, 3, lo=-2, hi=2), onp.array([0.0, 1e-5, -3e-5, 0.7])],
    "sign": [nz(2, 3), cx(3)], "nan_to_num": [u(2, 3)], "unwrap": [u(5, lo=-3, hi=3)],
    "real": [u(3), cx(2, 2)], "imag": [cx(2, 2)], "conj": [u(3), cx(3)], "conjugate": [cx(2, 2)],
    "angle": [cx(2, 3), nz(3)], "real_if_close": [cx(3), u(3)],
}

# Elementwise functions of two arguments, broadcasting: name -> (x, y) pairs.
BINARY = {
    "add": [(u(2, 3), u(3, seed=1)), (cx(3), u(2, 1))],
    "subtract": [(u(3), u(2, 3, seed=1))],
    "multiply": [(u(2, 3), u(3, seed=1)), (cx(2), cx(2, seed=1))],
    "divide": [(u(2, 3), nz(3, seed=1))], "true_divide": [(u(3), nz(2, 1, seed=1))],
    "power": [(pos(2, 3), u(3, seed=1)), (cx(3) + 2.0, 2.5), (cx(2), cx(2, seed=1) + 1.0)],
    "pow": [(pos(3), u(2, 3, seed=1))], "float_power": [(pos(2, 3), u(3, seed=1))],
    "maximum": [no_ties((2, 3), (3,))], "minimum": [no_ties((3,), (2, 3), seed=1)],
    "fmax": [no_ties((2, 3), (2, 3), seed=2)], "fmin": [no_ties((3,), (3,), seed=3)],
    "mod": [(u(2, 3, lo=0.2, hi=1.8), u(3, lo=2.0, hi=2.5, seed=1))],
    "remainder": [(u(3, lo=-1.8, hi=-0.2), u(3, lo=2.0, hi=2.5, seed=1))],
    "fmod": [(u(2, 3, lo=-1.8, hi=1.8), u(3, lo=2.0, hi=2.5, seed=1))],
    "floor_divide": [(u(2, 3, lo=0.2, hi=1.8), u(3, lo=2.0, hi=2.5, seed=1))],
    "arctan2": [(u(2, 3), nz(3, seed=1))], "atan2": [(u(3), nz(2, 3, seed=1))],
    "hypot": [(nz(2, 3), nz(3, seed=1))],
    "logaddexp": [(u(2, 3), u(3, seed=1))], "logaddexp2": [(u(3), u(2, 1, seed=1))],
    "copysign": [(nz(2, 3), nz(3, seed=1))],
}


def getattr_np(name):
    """np.<name>, looked up when called (the namespace is the backend's)."""
    def call(*a, **k):
        return getattr(np, name)(*a, **k)
    call.__name__ = name
    return call


DIFFERENTIABLE = {}
for _name, _inputs in UNARY.items():
    # ... and once more on a Python scalar (0-d), taken from the first input
    _scalar = [] if _name == "unwrap" else [onp.ravel(_inputs[0])[0].item()]
    DIFFERENTIABLE[_name] = [case(getattr_np(_name), x) for x in _inputs + _scalar]
for _name, _pairs in BINARY.items():
    # ... and once more with a Python scalar as the second argument
    _x, _y = _pairs[0]
    _pairs = _pairs + [(_x, onp.ravel(_y)[0].item())]
    DIFFERENTIABLE[_name] = [case(getattr_np(_name), x, y) for x, y in _pairs]

INTERP_XP = onp.array([-1.0, -0.2, 0.5, 1.3])

DIFFERENTIABLE.update({
    # ---------------------------------------------------------------- elementwise, special
    "ldexp": [case(lambda x: np.ldexp(x, onp.array([1, -2, 3])), u(2, 3))],
    "nextafter": [case(lambda x: np.nextafter(x, 5.0) ** 2, u(2, 3))],
    "heaviside": [case(lambda h: np.heaviside(onp.array([0.0, 1.0, -1.0]), h), u(3))],
    "where": [case(lambda a, b: np.where(MASK, a, b), u(2, 3), u(3, seed=1)),
              case(lambda a: np.where(a > 0, a * a, 0.1 * a), nz(2, 3))],
    "clip": [case(lambda x: np.clip(x, -0.5, 0.5) * np.sin(x), onp.array([-1.3, -0.2, 0.35, 0.9])),
             case(lambda x, lo: np.clip(x, lo, None), onp.array([-1.3, 0.2, 0.6]), onp.array([-1.0, 0.5, 0.1]))],
    "interp": [case(lambda x, xp, fp: np.interp(x, xp, fp), u(2, 3, lo=-1.5, hi=1.5), INTERP_XP, u(4, seed=1)),
               case(lambda x, fp: np.interp(x, INTERP_XP, fp, left=0.5), u(5, lo=-1.5, hi=1.5, seed=2),
                    cx(4, seed=3)),
               case(np.interp, 0.3, INTERP_XP, u(4, seed=4))],
    # ---------------------------------------------------------------- reductions
    "sum": [case(lambda x: np.sum(x, axis=-1), u(2, 3)), case(lambda x: np.sum(x, axis=(0, 2), keepdims=True) ** 2,
                                                             u(2, 3, 2)), case(np.sum, cx(3))],
    "mean": [case(lambda x: np.mean(x, axis=0, keepdims=True), u(2, 3)), case(np.mean, cx(2, 2))],
    "prod": [case(lambda x: np.prod(x, axis=1), nz(2, 3)), case(np.prod, onp.array([0.5, 0.0, 2.0])),
             case(np.prod, cx(3))],
    "var": [case(lambda x: np.var(x, axis=-1, ddof=1), u(2, 3)), case(np.var, cx(3))],
    "std": [case(lambda x: np.std(x, axis=0, keepdims=True), u(3, 2)), case(np.std, cx(3))],
    "max": [case(lambda x: np.max(x, axis=1), distinct(2, 3))], "min": [case(np.min, distinct(2, 3))],
    "amax": [case(lambda x: np.amax(x, axis=0, keepdims=True), distinct(2, 3))],
    "amin": [case(lambda x: np.amin(x, axis=-1), distinct(2, 3))],
    "ptp": [case(lambda x: np.ptp(x, axis=1), distinct(2, 3)), case(np.ptp, distinct(4)),
            case(lambda x: np.ptp(x, axis=-2, keepdims=True), distinct(2, 3))],
    "cumsum": [case(np.cumsum, u(2, 3)), case(lambda x: np.cumsum(x, axis=-2), u(2, 3)), case(np.cumsum, cx(3))],
    "cumprod": [case(lambda x: np.cumprod(x, axis=1), nz(2, 3)),
                case(np.cumprod, onp.array([0.7, 0.0, -1.2, 0.0, 0.5]))],
    "cumulative_sum": [case(lambda x: np.cumulative_sum(x, axis=1, include_initial=True), u(2, 3))],
    "cumulative_prod": [case(lambda x: np.cumulative_prod(x, include_initial=True), nz(4))],
    "nansum": [case(lambda x: np.nansum(x, axis=0), onp.array([[1.0, onp.nan, 0.3], [0.2, 0.5, -1.0]]))],
    "nanmean": [case(lambda x: np.nanmean(x, axis=1, keepdims=True),
                     onp.array([[1.0, onp.nan, 0.3], [0.2, 0.5, -1.0]]))],
    "nanvar": [case(lambda x: np.nanvar(x, axis=-1, ddof=1), onp.array([[1.0, onp.nan, 0.3], [0.2, 0.5, -1.0]])),
               case(np.nanvar, cx(2, 2))],
    "nanstd": [case(np.nanstd, onp.array([1.0, onp.nan, 0.3, -0.4])), case(np.nanstd, cx(3))],
    "nanprod": [case(lambda x: np.nanprod(x, axis=0), onp.array([[1.1, onp.nan, 0.3], [0.2, 0.5, -1.0]]))],
    "nanmax": [case(lambda x: np.nanmax(x, axis=1), onp.array([[1.1, onp.nan, 0.3], [0.2, 0.5, -1.0]]))],
    "nanmin": [case(np.nanmin, onp.array([[1.1, onp.nan, 0.3], [0.2, 0.5, -1.0]]))],
    "nancumsum": [case(np.nancumsum, onp.array([1.1, onp.nan, 0.3, 0.2]))],
    "nancumprod": [case(lambda x: np.nancumprod(x, axis=1), onp.array([[1.1, onp.nan, 0.3], [0.2, 0.5, -1.0]]))],
    "median": [case(np.median, distinct(5)), case(lambda x: np.median(x, axis=-1, keepdims=True), distinct(2, 4))],
    "nanmedian": [case(lambda x: np.nanmedian(x, axis=1), onp.array([[1.1, onp.nan, 0.3, 0.0], [0.2, 0.5, -1.0, 2.0]]))],
    "quantile": [case(lambda x: np.quantile(x, [0.3, 0.8], axis=0), distinct(4, 2)),
                 case(lambda x: np.quantile(x, 0.3, axis=(0, 2), keepdims=True), distinct(2, 2, 3)),
                 case(lambda x, q: np.quantile(x, q), distinct(5), onp.array([0.3, 0.55]))],
    "nanquantile": [case(lambda x: np.nanquantile(x, 0.4), onp.array([1.1, onp.nan, 0.3, 0.0, 2.0]))],
    "percentile": [case(lambda x, q: np.percentile(x, q, axis=1, method="linear"), distinct(2, 4), 35.0),
                   case(lambda x: np.percentile(x, 70, method="midpoint"), distinct(5))],
    "nanpercentile": [case(lambda x: np.nanpercentile(x, [20, 90], axis=0),
                           onp.array([[1.1, onp.nan], [0.3, 0.2], [0.5, -1.0]]))],
    "average": [case(lambda x: np.average(x, axis=1), u(2, 3)),
                case(lambda x, w: np.average(x, axis=-1, weights=w), u(2, 3), pos(3)),
                case(lambda x, w: np.average(x, weights=w), u(2, 3), pos(2, 3)),
                case(lambda x, w: np.average(x, 0, w, returned=True)[0], u(2, 3), pos(2))],
    "trapezoid": [case(lambda y: np.trapezoid(y, dx=0.5), u(2, 4)),
                  case(lambda y, x: np.trapezoid(y, x, axis=0), u(3, 2), onp.array([0.0, 0.4, 1.5]))],
    "diff": [case(lambda x: np.diff(x, n=2), u(2, 4)), case(lambda x: np.diff(x, axis=0, prepend=0.5), u(3, 2)),
             case(lambda x: np.diff(x), cx(3)),
             case(lambda x, p, a: np.diff(x, prepend=p, append=a), u(2, 3), u(2, 1, seed=1), u(2, 2, seed=2))],
    "ediff1d": [case(lambda x, e: np.ediff1d(x, e, 0.5), u(2, 2), u(2, seed=1))],
    "gradient": [case(lambda x: np.gradient(x, axis=1), u(2, 4)),
                 case(lambda x, c: np.gradient(x, c), u(5), onp.array([0.0, 0.3, 1.0, 1.2, 2.0])),
                 case(lambda x: np.stack(np.gradient(x, 0.5, edge_order=2)), u(3, 4)),
                 case(lambda x, c: np.gradient(x, c, edge_order=2), u(4), onp.array([0.0, 0.3, 1.0, 1.2]))],
    "cov": [case(np.cov, u(2, 4)), case(lambda x, y: np.cov(x, y, rowvar=False, ddof=0), u(4, 2), u(4, seed=1)),
            case(lambda x: np.cov(x, aweights=onp.array([1.0, 2.0, 0.5, 1.0]), fweights=onp.array([1, 2, 1, 3])),
                 u(2, 4)),
            case(np.cov, cx(2, 3))],
    "corrcoef": [case(np.corrcoef, u(3, 4)), case(lambda x, y: np.corrcoef(x, y), u(4), u(4, seed=1))],
    "trace": [case(np.trace, u(3, 3)), case(lambda x: np.trace(x, offset=1, axis1=1, axis2=2), u(2, 3, 4))],
    # ---------------------------------------------------------------- products
    "dot": [case(np.dot, u(2, 3), u(3, seed=1)), case(np.dot, cx(2, 2), u(2, 2, seed=1))],
    "matmul": [case(np.matmul, u(2, 2, 3), u(3, 2, seed=1))],
    "outer": [case(np.outer, u(3), u(2, seed=1))],
    "tensordot": [case(lambda a, b: np.tensordot(a, b, axes=([0, 2], [1, 0])), u(2, 3, 2), u(2, 2, seed=1))],
    "einsum": [case(lambda a, b: np.einsum("ij,jk->ik", a, b), u(2, 3), u(3, 2, seed=1)),
               case(lambda a, b: np.einsum(a, [0, 1], b, [1, 2], [2, 0]), u(2, 3), u(3, 2, seed=1))],
    "inner": [case(np.inner, u(2, 3), u(3, seed=1)), case(np.inner, u(2, 2), cx(3, 2)), case(np.inner, 1.5, u(3))],
    "vdot": [case(np.vdot, u(2, 2), u(4, seed=1)), case(np.vdot, cx(3), cx(3, seed=1))],
    "cross": [case(np.cross, u(2, 3), u(3, seed=1)),
              case(lambda a, b: np.cross(a, b, axisa=0, axisb=0, axisc=0), u(3, 2), u(3, 2, seed=1))],
    "kron": [case(np.kron, u(2, 3), u(2, seed=1)), case(np.kron, 1.5, u(3)), case(np.kron, u(2, 1), cx(2, 2))],
    "convolve": [case(lambda a, v, mode=mode: np.convolve(a, v, mode), u(4), u(n, seed=1))
                 for mode in ("full", "same", "valid") for n in (2, 5)] + [case(np.convolve, cx(3), u(2))],
    "correlate": [case(lambda a, v, mode=mode: np.correlate(a, v, mode), u(4), u(n, seed=1))
                  for mode in ("full", "same", "valid") for n in (2, 5)] +
                 [case(lambda a, v: np.correlate(a, v, "same"), cx(2), cx(5, seed=1))],
    "vecdot": [case(np.vecdot, u(2, 3), u(3, seed=1)), case(np.vecdot, cx(3), cx(2, 3, seed=1))],
    "matvec": [case(np.matvec, u(2, 2, 3), u(3, seed=1))],
    "vecmat": [case(np.vecmat, cx(2), u(2, 3, seed=1)), case(np.vecmat, u(2, 3), u(3, 2, seed=1))],
    "vander": [case(lambda x: np.vander(x, 4), u(3)), case(lambda x: np.vander(x, increasing=True), u(3))],
    "polyval": [case(np.polyval, u(3), u(2, 2, seed=1)), case(np.polyval, u(1), u(2))],
    "polyadd": [case(np.polyadd, u(2), u(4, seed=1))], "polysub": [case(np.polysub, u(3), u(2, seed=1))],
    "polymul": [case(np.polymul, u(3), u(2, seed=1))],
    "polyder": [case(lambda p: np.polyder(p, 2), u(4)), case(np.polyder, u(1))],
    "polyint": [case(lambda p: np.polyint(p, 2, k=[1.0, 2.0]), u(3))],
    "polydiv": [case(lambda a, b: np.concatenate(np.polydiv(a, b)), u(4), nz(2, seed=1)),
                case(lambda a, b: np.polydiv(a, b)[1], u(2), nz(3, seed=1))],
    "poly": [case(np.poly, u(3)), case(lambda r: np.real(np.poly(r)), cx(2))],
    # ---------------------------------------------------------------- shapes: moving entries
    "reshape": [case(smooth(lambda x: np.reshape(x, (3, -1))), u(2, 3))],
    "ravel": [case(smooth(np.ravel), u(2, 3))], "copy": [case(smooth(np.copy), u(3))],
    "squeeze": [case(smooth(lambda x: np.squeeze(x, axis=1)), u(2, 1, 3))],
    "expand_dims": [case(smooth(lambda x: np.expand_dims(x, -1)), u(2, 3))],
    "broadcast_to": [case(smooth(lambda x: np.broadcast_to(x, (2, 2, 3))), u(2, 1, 3))],
    "astype": [case(smooth(lambda x: np.astype(x, onp.complex128)), u(3)),
               # (the strict checker's finite differences are float32's here: too coarse)
               case(lambda x: np.astype(x, onp.float32) * onp.float32(2.0), u(3), eps=1e-2, rtol=1e-4, order=1,
                    modes=())],
    "transpose": [case(smooth(lambda x: np.transpose(x, (2, 0, 1))), u(2, 3, 2))],
    "permute_dims": [case(smooth(lambda x: np.permute_dims(x, (1, 0, 2))), u(2, 3, 2))],
    "matrix_transpose": [case(smooth(np.matrix_transpose), u(2, 2, 3))],
    "swapaxes": [case(smooth(lambda x: np.swapaxes(x, 0, -1)), u(2, 3, 2))],
    "moveaxis": [case(smooth(lambda x: np.moveaxis(x, 0, -1)), u(2, 3, 2))],
    "rollaxis": [case(smooth(lambda x: np.rollaxis(x, 2)), u(2, 3, 2)),
                 case(smooth(lambda x: np.rollaxis(x, 0, 3)), u(2, 3, 2)),
                 case(smooth(lambda x: np.rollaxis(x, -1, 1)), u(2, 3, 2))],
    "repeat": [case(smooth(lambda x: np.repeat(x, 2, axis=-1)), u(2, 3))],
    "tile": [case(smooth(lambda x: np.tile(x, (2, 1))), u(2, 3))],
    "flip": [case(smooth(np.flip), u(2, 3)), case(smooth(lambda x: np.flip(x, axis=-1)), u(2, 3))],
    "fliplr": [case(smooth(np.fliplr), u(2, 3))], "flipud": [case(smooth(np.flipud), u(2, 3))],
    "rot90": [case(smooth(np.rot90), u(2, 3)), case(smooth(lambda x: np.rot90(x, 3, axes=(1, 2))), u(2, 2, 3))],
    "roll": [case(smooth(lambda x: np.roll(x, 2)), u(2, 3)), case(smooth(lambda x: np.roll(x, (1, -1), axis=(0, 1))),
                                                                 u(2, 3))],
    "diag": [case(smooth(np.diag), u(3)), case(smooth(lambda x: np.diag(x, -1)), u(2, 3)),
             case(smooth(lambda x: np.diag(x, 1)), u(3, 2))],
    "diagflat": [case(smooth(lambda x: np.diagflat(x, 1)), u(2, 2))],
    "make_diagonal": [case(lambda d: np.make_diagonal(np.sin(d), axis1=-1, axis2=-2) ** 2, u(2, 3))],
    "diagonal": [case(smooth(np.diagonal), u(3, 3)), case(smooth(lambda x: np.diagonal(x, -1, 2, 0)), u(3, 2, 3))],
    "triu": [case(smooth(np.triu), u(3, 3)), case(smooth(lambda x: np.triu(x, 1)), u(2, 3, 3))],
    "tril": [case(smooth(lambda x: np.tril(x, -1)), u(3, 2)), case(np.tril, cx(2, 2))],
    "take": [case(smooth(lambda x: np.take(x, ROWS)), u(2, 3)),
             case(smooth(lambda x: np.take(x, [[0, 2]], axis=1)), u(2, 3)),
             case(smooth(lambda x: np.take(x, [5, -1], mode="wrap")), u(3)),
             case(smooth(lambda x: np.take(x, 4)), u(2, 3))],
    "take_along_axis": [case(smooth(lambda x: np.take_along_axis(x, onp.array([[0, 0], [2, 1]]), axis=1)),
                             u(2, 3))],
    "compress": [case(smooth(lambda x: np.compress([True, False, True], x, axis=1)), u(2, 3))],
    "extract": [case(smooth(lambda x: np.extract(MASK, x)), u(2, 3))],
    "delete": [case(smooth(lambda x: np.delete(x, 1, axis=1)), u(2, 3)), case(smooth(lambda x: np.delete(x, [0, 3])),
                                                                             u(2, 3))],
    "insert": [case(lambda x, v: np.insert(x, 1, v, axis=1) ** 2, u(2, 3), u(2, seed=1)),
               case(lambda x, v: np.insert(x, [0, 2], v) ** 2, u(3), u(2, seed=1))],
    "resize": [case(smooth(lambda x: np.resize(x, (3, 3))), u(2, 2))],
    "sort": [case(smooth(np.sort), distinct(2, 3)), case(smooth(lambda x: np.sort(x, axis=0)), distinct(3, 2)),
             case(smooth(lambda x: np.sort(x, axis=None)), distinct(2, 2))],
    "partition": [case(smooth(lambda x: np.partition(x, 1)), distinct(2, 4))],
    "sort_complex": [case(lambda z: np.real(np.sort_complex(z) * onp.arange(1.0, 4.0)), cx(3)),
                     case(lambda x: np.real(np.sort_complex(x)) ** 2, distinct(3))],
    "pad": [case(smooth(lambda x: np.pad(x, 1)), u(2, 3)),
            case(smooth(lambda x: np.pad(x, ((1, 0), (2, 1)), mode="constant", constant_values=0.5)), u(2, 2)),
            case(smooth(lambda x: np.pad(x, 2, mode="reflect")), u(3)),
            case(smooth(lambda x: np.pad(x, (1, 2), mode="edge")), u(2, 2)),
            case(smooth(lambda x: np.pad(x, 2, mode="wrap")), u(3)),
            case(smooth(lambda x: np.pad(x, (2, 1), mode="symmetric")), u(3))],
    "trim_zeros": [case(lambda x: np.trim_zeros(x * onp.array([0.0, 0.0, 1.0, 0.0, 1.0, 0.0])) ** 2, u(6)),
                   case(lambda x: np.trim_zeros(x * onp.array([[0.0, 0.0, 0.0], [0.0, 1.0, 1.0]]), axis=0) ** 2,
                        u(2, 3))],
    # ---------------------------------------------------------------- constructors with a value
    "full": [case(lambda v: np.full((2, 3), v) * onp.arange(6.0).reshape(2, 3), 0.7),
             case(lambda v: np.full((2, 3), v) ** 2, u(3))],
    "linspace": [case(lambda a, b: np.linspace(a, b, 4) ** 2, 0.3, 1.7),
                 case(lambda a, b: np.linspace(a, b, 3, endpoint=False, axis=-1) ** 2, u(2), 1.5)],
    "logspace": [case(lambda a, b: np.logspace(a, b, 4, base=2.0), 0.3, 1.2)],
    "geomspace": [case(lambda a, b: np.geomspace(a, b, 4), 0.3, u(2, lo=1.0, hi=3.0))],
    # ---------------------------------------------------------------- joining and splitting (Python-level)
    "array": [case(lambda a, b: np.array([a, 2.0 * b, a * b]), 0.5, u(1)[0] + 0.0)],
    "asarray": [case(lambda a: np.asarray([a, a * a]), 0.5)],
    "asanyarray": [case(smooth(np.asanyarray), u(2, 3))],
    "ascontiguousarray": [case(smooth(np.ascontiguousarray), u(2, 3))],
    "asfortranarray": [case(smooth(np.asfortranarray), u(2, 3))],
    "asarray_chkfinite": [case(smooth(np.asarray_chkfinite), u(2, 3))],
    "require": [case(smooth(np.require), u(2, 3))],
    "concatenate": [case(lambda a, b: np.concatenate([a, b], axis=-1) ** 2, u(2, 3), u(2, 2, seed=1))],
    "concat": [case(lambda a, b: np.concat([a, b]) ** 2, u(2, 3), u(1, 3, seed=1))],
    "stack": [case(lambda a, b: np.stack([a, b], axis=1) ** 2, u(2, 3), u(2, 3, seed=1))],
    "hstack": [case(lambda a, b: np.hstack([a, b]) ** 2, u(2), u(3, seed=1))],
    "vstack": [case(lambda a, b: np.vstack([a, b]) ** 2, u(3), u(2, 3, seed=1))],
    "row_stack": [case(lambda a, b: np.row_stack([a, b]) ** 2, u(3), u(2, 3, seed=1))],
    "dstack": [case(lambda a, b: np.dstack([a, b]) ** 2, u(3), u(1, 3, seed=1))],
    "column_stack": [case(lambda a, b: np.column_stack([a, b]) ** 2, u(3), u(3, 2, seed=1)),
                     case(lambda a: np.column_stack(a) ** 2, u(3))],
    "append": [case(lambda a, b: np.append(a, b) ** 2, u(2, 2), u(3, seed=1)),
               case(lambda a, b: np.append(a, b, axis=0) ** 2, u(2, 2), u(1, 2, seed=1))],
    "block": [case(lambda a, b, c: np.block([[a, b], [c]]) ** 2, u(2, 2), u(2, 1, seed=1), u(1, 3, seed=2)),
              case(lambda a, b: np.block([a, b]) ** 2, u(2), 0.5)],
    "atleast_1d": [case(lambda a: np.atleast_1d(a) ** 2, 0.5)],
    "atleast_2d": [case(lambda a: np.atleast_2d(a) ** 2, u(3))],
    "atleast_3d": [case(lambda a: np.atleast_3d(a) ** 2, u(2, 3))],
    "broadcast_arrays": [case(lambda a, b: np.stack(np.broadcast_arrays(a, b)) ** 2, u(2, 1), u(3, seed=1))],
    "split": [case(lambda x: np.split(x, 2, axis=1)[1] ** 2, u(2, 4)),
              case(lambda x: np.concatenate(np.split(x, [1, 3])) ** 3, u(4))],
    "array_split": [case(lambda x: np.array_split(x, 3)[0] ** 2 + np.array_split(x, 3)[2][:1], u(5))],
    "hsplit": [case(lambda x: np.hsplit(x, 3)[1] ** 2, u(2, 3))],
    "vsplit": [case(lambda x: np.vsplit(x, [1])[1] ** 2, u(3, 2))],
    "dsplit": [case(lambda x: np.dsplit(x, 2)[0] ** 2, u(1, 2, 2))],
    "unstack": [case(lambda x: np.unstack(x, axis=1)[2] ** 2, u(2, 3))],
    "select": [case(lambda a, b: np.select([MASK, ~MASK], [a, b ** 2], default=0.5), u(2, 3), u(3, seed=1)),
               case(lambda a, d: np.select([MASK], [a], default=d), u(2, 3), u(2, 1, seed=1))],
    "choose": [case(lambda a, b: np.choose(onp.array([[0, 1, 1], [1, 0, 0]]), [a, b]) ** 2, u(2, 3), u(3, seed=1)),
               case(lambda a, b: np.choose(onp.array([0, 3, -1]), [a, b], mode="wrap") ** 2, u(3), 0.5)],
    "piecewise": [case(lambda x: np.piecewise(x, [x < 0, x >= 0], [lambda t: t ** 2, lambda t: np.sin(t)]),
                       nz(2, 3)),
                  case(lambda x: np.piecewise(x, [x < -0.5], [lambda t: -t, 0.25]) * x, nz(5))],
    "apply_along_axis": [case(lambda x: np.apply_along_axis(lambda r: np.sum(r ** 2), 1, x), u(2, 3)),
                         case(lambda x: np.apply_along_axis(lambda r: np.outer(r, r), 0, x), u(2, 3))],
    "apply_over_axes": [case(lambda x: np.apply_over_axes(np.sum, x ** 2, [0, 2]), u(2, 3, 2))],
    "divmod": [case(lambda x, y: np.divmod(x, y)[1] ** 2, u(3, lo=0.2, hi=1.8), u(3, lo=2.0, hi=2.5, seed=1))],
    "modf": [case(lambda x: np.modf(x)[0] ** 2, u(2, 3, lo=0.1, hi=0.9) + onp.array([1.0, -2.0, 3.0]))],
    "frexp": [case(lambda x: np.frexp(x)[0] ** 2, u(2, 3, lo=1.1, hi=1.9))],
    # ---------------------------------------------------------------- plain-result functions with a value
    "meshgrid": [case(lambda a, b: np.meshgrid(a, b)[0] ** 2 + np.meshgrid(a, b)[1] * a[0], u(3), u(2, seed=1)),
                 case(lambda a, b: np.meshgrid(a, b, indexing="ij", sparse=True)[1] ** 3, u(3), u(2, 2, seed=1)),
                 case(lambda a, b, c: np.sum(np.meshgrid(a, b, c, copy=False)[2] * np.sin(b[0])), u(2), u(3),
                      u(2, seed=2))],
    "full_like": [case(lambda x, v: np.full_like(x, v) * x, u(2, 3), 0.4),
                  case(lambda x, v: np.full_like(x, v, shape=(2, 3), dtype=onp.complex128) ** 2, u(3), u(3, seed=1))],
    "bincount": [case(lambda w: np.bincount(onp.array([0, 2, 2, 3]), weights=w, minlength=6) ** 2, u(4)),
                 case(lambda w: np.bincount(onp.array([1, 1, 0]), w) * np.sin(w[0]), u(3))],
    "unique": [case(lambda x: np.unique(x * onp.array([1.0, 0.0, 1.0, 1.0])) ** 2, distinct(4)),
               case(lambda x: np.unique(x, return_counts=True, return_index=True)[0] ** 2, distinct(2, 3)),
               case(lambda x: np.unique(np.concatenate([x, x]), axis=0) ** 2, distinct(2, 3))],
    "unique_values": [case(lambda x: np.unique_values(np.concatenate([x, x[:1]])) ** 2, distinct(3))],
    "unique_counts": [case(lambda x: np.unique_counts(x).values ** 2, distinct(2, 2))],
    "unique_inverse": [case(lambda x: np.unique_inverse(x).values ** 2, distinct(3))],
    "unique_all": [case(lambda x: np.unique_all(np.concatenate([x, x])).values ** 2, distinct(3))],
})

DIFFERENTIABLE["angle"].append(case(lambda z: np.angle(z, deg=True), cx(3)))

# x ** y for negative x: numpy defines it for integral y (there is no gradient in y).
DIFFERENTIABLE["power"] += [case(lambda x: np.power(x, 3.0), nz(2, 3)),
                            case(lambda x: x ** onp.array([2.0, -1.0, 3.0]), nz(2, 3)),
                            case(np.power, nz(3), onp.array([2.0, -1.0, 3.0]), argnums=[0])]

# --------------------------------------------------------------------------
# (c) Deliberately without a gradient: name -> (why, a call that differentiates through it)
# --------------------------------------------------------------------------

NO_GRADIENT = {
    "i0": ("its derivative is the Bessel function I1, which numpy does not provide",
           lambda x: np.i0(x)),
    "kaiser": ("the window depends on beta through i0 (see i0)",
               lambda x: np.kaiser(4, x[0, 0])),
    "polyfit": ("a least-squares solve: use np.linalg.lstsq on np.vander(x, deg + 1)",
                lambda x: np.polyfit(onp.arange(3.0), x[0], 1)),
    "roots": ("the eigenvalues of the companion matrix: use np.linalg.eigvals",
              lambda x: np.real(np.roots(x[0]))),
    "asmatrix": ("numpy's matrix class is deprecated for new code; use 2-D arrays",
                 lambda x: np.asmatrix(x)),
    "bmat": ("builds a numpy matrix (deprecated class); use np.block",
             lambda x: np.bmat(x)),
}

# (d) Functions that write into an existing array: they refuse traced values.
IN_PLACE = {
    "copyto": lambda x: np.copyto(onp.zeros((2, 3)), x),
    "place": lambda x: np.place(onp.zeros((2, 3)), MASK, x),
    "put": lambda x: np.put(x, [0], 1.0),
    "putmask": lambda x: np.putmask(onp.zeros((2, 3)), MASK, x),
    "fill_diagonal": lambda x: np.fill_diagonal(x, 0.0),
    "put_along_axis": lambda x: np.put_along_axis(onp.zeros((2, 3)), onp.zeros((2, 1), int), x[:, :1], 1),
}

# --------------------------------------------------------------------------
# (b) Passed through: a sample call on a traced float array x of shape (2, 3)
# --------------------------------------------------------------------------

PASS_SAMPLES = {
    "shape": lambda x: np.shape(x), "ndim": lambda x: np.ndim(x), "size": lambda x: np.size(x),
    "result_type": lambda x: np.result_type(x), "can_cast": lambda x: np.can_cast(x, onp.float64),
    "min_scalar_type": lambda x: np.min_scalar_type(x), "iscomplexobj": lambda x: np.iscomplexobj(x),
    "isrealobj": lambda x: np.isrealobj(x), "isscalar": lambda x: np.isscalar(x),
    "iscomplex": lambda x: np.iscomplex(x), "isreal": lambda x: np.isreal(x),
    "isfortran": lambda x: np.isfortran(x),
    "zeros_like": lambda x: np.zeros_like(x), "ones_like": lambda x: np.ones_like(x),
    "empty_like": lambda x: np.empty_like(x),
    "diag_indices_from": lambda x: np.diag_indices_from(x[:, :2]),
    "tril_indices_from": lambda x: np.tril_indices_from(x), "triu_indices_from": lambda x: np.triu_indices_from(x),
    "argmax": lambda x: np.argmax(x), "argmin": lambda x: np.argmin(x, axis=0),
    "argsort": lambda x: np.argsort(x), "argpartition": lambda x: np.argpartition(x, 1),
    "argwhere": lambda x: np.argwhere(x), "nonzero": lambda x: np.nonzero(x),
    "flatnonzero": lambda x: np.flatnonzero(x), "count_nonzero": lambda x: np.count_nonzero(x),
    "searchsorted": lambda x: np.searchsorted(onp.arange(3.0), x),
    "nanargmax": lambda x: np.nanargmax(x), "nanargmin": lambda x: np.nanargmin(x),
    "digitize": lambda x: np.digitize(x, onp.array([-0.5, 0.5])),
    "histogram": lambda x: np.histogram(x, range=(-2, 2)),
    "histogram2d": lambda x: np.histogram2d(x[0], x[1], range=[(-2, 2), (-2, 2)]),
    "histogramdd": lambda x: np.histogramdd(x, range=[(-2, 2)] * 3),
    "histogram_bin_edges": lambda x: np.histogram_bin_edges(x, bins=onp.linspace(-2, 2, 5)),
    "lexsort": lambda x: np.lexsort(x),
    "equal": lambda x: np.equal(x, x), "not_equal": lambda x: np.not_equal(x, 0.0),
    "greater": lambda x: np.greater(x, 0.0), "greater_equal": lambda x: np.greater_equal(x, 0.0),
    "less": lambda x: np.less(x, 0.0), "less_equal": lambda x: np.less_equal(x, 0.0),
    "logical_and": lambda x: np.logical_and(x, x), "logical_or": lambda x: np.logical_or(x, x),
    "logical_not": lambda x: np.logical_not(x), "logical_xor": lambda x: np.logical_xor(x, x),
    "isnan": lambda x: np.isnan(x), "isinf": lambda x: np.isinf(x), "isfinite": lambda x: np.isfinite(x),
    "isneginf": lambda x: np.isneginf(x), "isposinf": lambda x: np.isposinf(x),
    "isclose": lambda x: np.isclose(x, x), "allclose": lambda x: np.allclose(x, x),
    "array_equal": lambda x: np.array_equal(x, x), "array_equiv": lambda x: np.array_equiv(x, x),
    "all": lambda x: np.all(x), "any": lambda x: np.any(x), "signbit": lambda x: np.signbit(x),
    "floor": lambda x: np.floor(x), "ceil": lambda x: np.ceil(x), "round": lambda x: np.round(x, 1),
    "around": lambda x: np.around(x), "rint": lambda x: np.rint(x), "fix": lambda x: np.fix(x),
    "trunc": lambda x: np.trunc(x), "spacing": lambda x: np.spacing(x),
    "array_repr": lambda x: np.array_repr(x), "array_str": lambda x: np.array_str(x),
    "array2string": lambda x: np.array2string(x),
    "format_float_positional": lambda x: np.format_float_positional(x[0, 0]),
    "format_float_scientific": lambda x: np.format_float_scientific(x[0, 0]),
    "may_share_memory": lambda x: np.may_share_memory(x, x), "shares_memory": lambda x: np.shares_memory(x, x),
    "iterable": lambda x: np.iterable(x), "isin": lambda x: np.isin(x, x),
    "intersect1d": lambda x: np.intersect1d(x.value, x.value), "union1d": lambda x: np.union1d(x.value, x.value),
    "setdiff1d": lambda x: np.setdiff1d(x.value, x[0]), "setxor1d": lambda x: np.setxor1d(x.value, x.value[0]),
    "common_type": lambda x: np.common_type(x), "einsum_path": lambda x: np.einsum_path("ij,kj", x, x),
    "nested_iters": lambda x: np.nested_iters(x.value, [[0], [1]]),
    "save": lambda x: None, "savetxt": lambda x: None,     # (would write files: listed, not called)
}

# Passed-through functions that take no float array to trace (dtypes, shapes,
# integers, strings, files, settings).
NO_FLOAT_INPUT = {
    "promote_types", "issubdtype", "isdtype", "mintypecode", "typename", "zeros", "ones", "empty",
    "eye", "identity", "arange", "indices", "tri", "diag_indices", "tril_indices", "triu_indices",
    "mask_indices", "unravel_index", "ravel_multi_index", "ix_", "fromfunction", "bartlett",
    "blackman", "hamming", "hanning", "broadcast_shapes", "bitwise_and", "bitwise_or",
    "bitwise_xor", "invert", "left_shift", "right_shift", "bitwise_not", "bitwise_count",
    "bitwise_invert", "bitwise_left_shift", "bitwise_right_shift", "gcd", "lcm", "packbits",
    "unpackbits", "isnat", "base_repr", "binary_repr", "frompyfunc", "busday_count",
    "busday_offset", "is_busday", "datetime_as_string", "datetime_data", "savez",
    "savez_compressed", "load", "loadtxt", "genfromtxt", "fromfile", "frombuffer", "fromiter",
    "fromregex", "fromstring", "from_dlpack", "get_include", "get_printoptions", "set_printoptions",
    "printoptions", "getbufsize", "setbufsize", "geterr", "seterr", "geterrcall", "seterrcall",
    "info", "show_config", "show_runtime", "test",
}
NOT_CALLED = {"save", "savetxt"}

# --------------------------------------------------------------------------
# The walk
# --------------------------------------------------------------------------


def namespace_functions():
    return {name for name in dir(np) if not name.startswith("_") and is_function(getattr(np, name))}


def test_every_function_is_accounted_for():
    functions = namespace_functions()
    passed = {n for n in functions if getattr(getattr(np, n), "notrace", False)}
    tables = {"DIFFERENTIABLE": set(DIFFERENTIABLE), "PASS_THROUGH": passed,
              "NO_GRADIENT": set(NO_GRADIENT), "IN_PLACE": set(IN_PLACE)}
    missing = sorted(functions - set().union(*tables.values()))
    assert not missing, (
        "functions of teachgrad.numpy in none of DIFFERENTIABLE, PASS_THROUGH, NO_GRADIENT or "
        f"IN_PLACE (give each a gradient and a test case, or list it with a reason): {missing}")
    names = sorted(tables)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            both = tables[a] & tables[b]
            assert not both, f"in both {a} and {b}: {sorted(both)}"
    stale = (set(DIFFERENTIABLE) | set(NO_GRADIENT) | set(IN_PLACE)) - functions
    assert not stale, f"listed but not functions of teachgrad.numpy: {sorted(stale)}"


def test_pass_through_is_exactly_the_notrace_functions():
    functions = namespace_functions()
    notrace = {n for n in functions if getattr(getattr(np, n), "notrace", False)}
    assert notrace == PASS_THROUGH & functions
    untested = sorted(notrace - set(PASS_SAMPLES) - NO_FLOAT_INPUT)
    assert not untested, f"passed-through functions without a sample call or NO_FLOAT_INPUT entry: {untested}"


def test_differentiable_functions_have_gradients():
    """Primitives in DIFFERENTIABLE have a gradient registered; the others are Python-level."""
    for name in DIFFERENTIABLE:
        f = getattr(np, name)
        if isinstance(f, Primitive):
            assert f.vjp_makers or f.vjp_argnums_maker, name
        else:
            assert not getattr(f, "notrace", False) and not getattr(f, "in_place", False), name


def test_no_gradient_functions_are_primitives_without_gradient():
    for name in NO_GRADIENT:
        f = getattr(np, name)
        assert isinstance(f, Primitive) and not f.vjp_makers and f.vjp_argnums_maker is None, name


# --------------------------------------------------------------------------
# (a) Gradients, first and second order, and values on traced inputs
# --------------------------------------------------------------------------

def _marks(check):
    reason = check.get("xfail")
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


CASES = [pytest.param(name, i, id=f"{name}-{i}", marks=_marks(DIFFERENTIABLE[name][i][2]))
         for name in sorted(DIFFERENTIABLE) for i in range(len(DIFFERENTIABLE[name]))]


def _is_float(a):
    return isinstance(a, (float, complex)) or (
        isinstance(a, onp.ndarray) and a.dtype.kind in "fc")


@pytest.mark.parametrize("name,i", CASES)
def test_gradient(name, i):
    fun, args, check = DIFFERENTIABLE[name][i]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = fun(*args)                      # plain inputs: numpy's own result
        # The same function on traced inputs computes the same values.
        for k, a in enumerate(args):
            if _is_float(a):
                _, value = make_vjp(fun, k)(*args)
                onp.testing.assert_allclose(value, expected, rtol=1e-10, atol=1e-12,
                                            err_msg=f"{name}: value on traced arg {k}")
        options = {k: v for k, v in check.items() if k != "xfail"}
        options.setdefault("order", 2)
        check_grads(fun, *args, **options)


# --------------------------------------------------------------------------
# (b) Passed through: plain results on traced inputs
# --------------------------------------------------------------------------


def _has_node(value):
    if isinstance(value, Node):
        return True
    if isinstance(value, (list, tuple)):
        return any(_has_node(v) for v in value)
    if hasattr(value, "_fields") or hasattr(value, "__dict__") and not isinstance(value, type):
        return any(_has_node(v) for v in getattr(value, "__dict__", {}).values())
    return False


def _call_traced(fn, x):
    seen = {}

    def f(x):
        seen["out"] = fn(x)
        return np.sum(x * x)
    grad(f)(x)
    return seen["out"]


@pytest.mark.parametrize("name", sorted(set(PASS_SAMPLES) - NOT_CALLED))
def test_pass_through_returns_plain_values(name):
    x = onp.array([[0.5, -1.25, 2.0], [0.0, 1.5, -0.75]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = _call_traced(PASS_SAMPLES[name], x)
    assert not _has_node(out), f"np.{name} returned a traced value"
    if isinstance(out, tuple):
        assert all(not isinstance(o, Node) for o in out)


# --------------------------------------------------------------------------
# (c), (d) No gradient; in place
# --------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(NO_GRADIENT))
def test_no_gradient_raises(name):
    why, call = NO_GRADIENT[name]
    assert why
    x = onp.array([[0.5, -1.25, 2.0], [0.3, 1.5, -0.75]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(NoGradientError, match=name):
            grad(lambda x: np.sum(np.real(np.asarray(call(x)))))(x)


@pytest.mark.parametrize("name", sorted(IN_PLACE))
def test_in_place_refuses_traced_values(name):
    x = onp.array([[0.5, -1.25, 2.0], [0.3, 1.5, -0.75]])
    with pytest.raises(AssignmentError, match=name):
        grad(lambda x: IN_PLACE[name](x) or np.sum(x))(x)
    # Plain arrays still work as in numpy.
    IN_PLACE[name](x.copy())


# --------------------------------------------------------------------------
# A few behaviours the table cannot show (those of single functions are in their family's
# test file: test_elementwise.py, test_reductions.py, test_shapes.py)
# --------------------------------------------------------------------------


def test_wrappers_match_numpy_on_plain_inputs_exactly():
    from teachgrad.numpy.sequences import WRAPPERS
    x = onp.arange(12.0).reshape(3, 4)
    assert onp.array_equal(np.average(x, axis=1, weights=onp.arange(1.0, 5.0)),
                           onp.average(x, axis=1, weights=onp.arange(1.0, 5.0)))
    assert all(onp.array_equal(a, b) for a, b in zip(np.split(x, 2, axis=1), onp.split(x, 2, axis=1)))
    assert type(np.gradient(x)) is type(onp.gradient(x))
    for name, fn in WRAPPERS.items():
        installed = getattr(np, name)      # (wrapped once more to check its options)
        assert getattr(installed, "__wrapped__", installed) is fn, name


def test_the_package_is_the_namespace_its_own_modules_compute_with():
    """teachgrad.numpy re-exports numpy/namespace.py once it is assembled: the gradient tables and
    the traced array's methods (which call namespace.py) call the very functions users call."""
    from teachgrad.numpy import namespace
    public = {name for name in dir(namespace) if not name.startswith("_")}
    assert public <= set(dir(np))
    different = sorted(name for name in public if getattr(np, name) is not getattr(namespace, name))
    assert not different, f"teachgrad.numpy and numpy/namespace.py disagree on {different}"
    # the Python-level versions replaced their primitives in it (the tables call np.split too)
    assert not isinstance(namespace.split, Primitive) and namespace.linalg is np.linalg
