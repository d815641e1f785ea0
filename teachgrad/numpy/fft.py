"""``np.fft``: numpy's Fourier transforms, wrapped (gradients in a later release)."""
import numpy.fft as _fft

from .wrapping import wrap_namespace as _wrap_namespace

_wrap_namespace(_fft, globals(), "np.fft")
