"""Forward-mode (tangent) rules of np.linalg.

Forward mode could derive a tangent from each gradient rule (see
teachgrad/forward.py), but the decompositions need rules of their own: their
gradient rules leave out the eigenvector (or singular vector) part when no
gradient arrives there. A tangent rule says directly how each output moves when the
matrix moves by ``dA``; it is also cheaper than the derived one.

Each rule comes from perturbing the defining equation to first order (same
notation as gradients/linalg.py: ``T`` swaps the last two axes, ``H`` is the
conjugate transpose, ``@`` works on stacks of matrices):

* ``inv``: ``A X = I`` gives ``dX = -X dA X``.
* ``det``: Jacobi's formula, ``d det A = det A trace(A⁻¹ dA)``;
  ``log_det``: ``trace(A⁻¹ dA)``.
* ``solve``: ``A x = b`` gives ``dx = A⁻¹ (db - dA x)``.
* ``matrix_power``: ``d(Aⁿ) = sum over k of Aᵏ dA Aⁿ⁻¹⁻ᵏ`` (for n < 0, of
  ``A⁻¹`` with ``d(A⁻¹) = -A⁻¹ dA A⁻¹``).
* ``cholesky``: ``A = L H(L)``: ``dL = L Φ(L⁻¹ dA L⁻ᴴ)``, Φ keeping the lower
  triangle and half the diagonal.
* ``eigh``: ``A V = V diag(w)``: with ``K = H(V) dA V``, ``dw = diag(K)`` and
  ``dV = V (F * K)``, ``F[i, j] = 1 / (w[j] - w[i])`` off the diagonal.
* ``eig``: the same with ``K = U⁻¹ dA U``; the diagonal of ``U⁻¹ dU`` is
  what keeps every column of norm 1 and, as numpy (LAPACK) does, its
  largest entry real, so the tangent is the derivative of numpy's own output.
* ``svd`` (reduced): with ``P = H(U) dA V``: ``ds = Re diag(P)``,
  ``H(U) dU = F * (P S + S H(P))`` and ``H(V) dV = F * (S P + H(P) S)``
  with ``F[i, j] = 1 / (s[j]² - s[i]²)``, plus the parts leaving the span
  of U (``(I - U H(U)) dA V / s``) and of V when the matrix is not square.

eigh, cholesky and ``hermitian=True`` read only one triangle of ``A`` (the
other is taken to mirror it), so they see the change ``dA`` of that
triangle, mirrored.

Complex eigenvectors and singular vectors are unique only up to a phase
(``v`` and ``exp(i t) v`` are both unit eigenvectors); numpy (LAPACK) picks
one by a rule, and each rule here turns the phase of the tangent so as to
keep numpy's rule: the tangent is then the derivative of numpy's own output.
The rules: eig makes the largest entry of each eigenvector real; eigh the
first entry (the last, with UPLO="U"); svd the first entry of each column
of V (of U, when the matrix has fewer rows than columns). The gradient rules
(gradients/linalg.py, ``numpys_phase``) follow the same rules, so both modes
agree with finite differences of numpy's output, also for functions that
depend on the phase.
"""
from __future__ import annotations

import numpy as onp

from .. import namespace as np
from ...extend import defjvp
from ...tracing import unwrap
from .. import linalg
from .helpers import is_complex, shape_of
from .linalg import H, conj, eigen_gaps, real

solve = np.linalg.solve


def mirrored(dA, lower=True):
    """The change of the Hermitian matrix that a function reading one triangle of A sees."""
    n = shape_of(dA)[-1]
    mask = onp.tril(onp.ones((n, n)), -1) if lower else onp.triu(onp.ones((n, n)), 1)
    part = dA * mask
    return part + H(part) + real(dA) * onp.eye(n)


def diagonal(X):
    return np.diagonal(X, 0, -2, -1)


def gaps(w):
    """1 / (w[j] - w[i]) off the diagonal; inf where two values are equal.

    Called under ``quietly``: equal eigenvalues (or singular values) leave the
    vectors without a derivative, and their tangent is then nan, which is what
    forward mode shows; numpy's warnings would also fire when only the values,
    which are fine, are used.
    """
    return eigen_gaps(w)


def quietly():
    return onp.errstate(divide="ignore", invalid="ignore")


def packed(first_rows, row, last_rows):
    """Stack the tangents of the pieces the way the packed primitives stack their outputs."""
    pieces = [p for p in (first_rows, np.expand_dims(row, -2), last_rows) if p is not None]
    return np.concatenate(pieces, axis=-2)


# --------------------------------------------------------------------------
# inv, det, log_det, solve, matrix_power
# --------------------------------------------------------------------------

defjvp(np.linalg.inv, lambda g, ans, x: -(ans @ g @ ans))
defjvp(np.linalg.det, lambda g, ans, x: ans * np.trace(solve(x, g), 0, -2, -1))
defjvp(linalg.log_det, lambda g, ans, x: np.trace(solve(x, g), 0, -2, -1))


def solve_jvp_a(g, ans, a, b):
    if np.ndim(b) == 1:                       # b (and x) one vector: make it a column
        return -np.squeeze(solve(a, g @ np.expand_dims(ans, -1)), -1)
    return -solve(a, g @ ans)


defjvp(solve, solve_jvp_a, lambda g, ans, a, b: solve(a, g))


def matrix_power_jvp(g, ans, a, n):
    n = int(n)
    if n == 0:
        return 0.0 * g
    B, dB = (a, g) if n > 0 else (np.linalg.inv(a), None)
    if dB is None:
        dB = -(B @ g @ B)
    m = abs(n)
    powers = [None, B]                        # powers[k] = B ** k; None for the identity
    for _ in range(2, m):
        powers.append(powers[-1] @ B)
    total = 0.0
    for k in range(m):
        left, right = powers[k], powers[m - 1 - k]
        term = dB if left is None else left @ dB
        total = total + (term if right is None else term @ right)
    return total


defjvp(np.linalg.matrix_power, matrix_power_jvp)


# --------------------------------------------------------------------------
# cholesky, eigh, eig, svd
# --------------------------------------------------------------------------

def cholesky_jvp(g, ans, a, upper=False):
    n = shape_of(a)[-1]
    phi = onp.tril(onp.ones((n, n)), -1) + 0.5 * onp.eye(n)
    L = H(ans) if upper else ans
    Y = solve(L, mirrored(g, lower=not upper))          # L⁻¹ dA
    M = H(solve(L, H(Y)))                                # L⁻¹ dA L⁻ᴴ
    dL = L @ (M * phi)
    return H(dL) if upper else dL


defjvp(np.linalg.cholesky, cholesky_jvp)


def eigh_jvp(g, ans, a, UPLO="L"):
    w = real(ans[..., 0, :])
    V = ans[..., 1:, :]
    K = H(V) @ mirrored(g, lower=UPLO.upper() == "L") @ V
    dw = real(diagonal(K))
    with quietly():
        dV = V @ (gaps(w) * K)
    if is_complex(V):
        # numpy (LAPACK's zheevd) returns each eigenvector with its first entry real
        # (its last one, for UPLO="U"): turn the free phase so that entry stays real.
        dV = keep_real(dV, V, 0 if UPLO.upper() == "L" else -1)
    return packed(None, dw, dV)


def phase_turn(dV, V, row):
    """theta with Im(dV[row] + i theta V[row]) = 0, for V[row] real: the turn keeping it real."""
    return -np.imag(dV[..., row, :]) / real(V[..., row, :])


def keep_real(dV, V, row):
    return dV + V * np.expand_dims(1j * phase_turn(dV, V, row), -2)


defjvp(linalg.eigh_packed, eigh_jvp)


def eig_jvp(g, ans, a):
    with quietly():
        return _eig_jvp(g, ans, a)


def _eig_jvp(g, ans, a):
    e, U = ans[..., 0, :], ans[..., 1:, :]
    K = solve(U, g @ U)                                  # U⁻¹ dA U
    moved = U @ (gaps(e) * K)                            # dU without the diagonal of U⁻¹ dU
    # The diagonal c: Re(H(u_i) du_i) = 0 keeps |u_i| = 1 ...
    c = -real(np.sum(conj(U) * moved, axis=-2))
    if is_complex(ans):
        # ... and, as numpy does, the entry of largest size in each column stays real.
        plain = onp.abs(unwrap(U))
        largest = (plain == plain.max(axis=-2, keepdims=True)) & \
            (onp.cumsum(plain == plain.max(axis=-2, keepdims=True), axis=-2) == 1)
        top = np.sum(U * largest, axis=-2)
        c = c - 1j * np.imag(np.sum(moved * largest, axis=-2)) / real(top)
    dU = moved + U * np.expand_dims(c, -2)
    de = diagonal(K)
    if not is_complex(ans):                              # real eigenvalues of a real matrix
        de, dU = real(de), real(dU)
    return packed(None, de, dU)


defjvp(linalg.eig_packed, eig_jvp)


def svd_jvp(g, ans, a, hermitian=False):
    with quietly():
        return _svd_jvp(g, ans, a, hermitian)


def _svd_jvp(g, ans, a, hermitian):
    m, n = shape_of(a)[-2:]
    k = min(m, n)
    U = ans[..., :m, :]
    s = real(ans[..., m, :])
    V = conj(ans[..., m + 1:, :])                        # the packed array holds Vhᵀ = conj(V)
    dA = mirrored(g) if hermitian else g
    P = H(U) @ dA @ V
    s_row, s_col = np.expand_dims(s, -2), np.expand_dims(s, -1)
    F = gaps(s ** 2)
    dU = U @ (F * (P * s_row + s_col * H(P)))
    dV = V @ (F * (s_col * P + H(P) * s_row))
    if m > k:
        dU = dU + (dA @ V - U @ P) / s_row
    if n > k:
        dV = dV + (H(dA) @ U - V @ H(P)) / s_row
    if is_complex(P):
        # u_i and v_i may turn by a common phase; the turn of u_i relative to v_i is fixed
        # by A (it makes diag(P) move s only). numpy returns the first entry of each v_i
        # real (of each u_i, when m < n): turn the common phase so that it stays real.
        relative = np.imag(diagonal(P)) / s
        if m >= n or hermitian:
            turn_V = phase_turn(dV, V, 0)
            turn_U = turn_V + relative
        else:
            turn_U = phase_turn(dU, U, 0)
            turn_V = turn_U - relative
        dU = dU + U * np.expand_dims(1j * turn_U, -2)
        dV = dV + V * np.expand_dims(1j * turn_V, -2)
    return packed(dU, real(diagonal(P)), conj(dV))


defjvp(linalg.svd_packed, svd_jvp)
