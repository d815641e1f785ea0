"""What a recorded call of each differentiable numpy function does with its options.

numpy functions take many options (``order=``, ``where=``, ``initial=``,
``correction=``, ...). A gradient rule that silently ignored one would return a
wrong number, so every parameter of every differentiable function is listed
here, once, in one of three columns::

    name: arrays | followed | refused

* *arrays*: the parameters that hold array values. A traced value there is
  recorded and gets a gradient; a list or tuple constant there is made an
  array once, when the node is recorded, so gradient rules only see arrays.
* *followed*: options the gradient rule takes into account (each is checked
  against finite differences in tests/numpy/test_keywords.py).
* *refused*: options whose effect the gradient does not follow. Given with a
  traced value and a value other than numpy's default, they raise an
  explanation (teachgrad.refusals.Refused), by keyword or by position.

``@ufunc`` adds the options every numpy ufunc takes (out, where, casting,
order, dtype, subok, signature) to the refused ones; ``@gufunc`` the same
without where= (matmul and its relatives have none). ``ALIASES`` lists numpy's
other spellings (``correction=`` for ``ddof=``; ``min=``/``max=`` for
``a_min``/``a_max``). A parameter numpy has that is not listed is refused too,
and tests/numpy/test_keywords.py fails until it is classified here.
"""
from __future__ import annotations

import functools
import inspect
from typing import Any, Callable

import numpy

from ..errors import RefusedOptionError
from ..graph import Node
from ..refusals import ARRAY, KEEP, Refused, refused_message
from ..tracing import Primitive

UFUNC_OPTIONS = ("out", "where", "casting", "order", "dtype", "subok", "signature")
UFUNC_DEFAULTS = {"out": None, "where": True, "casting": "same_kind", "order": "K",
                  "dtype": None, "subok": True, "signature": None}

ALIASES = {
    "var": {"correction": "ddof"}, "std": {"correction": "ddof"},
    "nanvar": {"correction": "ddof"}, "nanstd": {"correction": "ddof"},
    "clip": {"min": "a_min", "max": "a_max"},
    "reshape": {"newshape": "shape"},           # (numpy 2.1 to 2.3)
}

# Python-level versions whose other keywords go to the user's own function (func1d, funclist).
PASSES_ON = {"apply_along_axis", "piecewise"}

# Why an option is refused, where a general sentence would not help.
REASONS = {
    "out": ("writing into an existing array in place hides how its entries were computed.",
            "leave out out= and use the returned value."),
    "overwrite_input": ("overwrite_input=True lets numpy reorder the traced array's own "
                        "entries, which other steps of the gradient still need.",
                        "leave out overwrite_input= (numpy then works on a copy)."),
    "copy": ("copy=False would let numpy write into the traced array's own entries.",
             "leave out copy=."),
    "dtype": ("converting the type inside the call changes how the gradient must be cast, "
              "and teachgrad's rule does not follow it.",
              "convert before or after: np.sum(x.astype(np.float32)) or np.astype(y, ...)."),
    "where": ("the gradient rule of this function does not know which entries where= "
              "leaves out.",
              "select the entries first: np.where(mask, x, 0.0) (or the neutral value "
              "of the operation), then call the function without where=."),
    "initial": ("the gradient rule of this function does not follow initial=.",
                "combine afterwards: np.maximum(np.max(x), initial), or x.sum() + initial."),
    "mean": ("mean= passes a precomputed mean, whose dependence on x the gradient "
             "would not see.", "leave out mean=."),
}

TABLE = """
# ------------------------------------------------------------------ reductions
sum: a | axis keepdims initial where | out dtype
nansum: a | axis keepdims initial | out dtype where
mean: a | axis keepdims where | out dtype
nanmean: a | axis keepdims | out dtype where
prod: a | axis keepdims | out dtype initial where
nanprod: a | axis keepdims | out dtype initial where
max: a | axis keepdims initial where | out
min: a | axis keepdims initial where | out
amax: a | axis keepdims initial where | out
amin: a | axis keepdims initial where | out
nanmax: a | axis keepdims | out initial where
nanmin: a | axis keepdims | out initial where
var: a | axis ddof keepdims | out dtype where mean
std: a | axis ddof keepdims | out dtype where mean
nanvar: a | axis ddof keepdims | out dtype where mean
nanstd: a | axis ddof keepdims | out dtype where mean
ptp: a | axis keepdims | out
median: a | axis keepdims | out overwrite_input
nanmedian: a | axis keepdims | out overwrite_input
quantile: a q | axis method keepdims | out overwrite_input weights
nanquantile: a q | axis method keepdims | out overwrite_input weights
percentile: a q | axis method keepdims | out overwrite_input weights
nanpercentile: a q | axis method keepdims | out overwrite_input weights
cumsum: a | axis | out dtype
cumprod: a | axis | out dtype
nancumsum: a | axis | out dtype
nancumprod: a | axis | out dtype
cumulative_sum: x | axis include_initial | out dtype
cumulative_prod: x | axis include_initial | out dtype
trace: a | offset axis1 axis2 | out dtype
average: a weights | axis returned keepdims |
trapezoid: y x dx | axis |
cov: m y fweights aweights | rowvar bias ddof | dtype
corrcoef: x y | rowvar | dtype
gradient: f | axis edge_order |
diff: a prepend append | n axis |
ediff1d: ary to_end to_begin | |
# ------------------------------------------------------------------ elementwise
abs: x | | @ufunc
absolute: x | | @ufunc
fabs: x | | @ufunc
negative: x | | @ufunc
positive: x | | @ufunc
exp: x | | @ufunc
expm1: x | | @ufunc
exp2: x | | @ufunc
log: x | | @ufunc
log2: x | | @ufunc
log10: x | | @ufunc
log1p: x | | @ufunc
sqrt: x | | @ufunc
cbrt: x | | @ufunc
square: x | | @ufunc
reciprocal: x | | @ufunc
sin: x | | @ufunc
cos: x | | @ufunc
tan: x | | @ufunc
sinh: x | | @ufunc
cosh: x | | @ufunc
tanh: x | | @ufunc
arcsin: x | | @ufunc
asin: x | | @ufunc
arccos: x | | @ufunc
acos: x | | @ufunc
arctan: x | | @ufunc
atan: x | | @ufunc
arcsinh: x | | @ufunc
asinh: x | | @ufunc
arccosh: x | | @ufunc
acosh: x | | @ufunc
arctanh: x | | @ufunc
atanh: x | | @ufunc
deg2rad: x | | @ufunc
radians: x | | @ufunc
rad2deg: x | | @ufunc
degrees: x | | @ufunc
sign: x | | @ufunc
conj: x | | @ufunc
conjugate: x | | @ufunc
add: x1 x2 | | @ufunc
subtract: x1 x2 | | @ufunc
multiply: x1 x2 | | @ufunc
divide: x1 x2 | | @ufunc
true_divide: x1 x2 | | @ufunc
power: x1 x2 | | @ufunc
pow: x1 x2 | | @ufunc
float_power: x1 x2 | | @ufunc
maximum: x1 x2 | | @ufunc
minimum: x1 x2 | | @ufunc
fmax: x1 x2 | | @ufunc
fmin: x1 x2 | | @ufunc
mod: x1 x2 | | @ufunc
remainder: x1 x2 | | @ufunc
fmod: x1 x2 | | @ufunc
floor_divide: x1 x2 | | @ufunc
arctan2: x1 x2 | | @ufunc
atan2: x1 x2 | | @ufunc
hypot: x1 x2 | | @ufunc
logaddexp: x1 x2 | | @ufunc
logaddexp2: x1 x2 | | @ufunc
copysign: x1 x2 | | @ufunc
ldexp: x1 x2 | | @ufunc
nextafter: x1 x2 | | @ufunc
heaviside: x1 x2 | | @ufunc
divmod: x1 x2 | | @ufunc
modf: x | | @ufunc
frexp: x | | @ufunc
sinc: x | |
real: val | |
imag: val | |
angle: z | deg |
real_if_close: a | tol |
nan_to_num: x | nan posinf neginf | copy
unwrap: p | discont axis period |
clip: a a_min a_max | | out
interp: x xp fp | left right | period
where: condition x y | |
# ------------------------------------------------------------------ products
dot: a b | | out
vdot: a b | |
inner: a b | |
outer: a b | | out
kron: a b | |
tensordot: a b | axes |
einsum: | optimize | out
cross: a b | axisa axisb axisc axis |
convolve: a v | mode |
correlate: a v | mode |
matmul: x1 x2 | | axes axis keepdims @gufunc
matvec: x1 x2 | | axes axis keepdims @gufunc
vecmat: x1 x2 | | axes axis keepdims @gufunc
vecdot: x1 x2 | axis keepdims | axes @gufunc
vander: x | N increasing |
polyval: p x | |
polyadd: a1 a2 | |
polysub: a1 a2 | |
polymul: a1 a2 | |
polydiv: u v | |
polyder: p | m |
polyint: p k | m |
poly: seq_of_zeros | |
# ------------------------------------------------------------------ shapes
reshape: a | shape order copy |
ravel: a | order |
squeeze: a | axis |
expand_dims: a | axis |
copy: a | order subok |
broadcast_to: array | shape subok |
astype: x | dtype | copy device
transpose: a | axes |
permute_dims: a | axes |
matrix_transpose: x | |
swapaxes: a | axis1 axis2 |
moveaxis: a | source destination |
rollaxis: a | axis start |
repeat: a | repeats axis |
tile: A | reps |
flip: m | axis |
fliplr: m | |
flipud: m | |
rot90: m | k axes |
roll: a | shift axis |
diag: v | k |
diagflat: v | k |
diagonal: a | offset axis1 axis2 |
triu: m | k |
tril: m | k |
take: a | indices axis mode | out
take_along_axis: arr | indices axis |
compress: condition a | axis | out
extract: condition arr | |
delete: arr | obj axis |
insert: arr obj values | axis |
resize: a | new_shape |
sort: a | axis kind stable | order
partition: a | kth axis kind | order
sort_complex: a | |
pad: array | pad_width mode constant_values reflect_type | end_values stat_length
trim_zeros: filt | trim axis |
full: shape fill_value | order like | dtype device
linspace: start stop | num endpoint axis | retstep dtype device
logspace: start stop | num endpoint base axis | dtype
geomspace: start stop | num endpoint axis | dtype
# ------------------------------------------------------------------ building and splitting
array: object | dtype copy order subok ndmin | ndmax like
asarray: a | dtype order copy device | like
asanyarray: a | dtype order device copy | like
ascontiguousarray: a | dtype | like
asfortranarray: a | dtype | like
asarray_chkfinite: a | dtype order |
require: a | dtype requirements | like
concatenate: arrays | axis dtype casting | out
concat: arrays | axis dtype casting | out
stack: arrays | axis dtype casting | out
hstack: tup | dtype casting |
vstack: tup | dtype casting |
row_stack: tup | dtype casting |
dstack: tup | |
column_stack: tup | |
append: arr values | axis |
block: arrays | |
atleast_1d: | |
atleast_2d: | |
atleast_3d: | |
broadcast_arrays: | subok |
split: ary | indices_or_sections axis |
array_split: ary | indices_or_sections axis |
hsplit: ary | indices_or_sections |
vsplit: ary | indices_or_sections |
dsplit: ary | indices_or_sections |
unstack: x | axis |
select: choicelist default | condlist |
choose: choices | a mode | out
piecewise: x | condlist funclist |
apply_along_axis: arr | func1d axis |
apply_over_axes: a | func axes |
# ------------------------------------------------------------------ plain-result functions with a value
meshgrid: | copy sparse indexing |
full_like: fill_value | a dtype order subok shape device |
bincount: weights | x minlength |
unique: ar | return_index return_inverse return_counts axis equal_nan sorted |
unique_values: x | |
unique_counts: x | |
unique_inverse: x | |
unique_all: x | |
# ------------------------------------------------------------------ np.linalg
linalg.cholesky: a | upper |
linalg.det: a | |
linalg.inv: a | |
linalg.slogdet: a | |
linalg.solve: a b | |
linalg.eig: a | |
linalg.eigvals: a | |
linalg.eigh: a | UPLO |
linalg.eigvalsh: a | UPLO |
linalg.svd: a | full_matrices compute_uv hermitian |
linalg.svdvals: x | |
linalg.pinv: a | rcond hermitian rtol |
linalg.norm: x | ord axis keepdims |
linalg.matrix_norm: x | keepdims ord |
linalg.vector_norm: x | axis keepdims ord |
linalg.matrix_power: a | n |
linalg.cond: x | p |
linalg.tensorinv: a | ind |
linalg.tensorsolve: a b | axes |
linalg.matmul: x1 x2 | |
linalg.tensordot: x1 x2 | axes |
linalg.outer: x1 x2 | |
linalg.vecdot: x1 x2 | axis |
linalg.trace: x | offset | dtype
linalg.diagonal: x | offset |
linalg.cross: x1 x2 | axis |
linalg.matrix_transpose: x | |
linalg.multi_dot: arrays | | out
# ------------------------------------------------------------------ np.fft
fft.fft: a | n axis norm | out
fft.ifft: a | n axis norm | out
fft.rfft: a | n axis norm | out
fft.irfft: a | n axis norm | out
fft.hfft: a | n axis norm | out
fft.ihfft: a | n axis norm | out
fft.fft2: a | s axes norm | out
fft.ifft2: a | s axes norm | out
fft.rfft2: a | s axes norm | out
fft.irfft2: a | s axes norm | out
fft.fftn: a | s axes norm | out
fft.ifftn: a | s axes norm | out
fft.rfftn: a | s axes norm | out
fft.irfftn: a | s axes norm | out
fft.fftshift: x | axes |
fft.ifftshift: x | axes |
fft.fftfreq: n d | | device
fft.rfftfreq: n d | | device
"""


class Entry:
    """One line of the table: the three columns, and whether ufunc options apply."""

    def __init__(self, arrays: list[str], followed: list[str], refused: list[str], ufunc: str):
        self.arrays, self.followed, self.ufunc = arrays, followed, ufunc
        options = [o for o in UFUNC_OPTIONS if ufunc == "@ufunc" or (ufunc and o != "where")]
        self.refused = refused + options

    def names(self) -> set[str]:
        return set(self.arrays) | set(self.followed) | set(self.refused)


def parse(table: str = TABLE) -> dict[str, Entry]:
    entries = {}
    for line in table.strip().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, rest = line.split(":", 1)
        ufunc = "@gufunc" if "@gufunc" in rest else "@ufunc" if "@ufunc" in rest else ""
        columns = [c.split() for c in rest.replace(ufunc, "").split("|")] if ufunc else \
            [c.split() for c in rest.split("|")]
        entries[name.strip()] = Entry(*columns, ufunc=ufunc)
    return entries


ENTRIES = parse()


def numpy_function(qualified: str) -> Any:
    """numpy's function for a table name (``sum``, ``linalg.svd``), or None."""
    space: Any = numpy
    for part in qualified.split("."):
        space = getattr(space, part, None)
    return space


def parameters(qualified: str) -> list[inspect.Parameter] | None:
    """numpy's parameters of the function (ufuncs of numpy 1.x have no signature)."""
    fun = numpy_function(qualified)
    try:
        return [p for p in inspect.signature(fun).parameters.values()
                if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    except (TypeError, ValueError):
        if isinstance(fun, numpy.ufunc):
            names = ["x"] if fun.nin == 1 else ["x1", "x2"]
            return [inspect.Parameter(n, inspect.Parameter.POSITIONAL_ONLY) for n in names] + [
                inspect.Parameter(k, inspect.Parameter.KEYWORD_ONLY, default=d)
                for k, d in UFUNC_DEFAULTS.items()]
        return None


def refusal(name: str, default: Any) -> Refused:
    if default is inspect.Parameter.empty:
        default = None
    elif name == "where" and type(default).__name__ == "_NoValueType":
        default = True              # var(x, where=True) is var(x)
    reason, instead = REASONS.get(name, ("", ""))
    return Refused(name, default, reason, instead)


def rules(qualified: str) -> tuple[dict, dict]:
    """(keywords, positions) of a recorded call of ``qualified`` (see tracing.Primitive)."""
    entry = ENTRIES[qualified]
    params = parameters(qualified)
    if params is None:          # (a numpy 1.x builtin without a signature): the arrays come first
        params = [inspect.Parameter(n, inspect.Parameter.POSITIONAL_ONLY) for n in entry.arrays] + [
            inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY,
                              default=UFUNC_DEFAULTS.get(n) if entry.ufunc else None)
            for n in entry.followed + entry.refused]
    return rules_for(entry, params, ALIASES.get(qualified, {}))


def rules_for(entry: Entry, params: list[inspect.Parameter], aliases: dict) -> tuple[dict, dict]:
    """(keywords, positions) from one table entry and the function's parameters."""
    keywords: dict = {}
    positions: dict = {}
    present = {p.name for p in params}
    for i, p in enumerate(params):
        name = p.name
        if name in aliases:
            if aliases[name] in present:       # another spelling: renamed when recorded
                continue
            name = aliases[name]               # the parameter itself here (reshape's newshape on 1.x)
        if name in entry.arrays:
            rule = ARRAY
        elif name in entry.followed:
            rule = KEEP
        else:                       # refused, or not yet classified (the tests insist on it)
            rule = refusal(p.name, p.default)
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and rule is not KEEP:
            positions[i] = rule
        if p.kind != p.POSITIONAL_ONLY:
            keywords[p.name] = KEEP if rule is ARRAY else rule
    for name in entry.followed + entry.arrays:      # **kwargs options (pad); arrays= by keyword
        keywords.setdefault(name, KEEP)
    keywords.update({alias: target for alias, target in aliases.items() if target in present})
    return keywords, positions


def install(namespaces: dict[str, Any]) -> None:
    """Give every listed function of teachgrad.numpy its rules.

    ``namespaces`` maps a prefix ("" for np, "linalg.", "fft.") to the module.
    Primitives get ``keywords`` and ``positions``; Python-level versions
    (concatenate, average, ...) are wrapped to check their options the same way.
    """
    for qualified in ENTRIES:
        prefix, _, short = qualified.rpartition(".")
        space = namespaces[prefix + "." if prefix else ""]
        fun = getattr(space, short, None)
        if fun is None or numpy_function(qualified) is None:
            continue                 # a name this numpy does not have
        keywords, positions = rules(qualified)
        if isinstance(fun, Primitive):
            give_rules(fun, keywords, positions)
        elif not getattr(fun, "checks_options", False):
            setattr(space, short, checked(fun, qualified, keywords, positions))


def give_rules(prim: Primitive, keywords: dict, positions: dict) -> None:
    """Store the rules on a primitive in the shapes its recording reads fastest."""
    prim.keywords = keywords
    prim.kept = frozenset(k for k, rule in keywords.items() if rule is KEEP)
    prim.positions = {i: rule for i, rule in positions.items() if rule is not ARRAY}
    prim.array_positions = frozenset(i for i, rule in positions.items() if rule is ARRAY)


def checked(fun: Callable, qualified: str, keywords: dict, positions: dict) -> Callable:
    """``fun`` (a Python-level version of a numpy function), refusing options it does not follow."""
    refused_positions = {i: r for i, r in positions.items() if r is not ARRAY}
    first = min(refused_positions, default=None)
    passes_on = qualified in PASSES_ON

    @functools.wraps(fun)
    def call(*args, **kwargs):
        if (kwargs or (first is not None and len(args) > first)) and _holds_node((args, kwargs)):
            for key, value in kwargs.items():
                rule = keywords.get(key)
                if rule is KEEP or type(rule) is str or (rule is None and passes_on):
                    continue
                if rule is None or not rule.allows(value):
                    raise RefusedOptionError(refused_message(call, key, rule))
            for i, rule in refused_positions.items():
                if i < len(args) and not rule.allows(args[i]):
                    raise RefusedOptionError(refused_message(call, rule.name, rule))
        return fun(*args, **kwargs)
    call.name = call.qualified_name = "np." + qualified
    call.checks_options = True
    return call


def _holds_node(value: Any) -> bool:
    if isinstance(value, Node):
        return True
    if isinstance(value, (list, tuple)):
        return any(_holds_node(v) for v in value)
    if isinstance(value, dict):
        return any(_holds_node(v) for v in value.values())
    return False
