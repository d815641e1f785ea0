"""The differential operators: functions that turn a function into its derivative.

Each is a few lines on top of the same steps: bind the arguments and record a call
with the chosen ones as input nodes (:mod:`teachgrad.arguments`), run the backward
pass (:mod:`teachgrad.reverse`: ``make_vjp``, or ``scalar_gradients`` for a loss) or
carry tangents forward (:mod:`teachgrad.forward`: ``make_jvp``), and give the results
the structure of the arguments (:mod:`teachgrad.outputs`). The returned functions
take exactly the arguments of the original function.
"""
from __future__ import annotations

import functools
import warnings
from typing import Any, Callable, Sequence

import numpy

from . import numpy as tnp
from .arguments import Signature, argument_value, keys_from_argnum, trace_call
from .containers import differentiable_kind, map_leaves
from .errors import ArgumentError, GradientWarning, NonScalarOutputError, explain
from .forward import deriv, make_jvp, make_jvp_reversemode
from .misc.checkpoint import checkpoint  # noqa: F401  (where autograd has it)
from .outputs import describe, has_float, leaves_of, ones_like, unwrap_output
from .reverse import make_vjp, scalar_gradients
# Also importable from here, where they used to be (record.py, checking/, viz/ and benchmarks
# import them so): argument binding and shaping results have their own modules now.
from .outputs import check_like, gather, scalar_output  # noqa: E402,F401
from .reverse import input_gradients  # noqa: E402,F401
from .tracing import cycle_collection_paused, unwrap

__all__ = ["grad", "grad_named", "multigrad", "multigrad_dict", "value_and_grad", "grad_and_aux",
           "make_vjp", "vector_jacobian_product", "tensor_jacobian_product", "elementwise_grad",
           "jacobian", "hessian", "make_hvp", "hessian_vector_product", "hessian_tensor_product",
           "holomorphic_grad", "make_jvp", "deriv", "make_jvp_reversemode", "make_ggnvp",
           "checkpoint", "GradientWarning"]


# --------------------------------------------------------------------------
# Gradients of a function returning one number
# --------------------------------------------------------------------------

def grad(fun: Callable, argnum: int | Sequence[int] = 0) -> Callable:
    """The gradient of a scalar function, as a function of the same arguments.

    ``grad(f)`` differentiates with respect to the first argument,
    ``grad(f, 1)`` the second, ``grad(f, (0, 1))`` both (a tuple of gradients).
    Each gradient has the shape and nesting of its argument.

    >>> import teachgrad.numpy as np
    >>> def f(x, y):
    ...     return np.sin(x) * y + x ** 2
    >>> float(grad(f)(0.0, 2.0))          # cos(0) * 2 + 2 * 0
    2.0
    >>> float(grad(f, 1)(0.0, 2.0))       # sin(0)
    0.0
    """
    sig = Signature(fun)
    keys, several = keys_from_argnum(sig, argnum)

    @functools.wraps(fun)
    def gradient(*args, **kwargs):
        with cycle_collection_paused():
            graph, boxed, out = trace_call(sig, args, kwargs, keys)
            grads = scalar_gradients(graph, boxed, out, sig.fun_name, "grad")
        return tuple(grads) if several else grads[0]
    return gradient


def grad_named(fun: Callable, argname: str) -> Callable:
    """The gradient with respect to the argument called ``argname``.

    >>> import teachgrad.numpy as np
    >>> float(grad_named(lambda x, y: x * y, 'y')(3.0, 2.0))
    3.0
    """
    sig = Signature(fun)
    sig.check_name(argname)

    @functools.wraps(fun)
    def gradient(*args, **kwargs):
        with cycle_collection_paused():
            graph, boxed, out = trace_call(sig, args, kwargs, [argname])
            return scalar_gradients(graph, boxed, out, sig.fun_name, "grad_named")[0]
    return gradient


def multigrad(fun: Callable, argnums: Sequence[int] = (0,)) -> Callable:
    """The gradients with respect to several arguments, as a tuple.

    >>> tuple(float(g) for g in multigrad(lambda x, y: x * y, [0, 1])(3.0, 2.0))
    (2.0, 3.0)
    """
    sig = Signature(fun)
    keys, _ = keys_from_argnum(sig, tuple(argnums))

    @functools.wraps(fun)
    def gradients(*args, **kwargs):
        with cycle_collection_paused():
            graph, boxed, out = trace_call(sig, args, kwargs, keys)
            return tuple(scalar_gradients(graph, boxed, out, sig.fun_name, "multigrad"))
    return gradients


def multigrad_dict(fun: Callable) -> Callable:
    """The gradients with respect to every float argument, in a dict by name.

    Arguments given by keyword and defaults left out of the call are included;
    arguments that hold no floats (ints, strings, None) are left out.

    >>> {k: float(v) for k, v in multigrad_dict(lambda x, y=2.0: x * y)(3.0).items()}
    {'x': 2.0, 'y': 3.0}
    """
    sig = Signature(fun)
    if sig.sig is None:
        raise ArgumentError(f"multigrad_dict needs a function with an inspectable signature; {sig.fun_name} has none.")

    @functools.wraps(fun)
    def gradients(*args, **kwargs):
        with cycle_collection_paused():
            values = sig.with_defaults(sig.bind(args, kwargs))
            keys = [k for k, v in values.items() if k != sig.varargs and has_float(v)]
            graph, boxed, out = trace_call(sig, args, kwargs, keys, strict=False)
            return dict(zip(keys, scalar_gradients(graph, boxed, out, sig.fun_name, "multigrad_dict")))
    return gradients


def value_and_grad(fun: Callable, argnum: int | Sequence[int] = 0) -> Callable:
    """A function returning ``(f(...), grad(f)(...))`` from one forward pass.

    >>> v, g = value_and_grad(lambda x: x ** 2)(3.0)
    >>> float(v), float(g)
    (9.0, 6.0)
    """
    sig = Signature(fun)
    keys, several = keys_from_argnum(sig, argnum)

    @functools.wraps(fun)
    def value_and_gradient(*args, **kwargs):
        with cycle_collection_paused():
            graph, boxed, out = trace_call(sig, args, kwargs, keys)
            grads = scalar_gradients(graph, boxed, out, sig.fun_name, "value_and_grad")
            value = unwrap_output(out, graph)
        value = float(value) if type(value) is numpy.float64 else value
        return value, (tuple(grads) if several else grads[0])
    return value_and_gradient


def grad_and_aux(fun: Callable, argnum: int | Sequence[int] = 0) -> Callable:
    """For ``fun`` returning ``(loss, aux)``: a function returning ``(grad of loss, aux)``.

    >>> g, aux = grad_and_aux(lambda x: (x ** 2, 'note'))(3.0)
    >>> float(g), aux
    (6.0, 'note')
    """
    sig = Signature(fun)
    keys, several = keys_from_argnum(sig, argnum)

    @functools.wraps(fun)
    def gradient_and_aux(*args, **kwargs):
        with cycle_collection_paused():
            graph, boxed, out = trace_call(sig, args, kwargs, keys)
            if not (isinstance(out, (tuple, list)) and len(out) == 2):
                raise NonScalarOutputError(explain(
                    f"grad_and_aux needs {sig.fun_name} to return a pair (loss, aux), but it "
                    f"returned {describe(unwrap_output(out, graph))}.",
                    "grad_and_aux differentiates the first entry and hands back the second as it is.",
                    f"end {sig.fun_name} with return loss, aux; or use grad(f) for a function "
                    "that returns only the loss."))
            grads = scalar_gradients(graph, boxed, out[0], sig.fun_name, "grad_and_aux")
            return (tuple(grads) if several else grads[0]), unwrap_output(out[1], graph)
    return gradient_and_aux


# --------------------------------------------------------------------------
# Jacobians and second derivatives, from make_vjp and make_jvp
# --------------------------------------------------------------------------

def vector_jacobian_product(fun: Callable, argnum: int = 0) -> Callable:
    """A function of ``(*args, vector)`` returning ``vector`` times the Jacobian of ``fun``.

    ``vector`` is contracted with the leading axes of the output: shaped like
    the output it gives one gradient, shaped like the output's first axes
    only it gives one gradient per remaining output entry (autograd's
    ``tensor_jacobian_product``).

    >>> import teachgrad.numpy as np
    >>> vjp = vector_jacobian_product(lambda x: x ** 2)
    >>> vjp(np.array([1.0, 2.0]), np.array([1.0, 1.0]))
    array([2., 4.])
    >>> vector_jacobian_product(lambda x: np.outer(x, x))(np.array([1.0, 2.0]), np.array([1.0, 0.0]))
    array([[2., 0.],
           [2., 1.]])
    """
    maker = make_vjp(fun, argnum)

    def vjp(*args, **kwargs):
        *args, vector = args
        pullback, value = maker(*args, **kwargs)
        out_shape, v_shape = numpy.shape(unwrap(value)), numpy.shape(unwrap(vector))
        if isinstance(value, (list, tuple, dict)) or out_shape == v_shape:
            return pullback(vector)
        if out_shape[:len(v_shape)] != v_shape:
            raise ArgumentError(explain(
                f"The vector has shape {v_shape}, but the output of "
                f"{getattr(fun, '__name__', 'f')} has shape {out_shape}.",
                "the vector is multiplied with the leading axes of the output, so its shape "
                "must be the output's shape or its beginning.",
                f"give a vector of shape {out_shape} (or {out_shape[:1]}, {out_shape[:2]}, ...)."))
        rest = out_shape[len(v_shape):]
        plain_v = unwrap(vector)
        rows = []
        for index in numpy.ndindex(*rest):
            unit = numpy.zeros(rest)
            unit[index] = 1.0
            rows.append(pullback(numpy.multiply.outer(plain_v, unit)))
        return tnp.reshape(tnp.stack(rows), rest + numpy.shape(rows[0]))
    return vjp


def elementwise_grad(fun: Callable, argnum: int = 0) -> Callable:
    """The sum of the Jacobian's rows: for an elementwise function, each entry's derivative.

    >>> import teachgrad.numpy as np
    >>> elementwise_grad(np.sin)(np.array([0.0, np.pi]))
    array([ 1., -1.])
    """
    maker = make_vjp(fun, argnum)

    @functools.wraps(fun)
    def egrad(*args, **kwargs):
        vjp, value = maker(*args, **kwargs)
        if any(numpy.iscomplexobj(unwrap(leaf)) for leaf in leaves_of(value)):
            raise NonScalarOutputError("elementwise_grad needs a real-valued function; take np.real or np.abs first.")
        return vjp(map_leaves(ones_like, value))
    return egrad


def jacobian(fun: Callable, argnum: int = 0) -> Callable:
    """The Jacobian: entry ``[i..., j...]`` is d output[i...] / d input[j...].

    Its shape is the output's shape followed by the input's shape.

    >>> import teachgrad.numpy as np
    >>> jacobian(lambda x: x ** 2)(np.array([1.0, 2.0]))
    array([[2., 0.],
           [0., 4.]])
    """
    sig = Signature(fun)
    maker = make_vjp(fun, argnum)

    @functools.wraps(fun)
    def jac(*args, **kwargs):
        vjp, value = maker(*args, **kwargs)
        if isinstance(value, (list, tuple, dict)):
            raise NonScalarOutputError(explain(
                f"jacobian needs {getattr(fun, '__name__', 'f')} to return one array, but it "
                f"returned {describe(value)}.",
                "the Jacobian is one table of derivatives: every entry of one output against "
                "every entry of the input.",
                "take the Jacobian of each output on its own, for example "
                "jacobian(lambda x: f(x)[0]), or stack the outputs into one array "
                "with np.stack or np.concatenate."))
        out_shape = numpy.shape(unwrap(value))
        plain_x = argument_value(sig, args, kwargs, argnum)
        if isinstance(unwrap(plain_x), (list, tuple, dict)):
            raise ArgumentError("jacobian differentiates with respect to one array, "
                                "not a list, tuple or dict; pass an array (np.array(...)).")
        in_shape = numpy.shape(unwrap(plain_x))
        dtype = numpy.result_type(unwrap(value))
        rows = []
        for index in numpy.ndindex(*out_shape):
            basis = numpy.zeros(out_shape, dtype)
            basis[index] = 1
            rows.append(vjp(basis))
        if not out_shape:
            return tnp.reshape(rows[0], in_shape)
        return tnp.reshape(tnp.stack(rows), out_shape + in_shape)
    return jac


def hessian(fun: Callable, argnum: int = 0) -> Callable:
    """The matrix (or tensor) of second derivatives: the Jacobian of the gradient.

    >>> import teachgrad.numpy as np
    >>> hessian(lambda x: np.sum(x ** 3))(np.array([1.0, 2.0]))
    array([[ 6.,  0.],
           [ 0., 12.]])
    """
    return jacobian(jacobian(fun, argnum), argnum)


def make_hvp(fun: Callable, argnum: int = 0) -> Callable:
    """A function returning ``(hvp, gradient)``; ``hvp(v)`` is the Hessian times ``v``.

    The gradient is computed once; each ``hvp(v)`` reuses it.

    >>> import teachgrad.numpy as np
    >>> hvp, g = make_hvp(lambda x: np.sum(x ** 3))(np.array([1.0, 2.0]))
    >>> hvp(np.array([1.0, 0.0]))
    array([6., 0.])
    """
    return make_vjp(grad(fun, argnum), argnum)


def hessian_vector_product(fun: Callable, argnum: int = 0) -> Callable:
    """A function of ``(*args, vector)`` returning the Hessian of ``fun`` times ``vector``.

    >>> import teachgrad.numpy as np
    >>> hvp = hessian_vector_product(lambda x: np.sum(x ** 3))
    >>> hvp(np.array([1.0, 2.0]), np.array([0.0, 1.0]))
    array([ 0., 12.])
    """
    fun_grad = grad(fun, argnum)

    @functools.wraps(fun)
    def gradient_dot_vector(*args, **kwargs):
        *args, vector = args
        return tnp.tensordot(fun_grad(*args, **kwargs), vector, numpy.ndim(vector))

    def hvp(*args, **kwargs):
        *args, vector = args
        return grad(functools.wraps(fun)(lambda *a, **k: gradient_dot_vector(*a, vector, **k)),
                    argnum)(*args, **kwargs)
    return hvp


hessian_tensor_product = hessian_vector_product
tensor_jacobian_product = vector_jacobian_product


def holomorphic_grad(fun: Callable, argnum: int = 0) -> Callable:
    """The complex derivative of a holomorphic function of a complex argument.

    >>> import teachgrad.numpy as np
    >>> complex(holomorphic_grad(lambda z: z ** 2)(1.0 + 2.0j))
    (2+4j)
    """
    sig = Signature(fun)
    real_part = functools.wraps(fun)(lambda *a, **k: tnp.real(fun(*a, **k)))
    gradient = grad(real_part, argnum)

    @functools.wraps(fun)
    def derivative(*args, **kwargs):
        if differentiable_kind(argument_value(sig, args, kwargs, argnum)) != "c":
            warnings.warn("holomorphic_grad expects a complex argument.", stacklevel=2)
        return gradient(*args, **kwargs)
    return derivative


def make_ggnvp(f: Callable, g: Callable | None = None, f_argnum: int = 0) -> Callable:
    """Generalized Gauss-Newton products: ``ggnvp(v)`` is Jᵀ H J v.

    J is the Jacobian of ``f`` and H the Hessian of ``g`` at ``f(x)`` (by
    default ``g(y) = sum(y**2, axis=-1) / 2``, so H = I and the product is Jᵀ J v).

    >>> import teachgrad.numpy as np
    >>> ggnvp = make_ggnvp(lambda x: 2.0 * x)(np.array([1.0, 1.0]))
    >>> ggnvp(np.array([1.0, 0.0]))
    array([4., 0.])
    """
    from . import numpy as tnp
    if g is None:
        g = lambda y: 0.5 * tnp.sum(y ** 2, axis=-1)      # noqa: E731

    @functools.wraps(f)
    def ggnvp_maker(*args, **kwargs):
        vjp, fx = make_vjp(f, f_argnum)(*args, **kwargs)
        jvp = make_jvp(f, f_argnum)(*args, **kwargs)
        hvp, _ = make_hvp(g)(fx)
        return lambda v: vjp(hvp(jvp(v)[1]))
    return ggnvp_maker
