"""``teachgrad.scipy.linalg``: scipy.linalg, recording the computation for gradients.

Every function of ``scipy.linalg`` is here (as in ``autograd.scipy.linalg``).
These have gradients, to any order:

=====================================  =========================================
function                               gradient with respect to
=====================================  =========================================
``sqrtm(A)``                           A
``solve_triangular(a, b, trans, lower, unit_diagonal)``   a and b
``solve_banded((l, u), ab, b)``        ab and b
``solve_sylvester(a, b, q)``           a, b and q
``cholesky(a, lower=False)``           a (the triangle it reads)
=====================================  =========================================

The others (``inv``, ``det``, ``expm``, ...) are recorded but have no
gradient: differentiating through one raises an error that says so. For
inv, solve, det, eigh, svd, ... use ``teachgrad.numpy.linalg``, which has
their gradients.

The derivations perturb the defining equation to first order:

* ``X = solve_sylvester(A, B, Q)`` means ``A X + X B = Q``, so
  ``A dX + dX B = dQ - dA X - X dB``. The map ``dX -> A dX + dX B`` has the
  adjoint ``Y -> Aᵀ Y + Y Bᵀ``; hence with ``Y = solve_sylvester(Aᵀ, Bᵀ, g)``
  the gradients are ``Y`` for Q, ``-Y Xᵀ`` for A and ``-Xᵀ Y`` for B.
* ``S = sqrtm(A)`` means ``S S = A``, so ``S dS + dS S = dA``: a Sylvester
  equation, and the gradient for A is ``solve_sylvester(Sᵀ, Sᵀ, g)``.
* ``x = solve_triangular(a, b)`` means ``op(a) x = b`` (op: nothing, a
  transpose, or a conjugate transpose), so ``op(a) dx = db - op(da) x``:
  b gets ``y = op(a)⁻ᵀ g`` and op(a) gets ``-y xᵀ``, kept to the triangle
  of ``a`` that is read.
* ``solve_banded`` is the same with ``a`` stored by diagonals.

Complex matrices follow teachgrad's (autograd's) convention: no conjugate
for complex-analytic functions (see ``teachgrad/numpy/gradients/linalg.py``).
"""
from __future__ import annotations

import numpy as _onp
import scipy.linalg as _sl

import teachgrad.numpy as _np

from ..extend import defvjp, defvjp_argnums
from ..numpy.gradients.helpers import is_complex as _is_complex, matching_complex as _in_space
from ..numpy.gradients.linalg import cholesky_vjp as _cholesky_vjp
from ..numpy.wrapping import wrap_namespace as _wrap_namespace
from ._primitive import scipy_primitive as _scipy_primitive


def _T(x):
    return _np.swapaxes(x, -1, -2)


def _bind(prim, args, kwargs):
    bound = prim.signature.bind(*args, **kwargs)
    bound.apply_defaults()
    return bound.arguments


# --------------------------------------------------------------------------
# solve_sylvester and sqrtm
# --------------------------------------------------------------------------

@_scipy_primitive("scipy.linalg.solve_sylvester")
def solve_sylvester(a, b, q):
    """The solution X of A X + X B = Q."""
    return _sl.solve_sylvester(a, b, q)


def _solve_sylvester_vjp(argnums, ans, args, kwargs):
    a, b, _ = _bind(solve_sylvester, args, kwargs).values()

    def vjp(g):
        y = solve_sylvester(_T(a), _T(b), g)
        grads = {0: lambda: -(y @ _T(ans)), 1: lambda: -(_T(ans) @ y), 2: lambda: y}
        return [_in_space(args[i], grads[i]()) for i in argnums]
    return vjp


defvjp_argnums(solve_sylvester, _solve_sylvester_vjp)


@_scipy_primitive("scipy.linalg.sqrtm")
def sqrtm(A, **options):
    """The principal square root S of A (S @ S = A)."""
    return _sl.sqrtm(A, **options)


def _sqrtm_vjp(ans, A, **options):
    if options.get("disp", True) is False:
        raise NotImplementedError("sqrtm(A, disp=False) returns a pair; teachgrad differentiates "
                                  "sqrtm(A) only. Instead: call sqrtm(A).")

    def vjp(g):
        grad_A = solve_sylvester(_T(ans), _T(ans), g)
        return grad_A if _is_complex(A) or not _is_complex(grad_A) else _np.real(grad_A)
    return vjp


defvjp(sqrtm, _sqrtm_vjp)


# --------------------------------------------------------------------------
# solve_triangular
# --------------------------------------------------------------------------

@_scipy_primitive("scipy.linalg.solve_triangular")
def solve_triangular(a, b, trans=0, lower=False, unit_diagonal=False, overwrite_b=False,
                     check_finite=True):
    """The solution x of op(a) x = b for a triangular matrix a (op set by ``trans``)."""
    return _sl.solve_triangular(a, b, trans=trans, lower=lower, unit_diagonal=unit_diagonal,
                                overwrite_b=overwrite_b, check_finite=check_finite)


_TRANS = {0: "N", "N": "N", "n": "N", 1: "T", "T": "T", "t": "T", 2: "C", "C": "C", "c": "C"}


def _triangle(M, lower, unit_diagonal):
    """The part of M that lies in the triangle solve_triangular reads."""
    if lower:
        return _np.tril(M, -1 if unit_diagonal else 0)
    return _np.triu(M, 1 if unit_diagonal else 0)


def _solve_triangular_vjp(argnums, ans, args, kwargs):
    p = _bind(solve_triangular, args, kwargs)
    a, lower, unit = p["a"], p["lower"], p["unit_diagonal"]
    trans = _TRANS[p["trans"]]
    if trans == "C" and not _is_complex(a):
        trans = "T"                                  # a conjugate of a real matrix is itself
    vector = _np.ndim(p["b"]) == 1

    def solve(rhs, t):
        return solve_triangular(a, rhs, trans=t, lower=lower, unit_diagonal=unit)

    def vjp(g):
        # y = op(a)⁻ᵀ g: the gradient for b
        if trans == "N":
            y = solve(g, "T")
        elif trans == "T":
            y = solve(g, "N")
        else:                                        # op(a)ᵀ = conj(a)
            y = _np.conj(solve(_np.conj(g), "N"))
        grads = []
        for argnum in argnums:
            if argnum == 1:
                grads.append(_in_space(p["b"], y))
            elif argnum == 0:
                grad_op = -(_np.outer(y, ans) if vector else y @ _T(ans))
                if trans == "T":
                    grad_op = _T(grad_op)
                elif trans == "C":
                    grad_op = _np.conj(_T(grad_op))
                grads.append(_in_space(a, _triangle(grad_op, lower, unit)))
            else:
                raise NotImplementedError(f"solve_triangular has no gradient for argument {argnum}.")
        return grads
    return vjp


defvjp_argnums(solve_triangular, _solve_triangular_vjp)


# --------------------------------------------------------------------------
# solve_banded
# --------------------------------------------------------------------------

@_scipy_primitive("scipy.linalg.solve_banded")
def solve_banded(l_and_u, ab, b, overwrite_ab=False, overwrite_b=False, check_finite=True):
    """The solution x of a x = b, for a banded matrix a stored by diagonals in ``ab``.

    ``ab[u + i - j, j] = a[i, j]``, with ``l`` diagonals below the main one and ``u`` above.
    """
    return _sl.solve_banded(l_and_u, ab, b, overwrite_ab=overwrite_ab, overwrite_b=overwrite_b,
                            check_finite=check_finite)


def _shift(row, d):
    """v[j] = row[j + d] (zero where j + d falls outside the row)."""
    n = _np.shape(row)[0]
    if d == 0:
        return row
    zeros = _onp.zeros(min(abs(d), n), _np.result_type(row))
    if d > 0:
        return _np.concatenate([row[d:], zeros])
    return _np.concatenate([zeros, row[:n + d]])


def _banded_transpose(l_and_u, ab):
    """The diagonal storage of aᵀ (which has l and u swapped) from that of a."""
    lower, upper = l_and_u
    rows = [_shift(ab[upper + lower - r], r - lower) for r in range(lower + upper + 1)]
    return (upper, lower), _np.stack(rows)


def _band_of(M, l_and_u):
    """The diagonal storage of the band of the dense matrix M."""
    lower, upper = l_and_u
    rows = []
    for r in range(lower + upper + 1):
        k = r - upper                                # row r holds the entries with i - j = k
        diagonal = _np.diagonal(M, -k)
        zeros = _onp.zeros(abs(k), _np.result_type(M))
        rows.append(_np.concatenate([diagonal, zeros] if k >= 0 else [zeros, diagonal]))
    return _np.stack(rows)


def _solve_banded_vjp(argnums, ans, args, kwargs):
    p = _bind(solve_banded, args, kwargs)
    l_and_u, ab, b = p["l_and_u"], p["ab"], p["b"]
    vector = _np.ndim(b) == 1

    def vjp(g):
        t_l_and_u, t_ab = _banded_transpose(l_and_u, ab)
        y = solve_banded(t_l_and_u, t_ab, g)
        grads = []
        for argnum in argnums:
            if argnum == 2:
                grads.append(_in_space(b, y))
            elif argnum == 1:
                grads.append(_in_space(ab, _band_of(-(_np.outer(y, ans) if vector else y @ _T(ans)),
                                                    l_and_u)))
            else:
                raise NotImplementedError("solve_banded has no gradient for l_and_u (whole numbers).")
        return grads
    return vjp


defvjp_argnums(solve_banded, _solve_banded_vjp)


# --------------------------------------------------------------------------
# cholesky
# --------------------------------------------------------------------------

@_scipy_primitive("scipy.linalg.cholesky")
def cholesky(a, lower=False, overwrite_a=False, check_finite=True):
    """The Cholesky factor of a: upper U with a = Uᴴ U (default), or lower L with a = L Lᴴ.

    Note the default: SciPy returns the *upper* factor, numpy the lower one.
    """
    return _sl.cholesky(a, lower=lower, overwrite_a=overwrite_a, check_finite=check_finite)


# The same formula as np.linalg.cholesky (reading the triangle it returns).
defvjp(cholesky, lambda ans, a, lower=False, overwrite_a=False, check_finite=True:
       _cholesky_vjp(ans, a, upper=not lower))


# --------------------------------------------------------------------------
# Everything else in scipy.linalg: recorded, no gradient
# --------------------------------------------------------------------------

_wrap_namespace(_sl, globals(), "scipy.linalg")
