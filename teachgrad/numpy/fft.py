"""``np.fft``: numpy's Fourier transforms, wrapped (gradients in numpy/gradients/fft.py)."""
import numpy.fft as _fft

from .wrapping import wrap_namespace as _wrap_namespace

_wrap_namespace(_fft, globals(), "np.fft")
