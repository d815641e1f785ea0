"""Vector spaces: autograd's ``VSpace``, for code that defines or inspects them.

teachgrad's engine needs no vector spaces (gradients are plain arrays and
containers of them), but autograd's extension API and its tests speak of them:
``vspace(x).zeros()``, ``vs.inner_prod(u, v)``, a user's ``MyVSpace.register(MyType)``.
The operations call numpy's functions, which hand a traced value on to
``teachgrad.numpy`` (the traced array type implements numpy's dispatch), so
they are recorded and can be differentiated like any other code.

>>> import numpy
>>> vs = vspace(numpy.zeros((2, 3)))
>>> vs.shape, int(vs.size), vs == vspace(numpy.ones((2, 3)))
((2, 3), 6, True)
>>> vspace([1.0, numpy.zeros(2)]).zeros()
[array(0.), array([0., 0.])]
"""
from __future__ import annotations

from typing import Any, Callable, Iterator

import numpy

from .graph import Node
from .tracing import unwrap

__all__ = ["VSpace", "ArrayVSpace", "ComplexArrayVSpace", "ListVSpace", "TupleVSpace",
           "DictVSpace", "vspace", "SparseObject"]


def _conj(x):
    # a traced value's own conj (numpy.conj would record teachgrad's conjugate, another name)
    return x.conj() if isinstance(x, Node) else numpy.conj(x)


class VSpace:
    """The space a value lives in, and how to add, scale and pair its vectors.

    Constructed directly on an array or a number it describes that array's
    space (shape and dtype). A subclass for a new type overrides ``__init__``,
    ``zeros``, ``randn``, ``_add``, ``_scalar_mul`` and ``_inner_prod``, and is
    attached to its type with ``MyVSpace.register(MyType)``.
    """

    mappings: dict = {}
    iscomplex = False

    def __init__(self, value: Any):
        plain = numpy.asarray(unwrap(value))
        self.shape, self.dtype = plain.shape, plain.dtype
        if plain.dtype.kind == "c":
            self.iscomplex = True

    # ---- arrays (the base case) -------------------------------------------
    @property
    def size(self) -> int:
        return int(numpy.prod(self.shape)) * (2 if self.iscomplex else 1)

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def zeros(self):
        return numpy.zeros(self.shape, self.dtype)

    def ones(self):
        ones = numpy.ones(self.shape, self.dtype)
        return ones + 1j * ones if self.iscomplex else ones

    def standard_basis(self) -> Iterator:
        units = (1.0, 1.0j) if self.iscomplex else (1.0,)
        for index in numpy.ndindex(*self.shape):
            for unit in units:
                basis = numpy.zeros(self.shape, self.dtype)
                basis[index] = unit
                yield basis

    def randn(self):
        real = numpy.array(numpy.random.randn(*self.shape)).astype(self.dtype)
        if self.iscomplex:
            return real + 1j * numpy.array(numpy.random.randn(*self.shape)).astype(self.dtype)
        return real

    def flatten(self, value, covector: bool = False):
        """``value`` as one real 1-D array of length ``size`` (autograd 1.1's ``vs.flatten``).

        A complex array gives its real parts, then its imaginary parts (negated
        for a ``covector``, so that pairing with a flattened vector is the inner product).
        """
        if not self.iscomplex:
            return numpy.ravel(value)
        sign = -1.0 if covector else 1.0
        return numpy.concatenate([numpy.ravel(numpy.real(value)),
                                  sign * numpy.ravel(numpy.imag(value))])

    def unflatten(self, vector, covector: bool = False):
        """The value whose ``flatten`` is ``vector``."""
        if not self.iscomplex:
            return numpy.reshape(vector, self.shape)
        halves = numpy.reshape(vector, (2,) + tuple(self.shape))
        sign = -1.0 if covector else 1.0
        return halves[0] + sign * 1j * halves[1]

    def examples(self) -> list:
        """Vectors to test with (autograd 1.1's ``vs.examples()``): zero and a random one."""
        return [self.zeros(), self.randn()]

    # ---- the operations (traced, so they can be differentiated) -----------
    def add(self, x, y):
        return self._add(x, y)

    def mut_add(self, x, y):
        return self._mut_add(x, y)

    def scalar_mul(self, x, a):
        return self._scalar_mul(x, a)

    def inner_prod(self, x, y):
        return self._inner_prod(x, y)

    def covector(self, x):
        return self._covector(x)

    def _add(self, x, y):
        return x + y

    def _mut_add(self, x, y):
        return x + y if x is not None else y

    def _scalar_mul(self, x, a):
        return x * a

    def _inner_prod(self, x, y):
        if self.iscomplex:
            return numpy.real(numpy.dot(_conj(numpy.ravel(x)), numpy.ravel(y)))
        return numpy.dot(numpy.ravel(x), numpy.ravel(y))

    def _covector(self, x):
        return _conj(x) if self.iscomplex else x

    # ---- identity ----------------------------------------------------------
    def __eq__(self, other) -> bool:
        return type(self) is type(other) and vars(self) == vars(other)

    def __hash__(self) -> int:
        return hash(type(self))

    def __repr__(self) -> str:
        return f"{type(self).__name__}_{vars(self)}"

    @classmethod
    def register(cls, value_type: type, vspace_maker: Callable | None = None) -> None:
        """Make ``vspace(v)`` for every ``v`` of ``value_type`` use this class (or the maker)."""
        VSpace.mappings[value_type] = vspace_maker or cls


class ArrayVSpace(VSpace):
    """A real array's (or real number's) space."""


class ComplexArrayVSpace(VSpace):
    """A complex array's space: twice as many real dimensions as entries."""

    iscomplex = True


class _ContainerVSpace(VSpace):
    """A list's, tuple's or dict's space: every operation applied entry by entry (``_map``)."""

    def zeros(self):
        return self._map(lambda vs: vs.zeros())

    def ones(self):
        return self._map(lambda vs: vs.ones())

    def randn(self):
        return self._map(lambda vs: vs.randn())

    def _add(self, x, y):
        return self._map(lambda vs, a, b: vs.add(a, b), x, y)

    def _mut_add(self, x, y):
        return y if x is None else self._add(x, y)

    def _scalar_mul(self, x, a):
        return self._map(lambda vs, v: vs.scalar_mul(v, a), x)

    def _covector(self, x):
        return self._map(lambda vs, v: vs.covector(v), x)


class _SequenceVSpace(_ContainerVSpace):
    seq_type: type = list

    def __init__(self, value):
        self.shape = [vspace(v) for v in value]

    @property
    def size(self) -> int:
        return sum(vs.size for vs in self.shape)

    def _map(self, fn, *values):
        return self.seq_type(fn(vs, *parts) for vs, *parts in zip(self.shape, *values))


    def standard_basis(self):
        for i, inner in enumerate(self.shape):
            for basis in inner.standard_basis():
                yield self.seq_type(basis if j == i else vs.zeros() for j, vs in enumerate(self.shape))


    def _inner_prod(self, x, y):
        return sum((vs.inner_prod(a, b) for vs, a, b in zip(self.shape, x, y)), 0.0)


    def flatten(self, value, covector=False):
        parts = [vs.flatten(v, covector) for vs, v in zip(self.shape, value)]
        return numpy.concatenate(parts) if parts else numpy.zeros(0)

    def unflatten(self, vector, covector=False):
        return self.seq_type(vs.unflatten(piece, covector)
                             for vs, piece in zip(self.shape, _pieces(vector, self.shape)))


class ListVSpace(_SequenceVSpace):
    seq_type = list


class TupleVSpace(_SequenceVSpace):
    seq_type = tuple


class DictVSpace(_ContainerVSpace):
    def __init__(self, value):
        self.shape = {k: vspace(v) for k, v in value.items()}

    @property
    def size(self) -> int:
        return sum(vs.size for vs in self.shape.values())

    def _map(self, fn, *values):
        return {k: fn(vs, *[v[k] for v in values]) for k, vs in self.shape.items()}


    def standard_basis(self):
        for key, inner in self.shape.items():
            for basis in inner.standard_basis():
                yield {k: basis if k == key else vs.zeros() for k, vs in self.shape.items()}


    def _inner_prod(self, x, y):
        return sum((vs.inner_prod(x[k], y[k]) for k, vs in self.shape.items()), 0.0)


    def flatten(self, value, covector=False):
        parts = [vs.flatten(value[k], covector) for k, vs in sorted(self.shape.items())]
        return numpy.concatenate(parts) if parts else numpy.zeros(0)

    def unflatten(self, vector, covector=False):
        keys = sorted(self.shape)
        spaces = [self.shape[k] for k in keys]
        return {k: vs.unflatten(piece, covector)
                for k, vs, piece in zip(keys, spaces, _pieces(vector, spaces))}


def _pieces(vector, spaces):
    start = 0
    for vs in spaces:
        yield vector[start:start + vs.size]
        start += vs.size


def _array_space(value):
    return ComplexArrayVSpace(value) if numpy.iscomplexobj(value) else ArrayVSpace(value)


for _t in (numpy.ndarray, float, complex, numpy.float64, numpy.float32, numpy.float16,
           numpy.longdouble, numpy.complex64, numpy.complex128, numpy.clongdouble):
    VSpace.register(_t, _array_space)
ListVSpace.register(list)
TupleVSpace.register(tuple)
DictVSpace.register(dict)


def vspace(value: Any) -> VSpace:
    """The :class:`VSpace` of a value (traced or not): arrays, numbers, lists, tuples, dicts,
    and any type a ``VSpace`` subclass was registered for."""
    value = unwrap(value)
    maker = VSpace.mappings.get(type(value))
    if maker is not None:
        return maker(value)
    if isinstance(value, tuple) and hasattr(value, "_fields"):      # a namedtuple
        return TupleVSpace(value)
    for kind, maker in VSpace.mappings.items():
        if isinstance(value, kind):
            return maker(value)
    raise TypeError(
        f"There is no vector space for a value of type {type(value).__name__}.\n"
        "Why: gradients live in the space of numbers, arrays, and lists, tuples and dicts of them.\n"
        "Instead: pass a float array (numpy.array(..., dtype=float)), or register a space for "
        "your type with MyVSpace.register(MyType).")


class SparseObject:
    """A gradient that adds itself into a dense array only when needed (autograd's untake style).

    ``mut_add(A)`` adds the sparse gradient into the dense array ``A`` in place and returns it.
    """
    __array_priority__ = 1000.0

    def __init__(self, vs: VSpace, mut_add: Callable):
        self.vs = vs
        self.mut_add = mut_add

    def to_dense(self):
        return self.mut_add(numpy.array(self.vs.zeros(), copy=True))

    def __add__(self, other):
        dense = other.to_dense() if isinstance(other, SparseObject) else numpy.array(other, copy=True)
        return self.mut_add(dense)

    __radd__ = __add__
