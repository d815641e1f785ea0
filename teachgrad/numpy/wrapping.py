"""Building a wrapped copy of a numpy namespace.

Every public numpy function becomes either a :class:`Primitive` (recorded in
the graph; its gradient, if it has one, is registered in numpy/gradients/) or,
for functions whose result does not depend smoothly on their input (shapes,
comparisons, argmax, constructors), a pass-through that unwraps traced
values and returns a plain result. Classes, constants and dtypes are copied
as they are, so ``np.float64``, ``np.pi`` and ``np.ndarray`` still work.
"""
from __future__ import annotations

import types

from ..tracing import Primitive, notrace_primitive

# Functions whose output has zero or no derivative: traced inputs are
# unwrapped and the result is plain (never a node).
PASS_THROUGH = set("""
shape ndim size result_type can_cast promote_types min_scalar_type iscomplexobj isrealobj
isscalar iscomplex isreal isfortran issubdtype
zeros ones empty zeros_like ones_like empty_like eye identity arange
indices mgrid ogrid tri diag_indices tril_indices triu_indices
mask_indices unravel_index ravel_multi_index diag_indices_from tril_indices_from triu_indices_from
ix_ fromfunction bartlett blackman hamming hanning
argmax argmin argsort argpartition argwhere nonzero flatnonzero count_nonzero searchsorted
nanargmax nanargmin digitize histogram histogram2d histogramdd histogram_bin_edges
lexsort
equal not_equal greater greater_equal less less_equal logical_and logical_or logical_not
logical_xor isnan isinf isfinite isneginf isposinf isnat isclose allclose array_equal
array_equiv all any signbit floor ceil round around rint fix trunc
bitwise_and bitwise_or bitwise_xor invert left_shift right_shift bitwise_not
array_repr array_str array2string format_float_positional format_float_scientific
broadcast_shapes may_share_memory shares_memory iterable in1d isin intersect1d union1d setdiff1d setxor1d
spacing gcd lcm bitwise_count bitwise_invert bitwise_left_shift bitwise_right_shift packbits unpackbits
common_type mintypecode typename isdtype base_repr binary_repr einsum_path nested_iters frompyfunc
busday_count busday_offset is_busday datetime_as_string datetime_data
save savez savez_compressed savetxt load loadtxt genfromtxt fromfile frombuffer fromiter fromregex
fromstring from_dlpack
get_include get_printoptions set_printoptions printoptions getbufsize setbufsize geterr seterr
geterrcall seterrcall info show_config show_runtime test
""".split())


def is_function(obj) -> bool:
    return callable(obj) and not isinstance(obj, (type, types.ModuleType))


def wrap_namespace(source: types.ModuleType, target: dict, prefix: str) -> None:
    """Fill ``target`` with wrapped versions of ``source``'s public names."""
    for name in dir(source):
        if name.startswith("_") or name in target:
            continue
        obj = getattr(source, name)
        if isinstance(obj, types.ModuleType):
            continue
        if not is_function(obj):
            target[name] = obj
        elif name in PASS_THROUGH:
            target[name] = notrace_primitive(obj)
        else:
            prim = Primitive(obj, name)
            prim.qualified_name = f"{prefix}.{name}"
            target[name] = prim
