"""Every option of every differentiable numpy function is followed or refused (issue 10).

teachgrad/numpy/keywords.py classifies each parameter of each differentiable
function of teachgrad.numpy (and np.linalg, np.fft) as an array, an option the
gradient follows, or an option it refuses. These tests walk numpy's own
signatures, so that a new function or a new numpy keyword fails here until it
is classified, and check each column:

* every *followed* option is used by a case whose gradient is checked against
  finite differences (this file's CASES or test_namespace.DIFFERENTIABLE);
* every *refused* option raises a readable explanation when it is given, by
  keyword or by position, together with a traced value;
* the *arrays* column agrees with the registered gradients, and a list or
  tuple constant there works like the array numpy would make of it.
"""
from __future__ import annotations

import inspect
import warnings

import numpy as onp
import pytest

from gradcheck import BACKEND, check_grads, np, rand

pytestmark = [
    pytest.mark.skipif(BACKEND != "teachgrad", reason="checks teachgrad's own option table"),
    pytest.mark.filterwarnings("ignore:.*row_stack.*:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Output seems independent of input"),
]

if BACKEND == "teachgrad":
    import teachgrad
    from teachgrad import grad, make_vjp
    from teachgrad.graph import Node
    from teachgrad.numpy import keywords
    from teachgrad.numpy.keywords import _holds_node
    from teachgrad.numpy.wrapping import is_function
    from teachgrad.tracing import Primitive
    import test_namespace


def u(*shape, lo=-1.0, hi=1.0, seed=0):
    return rand(shape, lo, hi, seed=seed)


def case(fun, *args, **check):
    return (fun, args, check)


MASK = onp.array([[True, False, True], [False, True, True]])
ROW_MASK = onp.array([True, False, True])

# Cases for the followed options that test_namespace.DIFFERENTIABLE does not use.
CASES = {
    "sum": [case(lambda x: np.sum(x ** 2, where=MASK), u(2, 3)),
            case(lambda x: np.sum(x, axis=0, where=ROW_MASK, initial=1.5) ** 2, u(2, 3)),
            case(lambda x: np.sum(x, 1, None, None, True, 0.5, ROW_MASK) ** 2, u(2, 3))],
    "nansum": [case(lambda x: np.nansum(x, axis=1, keepdims=True, initial=2.0) ** 2, u(2, 3))],
    "mean": [case(lambda x: np.mean(x ** 3, where=MASK), u(2, 3)),
             case(lambda x: np.mean(x, axis=1, where=MASK, keepdims=True) ** 2, u(2, 3))],
    "max": [case(lambda x: np.max(x, initial=0.1, axis=0), test_namespace.distinct(2, 3)),
            case(lambda x: np.max(x * 1.0, axis=1, where=MASK, initial=-5.0), test_namespace.distinct(2, 3)),
            case(lambda x: np.max(x, keepdims=True) ** 2, test_namespace.distinct(2, 3))],
    "min": [case(lambda x: np.min(x, axis=1, initial=0.0, keepdims=True), test_namespace.distinct(2, 3)),
            case(lambda x: np.min(x, where=MASK, initial=5.0), test_namespace.distinct(2, 3))],
    "amax": [case(lambda x: np.amax(x, initial=0.0, where=MASK), test_namespace.distinct(2, 3))],
    "amin": [case(lambda x: np.amin(x, axis=0, initial=0.0, where=ROW_MASK), test_namespace.distinct(2, 3)),
             case(lambda x: np.amin(x, axis=1, keepdims=True) ** 2, test_namespace.distinct(2, 3))],
    "clip": [case(lambda x: np.clip(x, min=-0.5, max=0.5) * np.sin(x), onp.array([-1.3, -0.2, 0.35, 0.9])),
             case(lambda x, lo: np.clip(x, min=lo) ** 2, onp.array([-1.3, 0.2, 0.6]), onp.array([-1.0, 0.5, 0.1]))],
    "prod": [case(lambda x: np.prod(x, keepdims=True), test_namespace.nz(2, 3))],
    "nanprod": [case(lambda x: np.nanprod(x, keepdims=True) * x, test_namespace.nz(3))],
    "var": [case(lambda x: np.var(x, axis=0, correction=1, keepdims=True), u(3, 2))],
    "std": [case(lambda x: np.std(x, ddof=1, axis=-1), u(2, 3)),
            case(lambda x: np.std(x, correction=1.5), u(4))],
    "nanvar": [case(lambda x: np.nanvar(x, correction=1, keepdims=True), u(2, 3))],
    "nanstd": [case(lambda x: np.nanstd(x, axis=0, ddof=1, keepdims=True), u(3, 2)),
               case(lambda x: np.nanstd(x, correction=1), onp.array([0.3, onp.nan, -0.4, 1.1]))],
    "nanmean": [case(lambda x: np.nanmean(x, axis=0), u(2, 3))],
    "nanmax": [case(lambda x: np.nanmax(x, axis=0, keepdims=True), test_namespace.distinct(2, 3))],
    "nanmin": [case(lambda x: np.nanmin(x, axis=1, keepdims=True), test_namespace.distinct(2, 3))],
    "nanmedian": [case(lambda x: np.nanmedian(x, axis=0, keepdims=True), test_namespace.distinct(3, 2))],
    "quantile": [case(lambda x: np.quantile(x, 0.3, method="linear"), test_namespace.distinct(5))],
    "nanquantile": [case(lambda x: np.nanquantile(x, 0.7, axis=1, keepdims=True, method="linear"),
                         test_namespace.distinct(2, 4))],
    "nanpercentile": [case(lambda x: np.nanpercentile(x, 40.0, method="linear", keepdims=True),
                           test_namespace.distinct(5))],
    "percentile": [case(lambda x: np.percentile(x, 40.0, keepdims=True), test_namespace.distinct(5))],
    "ptp": [case(lambda x: np.ptp(x, keepdims=True), test_namespace.distinct(2, 3))],
    "median": [case(lambda x: np.median(x, axis=1), test_namespace.distinct(2, 3))],
    "nancumsum": [case(lambda x: np.nancumsum(x, axis=0), u(2, 3))],
    "cumulative_prod": [case(lambda x: np.cumulative_prod(x, axis=0), test_namespace.nz(2, 3))],
    "average": [case(lambda x: np.average(x, axis=0, keepdims=True), u(2, 3))],
    "cov": [case(lambda x: np.cov(x, bias=True), u(2, 4))],
    "corrcoef": [case(lambda x: np.corrcoef(x, rowvar=False), u(4, 2))],
    "diff": [case(lambda x: np.diff(x, append=onp.array([[0.5], [0.2]])), u(2, 3))],
    "unwrap": [case(lambda p: np.unwrap(p * 4.0, discont=4.0, axis=0, period=6.0), u(3, 2))],
    "angle": [case(lambda z: np.angle(z, deg=True), test_namespace.cx(3))],
    "real_if_close": [case(lambda z: np.real_if_close(z, tol=1000.0) ** 2, u(3))],
    "nan_to_num": [case(lambda x: np.nan_to_num(x, nan=0.5, posinf=2.0, neginf=-2.0) ** 2, u(3))],
    "interp": [case(lambda x: np.interp(x, [-0.5, 0.5], [1.0, 2.0], left=0.0, right=3.0) * x,
                    u(5, lo=-1.0, hi=1.0))],
    "tensordot": [case(lambda a, b: np.tensordot(a, b, axes=1), u(2, 3), u(3, 2, seed=1))],
    "einsum": [case(lambda a, b: np.einsum("ij,j->i", a, b, optimize=True), u(2, 3), u(3, seed=1))],
    "cross": [case(lambda a, b: np.cross(a, b, axis=0), u(3, 2), u(3, 2, seed=1))],
    "vecdot": [case(lambda a, b: np.vecdot(a, b, axis=0, keepdims=True), u(3, 2), u(3, 2, seed=1))],
    "vander": [case(lambda x: np.vander(x, N=2, increasing=True), u(3))],
    "polyder": [case(lambda p: np.polyder(p, m=1), u(4))],
    "polyint": [case(lambda p: np.polyint(p, m=1, k=0.5), u(3))],
    "reshape": [case(lambda x: np.reshape(x, (3, 2), order="F") * onp.arange(6.0).reshape(3, 2), u(2, 3)),
                case(lambda x: np.reshape(x.T, (6,), order="A") * onp.arange(6.0), u(2, 3)),
                case(lambda x: np.reshape(x, shape=(6,), copy=True) ** 2, u(2, 3))],
    "ravel": [case(lambda x: np.ravel(x, order="F") * onp.arange(6.0), u(2, 3)),
              case(lambda x: np.ravel(np.transpose(x), order="K") * onp.arange(6.0), u(2, 3)),
              case(lambda x: np.ravel(np.transpose(x), "A") * onp.arange(6.0), u(2, 3))],
    "squeeze": [case(lambda x: np.squeeze(x, axis=0) ** 2, u(1, 3))],
    "expand_dims": [case(lambda x: np.expand_dims(x, axis=0) ** 2, u(3))],
    "copy": [case(lambda x: np.copy(x, order="F", subok=True) ** 2, u(2, 3))],
    "broadcast_to": [case(lambda x: np.broadcast_to(x, shape=(2, 3), subok=True) ** 2, u(3))],
    "transpose": [case(lambda x: np.transpose(x, axes=(1, 0)) ** 2, u(2, 3))],
    "permute_dims": [case(lambda x: np.permute_dims(x, axes=(1, 0)) ** 2, u(2, 3))],
    "swapaxes": [case(lambda x: np.swapaxes(x, axis1=0, axis2=1) ** 2, u(2, 3))],
    "moveaxis": [case(lambda x: np.moveaxis(x, source=0, destination=1) ** 2, u(2, 3))],
    "rollaxis": [case(lambda x: np.rollaxis(x, axis=1, start=0) ** 2, u(2, 3))],
    "repeat": [case(lambda x: np.repeat(x, repeats=2, axis=0) ** 2, u(2, 3))],
    "tile": [case(lambda x: np.tile(x, reps=2) ** 2, u(3))],
    "flip": [case(lambda x: np.flip(x, axis=1) * onp.arange(6.0).reshape(2, 3), u(2, 3))],
    "rot90": [case(lambda x: np.rot90(x, k=2, axes=(1, 0)) * onp.arange(6.0).reshape(2, 3), u(2, 3))],
    "roll": [case(lambda x: np.roll(x, shift=1, axis=1) * onp.arange(6.0).reshape(2, 3), u(2, 3))],
    "diag": [case(lambda x: np.diag(x, k=1) ** 2, u(3))],
    "diagflat": [case(lambda x: np.diagflat(x, k=-1) ** 2, u(3))],
    "diagonal": [case(lambda x: np.diagonal(x, offset=1, axis1=1, axis2=0) ** 2, u(3, 3))],
    "triu": [case(lambda x: np.triu(x, k=-1) ** 2, u(3, 3))],
    "tril": [case(lambda x: np.tril(x, k=1) ** 2, u(3, 3))],
    "take": [case(lambda x: np.take(x, indices=[0, 2], axis=1, mode="clip") ** 2, u(2, 3))],
    "take_along_axis": [case(lambda x: np.take_along_axis(x, indices=onp.array([[1], [0]]), axis=1) ** 2,
                             u(2, 3))],
    "compress": [case(lambda x: np.compress([True, False], x, axis=0) ** 2, u(2, 3))],
    "delete": [case(lambda x: np.delete(x, obj=1, axis=0) ** 2, u(3, 2))],
    "insert": [case(lambda x: np.insert(x, 1, 0.5, axis=1) ** 2, u(2, 3))],
    "resize": [case(lambda x: np.resize(x, new_shape=(2, 3)) ** 2, u(4))],
    "sort": [case(lambda x: np.sort(x, axis=0, kind="stable") * onp.arange(6.0).reshape(3, 2),
                  test_namespace.distinct(3, 2)),
             case(lambda x: np.sort(x, stable=True) * onp.arange(3.0), test_namespace.distinct(3))],
    "partition": [case(lambda x: np.partition(x, kth=1, axis=0, kind="introselect") * onp.arange(6.0).reshape(3, 2),
                       test_namespace.distinct(3, 2))],
    "pad": [case(lambda x: np.pad(x, pad_width=1, mode="reflect", reflect_type="even") ** 2, u(3)),
            case(lambda x: np.pad(x, 1, constant_values=2.0) ** 2, u(3))],
    "trim_zeros": [case(lambda x: np.trim_zeros(x * onp.array([0.0, 1.0, 1.0, 0.0]), trim="f", axis=0) ** 2,
                        u(4))],
    "full": [case(lambda v: np.full((2, 2), v, order="F", like=None) ** 2, 0.3)],
    "linspace": [case(lambda a: np.linspace(a, 2.0, num=3, endpoint=True, axis=0) ** 2, 0.3)],
    "logspace": [case(lambda a: np.logspace(a, 1.0, num=3, endpoint=False, base=2.0, axis=0), 0.3)],
    "geomspace": [case(lambda a: np.geomspace(a, 2.0, num=3, endpoint=True, axis=0), 0.5)],
    "array": [case(lambda a: np.array([a, a * a], dtype=float, copy=True, order="C", subok=True, ndmin=2) ** 2,
                   0.4)],
    "asarray": [case(lambda a: np.asarray([a, 2.0 * a], dtype=float, order="C", copy=None, device="cpu") ** 2,
                     0.4)],
    "asanyarray": [case(lambda x: np.asanyarray(x, dtype=float, order="K", device="cpu", copy=None) ** 2, u(3))],
    "ascontiguousarray": [case(lambda x: np.ascontiguousarray(x, dtype=float) ** 2, u(3))],
    "asfortranarray": [case(lambda x: np.asfortranarray(x, dtype=float) ** 2, u(3))],
    "asarray_chkfinite": [case(lambda x: np.asarray_chkfinite(x, dtype=float, order="C") ** 2, u(3))],
    "require": [case(lambda x: np.require(x, dtype=float, requirements="C") ** 2, u(3))],
    "concatenate": [case(lambda a, b: np.concatenate([a, b], axis=0, dtype=complex, casting="same_kind") ** 2,
                         u(2), u(3, seed=1))],
    "concat": [case(lambda a, b: np.concat([a, b], axis=0, dtype=float, casting="same_kind") ** 2, u(2), u(3))],
    "column_stack": [case(lambda a, b: np.column_stack((a, b)) ** 2, u(2), u(2, 2))],
    "stack": [case(lambda a, b: np.stack([a, b], axis=1, dtype=complex, casting="same_kind") ** 2, u(2), u(2))],
    "hstack": [case(lambda a, b: np.hstack([a, b], dtype=complex, casting="same_kind") ** 2, u(2), u(3))],
    "vstack": [case(lambda a, b: np.vstack([a, b], dtype=complex, casting="same_kind") ** 2, u(2), u(2))],
    "row_stack": [case(lambda a, b: np.row_stack([a, b], dtype=float, casting="same_kind") ** 2, u(2), u(2))],
    "append": [case(lambda a, b: np.append(a, b, axis=0) ** 2, u(1, 2), u(1, 2, seed=1))],
    "broadcast_arrays": [case(lambda a, b: np.broadcast_arrays(a, b, subok=True)[0] ** 2, u(2, 1), u(3))],
    "split": [case(lambda x: np.split(x, indices_or_sections=2, axis=1)[0] ** 2, u(2, 4))],
    "array_split": [case(lambda x: np.array_split(x, indices_or_sections=2, axis=0)[1] ** 2, u(3, 2))],
    "hsplit": [case(lambda x: np.hsplit(x, indices_or_sections=2)[1] ** 2, u(2, 4))],
    "vsplit": [case(lambda x: np.vsplit(x, indices_or_sections=2)[1] ** 2, u(4, 2))],
    "dsplit": [case(lambda x: np.dsplit(x, indices_or_sections=[1])[1] ** 2, u(1, 2, 3))],
    "unstack": [case(lambda x: np.unstack(x, axis=0)[1] ** 2, u(2, 3))],
    "select": [case(lambda a: np.select(condlist=[MASK], choicelist=[a], default=0.5) ** 2, u(2, 3))],
    "choose": [case(lambda a, b: np.choose(a=onp.array([0, 1, 5]), choices=[a, b], mode="clip") ** 2,
                    u(3), u(3, seed=1))],
    "piecewise": [case(lambda x: np.piecewise(x, condlist=[x < 0], funclist=[lambda t: t ** 2, np.sin]),
                       test_namespace.nz(4))],
    "apply_along_axis": [case(lambda x: np.apply_along_axis(func1d=lambda r: np.sum(r ** 2), axis=0, arr=x),
                              u(2, 3))],
    "apply_over_axes": [case(lambda x: np.apply_over_axes(func=np.sum, a=x ** 2, axes=[1]), u(2, 3))],
    "trapezoid": [case(lambda y: np.trapezoid(y, dx=0.5, axis=0), u(3, 2))],
    "gradient": [case(lambda f: np.gradient(f, 0.5, axis=0, edge_order=1) ** 2, u(3, 2))],
    "full_like": [case(lambda v: np.full_like(onp.ones((2, 2)), v, dtype=float, order="C", subok=True, shape=(3,),
                                              device="cpu") ** 2, 0.3)],
    "bincount": [case(lambda w: np.bincount(onp.array([0, 1, 1]), weights=w, minlength=3) ** 2, u(3))],
    "unique": [case(lambda x: np.unique(x, return_index=True, return_inverse=True, return_counts=True,
                                        axis=None, equal_nan=True, sorted=True)[0] ** 2, test_namespace.distinct(4))],
    "meshgrid": [case(lambda a, b: np.meshgrid(a, b, copy=True, sparse=False, indexing="ij")[0] ** 2, u(2), u(3))],
    # ------------------------------------------------------------------ np.linalg
    "linalg.cholesky": [case(lambda a: np.linalg.cholesky(a @ a.T + 3.0 * onp.eye(3), upper=True), u(3, 3))],
    "linalg.eigh": [case(lambda a: np.linalg.eigh(a + a.T, UPLO="U")[0], u(3, 3))],
    "linalg.eigvalsh": [case(lambda a: np.linalg.eigvalsh(a + a.T, UPLO="U"), u(3, 3))],
    "linalg.svd": [case(lambda a: np.linalg.svd(a, full_matrices=False, compute_uv=True, hermitian=False)[1],
                        u(3, 2))],
    "linalg.pinv": [case(lambda a: np.linalg.pinv(a, rcond=1e-10, hermitian=False), u(3, 2)),
                    case(lambda a: np.linalg.pinv(a, rtol=1e-10), u(2, 3))],
    "linalg.norm": [case(lambda x: np.linalg.norm(x, ord=2, axis=1, keepdims=True), u(2, 3))],
    "linalg.matrix_norm": [case(lambda x: np.linalg.matrix_norm(x, keepdims=True, ord="fro"), u(2, 3))],
    "linalg.vector_norm": [case(lambda x: np.linalg.vector_norm(x, axis=(0, 1), keepdims=True, ord=2), u(2, 3))],
    "linalg.matrix_power": [case(lambda a: np.linalg.matrix_power(a, n=2), u(2, 2))],
    "linalg.cond": [case(lambda a: np.linalg.cond(a + 2.0 * onp.eye(2), p="fro"), u(2, 2))],
    "linalg.tensorinv": [case(lambda a: np.linalg.tensorinv(a + 3.0 * onp.eye(4).reshape(4, 2, 2), ind=1),
                              u(4, 2, 2))],
    "linalg.tensorsolve": [case(lambda a, b: np.linalg.tensorsolve(a + 3.0 * onp.eye(4).reshape(2, 2, 4), b,
                                                                   axes=None), u(2, 2, 4), u(2, 2))],
    "linalg.tensordot": [case(lambda a, b: np.linalg.tensordot(a, b, axes=1), u(2, 3), u(3, 2))],
    "linalg.vecdot": [case(lambda a, b: np.linalg.vecdot(a, b, axis=0), u(3, 2), u(3, 2, seed=1))],
    "linalg.trace": [case(lambda x: np.linalg.trace(x, offset=1), u(2, 3, 3))],
    "linalg.diagonal": [case(lambda x: np.linalg.diagonal(x, offset=-1) ** 2, u(2, 3, 3))],
    "linalg.cross": [case(lambda a, b: np.linalg.cross(a, b, axis=-1), u(2, 3), u(3, seed=1))],
    # ------------------------------------------------------------------ np.fft
    **{f"fft.{name}": [case(lambda x, name=name: np.abs(getattr(np.fft, name)(x, n=4, axis=0, norm="ortho")) ** 2,
                            u(3, 2))] for name in ("fft", "ifft", "rfft", "ihfft")},
    **{f"fft.{name}": [case(lambda x, name=name: getattr(np.fft, name)(x + 0.5j * x[::-1], n=4, axis=0,
                                                                       norm="forward"), u(3, 2))]
       for name in ("irfft", "hfft")},
    **{f"fft.{name}": [case(lambda x, name=name: np.abs(getattr(np.fft, name)(x, s=(2, 4), axes=(0, 1),
                                                                              norm="backward")) ** 2, u(2, 3))]
       for name in ("fft2", "ifft2", "rfft2", "fftn", "ifftn", "rfftn")},
    **{f"fft.{name}": [case(lambda x, name=name: getattr(np.fft, name)(x + 0.5j * x, s=(2, 4), axes=(0, 1),
                                                                       norm="ortho"), u(2, 3))]
       for name in ("irfft2", "irfftn")},
    "fft.fftshift": [case(lambda x: np.fft.fftshift(x, axes=0) * onp.arange(6.0).reshape(3, 2), u(3, 2))],
    "fft.ifftshift": [case(lambda x: np.fft.ifftshift(x, axes=(0,)) * onp.arange(6.0).reshape(3, 2), u(3, 2))],
}


def _namespace(qualified):
    prefix, _, short = qualified.rpartition(".")
    return (getattr(np, prefix) if prefix else np), short


def _function(qualified):
    space, short = _namespace(qualified)
    return getattr(space, short)


def differentiable_functions() -> set[str]:
    """Every function of np, np.linalg and np.fft that has a gradient (the table's scope)."""
    names = set()
    for prefix, space in (("", np), ("linalg.", np.linalg), ("fft.", np.fft)):
        source = onp if not prefix else getattr(onp, prefix[:-1])
        for name in dir(space):
            obj = getattr(space, name)
            if name.startswith("_") or not is_function(obj) or not hasattr(source, name):
                continue
            if getattr(obj, "notrace", False) or getattr(obj, "in_place", False):
                continue
            if isinstance(obj, Primitive) and not (obj.vjp_makers or obj.vjp_argnums_maker):
                continue                     # deliberately without gradient (test_namespace.NO_GRADIENT)
            names.add(prefix + name)
    return names


# --------------------------------------------------------------------------
# The walk over numpy's signatures
# --------------------------------------------------------------------------


def test_every_parameter_of_every_differentiable_function_is_classified():
    functions = differentiable_functions()
    missing = sorted(functions - set(keywords.ENTRIES))
    assert not missing, f"differentiable functions missing from keywords.TABLE: {missing}"
    stale = sorted(n for n in keywords.ENTRIES if keywords.numpy_function(n) is not None and n not in functions)
    assert not stale, f"keywords.TABLE lists functions that are not differentiable: {stale}"
    unclassified = {}
    for name in sorted(functions):
        entry = keywords.ENTRIES[name]
        columns = [set(entry.arrays), set(entry.followed), set(entry.refused)]
        assert not (columns[0] & columns[1] or columns[0] & columns[2] or columns[1] & columns[2]), name
        params = keywords.parameters(name)
        assert params is not None, f"numpy.{name} has no signature to check"
        known = entry.names() | set(keywords.ALIASES.get(name, {}))      # correction= is ddof=
        extra = [p.name for p in params if p.name not in known]
        if extra:
            unclassified[name] = extra
    assert not unclassified, (
        "numpy parameters not classified in teachgrad/numpy/keywords.py (add each to the arrays, "
        f"followed or refused column, with a test): {unclassified}")


def test_table_names_only_real_parameters():
    """A misspelt name in the table would classify nothing."""
    through_kwargs = {"pad": {"constant_values", "reflect_type", "end_values", "stat_length"},
                      "einsum": {"out", "optimize"}}
    for name, entry in keywords.ENTRIES.items():
        params = keywords.parameters(name)
        if params is None:
            continue
        known = {p.name for p in params} | through_kwargs.get(name, set())
        assert entry.names() <= known, f"{name}: not numpy parameters: {sorted(entry.names() - known)}"


def test_array_column_holds_the_arguments_with_gradients():
    for name in sorted(differentiable_functions()):
        fun = _function(name)
        if not isinstance(fun, Primitive) or fun.vjp_argnums_maker is not None:
            continue
        params = keywords.parameters(name)
        positional = [p.name for p in params if p.kind != p.KEYWORD_ONLY]
        with_gradient = {positional[i] for i in fun.vjp_makers if i < len(positional)}
        assert with_gradient <= set(keywords.ENTRIES[name].arrays), (name, with_gradient)


# --------------------------------------------------------------------------
# Followed options: each is used by a case checked against finite differences
# --------------------------------------------------------------------------


def _recorded_options(fun, args):
    """The (function, parameter) pairs given explicitly, with a traced value, while fun runs."""
    seen = set()
    originals = {}

    def recorder(qualified, original, signature):
        def call(*a, **k):
            if _holds_node((a, k)):
                try:
                    bound = signature.bind_partial(*a, **k).arguments
                except TypeError:
                    bound = dict(k)
                seen.update((qualified, p) for p in bound)
                seen.update((qualified, p) for p in k)       # aliases and **kwargs options
            return original(*a, **k)
        return call

    for qualified in keywords.ENTRIES:
        if keywords.numpy_function(qualified) is None:
            continue
        space, short = _namespace(qualified)
        original = getattr(space, short, None)
        if original is None:
            continue
        try:
            signature = inspect.signature(keywords.numpy_function(qualified))
        except (TypeError, ValueError):
            continue
        originals[qualified] = (space, short, original)
        setattr(space, short, recorder(qualified, original, signature))
    try:
        for k in range(len(args)):
            if isinstance(args[k], (float, complex, onp.ndarray)):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    make_vjp(fun, k)(*args)
    finally:
        for space, short, original in originals.values():
            setattr(space, short, original)
    return seen




def _all_cases():
    for name, cases in test_namespace.DIFFERENTIABLE.items():
        for fun, args, _ in cases:
            yield fun, args
    for name, cases in CASES.items():
        for fun, args, _ in cases:
            yield fun, args


def test_every_followed_option_is_used_by_a_checked_case():
    used = set()
    for fun, args in _all_cases():
        used |= _recorded_options(fun, args)
    unused = {}
    for name in sorted(differentiable_functions()):
        entry = keywords.ENTRIES[name]
        present = {p.name for p in keywords.parameters(name)}
        wanted = set(entry.followed) | (set(keywords.ALIASES.get(name, {})) & present)
        missing = sorted(o for o in wanted if (name, o) not in used)
        if missing:
            unused[name] = missing
    assert not unused, ("followed options that no finite-difference case uses (add a case to "
                        f"CASES in this file): {unused}")


CASE_IDS = [pytest.param(name, i, id=f"{name}-{i}") for name in sorted(CASES) for i in range(len(CASES[name]))]


@pytest.mark.parametrize("name,i", CASE_IDS)
def test_followed_option_gradient(name, i):
    fun, args, check = CASES[name][i]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = fun(*args)
        for k, a in enumerate(args):
            if isinstance(a, (float, onp.ndarray)):
                _, value = make_vjp(fun, k)(*args)
                onp.testing.assert_allclose(value, expected, rtol=1e-10, atol=1e-12)
        options = dict(check)
        options.setdefault("order", 2)
        check_grads(fun, *args, **options)


# --------------------------------------------------------------------------
# Refused options: a readable error, by keyword and by position
# --------------------------------------------------------------------------

SENTINEL = object()


def _refused_pairs():
    pairs = []
    for name in sorted(keywords.ENTRIES):
        if keywords.numpy_function(name) is None:
            continue
        for option in keywords.ENTRIES[name].refused:
            pairs.append(pytest.param(name, option, id=f"{name}-{option}"))
    return pairs


def _traced_call(call):
    caught = {}

    def f(x):
        try:
            call(x)
        except TypeError as error:
            caught["error"] = error
        return np.sum(x)
    grad(f)(onp.array([[0.5, -0.25, 1.5], [0.75, 1.25, -0.5]]))
    return caught.get("error")


@pytest.mark.parametrize("name,option", _refused_pairs())
def test_refused_option_raises_an_explanation(name, option):
    fun = _function(name)
    params = keywords.parameters(name) or []
    names = [p.name for p in params]
    if option not in names and name not in ("pad", "einsum"):
        pytest.skip(f"this numpy's {name} has no {option}=")
    error = _traced_call(lambda x: fun(x, **{option: SENTINEL}))
    assert error is not None, f"np.{name}(x, {option}=...) was not refused"
    message = str(error)
    assert f"{option}=" in message and "Why:" in message and "Instead:" in message, message
    # ... and by position, where numpy takes it positionally
    index = names.index(option) if option in names else -1
    if index > 0 and params[index].kind != params[index].KEYWORD_ONLY:
        def positional(x):
            args = [x] + [p.default if p.default is not p.empty else x for p in params[1:index]]
            return fun(*args, SENTINEL)
        error = _traced_call(positional)
        assert error is not None and f"{option}=" in str(error), f"np.{name}: positional {option} not refused"


@pytest.mark.parametrize("make,p", [
    (lambda y, p: np.diff(y, prepend=p), 0.4), (lambda y, p: np.diff(y, append=p, axis=0), 0.4),
    (lambda y, p: np.diff(y, 2, prepend=p, append=p * 2.0), u(2, seed=6)),
    (lambda y, p: np.diff(np.stack([y, y ** 2]), axis=1, prepend=p), u(2, 1, seed=7)),
    (lambda y, p: np.diff(np.stack([y, y ** 2]), axis=1, append=p), 0.3),
])
def test_traced_prepend_and_append_of_diff(make, p):
    """Traced values given by keyword after skipped options (n=, axis=) become parents."""
    check_grads(make, onp.array([0.3, 1.2, 0.7]), p, order=2)


def test_traced_value_in_keyword_only_options_is_explained():
    with pytest.raises(TypeError, match="by position") as info:
        grad(lambda c: np.sum(np.pad(onp.array([0.3, 1.2]), 1, constant_values=c)))(0.4)
    assert "Instead:" in str(info.value)


def test_keywords_meant_for_the_user_s_function_pass_on():
    x = u(2, 3, seed=5)
    check_grads(lambda x: np.apply_along_axis(lambda r, p: np.sum(r ** p), 1, x, p=2.0), x, order=2)
    check_grads(lambda x: np.piecewise(x, [x < 0], [lambda t, s: s * t, lambda t, s: t ** 2], s=3.0), x, order=2)
    from teachgrad.errors import RefusedOptionError
    with pytest.raises(RefusedOptionError, match="bogus="):
        grad(lambda x: np.sum(np.concatenate([x, x], bogus=1)))(onp.ones(2))


def test_refused_option_with_its_default_value_is_accepted():
    x = onp.array([1.0, 2.0, 4.0])
    onp.testing.assert_allclose(grad(lambda x: np.sum(x, out=None, dtype=None))(x), onp.ones(3))
    onp.testing.assert_allclose(grad(lambda x: np.var(x, where=True, mean=onp._NoValue))(x),
                                grad(np.var)(x))
    onp.testing.assert_allclose(grad(lambda x: np.sum(np.sin(x, where=True, casting="same_kind")))(x),
                                onp.cos(x))
    onp.testing.assert_allclose(grad(lambda x: np.sum(np.exp(x, where=onp.True_)))(x), onp.exp(x))
    with pytest.raises(TypeError, match="where="):
        grad(lambda x: np.sum(np.exp(x, where=onp.False_)))(x)


def test_refusal_names_the_function_and_the_option():
    from teachgrad.errors import TeachgradError
    from teachgrad.errors import RefusedOptionError
    assert issubclass(RefusedOptionError, TeachgradError) and issubclass(RefusedOptionError, TypeError)
    with pytest.raises(RefusedOptionError, match=r"np\.sum\(\.\.\., dtype=\.\.\.\)") as info:
        grad(lambda x: np.sum(x, dtype=onp.float32))(onp.ones(3))
    assert "np.sum(x.astype(np.float32))" in str(info.value)
    with pytest.raises(TypeError, match="overwrite_input"):
        grad(lambda x: np.median(x, overwrite_input=True))(onp.ones(3))
    with pytest.raises(TypeError, match="does not know what unknown_option= does"):
        grad(lambda x: np.sum(x, unknown_option=1))(onp.ones(3))


# --------------------------------------------------------------------------
# The reproductions, and aliases
# --------------------------------------------------------------------------

V = onp.array([1.0, 3.0])


def test_list_constant_in_dot():
    x = onp.array([1.0, 2.0])
    A = [[1.0, 2.0], [3.0, 4.0]]
    onp.testing.assert_allclose(grad(lambda x: np.sum(np.dot(A, x) ** 2))(x), [76.0, 108.0])
    check_grads(lambda x: np.dot(A, x) ** 2, x, order=2)
    check_grads(lambda x: np.dot(x, (A[0], A[1])), x, order=2)


@pytest.mark.parametrize("make", [
    lambda x: np.power(x, [1.0, 2.0, 3.0]),
    lambda x: np.power([[1.5], [2.5]], x),
    lambda x: x ** [1.0, 2.0, 0.5],
    lambda x: [2.0, 3.0, 4.0] ** x,
    lambda x: np.arctan2([1.0, 2.0, -1.0], x),
    lambda x: np.arctan2(x, ((1.0, 2.0, -1.0),)),
    lambda x: np.interp(x, [0.0, 1.0, 2.0], [1.0, 0.5, 3.0]),
    lambda x: np.interp([0.5, 1.5], [0.0, 1.0, 2.0], x),
    lambda x: x.dot([1.0, 2.0, 3.0]),
    lambda x: np.matmul([[1.0, 2.0, 3.0]], x),
    lambda x: x @ [1.0, 2.0, 3.0],
    lambda x: [[1.0, 2.0, 3.0]] @ x,
    lambda x: np.add(x, [onp.float32(1.0), 2, 3.5]) * x,
    lambda x: np.maximum(x, [1.0, 1.2, 1.8]),
    lambda x: np.where([True, False, True], x, [0.0, 1.0, 2.0]) ** 2,
    lambda x: np.clip(x, [1.1, 0.0, 0.0], (2.0, 2.0, 1.4)) ** 2,
    lambda x: np.outer(x, [1.0, 2.0]) ** 2,
    lambda x: np.kron([1.0, -2.0], x) ** 2,
    lambda x: np.convolve(x, [1.0, 0.5]) ** 2,
], ids=lambda f: "")
def test_list_constants_work_like_arrays(make):
    x = onp.array([1.25, 0.75, 1.5])
    expected = make(x)
    _, value = make_vjp(make)(x)
    onp.testing.assert_allclose(value, expected, rtol=1e-12)
    check_grads(make, x, order=2)


def test_reshape_and_ravel_follow_order():
    X = onp.arange(6.0).reshape(2, 3)
    C = onp.arange(6.0).reshape(3, 2)
    g = grad(lambda X: np.sum(np.reshape(X, (3, 2), order="F") * C))(X)
    onp.testing.assert_allclose(g, onp.reshape(C, (2, 3), order="F"))
    g = grad(lambda X: np.sum(np.ravel(X.T, order="K") * onp.arange(6.0)))(X)
    onp.testing.assert_allclose(g, onp.arange(6.0).reshape(2, 3))
    g = grad(lambda X: np.sum(X.T.flatten("F") * onp.arange(6.0)))(X)
    onp.testing.assert_allclose(g, onp.arange(6.0).reshape(2, 3))


def test_dtype_of_joined_arrays_is_numpy_s():
    a, b = onp.array([1.0, 2.0]), onp.array([3.0])
    for join in (lambda a: np.concatenate([a, b], dtype=onp.float32), lambda a: np.stack([a, a], dtype=complex),
                 lambda a: np.hstack([a, b], dtype=onp.float32), lambda a: np.vstack([a, a], dtype=complex)):
        _, traced = make_vjp(join)(a)
        assert traced.dtype == join(a).dtype


def test_where_initial_correction_and_min_max():
    m = onp.array([True, False])
    onp.testing.assert_allclose(grad(lambda v: np.sum(v ** 2, where=m))(V), [2.0, 0.0])
    onp.testing.assert_allclose(grad(lambda v: np.var(v, correction=1))(V), [-2.0, 2.0])
    onp.testing.assert_allclose(grad(lambda v: np.std(v, correction=1))(V), grad(lambda v: np.std(v, ddof=1))(V))
    onp.testing.assert_allclose(grad(lambda v: np.sum(np.clip(v, min=0.0, max=2.0) ** 2))(V), [2.0, 0.0])
    onp.testing.assert_allclose(grad(lambda lo: np.sum(np.clip(V, min=lo, max=2.0)))(1.5), 1.0)
    onp.testing.assert_allclose(grad(lambda v: np.max(v, initial=5.0))(V), [0.0, 0.0])   # initial wins
    onp.testing.assert_allclose(grad(lambda v: np.max(v, initial=2.0))(V), [0.0, 1.0])
    with pytest.raises(TypeError, match="both correction= and ddof="):
        grad(lambda v: np.var(v, correction=1, ddof=1))(V)
    check_grads(lambda v: np.var(v, correction=1), V, order=2)
    check_grads(lambda v: np.clip(v, min=1.5, max=2.5) ** 2, V, order=2)
    check_grads(lambda v: np.clip(v, max=2.5) ** 2, V, order=2)


def test_sum_where_broadcasts_against_the_input():
    x = u(2, 3, seed=4)
    check_grads(lambda x: np.sum(x ** 2, axis=1, where=ROW_MASK), x, order=2)
    check_grads(lambda x: np.mean(np.sin(x), axis=0, where=onp.array([[True], [False]]) | MASK), x, order=2)


NONSYMMETRIC = onp.random.default_rng(11).uniform(-1, 1, (3, 3))


@pytest.mark.parametrize("make", [
    lambda a: np.linalg.pinv(a + 3.0 * onp.eye(3), hermitian=True),
    lambda a: np.linalg.pinv(onp.stack([a, a.T]) + 3.0 * onp.eye(3), hermitian=True),
    lambda a: np.linalg.svd(a + 3.0 * onp.eye(3), hermitian=True)[1],
    lambda a: np.linalg.eigvalsh(a, UPLO="U"),
    lambda a: np.abs(np.linalg.eigh(a, UPLO="U")[1]) ** 2,     # (abs: an eigenvector has any phase)
    lambda a: np.linalg.cholesky(NONSYMMETRIC @ NONSYMMETRIC.T + 3.0 * onp.eye(3) + 0.3 * a, upper=True),
], ids=["pinv", "pinv-batch", "svd", "eigvalsh-U", "eigh-U", "cholesky-upper"])
def test_options_that_read_one_triangle_of_a_nonsymmetric_matrix(make):
    """numpy reads one triangle and mirrors it: the other triangle gets no gradient, and the read
    one the gradient of the Hermitian matrix numpy actually used."""
    check_grads(make, NONSYMMETRIC, order=2)
    check_grads(make, NONSYMMETRIC + 0.5j * NONSYMMETRIC.T, order=1)


# --------------------------------------------------------------------------
# ndarray methods on traced values
# --------------------------------------------------------------------------

# Each public ndarray attribute is one of these (a new numpy method fails the walk).
METHODS_RECORDED = {
    "T", "mT", "real", "imag", "conj", "conjugate", "dot", "sum", "mean", "prod", "max", "min", "var", "std",
    "clip", "ravel", "flatten", "copy", "squeeze", "repeat", "compress", "choose", "astype", "reshape",
    "transpose", "cumsum", "cumprod", "trace", "diagonal", "take", "swapaxes", "flat", "tolist", "view",
    "to_device",
}
METHODS_PLAIN = {"all", "any", "argmax", "argmin", "argsort", "argpartition", "nonzero", "searchsorted",
                 "round", "shape", "ndim", "size", "dtype", "itemsize", "nbytes", "strides", "flags", "device"}
METHODS_IN_PLACE = {"sort", "partition", "fill", "put", "resize", "itemset", "setfield", "setflags", "byteswap"}
METHODS_DETACHING = {"item", "tobytes", "dumps", "dump", "tofile", "getfield"}
METHODS_ABSENT = {"base", "ctypes", "data", "newbyteorder", "ptp"}   # (AttributeError on a traced array)


def test_every_ndarray_attribute_is_classified():
    public = {n for n in dir(onp.ndarray) if not n.startswith("_")}
    tables = [METHODS_RECORDED, METHODS_PLAIN, METHODS_IN_PLACE, METHODS_DETACHING, METHODS_ABSENT]
    missing = sorted(public - set().union(*tables))
    assert not missing, f"ndarray attributes not classified for traced arrays: {missing}"


M = u(2, 3, seed=9)

METHOD_CASES = [
    lambda x: x.sum(axis=0, keepdims=True, where=ROW_MASK) ** 2,
    lambda x: x.mean(1) ** 2, lambda x: x.prod(axis=1), lambda x: x.max(axis=0, initial=-3.0),
    lambda x: x.min(1, keepdims=True), lambda x: x.var(ddof=1), lambda x: x.std(axis=0),
    lambda x: x.clip(-0.5, 0.5) ** 2 + x.clip(min=0.0) * x, lambda x: x.ravel("F") * onp.arange(6.0),
    lambda x: x.flatten(order="F") * onp.arange(6.0), lambda x: x.copy("F") ** 2,
    lambda x: x.reshape(3, 2, order="F") * onp.arange(6.0).reshape(3, 2),
    lambda x: x.reshape((6,)) ** 2, lambda x: x.transpose(1, 0) ** 2, lambda x: x.T @ x,
    lambda x: x.mT @ x, lambda x: x.dot([1.0, 2.0, 3.0]), lambda x: x.dot(x.T),
    lambda x: x.cumsum(axis=1) ** 2, lambda x: x.cumprod() ** 2, lambda x: x[:, :2].trace(),
    lambda x: x.diagonal(1) ** 2, lambda x: x.take([0, 4]) ** 2, lambda x: x.swapaxes(0, 1) ** 2,
    lambda x: x.compress([False, True, True], axis=1) ** 2,
    lambda x: onp.array([1, 0]).choose(x) if False else x.repeat(2, axis=0) ** 2,
    lambda x: x.squeeze() ** 2, lambda x: x.astype(complex).real ** 2, lambda x: x.conj() * x,
    lambda x: x.flat[[1, 4]] ** 2, lambda x: np.stack(x.tolist()) ** 2, lambda x: x.view() ** 2,
    lambda x: x.to_device("cpu") ** 2, lambda x: (x + 0.5j * x).imag ** 2,
]


@pytest.mark.parametrize("k", range(len(METHOD_CASES)))
def test_recorded_methods_match_numpy_and_finite_differences(k):
    fun = METHOD_CASES[k]
    _, value = make_vjp(fun)(M)
    onp.testing.assert_allclose(value, fun(M.copy()), rtol=1e-12)
    check_grads(fun, M, order=2)


def test_choose_method_is_differentiable_in_the_choices():
    index = onp.array([0, 1, 1])
    g = grad(lambda a, b: np.sum(np.choose(index, [a, b]) * onp.arange(1.0, 4.0)), argnum=1)(
        onp.zeros(3), onp.zeros(3))
    onp.testing.assert_allclose(g, [0.0, 2.0, 3.0])


@pytest.mark.parametrize("name", sorted(METHODS_PLAIN - {"shape", "ndim", "size", "dtype"}))
def test_plain_methods_return_plain_values(name):
    seen = {}

    def f(x):
        attribute = getattr(x, name)
        seen["out"] = attribute(0.5) if name == "searchsorted" else attribute(1) if name == "argpartition" \
            else attribute() if callable(attribute) else attribute
        return np.sum(x)
    grad(f)(onp.array([0.5, -1.0, 2.0]))
    assert not _holds_node(seen["out"])


@pytest.mark.parametrize("name", sorted(METHODS_IN_PLACE))
def test_in_place_methods_refuse(name):
    from teachgrad.errors import AssignmentError
    with pytest.raises(AssignmentError, match=f"x.{name}") as info:
        grad(lambda x: getattr(x * 1.0, name)(0) or np.sum(x))(onp.array([3.0, 1.0]))
    assert "in place" in str(info.value) and "Instead:" in str(info.value)


def test_sort_method_refuses_and_np_sort_differentiates():
    from teachgrad.errors import AssignmentError

    def srt(v):
        y = v * 1.0
        y.sort()
        return y[0]
    with pytest.raises(AssignmentError, match=r"np\.sort\(x\)"):
        teachgrad.value_and_grad(srt)(onp.array([3.0, 1.0]))
    value, g = teachgrad.value_and_grad(lambda v: np.sort(v)[0])(onp.array([3.0, 1.0]))
    assert value == 1.0
    onp.testing.assert_allclose(g, [0.0, 1.0])


@pytest.mark.parametrize("name", sorted(METHODS_DETACHING))
def test_detaching_methods_refuse(name):
    from teachgrad.errors import DetachedValueError
    args = {"view": (onp.int64,), "dump": ("f",), "getfield": (onp.float64,)}.get(name, ())
    with pytest.raises(DetachedValueError, match="plain"):
        grad(lambda x: getattr(x * 1.0, name)(*args) and np.sum(x))(onp.array([3.0, 1.0]))


def test_view_with_a_dtype_refuses():
    from teachgrad.errors import DetachedValueError
    with pytest.raises(DetachedValueError):
        grad(lambda x: np.sum(x.view(onp.int64)))(onp.array([3.0, 1.0]))


def test_augmented_assignment_into_a_view_refuses_and_elsewhere_rebinds():
    from teachgrad.errors import AssignmentError

    def through_view(x):
        y = x * 1.0
        row = y[0]
        row += 1.0                  # numpy would change y too
        return np.sum(y)
    with pytest.raises(AssignmentError, match=r"x \+= \.\.\."):
        grad(through_view)(onp.ones((2, 2)))

    def through_transpose(x):
        t = x.T
        t *= 2.0
        return np.sum(x)
    with pytest.raises(AssignmentError, match=r"\*="):
        grad(through_transpose)(onp.ones((2, 2)))

    def fancy(x):                   # fancy indexing copies: rebinding matches numpy
        y = x[[0, 1]]
        y += 1.0
        return np.sum(y ** 2)
    check_grads(fancy, onp.array([0.5, 1.5, 2.0]), order=2)

    def scalar(x):
        s = np.sum(x)
        s += x[0]
        s *= 2.0
        return s
    onp.testing.assert_allclose(grad(scalar)(onp.array([1.0, 2.0])), [4.0, 2.0])


# --------------------------------------------------------------------------
# Plain-result functions: a value-carrying argument gets a gradient or is refused
# --------------------------------------------------------------------------


def test_meshgrid_and_full_like_carry_gradients():
    onp.testing.assert_allclose(grad(lambda v: np.sum(np.meshgrid(v, v)[0] ** 2) + np.sum(v))(V), [5.0, 13.0])
    onp.testing.assert_allclose(grad(lambda v: np.sum(np.full_like(v, v[0]) * v))(V), [5.0, 1.0])
    with pytest.raises(TypeError, match="fill_value"):
        grad(lambda v: np.sum(np.full_like(onp.array([1, 2]), v[0])))(V)
    a, b = onp.array([1.0, 2.0, 3.0]), onp.array([4.0, 5.0])
    for indexing in ("xy", "ij"):
        for sparse in (False, True):
            got = np.meshgrid(a, b, indexing=indexing, sparse=sparse)
            _, traced = make_vjp(lambda a: np.meshgrid(a, b, indexing=indexing, sparse=sparse)[0])(a)
            onp.testing.assert_array_equal(traced, got[0])


def test_bincount_weights_and_unique_values():
    w = onp.array([1.0, 2.0, 3.0])
    onp.testing.assert_allclose(grad(lambda w: np.sum(np.bincount(onp.array([0, 1, 1]), weights=w) ** 2))(w),
                                [2.0, 10.0, 10.0])
    onp.testing.assert_allclose(grad(lambda x: np.sum(np.unique(x) ** 2))(onp.array([3.0, 1.0, 2.5])),
                                [6.0, 2.0, 5.0])
    assert onp.array_equal(np.bincount(onp.array([0, 2]), minlength=4), onp.bincount([0, 2], minlength=4))


@pytest.mark.parametrize("call", [
    lambda x: np.histogram(x, weights=x),
    lambda x: np.histogram(x),
    lambda x: np.histogram_bin_edges(x, bins=3),
    lambda x: np.histogram2d(x[0], x[1], weights=x[0]),
    lambda x: np.histogramdd(x),
    lambda x: np.intersect1d(x, onp.array([0.5])),
    lambda x: np.union1d(onp.array([0.5]), x[0]),
    lambda x: np.setdiff1d(x, onp.array([0.5])),
    lambda x: np.setxor1d(onp.array([0.5]), x[1]),
    lambda x: np.arange(x[0, 0], 3.0),
    lambda x: np.arange(0.0, 3.0, step=x[0, 0]),
    lambda x: np.nested_iters(x, [[0], [1]]),
], ids=["histogram-weights", "histogram-edges", "bin_edges", "histogram2d", "histogramdd", "intersect1d",
        "union1d", "setdiff1d", "setxor1d", "arange-start", "arange-step", "nested_iters"])
def test_plain_result_functions_refuse_value_carrying_traced_arguments(call):
    from teachgrad.errors import LostValueError
    with pytest.raises(LostValueError, match="traced value") as info:
        grad(lambda x: call(x) and np.sum(x))(onp.array([[0.5, -0.25, 1.5], [0.75, 1.25, -0.5]]))
    assert "Instead:" in str(info.value)


# Plain-result functions whose results carry no value of their arguments (shapes, indices,
# booleans, counts, piecewise-constant roundings, text, files, settings); the others are
# guarded in teachgrad/numpy/plain.py (REFUSED) or have gradients (meshgrid, unique, ...).
CARRY_NO_VALUE = set("""
shape ndim size result_type can_cast promote_types min_scalar_type iscomplexobj isrealobj isscalar
iscomplex isreal isfortran issubdtype zeros ones empty zeros_like ones_like empty_like eye identity
indices tri diag_indices tril_indices triu_indices mask_indices unravel_index ravel_multi_index
diag_indices_from tril_indices_from triu_indices_from ix_ fromfunction bartlett blackman hamming hanning
argmax argmin argsort argpartition argwhere nonzero flatnonzero count_nonzero searchsorted nanargmax
nanargmin digitize lexsort equal not_equal greater greater_equal less less_equal logical_and logical_or
logical_not logical_xor isnan isinf isfinite isneginf isposinf isnat isclose allclose array_equal
array_equiv all any signbit floor ceil round around rint fix trunc bitwise_and bitwise_or bitwise_xor
invert left_shift right_shift bitwise_not array_repr array_str array2string format_float_positional
format_float_scientific broadcast_shapes may_share_memory shares_memory iterable in1d isin spacing gcd
lcm bitwise_count bitwise_invert bitwise_left_shift bitwise_right_shift packbits unpackbits common_type
mintypecode typename isdtype base_repr binary_repr einsum_path frompyfunc busday_count busday_offset
is_busday datetime_as_string datetime_data save savez savez_compressed savetxt load loadtxt genfromtxt
fromfile frombuffer fromiter fromregex fromstring from_dlpack get_include get_printoptions
set_printoptions printoptions getbufsize setbufsize geterr seterr geterrcall seterrcall info
show_config show_runtime test
""".split())


def test_every_plain_result_function_is_classified():
    from teachgrad.numpy import plain
    from teachgrad.numpy.wrapping import PASS_THROUGH
    present = {n for n in PASS_THROUGH if is_function(getattr(np, n, None))}
    unclassified = sorted(present - CARRY_NO_VALUE - set(plain.REFUSED))
    assert not unclassified, ("plain-result functions not classified as carrying no value (CARRY_NO_VALUE) "
                              f"or guarded (teachgrad/numpy/plain.py REFUSED): {unclassified}")
    assert not CARRY_NO_VALUE & set(plain.REFUSED)
    for name in plain.REFUSED:
        if hasattr(onp, name):
            assert getattr(getattr(np, name), "__wrapped__", None) is not None, f"np.{name} is not guarded"


def test_histogram_with_fixed_edges_is_a_plain_count():
    def f(x):
        counts, edges = np.histogram(x, bins=onp.array([-1.0, 0.0, 1.0]))
        assert not isinstance(counts, Node) and not isinstance(edges, Node)
        return np.sum(x * counts[0])
    onp.testing.assert_allclose(grad(f)(onp.array([-0.5, 0.5])), [1.0, 1.0])


@pytest.mark.parametrize("name,args", [("normal", (1.0,)), ("uniform", (2.0,)), ("laplace", ()),
                                       ("choice", ()), ("permutation", ()), ("shuffle", ())])
def test_random_draws_refuse_traced_parameters(name, args):
    from teachgrad.errors import LostValueError
    with pytest.raises(LostValueError, match=f"np.random.{name}") as info:
        grad(lambda x: np.sum(getattr(np.random, name)(x, *args)) + np.sum(x))(onp.array([0.5, 1.5]))
    assert "loc + scale * np.random.normal" in str(info.value)
    getattr(np.random, name)(onp.array([0.5, 1.5]), *args)     # plain values: numpy's own
