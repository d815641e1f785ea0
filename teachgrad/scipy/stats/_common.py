"""Gradients shared by the location-scale distributions of ``teachgrad.scipy.stats``.

SciPy's continuous distributions take ``loc`` and ``scale`` after their own
shape parameters: the density of ``x`` is the standard density of
``y = (x - loc) / scale``, divided by ``scale``::

    logpdf(x, *shapes, loc, scale) = logpdf_standard(y, *shapes) - log(scale)

So one derivative, ``d logpdf_standard / dy``, gives three by the chain rule:

    d/dx     =  (d/dy) / scale
    d/dloc   = -(d/dy) / scale
    d/dscale = -(y (d/dy) + 1) / scale

A pdf is exp(logpdf): its gradient is the pdf (``ans``) times the logpdf's.
A cdf is F(y): its derivatives are pdf(x), -pdf(x) and -pdf(x) y.
"""
from __future__ import annotations

from typing import Callable, Sequence

import teachgrad.numpy as np

from ...extend import defvjp
from ...numpy.gradients.helpers import unbroadcast
from .._primitive import no_gradient


def _split(args, kwargs, n_shapes):
    """(x, shapes, loc, scale) from the arguments of logpdf(x, *shapes, loc=0, scale=1)."""
    x, shapes, rest = args[0], args[1:1 + n_shapes], args[1 + n_shapes:]
    loc = rest[0] if len(rest) > 0 else kwargs.get("loc", 0.0)
    scale = rest[1] if len(rest) > 1 else kwargs.get("scale", 1.0)
    return x, shapes, loc, scale


def define_density(logpdf, pdf, n_shapes: int, d_dy: Callable,
                   d_shapes: Sequence[Callable | None]) -> None:
    """Register the gradients of ``logpdf`` and ``pdf`` for every argument.

    ``d_dy(y, *shapes)`` is the derivative of the standard log density with
    respect to y; ``d_shapes[i](y, *shapes)`` the derivative with respect to
    shape parameter i (None: not differentiable).
    """
    def maker(which, times_pdf):
        def make(ans, *args, **kwargs):
            x, shapes, loc, scale = _split(args, kwargs, n_shapes)
            target = ([x] + list(shapes) + [loc, scale])[which]
            y = (x - loc) / scale

            def local():
                if which == 0:
                    return d_dy(y, *shapes) / scale
                if which <= n_shapes:
                    return d_shapes[which - 1](y, *shapes)
                if which == n_shapes + 1:
                    return -d_dy(y, *shapes) / scale
                return -(y * d_dy(y, *shapes) + 1.0) / scale

            if times_pdf:
                return lambda g: unbroadcast(target, g * ans * local())
            return lambda g: unbroadcast(target, g * local())
        return make

    n_args = n_shapes + 3
    for prim, times_pdf in ((logpdf, False), (pdf, True)):
        makers = []
        for which in range(n_args):
            if 1 <= which <= n_shapes and d_shapes[which - 1] is None:
                makers.append(no_gradient(f"Shape parameter {which} of {prim.qualified_name}",
                                          "its derivative is not implemented."))
            else:
                makers.append(maker(which, times_pdf))
        defvjp(prim, *makers)


def define_cdf(cdf, pdf, n_shapes: int, sign: float = 1.0, log: bool = False,
               logpdf=None) -> None:
    """Gradients of a cdf (sign=1) or survival function (sign=-1) for x, loc and scale.

    With ``log`` the function is the log of it, whose derivative is the
    density divided by the value: exp(logpdf - ans). Derivatives with respect
    to the shape parameters involve special functions with no closed form,
    so (as in autograd) they are not provided.
    """
    def maker(which):
        def make(ans, *args, **kwargs):
            x, shapes, loc, scale = _split(args, kwargs, n_shapes)
            target = ([x] + list(shapes) + [loc, scale])[which]

            def density():
                if log:
                    return sign * np.exp(logpdf(x, *shapes, loc, scale) - ans)
                return sign * pdf(x, *shapes, loc, scale)

            if which == 0:
                return lambda g: unbroadcast(target, g * density())
            if which == n_shapes + 1:
                return lambda g: unbroadcast(target, -g * density())
            return lambda g: unbroadcast(target, -g * density() * (x - loc) / scale)
        return make

    shape_maker = no_gradient(
        f"A shape parameter of {cdf.qualified_name}",
        "the derivative of a distribution function with respect to its shape "
        "parameters has no closed form (autograd does not provide it either).")
    makers = [maker(0)] + [shape_maker] * n_shapes + [maker(n_shapes + 1), maker(n_shapes + 2)]
    defvjp(cdf, *makers)
