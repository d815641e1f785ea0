"""``teachgrad.scipy.signal.convolve``: n-dimensional convolution with gradients.

The same function as ``autograd.scipy.signal.convolve``: with its defaults
it is ``scipy.signal.convolve(A, B, mode)`` (the true convolution, the
kernel flipped, over every axis), and two extra arguments make it the
building block of a convolutional network layer:

* ``axes=(axes_of_A, axes_of_B)``: the pairs of axes to convolve along
  (default: all of them, paired in order);
* ``dot_axes=(axes_of_A, axes_of_B)``: pairs of axes to multiply and sum
  over, as in ``np.tensordot`` (for instance the input channels).

The other axes are kept, and the result's axes come in this order: A's kept
axes, B's kept axes, then the convolved axes. ``mode`` is ``'full'``,
``'valid'`` or ``'same'`` (the size of A, centred as in SciPy).

Along one convolved axis the *full* output is ``out[n] = sum_k A[k] B[n - k]``
and the other modes keep the part ``n = s .. s + L - 1``. So

    d out[n] / d A[k] = B[n - k]:  grad_A[k] = sum_n g[n] B[n + s - k]

which is again a (cropped) full convolution, of the upstream gradient ``g``
with B flipped. The gradient is computed by this same primitive, so it can
be differentiated again.
"""
from __future__ import annotations

import numpy as onp
from numpy.lib.stride_tricks import sliding_window_view

import teachgrad.numpy as np

from ..extend import defvjp
from ..numpy.gradients.helpers import matching_complex
from ._primitive import ScipyPrimitive

__all__ = ["convolve"]


class _Crop:
    """A mode used by the gradient: the full output cropped to ``starts`` and ``lengths``."""

    def __init__(self, starts, lengths):
        self.starts, self.lengths = tuple(starts), tuple(lengths)

    def __repr__(self):
        return f"crop(starts={self.starts}, lengths={self.lengths})"


def _parse_axes(ndim_a, ndim_b, axes, dot_axes):
    if axes is None:
        if ndim_a != ndim_b:
            raise ValueError(
                f"convolve got arrays with {ndim_a} and {ndim_b} axes and no axes argument.\n"
                "Why: by default every axis of A is convolved with the same axis of B.\n"
                "Instead: give axes=([axes of A], [axes of B]) to choose the axes to convolve.")
        axes = (tuple(range(ndim_a)), tuple(range(ndim_a)))
    conv_a, conv_b = (tuple(a % ndim_a for a in axes[0]), tuple(b % ndim_b for b in axes[1]))
    dot_a, dot_b = (tuple(a % ndim_a for a in dot_axes[0]), tuple(b % ndim_b for b in dot_axes[1]))
    if len(conv_a) != len(conv_b) or len(dot_a) != len(dot_b):
        raise ValueError("convolve: axes and dot_axes must pair as many axes of A as of B.")
    keep_a = tuple(i for i in range(ndim_a) if i not in conv_a and i not in dot_a)
    keep_b = tuple(i for i in range(ndim_b) if i not in conv_b and i not in dot_b)
    return conv_a, conv_b, dot_a, dot_b, keep_a, keep_b


def _window(mode, na, nb):
    """(start, length) of the kept part of the full output along one axis."""
    if mode == "full":
        return 0, na + nb - 1
    if mode == "valid":
        return min(na, nb) - 1, abs(na - nb) + 1
    if mode == "same":
        return (nb - 1) // 2, na
    raise ValueError(f"convolve: mode must be 'full', 'valid' or 'same', not {mode!r}.")


def _convolve(A, B, axes=None, dot_axes=((), ()), mode="full"):
    A, B = onp.asarray(A), onp.asarray(B)
    conv_a, conv_b, dot_a, dot_b, keep_a, keep_b = _parse_axes(A.ndim, B.ndim, axes, dot_axes)
    sizes_b = [B.shape[j] for j in conv_b]
    if isinstance(mode, _Crop):
        windows = list(zip(mode.starts, mode.lengths))
    else:
        windows = [_window(mode, A.shape[i], B.shape[j]) for i, j in zip(conv_a, conv_b)]
    # Output position n needs A[n - nb + 1 .. n] (zero outside A): take that
    # stretch of A for the kept positions, padding with zeros where it runs off.
    pad = [(0, 0)] * A.ndim
    crop = [slice(None)] * A.ndim
    for i, nb, (start, length) in zip(conv_a, sizes_b, windows):
        first, last = start - nb + 1, start + length
        left, right = max(0, -first), max(0, last - A.shape[i])
        pad[i] = (left, right)
        crop[i] = slice(first + left, last + left)
    padded = onp.pad(A, pad)[tuple(crop)]
    # One window of length nb per output position, on new trailing axes.
    views = sliding_window_view(padded, sizes_b, axis=conv_a) if conv_a else padded
    flipped = onp.flip(B, axis=conv_b) if conv_b else B
    # Label the axes for einsum: windows pair with B's convolved axes, dot axes pair up.
    n_conv = len(conv_a)
    label_a = list(range(A.ndim)) + [A.ndim + k for k in range(n_conv)]
    label_b = [0] * B.ndim
    for k, j in enumerate(conv_b):
        label_b[j] = A.ndim + k
    for i, j in zip(dot_a, dot_b):
        label_b[j] = i
    for r, j in enumerate(keep_b):
        label_b[j] = A.ndim + n_conv + r
    out = list(keep_a) + [label_b[j] for j in keep_b] + list(conv_a)
    return onp.einsum(views, label_a, flipped, label_b, out)


convolve = ScipyPrimitive(_convolve, "scipy.signal.convolve")
convolve.__doc__ = __doc__


def _convolve_vjp(argnum):
    def maker(ans, A, B, axes=None, dot_axes=((), ()), mode="full"):
        conv_a, conv_b, dot_a, dot_b, keep_a, keep_b = _parse_axes(np.ndim(A), np.ndim(B),
                                                                    axes, dot_axes)
        shape_a, shape_b = np.shape(A), np.shape(B)
        if isinstance(mode, _Crop):
            starts = mode.starts
        else:
            starts = [_window(mode, shape_a[i], shape_b[j])[0] for i, j in zip(conv_a, conv_b)]
        i1, i2 = len(keep_a), len(keep_a) + len(keep_b)
        out_keep_a, out_keep_b = tuple(range(i1)), tuple(range(i1, i2))
        out_conv = tuple(range(i2, i2 + len(conv_a)))
        if argnum == 0:      # the gradient for A: g convolved with B flipped
            other, other_conv, other_keep, other_dot = B, conv_b, keep_b, dot_b
            mine_conv, mine_keep, mine_dot, mine_shape = conv_a, keep_a, dot_a, shape_a
            g_summed, other_sizes = out_keep_b, [shape_b[j] for j in conv_b]
        else:                # the gradient for B: g convolved with A flipped
            other, other_conv, other_keep, other_dot = A, conv_a, keep_a, dot_a
            mine_conv, mine_keep, mine_dot, mine_shape = conv_b, keep_b, dot_b, shape_b
            g_summed, other_sizes = out_keep_a, [shape_a[i] for i in conv_a]
        crop = _Crop([n - 1 - s for n, s in zip(other_sizes, starts)],
                     [mine_shape[i] for i in mine_conv])
        # The result's axes: g's kept axes (my kept axes), the other's dot
        # axes (in their order: they pair with my dot axes), my conv axes.
        source = list(mine_keep)
        source += [mine_dot[other_dot.index(j)] for j in sorted(other_dot)]
        source += list(mine_conv)
        order = tuple(int(i) for i in onp.argsort(source))

        def vjp(g):
            result = convolve(g, np.flip(other, axis=other_conv) if other_conv else other,
                              axes=(out_conv, other_conv), dot_axes=(g_summed, other_keep),
                              mode=crop)
            return matching_complex(A if argnum == 0 else B, np.transpose(result, order))
        return vjp
    return maker


defvjp(convolve, _convolve_vjp(0), _convolve_vjp(1))
