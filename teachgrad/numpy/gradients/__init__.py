"""The gradient tables: one defvjp per function, one module per family.

Each maker is ``lambda ans, *args: lambda g: ...``: given the function's
output ``ans`` and its arguments, it returns the map from the upstream
gradient ``g`` to that argument's gradient. They are written with the
functions of teachgrad.numpy (numpy/namespace.py), so each gradient can be
differentiated again.

Forward mode (make_jvp) derives a tangent from the gradient rule unless a
tangent rule (defjvp) is registered; the tables register one for the common
functions, next to their gradient rule, because deriving it is slow.

Broadcasting: when ``x + y`` broadcast ``x`` up to a bigger shape, the
gradient for ``x`` must be summed back down to ``x``'s shape (``unbroadcast``).

* arithmetic.py: the operators (+, -, *, /, **, abs) and their numpy functions;
* elementwise.py: exp, log, trigonometry, roots, steps, complex parts, maximum, where, clip, interp;
* reductions.py: sum, mean, max, prod, var, cumsum, nan-reductions, quantiles, diff;
* shapes.py: reshape, transpose, indexing, selections, joining, sort, pad, constructors;
* products.py: dot, matmul, einsum, inner, cross, kron, convolve, polynomials;
* fft.py and linalg.py: np.fft and np.linalg;
* linalg_tangents.py: the forward-mode rules of np.linalg, derived on their own (the other
  tables register each tangent rule next to its gradient rule);
* helpers.py: what the tables share (unbroadcast, defvjp_for, refuse, ...).

Importing this package registers every table.
"""

from . import arithmetic, elementwise, products, reductions, shapes  # noqa: F401  (each registers its table)
from . import fft, linalg, linalg_tangents  # noqa: F401  (np.fft and np.linalg)
