"""Gradients of products of arrays: dot, matmul, outer, tensordot, einsum."""
from __future__ import annotations

import numpy as onp

import teachgrad.numpy as np
from ...extend import defvjp, defvjp_argnums
from .. import boxes
from .helpers import (both, is_complex, matching_complex,
                      ndim_of, to, unbroadcast)


def dot_vjp_a(ans, a, b):
    na, nb = ndim_of(a), ndim_of(b)
    if na == 0 or nb == 0:
        return to(a, lambda g: g * b)
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
        return to(b, lambda g: g * a)
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


defvjp(np.dot, real_for_real(0, dot_vjp_a), real_for_real(1, dot_vjp_b))


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


both(np.matmul, boxes.matmul)(real_for_real(0, matmul_vjp(0)), real_for_real(1, matmul_vjp(1)))
defvjp(np.outer,
       real_for_real(0, lambda ans, a, b, **kw: lambda g: np.reshape(np.dot(g, np.ravel(b)),
                                                                      np.shape(a))),
       real_for_real(1, lambda ans, a, b, **kw: lambda g: np.reshape(np.dot(np.ravel(a), g),
                                                                      np.shape(b))))


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
