"""Names that autograd.numpy has and numpy does not (or has in a form traced values break).

* ``r_`` and ``c_``: numpy's index tricks build their result in a fresh array,
  which a traced value cannot be written into; these build it with
  teachgrad.numpy's concatenate, so every piece keeps its gradient.
* ``make_diagonal``: autograd's inverse of ``diagonal``.
* ``where``: also by keyword (condition=, x=, y=), and, for a Python bool
  condition with plain Python values, a Python value as autograd returns.
"""
from __future__ import annotations

from typing import Any

import numpy

from . import namespace as np

from ..errors import explain
from .sequences import has_node


class _Joiner:
    """``r_[...]`` / ``c_[...]``: numpy's, differentiable in each traced piece.

    >>> from . import namespace as np
    >>> from teachgrad import grad
    >>> float(grad(lambda x: np.sum(np.r_[x, 1.0:3.0, x] ** 2))(2.0))
    8.0
    """

    def __init__(self, name: str, axis: int, ndmin: int, trans1d: int):
        self.name, self.axis, self.ndmin, self.trans1d = name, axis, ndmin, trans1d

    def __getitem__(self, key: Any) -> Any:
        items = key if isinstance(key, tuple) else (key,)
        if not has_node(list(items)):
            return getattr(numpy, self.name)[key]
        axis, ndmin, trans1d = self.axis, self.ndmin, self.trans1d
        if items and isinstance(items[0], str):
            axis, ndmin, trans1d = self._directive(items[0], axis, ndmin, trans1d)
            items = items[1:]
        pieces = []
        for item in items:
            if isinstance(item, str):
                raise ValueError(explain(
                    f"np.{self.name}[...] was given the string {item!r} after its first entry.",
                    "Only the first entry of the brackets may be a directive string.",
                    f"put the directive first: np.{self.name}[{item!r}, a, b]"))
            pieces.append(self._piece(item, ndmin, trans1d))
        return np.concatenate(pieces, axis=axis)

    def _directive(self, text: str, axis: int, ndmin: int, trans1d: int):
        """'axis', 'axis,ndmin' or 'axis,ndmin,trans1d' (numpy's own meaning)."""
        try:
            numbers = [int(part) for part in text.split(",")]
        except ValueError:
            numbers = None
        if not numbers or len(numbers) > 3:
            raise ValueError(explain(
                f"np.{self.name}[{text!r}, ...] was used with traced values.",
                "teachgrad's version follows the directives 'axis', 'axis,ndmin' and "
                "'axis,ndmin,trans1d'; 'r' and 'c' make numpy matrices, which teachgrad "
                "does not differentiate.",
                "join with np.concatenate, np.stack, np.hstack or np.vstack"))
        return tuple(numbers + [ndmin, trans1d][len(numbers) - 1:])

    @staticmethod
    def _piece(item: Any, ndmin: int, trans1d: int) -> Any:
        if isinstance(item, slice):                 # numpy's meaning: a range (or linspace)
            piece = numpy.r_[item]
            if ndmin > 1:
                piece = numpy.array(piece, ndmin=ndmin)
                if trans1d != -1:
                    piece = piece.swapaxes(-1, trans1d)
            return piece
        shape = np.shape(item)
        if len(shape) >= ndmin:
            return item
        piece = np.reshape(item, (1,) * (ndmin - len(shape)) + shape)
        if trans1d != -1 and shape:            # the old axes move to position trans1d
            k2, k1 = ndmin - len(shape), trans1d
            if k1 < 0:
                k1 += k2 + 1
            axes = list(range(ndmin))
            piece = np.transpose(piece, axes[:k1] + axes[k2:] + axes[k1:k2])
        return piece

    def __len__(self) -> int:
        return 0


r_ = _Joiner("r_", axis=0, ndmin=1, trans1d=-1)
c_ = _Joiner("c_", axis=-1, ndmin=2, trans1d=0)


def make_diagonal(D: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Any:
    """An array whose diagonal (in axes ``axis1``, ``axis2``) is D's last axis: the inverse of
    ``np.diagonal``, differentiable in D.

    >>> from . import namespace as np
    >>> np.make_diagonal(np.array([1.0, 2.0]), axis1=-1, axis2=-2)
    array([[1., 0.],
           [0., 2.]])
    """
    if offset != 0:
        raise ValueError(explain(
            f"np.make_diagonal was given offset={offset!r}.",
            "teachgrad's make_diagonal (as autograd's) places D on the main diagonal only.",
            "build the main diagonal, then shift it with np.pad or slicing"))
    shape = np.shape(D)
    if not shape:
        raise ValueError(explain("np.make_diagonal was given a scalar.",
                                 "its last axis becomes the diagonal, so it needs at least one.",
                                 "pass an array: np.make_diagonal(np.atleast_1d(d))"))
    n = len(shape) + 1
    first, second = sorted((axis1 % n, axis2 % n))
    if first == second:
        raise ValueError(explain(f"np.make_diagonal was given axis1={axis1}, axis2={axis2}.",
                                 "the two axes of the diagonal must differ.",
                                 "for example axis1=-1, axis2=-2"))
    square = np.expand_dims(D, -1) * numpy.eye(shape[-1])      # (..., k, k), D on the diagonal
    return np.moveaxis(square, (-2, -1), (first, second))


_where = np.where           # the primitive


def where(condition: Any, *args: Any, **kwargs: Any) -> Any:
    """numpy.where, also taking condition=, x=, y= by keyword.

    With a Python bool condition and plain Python x and y (numbers or lists), the result is
    a Python value, as autograd returns it.

    >>> from . import namespace as np
    >>> np.where(True, 1, 2)
    1
    >>> np.where(condition=[True, False], x=[1.0, 2.0], y=[3.0, 4.0])
    array([1., 4.])
    """
    if not kwargs and len(args) == 2 and type(condition) is not bool:
        return _where(condition, *args)          # the common call, first
    unknown = set(kwargs) - {"x", "y"}
    if unknown:
        raise TypeError(explain(f"np.where got the keyword {sorted(unknown)[0]}=.",
                                "np.where takes condition, x and y, and nothing else.",
                                "np.where(condition, x, y)"))
    values = list(args) + [kwargs[k] for k in ("x", "y")[len(args):] if k in kwargs]
    if len(values) != len(args) + len(kwargs) or len(values) not in (0, 2):
        raise ValueError(explain("np.where was given only one of x and y.",
                                 "it picks from x where the condition holds, from y elsewhere.",
                                 "give both, np.where(c, x, y), or neither, np.where(c)"))
    result = _where(condition, *values)
    if type(condition) is bool and all(_plain_python(v) for v in values):
        return result.tolist()
    return result


def _plain_python(value: Any) -> bool:
    if isinstance(value, (list, tuple)):
        return all(_plain_python(v) for v in value)
    return isinstance(value, (bool, int, float, complex))
