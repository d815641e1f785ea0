"""Gradients of products of arrays: dot, matmul, einsum, inner, cross, kron, convolve, poly*.

Sections: dot, matmul, outer, tensordot; einsum; inner, vdot; cross, kron;
convolve, correlate; numpy 2's vecdot, matvec, vecmat; polynomials.

Every one is linear in each argument, so each gradient is the same kind of
product taken "backwards": the upstream gradient combined with the *other*
argument; forward mode's tangent is the product with the argument's tangent
in its place (``def_linear``). No conjugates appear except where numpy's
function conjugates (vdot, vecdot, vecmat, correlate): complex gradients
follow the convention of the rest of the table (the plain transpose of a
complex-linear map). A real argument gets the real part of a gradient made
complex by a complex partner (``real_for_real``, ``real_like``).
"""
from __future__ import annotations

import numpy as onp

from .. import namespace as np

from ...extend import def_linear, defvjp, defvjp_argnums
from ...tracing import unwrap
from .. import array_node
from .helpers import (defvjp_for, given, is_complex, matching_complex, ndim_of, quick_rule, real_like,
                      refuse, share_gradient, unbroadcast, unbroadcast_vjp)


# --------------------------------------------------------------------------
# dot, matmul, outer, tensordot
# --------------------------------------------------------------------------


def dot_vjp_a(ans, a, b):
    na, nb = ndim_of(a), ndim_of(b)
    if na == 0 or nb == 0:
        return unbroadcast_vjp(a, lambda g: g * b)
    if nb == 1:
        return lambda g: np.tensordot(g, b, 0) if na > 2 else \
            (g * b if na == 1 else np.outer(g, b))        # g[..., None] * b
    if na <= 2 and nb == 2:
        return lambda g: b @ g if na == 1 else g @ b.T     # the common cases, via matmul
    # g has shape a[:-1] + b[:-2] + b[-1:]; contract away b's free axes.
    g_axes = list(range(na - 1, na - 1 + nb - 1))
    b_axes = list(range(nb - 2)) + [nb - 1]
    return lambda g: np.tensordot(g, b, (g_axes, b_axes))


def dot_vjp_b(ans, a, b):
    na, nb = ndim_of(a), ndim_of(b)
    if na == 0 or nb == 0:
        return unbroadcast_vjp(b, lambda g: g * a)
    if na == 1 and nb == 1:
        return lambda g: g * a
    if na <= 2 and nb <= 2:
        if na == 1:
            return lambda g: np.outer(a, g)
        return lambda g: a.T @ g
    lead = list(range(na - 1))
    if nb == 1:
        return lambda g: np.tensordot(a, g, (lead, lead))
    return lambda g: np.moveaxis(np.tensordot(a, g, (lead, lead)), 0, nb - 2)


def real_for_real(argnum, maker):
    """A real argument gets the real part of a gradient made complex by a complex partner."""
    def wrapped(ans, *args, **kwargs):
        vjp = maker(ans, *args, **kwargs)
        if is_complex(args[argnum]):
            return vjp
        return lambda g: _real_part(vjp(g))
    return wrapped


def _real_part(g):
    return np.real(g) if is_complex(g) else g


def _real_floats(*arrays) -> bool:
    for v in arrays:
        if type(v) is not onp.ndarray or v.dtype.kind != "f":
            return False
    return True


def dot_gradient_a(g, ans, a, b):
    """The gradient for ``a`` in ``a @ b``, the commonest cases of real matrices and
    vectors first (the products dot_vjp_a makes, with no maker per node)."""
    if _real_floats(g, a, b) and 0 < a.ndim <= 2:
        if b.ndim == 2:
            return b @ g if a.ndim == 1 else g @ b.T
        if b.ndim == 1 and a.ndim == 2:
            return np.outer(g, b)
    return _dot_general_a(ans, a, b)(g)


def dot_gradient_b(g, ans, a, b):
    """The gradient for ``b`` in ``a @ b``, as :func:`dot_gradient_a`."""
    if _real_floats(g, a, b) and 0 < b.ndim <= 2:
        if a.ndim == 2:
            return a.T @ g
        if a.ndim == 1 and b.ndim == 2:
            return np.outer(a, g)
    return _dot_general_b(ans, a, b)(g)


_dot_general_a, _dot_general_b = real_for_real(0, dot_vjp_a), real_for_real(1, dot_vjp_b)
defvjp(np.dot, quick_rule(dot_gradient_a, _dot_general_a), quick_rule(dot_gradient_b, _dot_general_b))
def_linear(np.dot)


def matmul_vjp(argnum):
    def maker(ans, a, b, **kw):
        if ndim_of(a) <= 2 and ndim_of(b) <= 2:      # no batch axes: matmul is dot
            return (dot_vjp_a if argnum == 0 else dot_vjp_b)(ans, a, b)
        a_vec, b_vec = np.ndim(a) == 1, np.ndim(b) == 1
        if a_vec and b_vec:           # an inner product: a scalar output
            return lambda g: g * (b if argnum == 0 else a)
        a2 = np.expand_dims(a, 0) if a_vec else a
        b2 = np.expand_dims(b, -1) if b_vec else b

        def vjp(g):
            if a_vec:
                g = np.expand_dims(g, -2)
            if b_vec:
                g = np.expand_dims(g, -1)
            if argnum == 0:
                ga = np.matmul(g, np.swapaxes(b2, -1, -2))
                return unbroadcast(a, np.squeeze(ga, -2) if a_vec else ga)
            gb = np.matmul(np.swapaxes(a2, -1, -2), g)
            return unbroadcast(b, np.squeeze(gb, -1) if b_vec else gb)
        return vjp
    return maker


def _is_dot(a, b, kw) -> bool:
    """Whether ``matmul(a, b, **kw)`` is ``dot(a, b)``: arrays of matrices and vectors, no
    batch axes, no options."""
    return not kw and type(a) is onp.ndarray and type(b) is onp.ndarray \
        and 0 < a.ndim <= 2 and 0 < b.ndim <= 2


def matmul_gradient_a(g, ans, a, b, **kw):
    """matmul's gradient for ``a``: dot's quick rule where matmul is dot, else the maker."""
    if _is_dot(a, b, kw):
        return dot_gradient_a(g, ans, a, b)
    return _matmul_general_a(ans, a, b, **kw)(g)


def matmul_gradient_b(g, ans, a, b, **kw):
    """matmul's gradient for ``b``, as :func:`matmul_gradient_a`."""
    if _is_dot(a, b, kw):
        return dot_gradient_b(g, ans, a, b)
    return _matmul_general_b(ans, a, b, **kw)(g)


_matmul_general_a, _matmul_general_b = real_for_real(0, matmul_vjp(0)), real_for_real(1, matmul_vjp(1))
defvjp_for(np.matmul, array_node.matmul)(quick_rule(matmul_gradient_a, _matmul_general_a),
                                         quick_rule(matmul_gradient_b, _matmul_general_b))
def_linear(np.matmul)
def_linear(array_node.matmul)
defvjp(np.outer,
       real_for_real(0, lambda ans, a, b, **kw: lambda g: np.reshape(np.dot(g, np.ravel(b)),
                                                                      np.shape(a))),
       real_for_real(1, lambda ans, a, b, **kw: lambda g: np.reshape(np.dot(np.ravel(a), g),
                                                                      np.shape(b))))
def_linear(np.outer)


def tensordot_axes(a, b, axes):
    if isinstance(axes, int):
        na = np.ndim(a)
        return list(range(na - axes, na)), list(range(axes))
    a_axes, b_axes = axes
    a_axes = [a_axes] if isinstance(a_axes, int) else list(a_axes)
    b_axes = [b_axes] if isinstance(b_axes, int) else list(b_axes)
    return [x % np.ndim(a) for x in a_axes], [x % np.ndim(b) for x in b_axes]


def tensordot_vjp(argnum):
    def maker(ans, a, b, axes=2):
        a_axes, b_axes = tensordot_axes(a, b, axes)
        a_free = [i for i in range(np.ndim(a)) if i not in a_axes]
        b_free = [i for i in range(np.ndim(b)) if i not in b_axes]
        n_af = len(a_free)
        if argnum == 0:
            def vjp(g):
                # result axes: a's free axes, then b's contracted axes in b's order
                res = np.tensordot(g, b, (list(range(n_af, n_af + len(b_free))), b_free))
                order = a_free + [a_axes[b_axes.index(j)] for j in sorted(b_axes)]
                return np.transpose(res, onp.argsort(order))
            return vjp

        def vjp(g):
            res = np.tensordot(a, g, (a_free, list(range(n_af))))
            order = [b_axes[a_axes.index(i)] for i in sorted(a_axes)] + b_free
            return np.transpose(res, onp.argsort(order))
        return vjp
    return maker


defvjp(np.tensordot, real_for_real(0, tensordot_vjp(0)), real_for_real(1, tensordot_vjp(1)))
def_linear(np.tensordot)

# --------------------------------------------------------------------------
# einsum
# --------------------------------------------------------------------------

_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def explicit_subscripts(subscripts: str, shapes: list) -> tuple[list[str], str]:
    """Input and output subscripts with '...' spelled out and the output explicit."""
    subscripts = subscripts.replace(" ", "")
    if "->" in subscripts:
        ins, out = subscripts.split("->")
    else:
        ins, out = subscripts, None
    inputs = ins.split(",")
    used = set(subscripts) - set(".,->")
    spare = [c for c in _LETTERS if c not in used]
    n_ell = max((len(s) - (len(sub) - 3) for sub, s in zip(inputs, shapes) if "..." in sub), default=0)
    ell = "".join(spare[:n_ell])
    spelled = []
    for sub, s in zip(inputs, shapes):
        if "..." in sub:
            k = len(s) - (len(sub) - 3)
            sub = sub.replace("...", ell[n_ell - k:] if k else "")
        spelled.append(sub)
    if out is None:
        letters = "".join(spelled)
        out = ell + "".join(sorted(c for c in set(letters) - set(ell) if letters.count(c) == 1))
    else:
        out = out.replace("...", ell)
    return spelled, out


def subscripts_and_operands(args) -> tuple[str, list, list]:
    """einsum's arguments in either form: (subscripts string, operands, each one's position).

    The interleaved form, einsum(A, [0, 1], B, [1, 2], [0, 2]), gives each operand a
    list of integer labels (or ...); they are spelled here as letters.
    """
    if isinstance(args[0], str):
        return args[0], list(args[1:]), list(range(1, len(args)))

    def letters(labels):
        return "".join("..." if k is Ellipsis else _LETTERS[k] for k in labels)
    pairs = len(args) // 2
    subscripts = ",".join(letters(args[2 * j + 1]) for j in range(pairs))
    if len(args) % 2:
        subscripts += "->" + letters(args[-1])
    return subscripts, [args[2 * j] for j in range(pairs)], [2 * j for j in range(pairs)]


def einsum_vjp(argnums, ans, args, kwargs):
    subscripts, operands, positions = subscripts_and_operands(args)
    shapes = [np.shape(o) for o in operands]
    inputs, out = explicit_subscripts(subscripts, shapes)
    sizes = {}
    for sub, s in zip(inputs, shapes):
        for c, n in zip(sub, s):
            sizes[c] = max(sizes.get(c, 1), n)

    def one(argnum, g):
        i = positions.index(argnum)
        own = inputs[i]
        spare = iter(c for c in _LETTERS if c not in sizes)
        others = [(inputs[j], operands[j]) for j in range(len(operands)) if j != i]
        extra = []
        wanted = ""
        seen = set()
        for c, n in zip(own, shapes[i]):
            if c in seen or (n == 1 and sizes[c] != 1):
                # a repeated label (a diagonal) or a broadcast axis: a fresh label,
                # tied to the original one by an identity matrix or summed over.
                fresh = next(spare)
                if c in seen:
                    extra.append((c + fresh, onp.eye(sizes[c])))
                else:
                    extra.append((fresh, onp.ones(1)))
                wanted += fresh
            else:
                wanted += c
                seen.add(c)
        present = set(out) | set("".join(s for s, _ in others + extra))
        for c in set(wanted) - present:       # summed away in the forward pass
            extra.append((c, onp.ones(sizes[c])))
        subs = ",".join([out] + [s for s, _ in others + extra]) + "->" + wanted
        result = np.einsum(subs, g, *[o for _, o in others + extra])
        return matching_complex(operands[i], result) if is_complex(operands[i]) else \
            (np.real(result) if is_complex(result) else result)
    return lambda g: [one(argnum, g) for argnum in argnums]


defvjp_argnums(np.einsum, einsum_vjp)
def_linear(np.einsum)


# --------------------------------------------------------------------------
# inner, vdot
# --------------------------------------------------------------------------


def conj(x):
    """np.conj, skipped (no graph node) for real values."""
    return np.conj(x) if is_complex(x) else x


def inner_vjp(argnum):
    """inner(a, b) contracts the last axes: out[I, J] = Σ_k a[I, k] b[J, k]."""
    def maker(ans, a, b):
        na, nb = np.ndim(a), np.ndim(b)
        if na == 0 or nb == 0:                   # a scalar: an ordinary product
            other = b if argnum == 0 else a
            return lambda g: unbroadcast(a if argnum == 0 else b, g * other)
        if argnum == 0:                          # g[I, J] b[J, k] summed over J
            return lambda g: real_like(a, np.tensordot(g, b, (list(range(na - 1, na + nb - 2)),
                                                             list(range(nb - 1)))))
        return lambda g: real_like(b, np.tensordot(g, a, (list(range(na - 1)), list(range(na - 1)))))
    return maker


defvjp(np.inner, inner_vjp(0), inner_vjp(1))
def_linear(np.inner)

# vdot(a, b) = Σ conj(a) · b over the flattened arrays.
defvjp(np.vdot,
       lambda ans, a, b: lambda g: real_like(a, np.reshape(conj(g * np.ravel(b)), np.shape(a))),
       lambda ans, a, b: lambda g: real_like(b, np.reshape(g * conj(np.ravel(a)), np.shape(b))))

# --------------------------------------------------------------------------
# cross, kron
# --------------------------------------------------------------------------


def cross_vjp(argnum):
    """<g, a × b> = <a, b × g> = <b, g × a>: the gradients are cross products again."""
    def maker(ans, a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
        if axis is not None:
            axisa = axisb = axisc = axis
        if onp.shape(unwrap(a))[axisa] != 3 or onp.shape(unwrap(b))[axisb] != 3:
            raise refuse("cross", "2-element vectors (deprecated by numpy)",
                         "append a zero third component to both vectors")
        if argnum == 0:
            return lambda g: unbroadcast(a, np.cross(b, g, axisa=axisb, axisb=axisc, axisc=axisa))
        return lambda g: unbroadcast(b, np.cross(g, a, axisa=axisc, axisb=axisa, axisc=axisb))
    return maker


defvjp(np.cross, cross_vjp(0), cross_vjp(1))


def kron_vjp(argnum):
    """kron(a, b)[i·nb + j] = a[i]·b[j] along every axis.

    Reshaping the gradient to interleaved axes (a0, b0, a1, b1, ...) separates
    i from j; then a's gradient sums g·b over b's axes, and b's over a's.
    """
    def maker(ans, a, b):
        sa, sb = onp.shape(unwrap(a)), onp.shape(unwrap(b))
        nd = max(len(sa), len(sb))
        sa = (1,) * (nd - len(sa)) + sa
        sb = (1,) * (nd - len(sb)) + sb
        interleaved = tuple(n for pair in zip(sa, sb) for n in pair)
        a_axes, b_axes = tuple(range(0, 2 * nd, 2)), tuple(range(1, 2 * nd, 2))
        if argnum == 0:
            b_spread = tuple(n for m in sb for n in (1, m))
            return lambda g: real_like(a, np.reshape(
                np.sum(np.reshape(g, interleaved) * np.reshape(b, b_spread), axis=b_axes), np.shape(a)))
        a_spread = tuple(n for m in sa for n in (m, 1))
        return lambda g: real_like(b, np.reshape(
            np.sum(np.reshape(g, interleaved) * np.reshape(a, a_spread), axis=a_axes), np.shape(b)))
    return maker


defvjp(np.kron, kron_vjp(0), kron_vjp(1))

# --------------------------------------------------------------------------
# convolve, correlate
# --------------------------------------------------------------------------


def full_offset(kind, mode, n, m):
    """Where numpy's 'same' or 'valid' output starts inside the 'full' one."""
    if mode == "full":
        return 0
    if mode == "valid":
        return min(n, m) - 1
    if kind == "convolve":
        return (min(n, m) - 1) // 2
    return (m - 1) // 2 if n >= m else n // 2


def to_full(g, kind, mode, n, m):
    """Pad the upstream gradient with zeros to the length of the 'full' output."""
    g = np.reshape(g, (-1,))
    if mode == "full":
        return g
    start = full_offset(kind, mode, n, m)
    length = onp.shape(unwrap(g))[0]
    return np.concatenate([onp.zeros(start), g, onp.zeros(n + m - 1 - start - length)])


def convolve_vjp(argnum):
    """out[k] = Σ_i a[i]·v[k - i] (full mode); a[i] gets Σ_k g[k]·v[k - i], a 'valid'
    convolution of g with v reversed (and the same for v with a)."""
    def maker(ans, a, v, mode="full"):
        n, m = onp.size(unwrap(a)), onp.size(unwrap(v))
        mine, other = (a, v) if argnum == 0 else (v, a)
        flipped = np.flip(np.reshape(other, (-1,)))

        def vjp(g):
            full = to_full(g, "convolve", mode, n, m)
            return real_like(mine, np.reshape(np.convolve(full, flipped, "valid"), np.shape(mine)))
        return vjp
    return maker


def correlate_vjp(argnum):
    """correlate(a, v) is convolve(a, w) with w = conj(v) reversed (numpy's definition)."""
    def maker(ans, a, v, mode="valid"):
        n, m = onp.size(unwrap(a)), onp.size(unwrap(v))
        if argnum == 0:
            kernel = conj(np.reshape(v, (-1,)))

            def vjp(g):
                full = to_full(g, "correlate", mode, n, m)
                return real_like(a, np.reshape(np.convolve(full, kernel, "valid"), np.shape(a)))
            return vjp
        flipped = np.flip(np.reshape(a, (-1,)))

        def vjp(g):
            full = to_full(g, "correlate", mode, n, m)
            w_grad = np.convolve(full, flipped, "valid")     # the gradient for w
            return real_like(v, np.reshape(conj(np.flip(w_grad)), np.shape(v)))
        return vjp
    return maker


defvjp(np.convolve, convolve_vjp(0), convolve_vjp(1))
defvjp(np.correlate, correlate_vjp(0), correlate_vjp(1))

# --------------------------------------------------------------------------
# vecdot, matvec, vecmat (numpy 2's generalized ufuncs; they broadcast)
# --------------------------------------------------------------------------


def gufunc_options(function, kwargs):
    if given(kwargs.get("axes")):
        raise refuse(function, "axes=", "move the axes first with np.moveaxis")
    return kwargs.get("axis", -1), bool(kwargs.get("keepdims", False))


def vecdot_vjp(argnum):
    """vecdot(x1, x2) = Σ conj(x1)·x2 along ``axis``."""
    def maker(ans, x1, x2, **kwargs):
        axis, keepdims = gufunc_options("vecdot", kwargs)

        def vjp(g):
            g = g if keepdims else np.expand_dims(g, axis)
            if argnum == 0:
                return unbroadcast(x1, conj(g * x2))
            return unbroadcast(x2, g * conj(x1))
        return vjp
    return maker


def matvec_vjp(argnum):
    """matvec(A, v)[..., i] = Σ_j A[..., i, j]·v[..., j]."""
    def maker(ans, A, v, **kwargs):
        gufunc_options("matvec", kwargs)
        if argnum == 0:
            return lambda g: unbroadcast(A, np.expand_dims(g, -1) * np.expand_dims(v, -2))
        return lambda g: unbroadcast(v, np.matvec(np.matrix_transpose(A), g))
    return maker


def vecmat_vjp(argnum):
    """vecmat(v, A)[..., j] = Σ_i conj(v[..., i])·A[..., i, j]."""
    def maker(ans, v, A, **kwargs):
        gufunc_options("vecmat", kwargs)
        if argnum == 0:
            return lambda g: unbroadcast(v, conj(np.matvec(A, g)))
        return lambda g: unbroadcast(A, np.expand_dims(conj(v), -1) * np.expand_dims(g, -2))
    return maker


for _name, _vjp in (("vecdot", vecdot_vjp), ("matvec", matvec_vjp), ("vecmat", vecmat_vjp)):
    if hasattr(np, _name):               # (numpy 2.0 and 2.2 added these)
        defvjp(getattr(np, _name), _vjp(0), _vjp(1))

# --------------------------------------------------------------------------
# Polynomials (coefficients from the highest power down, as numpy's poly*)
# --------------------------------------------------------------------------


def vander_vjp(ans, x, N=None, increasing=False):
    """vander(x)[i, j] = x[i] ** p[j]: d/dx[i] = Σ_j g[i, j]·p[j]·x[i] ** (p[j] - 1)."""
    n = onp.shape(unwrap(x))[0] if N is None else N
    powers = onp.arange(n) if increasing else onp.arange(n - 1, -1, -1)
    lowered = onp.maximum(powers - 1, 0).astype(float)
    return lambda g: real_like(x, np.sum(g * powers * np.expand_dims(x, 1) ** lowered, axis=1))


defvjp(np.vander, vander_vjp)


def polyval_vjp(argnum):
    """polyval(p, x) = Σ_k p[k]·x ** (n-1-k): linear in p; d/dx is polyval(polyder(p), x)."""
    def maker(ans, p, x):
        if argnum == 1:
            return lambda g: unbroadcast(x, g * np.polyval(np.polyder(p), x))
        n = onp.shape(unwrap(p))[0]

        def vjp(g):
            powers = np.vander(np.ravel(x), n)           # (entries of x, n)
            return real_like(p, np.dot(np.ravel(g), powers))
        return vjp
    return maker


defvjp(np.polyval, polyval_vjp(0), polyval_vjp(1))


def polyadd_vjp(argnum, sign=1.0):
    """polyadd lines the coefficients up at the constant term: each gets the matching tail of g."""
    def maker(ans, a1, a2):
        mine = (a1, a2)[argnum]
        length = onp.size(unwrap(mine))
        return lambda g: real_like(mine, np.reshape(sign * g[onp.size(unwrap(ans)) - length:],
                                                    np.shape(mine)))
    return maker


defvjp(np.polyadd, polyadd_vjp(0), polyadd_vjp(1))
defvjp(np.polysub, polyadd_vjp(0), polyadd_vjp(1, -1.0))
share_gradient(np.polymul, np.convolve)      # polymul is the convolution of the coefficients


def polyder_vjp(ans, p, m=1):
    """One derivative maps p[k] to p[k]·(n-1-k) and drops the constant term."""
    lengths = []
    length = onp.size(unwrap(p))
    for _ in range(m):
        lengths.append(length)
        length = max(length - 1, 0)

    def vjp(g):
        for length in reversed(lengths):
            if length == 0:
                continue
            g = np.concatenate([g * onp.arange(length - 1, 0, -1), onp.zeros(1)])
        return real_like(p, np.reshape(g, np.shape(p)))
    return vjp


def polyint_vjp(ans, p, m=1, k=None):
    """One integral maps p[k] to p[k] / (n-k) and appends a constant: undo both."""
    lengths = [onp.size(unwrap(p)) + i for i in range(m)]

    def vjp(g):
        for length in reversed(lengths):
            g = g[:-1] / onp.arange(length, 0, -1)
        return real_like(p, np.reshape(g, np.shape(p)))
    return vjp


defvjp(np.polyder, polyder_vjp)
defvjp(np.polyint, polyint_vjp)
