"""The gradient table: one defvjp per function.

Each maker is ``lambda ans, *args: lambda g: ...``: given the function's
output ``ans`` and its arguments, it returns the map from the upstream
gradient ``g`` to that argument's gradient. They are written with
teachgrad.numpy, so each gradient can be differentiated again.

Broadcasting: when ``x + y`` broadcast ``x`` up to a bigger shape, the
gradient for ``x`` must be summed back down to ``x``'s shape (``unbroadcast``).
"""
from __future__ import annotations

import numpy as onp

import teachgrad.numpy as np
from ..extend import defvjp, defvjp_argnums
from ..graph import Node
from ..tracing import Primitive, unwrap
from . import boxes
from .sequences import astype, concatenate_args, stack_args


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------

def shape_of(v):
    return getattr(v, "shape", ())


def ndim_of(v) -> int:
    return len(getattr(v, "shape", ()))


def is_complex(v) -> bool:
    t = type(v)
    if t is float or t is onp.float64:
        return False
    if t is complex:
        return True
    dtype = getattr(v, "dtype", None)
    return dtype is not None and dtype.kind == "c"


def unbroadcast(target, g):
    """Sum ``g`` down to the shape of ``target``, undoing broadcasting.

    A real ``target`` gets the real part of a complex ``g``.
    """
    target_shape = shape_of(target)
    g_shape = shape_of(g)
    if g_shape != target_shape:
        extra = len(g_shape) - len(target_shape)
        if extra > 0:
            g = np.sum(g, axis=tuple(range(extra)))
        axes = tuple(i for i, n in enumerate(target_shape) if n == 1 and shape_of(g)[i] != 1)
        if axes:
            g = np.sum(g, axis=axes, keepdims=True)
        if shape_of(g) != target_shape:          # a scalar g for an array target
            g = np.broadcast_to(g, target_shape)
    if is_complex(g) and not is_complex(target):
        g = np.real(g)
    return g


def to(target, vjp, ans=None):
    """Wrap a vjp so that its result is unbroadcast to ``target``.

    Called inside a maker, where the output ``ans`` is known: when ``target``
    already has the output's shape (and is complex if it is), nothing needs
    summing and ``vjp`` is returned as it is.
    """
    if ans is not None and shape_of(target) == shape_of(ans) and \
            (is_complex(target) or not is_complex(ans)):
        return vjp
    return lambda g: unbroadcast(target, vjp(g))


def matching_complex(x, g):
    return g + 0j if is_complex(x) and not is_complex(g) else g


def both(*prims):
    """Register the same makers on several primitives (np.multiply and ``*``)."""
    def register(*makers, **kwargs):
        for prim in prims:
            defvjp(prim, *makers, **kwargs)
    return register


def reduced_axes(x, axis):
    ndim = len(shape_of(x))
    if axis is None:
        return tuple(range(ndim))
    axes = axis if isinstance(axis, (tuple, list)) else (axis,)
    return tuple(a % ndim if ndim else 0 for a in axes)


def expand_to(g, x, axis, keepdims):
    """Broadcast the gradient of a reduction back to the shape of its input."""
    shape = shape_of(x)
    if axis is None and not isinstance(g, Node) and shape_of(g) in ((), (1,) * len(shape)):
        return broadcast_scalar(g, shape)
    if not keepdims:
        axes = reduced_axes(x, axis)
        g = np.reshape(g, tuple(1 if i in axes else n for i, n in enumerate(shape)))
    return np.broadcast_to(g, shape)


def broadcast_scalar(g, shape):
    """A read-only array of ``shape`` whose every entry is the number ``g``.

    The same as numpy.broadcast_to(g, shape) (a view, no copy), ten times
    faster: reductions over everything are the most common last step.
    """
    g = onp.asarray(g).reshape(())
    view = onp.ndarray(shape, g.dtype, g, 0, (0,) * len(shape))
    view.flags.writeable = False
    return view


def count(x, axis):
    shape = shape_of(x)
    n = 1
    for a in reduced_axes(x, axis):
        n *= shape[a]
    return n


# --------------------------------------------------------------------------
# Arithmetic
# --------------------------------------------------------------------------

both(np.add, boxes.add)(
    lambda ans, x, y: to(x, lambda g: g, ans),
    lambda ans, x, y: to(y, lambda g: g, ans), formulas=("1", "1"))
both(np.subtract, boxes.subtract)(
    lambda ans, x, y: to(x, lambda g: g, ans),
    lambda ans, x, y: to(y, lambda g: -g, ans), formulas=("1", "-1"))
both(np.multiply, boxes.multiply)(
    lambda ans, x, y: to(x, lambda g: y * g, ans),
    lambda ans, x, y: to(y, lambda g: x * g, ans), formulas=("{1}", "{0}"))
both(np.divide, np.true_divide, boxes.true_divide)(
    lambda ans, x, y: to(x, lambda g: g / y, ans),
    lambda ans, x, y: to(y, lambda g: -g * x / y ** 2, ans), formulas=("1/{1}", "-{0}/{1}²"))


def power_vjp_x(ans, x, y):
    if not isinstance(y, (Node, onp.ndarray)):       # a constant exponent: x ** 2, x ** 0.5
        if y == 0:
            return lambda g: g * 0.0 * x
        return to(x, lambda g: g * y * x ** (y - 1), ans)
    if onp.any(unwrap(x) == 0):
        # 0 ** (0 - 1) is inf and 0 * inf is nan: where y == 0 use x ** 1 (any finite value will do).
        return to(x, lambda g: g * y * x ** np.where(y, y - 1, 1.0), ans)
    return to(x, lambda g: g * y * x ** (y - 1), ans)     # keeps d/dy of this exact, even at y == 0


both(np.power, boxes.power)(
    power_vjp_x,
    lambda ans, x, y: to(y, lambda g: g * np.log(np.where(x, x, 1.0)) * ans, ans),
    formulas=("{1}·{0}^({1}-1)", "log({0})·{0}^{1}"))
both(np.negative, boxes.negative)(lambda ans, x: lambda g: -g, formulas=("-1",))
both(np.floor_divide, boxes.floor_divide)(None, None)
both(np.mod, np.remainder, boxes.mod)(
    lambda ans, x, y: to(x, lambda g: g, ans),
    lambda ans, x, y: to(y, lambda g: -g * np.floor_divide(x, y), ans))
both(np.sign)(None)


def abs_vjp(ans, x):
    if is_complex(x):
        return lambda g: g * np.conj(x) / np.where(ans == 0, 1.0, ans)
    return lambda g: g * np.sign(x)


both(np.absolute, np.abs, np.fabs, boxes.absolute)(abs_vjp, formulas=("sign({0})",))


# --------------------------------------------------------------------------
# Elementwise functions
# --------------------------------------------------------------------------

defvjp(np.exp, lambda ans, x: lambda g: g * ans, formulas=("exp({0})",))
defvjp(np.log, lambda ans, x: lambda g: g / x, formulas=("1/{0}",))
defvjp(np.log1p, lambda ans, x: lambda g: g / (x + 1.0), formulas=("1/(1+{0})",))
defvjp(np.expm1, lambda ans, x: lambda g: g * (ans + 1.0), formulas=("exp({0})",))
defvjp(np.sin, lambda ans, x: lambda g: g * np.cos(x), formulas=("cos({0})",))
defvjp(np.cos, lambda ans, x: lambda g: -g * np.sin(x), formulas=("-sin({0})",))
defvjp(np.tan, lambda ans, x: lambda g: g / np.cos(x) ** 2, formulas=("1/cos²({0})",))
defvjp(np.tanh, lambda ans, x: lambda g: g * (1.0 - ans ** 2), formulas=("1 - tanh²({0})",))
defvjp(np.sinh, lambda ans, x: lambda g: g * np.cosh(x), formulas=("cosh({0})",))
defvjp(np.cosh, lambda ans, x: lambda g: g * np.sinh(x), formulas=("sinh({0})",))
defvjp(np.arctan, lambda ans, x: lambda g: g / (1.0 + x ** 2), formulas=("1/(1+{0}²)",))
defvjp(np.sqrt, lambda ans, x: lambda g: g * 0.5 / ans, formulas=("1/(2·sqrt({0}))",))
defvjp(np.square, lambda ans, x: lambda g: g * 2.0 * x, formulas=("2·{0}",))
defvjp(np.reciprocal, lambda ans, x: lambda g: -g * ans ** 2, formulas=("-1/{0}²",))
defvjp(np.real, lambda ans, x: lambda g: matching_complex(x, np.real(g)))
defvjp(np.imag, lambda ans, x: lambda g: matching_complex(x, -1j * g))
defvjp(np.conj, lambda ans, x: lambda g: np.conj(g))
defvjp(np.conjugate, lambda ans, x: lambda g: np.conj(g))


def split_ties(x, y, ans):
    """d max(x, y) / dx: 1 where x won, 1/2 where they tie (as autograd splits it)."""
    return np.where(x == y, 0.5, np.where(x == ans, 1.0, 0.0))


both(np.maximum, np.fmax)(
    lambda ans, x, y: to(x, lambda g: g * split_ties(x, y, ans), ans),
    lambda ans, x, y: to(y, lambda g: g * split_ties(y, x, ans), ans))
both(np.minimum, np.fmin)(
    lambda ans, x, y: to(x, lambda g: g * split_ties(x, y, ans), ans),
    lambda ans, x, y: to(y, lambda g: g * split_ties(y, x, ans), ans))
defvjp(np.where, None,
       lambda ans, c, x=None, y=None: to(x, lambda g: np.where(c, g, 0.0)),
       lambda ans, c, x=None, y=None: to(y, lambda g: np.where(c, 0.0, g)))


def clip_vjp(argnum):
    def maker(ans, a, a_min=None, a_max=None, **kwargs):
        target = (a, a_min, a_max)[argnum]
        lo = onp.full(np.shape(ans), True) if a_min is None else unwrap(a) >= unwrap(a_min)
        hi = onp.full(np.shape(ans), True) if a_max is None else unwrap(a) <= unwrap(a_max)
        mask = (lo & hi, ~lo, ~hi & lo)[argnum]
        return to(target, lambda g: np.where(mask, g, 0.0))
    return maker


defvjp(np.clip, clip_vjp(0), clip_vjp(1), clip_vjp(2))


# --------------------------------------------------------------------------
# Reductions
# --------------------------------------------------------------------------

defvjp(np.sum, lambda ans, x, axis=None, dtype=None, out=None, keepdims=False, **kw:
       lambda g: expand_to(g, x, axis, keepdims))
defvjp(np.mean, lambda ans, x, axis=None, dtype=None, out=None, keepdims=False, **kw:
       lambda g: expand_to(g, x, axis, keepdims) / count(x, axis))


def extreme_vjp(ans, x, axis=None, out=None, keepdims=False, **kw):
    """max/min: the gradient goes to the winning entries, split evenly between ties."""
    def vjp(g):
        winners = np.equal(x, expand_to(ans, x, axis, keepdims))
        n_winners = np.sum(winners, axis=axis, keepdims=True)
        return expand_to(g, x, axis, keepdims) * winners / n_winners
    return vjp


for _extreme in (np.max, np.min, np.amax, np.amin):
    defvjp(_extreme, extreme_vjp)


def prod_vjp(ans, x, axis=None, dtype=None, out=None, keepdims=False, **kw):
    """d prod / d x_i is the product of all the other entries."""
    if onp.all(unwrap(x) != 0):
        return lambda g: expand_to(g, x, axis, keepdims) * expand_to(ans, x, axis, keepdims) / x
    # With zeros, ans / x is 0/0: multiply the other entries explicitly.
    axes = reduced_axes(x, axis)
    kept = [a for a in range(np.ndim(x)) if a not in axes]
    moved = np.transpose(x, kept + list(axes))
    k = count(x, axis)
    flat = np.reshape(moved, np.shape(moved)[:len(kept)] + (k,))
    leave_one_out = np.where(onp.eye(k, dtype=bool), 1.0, np.expand_dims(flat, -2))
    others = np.prod(leave_one_out, axis=-1)
    others = np.reshape(others, np.shape(moved))
    others = np.transpose(others, onp.argsort(kept + list(axes)))
    return lambda g: expand_to(g, x, axis, keepdims) * others


defvjp(np.prod, prod_vjp)


def var_vjp(ans, x, axis=None, dtype=None, out=None, ddof=0, keepdims=False, **kw):
    centred = x - np.mean(x, axis=axis, keepdims=True)
    return lambda g: expand_to(g, x, axis, keepdims) * 2.0 * centred / (count(x, axis) - ddof)


def std_vjp(ans, x, axis=None, dtype=None, out=None, ddof=0, keepdims=False, **kw):
    if count(x, axis) == 1:          # the std of one entry is always 0
        return lambda g: expand_to(g, x, axis, keepdims) * 0.0
    centred = x - np.mean(x, axis=axis, keepdims=True)
    return lambda g: (expand_to(g, x, axis, keepdims) * centred
                      / ((count(x, axis) - ddof) * expand_to(ans, x, axis, keepdims)))


defvjp(np.var, var_vjp)
defvjp(np.std, std_vjp)


# --------------------------------------------------------------------------
# Products of arrays
# --------------------------------------------------------------------------

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


defvjp(np.dot, dot_vjp_a, dot_vjp_b)


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


both(np.matmul, boxes.matmul)(matmul_vjp(0), matmul_vjp(1))
defvjp(np.outer,
       lambda ans, a, b, **kw: lambda g: np.reshape(np.dot(g, np.ravel(b)), np.shape(a)),
       lambda ans, a, b, **kw: lambda g: np.reshape(np.dot(np.ravel(a), g), np.shape(b)))


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


defvjp(np.tensordot, tensordot_vjp(0), tensordot_vjp(1))


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


def einsum_vjp(argnums, ans, args, kwargs):
    subscripts, operands = args[0], args[1:]
    shapes = [np.shape(o) for o in operands]
    inputs, out = explicit_subscripts(subscripts, shapes)
    sizes = {}
    for sub, s in zip(inputs, shapes):
        for c, n in zip(sub, s):
            sizes[c] = max(sizes.get(c, 1), n)

    def one(argnum, g):
        i = argnum - 1
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


# --------------------------------------------------------------------------
# Shapes and indexing
# --------------------------------------------------------------------------

defvjp(np.reshape, lambda ans, x, *args, **kw: lambda g: np.reshape(g, np.shape(x)))
defvjp(np.ravel, lambda ans, x, *args, **kw: lambda g: np.reshape(g, np.shape(x)))
defvjp(np.squeeze, lambda ans, x, *args, **kw: lambda g: np.reshape(g, np.shape(x)))
defvjp(np.expand_dims, lambda ans, x, *args, **kw: lambda g: np.reshape(g, np.shape(x)))
defvjp(np.copy, lambda ans, x, *args, **kw: lambda g: g)
defvjp(np.broadcast_to, lambda ans, x, *args, **kw: lambda g: unbroadcast(x, g))
defvjp(astype, lambda ans, x, dtype: lambda g: astype(g, np.result_type(x)))


def transpose_vjp(ans, x, axes=None):
    if axes is None:
        return lambda g: np.transpose(g)
    return lambda g: np.transpose(g, onp.argsort([a % np.ndim(x) for a in axes]))


defvjp(np.transpose, transpose_vjp)
defvjp(np.swapaxes, lambda ans, x, a, b: lambda g: np.swapaxes(g, a, b))
defvjp(np.moveaxis, lambda ans, x, source, destination: lambda g: np.moveaxis(g, destination, source))


def repeat_vjp(ans, x, repeats, axis=None):
    shape = np.shape(x)
    if axis is None:
        flat_shape = (int(onp.prod(shape)),)
        index = onp.repeat(onp.arange(flat_shape[0]), repeats)
        return lambda g: np.reshape(scatter_add(g, (index,), flat_shape), shape)
    axis = axis % len(shape)
    index = (slice(None),) * axis + (onp.repeat(onp.arange(shape[axis]), repeats),)
    return lambda g: scatter_add(g, index, shape)


defvjp(np.repeat, repeat_vjp)


def tile_vjp(ans, x, reps):
    reps = (reps,) if onp.isscalar(reps) else tuple(reps)
    shape = np.shape(x)
    n = max(len(shape), len(reps))
    shape_n = (1,) * (n - len(shape)) + tuple(shape)
    reps_n = (1,) * (n - len(reps)) + reps
    interleaved = tuple(v for pair in zip(reps_n, shape_n) for v in pair)
    return lambda g: np.reshape(np.sum(np.reshape(g, interleaved), axis=tuple(range(0, 2 * n, 2))), shape)


defvjp(np.tile, tile_vjp)


def concatenate_vjp(argnums, ans, args, kwargs):
    axis, arrays = args[0], args[1:]
    sizes = [np.shape(a)[axis] if np.ndim(a) else 1 for a in arrays]
    starts = onp.cumsum([0] + sizes)

    def vjp(g):
        ndim = np.ndim(g)
        ax = axis % ndim
        return [g[(slice(None),) * ax + (slice(starts[i - 1], starts[i]),)] for i in argnums]
    return vjp


defvjp_argnums(concatenate_args, concatenate_vjp)


def stack_vjp(argnums, ans, args, kwargs):
    axis = args[0] % np.ndim(ans)
    return lambda g: [g[(slice(None),) * axis + (i - 1,)] for i in argnums]


defvjp_argnums(stack_args, stack_vjp)

scatter_add = Primitive(lambda g, index, shape: _scatter_add(g, index, shape), "scatter_add")


def _scatter_add(g, index, shape):
    """An array of zeros of ``shape`` with ``g`` added at ``index`` (repeats accumulate)."""
    dtype = onp.result_type(g)
    out = onp.zeros(shape, dtype if dtype.kind in "fc" else float)
    onp.add.at(out, index, g)
    return out


defvjp(scatter_add, lambda ans, g, index, shape: lambda h: h[index])
defvjp(boxes.getitem, lambda ans, x, index: lambda g: scatter_add(g, index, np.shape(x)),
       formulas=("1 at the selected entries",))
