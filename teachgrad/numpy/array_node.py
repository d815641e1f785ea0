"""Traced arrays: the node type that behaves like a numpy array.

Inside a differentiated function every value that depends on an input is an
:class:`ArrayNode`. It supports the operators, attributes and methods
students use on arrays, each of which calls a teachgrad primitive, so the
computation is recorded. It refuses, with an explanation, the few things that
would lose the graph silently (``float(x)``, ``a[i] = x``).

Its methods call the functions of numpy/namespace.py (``x.sum()`` is
``np.sum(x)``); teachgrad/numpy/__init__.py makes it the engine's node type.
"""
from __future__ import annotations

import operator

import numpy

from ..errors import CONVERTED_MESSAGE, AssignmentError, DetachedValueError, explain
from ..graph import Node
from ..tracing import Primitive, unwrap
from . import namespace

# The operators call these primitives; their gradients are registered in
# numpy/gradients/arithmetic.py next to those of numpy's functions of the same name.
add = Primitive(operator.add, "add")
subtract = Primitive(operator.sub, "subtract")
multiply = Primitive(operator.mul, "multiply")
true_divide = Primitive(operator.truediv, "divide")
floor_divide = Primitive(operator.floordiv, "floor_divide")
mod = Primitive(operator.mod, "mod")
power = Primitive(operator.pow, "power")
matmul = Primitive(operator.matmul, "matmul")
negative = Primitive(operator.neg, "negative")
absolute = Primitive(operator.abs, "absolute")
getitem = Primitive(operator.getitem, "getitem")


def assignment_message(target: str = "an array") -> str:
    return explain(
        f"Assignment into {target} (a[i] = value) inside a function being "
        "differentiated: teachgrad cannot record it.",
        "assignment overwrites entries in place, so the graph would lose how the "
        "old entries were computed and the gradient would be wrong.",
        "build a new array instead of changing one: collect the values in a "
        "Python list and call np.array(values) or np.stack(values); or use "
        "np.where(mask, new, a) or np.concatenate([a[:i], new, a[i+1:]]).")


def in_place_message(node, method: str, instead: str) -> str:
    what = f"x {method} ..." if method.endswith("=") else f"x.{method}(...)"
    return explain(
        f"{what} changes the traced array {node.name} in place, inside a function being "
        "differentiated: teachgrad cannot record it.",
        "an in-place change overwrites entries, so the graph would lose how the old entries "
        "were computed, and later uses of the array would silently get the wrong gradient "
        "(or the wrong value).",
        f"make a new array: {instead}.")


def detached_message(how: str) -> str:
    return explain(
        f"{how} was called on a traced value, which would turn it into a plain "
        "number and cut it out of the graph.",
        "teachgrad records only what teachgrad.numpy computes; float(x), int(x), "
        "x.item() and the math module (math.sin(x)) see a plain number, so the "
        "gradient through that value would silently be lost.",
        "use teachgrad.numpy functions (import teachgrad.numpy as np; np.sin(x)). "
        "To look at the number while debugging, print x (or x.value).")


class ArrayNode(Node):
    """A traced value: a node of the graph that acts like a numpy array."""

    __slots__ = ()
    __array_priority__ = 100.0

    # --- arithmetic: each records a node -------------------------------
    # (x * y records multiply(x, y); the binary operators record it themselves, without
    # calling the primitive: see Primitive.operator)
    __add__ = add.operator()
    __radd__ = add.operator(reflected=True)
    __sub__ = subtract.operator()
    __rsub__ = subtract.operator(reflected=True)
    __mul__ = multiply.operator()
    __rmul__ = multiply.operator(reflected=True)
    __truediv__ = true_divide.operator()
    __rtruediv__ = true_divide.operator(reflected=True)
    __floordiv__ = floor_divide.operator()
    __rfloordiv__ = floor_divide.operator(reflected=True)
    __mod__ = mod.operator()
    __rmod__ = mod.operator(reflected=True)
    __pow__ = power.operator()
    __rpow__ = power.operator(reflected=True)
    __matmul__ = matmul.operator()
    __rmatmul__ = matmul.operator(reflected=True)
    def __neg__(self): return negative(self)
    def __pos__(self): return self
    def __abs__(self): return absolute(self)
    def __getitem__(self, index): return getitem(self, _plain_index(index))

    # --- comparisons have no derivative: plain results ------------------
    def __lt__(self, other): return self.value < unwrap(other)
    def __le__(self, other): return self.value <= unwrap(other)
    def __gt__(self, other): return self.value > unwrap(other)
    def __ge__(self, other): return self.value >= unwrap(other)
    def __eq__(self, other): return self.value == unwrap(other)
    def __ne__(self, other): return self.value != unwrap(other)
    __hash__ = Node.__hash__

    def __bool__(self): return bool(self.value)
    def __len__(self): return len(self.value)

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def __setitem__(self, index, value):
        raise AssignmentError(assignment_message(f"the traced array {self.name}"))

    # --- conversions that would lose the graph ---------------------------
    def __float__(self): raise DetachedValueError(detached_message("float()"))
    def __int__(self): raise DetachedValueError(detached_message("int()"))
    def __complex__(self): raise DetachedValueError(detached_message("complex()"))
    def __index__(self): raise DetachedValueError(detached_message("Using it as an index"))

    def __array__(self, dtype=None, copy=None):
        if dtype is not None:
            dtype = numpy.dtype(dtype)
            if dtype.kind in "biu":         # np.int64(x): integers carry no gradient anyway
                return numpy.array(self.value, dtype=dtype, copy=True)
        # (numpy asks the same for a[i] = x and for np.float64(x): one message for both,
        # which names "a function from outside teachgrad.numpy")
        raise AssignmentError(CONVERTED_MESSAGE)

    # --- plain numpy given a traced value: use teachgrad's version -------
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if method == "__call__" and not kwargs:
            # The commonest case, an array times a traced value (data * x): straight to
            # the primitive, which records every traced value given by position and so
            # cannot hand the call back to numpy.
            target = _UFUNC_PRIMITIVES.get(ufunc)
            if target is not None:
                return target(*inputs)
        target = getattr(namespace, ufunc.__name__, None)
        if method == "__call__" and not kwargs and isinstance(target, Primitive):
            _UFUNC_PRIMITIVES[ufunc] = target
        if kwargs.get("out") is not None:
            raise AssignmentError(assignment_message("a numpy array (in place: a += x, or out=)"))
        if method == "outer" and target is not None and len(inputs) == 2:
            a, b = inputs                      # np.multiply.outer(a, b): broadcast, then apply
            a = namespace.reshape(a, namespace.shape(a) + (1,) * namespace.ndim(b))
            return _dispatch(ufunc, target, (a, b), kwargs)
        rewrite = _UFUNC_METHODS.get((ufunc.__name__, method))
        if rewrite is not None:                # np.add.reduce -> np.sum, np.multiply.accumulate -> np.cumprod
            return _dispatch(ufunc, getattr(namespace, rewrite), inputs, kwargs)
        if method != "__call__" or target is None or kwargs.get("out") is not None:
            raise DetachedValueError(explain(
                f"numpy.{ufunc.__name__}{'.' + method if method != '__call__' else ''} "
                "was given a traced value, and teachgrad has no version of it.",
                "plain numpy cannot record the computation for the gradient.",
                "import teachgrad.numpy as np and use its functions; if the function "
                "is missing, define it with teachgrad.extend.primitive and defvjp."))
        return _dispatch(ufunc, target, inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        module = func.__module__ or ""
        space = namespace
        for part in module.split(".")[1:]:
            if part in ("linalg", "fft"):
                space = getattr(namespace, part)
        target = getattr(space, func.__name__, None)
        if target is None or target is func:
            raise DetachedValueError(explain(
                f"numpy.{func.__name__} was given a traced value, and teachgrad has no version of it.",
                "plain numpy cannot record the computation for the gradient.",
                "write the computation with teachgrad.numpy functions, or register a "
                "gradient with teachgrad.extend.primitive and defvjp."))
        return _dispatch(func, target, args, kwargs)

    # --- array attributes ------------------------------------------------
    shape = property(lambda self: numpy.shape(unwrap(self.value)))
    ndim = property(lambda self: numpy.ndim(unwrap(self.value)))
    size = property(lambda self: numpy.size(unwrap(self.value)))
    dtype = property(lambda self: numpy.result_type(unwrap(self.value)))
    T = property(lambda self: namespace.transpose(self))
    real = property(lambda self: namespace.real(self))
    imag = property(lambda self: namespace.imag(self))

    mT = property(lambda self: namespace.matrix_transpose(self))
    flat = property(lambda self: namespace.ravel(self))        # reading x.flat[i]; writing is refused
    itemsize = property(lambda self: numpy.asarray(unwrap(self.value)).itemsize)
    nbytes = property(lambda self: numpy.asarray(unwrap(self.value)).nbytes)
    strides = property(lambda self: numpy.asarray(unwrap(self.value)).strides)
    flags = property(lambda self: numpy.asarray(unwrap(self.value)).flags)
    device = property(lambda self: "cpu")

    # --- array methods -----------------------------------------------------
    def conj(self): return namespace.conj(self)
    conjugate = conj
    def dot(self, b, out=None): return namespace.dot(self, b) if out is None else namespace.dot(self, b, out)
    def sum(self, *args, **kwargs): return namespace.sum(self, *args, **kwargs)
    def mean(self, *args, **kwargs): return namespace.mean(self, *args, **kwargs)
    def prod(self, *args, **kwargs): return namespace.prod(self, *args, **kwargs)
    def max(self, *args, **kwargs): return namespace.max(self, *args, **kwargs)
    def min(self, *args, **kwargs): return namespace.min(self, *args, **kwargs)
    def var(self, *args, **kwargs): return namespace.var(self, *args, **kwargs)
    def std(self, *args, **kwargs): return namespace.std(self, *args, **kwargs)
    def clip(self, *args, **kwargs): return namespace.clip(self, *args, **kwargs)
    def ravel(self, *args, **kwargs): return namespace.ravel(self, *args, **kwargs)
    def flatten(self, order="C"): return namespace.ravel(self, order)
    def copy(self, order="C"): return namespace.copy(self, order)
    def squeeze(self, *args, **kwargs): return namespace.squeeze(self, *args, **kwargs)
    def repeat(self, *args, **kwargs): return namespace.repeat(self, *args, **kwargs)
    def compress(self, condition, axis=None, out=None): return namespace.compress(condition, self, axis, out)
    def choose(self, choices, out=None, mode="raise"): return namespace.choose(self, choices, out, mode)

    def astype(self, dtype, order="K", casting="unsafe", subok=True, copy=True):
        if order not in ("K", "A", "C", "F") or casting != "unsafe" or subok is not True:
            raise TypeError(explain(
                f"{self.name}.astype(..., order=, casting=, subok=) was given options "
                "teachgrad does not follow on a traced array.",
                "they change how numpy converts the array, and the gradient would not know.",
                f"write {self.name}.astype(dtype) alone."))
        return namespace.astype(self, dtype)

    def argmax(self, *args, **kwargs): return numpy.argmax(unwrap(self), *args, **kwargs)
    def argmin(self, *args, **kwargs): return numpy.argmin(unwrap(self), *args, **kwargs)
    def argsort(self, *args, **kwargs): return numpy.argsort(unwrap(self), *args, **kwargs)
    def item(self, *args): raise DetachedValueError(detached_message(".item()"))
    def tolist(self): return [self[i] for i in range(len(self))] if self.ndim else self
    def tobytes(self, *args, **kwargs): raise DetachedValueError(detached_message(".tobytes()"))
    def dumps(self): raise DetachedValueError(detached_message(".dumps()"))
    def dump(self, file): raise DetachedValueError(detached_message(".dump()"))
    def tofile(self, *args, **kwargs): raise DetachedValueError(detached_message(".tofile()"))

    def view(self, *args, **kwargs):
        if args or kwargs:       # another dtype or type: the same bytes read as other numbers
            raise DetachedValueError(detached_message(".view(dtype)"))
        return self

    def to_device(self, device, /, *, stream=None):
        if device != "cpu" or stream is not None:
            raise ValueError(f"unsupported device {device!r}")
        return self

    def getfield(self, *args, **kwargs):
        raise DetachedValueError(detached_message(".getfield()"))

    # --- in place: numpy would change the array itself ---------------------
    def sort(self, *args, **kwargs): raise AssignmentError(in_place_message(self, "sort", "y = np.sort(x)"))
    def partition(self, *args, **kwargs):
        raise AssignmentError(in_place_message(self, "partition", "y = np.partition(x, kth)"))
    def fill(self, *args, **kwargs):
        raise AssignmentError(in_place_message(self, "fill", "y = np.full_like(x, value)"))
    def put(self, *args, **kwargs):
        raise AssignmentError(in_place_message(self, "put", "np.where(mask, new, x), or "
                                               "np.concatenate of the pieces"))
    def resize(self, *args, **kwargs):
        raise AssignmentError(in_place_message(self, "resize", "y = np.resize(x, new_shape)"))
    def itemset(self, *args, **kwargs):
        raise AssignmentError(in_place_message(self, "itemset", "np.where(mask, new, x)"))
    def setfield(self, *args, **kwargs):
        raise AssignmentError(in_place_message(self, "setfield", "a new array built from the values"))
    def setflags(self, *args, **kwargs):
        raise AssignmentError(in_place_message(self, "setflags", "leave the flags of a traced array alone"))
    def byteswap(self, *args, **kwargs):
        raise AssignmentError(in_place_message(self, "byteswap", "leave the bytes of a traced array alone"))

    def _in_place_operator(symbol, name):
        def operator_in_place(self, other):
            if _is_view(self):      # numpy would write through the view into the array it came from
                raise AssignmentError(in_place_message(
                    self, f"{symbol}=", f"y = y {symbol} other, and use y (numpy's {symbol}= on "
                    "a slice or reshaped view also changes the array it was taken from, which "
                    "teachgrad cannot follow)"))
            return NotImplemented   # Python falls back to y = y {symbol} other: a new node
        operator_in_place.__name__ = name
        return operator_in_place

    __iadd__ = _in_place_operator("+", "__iadd__")
    __isub__ = _in_place_operator("-", "__isub__")
    __imul__ = _in_place_operator("*", "__imul__")
    __itruediv__ = _in_place_operator("/", "__itruediv__")
    __ifloordiv__ = _in_place_operator("//", "__ifloordiv__")
    __imod__ = _in_place_operator("%", "__imod__")
    __ipow__ = _in_place_operator("**", "__ipow__")
    __imatmul__ = _in_place_operator("@", "__imatmul__")
    del _in_place_operator

    def reshape(self, *shape, **kwargs):
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = shape[0]
        return namespace.reshape(self, tuple(shape), **kwargs)

    def transpose(self, *axes):
        if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
            axes = axes[0]
        return namespace.transpose(self, tuple(axes) if axes else None)

    def __repr__(self) -> str:
        return f"Traced({unwrap(self.value)!r}, name={self.name!r}, op={self.op!r})"


_UFUNC_PRIMITIVES: dict = {}     # numpy.multiply -> teachgrad's multiply, filled as they are met
_UFUNC_METHODS = {("add", "reduce"): "sum", ("multiply", "reduce"): "prod",
                  ("maximum", "reduce"): "max", ("minimum", "reduce"): "min",
                  ("add", "accumulate"): "cumsum", ("multiply", "accumulate"): "cumprod"}

_dispatching: set = set()


def _dispatch(func, target, args, kwargs):
    """Call teachgrad's version of a numpy function that was handed a traced value.

    If teachgrad's version hands it back to numpy still traced (the traced
    value sat somewhere it could not look, such as a list inside a keyword),
    say so rather than loop forever.
    """
    key = (func, tuple(map(id, args)), tuple((k, id(v)) for k, v in kwargs.items()))
    if key in _dispatching:          # the very same call came back: it would loop forever
        raise DetachedValueError(explain(
            f"numpy.{func.__name__} got a traced value in a place teachgrad does not look "
            "(for example inside a list passed by keyword).",
            "teachgrad follows traced values given as positional arguments, or in lists "
            "given positionally.",
            "pass the traced value (or np.array([...]) of them) as a positional argument."))
    _dispatching.add(key)
    try:
        return target(*args, **kwargs)
    finally:
        _dispatching.discard(key)


# Functions whose result numpy returns as a view into their (first) argument.
VIEW_FUNCTIONS = {"reshape", "ravel", "transpose", "swapaxes", "moveaxis", "rollaxis", "squeeze",
                  "expand_dims", "diagonal", "broadcast_to", "real", "imag", "matrix_transpose",
                  "permute_dims", "flip", "fliplr", "flipud", "rot90", "atleast_1d", "atleast_2d",
                  "atleast_3d"}
_BASIC_INDEX = (int, slice, type(None), type(Ellipsis))


def _is_view(node) -> bool:
    """Whether numpy would have returned this traced array as a view of another array."""
    if not node.ndim or node.fun is None:
        return False
    if node.fun is getitem:
        index = node.args[1] if len(node.args) > 1 else None
        items = index if isinstance(index, tuple) else (index,)
        return all(isinstance(i, _BASIC_INDEX) and not isinstance(i, bool) for i in items)
    return node.fun.name in VIEW_FUNCTIONS


def _plain_index(index):
    """Indices are not differentiable: use the plain values of traced ones."""
    if isinstance(index, tuple):
        return tuple(unwrap(i) for i in index)
    return unwrap(index)


def _method(name: str):
    def method(self, *args, **kwargs):
        return getattr(namespace, name)(self, *args, **kwargs)
    method.__name__ = name
    method.__doc__ = f"numpy's {name}, recorded (see teachgrad.numpy.{name})."
    return method


# The remaining ndarray methods students reach for, each calling teachgrad.numpy's function.
for _name in ("cumsum", "cumprod", "trace", "diagonal", "take", "ptp", "swapaxes",
              "all", "any", "argpartition", "nonzero", "searchsorted", "round"):
    setattr(ArrayNode, _name, _method(_name))


def install_rules() -> None:
    """List and tuple constants next to a traced value are arrays (``x ** [1.0, 2.0]``)."""
    for prim in (add, subtract, multiply, true_divide, floor_divide, mod, power, matmul):
        prim.array_positions = frozenset((0, 1))
    for prim in (negative, absolute):
        prim.array_positions = frozenset((0,))

