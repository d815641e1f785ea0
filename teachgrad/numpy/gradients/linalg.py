"""Gradients of np.linalg: inverse, determinants, solve, factorizations, norms.

Notation. ``T(x)`` swaps the last two axes (the transpose of every matrix
in a stack) and ``H(x)`` is the conjugate transpose. ``@`` broadcasts over
leading axes, so each formula below is written for one matrix and works
unchanged for a stack of matrices of shape (..., m, n).

Complex numbers follow autograd's convention: the upstream gradient ``g``
of an output ``y`` means that a change ``dy`` changes the (real) final
output by ``Re(sum(g * dy))``, with no conjugate. Two consequences:

* for a complex-analytic function (inv, det, solve, matrix_power) the
  gradient is the same formula as for real matrices, with plain transposes;
* conjugates appear only where the function itself uses one (the
  Hermitian factorizations eigh, cholesky, svd; pinv; norms).

Each formula comes from perturbing the defining equation (``A @ inv(A) = I``,
``A = L @ H(L)``, ``A @ V = V @ diag(w)``, ...) to first order, solving for
the change of the output, and moving that linear map to the other side of
``Re(sum(g * dy))``. References for the derivations: M. Giles, "An extended
collection of matrix derivative results for forward and reverse mode
automatic differentiation" (2008); I. Murray, "Differentiation of the
Cholesky decomposition" (2016); J. Townsend, "Differentiating the singular
value decomposition" (2016).
"""
from __future__ import annotations

import numpy as onp

from .. import namespace as np
from ...extend import defvjp
from ...graph import Node
from ...tracing import unwrap
from .. import linalg
from .helpers import is_complex, shape_of, unbroadcast

inv, solve = np.linalg.inv, np.linalg.solve


def T(x):
    return np.swapaxes(x, -1, -2)


def H(x):
    return np.conj(T(x)) if is_complex(x) else T(x)


def conj(x):
    return np.conj(x) if is_complex(x) else x


def real(x):
    return np.real(x) if is_complex(x) else x


def trailing(v):
    """Give ``v`` (one number per matrix) two trailing axes of length 1."""
    return np.reshape(v, shape_of(v) + (1, 1))


def diag(v):
    """A stack of diagonal matrices with ``v`` (..., k) on the diagonal."""
    return np.expand_dims(v, -2) * onp.eye(shape_of(v)[-1])


def is_zero(g) -> bool:
    """True when the upstream gradient is all zeros (an output was not used).

    A traced gradient is never zero here: it may vanish at this point and not
    nearby, and its derivative (a Hessian through this rule) needs the term.
    """
    return not isinstance(g, Node) and not onp.any(g)


def hermitian_input(S, lower=True):
    """The gradient for a function that reads only one triangle of its input.

    eigh, cholesky and the ``hermitian=True`` options read the lower (or
    upper) triangle of ``a`` and take the rest to mirror it (the imaginary
    part of the diagonal is ignored). Given ``S``, a gradient that is right
    for Hermitian changes ``dA``, the entry (i, j) of the read triangle moves
    both A[i, j] and A[j, i] = conj(A[i, j]): it gets S[i, j] + conj(S[j, i]);
    the diagonal gets Re(S[i, i]); the other triangle does not matter (0).
    """
    n = shape_of(S)[-1]
    mask = onp.tril(onp.ones((n, n)), -1) if lower else onp.triu(onp.ones((n, n)), 1)
    return (S + H(S)) * mask + real(S) * onp.eye(n)


# --------------------------------------------------------------------------
# inv, det, slogdet, solve, matrix_power, pinv
# --------------------------------------------------------------------------

# d inv(A) = -inv(A) dA inv(A)
defvjp(inv, lambda ans, x: lambda g: -(T(ans) @ g @ T(ans)))

# d det(A) = det(A) trace(inv(A) dA)  (Jacobi's formula)
defvjp(np.linalg.det, lambda ans, x: lambda g: trailing(g * ans) * T(inv(x)),
       formulas=("det({0})·inv({0})ᵀ",))

# d log det(A) = trace(inv(A) dA): the same for log|det| of a real matrix
# and for the complex log det of a complex one (see linalg.slogdet).
defvjp(linalg.log_det, lambda ans, x: lambda g: trailing(g) * T(inv(x)),
       formulas=("inv({0})ᵀ",))


def solve_vjp(argnum):
    """x = solve(a, b): d x = solve(a, db - da @ x).

    So b gets solve(aᵀ, g) and a gets -solve(aᵀ, g) @ xᵀ. numpy treats b as
    one vector only when it is 1-D; it is then made a column, and batch axes
    that were broadcast are summed away (unbroadcast).
    """
    def maker(ans, a, b):
        vector = np.ndim(b) == 1

        def vjp(g):
            x = ans
            if vector:
                g, x = np.expand_dims(g, -1), np.expand_dims(x, -1)
            gb = solve(T(a), g)
            if argnum == 1:
                return unbroadcast(b, np.squeeze(gb, -1) if vector else gb)
            return unbroadcast(a, -(gb @ T(x)))
        return vjp
    return maker


defvjp(solve, solve_vjp(0), solve_vjp(1))


def matrix_power_vjp(ans, a, n):
    """A**n = A @ A @ ... @ A: d(A**n) = sum over k of A**k dA A**(n-1-k).

    For n < 0, A**n = inv(A)**|n|: the same sum for B = inv(A), then the
    gradient of inv.
    """
    n = int(n)
    if n == 0:                               # A**0 = I, whatever A is
        return lambda g: onp.zeros(shape_of(a), dtype=onp.result_type(unwrap(a)))
    B = a if n > 0 else inv(a)
    m = abs(n)

    def vjp(g):
        Bt = T(B)
        powers = [None, Bt]                  # powers[k] = Bᵀ ** k; None for the identity
        for _ in range(2, m):
            powers.append(powers[-1] @ Bt)
        gB = 0.0
        for k in range(m):
            left, right = powers[k], powers[m - 1 - k]
            term = g if left is None else left @ g
            gB = gB + (term if right is None else term @ right)
        return gB if n > 0 else -(Bt @ gB @ Bt)
    return vjp


defvjp(np.linalg.matrix_power, matrix_power_vjp)


def pinv_vjp(ans, a, rcond=None, hermitian=False, **kwargs):
    """P = pinv(A), for A of constant rank (Golub and Pereyra, 1973):

    dP = -P dA P + P H(P) H(dA) (I - A P) + (I - P A) H(dA) H(P) P.

    The first term is analytic in A; the two others use H(dA), which sends
    their part of the gradient through a conjugate. With hermitian=True
    numpy reads one triangle of A (which should then be Hermitian).
    """
    m, n = shape_of(a)[-2:]
    if hermitian:                      # the Hermitian matrix numpy inverted: a's lower triangle, mirrored
        below = onp.tril(onp.ones((n, n)), -1)
        a = a * below + H(a * below) + real(a) * onp.eye(n)

    def vjp(g):
        P = ans
        left = onp.eye(m) - a @ P          # I - A P: projects onto what A cannot reach
        right = onp.eye(n) - P @ a         # I - P A: projects onto the null space of A
        S = -(T(P) @ g @ T(P)) + conj(left @ T(g) @ P @ H(P) + H(P) @ P @ T(g) @ right)
        return hermitian_input(S) if hermitian else S
    return vjp


defvjp(np.linalg.pinv, pinv_vjp)


# --------------------------------------------------------------------------
# cholesky, eigh, eig, svd (the last three through their packed primitives)
# --------------------------------------------------------------------------

def cholesky_vjp(ans, a, upper=False):
    """A = L H(L) with L lower triangular and a real positive diagonal.

    Perturbing: inv(L) dA inv(H(L)) = M + H(M) with M = inv(L) dL lower
    triangular with a real diagonal, so M = phi(inv(L) dA inv(H(L))), where
    phi keeps the lower triangle and halves the diagonal. Moving the maps to
    the other side of Re(sum(g * dL)) gives, for Hermitian dA,
    S = inv(L)ᵀ phi(Lᵀ g) inv(conj(L)), then hermitian_input. With
    upper=True numpy returns U = H(L) and reads the upper triangle.
    """
    n = shape_of(a)[-1]
    phi = onp.tril(onp.ones((n, n)), -1) + 0.5 * onp.eye(n)
    L = H(ans) if upper else ans

    def vjp(g):
        gL = H(g) if upper else g
        Y = solve(T(L), (T(L) @ gL) * phi)          # inv(L)ᵀ phi(Lᵀ g)
        S = T(solve(H(L), T(Y)))                     # ... @ inv(conj(L))
        return hermitian_input(S, lower=not upper)
    return vjp


defvjp(np.linalg.cholesky, cholesky_vjp)


def eigen_gaps(w):
    """F[i, j] = 1 / (w[j] - w[i]) off the diagonal, 0 on it.

    Infinite for repeated eigenvalues: the eigenvectors then have no
    derivative (any basis of the repeated eigenspace would do).
    """
    n = shape_of(w)[-1]
    gaps = np.expand_dims(w, -2) - np.expand_dims(w, -1)
    return (1.0 - onp.eye(n)) / (gaps + onp.eye(n))


# Complex eigenvectors and singular vectors are unique up to a phase each; numpy
# (LAPACK) picks it by making one entry of each vector real (see
# gradients/linalg_tangents.py). The rules below first find the gradient for vectors
# whose phase is fixed by Im(H(v) dv) = 0; numpys_phase then adds what numpy's choice
# changes. Numpy's tangent is dX + X diag(i t) with t = -Im(dX[r]) / Re(X[r]) (r: the
# real entry of each column); transposing that turn (a gradient g pairs with a change
# dX as Re(sum(g * dX))) moves -i Im(a) / Re(X[r]) onto row r of the gradient, where
# a = diag(Xᵀ g) sums what every output turned by the same phase receives.

def numpys_phase(g, X, a, rows):
    """The gradient g of X with numpy's phase convention; ``rows`` marks each column's real entry."""
    top = real(np.sum(X * rows, axis=-2))
    return g - 1j * rows * np.expand_dims(np.imag(a) / top, -2)


def first_or_last_row(X, last):
    rows = onp.zeros(shape_of(X))
    rows[..., -1 if last else 0, :] = 1.0
    return rows


def largest_entries(U):
    """The entry of largest size in each column (the first, among equals): eig keeps it real."""
    plain = onp.abs(unwrap(U))
    top = plain == plain.max(axis=-2, keepdims=True)
    return (top & (onp.cumsum(top, axis=-2) == 1)).astype(float)


def eigh_vjp(ans, a, UPLO="L"):
    """A V = V diag(w), V unitary, w real.

    For Hermitian dA, with K = H(V) dA V: dw = real(diag(K)) and
    dV = V (F * K), where F holds 1 / (w[j] - w[i]) (the phase of each
    complex column then moves as numpy's rule says: numpys_phase).
    Transposing these maps gives S = conj(V) (diag(gw) + F * (Vᵀ gV)) Vᵀ,
    then hermitian_input.

    When the eigenvectors were not used (gV is zero) their term is skipped:
    the eigenvalues alone are differentiable even when some are repeated.
    """
    complex_input = is_complex(a)
    w = real(ans[..., 0, :]) if complex_input else ans[..., 0, :]
    V = ans[..., 1:, :]

    def vjp(g):
        gw, gV = real(g[..., 0, :]), g[..., 1:, :]
        inner = diag(gw)
        if not is_zero(gV):
            if is_complex(V):
                gV = numpys_phase(gV, V, np.sum(V * gV, axis=-2),
                                  first_or_last_row(V, UPLO.upper() != "L"))
            inner = inner + eigen_gaps(w) * (T(V) @ gV)
        return hermitian_input(conj(V) @ inner @ T(V), lower=UPLO.upper() == "L")
    return vjp


defvjp(linalg.eigh_packed, eigh_vjp)


def eig_vjp(ans, a):
    """A U = U diag(e) for a general square matrix; columns of U have norm 1.

    With K = inv(U) dA U: de = diag(K), and dU = U C where C = F * K off
    the diagonal; the diagonal of C keeps each column at norm 1
    (Re(H(u_i) du_i) = 0) and its imaginary part (the phase) follows numpy's
    rule (numpys_phase). Transposing: R = diag(ge) + F * (Q - (Uᵀ conj(U)) diag(Re(diag(Q))))
    with Q = Uᵀ gU, and the gradient is inv(U)ᵀ R Uᵀ (its real part for a
    real matrix, whose eigenvalues may still be complex).
    """
    e, U = ans[..., 0, :], ans[..., 1:, :]

    def vjp(g):
        ge, gU = g[..., 0, :], g[..., 1:, :]
        R = diag(ge)
        if not is_zero(gU):
            if is_complex(U):
                gU = numpys_phase(gU, U, np.sum(U * gU, axis=-2), largest_entries(U))
            Q = T(U) @ gU
            norm_fix = (T(U) @ conj(U)) @ (real(Q) * onp.eye(shape_of(e)[-1]))
            R = R + eigen_gaps(e) * (Q - norm_fix)
        G = solve(T(U), R @ T(U))
        return G if is_complex(a) else real(G)
    return vjp


defvjp(linalg.eig_packed, eig_vjp)


def svd_vjp(ans, a, hermitian=False):
    """A = U diag(s) H(V) (the reduced SVD), U is m x k, V is n x k, k = min(m, n).

    With P = H(U) dA V: ds = Re(diag(P)), and the changes of U and V inside
    their own columns' span are H(U) dU = F * (P S + S H(P)) and
    H(V) dV = F * (S P + H(P) S), with F[i, j] = 1 / (s[j]**2 - s[i]**2)
    (the common phase of u_i and v_i is free: H(V) dV gets a zero
    diagonal, H(U) dU the imaginary diagonal i Im(P[i, i]) / s[i]). When
    m > k, U also moves out of its span: (I - U H(U)) dA V / s; likewise V
    when n > k. Transposing each map gives the terms below. Repeated
    singular values (and zero ones, if m != n) make U and V
    non-differentiable; the singular values alone are always fine.
    """
    m, n = shape_of(a)[-2:]
    k = min(m, n)
    complex_input = is_complex(a)
    U = ans[..., :m, :]
    s = real(ans[..., m, :]) if complex_input else ans[..., m, :]
    V = conj(ans[..., m + 1:, :])             # the packed array holds Vhᵀ = conj(V)

    def vjp(g):
        gU, gs, gVh_t = g[..., :m, :], real(g[..., m, :]), g[..., m + 1:, :]
        R = diag(gs)
        extra = 0.0
        if not (is_zero(gU) and is_zero(gVh_t)):
            gV = conj(gVh_t)                  # Vh = H(V), so V gets conj(gVhᵀ)
            if is_complex(U):
                both = np.sum(U * gU, axis=-2) + np.sum(V * gV, axis=-2)
                if m >= n or hermitian:
                    gV = numpys_phase(gV, V, both, first_or_last_row(V, False))
                else:
                    gU = numpys_phase(gU, U, both, first_or_last_row(U, False))
            F = eigen_gaps(s ** 2)
            QU, QV = T(U) @ gU, T(V) @ gV
            s_row, s_col = np.expand_dims(s, -2), np.expand_dims(s, -1)
            R = R + (F * (QU - H(QU))) * s_row + s_col * (F * (QV - H(QV)))
            if complex_input:
                R = R + 1j * np.imag(QU) * onp.eye(k) / s_row
            if m > k:
                extra = extra + ((gU - conj(U) @ QU) / s_row) @ T(V)
            if n > k:
                extra = extra + conj((U / s_row) @ (T(gV) - T(QV) @ H(V)))
        S = conj(U) @ R @ T(V) + extra
        return hermitian_input(S) if hermitian else S
    return vjp


defvjp(linalg.svd_packed, svd_vjp)


# --------------------------------------------------------------------------
# norm
# --------------------------------------------------------------------------

def norm_axes(x, ord, axis):
    """The reduced axes, and whether numpy computes a vector or a matrix norm."""
    ndim = np.ndim(x)
    if axis is None:
        axes = tuple(range(ndim))
        if ord is None:                         # sqrt of the sum of |x|**2 over everything
            return axes, "fro"
    else:
        axes = (axis,) if isinstance(axis, int) else tuple(axis)
        axes = tuple(int(ax) % ndim for ax in axes)
    if len(axes) == 1:
        return axes, "vector"
    if len(axes) == 2:
        return axes, "matrix"
    raise ValueError(f"norm over {len(axes)} axes is not defined (numpy raises too)")


def norm_vjp(ans, x, ord=None, axis=None, keepdims=False):
    """Gradients of every norm numpy computes.

    * sqrt(sum |x|**2) (vectors: ord None or 2; matrices: None or 'fro'):
      conj(x) / norm.
    * vector p-norms (sum |x|**p) ** (1/p), p = 1, 3, 0.5, -1, ...:
      conj(x) |x|**(p - 2) / norm**(p - 1); p = 1 gives the sign of x.
    * vector ord=inf / -inf and matrix ord=1, -1, inf, -inf: a max or a min
      (of |x|, or of its column or row sums); the gradient is the sign of
      the entries that win, shared equally between ties.
    * matrix 'nuc' (sum of singular values): conj(U Vh); ord=2 / -2 (the
      largest / smallest singular value): conj(u v_h) for that one. These
      use the differentiable svd, so they can be differentiated again.
    * ord=0 (the number of nonzero entries) is piecewise constant: 0.
    At x = 0 (where the norm has no derivative) the 2-norm gets 0.
    """
    axes, kind = norm_axes(x, ord, axis)
    shape = shape_of(x)
    kept = tuple(1 if i in axes else size for i, size in enumerate(shape))
    conj_x = conj(x)

    def safe(v):                                # v, with its zeros replaced by 1
        return np.where(v == 0, 1.0, v)

    def vjp(g):
        g_kept = np.reshape(g, kept)
        ans_kept = np.reshape(ans, kept)
        if kind == "fro" or (kind == "matrix" and ord in (None, "fro")) or \
                (kind == "vector" and ord in (None, 2)):
            return g_kept / safe(ans_kept) * conj_x
        abs_x = np.abs(x)
        sign_x = conj_x / safe(abs_x)             # sign(x), or x / |x| for complex x
        if kind == "vector":
            p = float(ord)
            if p == 0:
                return onp.zeros(shape, dtype=onp.result_type(unwrap(x)))
            if onp.isinf(p):
                return g_kept * winners(unwrap(abs_x), unwrap(ans_kept), axes) * sign_x
            return g_kept * safe(ans_kept) ** (1 - p) * safe(abs_x) ** (p - 1) * sign_x
        row, col = axis if axis is not None else (0, 1)
        row, col = row % len(shape), col % len(shape)
        if ord in (1, -1, onp.inf, -onp.inf):
            # ord=±1: max/min over columns of the column sums; ord=±inf: the same for rows
            summed = row if ord in (1, -1) else col
            sums = onp.sum(onp.abs(unwrap(x)), axis=summed, keepdims=True)
            return g_kept * winners(sums, unwrap(ans_kept), axes) * sign_x
        if ord in ("nuc", 2, -2):
            moved = np.moveaxis(x, (row, col), (-2, -1))
            U, _, Vh = linalg.svd(moved, full_matrices=False)
            if ord == 2:
                U, Vh = U[..., :, :1], Vh[..., :1, :]
            elif ord == -2:
                U, Vh = U[..., :, -1:], Vh[..., -1:, :]
            return g_kept * np.moveaxis(conj(U @ Vh), (-2, -1), (row, col))
        raise ValueError(f"invalid norm order {ord!r} for matrices")
    return vjp


def winners(values, best, axes):
    """1 / (number of ties) where ``values`` equals the max (or min) ``best``, else 0."""
    won = (values == best).astype(float)
    return won / onp.sum(won, axis=axes, keepdims=True)


defvjp(np.linalg.norm, norm_vjp)

