"""``np.random``: numpy's random numbers.

Random draws have no gradient: given plain values these are numpy's own
functions, and a traced argument (a traced ``loc`` or ``scale``) is refused
with an explanation, because the plain draw would silently drop its gradient.
Write ``loc + scale * np.random.normal(size=shape)`` instead.
"""
import numpy.random as _random

from .plain import random_function as _random_function
from .wrapping import is_function as _is_function

for _name in dir(_random):
    if not _name.startswith("_"):
        _obj = getattr(_random, _name)
        globals()[_name] = _random_function(_name, _obj) if _is_function(_obj) and not isinstance(_obj, type) else _obj
