"""``np.linalg``: numpy's linear algebra, wrapped; gradients in gradients/linalg.py.

Most functions are primitives made by wrap_namespace, like the rest of
teachgrad.numpy. A few need a Python function in front of a primitive:

* eigh, eig, svd and slogdet return *several* arrays. A node of the graph
  holds one value, so each of them calls a primitive that returns all the
  outputs packed into a single array (stacked along the second-to-last
  axis), then takes the pieces out again by indexing, which is recorded and
  differentiable like any other indexing. The gradient is registered once,
  on the packed primitive, and sees the gradients of all the pieces at once
  (the pieces that were not used get zeros). This keeps the engine's rule
  "one primitive, one output" and needs no caching between primitives.
* eigvalsh, eigvals, svdvals, cond, matrix_norm, vector_norm, tensorinv,
  tensorsolve, multi_dot and matrix_transpose are written with the
  differentiable functions above, as numpy writes them.
* matmul, tensordot, outer, vecdot, trace, diagonal and cross (numpy 2's
  array-API names) are numpy's functions of the same names acting on the
  last axes; traced, they call teachgrad.numpy's, which have gradients.
* matrix_rank is an integer, so traced values are simply unwrapped.

Given plain values, each of these returns exactly numpy's own result.
"""
import functools as _functools
from collections import namedtuple as _namedtuple

import numpy as _onp
import numpy.linalg as _linalg

from . import namespace as _np
from ..errors import NoGradientError as _NoGradientError, explain as _explain
from ..graph import Node as _Node
from ..tracing import Primitive as _Primitive, notrace_primitive as _notrace_primitive, unwrap as _unwrap
from .wrapping import wrap_namespace as _wrap_namespace

_wrap_namespace(_linalg, globals(), "np.linalg")
# The primitives just made that the functions below build on:
inv, solve, norm = globals()["inv"], globals()["solve"], globals()["norm"]

matrix_rank = _notrace_primitive(_linalg.matrix_rank)      # an integer: no derivative


def _result_type(name, fields, example):
    """numpy's own result class (numpy >= 2), so traced results pass the same isinstance
    checks; a namedtuple of the same name and fields where numpy returns a plain tuple."""
    kind = type(example)
    if issubclass(kind, tuple) and getattr(kind, "_fields", None) == tuple(fields):
        return kind
    return _namedtuple(name, fields)


# The results of the functions below, when traced: numpy's own classes.
_one = _onp.eye(1)
EighResult = _result_type("EighResult", ["eigenvalues", "eigenvectors"], _linalg.eigh(_one))
EigResult = _result_type("EigResult", ["eigenvalues", "eigenvectors"], _linalg.eig(_one))
SVDResult = _result_type("SVDResult", ["U", "S", "Vh"], _linalg.svd(_one))
SlogdetResult = _result_type("SlogdetResult", ["sign", "logabsdet"], _linalg.slogdet(_one))


def _traced(*values) -> bool:
    return any(isinstance(v, _Node) for v in values)


def _primitive(fun, name):
    prim = _Primitive(fun, name)
    prim.qualified_name = f"np.linalg.{name}"
    return prim


# --------------------------------------------------------------------------
# Packed primitives: several outputs in one array
# --------------------------------------------------------------------------

def _eigh_packed(a, UPLO="L"):
    """[eigenvalues; eigenvectors]: shape (..., n + 1, n), row 0 the eigenvalues."""
    w, v = _linalg.eigh(a, UPLO)
    return _onp.concatenate([w[..., None, :].astype(v.dtype), v], axis=-2)


def _eig_packed(a):
    """[eigenvalues; eigenvectors]: shape (..., n + 1, n), row 0 the eigenvalues."""
    w, v = _linalg.eig(a)
    return _onp.concatenate([w[..., None, :], v], axis=-2)


def _svd_packed(a, hermitian=False):
    """[U; S; Vh transposed] of the reduced SVD: shape (..., m + 1 + n, k), k = min(m, n)."""
    u, s, vh = _linalg.svd(a, full_matrices=False, hermitian=hermitian)
    return _onp.concatenate([u, s[..., None, :].astype(u.dtype), _onp.swapaxes(vh, -1, -2)],
                            axis=-2)


def _log_det(a):
    """log det(a): log|det a| for real matrices, the complex logarithm for complex ones.

    Both have the same derivative, inv(a) transposed (see gradients/linalg.py).
    """
    sign, logabsdet = _linalg.slogdet(a)
    if _onp.iscomplexobj(a):
        return logabsdet + 1j * _onp.angle(sign)
    return logabsdet


eigh_packed = _primitive(_eigh_packed, "eigh_packed")
eig_packed = _primitive(_eig_packed, "eig_packed")
svd_packed = _primitive(_svd_packed, "svd_packed")
log_det = _primitive(_log_det, "log_det")


def _is_complex(a) -> bool:
    return _onp.iscomplexobj(_unwrap(a))


def _real_if(x, complex_input):
    return _np.real(x) if complex_input else x


# --------------------------------------------------------------------------
# The functions students call
# --------------------------------------------------------------------------

def eigh(a, UPLO="L"):
    """numpy.linalg.eigh; traced, it is one node (eigh_packed) plus two indexings."""
    if not _traced(a):
        return _linalg.eigh(a, UPLO)
    packed = eigh_packed(a, UPLO)
    return EighResult(_real_if(packed[..., 0, :], _is_complex(a)), packed[..., 1:, :])


def eigvalsh(a, UPLO="L"):
    """numpy.linalg.eigvalsh: the eigenvalues of eigh."""
    if not _traced(a):
        return _linalg.eigvalsh(a, UPLO)
    return eigh(a, UPLO)[0]


def eig(a):
    """numpy.linalg.eig; traced, it is one node (eig_packed) plus two indexings."""
    if not _traced(a):
        return _linalg.eig(a)
    packed = eig_packed(a)
    return EigResult(packed[..., 0, :], packed[..., 1:, :])


def eigvals(a):
    """numpy.linalg.eigvals: the eigenvalues of eig."""
    if not _traced(a):
        return _linalg.eigvals(a)
    return eig(a)[0]


def svd(a, full_matrices=True, compute_uv=True, hermitian=False):
    """numpy.linalg.svd; traced, it is one node (svd_packed) plus indexings.

    Traced, full_matrices=True is allowed only for square matrices (where it is
    the same as full_matrices=False): for an m x n matrix with m != n the extra
    columns of U (or rows of Vh) are any orthonormal completion, not a
    function of the matrix, so they have no gradient.
    """
    if not _traced(a):
        return _linalg.svd(a, full_matrices=full_matrices, compute_uv=compute_uv,
                           hermitian=hermitian)
    m, n = _onp.shape(_unwrap(a))[-2:]
    if compute_uv and full_matrices and m != n:
        raise _NoGradientError(_explain(
            f"np.linalg.svd(a, full_matrices=True) of a {m} x {n} matrix has no gradient.",
            "the last |m - n| columns of U (or rows of Vh) are any orthonormal basis of "
            "the space left over; numpy picks one, but it does not follow the matrix "
            "smoothly, so it has no derivative.",
            "np.linalg.svd(a, full_matrices=False) (U is m x k and Vh is k x n, "
            "k = min(m, n)); or compute_uv=False for the singular values only."))
    packed = svd_packed(a, hermitian)
    s = _real_if(packed[..., m, :], _is_complex(a))
    if not compute_uv:
        return s
    return SVDResult(packed[..., :m, :], s, _np.swapaxes(packed[..., m + 1:, :], -1, -2))


def svdvals(x, /):
    """numpy.linalg.svdvals: svd(x, compute_uv=False)."""
    if not _traced(x):
        return _linalg.svdvals(x)
    return svd(x, compute_uv=False)


def slogdet(a):
    """numpy.linalg.slogdet: (sign, log|det a|).

    Traced, logabsdet is the primitive log_det. For a real matrix the sign is
    +1, -1 or 0, a plain number (its derivative is zero wherever it exists).
    For a complex matrix the sign is exp(i * angle(det a)), which does change
    with the matrix: log_det then returns the complex log det and both parts
    are taken from it.
    """
    if not _traced(a):
        return _linalg.slogdet(a)
    logdet = log_det(a)
    if _is_complex(a):
        return SlogdetResult(_np.exp(1j * _np.imag(logdet)), _np.real(logdet))
    return SlogdetResult(_linalg.slogdet(_unwrap(a))[0], logdet)


def matrix_norm(x, /, *, keepdims=False, ord="fro"):
    """numpy.linalg.matrix_norm: norm over the last two axes."""
    if not _traced(x):
        return _linalg.matrix_norm(x, keepdims=keepdims, ord=ord)
    return norm(x, ord, (-2, -1), keepdims)


def vector_norm(x, /, *, axis=None, keepdims=False, ord=2):
    """numpy.linalg.vector_norm: the norm of the entries over ``axis`` (all by default)."""
    if not _traced(x):
        return _linalg.vector_norm(x, axis=axis, keepdims=keepdims, ord=ord)
    shape = _onp.shape(_unwrap(x))
    ndim = len(shape)
    if isinstance(axis, int):
        return norm(x, ord, axis, keepdims)
    axes = tuple(range(ndim)) if axis is None else tuple(a % ndim for a in axis)
    rest = [i for i in range(ndim) if i not in axes]
    # move the reduced axes to the end and merge them into one
    flat = _np.reshape(_np.transpose(x, rest + list(axes)), tuple(shape[i] for i in rest) + (-1,))
    result = norm(flat, ord, -1)
    if keepdims:
        result = _np.reshape(result, tuple(1 if i in axes else n for i, n in enumerate(shape)))
    return result


def matrix_transpose(x, /):
    """numpy.linalg.matrix_transpose: swap the last two axes."""
    if not _traced(x):
        return _linalg.matrix_transpose(x)
    return _np.swapaxes(x, -1, -2)


def multi_dot(arrays, *, out=None):
    """numpy.linalg.multi_dot; traced, a chain of np.dot from left to right."""
    arrays = list(arrays)
    if not _traced(*arrays):
        return _linalg.multi_dot(arrays, out=out)
    return _functools.reduce(_np.dot, arrays)


def cond(x, p=None):
    """numpy.linalg.cond: largest / smallest singular value, or norm(x) * norm(inv(x))."""
    if not _traced(x):
        return _linalg.cond(x, p)
    if p in (None, 2, -2):
        s = svd(x, compute_uv=False)
        largest, smallest = s[..., 0], s[..., -1]
        return smallest / largest if p == -2 else largest / smallest
    return norm(x, p, (-2, -1)) * norm(inv(x), p, (-2, -1))


def tensorinv(a, ind=2):
    """numpy.linalg.tensorinv: inv of ``a`` seen as a matrix (first ``ind`` axes x the rest)."""
    if not _traced(a):
        return _linalg.tensorinv(a, ind)
    shape = _onp.shape(_unwrap(a))
    if ind <= 0:
        raise ValueError("Invalid ind argument.")
    rows = int(_onp.prod(shape[ind:]))
    return _np.reshape(inv(_np.reshape(a, (rows, -1))), shape[ind:] + shape[:ind])


def tensorsolve(a, b, axes=None):
    """numpy.linalg.tensorsolve: solve with ``a`` and ``b`` flattened to a matrix and a vector."""
    if not _traced(a, b):
        return _linalg.tensorsolve(a, b, axes)
    ndim = _onp.ndim(_unwrap(a))
    if axes is not None:
        order = [k for k in range(ndim) if k not in [ax % ndim for ax in axes]]
        a = _np.transpose(a, order + [ax % ndim for ax in axes])
    shape = _onp.shape(_unwrap(a))[-(ndim - _onp.ndim(_unwrap(b))):]
    size = int(_onp.prod(shape))
    x = solve(_np.reshape(a, (size, size)), _np.reshape(b, (size,)))
    return _np.reshape(x, shape)


# --------------------------------------------------------------------------
# numpy 2's array-API names for functions teachgrad.numpy already differentiates
# --------------------------------------------------------------------------

def matmul(x1, x2, /):
    """numpy.linalg.matmul: np.matmul."""
    return _np.matmul(x1, x2) if _traced(x1, x2) else _linalg.matmul(x1, x2)


def tensordot(x1, x2, /, *, axes=2):
    """numpy.linalg.tensordot: np.tensordot."""
    return _np.tensordot(x1, x2, axes) if _traced(x1, x2) else _linalg.tensordot(x1, x2, axes=axes)


def outer(x1, x2, /):
    """numpy.linalg.outer: np.outer of two 1-D arrays."""
    if not _traced(x1, x2):
        return _linalg.outer(x1, x2)
    if _onp.ndim(_unwrap(x1)) != 1 or _onp.ndim(_unwrap(x2)) != 1:
        raise ValueError("Input arrays must be one-dimensional")
    return _np.outer(x1, x2)


def vecdot(x1, x2, /, *, axis=-1):
    """numpy.linalg.vecdot: sum(conj(x1) * x2) over ``axis``."""
    return _np.vecdot(x1, x2, axis=axis) if _traced(x1, x2) else _linalg.vecdot(x1, x2, axis=axis)


def trace(x, /, *, offset=0, dtype=None):
    """numpy.linalg.trace: the trace of each matrix (the last two axes)."""
    if not _traced(x):
        return _linalg.trace(x, offset=offset, dtype=dtype)
    return _np.trace(x, offset, -2, -1, dtype)


def diagonal(x, /, *, offset=0):
    """numpy.linalg.diagonal: the diagonal of each matrix (the last two axes)."""
    if not _traced(x):
        return _linalg.diagonal(x, offset=offset)
    return _np.diagonal(x, offset, -2, -1)


def cross(x1, x2, /, *, axis=-1):
    """numpy.linalg.cross: np.cross of 3-vectors."""
    return _np.cross(x1, x2, axis=axis) if _traced(x1, x2) else _linalg.cross(x1, x2, axis=axis)
