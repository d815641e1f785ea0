"""``np.linalg``: numpy's linear algebra, wrapped (gradients in a later release)."""
import numpy.linalg as _linalg

from .wrapping import wrap_namespace as _wrap_namespace

_wrap_namespace(_linalg, globals(), "np.linalg")
