"""The gradient tables: one defvjp per function, one module per family.

Each maker is ``lambda ans, *args: lambda g: ...``: given the function's
output ``ans`` and its arguments, it returns the map from the upstream
gradient ``g`` to that argument's gradient. They are written with the
functions of teachgrad.numpy (numpy/namespace.py), so each gradient can be
differentiated again.

Broadcasting: when ``x + y`` broadcast ``x`` up to a bigger shape, the
gradient for ``x`` must be summed back down to ``x``'s shape (``unbroadcast``).

* arithmetic.py: the operators (+, -, *, /, **, abs) and their numpy functions;
* elementwise.py: exp, log, trigonometry, roots, steps, complex parts, maximum, where, clip, interp;
* reductions.py: sum, mean, max, prod, var, cumsum, nan-reductions, quantiles, diff;
* shapes.py: reshape, transpose, indexing, selections, joining, sort, pad, constructors;
* products.py: dot, matmul, einsum, inner, cross, kron, convolve, polynomials;
* fft.py and linalg.py: np.fft and np.linalg;
* tangents.py and linalg_tangents.py: forward-mode rules where deriving one from the gradient is slow
  or, for the decompositions, not enough;
* helpers.py: what the tables share (unbroadcast, defvjp_for, refuse, ...).

Importing this package registers every table.
"""

from . import arithmetic, elementwise, products, reductions, shapes  # noqa: F401  (each registers its table)
from . import fft, linalg  # noqa: F401  (np.fft and np.linalg)
from . import tangents  # noqa: F401  (forward-mode rules for the common functions)
