"""``import teachgrad.numpy as np``: numpy, recording the computation for gradients.

Given plain values every function here is numpy's own. Given traced values
(inside a function being differentiated) it also records a node of the graph.

>>> import teachgrad.numpy as np
>>> float(np.sin(0.0))
0.0
"""
import numpy as _numpy

from . import boxes as _boxes
from .wrapping import wrap_namespace as _wrap_namespace

_wrap_namespace(_numpy, globals(), "np")

from . import linalg, fft, random                    # noqa: E402,F401
from .sequences import (array, asarray, concatenate, stack, hstack, vstack,   # noqa: E402,F401
                        column_stack, atleast_1d, atleast_2d, atleast_3d, astype)  # noqa: F401
from . import gradients as _gradients                # noqa: E402,F401

_boxes.namespace = _numpy_namespace = __import__(__name__, fromlist=["*"])
from . import keywords as _keywords                  # noqa: E402
_keywords.install({"": _numpy_namespace, "linalg.": linalg, "fft.": fft})
_boxes.install_rules()
from . import plain as _plain                        # noqa: E402
_plain.install_guards(_numpy_namespace)
from .. import tracing as _tracing                   # noqa: E402
_tracing.list_to_array = array
_tracing.mutable_array_type = _numpy.ndarray
from .autograd_names import r_, c_, make_diagonal, where   # noqa: E402,F401
__version__ = _numpy.__version__
