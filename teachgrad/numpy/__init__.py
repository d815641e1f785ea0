"""``import teachgrad.numpy as np``: numpy, recording the computation for gradients.

Given plain values every function here is numpy's own. Given traced values
(inside a function being differentiated) it also records a node of the graph.

>>> import teachgrad.numpy as np
>>> float(np.sin(0.0))
0.0

This module only assembles the namespace (numpy/namespace.py, which the rest
of the package computes with) and re-exports it; the steps run in this order
because each one reads what the one before it put in place.
"""
import numpy as _numpy

from .. import tracing as _tracing
from . import namespace as _namespace
from . import array_node as _array_node
from . import autograd_names as _autograd_names
from . import keywords as _keywords
from . import plain as _plain
from . import sequences as _sequences
from . import linalg as _linalg, fft as _fft, random as _random

# 1. np.linalg, np.fft, np.random and the functions on sequences of arrays (np.array([x, y]))
_namespace.__dict__.update(
    linalg=_linalg, fft=_fft, random=_random,
    array=_sequences.array, asarray=_sequences.asarray, concatenate=_sequences.concatenate,
    stack=_sequences.stack, hstack=_sequences.hstack, vstack=_sequences.vstack,
    column_stack=_sequences.column_stack, atleast_1d=_sequences.atleast_1d,
    atleast_2d=_sequences.atleast_2d, atleast_3d=_sequences.atleast_3d, astype=_sequences.astype)

# 2. the gradient tables register their rules on the primitives
from . import gradients as _gradients  # noqa: E402,F401
from . import composites as _composites  # noqa: E402,F401  (average, cov, ...: Python-level versions)

# 3. Python-level versions (split, select, average, meshgrid, ...) replace their primitives;
#    options are checked; arguments whose traced value would be lost are refused
_sequences.install()
_keywords.install({"": _namespace, "linalg.": _linalg, "fft.": _fft})
_array_node.install_rules()
_plain.install_guards(_namespace)

# 4. the engine learns what a traced array is (np.array here is the option-checked version)
_tracing.install_array_support(_array_node.ArrayNode, _namespace.array, _numpy.ndarray)

# 5. autograd's names (np.where also by keyword: it calls the primitive, which has its rules)
_namespace.__dict__.update(r_=_autograd_names.r_, c_=_autograd_names.c_,
                           make_diagonal=_autograd_names.make_diagonal, where=_autograd_names.where)

# 6. teachgrad.numpy is the assembled namespace: the same objects its own modules call
globals().update({name: value for name, value in vars(_namespace).items() if not name.startswith("_")})
__version__ = _numpy.__version__
