"""Gradients of np.fft: the discrete Fourier transforms and the shifts.

One idea does most of the work. The DFT of length n multiplies by the matrix
W[j, k] = exp(-2 pi i j k / n) (times 1, 1/sqrt(n) or 1/n, set by ``norm=``),
and W is symmetric. With autograd's convention for complex numbers (the
gradient of a complex-linear map is its plain transpose, no conjugate) the
gradient of ``fft`` is therefore ``fft`` again, with the same ``norm``, and
that of ``ifft`` is ``ifft``.

The rest is bookkeeping, done exactly as numpy computes the transforms:

* ``n=`` (or ``s=``) first cuts or zero-pads the input along the axis; the
  transpose of cutting is zero-padding and the other way round, so the
  gradient is resized back to the input's length (``resize``).
* An n-dimensional transform is numpy's sequence of 1-D transforms, one per
  axis; its gradient applies the 1-D gradients in the reverse order (the
  transpose of a product is the product of the transposes, reversed).
* ``rfft`` is the full ``fft`` of a real input keeping the first n//2 + 1
  outputs: its gradient zero-pads g back to length n, takes the ``fft`` and
  keeps the real part (the input is real).
* ``irfft`` builds the full spectrum from the half it is given (X[n - k] =
  conj(X[k]), ignoring the imaginary parts of X[0] and, for even n,
  X[n/2]) and takes the inverse transform, a real output. Each entry
  X[k], 0 < k < n/2, is used twice (for k and n - k), hence the weight 2 in
  its gradient, ``w * conj(rfft(g))`` with the scale of the inverse.
* ``hfft`` and ``ihfft`` are ``irfft`` and ``rfft`` with a conjugate and the
  opposite normalization (that is how numpy defines them).
* ``fftshift`` only moves entries around; ``ifftshift`` moves them back.
"""
from __future__ import annotations

import numpy as onp

from .. import namespace as np
from ...extend import defvjp
from ...tracing import Primitive
from .helpers import is_complex, shape_of

fft = np.fft

# norm= names the scaling of the forward transform; the inverse gets the other one.
SWAPPED = {None: "forward", "backward": "forward", "ortho": "ortho", "forward": "backward"}


def _resize(x, shape):
    """``x`` cut or zero-padded (at the end of each axis) to ``shape``."""
    x = onp.asarray(x)
    shape = tuple(shape)
    if x.shape == shape:
        return x
    out = onp.zeros(shape, dtype=x.dtype)
    common = tuple(slice(0, min(a, b)) for a, b in zip(x.shape, shape))
    out[common] = x[common]
    return out


resize = Primitive(_resize, "resize")


def fit(x, g):
    """``g`` resized to the shape of ``x``, real if ``x`` is real."""
    if shape_of(g) != shape_of(x):
        g = resize(g, shape_of(x))
    return np.real(g) if is_complex(g) and not is_complex(x) else g


defvjp(resize, lambda ans, x, shape: lambda g: fit(x, g))


def resize_axis(g, axis, length):
    shape = list(shape_of(g))
    if shape[axis] == length:
        return g
    shape[axis] = length
    return resize(g, tuple(shape))


def half_spectrum_weights(n, ndim, axis):
    """2 for the entries of a half spectrum used twice by irfft, 1 for X[0] (and X[n/2])."""
    w = onp.full(n // 2 + 1, 2.0)
    w[0] = 1.0
    if n % 2 == 0:
        w[-1] = 1.0
    shape = [1] * ndim
    shape[axis] = n // 2 + 1
    return w.reshape(shape)


# --------------------------------------------------------------------------
# The gradient of one 1-D step. Each takes the gradient of the step's output
# and returns the gradient of its input, which had length ``before``.
# --------------------------------------------------------------------------

def c2c_step(fun):
    """fft or ifft (after resizing to n): W is symmetric, so the transpose is ``fun``."""
    def back(g, n, axis, norm, before):
        return resize_axis(fun(g, None, axis, norm), axis, before)
    return back


def r2c_back(g, n, axis, norm, before):
    """rfft: pad to the full length n, fft, real part (the input was real)."""
    full = fft.fft(resize_axis(g, axis, n), None, axis, norm)
    return resize_axis(np.real(full), axis, before)


def c2r_back(g, n, axis, norm, before):
    """irfft: each X[k] used twice gets twice the gradient; the scale is irfft's."""
    half = np.conj(fft.rfft(g, None, axis, SWAPPED[norm]))
    half = half * half_spectrum_weights(n, np.ndim(g), axis)
    return resize_axis(half, axis, before)


STEPS = {"fft": c2c_step(fft.fft), "ifft": c2c_step(fft.ifft), "rfft": r2c_back, "irfft": c2r_back}


def backward_through(steps, x, g, norm):
    """Apply the gradients of numpy's 1-D steps ``(kind, n, axis)`` in reverse order."""
    shape = list(shape_of(x))
    befores = []
    for kind, n, axis in steps:                 # replay the shapes of the forward pass
        befores.append(shape[axis])
        shape[axis] = n // 2 + 1 if kind == "rfft" else n
    for (kind, n, axis), before in zip(reversed(steps), reversed(befores)):
        g = STEPS[kind](g, n, axis, norm, before)
    return fit(x, g)


# --------------------------------------------------------------------------
# Which 1-D steps numpy takes, for each function
# --------------------------------------------------------------------------

def one_axis(x, n, axis, inverse_real=False):
    ndim = np.ndim(x)
    axis = axis % ndim
    if n is None:
        n = 2 * (shape_of(x)[axis] - 1) if inverse_real else shape_of(x)[axis]
    return n, axis


def several_axes(x, s, axes, inverse_real=False):
    """numpy's defaults for s and axes (as its _cook_nd_args)."""
    shape, ndim = shape_of(x), np.ndim(x)
    s_given = s
    if axes is None:
        axes = range(ndim) if s is None else range(-len(s), 0)
    axes = [a % ndim for a in axes]
    if s is None:
        s = [shape[a] for a in axes]
        if inverse_real:
            s[-1] = 2 * (s[-1] - 1)
    s = [shape[a] if size in (-1, None) else size for size, a in zip(s, axes)]
    if inverse_real and s_given is not None and s_given[-1] is None:   # irfft's default n
        s[-1] = 2 * (shape[axes[-1]] - 1)
    return s, axes


def steps_1d(kind):
    def steps(x, n=None, axis=-1):
        n, axis = one_axis(x, n, axis, inverse_real=kind == "irfft")
        return [(kind, n, axis)]
    return steps


def steps_nd(kind):
    def steps(x, s=None, axes=None):
        if kind in ("fft", "ifft"):             # one 1-D transform per axis, last axis first
            s, axes = several_axes(x, s, axes)
            return [(kind, s[i], axes[i]) for i in reversed(range(len(axes)))]
        if kind == "rfft":                      # rfft on the last axis, then fft on the others
            s, axes = several_axes(x, s, axes)
            return [("rfft", s[-1], axes[-1])] + \
                [("fft", s[i], axes[i]) for i in reversed(range(len(axes) - 1))]
        s, axes = several_axes(x, s, axes, inverse_real=True)   # irfft: the others, then irfft
        return [("ifft", s[i], axes[i]) for i in range(len(axes) - 1)] + \
            [("irfft", s[-1], axes[-1])]
    return steps


def vjp_1d(steps):
    def maker(ans, x, n=None, axis=-1, norm=None, out=None):
        plan = steps(x, n, axis)
        return lambda g: backward_through(plan, x, g, norm)
    return maker


def vjp_nd(steps, default_axes):
    def maker(ans, x, s=None, axes=default_axes, norm=None, out=None):
        plan = steps(x, s, axes)
        return lambda g: backward_through(plan, x, g, norm)
    return maker


for _kind in ("fft", "ifft", "rfft", "irfft"):
    defvjp(getattr(fft, _kind), vjp_1d(steps_1d(_kind)))
    defvjp(getattr(fft, _kind + "2"), vjp_nd(steps_nd(_kind), (-2, -1)))
    defvjp(getattr(fft, _kind + "n"), vjp_nd(steps_nd(_kind), None))


def hfft_vjp(ans, x, n=None, axis=-1, norm=None, out=None):
    """hfft(a) = irfft(conj(a)) with the opposite normalization."""
    plan = steps_1d("irfft")(x, n, axis)
    return lambda g: np.conj(backward_through(plan, x, g, SWAPPED[norm]))


def ihfft_vjp(ans, x, n=None, axis=-1, norm=None, out=None):
    """ihfft(a) = conj(rfft(a)) with the opposite normalization."""
    plan = steps_1d("rfft")(x, n, axis)
    return lambda g: backward_through(plan, x, np.conj(g), SWAPPED[norm])


defvjp(fft.hfft, hfft_vjp)
defvjp(fft.ihfft, ihfft_vjp)

# Shifts are permutations: the gradient moves each entry back.
defvjp(fft.fftshift, lambda ans, x, axes=None: lambda g: fit(x, fft.ifftshift(g, axes)))
defvjp(fft.ifftshift, lambda ans, x, axes=None: lambda g: fit(x, fft.fftshift(g, axes)))

# The sample frequencies k / (n d) depend on the spacing d (argument 1) only.
for _freq in (fft.fftfreq, fft.rfftfreq):
    defvjp(_freq, None, lambda ans, n, d=1.0, device=None: lambda g: -np.sum(g * ans) / d)
