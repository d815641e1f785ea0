"""The namespace that teachgrad.numpy's own modules compute with: ``np`` inside the package.

On import it holds numpy's public names, wrapped (wrapping.py: a primitive
for each function, a pass-through for those without a derivative, classes
and constants as they are). teachgrad/numpy/__init__.py then assembles the
rest into it, once: np.linalg, np.fft and np.random, the Python-level
versions (array, concatenate, split, average, ...) in place of their
primitives, and the checks of options; and re-exports all of it as
``teachgrad.numpy``.

The gradient tables, the traced array's methods and the Python-level versions
import this module (the package itself is still being built while they are
imported) and look names up in it when they run, so they call the assembled
functions, the same objects as ``teachgrad.numpy``'s.
"""
import numpy as _numpy

from .wrapping import wrap_namespace as _wrap_namespace

_wrap_namespace(_numpy, globals(), "np")
