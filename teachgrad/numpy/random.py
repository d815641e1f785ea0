"""``np.random``: numpy's random numbers, passed through unchanged.

Random draws have no gradient; traced arguments (a traced ``scale``, say) are
unwrapped and the result is a plain array.
"""
import numpy.random as _random

from ..tracing import notrace_primitive as _notrace
from .wrapping import is_function as _is_function

for _name in dir(_random):
    if not _name.startswith("_"):
        _obj = getattr(_random, _name)
        globals()[_name] = _notrace(_obj) if _is_function(_obj) and not isinstance(_obj, type) else _obj
