"""The gradient table: one defvjp per function.

Each maker is ``lambda ans, *args: lambda g: ...``: given the function's
output ``ans`` and its arguments, it returns the map from the upstream
gradient ``g`` to that argument's gradient. They are written with
teachgrad.numpy, so each gradient can be differentiated again.

Broadcasting: when ``x + y`` broadcast ``x`` up to a bigger shape, the
gradient for ``x`` must be summed back down to ``x``'s shape (``unbroadcast``).
"""

from . import arithmetic, elementwise, products, reductions, shapes  # noqa: F401  (each registers its table)
from . import fft, linalg  # noqa: F401,E402  (np.fft and np.linalg)
from . import tangents  # noqa: F401,E402  (forward-mode rules for the common functions)
from .. import plain as _plain  # noqa: E402,F401  (meshgrid, unique, ...: registered as wrappers)
from .. import composites as _composites  # noqa: E402,F401  (average, cov, ...: registered as wrappers)
from ..sequences import install as _install_wrappers  # noqa: E402

_install_wrappers()   # split, select, average, ...: Python versions replace their primitives
